/*
 * image_io: format dispatch (by content for reading, by extension for
 * writing), plane allocation, and the atomic file write.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_io_priv.h"

int nr_image_check_size(const char *path, long width, long height,
                        char *err, size_t err_size)
{
    if (width < 1 || height < 1 || width > NR_IMAGE_MAX_SIDE ||
        height > NR_IMAGE_MAX_SIDE || width * height > NR_IMAGE_MAX_PIXELS) {
        snprintf(err, err_size, "%s: unsupported image size %ldx%ld", path, width, height);
        return -1;
    }
    return 0;
}

int nr_image_alloc(nr_image *img, int width, int height, char *err, size_t err_size)
{
    *img = (nr_image){0};
    if (nr_image_check_size("image", width, height, err, err_size) < 0)
        return -1;
    img->data = calloc((size_t)width * (size_t)height, sizeof(float));
    if (!img->data) {
        snprintf(err, err_size, "out of memory for a %dx%d image", width, height);
        return -1;
    }
    img->width = width;
    img->height = height;
    return 0;
}

void nr_image_free(nr_image *img)
{
    if (!img)
        return;
    free(img->data);
    *img = (nr_image){0};
}

uint16_t nr_image_to_u16(float v)
{
    if (!(v > 0.0f))   /* also maps NaN to 0 */
        return 0;
    if (v >= 1.0f)
        return 65535;
    return (uint16_t)lrint((double)v * 65535.0);
}

/* Reads a whole regular file. Images are small enough (see the size
 * limits) and parsing from memory makes truncation checks simple. */
static int read_file(const char *path, nr_bytes *out, char *err, size_t err_size)
{
    *out = (nr_bytes){0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "%s: not a regular file", path);
        fclose(f);
        return -1;
    }
    /* 16 bytes per pixel covers every format read here (PF colour float) */
    if ((unsigned long long)st.st_size > (unsigned long long)NR_IMAGE_MAX_PIXELS * 16) {
        snprintf(err, err_size, "%s: file too large", path);
        fclose(f);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *data = malloc(size ? size : 1);
    if (!data) {
        snprintf(err, err_size, "%s: out of memory", path);
        fclose(f);
        return -1;
    }
    if (fread(data, 1, size, f) != size) {
        snprintf(err, err_size, "%s: read error", path);
        free(data);
        fclose(f);
        return -1;
    }
    fclose(f);
    out->data = data;
    out->size = size;
    return 0;
}

static int load(const char *path, nr_image *out, bool pfm_only, char *err, size_t err_size)
{
    *out = (nr_image){0};
    nr_bytes file;
    if (read_file(path, &file, err, err_size) < 0)
        return -1;
    int ret;
    const uint8_t *m = file.data;
    bool is_pfm = file.size >= 2 && m[0] == 'P' && (m[1] == 'f' || m[1] == 'F');
    bool is_pnm = file.size >= 2 && m[0] == 'P' && (m[1] == '5' || m[1] == '6');
    if (is_pfm) {
        ret = nr_pfm_decode(path, &file, out, err, err_size);
    } else if (pfm_only) {
        snprintf(err, err_size, "%s: not a PFM file", path);
        ret = -1;
    } else if (is_pnm) {
        ret = nr_pnm_decode(path, &file, out, err, err_size);
    } else if (file.size == 0) {
        snprintf(err, err_size, "%s: empty file", path);
        ret = -1;
    } else {
        ret = nr_libav_decode(path, out, err, err_size);
    }
    free(file.data);
    if (ret < 0)
        nr_image_free(out);
    return ret;
}

int nr_image_load_luma(const char *path, nr_image *out, char *err, size_t err_size)
{
    return load(path, out, false, err, err_size);
}

int nr_image_load_pfm(const char *path, nr_image *out, char *err, size_t err_size)
{
    return load(path, out, true, err, err_size);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

typedef enum out_format { OUT_NONE, OUT_PFM, OUT_PGM, OUT_PNG } out_format;

static out_format format_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return OUT_NONE;
    if (!strcasecmp(dot, ".pfm"))
        return OUT_PFM;
    if (!strcasecmp(dot, ".pgm"))
        return OUT_PGM;
    if (!strcasecmp(dot, ".png"))
        return OUT_PNG;
    return OUT_NONE;
}

bool nr_image_save_supported(const char *path)
{
    return format_of(path) != OUT_NONE;
}

/* Writes bytes to a temporary file beside path, then renames it over
 * path: readers never see a half-written image, and a failure leaves
 * nothing behind. */
static int write_atomic(const char *path, const nr_bytes *bytes, char *err, size_t err_size)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + sizeof(".tmp-XXXXXX"));
    if (!tmp) {
        snprintf(err, err_size, "%s: out of memory", path);
        return -1;
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp-XXXXXX", sizeof(".tmp-XXXXXX"));
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    /* mkstemp creates 0600; give the file the usual umask-based mode */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);

    const uint8_t *p = bytes->data;
    size_t left = bytes->size;
    int ret = 0;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, err_size, "%s: write error: %s", path,
                     n < 0 ? strerror(errno) : "short write");
            ret = -1;
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    if (close(fd) < 0 && ret == 0) {
        snprintf(err, err_size, "%s: write error: %s", path, strerror(errno));
        ret = -1;
    }
    if (ret == 0 && rename(tmp, path) < 0) {
        snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
        ret = -1;
    }
    if (ret < 0)
        unlink(tmp);
    free(tmp);
    return ret;
}

int nr_image_save(const char *path, const nr_image *img, char *err, size_t err_size)
{
    nr_bytes bytes = {0};
    int ret;
    switch (format_of(path)) {
    case OUT_PFM:
        ret = nr_pfm_encode(img, &bytes);
        break;
    case OUT_PGM:
        ret = nr_pgm16_encode(img, &bytes);
        break;
    case OUT_PNG:
        ret = nr_png16_encode(img, &bytes, err, err_size);
        if (ret < 0) {
            free(bytes.data);
            return -1;
        }
        break;
    default:
        snprintf(err, err_size, "%s: unknown output format (use .pfm, .pgm or .png)", path);
        return -1;
    }
    if (ret < 0) {
        snprintf(err, err_size, "%s: out of memory", path);
        free(bytes.data);
        return -1;
    }
    ret = write_atomic(path, &bytes, err, err_size);
    free(bytes.data);
    return ret;
}
