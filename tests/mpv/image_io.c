/* PFM / PGM / Y4M gray I/O: see image_io.h. */
#include "image_io.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nr_image_free(nr_image *img)
{
    free(img->data);
    memset(img, 0, sizeof(*img));
}

bool nr_image_alloc(nr_image *img, int w, int h, int channels)
{
    memset(img, 0, sizeof(*img));
    if (w < 1 || h < 1 || w > 65536 || h > 65536 || (channels != 1 && channels != 3))
        return false;
    img->data = calloc((size_t)w * h * channels, sizeof(float));
    if (!img->data)
        return false;
    img->w = w;
    img->h = h;
    img->channels = channels;
    return true;
}

/* Reads one whitespace-separated header token, skipping # comments. */
static bool header_token(FILE *f, char *buf, size_t size)
{
    int c;
    for (;;) {
        c = fgetc(f);
        if (c == '#') {
            while (c != '\n' && c != EOF)
                c = fgetc(f);
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
    }
    size_t n = 0;
    while (c != EOF && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        if (n + 1 >= size)
            return false;
        buf[n++] = (char)c;
        c = fgetc(f);
    }
    buf[n] = '\0';
    return n > 0;   /* the single whitespace after the token is consumed */
}

static bool header_int(FILE *f, int *v)
{
    char tok[32];
    char *end;
    if (!header_token(f, tok, sizeof(tok)))
        return false;
    long x = strtol(tok, &end, 10);
    if (*end || x < 1 || x > 65536)
        return false;
    *v = (int)x;
    return true;
}

bool nr_pfm_read(const char *path, nr_image *img, char *err, size_t err_size)
{
    memset(img, 0, sizeof(*img));
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open", path);
        return false;
    }
    char magic[8], scale_tok[32];
    int w, h;
    bool ok = header_token(f, magic, sizeof(magic)) && header_int(f, &w) && header_int(f, &h) &&
              header_token(f, scale_tok, sizeof(scale_tok));
    int channels = ok && !strcmp(magic, "Pf") ? 1 : ok && !strcmp(magic, "PF") ? 3 : 0;
    double scale = ok ? strtod(scale_tok, NULL) : 0;
    if (!channels || scale == 0) {
        snprintf(err, err_size, "%s: not a PFM file", path);
        fclose(f);
        return false;
    }
    if (scale > 0) {
        snprintf(err, err_size, "%s: big-endian PFM is not supported", path);
        fclose(f);
        return false;
    }
    if (!nr_image_alloc(img, w, h, channels)) {
        snprintf(err, err_size, "%s: bad size or out of memory", path);
        fclose(f);
        return false;
    }
    size_t row = (size_t)w * channels;
    for (int y = h - 1; y >= 0; y--) {   /* stored bottom to top */
        if (fread(img->data + (size_t)y * row, sizeof(float), row, f) != row) {
            snprintf(err, err_size, "%s: truncated", path);
            nr_image_free(img);
            fclose(f);
            return false;
        }
    }
    fclose(f);
    return true;
}

/* Opens path.tmp for writing; finish_write() renames it into place. */
static FILE *start_write(const char *path, char *tmp, size_t tmp_size, char *err, size_t err_size)
{
    snprintf(tmp, tmp_size, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        snprintf(err, err_size, "%s: cannot create", tmp);
    return f;
}

static bool finish_write(FILE *f, bool ok, const char *tmp, const char *path,
                         char *err, size_t err_size)
{
    if (fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        remove(tmp);
        snprintf(err, err_size, "%s: write failed", path);
    }
    return ok;
}

bool nr_pfm_write(const char *path, const nr_image *img, char *err, size_t err_size)
{
    char tmp[4096];
    FILE *f = start_write(path, tmp, sizeof(tmp), err, err_size);
    if (!f)
        return false;
    bool ok = fprintf(f, "%s\n%d %d\n-1.0\n", img->channels == 1 ? "Pf" : "PF", img->w, img->h) > 0;
    size_t row = (size_t)img->w * img->channels;
    for (int y = img->h - 1; ok && y >= 0; y--)
        ok = fwrite(img->data + (size_t)y * row, sizeof(float), row, f) == row;
    return finish_write(f, ok, tmp, path, err, err_size);
}

bool nr_pgm_read(const char *path, nr_image *img, char *err, size_t err_size)
{
    memset(img, 0, sizeof(*img));
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open", path);
        return false;
    }
    char magic[8];
    int w, h, maxval;
    if (!header_token(f, magic, sizeof(magic)) || strcmp(magic, "P5") || !header_int(f, &w) ||
        !header_int(f, &h) || !header_int(f, &maxval) || maxval > 65535) {
        snprintf(err, err_size, "%s: not a binary PGM (P5) file", path);
        fclose(f);
        return false;
    }
    if (!nr_image_alloc(img, w, h, 1)) {
        snprintf(err, err_size, "%s: bad size or out of memory", path);
        fclose(f);
        return false;
    }
    int bytes = maxval > 255 ? 2 : 1;
    size_t n = (size_t)w * h;
    unsigned char *raw = malloc(n * bytes);
    bool ok = raw && fread(raw, bytes, n, f) == n;
    fclose(f);
    if (!ok) {
        snprintf(err, err_size, "%s: truncated", path);
        free(raw);
        nr_image_free(img);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned v = bytes == 2 ? (unsigned)raw[2 * i] << 8 | raw[2 * i + 1] : raw[i];
        img->data[i] = (float)((double)v / maxval);
    }
    free(raw);
    return true;
}

static unsigned quantise(float v, unsigned white, unsigned maxval)
{
    double x = v < 0 ? 0 : v > 1 ? 1 : v;
    unsigned q = (unsigned)lrint(x * white);
    return q > maxval ? maxval : q;
}

/* Gray samples of channel 0, 8-bit or 16-bit (big_endian for PGM), 1.0
 * coded as white. */
static unsigned char *pack_gray(const nr_image *img, int bits, unsigned white, bool big_endian)
{
    size_t n = (size_t)img->w * img->h;
    unsigned char *raw = malloc(n * (bits / 8));
    if (!raw)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        float v = img->data[i * img->channels];
        if (bits == 8) {
            raw[i] = (unsigned char)quantise(v, white, 255);
        } else {
            unsigned q = quantise(v, white, 65535);
            raw[2 * i + (big_endian ? 0 : 1)] = (unsigned char)(q >> 8);
            raw[2 * i + (big_endian ? 1 : 0)] = (unsigned char)(q & 0xff);
        }
    }
    return raw;
}

/* A gray file: header, then frames copies of the packed samples, each
 * after frame_tag (NULL: none). */
static bool write_gray(const char *path, const nr_image *img, int bits, unsigned white,
                       bool big_endian, const char *header, const char *frame_tag, int frames,
                       char *err, size_t err_size)
{
    unsigned char *raw = pack_gray(img, bits, white, big_endian);
    if (!raw) {
        snprintf(err, err_size, "out of memory");
        return false;
    }
    char tmp[4096];
    FILE *f = start_write(path, tmp, sizeof(tmp), err, err_size);
    if (!f) {
        free(raw);
        return false;
    }
    size_t n = (size_t)img->w * img->h;
    bool ok = fputs(header, f) >= 0;
    for (int i = 0; ok && i < frames; i++)
        ok = (!frame_tag || fputs(frame_tag, f) >= 0) && fwrite(raw, bits / 8, n, f) == n;
    free(raw);
    return finish_write(f, ok, tmp, path, err, err_size);
}

bool nr_pgm_write(const char *path, const nr_image *img, int bits, char *err, size_t err_size)
{
    if (bits != 8 && bits != 16) {
        snprintf(err, err_size, "PGM: bits must be 8 or 16");
        return false;
    }
    unsigned maxval = bits == 8 ? 255 : 65535;
    char header[64];
    snprintf(header, sizeof(header), "P5\n%d %d\n%u\n", img->w, img->h, maxval);
    return write_gray(path, img, bits, maxval, true, header, NULL, 1, err, err_size);
}

bool nr_y4m_gray_write(const char *path, const nr_image *img, int bits, int white, int frames,
                       char *err, size_t err_size)
{
    if ((bits != 8 && bits != 16) || frames < 1 || white < 1 || white >= (1 << bits)) {
        snprintf(err, err_size, "Y4M: bits must be 8 or 16, white in range and frames >= 1");
        return false;
    }
    char header[128];
    snprintf(header, sizeof(header), "YUV4MPEG2 W%d H%d F25:1 Ip A1:1 C%s XCOLORRANGE=FULL\n",
             img->w, img->h, bits == 8 ? "mono" : "mono16");
    return write_gray(path, img, bits, (unsigned)white, false, header, "FRAME\n", frames, err,
                      err_size);
}

/* Over the first `channels` channels of every pixel. */
static bool image_diff(const nr_image *a, const nr_image *b, bool clamp, int channels,
                       nr_diff *d, char *err, size_t err_size)
{
    memset(d, 0, sizeof(*d));
    if (a->w != b->w || a->h != b->h) {
        snprintf(err, err_size, "size mismatch: %dx%d vs %dx%d", a->w, a->h, b->w, b->h);
        return false;
    }
    double sum = 0, signed_sum = 0;
    for (int y = 0; y < a->h; y++) {
        for (int x = 0; x < a->w; x++) {
            for (int c = 0; c < channels; c++) {
                double va = a->data[((size_t)y * a->w + x) * a->channels + c];
                double vb = b->data[((size_t)y * b->w + x) * b->channels + c];
                if (clamp) {
                    va = va < 0 ? 0 : va > 1 ? 1 : va;
                    vb = vb < 0 ? 0 : vb > 1 ? 1 : vb;
                }
                double e = va - vb;
                if (!isfinite(e)) {
                    snprintf(err, err_size, "non-finite sample at (%d,%d)", x, y);
                    return false;
                }
                signed_sum += e;
                sum += fabs(e);
                if (fabs(e) > d->max) {
                    d->max = fabs(e);
                    d->max_x = x;
                    d->max_y = y;
                }
            }
        }
    }
    double n = (double)a->w * a->h * channels;
    d->mean = sum / n;
    d->signed_mean = signed_sum / n;
    return true;
}

bool nr_image_diff(const nr_image *a, const nr_image *b, bool clamp, nr_diff *d,
                   char *err, size_t err_size)
{
    return image_diff(a, b, clamp, 1, d, err, err_size);
}

bool nr_image_diff_all(const nr_image *a, const nr_image *b, bool clamp, nr_diff *d,
                       char *err, size_t err_size)
{
    if (a->channels != b->channels) {
        memset(d, 0, sizeof(*d));
        snprintf(err, err_size, "channel mismatch: %d vs %d", a->channels, b->channels);
        return false;
    }
    return image_diff(a, b, clamp, a->channels, d, err, err_size);
}
