/*
 * Grabbed frames: mpv's `screenshot-raw video` gives bgr0 bytes at source
 * size, after mpv's conversion to RGB (limited-range video arrives as
 * full-range RGB). The estimator wants luma in [0,1]: BT.709 weights.
 * A tiny thumbnail of each grab tells scene changes apart cheaply.
 */
#ifndef NP_FRAME_H
#define NP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define NP_THUMB_W 32
#define NP_THUMB_H 18

/* Checks that a w x h bgr0 image with this stride fits in size bytes. */
int np_bgr0_check(int w, int h, ptrdiff_t stride, size_t size);
/* out: w*h floats, stride w. */
void np_bgr0_to_luma(const uint8_t *bgr0, int w, int h, ptrdiff_t stride, float *out);
/* Box-averaged luma thumbnail (sparse sampling: a few thousand pixels). */
void np_bgr0_thumbnail(const uint8_t *bgr0, int w, int h, ptrdiff_t stride,
                       float thumb[NP_THUMB_W * NP_THUMB_H]);
/* Mean absolute difference of two thumbnails, in [0,1]. */
double np_thumb_distance(const float *a, const float *b);

#endif
