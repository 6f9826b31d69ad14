/* Internal pieces of image_io shared by its files (not for other users). */
#ifndef NR_CLI_IMAGE_IO_PRIV_H
#define NR_CLI_IMAGE_IO_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "image_io.h"

/* A whole file in memory. */
typedef struct nr_bytes {
    uint8_t *data;
    size_t size;
} nr_bytes;

/* BT.709 luma weights (on full-range RGB values). */
#define NR_LUMA_KR 0.2126
#define NR_LUMA_KG 0.7152
#define NR_LUMA_KB 0.0722

/* Checks a size read from a header against NR_IMAGE_MAX_*. */
int nr_image_check_size(const char *path, long width, long height,
                        char *err, size_t err_size);

/* 16-bit code of a sample for 16-bit outputs: clipped to [0,1], rounded. */
uint16_t nr_image_to_u16(float v);

/* Netpbm family (image_netpbm.c): parse from memory. */
int nr_pnm_decode(const char *path, const nr_bytes *file, nr_image *out,
                  char *err, size_t err_size);   /* P5, P6 */
int nr_pfm_decode(const char *path, const nr_bytes *file, nr_image *out,
                  char *err, size_t err_size);   /* Pf, PF */
int nr_pgm16_encode(const nr_image *img, nr_bytes *out);
int nr_pfm_encode(const nr_image *img, nr_bytes *out);

/* libav (image_libav.c). */
int nr_libav_decode(const char *path, nr_image *out, char *err, size_t err_size);
int nr_png16_encode(const nr_image *img, nr_bytes *out, char *err, size_t err_size);

#endif
