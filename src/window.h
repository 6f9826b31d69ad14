/*
 * Separable resampling of one output sample from a window of input taps,
 * indices past the plane clamped (edge pixels repeated), and the
 * Catmull-Rom kernel. Shared by the CPU references that interpolate with
 * Catmull-Rom: chroma (nr_chroma_interpolate's base), the hq upscaler's
 * final resample and the rescale chain's source resample; and the hq
 * chain's final resample kernel.
 */
#ifndef NR_WINDOW_H
#define NR_WINDOW_H

#include <stddef.h>

/* sum_j wy[j] * sum_i wx[i] * src[y0 + j][x0 + i], rows summed first; src
 * is w x h with row stride `stride`. */
double nr_window_sum(const float *src, ptrdiff_t stride, int w, int h,
                     int x0, const double *wx, int nx, int y0, const double *wy, int ny);

/* The Catmull-Rom kernel (bicubic B = 0, C = 0.5) at distance d. */
double nr_catrom_kernel(double d);

/* The hq chain's final resample of its 2x plane (nr_upscaler_resample,
 * nr_rescale_resample_fine, and the passes that mirror them): spline36 when
 * enlarging (widen <= 1), Catmull-Rom widened by `widen` when shrinking.
 * Weight of a tap at distance d (2x-grid pixels), and the tap radius R
 * (2R taps per axis) that covers it. */
double nr_chain_resample_weight(double d, double widen);
int nr_chain_resample_radius(double widen);

#endif
