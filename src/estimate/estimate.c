/*
 * nr_estimate_plane: bars, frame checks, both axes, verdict.
 *
 * The verdict is deliberately conservative: "upscaled" needs a clear dip
 * (the best size fits several times better than its neighbours), "native"
 * needs a frame clean and detailed enough that an upscale would have shown
 * such a dip, and everything else is "unsure" (flat, dark, tiny, noisy).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "est_axis.h"

/* dip ratio (error at the best size / its neighbours) that means upscaled */
#define RATIO_UPSCALED 0.5
/* a frame is judged native only if noise alone would leave a dip this deep */
#define NOISE_NATIVE 0.3
#define RATIO_NATIVE 0.75
/* a dip on the other axis at the same place, weaker but still there */
#define RATIO_CONFIRM 0.8
/* a dip this clear needs no backing from the other axis */
#define RATIO_ALONE 0.3
#define MIN_SIDE 64
/* 1st to 99th percentile of luma under this: nothing to fit (until the
 * dark frames of issue 11, also any frame whose 99th percentile was under
 * 0.15, however much lineart it held) */
#define FLAT_RANGE 0.08
/* agreement: the fraction of blocks dipping at the best size. A shallow
 * dip (compression) still counts when nearly every block shows it. */
#define AGREE_STRONG 0.6
#define AGREE_SHALLOW 0.85
#define RATIO_SHALLOW 0.75
#define AGREE_ALONE 0.8
#define AGREE_NATIVE 0.7

/* a weaker dip that counts only with the other axis dipping at the same
 * place (heavy compression: 719.5p under x264 CRF 20). Native pictures
 * leave best ratios >= 0.7 with agreement <= 0.6. */
#define RATIO_WEAK 0.65
#define AGREE_WEAK 0.65

/* both axes dipping at one place, each under JOINT_EACH, their product
 * under JOINT_PRODUCT: an upscale, when neither dip alone passes (0.5
 * until 2026-12-04; the natives' closest pair stays at 0.87 x 0.86, and
 * 0.6 added a coded 720 at 0.745 x 0.702 and nothing else) */
#define JOINT_EACH 0.75
#define JOINT_PRODUCT 0.6

/* letterboxed pictures: a dip of the crop's grid this clear elsewhere
 * vetoes an upscale found on the whole frame's grid */
#define CROP_VETO 0.6

/* The codec's block grid (est_codec_grid.c): on an axis whose last DCT
 * coefficient on the block grid keeps a share g of its off-grid energy, a
 * dip at a size lined up with the blocks counts as its ratio / g²: the
 * more the codec thinned what such a model cannot fit, the less a dip
 * there proves. On the real-frame corpus g is 0.43-0.64 where x265 CRF 18
 * made false 945 dips of 0.24-0.43, 0.5-0.93 for x264's false 540 / 810
 * (0.52-0.64); true 810 upscales measure 0.02-0.15 before compression.
 * Such a dip still keeps the frame from being called native. */
static double codec_discount(double g)
{
    return g * g;
}

/* the best dip (nr_curve.dips, over kernels) of an axis's coarse curves
 * at the sample nearest `size` */
static double curve_dip_at(nr_curve *cv, int n, double size)
{
    double best = INFINITY;
    for (int k = 0; k < n; k++) {
        est_curve_fill_dips(&cv[k]);
        if (!cv[k].dips || cv[k].count < 2)
            continue;
        double st = cv[k].sizes[1] - cv[k].sizes[0];
        int i = (int)floor((size - cv[k].sizes[0]) / st + 0.5);
        if (i >= 0 && i < cv[k].count && isfinite(cv[k].dips[i]) && cv[k].dips[i] < best)
            best = cv[k].dips[i];
    }
    return best;
}

/* A dip within 10 steps of a size lined up with the codec's blocks that
 * dips deeper there: the side lobe of the codec's false dip (k/8 of the
 * axis, whole or not: pictures with bars are measured on their crop). */
static bool codec_side_lobe(nr_curve *cv, int n, int full, double size, double step)
{
    double here = curve_dip_at(cv, n, size);
    for (int k = 1; k < 8; k++) {
        double a = full * k / 8.0;
        if (fabs(a - size) <= 10 * step && curve_dip_at(cv, n, a) < here)
            return true;
    }
    return false;
}

/* within a sample of k/8 of the axis: lined up with the codec's 8-blocks
 * by its period, also on a crop of bars (est_codec_aligned wants whole
 * sizes of the axis: 937 of a 1071-line crop is 7/8 of it) */
static bool near_eighth(int full, double size)
{
    double k = floor(size * 8 / full + 0.5);
    return k > 0 && k < 8 && fabs(size - full * k / 8) <= 1;
}

static bool axis_dips(const est_axis *a)
{
    return a->valid && ((a->ratio < RATIO_UPSCALED && a->agreement >= AGREE_STRONG) ||
                        (a->ratio < RATIO_SHALLOW && a->agreement >= AGREE_SHALLOW));
}

static bool axis_dips_weakly(const est_axis *a)
{
    return a->valid && a->ratio < RATIO_WEAK && a->agreement >= AGREE_WEAK;
}

/* The kernel of the verdict. When both axes measured the same upscale,
 * their kernel scores add up (twice the evidence); the axis that already
 * refined that kernel (b/c) supplies it. */
static nr_kernel pick_kernel(const est_axis *ha, const est_axis *wa, bool both,
                             const est_lut *luts, int nk, nr_kernel fallback)
{
    if (!both)
        return fallback;
    int best = -1;
    double best_s = INFINITY;
    if (ha->num_scored == wa->num_scored)
        nk = ha->num_scored;
    for (int k = 0; k < nk; k++) {
        double s = ha->kernel_scores[k] + wa->kernel_scores[k];
        if (s < best_s) {
            best_s = s;
            best = k;
        }
    }
    if (best < 0)
        return fallback;
    if (best == ha->kernel_index)
        return ha->kernel;
    if (best == wa->kernel_index)
        return wa->kernel;
    return luts[best].kernel;
}

const char *nr_verdict_name(nr_verdict v)
{
    switch (v) {
    case NR_VERDICT_NATIVE:   return "native";
    case NR_VERDICT_UPSCALED: return "upscaled";
    case NR_VERDICT_UNSURE:
    default:                  return "unsure";
    }
}

void nr_estimate_opts_default(nr_estimate_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->fractional = true;
    o->refine_bicubic = true;
    o->crop_bars = true;
}

static const char *const default_kernels[] = {
    "bilinear", "catrom", "mitchell", "bicubicsharp", "lanczos3", "spline36",
};
/* getnative's bicubic set and hermite (b = c = 0: a bicubic whose weights
 * vanish past one sample, so a hermite upscale looks most like bilinear
 * to the sweep); the pairs no smoother than mitchell first (est_axis.c
 * scores those like the swept kernels) */
static const double bc_set[][2] = {
    {1.0 / 3, 1.0 / 3}, {0, 0.5}, {0, 0.75}, {0, 1}, {0.2, 0.5}, {0, 0},
    {0.5, 0}, {1, 0}, {0.5, 0.5},
};

void nr_estimate_free(nr_estimate *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->num_height_curves; i++) {
        free(e->height_curves[i].sizes);
        free(e->height_curves[i].errors);
        free(e->height_curves[i].dips);
    }
    for (int i = 0; i < e->num_width_curves; i++) {
        free(e->width_curves[i].sizes);
        free(e->width_curves[i].errors);
        free(e->width_curves[i].dips);
    }
    free(e->height_curves);
    free(e->width_curves);
    e->height_curves = e->width_curves = NULL;
    e->num_height_curves = e->num_width_curves = 0;
}

static void set_reason(nr_estimate *out, nr_verdict v, const char *why)
{
    out->verdict = v;
    snprintf(out->reason, sizeof(out->reason), "%s", why);
}

/* moves an axis's curves and candidates into the estimate */
static void take_axis(nr_estimate *out, est_axis *a, int vertical)
{
    if (vertical) {
        out->height_curves = a->curves;
        out->num_height_curves = a->num_curves;
        memcpy(out->height_candidates, a->candidates, sizeof(a->candidates));
        out->num_height_candidates = a->num_candidates;
    } else {
        out->width_curves = a->curves;
        out->num_width_curves = a->num_curves;
        memcpy(out->width_candidates, a->candidates, sizeof(a->candidates));
        out->num_width_candidates = a->num_candidates;
    }
    a->curves = NULL;
    a->num_curves = 0;
}

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static int analyse(const float *luma, ptrdiff_t stride, int w, int h,
                   const nr_estimate_opts *o, const int *roi, const double *codec,
                   nr_estimate *out, char *err, size_t err_size);

static int estimate_plane(const float *luma, ptrdiff_t stride, int w, int h,
                          const nr_estimate_opts *o, bool whole_grid, nr_estimate *out,
                          char *err, size_t err_size);

int nr_estimate_plane(const float *luma, ptrdiff_t stride, int w, int h,
                      const nr_estimate_opts *o, nr_estimate *out,
                      char *err, size_t err_size)
{
    return estimate_plane(luma, stride, w, h, o, false, out, err, err_size);
}

int est_estimate_plane_whole(const float *luma, ptrdiff_t stride, int w, int h,
                             const nr_estimate_opts *o, nr_estimate *out,
                             char *err, size_t err_size)
{
    return estimate_plane(luma, stride, w, h, o, true, out, err, err_size);
}

static int estimate_plane(const float *luma, ptrdiff_t stride, int w, int h,
                          const nr_estimate_opts *o, bool whole_grid, nr_estimate *out,
                          char *err, size_t err_size)
{
    nr_estimate_opts defaults;
    if (!o) {
        nr_estimate_opts_default(&defaults);
        o = &defaults;
    }
    if (!out || !luma || w < 1 || h < 1 || stride < w) {
        snprintf(err, err_size, "invalid plane (%dx%d, stride %td)", w, h, stride);
        return -1;
    }
    /* NaN or Inf (a float image read as it is) would poison every residual */
    for (int y = 0; y < h; y++) {
        const float *row = luma + (ptrdiff_t)y * stride;
        for (int x = 0; x < w; x++) {
            if (!isfinite(row[x])) {
                snprintf(err, err_size, "sample %g at (%d, %d) is not a finite number",
                         row[x], x, y);
                return -1;
            }
        }
    }
    memset(out, 0, sizeof(*out));
    out->verdict = NR_VERDICT_UNSURE;
    out->crop_w = w;
    out->crop_h = h;
    if (o->num_kernels < 0 || (o->num_kernels > 0 && !o->kernels)) {
        snprintf(err, err_size, "invalid kernel list");
        return -1;
    }
    if (o->num_kernels > EST_MAX_KERNELS) {
        snprintf(err, err_size, "at most %d kernels", EST_MAX_KERNELS);
        return -1;
    }
    for (int k = 0; k < o->num_kernels; k++)
        if (nr_kernel_validate(&o->kernels[k], err, err_size) < 0)
            return -1;
    if (o->min_height < 0 || o->max_height < 0 || o->height_step < 0 ||
        !isfinite(o->min_height) || !isfinite(o->max_height) || !isfinite(o->height_step)) {
        snprintf(err, err_size, "invalid height range");
        return -1;
    }
    if ((o->min_height > 0 || o->max_height > 0) &&
        !(o->min_height >= 8 && o->max_height > o->min_height)) {
        snprintf(err, err_size, "height range %g:%g is invalid (need 8 <= MIN < MAX)",
                 o->min_height, o->max_height);
        return -1;
    }

    /* the codec's grid starts at the coded frame's corner, bars or not */
    const double codec[2] = {est_codec_grid(luma, stride, w, h, 1),
                             est_codec_grid(luma, stride, w, h, 0)};
    if (!o->crop_bars)
        return analyse(luma, stride, w, h, o, NULL, codec, out, err, err_size);
    int bars[4];
    est_find_bars(luma, stride, w, h, &bars[0], &bars[1], &bars[2], &bars[3]);
    if (bars[2] == w && bars[3] == h)
        return analyse(luma, stride, w, h, o, NULL, codec, out, err, err_size);
    if (whole_grid || o->whole_grid)
        return analyse(luma, stride, w, h, o, bars, codec, out, err, err_size);
    /* Bars: the content may have been upscaled on its own (the grid is
     * the crop's) or upscaled whole and letterboxed after (the grid is the
     * frame's, and the crop's grid is offset from it: the letterboxed
     * kizumonogatari frame gave 408 for 955.75). Both are measured, on the
     * content's lines; the clearer upscale wins. */
    const float *crop = luma + (ptrdiff_t)bars[1] * stride + bars[0];
    if (analyse(crop, stride, bars[2], bars[3], o, NULL, codec, out, err, err_size) < 0)
        return -1;
    out->crop_x = bars[0];
    out->crop_y = bars[1];
    out->crop_w = bars[2];
    out->crop_h = bars[3];
    if (o->crop_grid_only)
        return 0;
    nr_estimate whole;
    if (analyse(luma, stride, w, h, o, bars, codec, &whole, err, err_size) < 0) {
        nr_estimate_free(out);
        return -1;
    }
    /* the crop's own clear dip elsewhere vetoes the whole frame's: two
     * grids disagreeing is no evidence for either (an x265 945 dip on the
     * whole grid against 909 on the crop's, for a 720 upscale) */
    bool contradicted = false;
    if (out->verdict != NR_VERDICT_UPSCALED && out->num_height_candidates > 0 &&
        whole.verdict == NR_VERDICT_UPSCALED) {
        const nr_candidate *c = &out->height_candidates[0];
        double whole_h = whole.scale.win_height > 0 ? whole.scale.win_height : whole.scale.native_h;
        contradicted = 1 - c->score < CROP_VETO &&
                       fabs(c->size * h / bars[3] - whole_h) > 2;
    }
    /* equal confidence (clean pictures reach 1): the deeper height dip */
    double whole_dip = whole.num_height_candidates ? 1 - whole.height_candidates[0].score : 1;
    double crop_dip = out->num_height_candidates ? 1 - out->height_candidates[0].score : 1;
    /* Bars on whole lines of both grids (an upscale of the content from
     * 536 lines to 804, bars of 138 added: 720 on the whole frame's grid,
     * 92 lines of bars) make the two grids one and the same model: both
     * dip alike and the crop's, which pools measure, is kept. */
    bool same_grid = false;
    if (out->verdict == NR_VERDICT_UPSCALED && whole.verdict == NR_VERDICT_UPSCALED) {
        double crop_h = out->scale.win_height > 0 ? out->scale.win_height : out->scale.native_h;
        double whole_h = whole.scale.win_height > 0 ? whole.scale.win_height : whole.scale.native_h;
        double top = bars[1] * crop_h / bars[3];
        same_grid = fabs(crop_h * h / bars[3] - whole_h) < 0.5 && fabs(top - floor(top + 0.5)) < 1e-6;
    }
    if (whole.verdict == NR_VERDICT_UPSCALED && !contradicted && !same_grid &&
        (out->verdict != NR_VERDICT_UPSCALED || whole.confidence > out->confidence + 0.05 ||
         (whole.confidence > out->confidence - 0.05 && whole_dip < crop_dip))) {
        nr_estimate_free(out);
        *out = whole;
    } else {
        nr_estimate_free(&whole);
    }
    return 0;
}

/* The estimate of a plane on its own grid (bars cropped already). roi
 * (NULL: the whole plane): the lines are picked there only. */
static int analyse(const float *luma, ptrdiff_t stride, int w, int h,
                   const nr_estimate_opts *o, const int *roi, const double *codec,
                   nr_estimate *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof(*out));
    out->verdict = NR_VERDICT_UNSURE;
    out->crop_w = w;
    out->crop_h = h;
    const int cw = w, ch = h;
    const float *crop = luma;
    /* the picture's statistics: of the content */
    const float *content = roi ? luma + (ptrdiff_t)roi[1] * stride + roi[0] : luma;
    const int content_w = roi ? roi[2] : w, content_h = roi ? roi[3] : h;

    double min_h, max_h, step = o->height_step > 0 ? o->height_step : 1;
    if (o->min_height > 0) {
        min_h = o->min_height;
        max_h = o->max_height;
        if (max_h >= ch) {
            snprintf(err, err_size, "height range %g:%g does not fit the %d-line picture",
                     min_h, max_h, ch);
            return -1;
        }
    } else {
        min_h = floor(500.0 * ch / 1080 + 0.5);
        max_h = floor(1000.0 * ch / 1080 + 0.5);
        if (max_h > ch - 1)
            max_h = ch - 1;
    }
    if (cw < MIN_SIDE || ch < MIN_SIDE || min_h < 8) {
        set_reason(out, NR_VERDICT_UNSURE, "picture too small to analyse");
        return 0;
    }
    est_frame_stats st;
    est_frame_stats_compute(content, stride, content_w, content_h, &st);
    const double codec_v = codec[0], codec_h = codec[1];
    out->codec_grid[0] = codec_v;
    out->codec_grid[1] = codec_h;
    /* Too flat: judged by the spread of the coded values, not by the
     * level: a dark scene's lineart (a few dozen code values over a black
     * background) fits as well as a bright one's (each block's residual
     * is weighed against its own level). */
    if (st.p99 - st.p01 < FLAT_RANGE) {
        snprintf(out->reason, sizeof(out->reason), "too flat (luma range %.0f code values)",
                 255 * (st.p99 - st.p01));
        return 0;
    }
    if (st.detail < 0.002) {
        set_reason(out, NR_VERDICT_UNSURE, "too little detail");
        return 0;
    }

    /* kernels */
    int nk = o->num_kernels > 0 ? o->num_kernels : (int)(sizeof(default_kernels) / sizeof(*default_kernels));
    int nbc = o->refine_bicubic ? (int)(sizeof(bc_set) / sizeof(*bc_set)) : 0;
    est_lut *luts = calloc((size_t)(nk + nbc), sizeof(est_lut));
    est_work *work = est_work_new(256);
    if (!luts || !work) {
        free(luts);
        est_work_free(work);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int rc = 0;
    for (int k = 0; k < nk + nbc && rc == 0; k++) {
        nr_kernel kern;
        if (k < nk && o->num_kernels > 0)
            kern = o->kernels[k];
        else if (k < nk)
            nr_kernel_parse(default_kernels[k], &kern);
        else {
            nr_kernel_parse("bicubic", &kern);
            kern.b = bc_set[k - nk][0];
            kern.c = bc_set[k - nk][1];
        }
        if (est_lut_init(&luts[k], &kern) < 0) {
            snprintf(err, err_size, "kernel too wide for the estimator");
            rc = -1;
        }
    }

    est_axis ha, wa;
    memset(&ha, 0, sizeof(ha));
    memset(&wa, 0, sizeof(wa));
    est_axis_params p = {
        .plane = crop, .stride = stride, .w = cw, .h = ch, .vertical = 1,
        .min_size = min_h, .max_size = max_h, .step = step,
        .luts = luts, .num_kernels = nk, .bc_luts = luts + nk, .num_bc = nbc,
        .fractional = o->fractional, .noise_sigma = st.noise_sigma,
        .coarse_bands = 2, .coarse_lanes = 16, .fine_bands = 4, .fine_lanes = 32,
        .band_len = 128, .refine_below = RATIO_UPSCALED,
        .roi = {roi ? roi[0] : 0, roi ? roi[1] : 0, roi ? roi[2] : 0, roi ? roi[3] : 0},
        .codec_discount = codec_discount(codec_v),
    };
    /* width: the same relative range, on even sizes (native widths are) */
    const double aspect = (double)cw / ch;
    est_axis_params pw = p;
    pw.vertical = 0;
    pw.codec_discount = codec_discount(codec_h);
    pw.min_size = 2 * ceil(min_h * aspect / 2);
    pw.max_size = fmin(max_h * aspect, cw - 1);
    pw.step = 2 * fmax(1, floor(step * aspect / 2 + 0.5));
    /* the width's coarse sweep first: the height re-measures where both
     * axes dip together too (est_axis.c); the width's run takes it over */
    est_axis wpre;
    memset(&wpre, 0, sizeof(wpre));
    bool have_w = pw.max_size > pw.min_size;
    if (rc == 0 && have_w) {
        est_axis_params pc = pw;
        pc.coarse_only = true;
        if (est_axis_run(&wpre, &pc, work) < 0) {
            snprintf(err, err_size, "out of memory");
            rc = -1;
        }
    }
    p.cross = wpre.curves;
    p.cross_count = wpre.num_curves;
    p.cross_scale = aspect;
    if (rc == 0 && est_axis_run(&ha, &p, work) < 0) {
        snprintf(err, err_size, "out of memory");
        rc = -1;
    }
    p.cross = NULL;
    p.cross_count = 0;
    pw.pre = &wpre;
    /* A height dip, even a weak one, has the width re-measured where it
     * points: compression can hide the width's dip from the coarse sweep
     * (719.5p on web-like x264), and a weak height needs the width's
     * backing to count at all. */
    if (ha.valid) {
        pw.extra_sizes[0] = ha.size * aspect;
        pw.num_extra = 1;
        if (axis_dips(&ha) || axis_dips_weakly(&ha))
            pw.hint = ha.size * aspect;
    }
    if (rc == 0 && have_w && est_axis_run(&wa, &pw, work) < 0) {
        snprintf(err, err_size, "out of memory");
        rc = -1;
    }
    est_axis_free(&wpre);
    /* A clear width but no clear height: the height's dip may have been
     * missed by the coarse sweep (e.g. a fractional height between two
     * integers); measure it again where the width points, and at exactly
     * the width's size too: a height
     * axis with little detail of its own (a source that was itself made
     * under the tested size) can fit a neighbouring fraction slightly
     * better (896.25 for a clean 900 bicubic-sharp upscale, width 0.08)
     * and would then never back the width. At the width's size the height
     * must fit as a dip would (under RATIO_UPSCALED of the best dip's
     * neighbours: 0.12 there); RATIO_CONFIRM let a false 943.6 through
     * (0.76) on a coded 720p frame. */
    double h_at_width = 1;
    if (rc == 0 && axis_dips(&wa) && ha.valid && !axis_dips(&ha)) {
        est_axis again;
        p.hint = wa.size / aspect;
        p.extra_sizes[0] = wa.size / aspect;
        p.num_extra = 1;
        if (est_axis_run(&again, &p, work) < 0) {
            snprintf(err, err_size, "out of memory");
            rc = -1;
        } else {
            if (again.valid)
                h_at_width = again.extra_errors[0];
            if (again.valid && again.ratio < ha.ratio) {
                est_axis_free(&ha);
                ha = again;
            } else {
                est_axis_free(&again);
            }
        }
    }

    if (rc == 0) {
        take_axis(out, &ha, 1);
        take_axis(out, &wa, 0);
        bool h_up = axis_dips(&ha);
        bool w_up = axis_dips(&wa);
        bool consistent = ha.valid && wa.valid && fabs(wa.size - ha.size * aspect) <= 1.5;
        /* the other axis backs a dip when it dips (less clearly) in the
         * same place: compression weakens one axis more than the other */
        bool w_backs = wa.valid && ((consistent && wa.ratio < RATIO_CONFIRM) ||
                                    (pw.num_extra && wa.extra_errors[0] < RATIO_CONFIRM));
        bool h_backs = consistent && ha.ratio < RATIO_CONFIRM;
        double noise = fmin(ha.valid ? ha.noise : 1, wa.valid ? wa.noise : 1);
        double height = 0, width = 0;   /* width 0: from the height and the aspect */
        bool height_from_width = false;  /* the height measured where the width dips */
        nr_kernel kernel = ha.kernel;
        double r = 1;
        const char *unsure_why = NULL;
        /* weak dips on both axes at the same place, or a weak one backed */
        if (!h_up && !w_up && axis_dips_weakly(&ha) &&
            ((consistent && axis_dips_weakly(&wa)) ||
             (pw.num_extra && wa.valid && wa.extra_errors[0] < RATIO_CONFIRM && consistent)))
            h_up = true;
        /* Both axes dip at the same place, each only moderately (a coded
         * frame's true size: neither passes alone), away from the sizes
         * lined up with the codecs' blocks (whose false dips fall on both
         * axes alike: 810 x 1440, 978.75 x 1740, and their side lobes). On
         * the real-frame corpus
         * no native frame's two best dips fall together under these
         * bounds (the closest: 0.87 x 0.86). */
        if (!h_up && !w_up && consistent && ha.ratio < JOINT_EACH && wa.ratio < JOINT_EACH &&
            ha.ratio * wa.ratio < JOINT_PRODUCT && !near_eighth(ch, ha.size) &&
            !near_eighth(cw, wa.size) &&
            (codec_v >= 1 || est_codec_near_wide(ch, ha.size, 1) == 0) &&
            !codec_side_lobe(out->height_curves, out->num_height_curves, ch, ha.size, step) &&
            !codec_side_lobe(out->width_curves, out->num_width_curves, cw, wa.size, pw.step))
            h_up = true;
        /* Both axes dip, at places that disagree. An anamorphic master is
         * rare; more often the less clear dip is a false one and its axis
         * also dips, less clearly, where the clearer one points (x264 CRF
         * 14: height 976.5 at 0.42 against width 1552 at 0.29, the height
         * dipping at 873 too, 0.44; the truth 873). Such a pair wins. */
        bool switched = false;
        if (h_up && w_up && !consistent) {
            bool width_leads = wa.ratio < ha.ratio;
            const est_axis *other = width_leads ? &ha : &wa;
            double want = width_leads ? wa.size / aspect : ha.size * aspect;
            for (int i = 0; i < other->num_candidates; i++) {
                const nr_candidate *c = &other->candidates[i];
                if (fabs(c->size - want) <= 1.5 * (width_leads ? 1 : aspect) &&
                    1 - c->score < RATIO_CONFIRM) {
                    est_axis *follower = width_leads ? &ha : &wa;
                    follower->size = c->size;
                    follower->ratio = 1 - c->score;
                    follower->kernel = c->kernel;
                    consistent = switched = true;
                    break;
                }
            }
        }
        if (h_up) {
            if (!(ha.ratio < RATIO_ALONE && ha.agreement >= AGREE_ALONE) && !w_backs && !w_up) {
                unsure_why = "height dip not backed by the width";
            } else {
                height = ha.size;
                if (w_up && !consistent)
                    width = wa.size;      /* an independent width (anamorphic master) */
                r = ha.ratio;
                if (w_up && consistent && wa.ratio < ha.ratio) {
                    kernel = wa.kernel;
                    r = wa.ratio;
                }
            }
        } else if (w_up) {
            if (h_backs) {
                height = ha.size;
                kernel = wa.ratio < ha.ratio ? wa.kernel : ha.kernel;
                r = wa.ratio;
            } else if (h_at_width < RATIO_UPSCALED) {
                height = wa.size / aspect;
                height_from_width = true;
                kernel = wa.kernel;
                r = wa.ratio;
            } else if (wa.ratio < RATIO_ALONE && wa.agreement >= AGREE_ALONE && ha.valid &&
                       ha.ratio > RATIO_NATIVE && ha.agreement < AGREE_NATIVE &&
                       ha.noise < NOISE_NATIVE) {
                height = ch;              /* rows upscaled, lines not: width only */
                width = wa.size;
                kernel = wa.kernel;
                r = wa.ratio;
            } else {
                unsure_why = "width dip not backed by the height";
            }
        }
        /* A size lined up with the codec's 8-blocks (k/8 of the axis) on
         * a coded frame: compression alone dips there, on both axes alike
         * (x265 CRF 18 on a 900p upscale: 945 x 1680 at 0.63 x 0.84 after
         * the discount), so one frame must be as clear as a pool must be;
         * true 810 upscales under x264 / x265 measured 0.25-0.53 x
         * 0.27-0.73, products 0.11-0.28. (HEVC's k/32 sizes are left to
         * the discount: the same rule there took true 843.75 upscales
         * under x264, which has no such blocks.) */
        if (height > 0 && (height == ha.size || height_from_width) && codec_v < 1 &&
            near_eighth(ch, height)) {
            double h_at = height_from_width ? h_at_width : ha.ratio;
            double w_at = consistent || height_from_width ? wa.ratio
                        : pw.num_extra && wa.valid ? wa.extra_errors[0] : 1;
            if (!(h_at < EST_ALIGNED_ONE && h_at * fmin(w_at, 1) < EST_ALIGNED_PRODUCT)) {
                height = 0;
                unsure_why = "a size lined up with the codec's blocks, not clear enough";
            }
        }
        if (height > 0) {
            /* (the kernel scores were taken at the sizes before a switch) */
            kernel = pick_kernel(&ha, &wa, consistent && !switched && ha.valid && wa.valid, luts,
                                 nk, kernel);
            out->scale.kernel = kernel;
            out->scale.border = NR_BORDER_MIRROR;
            char e2[160];
            if (nr_scale_for_height(&out->scale, cw, ch, height, width, e2, sizeof(e2)) < 0) {
                set_reason(out, NR_VERDICT_UNSURE, e2);
            } else {
                out->verdict = NR_VERDICT_UPSCALED;
                double agree = fmax(h_up ? ha.agreement : 0, w_up ? wa.agreement : 0);
                out->confidence = clamp01(0.5 * clamp01((0.75 - r) / 0.65) +
                                          0.5 * clamp01((agree - 0.6) / 0.35));
                if (h_up && w_up)
                    out->confidence = clamp01(out->confidence + 0.1);
                snprintf(out->reason, sizeof(out->reason),
                         "dip ratio %.3f (height) %.3f (width), agreement %.2f %.2f",
                         ha.ratio, wa.ratio, ha.agreement, wa.agreement);
            }
        } else if (unsure_why) {
            snprintf(out->reason, sizeof(out->reason), "%s (ratios %.3f, %.3f)", unsure_why,
                     ha.ratio, wa.ratio);
            out->verdict = NR_VERDICT_UNSURE;
        } else if (!ha.valid) {
            set_reason(out, NR_VERDICT_UNSURE, ha.reason[0] ? ha.reason : "no measurable detail");
        } else if (noise < NOISE_NATIVE && ha.raw_ratio > RATIO_NATIVE && ha.agreement < AGREE_NATIVE &&
                   (!wa.valid || (wa.raw_ratio > RATIO_NATIVE && wa.agreement < AGREE_NATIVE))) {
            /* native needs no dip at all, codec-discounted ones included */
            out->verdict = NR_VERDICT_NATIVE;
            double r = fmin(ha.ratio, wa.valid ? wa.ratio : ha.ratio);
            out->confidence = clamp01((r - RATIO_NATIVE) / (1 - RATIO_NATIVE) + 0.3) *
                              clamp01(1 - noise / NOISE_NATIVE);
            snprintf(out->reason, sizeof(out->reason),
                     "no dip (best ratio %.3f height, %.3f width; agreement %.2f %.2f)",
                     ha.ratio, wa.ratio, ha.agreement, wa.agreement);
        } else {
            snprintf(out->reason, sizeof(out->reason),
                     noise >= NOISE_NATIVE ? "too noisy (noise level %.2f, best ratio %.3f)"
                                           : "weak dip (noise level %.2f, best ratio %.3f)",
                     noise, fmin(ha.ratio, wa.ratio));
            out->verdict = NR_VERDICT_UNSURE;
        }
        if (out->verdict != NR_VERDICT_UPSCALED) {
            /* keep the scale meaningful for callers that print it */
            out->scale.full_w = out->scale.native_w = cw;
            out->scale.full_h = out->scale.native_h = ch;
        }
    } else {
        nr_estimate_free(out);
    }
    est_axis_free(&ha);
    est_axis_free(&wa);
    for (int k = 0; k < nk + nbc; k++)
        est_lut_free(&luts[k]);
    free(luts);
    est_work_free(work);
    return rc;
}
