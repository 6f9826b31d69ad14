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
    bool crop_grid_only;   /* bars found: measure on the crop's grid only, not also the
                            * whole frame's (default false; pools need one grid) */
    bool whole_grid;       /* bars found: measure on the whole frame's grid anyway, lines
                            * from the content between them (a scene whose bars move: they
                            * are part of the picture; see nr_pool_add_plane) */
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
    double *dips;       /* per size: error / the mean of the medians of its
                         * neighbours 2..10 steps below and above (1 = no
                         * dip, small = clear dip; NAN near the ends); NULL
                         * when not computed. The measure pooled verdicts use. */
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
    double codec_grid[2];           /* height, width axis: the share of its energy the
                                     * last DCT coefficient keeps on a block codec's
                                     * 8-sample grid (1: no block codec seen); dips at
                                     * sizes lined up with that grid count less */
    char reason[160];               /* why unsure / native, for logs */
} nr_estimate;

/* Estimates one luma plane with values in [0,1]. 0 on success (any
 * verdict), -1 on unusable arguments (with a reason). A letterboxed
 * picture (bars found) is measured on two grids, its crop's (content
 * upscaled alone) and the whole frame's (upscaled whole, bars added after;
 * lines from the content only); the clearer upscale wins, and crop_* is
 * the whole frame when the whole frame's grid did. */
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

/* ------------------------------------------------------------------ */
/* Pooling evidence across the frames of one scene                      */
/*
 * Contract (stable; later changes are additive only):
 *  - A pool accumulates, over the frames of one scene, every frame's
 *    per-candidate residual curves (per kernel, both axes; each frame's
 *    curve is normalised per block, so frames weigh alike) and decides on
 *    the pooled curves: a dip too shallow to trust in one compressed frame
 *    becomes decisive over several, the chance dips of native frames
 *    average away. A height needs the pooled dip AND at least half of the
 *    measured frames dipping there (no scene is decided by a minority).
 *  - nr_pool_add_plane estimates the plane (as nr_estimate_plane, but a
 *    letterboxed picture on its crop's grid only, crop_grid_only, so that
 *    every frame of the pool is measured on one grid) and adds it; callers
 *    of nr_pool_add set crop_grid_only for the same reason. When scene-cut detection is on (default), a frame that differs
 *    from the previous one as a different shot does (nr_scene_difference >=
 *    NR_SCENE_CUT; pans, fades and motion within a shot stay below) first
 *    resets the pool; it then returns 1. A change of picture size also
 *    starts a new scene (returns 1). Bars that move within a scene (a
 *    frame's bars found elsewhere than the pool's) are part of the
 *    picture: from that frame on the scene is measured on the whole
 *    frame's grid (lines still from the content between the bars), the
 *    evidence measured on crops is dropped, and it returns 1. Else 0; -1
 *    on bad arguments (reason in err). frame_out (may be NULL) receives
 *    the frame's own estimate with its curves: free it with
 *    nr_estimate_free.
 *  - nr_pool_add adds an estimate made elsewhere (with its curves, from
 *    nr_estimate_plane with the same options); no cut detection.
 *  - nr_pool_result: the pooled verdict (UNSURE until the evidence
 *    suffices; NATIVE when enough frames were measured and the pooled
 *    curves have no dip; UPSCALED with scale, kernel and confidence),
 *    candidates from the pooled curves, and the pooled height / width
 *    curves (errors = mean normalised residual, dips = the dip measure the
 *    decision uses). Free it with nr_estimate_free. Call it as often as
 *    wanted (it is cheap: no fitting).
 *  - A pool is not thread-safe; one pool per scene timeline.
 */
typedef struct nr_pool nr_pool;

/* opts may be NULL (defaults); copied (the kernel list too). */
nr_pool *nr_pool_new(const nr_estimate_opts *opts);
int nr_pool_add_plane(nr_pool *p, const float *luma, ptrdiff_t stride, int w, int h,
                      nr_estimate *frame_out, char *err, size_t err_size);
int nr_pool_add(nr_pool *p, const nr_estimate *frame);
/* True when adding this plane would start a new scene (a cut against the
 * last added plane, or another picture size) while the pool holds frames:
 * a caller that keeps a scene timeline takes nr_pool_result and resets
 * before adding it. Changes nothing. */
bool nr_pool_cut_before(const nr_pool *p, const float *luma, ptrdiff_t stride, int w, int h);
int nr_pool_result(const nr_pool *p, nr_estimate *out);
/* Checks an answer known from elsewhere (an earlier scene of the same
 * file, a cached result) against this scene's pooled evidence. A blind
 * search weighs every size of the sweep and must stand a native picture's
 * deepest chance dip among hundreds; one given size is only asked whether
 * both axes dip there, so a shallower dip suffices (still stricter at
 * sizes lined up with a block codec's grid, as nr_pool_result is). out is
 * nr_pool_result's answer, except that an UNSURE scene whose pooled dips
 * at `known` (height and width, any swept kernel) pass the test and at
 * least half of whose frames dip there becomes UPSCALED with known's
 * scale and kernel (its reason says "confirms"). A scene the pool calls
 * native or upscaled keeps that answer. Returns 1 when confirmed, 0 when
 * not, -1 on bad arguments. */
int nr_pool_confirm(const nr_pool *p, const nr_scale *known, nr_estimate *out);
int nr_pool_frames(const nr_pool *p);     /* frames added since the last reset */
int nr_pool_measured(const nr_pool *p);   /* of those, frames that had curves */
void nr_pool_reset(nr_pool *p);
void nr_pool_set_scene_cuts(nr_pool *p, bool detect);
double nr_pool_last_difference(const nr_pool *p);   /* of the last added plane; -1 none */
void nr_pool_free(nr_pool *p);

/* Scene-cut measure. A signature is a small brightness- and
 * contrast-normalised thumbnail of the plane; the difference of two is 1
 * minus their best correlation over small shifts (0 = same shot, up to 2),
 * so pans, fades and motion within a shot stay low and cuts score high. A
 * flat plane (black) has a flat signature: against a picture it counts as
 * a cut, against another flat one as none. */
#define NR_SCENE_SIG_W 48
#define NR_SCENE_SIG_H 27
#define NR_SCENE_SIG_SIZE (NR_SCENE_SIG_W * NR_SCENE_SIG_H + 1)
#define NR_SCENE_CUT 0.5
void nr_scene_signature(const float *luma, ptrdiff_t stride, int w, int h,
                        float sig[NR_SCENE_SIG_SIZE]);
double nr_scene_difference(const float *a_sig, const float *b_sig);

#ifdef __cplusplus
}
#endif

#endif
