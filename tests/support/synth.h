/*
 * synth — procedural anime-like frames for tests, demos and benchmarks.
 *
 * A frame is a deterministic function of (seed, options, time): a gradient
 * sky, flat-filled shapes (ellipses, rounded boxes) with optional shading
 * gradients and anti-aliased dark outlines of varying width, hair-like
 * curved strokes, hatched areas, rows of small text-like glyphs and
 * optional film grain.
 *
 * The scene is laid out in normalised coordinates, so the same seed drawn
 * at 1280x720 and at 1920x1080 shows the same picture; line widths, glyph
 * sizes and hatching pitch are in pixels of the render (what a studio
 * draws at its native resolution). Rendering is analytic anti-aliasing
 * (signed distances / exact box coverage), no supersampling.
 *
 * Values are in [0,1] (grain may reach slightly past, then is clipped).
 */
#ifndef NR_TESTS_SYNTH_H
#define NR_TESTS_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct synth_opts {
    int shapes;            /* filled, outlined shapes (default 28) */
    int strokes;           /* hair-like curved strokes (default 14) */
    double line_min;       /* outline width range, pixels of the render */
    double line_max;       /*   (defaults 1.2 .. 3.5) */
    bool gradients;        /* shading gradients inside fills (default true) */
    bool hatching;         /* hatched areas (default true) */
    bool text;             /* rows of small glyphs (default true) */
    double glyph_px;       /* glyph height in pixels (default 12) */
    double grain;          /* std dev of additive Gaussian grain (default 0) */
    double time;           /* animation time: shapes drift (default 0) */
    double brightness;     /* multiplies the picture (default 1; < 0.2 = dark scene) */
    double contrast;       /* 1 = normal; small = washed out, flat (default 1) */
} synth_opts;

void synth_opts_default(synth_opts *o);

/* Renders one frame into dst (w x h floats, stride in elements). */
void synth_frame(float *dst, int w, int h, ptrdiff_t stride, uint64_t seed,
                 const synth_opts *o);

/* Only text-like content (white page, dark glyph rows, UI boxes with 1 px
 * borders): "screen content" rendered natively at w x h. */
void synth_screen(float *dst, int w, int h, ptrdiff_t stride, uint64_t seed);

/* Uniform white noise in [0,1]. */
void synth_noise(float *dst, int w, int h, ptrdiff_t stride, uint64_t seed);

/* Box-filter downscale by an integer factor f (w, h multiples of f):
 * dst is (w/f) x (h/f). A conventional downscale for "native" negatives. */
void synth_downscale_box(const float *src, int w, int h, ptrdiff_t src_stride,
                         int f, float *dst, ptrdiff_t dst_stride);

/* Rounds to 8 bit and back (value = round(v*255)/255, clipped). */
void synth_quantize8(float *p, int w, int h, ptrdiff_t stride);

/* Deterministic pseudo-random numbers (splitmix64). */
uint64_t synth_rand_u64(uint64_t *state);
double synth_rand_unit(uint64_t *state);     /* [0, 1) */
double synth_rand_gauss(uint64_t *state);    /* N(0, 1) */

#endif
