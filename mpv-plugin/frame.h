/*
 * Grabbed frames: mpv's `screenshot-raw video` gives bgr0 bytes at source
 * size, after mpv's conversion to RGB (limited-range video arrives as
 * full-range RGB). The estimator wants the video's luma in [0,1]: the
 * matrix's weights give it back, and for 8-bit limited-range video (nearly
 * every Blu-ray and web release) the coded value itself (np_luma_coding).
 * A tiny thumbnail of each grab tells scene changes apart cheaply.
 */
#ifndef NP_FRAME_H
#define NP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NP_THUMB_W 32
#define NP_THUMB_H 18

/* Checks that a w x h bgr0 image with this stride fits in size bytes. */
int np_bgr0_check(int w, int h, ptrdiff_t stride, size_t size);
/* How the video's luma was coded (video-params): the grab is turned back
 * into it. */
typedef struct np_luma_coding {
    float kr, kb;     /* the matrix's luma weights (kg = 1 - kr - kb) */
    bool limited8;    /* 8-bit limited range: the grab's luma lies within
                         0.43 of a code value (RGB rounding only), so the
                         code is recovered exactly */
} np_luma_coding;

/* From mpv's video-params/colormatrix, colorlevels and pixelformat (any may
 * be NULL): unknown matrices and RGB video keep BT.709 weights, unsnapped. */
void np_luma_coding_from_params(np_luma_coding *c, const char *matrix, const char *levels,
                                const char *pixfmt);
/* out: w*h floats, stride w. With c->limited8, the coded luma ((Y - 16) /
 * 219) when the grab bears it out (97% of the pixels within 0.43 of a code:
 * a wrong matrix leaves 86%), else the full-range luma; returns whether it
 * snapped. c NULL: BT.709, unsnapped. */
bool np_bgr0_to_luma(const uint8_t *bgr0, int w, int h, ptrdiff_t stride,
                     const np_luma_coding *c, float *out);
/* Box-averaged luma thumbnail (sparse sampling: a few thousand pixels). */
void np_bgr0_thumbnail(const uint8_t *bgr0, int w, int h, ptrdiff_t stride,
                       float thumb[NP_THUMB_W * NP_THUMB_H]);
/* Mean absolute difference of two thumbnails, in [0,1]. */
double np_thumb_distance(const float *a, const float *b);

#endif
