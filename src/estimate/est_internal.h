/*
 * Internal pieces of the native-resolution estimator.
 *
 * Vocabulary:
 *  - axis: the vertical axis (lines are image columns, gives the height) or
 *    the horizontal one (lines are rows, gives the width); M samples long.
 *  - band: a stretch [start, start + len) of the axis. The least-squares
 *    fit of an upscale is local (the pseudo-inverse decays exponentially),
 *    so a band is fitted on its own: a true upscale fits a band exactly,
 *    and one factorisation per (candidate, band) serves every line in it.
 *  - lane: one line inside a band (a column for the vertical axis). Lanes
 *    are processed EST_LANES at a time, vectorised across lanes.
 *  - block: (band, lane); the unit whose residual energy is normalised,
 *    so that a native overlay spoils only its own blocks.
 *  - candidate: a native size on an axis (possibly fractional, through the
 *    fractional window rule) and a kernel.
 */
#ifndef NR_EST_INTERNAL_H
#define NR_EST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "nativeres_estimate.h"

#define EST_LANES 16          /* lanes per vector chunk */
#define EST_MARGIN 10         /* bands keep this far from the axis ends */
#define EST_MAX_FS 8          /* widest kernel footprint swept (lanczos4) */

/* ---------------------------------------------------------------- */
/* kernel tables (est_kernel_lut.c)                                  */

typedef struct est_lut {
    nr_kernel kernel;
    int fs;              /* taps per row: 2 * support */
    double radius;       /* support in samples (blur applied) */
    double res;          /* table entries per unit distance */
    int size;
    float *v;            /* K(d / blur) for d = i / res, i < size (+1 guard) */
} est_lut;

int est_lut_init(est_lut *lut, const nr_kernel *k);
void est_lut_free(est_lut *lut);

/* ---------------------------------------------------------------- */
/* lines data (est_lines.c)                                          */

typedef struct est_band {
    int start, len;      /* along the axis */
    int lanes;           /* multiple of EST_LANES */
    float *data;         /* [chunk][len][EST_LANES] */
    int *lane_pos;       /* lane coordinate across the axis (for debugging) */
} est_band;

typedef struct est_lines {
    int full;            /* M: axis length */
    int num_bands;
    est_band *bands;
    int num_blocks;      /* sum of lanes */
} est_lines;

/* The per-band, per-lane detail map of an axis, kept between picks. */
typedef struct est_detail {
    float *detail;
    int len, full, cross, vertical, first;
} est_detail;
void est_detail_free(est_detail *d);

/* Picks bands and lanes rich in detail along an axis of the plane and
 * copies them out. vertical: lines are columns. roi (x, y, w, h; NULL:
 * the whole plane) limits where the lines come from, not the axis: a
 * picture upscaled whole and letterboxed after keeps the whole frame's
 * grid, but only its content is worth fitting. cache (may be NULL, else
 * zeroed or filled by an earlier pick of the same plane and axis) keeps
 * the detail map for the next pick. Returns -1 on allocation failure; 0
 * with num_bands == 0 when the crop is too small. */
int est_lines_pick(est_lines *out, const float *p, ptrdiff_t stride, int w, int h,
                   int vertical, int max_bands, int lanes_per_band, int band_len,
                   const int *roi, est_detail *cache);
void est_lines_free(est_lines *l);

/* ---------------------------------------------------------------- */
/* frame statistics and bars (est_frame.c)                           */

typedef struct est_frame_stats {
    double mean, p01, p99;     /* luma level and spread */
    double noise_sigma;        /* robust white-noise estimate */
    double detail;             /* fraction of pixels with visible structure */
} est_frame_stats;

/* Finds letterbox / pillarbox bars: the content rectangle. */
void est_find_bars(const float *p, ptrdiff_t stride, int w, int h,
                   int *x, int *y, int *cw, int *ch);
void est_frame_stats_compute(const float *p, ptrdiff_t stride, int w, int h,
                             est_frame_stats *st);

/* ---------------------------------------------------------------- */
/* the codec's block grid (est_codec_grid.c)                         */

/* How much a block codec thinned the highest frequencies on its 8-sample
 * grid along an axis (vertical: along columns): the energy of the 8-point
 * DCT's last coefficient in blocks on the grid of the coded frame against
 * blocks half a block off it, at most 1. About 1 for a picture no block
 * codec touched; a codec that quantised that coefficient away leaves it
 * well under 1. The plane is the whole coded frame (the grid starts at
 * its corner). */
double est_codec_grid(const float *p, ptrdiff_t stride, int w, int h, int vertical);

/* True when the upscale grid of `size` on an axis of `full` samples
 * repeats with a period dividing the codecs' 8-sample blocks (540, 675,
 * 810, 945 of 1080; 960, 1440, 1680 of 1920): such a model lines up
 * with the blocks, and what the codec quantised away looks to it like the
 * missing detail of an upscale. */
bool est_codec_aligned(int full, double size);
/* An aligned size within `within` samples of `size`: a codec's false dip
 * spreads to the sizes next to it (one sample in a frame; two over the
 * frames of a pan, which shifts the picture against the blocks), and a
 * pair of dips half a step off shares it. */
bool est_codec_near(int full, double size, double within);
/* HEVC's 16- and 32-sample transforms: a size within `within` samples of
 * k/32 of the axis (k not a multiple of 4, so no 8-block size) lines up
 * with them (978.75 and 1740 = 29/32 of 1080 and 1920: x265 CRF 18 left
 * false dips of 0.5-0.8 there). Returns the size lined up with the 8-blocks
 * nearest to it (a codec's false dips are deeper there, the 4/4 of every
 * block codec's transforms), else 0. */
double est_codec_near_wide(int full, double size, double within);
/* At a size lined up with the codec's blocks on a coded frame, after the
 * discount: the height's dip must be under EST_ALIGNED_ONE and its product
 * with the width's under EST_ALIGNED_PRODUCT, in one frame (estimate.c)
 * as in a pool (pool.c). */
#define EST_ALIGNED_ONE 0.6
#define EST_ALIGNED_PRODUCT 0.45

/* ---------------------------------------------------------------- */
/* residual of a candidate (est_residual.c)                          */

typedef struct est_candidate {
    double size;         /* native size, possibly fractional */
    int kernel_index;    /* into the sweep's LUT array */
} est_candidate;

/* Workspace for one thread of residual evaluation. */
typedef struct est_work est_work;
est_work *est_work_new(int max_len);
void est_work_free(est_work *w);

/* Residual energy (sum of squares per block, in block order of `lines`)
 * of fitting every block with the upscale model of native size `size`
 * (window rule for fractional sizes) and the kernel of `lut`. out has
 * lines->num_blocks entries. Returns -1 when the band cannot be fitted
 * (size too small for the band); out is then filled with -1. */
int est_residual(est_work *w, const est_lines *lines, const est_lut *lut,
                 double size, float *out);
/* The same for num_sizes sizes at once (faster: their factorisations
 * overlap); out holds num_sizes x lines->num_blocks entries. */
int est_residual_sizes(est_work *w, const est_lines *lines, const est_lut *lut,
                       const double *sizes, int num_sizes, float *out);

/* The window of a native size: integer sizes use the default window,
 * fractional ones the smallest even grid >= size, centred. */
void est_size_window(double size, int *native, double *start, double *active);

/* ---------------------------------------------------------------- */
/* pooling (pool.c)                                                  */

/* Fills c->dips (the dip measure per size) when absent. */
void est_curve_fill_dips(nr_curve *c);

/* nr_estimate_plane on the whole frame's grid only: bars found, the lines
 * still come from the content between them, but the sizes are those of
 * the whole frame (the frame was upscaled whole); crop_* is the whole
 * frame (estimate.c). */
int est_estimate_plane_whole(const float *luma, ptrdiff_t stride, int w, int h,
                             const nr_estimate_opts *o, nr_estimate *out,
                             char *err, size_t err_size);

#endif
