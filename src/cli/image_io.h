/*
 * image_io — still images in and out of the `nativeres` CLI as one float
 * luma plane.
 *
 * Reading (nr_image_load_luma) decides by content, not by file name:
 *  - binary PGM "P5" / PPM "P6", 8 or 16 bit, maxval respected:
 *    value = v / maxval (full range);
 *  - PFM "Pf" (gray) / "PF" (colour), float32, either endianness;
 *  - anything else through libavformat + libavcodec (PNG, JPEG, TIFF, ...;
 *    the first frame of a video file too).
 * Colour becomes BT.709 luma of the full-range RGB values
 * (Y = 0.2126 R + 0.7152 G + 0.0722 B); YUV and gray inputs give their Y
 * plane, limited range mapped to [0,1] by (Y - 16) / 219 (scaled to the bit
 * depth). Values are not clipped.
 *
 * Writing (nr_image_save) picks the format from the extension:
 *  .pfm  single-channel PFM, float32 little-endian (scale -1.0),
 *        rows bottom to top as the format says; values as they are;
 *  .pgm  16-bit binary PGM (maxval 65535);
 *  .png  16-bit gray PNG.
 * 16-bit outputs are clipped to [0,1] and rounded. The file is written to
 * a temporary name in the same directory and renamed, so a failure never
 * leaves a partial output behind.
 *
 * All functions return 0 on success, -1 on failure with a one-line reason
 * (naming the file) in err.
 */
#ifndef NR_CLI_IMAGE_IO_H
#define NR_CLI_IMAGE_IO_H

#include <stdbool.h>
#include <stddef.h>

/* A float plane, row-major, top row first, stride == width. */
typedef struct nr_image {
    int width;
    int height;
    float *data;
} nr_image;

/* Largest accepted image side and pixel count (guards against absurd or
 * corrupt headers before allocating). */
#define NR_IMAGE_MAX_SIDE 32768
#define NR_IMAGE_MAX_PIXELS (1L << 28)

/* Allocates a width x height plane (zeroed). */
int nr_image_alloc(nr_image *img, int width, int height, char *err, size_t err_size);
void nr_image_free(nr_image *img);

/* Reads any supported image file as a luma plane (see above). On failure
 * *out is left empty ({0, 0, NULL}). */
int nr_image_load_luma(const char *path, nr_image *out, char *err, size_t err_size);

/* Reads a PFM file only ("Pf", or "PF" reduced to luma). */
int nr_image_load_pfm(const char *path, nr_image *out, char *err, size_t err_size);

/* True if the path's extension names a format nr_image_save writes
 * (.pfm, .pgm, .png; case-insensitive). */
bool nr_image_save_supported(const char *path);

/* Writes img to path, format from the extension (see above). */
int nr_image_save(const char *path, const nr_image *img, char *err, size_t err_size);

/* The decoded-frame path, exported for video decoding: the luma plane of
 * an AVFrame (any software pixel format) by the rules above. */
struct AVFrame;
int nr_image_from_avframe(const struct AVFrame *frame, nr_image *out,
                          char *err, size_t err_size);

#endif
