/*
 * libnativeres native-resolution estimator: per-axis least-squares
 * residuals over candidate sizes and kernels, a verdict, and voting across
 * frames. (Owned by the estimator work; entry points below are the
 * contract the CLI and the mpv plugin use.)
 */
#ifndef NATIVERES_ESTIMATE_H
#define NATIVERES_ESTIMATE_H

#include "nativeres.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nr_verdict {
    NR_VERDICT_UNSURE,    /* not enough information: do nothing */
    NR_VERDICT_NATIVE,    /* no sign of an upscale: never descale */
    NR_VERDICT_UPSCALED,  /* upscaled from scale.native_w x native_h */
} nr_verdict;

const char *nr_verdict_name(nr_verdict v);   /* "unsure" "native" "upscaled" */

typedef struct nr_estimate_opts {
    double min_height, max_height, height_step; /* 0 = scaled defaults (500..1000 step 1 at 1080 lines) */
    const nr_kernel *kernels;                   /* NULL = bilinear catrom mitchell bicubicsharp lanczos3 spline36 */
    int num_kernels;
    bool fractional;       /* refine to 0.25 px (default true) */
    bool refine_bicubic;   /* try getnative's b/c set once a height is found (default true) */
    bool crop_bars;        /* find and crop letterbox / pillarbox bars (default true) */
} nr_estimate_opts;

void nr_estimate_opts_default(nr_estimate_opts *o);

typedef struct nr_candidate {
    double size;        /* height (or width), possibly fractional */
    nr_kernel kernel;
    double error;       /* residual at that size */
    double score;       /* dip depth against neighbours; larger = clearer */
} nr_candidate;

typedef struct nr_curve {
    nr_kernel kernel;
    int count;
    double *sizes;      /* candidate sizes */
    double *errors;     /* residual per size */
} nr_curve;

#define NR_MAX_CANDIDATES 8

typedef struct nr_estimate {
    nr_verdict verdict;
    double confidence;              /* 0..1 */
    nr_scale scale;                 /* the descale to apply when upscaled */
    int crop_x, crop_y, crop_w, crop_h;  /* analysed area after bar removal */
    nr_candidate height_candidates[NR_MAX_CANDIDATES];
    int num_height_candidates;
    nr_candidate width_candidates[NR_MAX_CANDIDATES];
    int num_width_candidates;
    nr_curve *height_curves;        /* one per kernel swept */
    int num_height_curves;
    nr_curve *width_curves;
    int num_width_curves;
    char reason[160];               /* why unsure / native, for logs */
} nr_estimate;

/* Estimates one luma plane with values in [0,1]. 0 on success (any
 * verdict), -1 on unusable arguments (with a reason). */
int nr_estimate_plane(const float *luma, ptrdiff_t stride, int w, int h,
                      const nr_estimate_opts *o, nr_estimate *out,
                      char *err, size_t err_size);
void nr_estimate_free(nr_estimate *e);

/* Voting across frames of one scene (or a whole file). */
typedef struct nr_vote nr_vote;
nr_vote *nr_vote_new(void);
void nr_vote_add(nr_vote *v, const nr_estimate *e);
/* The combined verdict; curves are not filled. */
void nr_vote_result(const nr_vote *v, nr_estimate *out);
void nr_vote_reset(nr_vote *v);
void nr_vote_free(nr_vote *v);

#ifdef __cplusplus
}
#endif

#endif
