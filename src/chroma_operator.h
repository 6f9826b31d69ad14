/*
 * Internal: the operator that made each coded chroma sample from the plane
 * the chroma is brought to (the guide), along one axis, as rows of weights
 * over guide pixels (the layout of nr_area_axis: nr_area_apply applies it).
 *  - By default, the sample's footprint on the guide (area coverage at its
 *    siting): exact when the guide is the coded frame's own grid.
 *  - With the studio's kernel, where the guide is smaller than the coded
 *    frame (a descaled native plane): the sample is the footprint average,
 *    on the coded grid (full = 2x chroma, 4:2:0), of the guide upscaled by
 *    the studio (nr_matrix_build: mirrored edges, default window). The
 *    back-projection then goes through the operator that really made the
 *    samples: bench/restore/chroma_exact_bp.py measured +0.20 dB mean over
 *    the footprint on six real frames, without luma guidance.
 */
#ifndef NR_CHROMA_OPERATOR_H
#define NR_CHROMA_OPERATOR_H

#include "area.h"
#include "nativeres.h"

/* True when the studio operator applies along an axis of guide pixels
 * against a coded frame of full pixels (the guide is smaller). */
static inline int nr_chroma_operator_exact(const nr_kernel *studio, int guide, int full)
{
    return studio && guide < full;
}

/* Rows for chroma samples 0 .. chroma-1 over guide pixels; shift in chroma
 * pixels (nr_chroma_grid). -1 on bad sizes / no memory. */
int nr_chroma_operator_axis(nr_area_axis *ax, const nr_kernel *studio, int guide, int full,
                            int chroma, double shift);

#endif
