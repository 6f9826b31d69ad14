/*
 * image_netpbm: binary PGM/PPM (P5/P6) and PFM (Pf/PF) parsing and the
 * 16-bit PGM / float PFM writers. Parsed from memory so that every read
 * is bounds-checked: a truncated or corrupt file gives an error, never a
 * partly filled plane.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_io_priv.h"

typedef struct cursor {
    const uint8_t *p, *end;
} cursor;

/* Skips whitespace and '#' comments (to end of line) between tokens. */
static void skip_space(cursor *c)
{
    while (c->p < c->end) {
        if (*c->p == '#') {
            while (c->p < c->end && *c->p != '\n' && *c->p != '\r')
                c->p++;
        } else if (isspace(*c->p)) {
            c->p++;
        } else {
            break;
        }
    }
}

/* Copies the next whitespace-delimited token into buf; false if none. */
static bool next_token(cursor *c, char *buf, size_t size)
{
    skip_space(c);
    size_t n = 0;
    while (c->p < c->end && !isspace(*c->p) && *c->p != '#') {
        if (n + 1 >= size)
            return false;
        buf[n++] = (char)*c->p++;
    }
    buf[n] = '\0';
    return n > 0;
}

static bool next_long(cursor *c, long *v)
{
    char tok[32], *end;
    if (!next_token(c, tok, sizeof(tok)) || !isdigit((unsigned char)tok[0]))
        return false;
    *v = strtol(tok, &end, 10);
    return *end == '\0';
}

/* The raster starts after exactly one whitespace byte. */
static bool end_header(cursor *c)
{
    if (c->p >= c->end || !isspace(*c->p))
        return false;
    c->p++;
    return true;
}

int nr_pnm_decode(const char *path, const nr_bytes *file, nr_image *out,
                  char *err, size_t err_size)
{
    cursor c = {file->data + 2, file->data + file->size};
    int channels = file->data[1] == '6' ? 3 : 1;
    long w, h, maxval;
    if (!next_long(&c, &w) || !next_long(&c, &h) || !next_long(&c, &maxval) ||
        !end_header(&c)) {
        snprintf(err, err_size, "%s: corrupt %s header", path, channels == 3 ? "PPM" : "PGM");
        return -1;
    }
    if (nr_image_check_size(path, w, h, err, err_size) < 0)
        return -1;
    if (maxval < 1 || maxval > 65535) {
        snprintf(err, err_size, "%s: invalid maxval %ld", path, maxval);
        return -1;
    }
    size_t bytes_per = maxval > 255 ? 2 : 1;
    size_t samples = (size_t)w * (size_t)h * (size_t)channels;
    if ((size_t)(c.end - c.p) < samples * bytes_per) {
        snprintf(err, err_size, "%s: truncated image data (%zu of %zu bytes)", path,
                 (size_t)(c.end - c.p), samples * bytes_per);
        return -1;
    }
    if (nr_image_alloc(out, (int)w, (int)h, err, err_size) < 0)
        return -1;
    const double scale = 1.0 / (double)maxval;
    const uint8_t *p = c.p;
    size_t pixels = (size_t)w * (size_t)h;
    for (size_t i = 0; i < pixels; i++) {
        double rgb[3];
        for (int ch = 0; ch < channels; ch++) {
            long v = bytes_per == 2 ? (long)p[0] << 8 | p[1] : p[0];
            p += bytes_per;
            if (v > maxval) {
                snprintf(err, err_size, "%s: corrupt image data (sample %ld > maxval %ld)",
                         path, v, maxval);
                nr_image_free(out);
                return -1;
            }
            rgb[ch] = (double)v * scale;
        }
        out->data[i] = channels == 1 ? (float)rgb[0]
                     : (float)(NR_LUMA_KR * rgb[0] + NR_LUMA_KG * rgb[1] + NR_LUMA_KB * rgb[2]);
    }
    return 0;
}

static float load_f32(const uint8_t *p, bool little)
{
    uint32_t u = little
        ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
        : (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
    float f;
    memcpy(&f, &u, sizeof(f));
    return f;
}

int nr_pfm_decode(const char *path, const nr_bytes *file, nr_image *out,
                  char *err, size_t err_size)
{
    cursor c = {file->data + 2, file->data + file->size};
    int channels = file->data[1] == 'F' ? 3 : 1;
    long w, h;
    char tok[64], *end;
    if (!next_long(&c, &w) || !next_long(&c, &h) || !next_token(&c, tok, sizeof(tok)) ||
        !end_header(&c)) {
        snprintf(err, err_size, "%s: corrupt PFM header", path);
        return -1;
    }
    double scale = strtod(tok, &end);
    if (*end != '\0' || !isfinite(scale) || scale == 0.0) {
        snprintf(err, err_size, "%s: corrupt PFM header (scale '%s')", path, tok);
        return -1;
    }
    if (nr_image_check_size(path, w, h, err, err_size) < 0)
        return -1;
    size_t need = (size_t)w * (size_t)h * (size_t)channels * 4;
    if ((size_t)(c.end - c.p) < need) {
        snprintf(err, err_size, "%s: truncated image data (%zu of %zu bytes)", path,
                 (size_t)(c.end - c.p), need);
        return -1;
    }
    if (nr_image_alloc(out, (int)w, (int)h, err, err_size) < 0)
        return -1;
    bool little = scale < 0.0;   /* the sign of the scale gives the byte order */
    for (long y = 0; y < h; y++) {
        /* PFM stores the bottom row first */
        const uint8_t *row = c.p + (size_t)(h - 1 - y) * (size_t)w * (size_t)channels * 4;
        float *dst = out->data + (size_t)y * (size_t)w;
        for (long x = 0; x < w; x++) {
            const uint8_t *px = row + (size_t)x * (size_t)channels * 4;
            if (channels == 1) {
                dst[x] = load_f32(px, little);
            } else {
                dst[x] = (float)(NR_LUMA_KR * load_f32(px, little) +
                                 NR_LUMA_KG * load_f32(px + 4, little) +
                                 NR_LUMA_KB * load_f32(px + 8, little));
            }
        }
    }
    return 0;
}

/* Appends a formatted header to a freshly allocated buffer of header +
 * payload bytes; returns the header length or -1. */
static int alloc_with_header(nr_bytes *out, size_t payload, const char *fmt, int a, int b)
{
    char header[64];
    int len = snprintf(header, sizeof(header), fmt, a, b);
    if (len < 0 || (size_t)len >= sizeof(header))
        return -1;
    out->size = (size_t)len + payload;
    out->data = malloc(out->size);
    if (!out->data)
        return -1;
    memcpy(out->data, header, (size_t)len);
    return len;
}

int nr_pgm16_encode(const nr_image *img, nr_bytes *out)
{
    size_t pixels = (size_t)img->width * (size_t)img->height;
    int hl = alloc_with_header(out, pixels * 2, "P5\n%d %d\n65535\n", img->width, img->height);
    if (hl < 0)
        return -1;
    uint8_t *p = out->data + hl;
    for (size_t i = 0; i < pixels; i++) {
        uint16_t v = nr_image_to_u16(img->data[i]);
        *p++ = (uint8_t)(v >> 8);   /* PGM is big-endian */
        *p++ = (uint8_t)v;
    }
    return 0;
}

int nr_pfm_encode(const nr_image *img, nr_bytes *out)
{
    size_t pixels = (size_t)img->width * (size_t)img->height;
    int hl = alloc_with_header(out, pixels * 4, "Pf\n%d %d\n-1.0\n", img->width, img->height);
    if (hl < 0)
        return -1;
    uint8_t *p = out->data + hl;
    for (int y = img->height - 1; y >= 0; y--) {   /* bottom row first */
        const float *row = img->data + (size_t)y * (size_t)img->width;
        for (int x = 0; x < img->width; x++) {
            uint32_t u;
            memcpy(&u, &row[x], sizeof(u));
            *p++ = (uint8_t)u;
            *p++ = (uint8_t)(u >> 8);
            *p++ = (uint8_t)(u >> 16);
            *p++ = (uint8_t)(u >> 24);
        }
    }
    return 0;
}
