/*
 * Small image files for the real-mpv tests: PFM (float, the format of the
 * reference outputs), PGM (8/16-bit gray inputs) and YUV4MPEG2 gray
 * ("Cmono"/"Cmono16", XCOLORRANGE=FULL): the input format that both mpv and
 * ffmpeg read as full-range gray without any guessing.
 *
 * In memory every image is float, rows top first, channels interleaved.
 * PFM files follow the format: rows stored bottom to top, scale -1
 * (little-endian). PGM values are read as value / maxval.
 */
#ifndef NR_IMAGE_IO_H
#define NR_IMAGE_IO_H

#include <stdbool.h>
#include <stddef.h>

typedef struct nr_image {
    int w, h, channels;   /* channels: 1 or 3 */
    float *data;          /* w * h * channels, rows top first */
} nr_image;

void nr_image_free(nr_image *img);
bool nr_image_alloc(nr_image *img, int w, int h, int channels);

/* Each returns false with a one-line reason in err. Writers write to a
 * temporary name and rename, so a failure leaves no partial file. */
bool nr_pfm_read(const char *path, nr_image *img, char *err, size_t err_size);
bool nr_pfm_write(const char *path, const nr_image *img, char *err, size_t err_size);
bool nr_pgm_read(const char *path, nr_image *img, char *err, size_t err_size);
/* bits 8 or 16; values are clamped to [0,1] and rounded. */
bool nr_pgm_write(const char *path, const nr_image *img, int bits, char *err, size_t err_size);
/* frames copies of one gray image; bits 8 or 16; white is the code value
 * that stands for 1.0 (255 for 8 bits; 65535 for 16 bits in ffmpeg and
 * libplacebo, but 65280 = 255 << 8 for mpv's vo_gpu, which reads high bit
 * depth YUV/gray as 8-bit values shifted left, even in full range). */
bool nr_y4m_gray_write(const char *path, const nr_image *img, int bits, int white, int frames,
                       char *err, size_t err_size);

/* Statistics of a - b over channel 0 of two images of the same size; with
 * clamp, both are first clipped to [0,1] (what a display shows). */
typedef struct nr_diff {
    double max, mean, signed_mean;
    int max_x, max_y;
} nr_diff;
bool nr_image_diff(const nr_image *a, const nr_image *b, bool clamp, nr_diff *d,
                   char *err, size_t err_size);
/* The same over every channel (the images must have as many); mean over
 * all samples. */
bool nr_image_diff_all(const nr_image *a, const nr_image *b, bool clamp, nr_diff *d,
                       char *err, size_t err_size);

#endif
