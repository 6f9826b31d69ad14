/*
 * Pooling evidence across the frames of a scene (nativeres_estimate.h).
 *
 * Every frame's sweep curves (per kernel, both axes; each already the mean
 * over blocks of the block's residual divided by the block's own level)
 * are summed per size: the pooled curve is their mean, so the noise of a
 * compressed frame's curve shrinks with the square root of the frames and
 * a true upscale's dip, present in every frame, stays. The decision reads
 * the dip measure of the pooled curves (error against the median of the
 * neighbours 2..10 steps away, as a single frame does), and asks every
 * frame whether it dips there too: the scene needs at least half of its
 * measured frames behind the height (a single frame's chance dip, however
 * deep, cannot decide a scene).
 *
 * The pooled curves come from each frame's coarse sweep: a fixed grid of
 * sizes, the same for every frame of one picture size. The exact size
 * (quarter pixels) and the kernel come from the frames that agree with the
 * pooled height: the median of their own fractional sizes and the most
 * weighted kernel among them, else the pooled curve's. Where no frames
 * found the height, the pooled curves decide only if frames re-measured
 * it on 4x the lines (each frame's clearest sweep dips, its candidates)
 * and dipped clearly there.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "est_internal.h"

#define MAX_KERNELS 16
#define NEIGHBOURS 10
/* upscaled, jointly: both axes' pooled dips under POOL_JOINT where the
 * height points, their product under POOL_PRODUCT */
#define POOL_JOINT 0.86
#define POOL_PRODUCT 0.66
/* when more frames say native than found the height */
#define POOL_CONTESTED_PRODUCT 0.45
/* a height dip this clear needs no backing from the width */
#define POOL_ALONE 0.45
/* a frame supports a height when its own dip measure there is below this */
#define FRAME_SUPPORT 0.9
/* share of measured frames that must support the pooled height */
#define MIN_SUPPORT 0.5
/* native: no height dip standing out with both axes under this, nor one
 * this deep alone, over enough frames */
#define POOL_NATIVE_BOTH POOL_JOINT
#define POOL_NATIVE_ONE 0.7
#define NATIVE_MIN_FRAMES 3
/* a frame's own height this close to a pooled dip found it */
#define FOUND_WITHIN 2.0
/* frames that found a height on their own confirm it as a majority does:
 * no native clip of the real corpus had more than 2 frames find one height */
#define FOUND_CONFIRM 3
/* at a size lined up with the codec's blocks, frames that found it
 * confirm it only this many, a majority of fewer too: false 540s of the plugin's
 * densely sampled clips had 3 and 4 frames find them, true 540s 7 and 9 */
#define FOUND_ALIGNED 5
/* the pooled curves alone (no frame found the size): the product of both
 * axes' dips under this */
#define POOL_ALONE_PRODUCT 0.5
/* a frame's re-measured dip this clear backs the pooled curves */
#define FINE_DIP 0.7
/* frames before the pooled curves alone may say upscaled */
#define POOL_FRAMES 10
/* ...unless EARLY_FRAMES of them, every one re-measuring the size, pool a
 * dip this clear on both axes (product of the two, each standing this far
 * out of its scatter) */
#define EARLY_FRAMES 3
#define EARLY_PRODUCT 0.25
#define EARLY_Z (2.0 * Z_UPSCALED)
/* nor any dip deeper than this before the codec discount */
#define NATIVE_RAW 0.6
/* how far out of the scatter of the dip measure a dip must stand */
#define Z_UPSCALED 7.0
#define Z_NATIVE 5.5
/* a known answer (nr_pool_confirm): both axes' dips there under
 * CONFIRM_EACH, their product under CONFIRM_PRODUCT (after the codec
 * discount) */
#define CONFIRM_EACH 0.9
#define CONFIRM_PRODUCT 0.5
/* ...or, where the width has no evidence (too few blocks stand clear of
 * the noise), the height's alone under CONFIRM_ALONE */
#define CONFIRM_ALONE 0.5
#define MAX_RECORDS 256
#define MAX_MISMATCHED 3
#define MAX_CANDIDATES 32

typedef struct pool_axis {
    int count, nk;
    double first, step;          /* the size grid */
    double *sum;                 /* [k][count] */
    int *n;                      /* [k][count] */
    nr_kernel kernels[MAX_KERNELS];
    double codec_sum;            /* of the frames' codec_grid on this axis */
    int frames;                  /* frames pooled on this axis */
    int offset, length;          /* the analysed stretch of the axis (bars cropped) */
} pool_axis;

typedef struct frame_record {
    float *curves_h;             /* the frame's height curves [kernel][size] */
    nr_verdict verdict;
    double height;               /* when upscaled */
    nr_kernel kernel;
    double confidence;
    /* the frame's re-measured height dips (size, dip ratio): its clearest
     * sweep dips measured again on 4x the lines (est_axis.c) */
    float fine_size[NR_MAX_CANDIDATES], fine_ratio[NR_MAX_CANDIDATES];
    int num_fine;
} frame_record;

struct nr_pool {
    nr_estimate_opts opts;
    nr_kernel kernels[MAX_KERNELS];
    bool cuts;
    int frames, measured;
    int mismatched;              /* frames in a row whose analysed area differs */
    pool_axis axes[2];           /* 0 height, 1 width */
    frame_record *records;
    int num_records, cap_records;
    int full_w, full_h, crop_x, crop_y, crop_w, crop_h;
    float sig[NR_SCENE_SIG_SIZE];
    bool has_sig;
    double last_diff;
    bool whole;                  /* the scene's bars moved: frames measured whole */
};

/* insertion sort: the lists are short (<= 2 * NEIGHBOURS) and medians
 * are taken thousands of times per result */
static double median(double *v, int n)
{
    if (n <= 0)
        return 0;
    for (int i = 1; i < n; i++) {
        double x = v[i];
        int j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return n & 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The k-th smallest of v[0..n) (v is reordered): Hoare's selection, O(n);
 * the robust spread of a result takes the median of a few thousand dips
 * twice, where two full sorts were a tenth of the result's time. */
static double select_kth(double *v, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

/* median of v[0..n), n >= 1, without sorting (v is reordered) */
static double select_median(double *v, int n)
{
    double upper = select_kth(v, n, n / 2);
    if (n & 1)
        return upper;
    /* the lower middle: the largest of what selection left below n / 2 */
    double lower = v[0];
    for (int i = 1; i < n / 2; i++)
        lower = v[i] > lower ? v[i] : lower;
    return 0.5 * (lower + upper);
}

/* error at i against the median of its neighbours 2..NEIGHBOURS away */
static double dip_at(const double *c, int count, int i)
{
    double nb[2 * NEIGHBOURS];
    int n = 0;
    for (int d = 2; d <= NEIGHBOURS; d++) {
        if (i - d >= 0 && isfinite(c[i - d]))
            nb[n++] = c[i - d];
        if (i + d < count && isfinite(c[i + d]))
            nb[n++] = c[i + d];
    }
    if (n < 3 || !isfinite(c[i]))
        return NAN;
    double m = median(nb, n);
    return m > 0 ? c[i] / m : NAN;
}

/* The pooled dip measure: error at a (the lower of a pair when b = a + 1)
 * against the mean of the medians of its neighbours 2..NEIGHBOURS away on
 * either side. Each side's median alone follows the curve's trend (it
 * falls as the size grows: more native samples fit more), so their mean
 * is 1 where there is no dip even near the ends of the range, where a
 * median of all neighbours leans on the side that has more of them (the
 * pooled curves of native scenes "dipped" at 994-996 of 1000). NAN with
 * fewer than 3 neighbours on a side. */
static double dip_between(const double *c, int count, int a, int b)
{
    double left[NEIGHBOURS], right[NEIGHBOURS];
    int nl = 0, nr = 0;
    for (int d = 2; d <= NEIGHBOURS; d++) {
        if (a - d >= 0 && isfinite(c[a - d]))
            left[nl++] = c[a - d];
        if (b + d < count && isfinite(c[b + d]))
            right[nr++] = c[b + d];
    }
    if (nl < 3 || nr < 3 || !isfinite(c[a]) || !isfinite(c[b]))
        return NAN;
    double m = 0.5 * (median(left, nl) + median(right, nr));
    return m > 0 ? 0.5 * (c[a] + c[b]) / m : NAN;
}

/* the pair (i, i + 1) as one dip half a step up (fractional sizes): both
 * below their outer neighbours */
static double pair_dip_at(const double *c, int count, int i)
{
    if (i < 1 || i + 2 >= count)
        return NAN;
    double a = c[i], b = c[i + 1], hi = a > b ? a : b;
    if (!isfinite(a) || !isfinite(b) || !(c[i - 1] > hi) || !(c[i + 2] > hi))
        return NAN;
    return dip_between(c, count, i, i + 1);
}

void est_curve_fill_dips(nr_curve *c)
{
    if (c->dips || c->count <= 0)
        return;
    c->dips = malloc(sizeof(double) * (size_t)c->count);
    if (!c->dips)
        return;
    for (int i = 0; i < c->count; i++)
        c->dips[i] = dip_between(c->errors, c->count, i, i);
}

/* ------------------------------------------------------------------ */

nr_pool *nr_pool_new(const nr_estimate_opts *opts)
{
    nr_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    if (opts)
        p->opts = *opts;
    else
        nr_estimate_opts_default(&p->opts);
    if (p->opts.num_kernels > MAX_KERNELS || (p->opts.num_kernels > 0 && !p->opts.kernels)) {
        free(p);
        return NULL;
    }
    if (p->opts.num_kernels > 0) {
        memcpy(p->kernels, p->opts.kernels, sizeof(nr_kernel) * (size_t)p->opts.num_kernels);
        p->opts.kernels = p->kernels;
    }
    p->cuts = true;
    p->last_diff = -1;
    return p;
}

static void axis_clear(pool_axis *a)
{
    free(a->sum);
    free(a->n);
    memset(a, 0, sizeof(*a));
}

static void clear_evidence(nr_pool *p)
{
    for (int i = 0; i < p->num_records; i++)
        free(p->records[i].curves_h);
    p->num_records = 0;
    axis_clear(&p->axes[0]);
    axis_clear(&p->axes[1]);
    p->frames = p->measured = p->mismatched = 0;
    p->crop_w = p->crop_h = 0;
}

void nr_pool_reset(nr_pool *p)
{
    if (!p)
        return;
    clear_evidence(p);
    p->whole = false;
    p->has_sig = false;
    p->last_diff = -1;
}

void nr_pool_free(nr_pool *p)
{
    if (!p)
        return;
    clear_evidence(p);
    free(p->records);
    free(p);
}

void nr_pool_set_scene_cuts(nr_pool *p, bool detect)
{
    if (p)
        p->cuts = detect;
}

int nr_pool_frames(const nr_pool *p)
{
    return p ? p->frames : 0;
}

int nr_pool_measured(const nr_pool *p)
{
    return p ? p->measured : 0;
}

double nr_pool_last_difference(const nr_pool *p)
{
    return p ? p->last_diff : -1;
}

/* same size grid, kernels and analysed stretch as the pool's axis (or the
 * axis is empty) */
/* Only the analysed length matters: bars that drift with a pan (another
 * offset) keep the grid of sizes. */
static bool axis_matches(const pool_axis *a, const nr_curve *c, int nc, int length)
{
    if (!a->count)
        return true;
    if (nc != a->nk || length != a->length)
        return false;
    for (int k = 0; k < nc; k++) {
        if (c[k].count != a->count || fabs(c[k].sizes[0] - a->first) > 1e-9)
            return false;
    }
    return true;
}

static int axis_add(pool_axis *a, const nr_curve *c, int nc, int offset, int length,
                    double codec)
{
    if (nc <= 0 || nc > MAX_KERNELS || c[0].count < 2)
        return 0;
    if (!a->count) {
        a->offset = offset;
        a->length = length;
        a->count = c[0].count;
        a->nk = nc;
        a->first = c[0].sizes[0];
        a->step = c[0].sizes[1] - c[0].sizes[0];
        a->sum = calloc((size_t)nc * a->count, sizeof(double));
        a->n = calloc((size_t)nc * a->count, sizeof(int));
        if (!a->sum || !a->n) {
            axis_clear(a);
            return -1;
        }
        for (int k = 0; k < nc; k++)
            a->kernels[k] = c[k].kernel;
    }
    for (int k = 0; k < nc; k++)
        for (int i = 0; i < a->count; i++) {
            double v = c[k].errors[i];
            if (isfinite(v)) {
                a->sum[(size_t)k * a->count + i] += v;
                a->n[(size_t)k * a->count + i]++;
            }
        }
    a->codec_sum += codec > 0 ? codec : 1;   /* 0 (not filled in): no codec seen */
    a->frames++;
    return 0;
}

static bool has_curves(const nr_curve *c, int nc)
{
    for (int k = 0; k < nc; k++)
        for (int i = 0; i < c[k].count; i++)
            if (isfinite(c[k].errors[i]))
                return true;
    return false;
}

int nr_pool_add(nr_pool *p, const nr_estimate *e)
{
    if (!p || !e)
        return -1;
    int restarted = 0;
    bool curves = e->num_height_curves > 0 && has_curves(e->height_curves, e->num_height_curves);
    if (curves && (!axis_matches(&p->axes[0], e->height_curves, e->num_height_curves,
                                 e->crop_h))) {
        /* Another analysed height (bars found differently): its curves
         * measure another grid. A frame or two of jitter in the bar
         * search is skipped; a lasting change is another scene. */
        if (++p->mismatched < MAX_MISMATCHED) {
            p->frames++;
            return 0;
        }
        clear_evidence(p);
        restarted = 1;
    }
    if (curves && !axis_matches(&p->axes[1], e->width_curves, e->num_width_curves,
                                e->crop_w)) {
        /* Only the width's stretch moved (a dark picture edge in a pan
         * found as a bar by some frames): the height's evidence still
         * holds; the width's restarts from this frame. */
        axis_clear(&p->axes[1]);
    }
    if (curves)
        p->mismatched = 0;
    p->frames++;
    if (p->num_records == p->cap_records) {
        int cap = p->cap_records ? 2 * p->cap_records : 32;
        if (cap > MAX_RECORDS)
            cap = MAX_RECORDS;
        if (cap > p->cap_records) {
            frame_record *r = realloc(p->records, sizeof(*r) * (size_t)cap);
            if (!r)
                return -1;
            p->records = r;
            p->cap_records = cap;
        }
    }
    if (!curves)
        return restarted;
    if (axis_add(&p->axes[0], e->height_curves, e->num_height_curves, e->crop_y, e->crop_h,
                 e->codec_grid[0]) < 0 ||
        axis_add(&p->axes[1], e->width_curves, e->num_width_curves, e->crop_x, e->crop_w,
                 e->codec_grid[1]) < 0)
        return -1;
    p->measured++;
    p->crop_x = e->crop_x;
    p->crop_y = e->crop_y;
    p->crop_w = e->crop_w;
    p->crop_h = e->crop_h;
    if (p->num_records < p->cap_records) {
        frame_record *r = &p->records[p->num_records];
        int count = p->axes[0].count, nk = p->axes[0].nk;
        /* kept as they are: the dip measure is taken at the pooled height
         * only, when a result is asked for */
        r->curves_h = malloc(sizeof(float) * (size_t)count * nk);
        if (r->curves_h) {
            for (int k = 0; k < nk; k++)
                for (int i = 0; i < count; i++)
                    r->curves_h[(size_t)k * count + i] = (float)e->height_curves[k].errors[i];
            r->verdict = e->verdict;
            r->height = e->scale.win_height > 0 ? e->scale.win_height : e->scale.native_h;
            r->kernel = e->scale.kernel;
            r->confidence = e->confidence;
            r->num_fine = e->num_height_candidates;
            for (int i = 0; i < r->num_fine; i++) {
                r->fine_size[i] = (float)e->height_candidates[i].size;
                r->fine_ratio[i] = (float)(1 - e->height_candidates[i].score);
            }
            p->num_records++;
        }
    }
    return restarted;
}

bool nr_pool_cut_before(const nr_pool *p, const float *luma, ptrdiff_t stride, int w, int h)
{
    if (!p || !p->frames)
        return false;
    if (p->full_w != w || p->full_h != h)
        return true;
    if (!p->cuts || !p->has_sig)
        return false;
    float sig[NR_SCENE_SIG_SIZE];
    nr_scene_signature(luma, stride, w, h, sig);
    return nr_scene_difference(p->sig, sig) >= NR_SCENE_CUT;
}

int nr_pool_add_plane(nr_pool *p, const float *luma, ptrdiff_t stride, int w, int h,
                      nr_estimate *frame_out, char *err, size_t err_size)
{
    if (!p) {
        snprintf(err, err_size, "no pool");
        return -1;
    }
    nr_estimate e;
    int restarted = 0;
    if (p->full_w != w || p->full_h != h) {
        if (p->frames)
            restarted = 1;
        clear_evidence(p);
        p->whole = false;
        p->has_sig = false;
        p->full_w = w;
        p->full_h = h;
    }
    float sig[NR_SCENE_SIG_SIZE];
    nr_scene_signature(luma, stride, w, h, sig);
    p->last_diff = p->has_sig ? nr_scene_difference(p->sig, sig) : -1;
    if (p->cuts && p->has_sig && p->last_diff >= NR_SCENE_CUT) {
        clear_evidence(p);
        p->whole = false;
        restarted = 1;
    }
    /* every frame of a pool on one grid: a letterboxed one on its crop's
     * (bars added after the upscale stay put through a scene) */
    nr_estimate_opts o = p->opts;
    o.crop_grid_only = true;
    if ((p->whole ? est_estimate_plane_whole : nr_estimate_plane)(luma, stride, w, h, &o, &e,
                                                                    err, err_size) < 0)
        return -1;
    /* Bars that move within a scene are no letterbox: a dark picture edge
     * found as a bar that grows and shrinks with a pan, or bars that pan
     * with the picture, are part of the upscaled picture, whose grid is
     * the whole frame's (the crop's shifts from frame to frame: a 720p
     * pan's frames found 409 of an 817-818 line crop, an 873 pan's top
     * "bar" of 0-9 rows restarted its pool four times). From the first
     * frame whose analysed area differs, the scene is measured on the
     * whole frame's grid (that frame again; lines still from the content
     * between the bars: lines across a black bar's edge gave an 843.75
     * pan 986-998 in most frames); the frames measured on crops are
     * dropped. */
    if (o.crop_bars && !p->whole && p->measured &&
        (e.crop_x != p->crop_x || e.crop_y != p->crop_y || e.crop_w != p->crop_w ||
         e.crop_h != p->crop_h)) {
        nr_estimate_free(&e);
        clear_evidence(p);
        p->whole = true;
        restarted = 1;
        if (est_estimate_plane_whole(luma, stride, w, h, &o, &e, err, err_size) < 0)
            return -1;
    }
    memcpy(p->sig, sig, sizeof(sig));
    p->has_sig = true;
    int rc = nr_pool_add(p, &e);
    if (frame_out)
        *frame_out = e;
    else
        nr_estimate_free(&e);
    if (rc < 0) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    return restarted || rc;
}

/* ------------------------------------------------------------------ */
/* the pooled decision                                                 */

/* est_codec_near on half samples: a letterboxed crop of odd length (817)
 * has its 1/2 ratio at 408.5, which compression dips as it dips 540 of
 * 1080 (the frames of a letterboxed 720p clip found 408.5 on their own) */
static bool codec_near(int full, double size)
{
    return est_codec_near(2 * full, 2 * size, 4);
}

typedef struct pooled_axis {
    nr_curve *curves;            /* mean curves with dips */
    int nk;
    int full;                    /* the analysed axis length */
    double discount;             /* g² of the codec grid (1: no codec seen) */
    bool *near;                  /* [count]: size i (and the pair i, i + 1 at [count + i])
                                  * lined up with the codec's blocks; NULL: no discount */
    double typical, spread;      /* median and robust spread of the dip measure */
    double best, raw_best;       /* deepest local dip after / before the codec discount */
    double size;                 /* where the deepest is */
} pooled_axis;

static void pooled_free(pooled_axis *pa)
{
    for (int k = 0; k < pa->nk; k++) {
        free(pa->curves[k].sizes);
        free(pa->curves[k].errors);
        free(pa->curves[k].dips);
    }
    free(pa->curves);
    free(pa->near);
    memset(pa, 0, sizeof(*pa));
}

/* The pooled curves and their dip measure. The scatter of that measure
 * over all sizes and kernels (median, robust spread) says how far a dip
 * must stand out: it shrinks as frames are added. */
static int pool_axis_result(const pool_axis *a, int full, pooled_axis *pa)
{
    memset(pa, 0, sizeof(*pa));
    pa->best = pa->raw_best = INFINITY;
    pa->full = full;
    double g = a->frames > 0 ? a->codec_sum / a->frames : 1;
    pa->discount = g > 0 && g < 1 ? g * g : 1;
    if (!a->count)
        return 0;
    pa->curves = calloc((size_t)a->nk, sizeof(nr_curve));
    if (!pa->curves)
        return -1;
    pa->nk = a->nk;
    /* which sizes sit by the codec's block grid: the same for every kernel,
     * so asked once per size (the gcd test was a quarter of a result) */
    if (pa->discount < 1) {
        pa->near = malloc(sizeof(bool) * 2 * (size_t)a->count);
        if (!pa->near)
            return -1;
        for (int i = 0; i < a->count; i++) {
            double size = a->first + i * a->step;
            pa->near[i] = codec_near(full, size);
            pa->near[a->count + i] = codec_near(full, size + 0.5 * a->step);
        }
    }
    int n = 0;
    double *all = malloc(sizeof(double) * (size_t)a->nk * a->count);
    if (!all)
        return -1;
    for (int k = 0; k < a->nk; k++) {
        nr_curve *c = &pa->curves[k];
        c->kernel = a->kernels[k];
        c->count = a->count;
        c->sizes = malloc(sizeof(double) * (size_t)a->count);
        c->errors = malloc(sizeof(double) * (size_t)a->count);
        if (!c->sizes || !c->errors) {
            free(all);
            return -1;
        }
        for (int i = 0; i < a->count; i++) {
            int m = a->n[(size_t)k * a->count + i];
            c->sizes[i] = a->first + i * a->step;
            c->errors[i] = m ? a->sum[(size_t)k * a->count + i] / m : NAN;
        }
        est_curve_fill_dips(c);
        if (!c->dips) {
            free(all);
            return -1;
        }
        for (int i = 0; i < a->count; i++)
            if (isfinite(c->dips[i]))
                all[n++] = c->dips[i];
    }
    if (n >= 8) {
        pa->typical = select_median(all, n);
        for (int i = 0; i < n; i++)
            all[i] = fabs(all[i] - pa->typical);
        pa->spread = fmax(1.4826 * select_median(all, n), 1e-3);
    } else {
        pa->typical = 1;
        pa->spread = INFINITY;
    }
    free(all);
    return 0;
}

/* A dip of the pooled curves: a local minimum of one kernel's curve, or a
 * pair of neighbouring sizes as one dip half a step up (fractional). */
typedef struct pool_dip {
    double size;
    double raw, dip;             /* measure before / after the codec discount */
    int kernel, index;           /* grid index (the lower of a pair) */
    bool pair;
} pool_dip;

/* the dip measure at (kernel k, index i), pair or not; NAN where none */
static double dip_measure(const pooled_axis *pa, int k, int i, bool pair)
{
    const nr_curve *c = &pa->curves[k];
    if (!pair) {
        const double *e = c->errors;
        bool local_min = i > 0 && i + 1 < c->count && !(e[i - 1] < e[i]) && !(e[i + 1] < e[i]);
        return local_min ? c->dips[i] : NAN;
    }
    return pair_dip_at(c->errors, c->count, i);
}

static double discounted(const pooled_axis *pa, int i, bool pair, double raw)
{
    int count = pa->nk ? pa->curves[0].count : 0;
    return pa->near && pa->near[(pair ? count : 0) + i] ? raw / pa->discount : raw;
}

/* The deepest dip of the axis per size (over kernels), sorted deepest
 * first; also fills pa->best / raw_best / size. Returns the count. */
static int axis_dips(pooled_axis *pa, pool_dip *out, int max)
{
    int n = 0;
    int count = pa->nk ? pa->curves[0].count : 0;
    for (int i = 0; i < count; i++)
        for (int pair = 0; pair < 2; pair++) {
            pool_dip best = {0, INFINITY, INFINITY, -1, i, pair};
            for (int k = 0; k < pa->nk; k++) {
                double raw = dip_measure(pa, k, i, pair);
                if (!(raw < best.raw))
                    continue;
                best.raw = raw;
                best.kernel = k;
            }
            if (best.kernel < 0)
                continue;
            best.size = pa->curves[0].sizes[i] + (pair ? 0.5 * (pa->curves[0].sizes[1] -
                                                                 pa->curves[0].sizes[0]) : 0);
            best.dip = discounted(pa, i, pair, best.raw);
            if (best.raw < pa->raw_best)
                pa->raw_best = best.raw;
            if (best.dip < pa->best) {
                pa->best = best.dip;
                pa->size = best.size;
            }
            if (best.dip >= 1)
                continue;
            /* keep the deepest `max`, sorted */
            if (n == max && !(best.dip < out[n - 1].dip))
                continue;
            int j = n < max ? n++ : max - 1;
            while (j > 0 && out[j - 1].dip > best.dip) {
                out[j] = out[j - 1];
                j--;
            }
            out[j] = best;
        }
    return n;
}

/* deepest dip measure of the axis (any size; after the discount unless
 * raw) within `tol` of `size` */
static double axis_dip_near(const pooled_axis *pa, double size, double tol, bool raw)
{
    double best = INFINITY;
    int count = pa->nk ? pa->curves[0].count : 0;
    for (int i = 0; i < count; i++) {
        if (fabs(pa->curves[0].sizes[i] - size) > tol)
            continue;
        for (int k = 0; k < pa->nk; k++) {
            double d = pa->curves[k].dips[i];
            if (isfinite(d) && !raw)
                d = discounted(pa, i, false, d);
            if (isfinite(d) && d < best)
                best = d;
        }
    }
    return best;
}

/* The codec's false dips are deepest at half the axis (its grid repeats
 * every 2 samples, which every block size divides): in native scenes the
 * 810 / 1440 and 945 dips stay shallower than the 540 / 960 ones. A dip
 * at another aligned size that is deeper than the half's on both axes
 * (before the discount) and passes the joint rule is the picture's, not
 * the codec's (an 810 upscale at x264 CRF 18: 0.62 / 0.63 against 0.66 /
 * 0.71 at 540 / 960; native scenes 0.84-0.93 against 0.61-0.84). */
static double axis_dip_near(const pooled_axis *pa, double size, double tol, bool raw);
static bool beats_half(const pooled_axis *ph, const pooled_axis *pw, const pool_dip *d,
                       double aspect, double w_tol)
{
    double half = 0.5 * ph->full;
    if (fabs(d->size - half) <= 2 || !pw->nk)
        return false;
    double h_half = axis_dip_near(ph, half, 1.01, true);
    double w_half = axis_dip_near(pw, 0.5 * pw->full, w_tol, true);
    double w = axis_dip_near(pw, d->size * aspect, w_tol, true);
    return d->raw < h_half && w < w_half && fmax(d->raw, w) < POOL_JOINT &&
           d->raw * w < POOL_PRODUCT;
}

/* A dip deeper on both axes together (before the discount: the height's
 * dip times the width's where it points, at most 1) within the neighbour
 * window: the side lobes of one dip (537 and 543 beside a 540) are no size
 * of their own. Both axes, not the height's alone: a picture upscaled
 * twice (878p, then 843.75) left its height's deepest pooled dip at 849
 * with no width dip there (1.004), the truth's at 844 with the width's
 * 0.74, and 844 was taken for 849's lobe. */
static bool is_lobe(const pool_dip *d, const pool_dip *all, int n, double step,
                    const double *wraw)
{
    const double here = d->raw * wraw[d - all];
    for (int j = 0; j < n; j++)
        if (&all[j] != d && all[j].raw * wraw[j] < here &&
            fabs(all[j].size - d->size) > 0.75 * step &&
            fabs(all[j].size - d->size) <= NEIGHBOURS * step)
            return true;
    return false;
}

static void add_candidates(nr_estimate *out, const pooled_axis *pa, int vertical)
{
    /* the deepest local minima of the pooled curves, one per size */
    nr_candidate *cand = vertical ? out->height_candidates : out->width_candidates;
    int *num = vertical ? &out->num_height_candidates : &out->num_width_candidates;
    *num = 0;
    for (int k = 0; k < pa->nk; k++) {
        const nr_curve *c = &pa->curves[k];
        for (int i = 1; i + 1 < c->count; i++) {
            if (!(c->errors[i] <= c->errors[i - 1] && c->errors[i] <= c->errors[i + 1]) ||
                !isfinite(c->dips[i]))
                continue;
            nr_candidate x = {c->sizes[i], c->kernel, c->errors[i], 1 - c->dips[i]};
            int j = *num;
            bool dup = false;
            for (int t = 0; t < *num; t++)
                if (fabs(cand[t].size - x.size) < 0.5) {
                    dup = true;
                    if (x.score > cand[t].score) {
                        cand[t] = x;
                    }
                }
            if (dup)
                continue;
            if (j == NR_MAX_CANDIDATES) {
                if (x.score <= cand[j - 1].score)
                    continue;
                j--;
            } else {
                (*num)++;
            }
            while (j > 0 && cand[j - 1].score < x.score) {
                cand[j] = cand[j - 1];
                j--;
            }
            cand[j] = x;
        }
    }
    /* re-sort after in-place replacements */
    for (int i = 1; i < *num; i++)
        for (int j = i; j > 0 && cand[j - 1].score < cand[j].score; j--) {
            nr_candidate t = cand[j];
            cand[j] = cand[j - 1];
            cand[j - 1] = t;
        }
}

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* share of the recorded frames whose own height curves dip (their own
 * dip measure < FRAME_SUPPORT) at the pooled dip or next to it */
static double frame_support(const nr_pool *p, const pool_dip *d, int *support, int *records)
{
    const pool_axis *ax = &p->axes[0];
    double c[2 * NEIGHBOURS + 4];
    *support = *records = 0;
    for (int r = 0; r < p->num_records; r++) {
        double best = INFINITY;
        for (int k = 0; k < ax->nk; k++) {
            const float *f = p->records[r].curves_h + (size_t)k * ax->count;
            for (int i = d->index - 1; i <= d->index + 1 + d->pair; i++) {
                if (i < 0 || i >= ax->count)
                    continue;
                /* the frame's dip measure at i, on its own curve */
                int lo = i - NEIGHBOURS, n = 0;
                for (int j = lo; j <= i + NEIGHBOURS; j++)
                    c[n++] = j >= 0 && j < ax->count ? f[j] : NAN;
                double m = dip_at(c, n, i - lo);
                if (m < best)
                    best = m;
            }
        }
        *support += best < FRAME_SUPPORT;
        (*records)++;
    }
    return *records ? (double)*support / *records : 0;
}

/* frames whose own verdict is this height (within FOUND_WITHIN: the
 * pooled curves are the coarse sweep's, the frames' sizes are refined) */
static int frames_found(const nr_pool *p, double size)
{
    int own = 0;
    for (int r = 0; r < p->num_records; r++)
        own += p->records[r].verdict == NR_VERDICT_UPSCALED &&
               fabs(p->records[r].height - size) <= FOUND_WITHIN;
    return own;
}

/* frames whose re-measured dips (4x the lines of the sweep the pooled
 * curves come from) include this height, under `ratio` */
static int frames_fine(const nr_pool *p, double size, double ratio)
{
    int n = 0;
    for (int r = 0; r < p->num_records; r++) {
        const frame_record *a = &p->records[r];
        bool hit = false;
        for (int i = 0; i < a->num_fine && !hit; i++)
            hit = fabs(a->fine_size[i] - size) <= FOUND_WITHIN && a->fine_ratio[i] < ratio;
        n += hit;
    }
    return n;
}

static int frames_native(const nr_pool *p)
{
    int n = 0;
    for (int r = 0; r < p->num_records; r++)
        n += p->records[r].verdict == NR_VERDICT_NATIVE;
    return n;
}

/* Before POOL_FRAMES frames the pooled curves alone decide only a dip
 * clear on both axes beyond what the first frames of any native clip
 * pooled, and re-measured by every frame: a sparse, clean sampling (the
 * plugin's reference frames, 0.25 s apart) otherwise waited ten frames,
 * 2.5 s, for a height its first three showed (manaria04's 844 catrom at
 * CRF 20: 0.31 x 0.64, z 16.6 and 8.9 after three frames, each frame
 * weakly alone at 0.56). */
static bool early_clear(const nr_pool *p, const pool_dip *d, double dw, double z,
                        const pooled_axis *pw)
{
    return p->measured >= EARLY_FRAMES && pw->nk && d->dip * fmin(dw, 1) < EARLY_PRODUCT &&
           z >= EARLY_Z && (pw->typical - dw) / pw->spread >= Z_UPSCALED &&
           frames_fine(p, d->size, FINE_DIP) >= p->measured;
}

/* nr_pool_result, leaving the pooled axes to the caller (their curves are
 * out's; the caller frees only ph->near and pw->near) */
static int pool_result(const nr_pool *p, nr_estimate *out, pooled_axis *ph, pooled_axis *pw);

int nr_pool_result(const nr_pool *p, nr_estimate *out)
{
    pooled_axis ph, pw;
    int rc = pool_result(p, out, &ph, &pw);
    if (rc == 0) {
        free(ph.near);
        free(pw.near);
    }
    return rc;
}

/* another dip of the height, not d's nor a lobe, as deep as d within a
 * factor of 2 and out of the scatter as a dip that keeps a scene from
 * "native" (Z_NATIVE), that dips on
 * both axes as the joint rule asks */
static bool rival_dip(const pooled_axis *ph, const pooled_axis *pw, const pool_dip *dips, int nd,
                      const pool_dip *d, double aspect, double w_tol, double h_step,
                      const double *wraw)
{
    for (int k = 0; k < nd && pw->nk; k++) {
        const pool_dip *e = &dips[k];
        if (e == d || fabs(e->size - d->size) <= FOUND_WITHIN + 2 * h_step ||
            e->dip >= 2 * d->dip || (ph->typical - e->dip) / ph->spread < Z_NATIVE ||
            is_lobe(e, dips, nd, h_step, wraw))
            continue;
        double ew = axis_dip_near(pw, e->size * aspect, w_tol, false);
        if (fmax(e->dip, ew) < POOL_JOINT && e->dip * ew < POOL_PRODUCT)
            return true;
    }
    return false;
}

static int pool_result(const nr_pool *p, nr_estimate *out, pooled_axis *php, pooled_axis *pwp)
{
    memset(php, 0, sizeof(*php));
    memset(pwp, 0, sizeof(*pwp));
    if (!out)
        return -1;
    memset(out, 0, sizeof(*out));
    out->verdict = NR_VERDICT_UNSURE;
    if (!p) {
        snprintf(out->reason, sizeof(out->reason), "no pool");
        return -1;
    }
    out->crop_x = p->crop_x;
    out->crop_y = p->crop_y;
    out->crop_w = p->crop_w ? p->crop_w : p->full_w;
    out->crop_h = p->crop_h ? p->crop_h : p->full_h;
    out->scale.full_w = out->scale.native_w = out->crop_w;
    out->scale.full_h = out->scale.native_h = out->crop_h;
    if (!p->measured) {
        snprintf(out->reason, sizeof(out->reason), "no measurable frame (%d added)", p->frames);
        return 0;
    }
    pooled_axis ph, pw;
    if (pool_axis_result(&p->axes[0], out->crop_h, &ph) < 0 ||
        pool_axis_result(&p->axes[1], out->crop_w, &pw) < 0) {
        pooled_free(&ph);
        pooled_free(&pw);
        snprintf(out->reason, sizeof(out->reason), "out of memory");
        return -1;
    }
    const double aspect = (double)out->crop_w / out->crop_h;
    const double w_tol = pw.nk ? fmax(2.01, 1.01 * p->axes[1].step) : 0;

    /* The height's dips, deepest first, each with the width's dip where
     * it points. A true upscale dips on both axes at one size; the dips
     * compression makes in a native picture are either at sizes lined up
     * with its blocks (discounted) or shallow on one axis at least. */
    pool_dip dips[MAX_CANDIDATES];
    int nd = axis_dips(&ph, dips, MAX_CANDIDATES);
    /* each dip's width dip where it points, before the discount, at most 1 */
    double wraw[MAX_CANDIDATES];
    for (int j = 0; j < nd; j++)
        wraw[j] = pw.nk ? fmin(axis_dip_near(&pw, dips[j].size * aspect, w_tol, true), 1) : 1;
    const pool_dip *chosen = NULL;
    double chosen_w = INFINITY, chosen_score = INFINITY, chosen_share = 0, doubt_w = INFINITY;
    const pool_dip *doubt = NULL;   /* the clearest dip that keeps a scene from "native" */
    int support = 0, records = 0;
    int deeper_found = 0;   /* most frames that found a deeper dip turned down */
    const double h_step = p->axes[0].step;
    /* NR_POOL_DEBUG=1: every dip weighed, and the rule that stopped it,
     * on stderr (pool_replay's diagnosis) */
    static int debug = -1;
    if (debug < 0) {
        const char *env = getenv("NR_POOL_DEBUG");
        debug = env && *env && *env != '0' ? atoi(env) > 1 ? 2 : 1 : 0;
    }
    const char *why = NULL;
#define REJECT(rule) { why = rule; goto rejected; }
    for (int j = 0; j < nd; j++) {
        const pool_dip *d = &dips[j];
        double z = (ph.typical - d->dip) / ph.spread;
        double dw = pw.nk ? axis_dip_near(&pw, d->size * aspect, w_tol, false) : INFINITY;
        int found = 0, s_support = 0, s_records = 0;
        double share = 0;
        why = NULL;
        if (is_lobe(d, dips, nd, h_step, wraw))
            REJECT("lobe");
        double worse = fmax(d->dip, fmin(dw, 1));
        bool joint = worse < POOL_JOINT && d->dip * fmin(dw, 1) < POOL_PRODUCT;
        bool alone = d->dip < POOL_ALONE;
        if (!doubt && z >= Z_NATIVE && (worse < POOL_NATIVE_BOTH || d->dip < POOL_NATIVE_ONE)) {
            doubt = d;
            doubt_w = dw;
        }
        if (chosen)
            REJECT("after the chosen");
        /* A height that FOUND_CONFIRM frames found on their own may stand
         * out of the scatter on both axes together instead (the two z
         * summed): compression can leave a true height's pooled dip
         * shallow where its width's is clear (a 768 mitchell pan at CRF
         * 18: z 4.5 on the height, 12.8 on the width, 3 frames finding
         * 768). No native clip of the real corpus had 3 frames find one
         * size, bar milkyholmes_2's 720 (likely a 720p production). */
        found = frames_found(p, d->size);
        if (z < Z_UPSCALED &&
            !(found >= FOUND_CONFIRM && pw.nk && z + (pw.typical - dw) / pw.spread >= 2 * Z_UPSCALED))
            REJECT("z");
        /* a size lined up with the codec's blocks gets false dips from
         * compression in every frame, on both axes (the same ratio), and
         * the frames' own analysis finds them too (a letterboxed 720p
         * clip measured on its crop's grid: 409 of 818 in 13 of 24
         * frames): there both dips must be clearer still. Or
         * FOUND_CONFIRM frames found it on their own, each past its own
         * codec discount, and the pooled dips pass the joint rule after
         * the discount: true 540 upscales under x264 CRF 22 had 7 and 9
         * frames find 540 (pooled 0.71 x 0.66 and 0.71 x 0.68 after the
         * discount), while at the codec's false dips of every clip of the
         * real corpus at most 2 frames found the size, except a 720
         * upscale's 540, found by 5 (0.87 x 0.58: no joint dip) */
        if (codec_near(out->crop_h, d->size) &&
            !(d->dip < EST_ALIGNED_ONE && d->dip * fmin(dw, 1) < EST_ALIGNED_PRODUCT) &&
            !beats_half(&ph, &pw, d, aspect, w_tol) &&
            !(found >= FOUND_ALIGNED && joint))
            REJECT("codec-aligned");
        /* most frames found this height on their own (each checked both
         * axes at its finer, fractional size: the coarse pooled curves of
         * an 873.5 upscale dip at 875, where the width's 1555.6 misses
         * 1552.9): the pool confirms it. So do FOUND_CONFIRM frames that
         * found it on their own, fewer than half: a frame's own verdict
         * rests on 4x the lines of the sweep, refined, both axes, and
         * frames of native scenes hardly ever make one (the real corpus:
         * at most 2 frames of a 24-frame native clip at one height);
         * compression hides a true dip from most frames (an 873 catrom
         * pan at CRF 22: 5 frames found 873 and no other height, the
         * pooled height dip 0.75 at z 12.9 with 18 of 24 frames dipping,
         * but no width dip: 0.98). The pooled dip's z, the codec rule and
         * the frames' support below still apply. Else the pooled curves
         * decide alone, both axes jointly, and only after the first few
         * frames: until then the scatter of the measure is no guide (a
         * native frame's chance dip stands out of it as well as a true
         * one). */
        bool majority = found * 2 > p->measured;
        bool confirmed = majority || found >= FOUND_CONFIRM;
        /* A small minority of frames finding a size is a chance the
         * plugin meets often: sampled densely (every 0.1-0.15 s, its
         * benchmark clips replayed at 12 phases) 3 of 12-17 frames found a
         * false 955 and 976, pooled at 0.47 x 0.99 and 0.83 x 0.95 (the
         * width's z 1 and 3). So fewer than FOUND_ALIGNED frames confirm
         * only what the pooled curves show as well: both axes jointly, the
         * height's alone, or the width standing out as a height must (a
         * true 768 mitchell at CRF 18: 3 frames, the width's z 12.8). Five
         * or more confirm as before. The cost: a true 873 catrom pan at CRF
         * 22 (4 of 24 frames, 0.76 x 0.98) now ends native, as bocchi's
         * false 976 does. */
        if (!majority && found >= FOUND_CONFIRM && found < FOUND_ALIGNED && !(joint || alone) &&
            !(pw.nk && (pw.typical - dw) / pw.spread >= Z_UPSCALED))
            confirmed = false;
        if (!confirmed && p->measured < POOL_FRAMES && !early_clear(p, d, dw, z, &pw))
            REJECT("few frames");
        /* the pooled curves alone do not pass over a deeper dip that
         * frames found on their own and a rule turned down: either that
         * size is the true one or compression made both (a true 810 pan
         * re-encoded with 7 B-frames: 810 found by 3 of 12 frames at
         * 0.46 x 0.88, turned down for its width; a false 990 at 0.59 x
         * 0.74, no frame finding it, was chosen) */
        if (!confirmed && deeper_found >= FOUND_CONFIRM)
            REJECT("deeper found");
        if (!confirmed && !(joint || alone))
            REJECT("joint");
        /* the pooled curves alone, no frame finding the size: a clearer
         * joint dip than the frames' own rules need (the plugin's dense
         * sampling pooled a false 990 of a true 810 at 0.69 x 0.80 over
         * 10 frames; a true 844 there at 0.50 x 0.79) */
        if (!confirmed && !alone && !(d->dip * fmin(dw, 1) < POOL_ALONE_PRODUCT))
            REJECT("joint alone");
        /* the pooled curves alone decide only where the dip measure has
         * its full window on both sides: within NEIGHBOURS steps of the
         * sweep's ends one side's median rests on fewer, closer sizes,
         * and the pans of native (or unknown) scenes dip there together
         * (bocchi: 994 of 1000 at 0.84 x 0.75 over frames 13-19, no frame
         * finding it; the natives' consistent dips are at 985-996). Frames
         * that found such a size still confirm it. */
        if (!confirmed &&
            (d->index < NEIGHBOURS || d->index + d->pair + NEIGHBOURS >= ph.curves[0].count))
            REJECT("range end");
        /* ...and only where FOUND_CONFIRM frames re-measured it (their
         * clearest sweep dips, on 4x the lines of the sweep the pooled
         * curves come from) and dipped clearly there. On the real
         * corpus' 71 clips, replayed frame by frame, this changed no right
         * pooled height nor the frame it is first right from; it stopped
         * a false pooled dip in a forest of shallow ones (paniponidash:
         * 982, then 964, for a true 844; no frame re-measured either) and
         * a dark native scene's 948 at its 10th frame (3 frames re-measured
         * it, at 0.7-0.8) */
        if (!confirmed && frames_fine(p, d->size, FINE_DIP) < FOUND_CONFIRM)
            REJECT("not re-measured");
        /* frames that say native on their own, more of them than found
         * the height, ask for a clearer pooled dip (a native scene's
         * frames dipped together at 977 over ten frames of a pan, 0.73 x
         * 0.78, two of them sure it is native; frames at another height
         * do not count: compression makes single frames name 540 or 810) */
        if (frames_native(p) > found && !(d->dip * fmin(dw, 1) < POOL_CONTESTED_PRODUCT))
            REJECT("contested");
        /* a height with no width behind it while another size dips on
         * both axes: two pictures in one (a production upscaled twice:
         * manaria04's 878p frame made 844 catrom pooled a false 955 at
         * 0.41-0.44 with no width dip, 844 at 0.50 x 0.78 beside it) or a
         * chance; either way not the one to run */
        if (!(dw < POOL_JOINT) && rival_dip(&ph, &pw, dips, nd, d, aspect, w_tol, h_step, wraw))
            REJECT("rival");
        share = frame_support(p, d, &s_support, &s_records);
        if (share < MIN_SUPPORT)
            REJECT("support");
        rejected:
        /* past those two rules `found` is this dip's */
        if (why && strcmp(why, "lobe") && strcmp(why, "after the chosen") && found > deeper_found)
            deeper_found = found;
        if (debug && !s_records)
            frame_support(p, d, &s_support, &s_records);
        if (debug && !found)
            found = frames_found(p, d->size);
        if (debug && (debug > 1 || j < 8 || !why || (strcmp(why, "z") && strcmp(why, "after the chosen"))))
            fprintf(stderr, "  pool dip %7.2f: %.3f (raw %.3f) z %5.1f, width %.3f, found %d/%d, "
                    "support %d/%d, z_w %.1f, aligned %d, re-measured %d: %s\n", d->size, d->dip, d->raw, z, dw,
                    found, p->measured, s_support, s_records, pw.nk ? (pw.typical - dw) / pw.spread : 0.0,
                    codec_near(out->crop_h, d->size), frames_fine(p, d->size, FINE_DIP),
                    why ? why : "chosen");
        if (why)
            continue;
        chosen = d;
        chosen_w = dw;
        chosen_score = d->dip * fmin(dw, 1);
        chosen_share = share;
        support = s_support;
        records = s_records;
    }
#undef REJECT
    const pool_dip *shown = chosen ? chosen : doubt ? doubt : nd ? &dips[0] : NULL;
    double shown_w = chosen ? chosen_w : doubt ? doubt_w : nd && pw.nk ?
                     axis_dip_near(&pw, dips[0].size * aspect, w_tol, false) : INFINITY;
    if (shown && !chosen)
        frame_support(p, shown, &support, &records);

    if (chosen) {
        /* exact size and kernel from the frames that agree: the quarter
         * pixel size they weigh most (confidence + 0.25 each; sure frames
         * refine a fractional size that the others round: 955.75 from
         * 955.75, 956, 955.75, 956, 956 at 0.77, 0.16, 0.84, 0.48, 0.49) */
        double height = chosen->size, height_w = 0;
        for (int r = 0; r < p->num_records; r++) {
            const frame_record *a = &p->records[r];
            if (a->verdict != NR_VERDICT_UPSCALED || fabs(a->height - chosen->size) > FOUND_WITHIN)
                continue;
            double q = floor(a->height * 4 + 0.5) / 4, wsum = 0;
            for (int s2 = 0; s2 < p->num_records; s2++) {
                const frame_record *b = &p->records[s2];
                if (b->verdict == NR_VERDICT_UPSCALED && fabs(b->height - q) < 0.125)
                    wsum += 0.25 + b->confidence;
            }
            if (wsum > height_w) {
                height_w = wsum;
                height = q;
            }
        }
        nr_kernel kernel = ph.curves[chosen->kernel].kernel;
        double best_w = 0;
        for (int r = 0; r < p->num_records; r++) {
            const frame_record *a = &p->records[r];
            if (a->verdict != NR_VERDICT_UPSCALED || fabs(a->height - height) > 0.3)
                continue;
            double wsum = 0;
            for (int s = 0; s < p->num_records; s++) {
                const frame_record *b = &p->records[s];
                if (b->verdict == NR_VERDICT_UPSCALED && fabs(b->height - height) <= 0.3 &&
                    b->kernel.type == a->kernel.type && fabs(b->kernel.b - a->kernel.b) < 1e-6 &&
                    fabs(b->kernel.c - a->kernel.c) < 1e-6 && b->kernel.taps == a->kernel.taps)
                    wsum += 0.25 + b->confidence;
            }
            if (wsum > best_w) {
                best_w = wsum;
                kernel = a->kernel;
            }
        }
        out->scale.kernel = kernel;
        out->scale.border = NR_BORDER_MIRROR;
        char e2[160];
        if (nr_scale_for_height(&out->scale, out->crop_w, out->crop_h, height, 0, e2,
                                sizeof(e2)) < 0) {
            snprintf(out->reason, sizeof(out->reason), "%s", e2);
        } else {
            out->verdict = NR_VERDICT_UPSCALED;
            /* 0.6 (the plugin's default threshold) where the rules just
             * pass, 1 for a deep dip that every frame shares */
            out->confidence = clamp01(0.6 + 0.2 * clamp01((POOL_PRODUCT - chosen_score) / 0.3) +
                                      0.2 * clamp01((chosen_share - MIN_SUPPORT) / 0.4) -
                                      (p->measured < 3 ? 0.2 : 0));
        }
    } else if (!doubt && p->measured >= NATIVE_MIN_FRAMES && ph.raw_best >= NATIVE_RAW &&
               (pw.nk == 0 || pw.raw_best >= NATIVE_RAW)) {
        /* no dip of either kind, over enough frames (and no clear dip at
         * a size lined up with the codec's blocks, however discounted:
         * that is no proof of a native picture either) */
        double clearest = shown ? fmax(shown->dip, fmin(shown_w, 1)) : 1;
        out->verdict = NR_VERDICT_NATIVE;
        out->confidence = clamp01((clearest - POOL_NATIVE_BOTH) / (1 - POOL_NATIVE_BOTH) * 0.7 +
                                  0.3 * clamp01(p->measured / 8.0));
    }
    /* z: how many spreads the dip stands out of the scatter */
    snprintf(out->reason, sizeof(out->reason),
             "pooled %d/%d frames: dip %.3f at %g (z %.1f), width %.3f, %d/%d frames dip%s",
             p->measured, p->frames, shown ? shown->dip : INFINITY, shown ? shown->size : 0,
             shown ? (ph.typical - shown->dip) / ph.spread : 0.0, shown_w, support, records,
             out->verdict != NR_VERDICT_UNSURE ? "" : doubt ? ": too little evidence"
             : ": too few frames");
    add_candidates(out, &ph, 1);
    add_candidates(out, &pw, 0);
    out->height_curves = ph.curves;
    out->num_height_curves = ph.nk;
    out->width_curves = pw.curves;
    out->num_width_curves = pw.nk;
    *php = ph;
    *pwp = pw;
    return 0;
}

int nr_pool_confirm(const nr_pool *p, const nr_scale *known, nr_estimate *out)
{
    pooled_axis ph, pw;
    if (!known || pool_result(p, out, &ph, &pw) < 0)
        return -1;
    const double height = known->win_height > 0 ? known->win_height : known->native_h;
    const double width = known->win_width > 0 ? known->win_width : known->native_w;
    if (out->verdict != NR_VERDICT_UNSURE || !p->measured || !ph.nk ||
        known->full_h != out->crop_h || known->full_w != out->crop_w) {
        free(ph.near);
        free(pw.near);
        return 0;
    }
    /* a fractional height lies between two sizes of the sweep: both count */
    const double w_tol = fmax(2.01, 1.01 * p->axes[1].step);
    double dh = axis_dip_near(&ph, height, 1.01 * p->axes[0].step, false);
    double dw = axis_dip_near(&pw, width, w_tol, false);
    int support = 0, records = 0;
    double share = 0;
    const double step = p->axes[0].step, first = p->axes[0].first;
    int index = (int)floor((height - first) / step + 0.5);
    if (index >= 0 && index < p->axes[0].count) {
        pool_dip d = {height, dh, dh, 0, index, false};
        share = frame_support(p, &d, &support, &records);
    }
    free(ph.near);   /* the curves are out's */
    free(pw.near);
    const bool ok = (isfinite(dw) ? fmax(dh, dw) < CONFIRM_EACH && dh * dw < CONFIRM_PRODUCT
                                   : dh < CONFIRM_ALONE) && share >= MIN_SUPPORT;
    if (!ok)
        return 0;
    out->verdict = NR_VERDICT_UPSCALED;
    out->scale = *known;
    const double score = isfinite(dw) ? dh * dw : dh;
    out->confidence = clamp01(0.6 + 0.4 * clamp01((CONFIRM_PRODUCT - score) / 0.3));
    char kname[64];
    snprintf(out->reason, sizeof(out->reason),
             "confirms the known %g (%s): pooled dips %.3f x %.3f (width %g), %d/%d frames dip",
             height, nr_kernel_name(&known->kernel, kname, sizeof(kname)), dh, dw, width,
             support, records);
    return 1;
}
