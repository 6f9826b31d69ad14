/*
 * Internal to libnativeres: the geometry and the small resamplers of the
 * rescale chain, shared by the CPU reference (src/rescale/) and the GLSL
 * writer (src/glsl/rescale.c) so both compute exactly the same thing.
 */
#ifndef NR_RESCALE_INTERNAL_H
#define NR_RESCALE_INTERNAL_H

#include "nativeres_rescale.h"

/* Mask cells are 2x2 native pixels: the mask is smooth (grown and
 * feathered), so a coarser grid costs nothing visible and makes the grow
 * passes 4x cheaper. */
#define NR_MASK_CELL 2
#define NR_MASK_MAX_RADIUS 32   /* cells; bounds the grow loops */

typedef struct nr_mask_geometry {
    int sw, sh;          /* source (full) size */
    int nw, nh;          /* native size */
    int cw, ch;          /* cells */
    int span_x, span_y;  /* most source pixels a cell covers per axis */
    int rx, ry;          /* grow + feather radius in cells per axis */
    float wx[NR_MASK_MAX_RADIUS + 1], wy[NR_MASK_MAX_RADIUS + 1]; /* weight by cell distance */
    double t_lo, t_hi;   /* soft threshold: m0 = clamp((e - t_lo) / (t_hi - t_lo), 0, 1) */
    /* Seeds (hysteresis): the same soft threshold at NR_MASK_SEED times the
     * levels, grown flat (weight 1) over sx, sy cells; the mask is
     * min(grown m0, grown seed): weak errors count only near strong ones.
     * Text edges are far above the seed level; the scattered errors of a
     * lossy encode around lineart rarely reach it. */
    int sx, sy;
    double s_lo, s_hi;
} nr_mask_geometry;

#define NR_MASK_SEED 2.0
#define NR_MASK_SEED_MARGIN 2   /* seed radius: the grow + feather radius + this many cells
                                   (810p catrom credits, text p99: bench frame 0.26/255,
                                   test frame 0.87; with 1: 0.66 and 4.26 (fails), with 0:
                                   2.1 on the bench frame; fast costs 1.27-1.32x its descale
                                   passes with 2, 1.25-1.27x with 1) */

void nr_mask_geometry_init(nr_mask_geometry *g, const nr_scale *s, const nr_rescale_mask_opts *m);

/* The cell (along one axis) of source pixel i: floor((2i+1) * native /
 * (2 * NR_MASK_CELL * full)), in integers, clamped to the last cell. */
int nr_mask_cell_of(int i, int full, int native, int cells);
/* The first source pixel of cell X: the smallest i with cell_of(i) >= X. */
int nr_mask_cell_first(int X, int full, int native);

/* Mask value at the centre of output pixel (ox, oy) of an out_w x out_h
 * grid covering the frame: bilinear between cell centres, edges clamped. */
float nr_mask_sample(const nr_mask_geometry *g, const float *cells, int ox, int oy,
                     int out_w, int out_h);

/* Descale, re-upscale, soft threshold, cells (CPU). *cells_out receives
 * g->cw x g->ch values, *x_out (if not NULL) the descaled plane; malloc'd. */
int nr_rescale_mask_cells(const nr_scale *s, const nr_rescale_mask_opts *mo,
                          const float *src, ptrdiff_t stride, nr_mask_geometry *g,
                          float **cells_out, float **x_out);

/* Pixel values in [0,1] of the soft threshold. */
static inline float nr_mask_soft(const nr_mask_geometry *g, double e)
{
    double m = (e - g->t_lo) / (g->t_hi - g->t_lo);
    return (float)(m < 0 ? 0 : m > 1 ? 1 : m);
}

static inline float nr_mask_seed(const nr_mask_geometry *g, double e)
{
    double m = (e - g->s_lo) / (g->s_hi - g->s_lo);
    return (float)(m < 0 ? 0 : m > 1 ? 1 : m);
}

/* Upscale of a native plane (nw x nh, with the scale's window) to
 * out_w x out_h with a balanced upscaler: per axis, kernel weights at
 * c = (k + 0.5) * win_size / out + win_start - 0.5, taps floor(c) - R + 1
 * .. floor(c) + R (R = kernel support), normalised, indices clamped; then
 * the anti-ringing clamp towards [min, max] of taps floor(c), floor(c)+1. */
int nr_rescale_upscale_plane(const nr_scale *s, const nr_rescale_upscaler *u,
                             const float *x, int nw, int nh,
                             float *dst, ptrdiff_t dst_stride, int out_w, int out_h);

/* The source resampled to out_w x out_h with Catmull-Rom (4 taps per axis
 * at c = (k + 0.5) * full / out - 0.5; exactly the source at out = full). */
float nr_source_catrom(const float *src, ptrdiff_t stride, int sw, int sh,
                       int ox, int oy, int out_w, int out_h);

/* The source downscaled to native pixel (X, Y) with a triangle filter of
 * radius r = full / win_size source pixels per axis, centred on
 * f = (X + 0.5 - win_start) * r (source pixel i has centre i + 0.5),
 * taps floor(f - r) .. floor(f - r) + ceil(2r), normalised, clamped. */
float nr_source_triangle(const nr_scale *s, const float *src, ptrdiff_t stride, int X, int Y);

/* Radii as the shader loops need them. */
int nr_triangle_taps(int full, double win_size);

/* hq (learned): the 2x plane (fw x fh = 2 native, the learned upscaler's
 * output over the whole native plane) to out_w x out_h. Per axis, output
 * sample k sits at native position u = (k + 0.5) * win_size / out +
 * win_start, i.e. c = 2u on the 2x grid; nr_chain_resample_weight (spline36
 * enlarging, Catmull-Rom widened when shrinking) with
 * widen = max(1, 2 win_size / out), taps floor(c - 0.5) - R + 1 ..
 * floor(c - 0.5) + R with R = nr_fine_radius(widen), normalised, clamped.
 * (On a whole-plane window this is nr_upscaler_resample.) */
int nr_rescale_resample_fine(const nr_scale *s, const float *fine, int fw, int fh,
                             float *dst, ptrdiff_t dst_stride, int out_w, int out_h);
int nr_fine_radius(double widen);

/* Whether the hq step from the 2x grid to the output is DPID: the options
 * ask for it (hq_dpid), the preset is learned, the output is the source
 * size, no larger than 2x native, and the window is the whole native plane
 * (DPID maps plane to plane). */
bool nr_rescale_learned_dpid(const nr_scale *s, const nr_rescale_opts *o, int out_w, int out_h);

/* Whether hq's output of out_w x out_h comes from the learned 2x: on a
 * screen larger than the source on an axis, or with DPID at the source size
 * (nr_rescale_learned_dpid). At the source size (screens no larger than
 * the source) hq runs balanced's upscaler instead: the network's 2x grid is
 * then finer than the picture it has to match, and it sharpens lineart that
 * the source's own grid shows soft (bench-rescale, lanczos3 natives, 1x:
 * owarimonogatari 720p bilinear 46.79 dB against balanced's 51.50 and the
 * source's 47.14; the same on every real frame of the bench). */
bool nr_rescale_learned_runs(const nr_scale *s, const nr_rescale_opts *o, int out_w, int out_h);

/* The upscaler hq runs where the learned 2x does not (balanced's). */
const nr_rescale_upscaler *nr_rescale_hq_source_upscaler(void);

/* x (native plane) -> dst (out_w x out_h): learned 2x, then DPID or the
 * resample above. */
int nr_rescale_learned_upscale(const nr_scale *s, const nr_rescale_opts *o, const float *x,
                               float *dst, ptrdiff_t dst_stride, int out_w, int out_h);

/* Native window of an axis: start and size in native pixels. */
void nr_rescale_window(const nr_scale *s, bool horizontal, double *start, double *size);

#endif
