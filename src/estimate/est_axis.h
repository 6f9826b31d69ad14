/* One axis of the estimate (see est_axis.c). */
#ifndef NR_EST_AXIS_H
#define NR_EST_AXIS_H

#include "est_internal.h"

#define EST_TOP 3       /* sweep dips re-measured on more lines */
#define EST_MAX_BC 9    /* bicubic b/c pairs tried at the winning size */
#define EST_MAX_EXTRA 4
#define EST_MAX_KERNELS 16

typedef struct est_axis_params {
    const float *plane;      /* the crop */
    ptrdiff_t stride;
    int w, h;
    int vertical;            /* 1: height (columns), 0: width (rows) */
    double min_size, max_size, step;
    const est_lut *luts;     /* swept kernels */
    int num_kernels;
    const est_lut *bc_luts;  /* b/c refinement set */
    int num_bc;
    bool fractional;
    double noise_sigma;
    int coarse_bands, coarse_lanes, fine_bands, fine_lanes, band_len;
    int roi[4];              /* x, y, w, h the lines come from (w 0: all the plane) */
    double extra_sizes[EST_MAX_EXTRA];
    int num_extra;
    double refine_below;     /* b/c refinement only for dips clearer than this */
    double hint;             /* > 0: also re-measure around this size (from the other axis) */
    double codec_discount;   /* < 1: a dip at a size lined up with the codec's blocks
                              * counts as its ratio divided by this (0: 1) */
    bool coarse_only;        /* stop after the coarse sweep (curves, kept for `pre`) */
    struct est_axis *pre;    /* its coarse sweep, made by a coarse_only run of the same
                              * axis and parameters: taken over, not repeated */
    /* the other axis's coarse curves (may be NULL): the size where both
     * axes dip together (this axis' size x cross_scale there) is
     * re-measured too */
    const nr_curve *cross;
    int cross_count;
    double cross_scale;
} est_axis_params;

typedef struct est_axis {
    /* a coarse_only run's state for the run that takes it over */
    est_detail detail;
    double clear;
    int swept_blocks, full;
    int valid;               /* a best size was measured */
    double size;             /* best size (fractional when refined) */
    nr_kernel kernel;        /* best kernel */
    double error;            /* its normalised error */
    double ratio;            /* error / neighbours' median: small = clear dip */
    double raw_ratio;        /* the same before the codec discount (any dip at all) */
    double agreement;        /* fraction of blocks that dip at the best size */
    double noise;            /* the ratio noise alone would leave at a true size */
    double valid_fraction;   /* blocks with enough structure */
    double extra_errors[EST_MAX_EXTRA];   /* ratios of the extra sizes */
    double kernel_scores[EST_MAX_KERNELS]; /* per scored kernel at `size`: lower = better */
    int kernel_index;        /* the kernel with the best score (before b/c refinement) */
    int num_scored;          /* kernels with a score: the swept ones, maybe the b/c set too */
    nr_candidate candidates[NR_MAX_CANDIDATES];
    int num_candidates;
    nr_curve *curves;        /* coarse sweep, one per kernel */
    int num_curves;
    char reason[96];
} est_axis;

int est_axis_run(est_axis *out, const est_axis_params *p, est_work *w);
void est_axis_free(est_axis *a);
void est_axis_add_candidate(est_axis *a, const nr_candidate *c);

#endif
