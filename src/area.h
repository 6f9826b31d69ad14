/*
 * Area-coverage footprints along one axis: output sample j is the average of
 * the input over an interval [lo_j, hi_j) (input pixel k covers [k, k+1)),
 * each input pixel weighted by the length of its overlap with the interval.
 * Indices past the plane are clamped (edge pixels repeated). Shared by the
 * chroma guide (luma averaged over each chroma sample's footprint) and DPID
 * (box-downscaled guide, fractional footprints).
 */
#ifndef NR_AREA_H
#define NR_AREA_H

#include <stddef.h>

typedef struct nr_area_axis {
    int out_size, in_size;
    int taps;           /* weights per output sample (common, zero padded) */
    int *first;         /* out_size: first input index (may be < 0 or past the end: clamp) */
    float *w;           /* out_size * taps coverage weights, each row sums to 1 */
} nr_area_axis;

/* Footprint j = [centre_j - width/2, centre_j + width/2) with
 * centre_j = (j + 0.5 + shift) * width, width = in_size / out_size
 * (a plain area downscale for shift 0). -1 on bad sizes / no memory. */
int nr_area_axis_build(nr_area_axis *ax, int in_size, int out_size, double shift);
void nr_area_axis_free(nr_area_axis *ax);

/* Separable area average of a plane: src (in_w x in_h) -> dst (out_w x out_h). */
int nr_area_apply(const nr_area_axis *h, const nr_area_axis *v,
                  const float *src, ptrdiff_t src_stride,
                  float *dst, ptrdiff_t dst_stride);

#endif
