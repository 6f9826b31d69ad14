/*
 * CPU models of mpv's cscale filters for chroma upsampling on the chroma
 * grid of nativeres_chroma.h (same sample positions): separable kernels
 * (bilinear, spline36, ...) and ewa_lanczos (jinc windowed by jinc, radius
 * 3.2383, as mpv defines it). Used to explore; the benchmark renders the
 * real mpv filters.
 */
#ifndef NR_CPU_CSCALE_H
#define NR_CPU_CSCALE_H

#include "nativeres_chroma.h"

#include <stdbool.h>

/* kernel: a libnativeres kernel name, or "ewa_lanczos". */
bool cpu_cscale(const char *kernel, const nr_chroma_params *p, const float *c, int cw, int ch,
                float *out, int gw, int gh);

#endif
