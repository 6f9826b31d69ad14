/*
 * Internal: a resampling kernel as a GLSL function `float NAME(float d)`
 * (d >= 0, in input pixels, blur applied inside), for shaders that build
 * a studio operator's weights at run time (the chroma hook's exact
 * back-projection). Lanczos by its formula; the piecewise-polynomial
 * kernels (bilinear, bicubic, splines) as one cubic per unit interval,
 * fitted to nr_kernel_eval (exact for them up to rounding).
 */
#ifndef NR_GLSL_KERNEL_EVAL_H
#define NR_GLSL_KERNEL_EVAL_H

#include "glsl_buf.h"
#include "nativeres.h"

/* The lanczos body after `d /= blur;` up to the closing brace: shared by
 * this writer and the rescale chain's nr_k. */
void nr_glsl_write_lanczos_tail(nr_glsl_buf *b, int taps);
/* 0, or -1 for a kernel without such a form (point, support > 4). */
int nr_glsl_write_kernel_eval(nr_glsl_buf *b, const char *name, const nr_kernel *k);

/* `float nr_chain_w(float d, float widen)`: the hq chain's final resample
 * weight, as nr_chain_resample_weight (spline36 enlarging, Catmull-Rom
 * widened when shrinking). */
void nr_glsl_write_chain_resample_weight(nr_glsl_buf *b);

/* Statements that leave `sum / (sx * sy)` = the resample of texture tex
 * (the 2x plane) at `vec2 c` (the output centre on tex's grid, in texels)
 * with `vec2 widen` (both in scope): nr_chain_w's weights over 2rx x 2ry
 * taps, by textureGather where the renderer has it, else by
 * `float reader(int i, int j)` (clamped to the plane). */
void nr_glsl_write_chain_resample_sum(nr_glsl_buf *b, const char *tex, const char *reader,
                                      int rx, int ry);

#endif
