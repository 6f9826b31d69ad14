/*
 * One axis of the estimate: sweep every candidate size and kernel on a few
 * lines, keep the clearest dips, re-measure them on more lines, refine to
 * quarter pixels and over getnative's bicubic b/c set.
 *
 * Scores are relative, never absolute: each block's residual energy is
 * divided by its own typical level over the sweep (so a block of native
 * credits weighs as much as any other block and cannot fake or hide a dip
 * by its contrast), and a dip is the error at a size divided by the median
 * error of its neighbours 2..10 steps away (a true upscale fits to the
 * noise floor, every other size only as well as its neighbours).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "est_axis.h"

#define NEIGHBOURS 10
/* A block counts when its typical residual over the sweep stands this
 * many times above what noise alone leaves after a fit (the best dip it
 * can show is about 1 / BLOCK_CLEAR)... */
#define BLOCK_CLEAR 4.0
/* ...or, when too few blocks do (a dark scene: lineart of a few dozen
 * code values, whose residual is near the 8-bit rounding), this many: a
 * dip there can reach only about 0.5, which the verdict's thresholds
 * weigh like any other. Bright frames keep the stricter floor. */
#define BLOCK_CLEAR_DIM 2.0

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n & 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Per-block normaliser (mean energy over the given evaluations) and the
 * validity of each block: it must stand clear of what noise alone leaves
 * after a fit. Returns the number of valid blocks; norm[blocks] (norm holds
 * blocks + 1 entries) is the median level of the valid ones. */
static int block_norms(const float *e, int count, int blocks, const est_lines *lines,
                       double noise_energy_per_sample, double mean_ratio, double clear,
                       double *norm)
{
    int valid = 0;
    int b = 0;
    for (int band = 0; band < lines->num_bands; band++) {
        double noise = noise_energy_per_sample * lines->bands[band].len * (1 - mean_ratio);
        for (int l = 0; l < lines->bands[band].lanes; l++, b++) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < count; i++) {
                float v = e[(size_t)i * blocks + b];
                if (v >= 0) {
                    sum += v;
                    n++;
                }
            }
            double m = n ? sum / n : 0;
            norm[b] = m > clear * noise && m > 0 ? m : 0;
            valid += norm[b] > 0;
        }
    }
    /* the median level of the valid blocks, after them (normalised()) */
    double *v = malloc(sizeof(double) * (size_t)(valid ? valid : 1));
    int n = 0;
    for (b = 0; v && b < blocks; b++)
        if (norm[b] > 0)
            v[n++] = norm[b];
    norm[blocks] = v ? median(v, n) : 0;
    free(v);
    return valid;
}

/* Blocks weigh by their level up to LEVEL_CAP times the median level
 * (norm[blocks], set by block_norms): a block whose residual stands only a
 * little above the noise (compression's noise floor, which no candidate
 * fits) can show only a shallow dip, one rich in lineart a deep one; the
 * cap keeps a few strongest blocks from deciding alone (weights growing
 * with the level without a cap found more coded upscales but made chance
 * dips of native frames deeper too). Blocks under the median weigh less
 * in proportion. */
#define LEVEL_CAP 2.0

/* normalised error of one evaluation: weighted mean over valid blocks of
 * e/norm */
static double normalised(const float *e, const double *norm, int blocks)
{
    const double med = norm[blocks];
    double sum = 0, n = 0;
    for (int b = 0; b < blocks; b++) {
        if (norm[b] > 0 && e[b] >= 0) {
            double w = med > 0 ? fmin(norm[b] / med, LEVEL_CAP) : 1;
            sum += w * e[b] / norm[b];
            n += w;
        }
    }
    return n > 0 ? sum / n : NAN;
}

/* expected normalised error of a perfect fit at `size`: noise only */
static double noise_level(const double *norm, const est_lines *lines,
                          double noise_energy_per_sample, double ratio)
{
    double sum = 0;
    int n = 0, b = 0;
    for (int band = 0; band < lines->num_bands; band++) {
        double noise = noise_energy_per_sample * lines->bands[band].len * (1 - ratio);
        for (int l = 0; l < lines->bands[band].lanes; l++, b++)
            if (norm[b] > 0) {
                sum += noise / norm[b];
                n++;
            }
    }
    return n ? sum / n : 1;
}

/* evaluates `count` sizes x `nk` kernels into e[(k * count + i) * blocks] */
static void evaluate(est_work *w, const est_lines *lines, const est_lut *luts, int nk,
                     const double *sizes, int count, float *e)
{
    for (int k = 0; k < nk; k++)
        est_residual_sizes(w, lines, &luts[k], sizes, count,
                           e + (size_t)k * count * lines->num_blocks);
}

/* Block levels when the fine neighbours (a few lines off) leave too few
 * blocks clear of the noise: a soft picture upscaled without loss fits
 * nearly as well 2-7 lines off its size as at it (mushokutensei as 955.75
 * catrom: 4-10 of 128 blocks), though the coarse sweep found the dip
 * plainly. The levels are then taken 12-30 lines off as well, where the
 * picture no longer fits, at `clear` and then at the dim floor; the dip is
 * still judged against its near neighbours. Returns the count of valid
 * blocks, as block_norms(). */
static int wide_block_norms(est_work *w, const est_lines *fine, const est_axis_params *p,
                            double centre, int full, const float *far, int far_count,
                            double nse, double clear, double *norm)
{
    static const int wide_offsets[] = {-30, -20, -12, 12, 20, 30};
    enum { NWIDE = sizeof(wide_offsets) / sizeof(wide_offsets[0]) };
    const int nb = fine->num_blocks, nk = p->num_kernels;
    double sizes[NWIDE];
    int n = 0;
    for (int i = 0; i < NWIDE; i++) {
        double s = centre + wide_offsets[i] * p->step;
        if (s >= 8 && s < full)
            sizes[n++] = s;
    }
    float *all = malloc(sizeof(float) * (size_t)(far_count + n * nk) * nb);
    if (!all || n == 0) {
        free(all);
        return 0;
    }
    memcpy(all, far, sizeof(float) * (size_t)far_count * nb);
    evaluate(w, fine, p->luts, nk, sizes, n, all + (size_t)far_count * nb);
    int v = block_norms(all, far_count + n * nk, nb, fine, nse, centre / full, clear, norm);
    if (v < EST_LANES && clear > BLOCK_CLEAR_DIM)
        v = block_norms(all, far_count + n * nk, nb, fine, nse, centre / full, BLOCK_CLEAR_DIM,
                        norm);
    free(all);
    return v;
}

/* ratio of curve[i] to the median of its neighbours 2..NEIGHBOURS away */
static double dip_ratio(const double *curve, int count, int i)
{
    double nb[2 * NEIGHBOURS];
    int n = 0;
    for (int d = 2; d <= NEIGHBOURS; d++) {
        if (i - d >= 0 && isfinite(curve[i - d]))
            nb[n++] = curve[i - d];
        if (i + d < count && isfinite(curve[i + d]))
            nb[n++] = curve[i + d];
    }
    if (n < 3 || !isfinite(curve[i]))
        return INFINITY;
    double m = median(nb, n);
    return m > 0 ? curve[i] / m : INFINITY;
}

/* dip_ratio of the pair (i, i + 1) taken together: their mean against
 * the median of the sizes 2..NEIGHBOURS steps beyond the pair; both must
 * be below the sizes next to the pair */
static double pair_ratio(const double *curve, int count, int i)
{
    double a = curve[i], b = curve[i + 1], hi = a > b ? a : b;
    if (!isfinite(a) || !isfinite(b) || !(curve[i - 1] > hi) || !(curve[i + 2] > hi))
        return INFINITY;
    double nb[2 * NEIGHBOURS];
    int n = 0;
    for (int d = 2; d <= NEIGHBOURS; d++) {
        if (i - d >= 0 && isfinite(curve[i - d]))
            nb[n++] = curve[i - d];
        if (i + 1 + d < count && isfinite(curve[i + 1 + d]))
            nb[n++] = curve[i + 1 + d];
    }
    if (n < 3)
        return INFINITY;
    double m = median(nb, n);
    return m > 0 ? 0.5 * (a + b) / m : INFINITY;
}

/* size of a pick at pos2 half steps */
static double pick_size(const double *sizes, int pos2, double step)
{
    return sizes[pos2 / 2] + (pos2 & 1) * 0.5 * step;
}

/* Per-block median of the neighbours' energies (offsets >= 2 away) of one
 * kernel's fine evaluations. */
static void block_neighbour_medians(const float *ek, const int *offsets, int noff, int nb,
                                    double *med)
{
    double v[32];
    for (int b = 0; b < nb; b++) {
        int n = 0;
        for (int i = 0; i < noff; i++)
            if (abs(offsets[i]) >= 2 && ek[(size_t)i * nb + b] >= 0)
                v[n++] = ek[(size_t)i * nb + b];
        med[b] = n ? median(v, n) : -1;
    }
}

/* Fraction of valid blocks whose energy is clearly below their own
 * neighbours: at a true size nearly every block dips, even when
 * compression noise keeps each dip shallow; at a chance minimum of a
 * native picture only some do. */
static double block_agreement(const float *e, const double *med, const double *norm, int nb)
{
    int n = 0, below = 0;
    for (int b = 0; b < nb; b++) {
        if (!(norm[b] > 0) || !(med[b] > 0) || e[b] < 0)
            continue;
        n++;
        below += e[b] < 0.8 * med[b];
    }
    return n ? (double)below / n : 0;
}

/* Kernel scores at a found size: for every kernel, each block's energy
 * at the size against the median of its own energies 2..5 steps away
 * (log ratio: how deep that kernel's dip is in that block), averaged over
 * blocks weighted by the square of their level, plus KS_RAW_WEIGHT times
 * the same average of the log of the block's raw energy against the
 * lowest any kernel leaves there (kernels in skip, if given, are not
 * fitted and score infinity). Depth alone drifts to blurrier kernels
 * on compressed pictures (a blurry kernel fits the neighbouring sizes
 * worse, which deepens its dip); raw error alone drifts to sharper ones
 * (compression removes the high frequencies where kernels differ, and
 * what is left fits a sharp kernel best); the two drifts pull in opposite
 * directions (on the corpus any weight from 0.45 to 0.9 gives the same
 * answers). Weighting by level: the strong edges carry the kernel's
 * signature well above the compression noise, flat-ish blocks carry
 * mostly noise. Lower = better.
 * e needs (KS_SIZES + nk) * blocks floats (the last nk * blocks keep each
 * kernel's energies at the size). pre (may be NULL): evaluations already made on the same lines around
 * `size`, [kernel][pre_count][block] at pre_offsets steps; sizes found
 * there are copied, not fitted again.
 */
enum { KS_SIZES = 7 };
#define KS_RAW_WEIGHT 0.6
/* score handicap of a b/c pair against the swept kernels: on the
 * synthetic corpus 0.05 lets b = 0 c = 0.75 take a compressed spline36
 * upscale; 0.08-0.12 give the same answers on both corpora */
#define KS_PAIR_MARGIN 0.1
static void kernel_scores(est_work *w, const est_lines *lines, const est_lut *luts, int nk,
                          double size, double step, const double *norm, float *e,
                          const float *pre, int pre_kernels, const int *pre_offsets,
                          int pre_count, const bool *skip, double *score)
{
    static const int offs[KS_SIZES] = {0, -5, -3, -2, 2, 3, 5};
    const int nb = lines->num_blocks;
    float *at_size = e + (size_t)KS_SIZES * nb;   /* [kernel][block] energy at the size */
    for (int k = 0; k < nk; k++) {
        if (skip && skip[k]) {
            score[k] = INFINITY;
            memset(at_size + (size_t)k * nb, 0, sizeof(float) * nb);
            continue;
        }
        for (int i = 0; i < KS_SIZES; i++) {
            /* the fine pass around an integer winner already measured
             * these sizes: copy them rather than fit them again */
            const float *src = NULL;
            for (int j = 0; pre && k < pre_kernels && j < pre_count; j++)
                if (pre_offsets[j] == offs[i])
                    src = pre + ((size_t)k * pre_count + j) * nb;
            if (src)
                memcpy(e + (size_t)i * nb, src, sizeof(float) * nb);
            else
                est_residual(w, lines, &luts[k], size + offs[i] * step, e + (size_t)i * nb);
        }
        memcpy(at_size + (size_t)k * nb, e, sizeof(float) * nb);
        double sum = 0, weight = 0;
        for (int b = 0; b < nb; b++) {
            double v[KS_SIZES - 1];
            int n = 0;
            for (int i = 1; i < KS_SIZES; i++)
                if (e[(size_t)i * nb + b] >= 0)
                    v[n++] = e[(size_t)i * nb + b];
            if (n < 4 || !(norm[b] > 0) || e[b] < 0)
                continue;
            double med = median(v, n);
            if (!(med > 0))
                continue;
            double wt = norm[b] * norm[b];
            sum += wt * log(e[b] / med + 1e-3);
            weight += wt;
        }
        score[k] = weight > 0 ? sum / weight : INFINITY;
    }
    /* raw term, over the blocks every kernel could fit */
    double raw[EST_MAX_KERNELS] = {0}, weight = 0;
    for (int b = 0; b < nb; b++) {
        if (!(norm[b] > 0))
            continue;
        double lowest = INFINITY;
        for (int k = 0; k < nk && lowest >= 0; k++) {
            if (skip && skip[k])
                continue;
            float v = at_size[(size_t)k * nb + b];
            lowest = v < 0 ? -1 : fmin(lowest, v);
        }
        if (lowest < 0)
            continue;
        double wt = norm[b] * norm[b];
        for (int k = 0; k < nk; k++)
            if (!(skip && skip[k]))
                raw[k] += wt * log((at_size[(size_t)k * nb + b] + 1e-9) / (lowest + 1e-9));
        weight += wt;
    }
    if (weight > 0)
        for (int k = 0; k < nk; k++)
            score[k] += KS_RAW_WEIGHT * raw[k] / weight;
}

void est_axis_free(est_axis *a)
{
    for (int k = 0; k < a->num_curves; k++) {
        free(a->curves[k].sizes);
        free(a->curves[k].errors);
        free(a->curves[k].dips);
    }
    free(a->curves);
    est_detail_free(&a->detail);
    memset(a, 0, sizeof(*a));
}

int est_axis_run(est_axis *out, const est_axis_params *p, est_work *w)
{
    memset(out, 0, sizeof(*out));
    out->ratio = out->raw_ratio = INFINITY;
    out->noise = 1;
    const int nk = p->num_kernels;
    const double nse = p->noise_sigma * p->noise_sigma;

    /* ---- coarse sweep ------------------------------------------- */
    est_detail detail = {0};   /* shared by the coarse and the fine pick */
    int count = 0, full, valid;
    double *sizes = NULL, clear;
    float *e = NULL;
    double *norm = NULL;
    if (p->pre) {
        /* taken over from a coarse_only run */
        est_axis *q = p->pre;
        detail = q->detail;
        memset(&q->detail, 0, sizeof(q->detail));
        out->valid_fraction = q->valid_fraction;
        if (!q->curves) {
            snprintf(out->reason, sizeof(out->reason), "%s", q->reason);
            est_detail_free(&detail);
            return 0;
        }
        out->curves = q->curves;
        out->num_curves = q->num_curves;
        q->curves = NULL;
        q->num_curves = 0;
        count = out->curves[0].count;
        full = q->full;
        clear = q->clear;
        valid = q->swept_blocks;
        sizes = malloc(sizeof(double) * (size_t)count);
        if (!sizes)
            goto fail;
        memcpy(sizes, out->curves[0].sizes, sizeof(double) * (size_t)count);
        if (valid < EST_LANES) {
            snprintf(out->reason, sizeof(out->reason), "too little detail");
            est_detail_free(&detail);
            free(sizes);
            return 0;
        }
        goto picks;
    }
    est_lines coarse;
    if (est_lines_pick(&coarse, p->plane, p->stride, p->w, p->h, p->vertical,
                       p->coarse_bands, p->coarse_lanes, p->band_len,
                       p->roi[2] > 0 ? p->roi : NULL, &detail) < 0) {
        est_detail_free(&detail);
        return -1;
    }
    full = coarse.full;
    for (double s = p->min_size; s <= p->max_size + 1e-9; s += p->step)
        count++;
    if (coarse.num_bands == 0 || count < 1) {
        est_lines_free(&coarse);
        est_detail_free(&detail);
        snprintf(out->reason, sizeof(out->reason), "too small to analyse");
        return 0;
    }
    sizes = malloc(sizeof(double) * (size_t)count);
    e = malloc(sizeof(float) * (size_t)count * nk * coarse.num_blocks);
    norm = malloc(sizeof(double) * (size_t)(coarse.num_blocks + 1));
    out->curves = calloc((size_t)nk, sizeof(nr_curve));
    if (!sizes || !e || !norm || !out->curves)
        goto fail;
    for (int i = 0; i < count; i++)
        sizes[i] = p->min_size + i * p->step;
    evaluate(w, &coarse, p->luts, nk, sizes, count, e);
    double mid = 0.5 * (p->min_size + p->max_size) / full;
    clear = BLOCK_CLEAR;
    valid = block_norms(e, count * nk, coarse.num_blocks, &coarse, nse, mid, clear, norm);
    if (valid < EST_LANES) {
        clear = BLOCK_CLEAR_DIM;
        valid = block_norms(e, count * nk, coarse.num_blocks, &coarse, nse, mid, clear, norm);
    }
    out->valid_fraction = (double)valid / coarse.num_blocks;
    out->num_curves = nk;
    for (int k = 0; k < nk; k++) {
        nr_curve *c = &out->curves[k];
        c->kernel = p->luts[k].kernel;
        c->count = count;
        c->sizes = malloc(sizeof(double) * (size_t)count);
        c->errors = malloc(sizeof(double) * (size_t)count);
        if (!c->sizes || !c->errors)
            goto fail;
        for (int i = 0; i < count; i++) {
            c->sizes[i] = sizes[i];
            /* fewer blocks than a chunk of lanes: no evidence (a pool
             * must not average a few noisy blocks as if they were a frame) */
            c->errors[i] = valid >= EST_LANES ? normalised(e + ((size_t)k * count + i) * coarse.num_blocks,
                                              norm, coarse.num_blocks) : NAN;
        }
    }
    est_lines_free(&coarse);
    free(e);
    e = NULL;
    free(norm);
    norm = NULL;
    if (p->coarse_only) {
        out->detail = detail;
        out->clear = clear;
        out->swept_blocks = valid;
        out->full = full;
        free(sizes);
        return 0;
    }
    if (valid < EST_LANES) {
        snprintf(out->reason, sizeof(out->reason), "too little detail");
        est_detail_free(&detail);
        free(sizes);
        return 0;
    }

    /* The clearest dips of the sweep: best ratio over kernels per size.
     * A fractional native size (873.5) leaves two shallow neighbouring
     * dips instead of one deep one, so adjacent pairs are scored too (as a
     * centre half a step up). Positions are in half steps. */
picks:;
    typedef struct { double ratio; int pos2; } pick;
    pick top[EST_TOP];
    int ntop = 0;
    for (int i = 0; i < count; i++) {
        for (int half = 0; half < 2; half++) {
            double best = INFINITY;
            for (int k = 0; k < nk; k++) {
                const double *cv = out->curves[k].errors;
                double r = INFINITY;
                if (!half) {
                    bool local_min = (i == 0 || !(cv[i - 1] < cv[i])) &&
                                     (i == count - 1 || !(cv[i + 1] < cv[i]));
                    r = local_min ? dip_ratio(cv, count, i) : INFINITY;
                } else if (i >= 1 && i + 2 < count) {
                    r = pair_ratio(cv, count, i);
                }
                best = r < best ? r : best;
            }
            if (!isfinite(best))
                continue;
            int pos2 = 2 * i + half;
            /* keep the EST_TOP best, at least 3 steps apart */
            int clash = -1;
            for (int t = 0; t < ntop; t++)
                if (abs(top[t].pos2 - pos2) < 6)
                    clash = t;
            if (clash >= 0) {
                if (best < top[clash].ratio)
                    top[clash] = (pick){best, pos2};
                continue;
            }
            if (ntop < EST_TOP)
                top[ntop++] = (pick){best, pos2};
            else {
                int worst = 0;
                for (int t = 1; t < ntop; t++)
                    if (top[t].ratio > top[worst].ratio)
                        worst = t;
                if (best < top[worst].ratio)
                    top[worst] = (pick){best, pos2};
            }
        }
    }
    /* Where both axes dip together: per size, this axis' best dip over
     * kernels times the other axis' best dip within a sample of where
     * it points (each at most 3). Compression often leaves the true size
     * among neither axis' own best dips but shallow on both, while its
     * false dips (the codec's, chance ones) seldom fall on the same
     * place on both axes. The best such size not among the picks is
     * re-measured too. */
    double cross_centre = 0;
    if (p->cross && p->cross_count > 0 && p->cross[0].count > 2) {
        const int cn = p->cross[0].count;
        const double *cs = p->cross[0].sizes;
        double *cb = malloc(sizeof(double) * (size_t)cn);
        if (cb) {
            for (int j = 0; j < cn; j++) {
                cb[j] = 3;
                for (int k = 0; k < p->cross_count; k++) {
                    double r = dip_ratio(p->cross[k].errors, cn, j);
                    cb[j] = r < cb[j] ? r : cb[j];
                }
            }
            double best = INFINITY;
            int best_i = -1;
            for (int i = 0; i < count; i++) {
                double x = sizes[i] * p->cross_scale;
                if (x < cs[0] - 1 || x > cs[cn - 1] + 1)
                    continue;
                double wb = 3;
                for (int j = 0; j < cn; j++)
                    if (fabs(cs[j] - x) <= 0.5 * (cs[1] - cs[0]) + 1e-9)
                        wb = cb[j] < wb ? cb[j] : wb;
                double hb = 3;
                for (int k = 0; k < nk; k++) {
                    double r = dip_ratio(out->curves[k].errors, count, i);
                    hb = r < hb ? r : hb;
                }
                /* sizes lined up with the codec's blocks by their period
                 * (k/8 of the axis, whole or not: a crop of bars) dip on
                 * both axes of coded native pictures, and next to them:
                 * never picked here (the axis' own picks have them) */
                double r = hb * wb, k8 = floor(sizes[i] * 8 / full + 0.5);
                if (k8 > 0 && k8 < 8 && fabs(sizes[i] - full * k8 / 8) <= 2)
                    continue;
                bool clash = false;
                for (int t = 0; t < ntop; t++)
                    clash |= abs(top[t].pos2 - 2 * i) < 6;
                if (!clash && r < best) {
                    best = r;
                    best_i = i;
                }
            }
            if (best_i >= 0 && best < 1)
                cross_centre = sizes[best_i];
            free(cb);
        }
    }

    /* ---- fine: re-measure the best dips on more lines ------------ */
    est_lines fine;
    int picked = est_lines_pick(&fine, p->plane, p->stride, p->w, p->h, p->vertical,
                                p->fine_bands, p->fine_lanes, p->band_len,
                                p->roi[2] > 0 ? p->roi : NULL, &detail);
    est_detail_free(&detail);
    if (picked < 0)
        goto fail;
    static const int offsets[] = {-7, -5, -3, -2, -1, 0, 1, 2, 3, 5, 7};
    enum { NOFF = sizeof(offsets) / sizeof(offsets[0]) };
    const int nb = fine.num_blocks;
    /* room for NOFF sizes x nk kernels, plus fractional / b/c extras
     * and the kernel scores' energies at the size (nk) */
    size_t cap = (size_t)(NOFF * nk + KS_SIZES + 2 + nk) * nb;
    e = malloc(sizeof(float) * cap);
    norm = malloc(sizeof(double) * (size_t)(nb + 1));
    if (!e || !norm) {
        est_lines_free(&fine);
        goto fail;
    }
    double best_ratio = INFINITY, best_size = 0, best_err = 0, best_agree = 0, best_disc = 1;
    double raw_best = INFINITY;   /* best dip before the codec discount */
    int best_k = 0;
    double best_norm_noise = 1;
    /* norms of the winning candidate, kept for the refinements */
    double *best_norms = malloc(sizeof(double) * (size_t)(nb + 1));
    /* fine evaluations of the winner when it is its integer centre */
    float *best_e = malloc(sizeof(float) * (size_t)NOFF * nk * nb);
    bool best_e_valid = false;
    if (!best_norms || !best_e) {
        free(best_e);
        free(best_norms);
        est_lines_free(&fine);
        goto fail;
    }
    out->num_candidates = 0;
    int nfine = ntop;
    double hint_centre = 0;
    if (p->hint > 0) {   /* nearest swept size to the other axis' answer */
        hint_centre = p->min_size + floor((p->hint - p->min_size) / p->step + 0.5) * p->step;
        for (int t = 0; t < ntop; t++)
            if (fabs(pick_size(sizes, top[t].pos2, p->step) - hint_centre) < 0.5 * p->step)
                hint_centre = 0;
        if (hint_centre >= 8 && hint_centre < full)
            nfine++;
        else
            hint_centre = 0;
    }
    if (cross_centre > 0 && fabs(cross_centre - hint_centre) >= 0.5 * p->step)
        nfine++;
    else
        cross_centre = 0;
    for (int t = 0; t < nfine; t++) {
        double centre = t < ntop ? pick_size(sizes, top[t].pos2, p->step)
                        : t == ntop && hint_centre > 0 ? hint_centre : cross_centre;
        double fs_sizes[NOFF];
        for (int i = 0; i < NOFF; i++)
            fs_sizes[i] = centre + offsets[i] * p->step;
        evaluate(w, &fine, p->luts, nk, fs_sizes, NOFF, e);
        /* normalise over the neighbours only (not the dip itself) */
        int far_count = 0;
        float *far = malloc(sizeof(float) * (size_t)NOFF * nk * nb);
        if (!far)
            continue;
        for (int k = 0; k < nk; k++)
            for (int i = 0; i < NOFF; i++)
                if (abs(offsets[i]) >= 2)
                    memcpy(far + (size_t)far_count++ * nb,
                           e + ((size_t)k * NOFF + i) * nb, sizeof(float) * nb);
        int v = block_norms(far, far_count, nb, &fine, nse, centre / full, clear, norm);
        if (v < EST_LANES)
            v = wide_block_norms(w, &fine, p, centre, full, far, far_count, nse, clear, norm);
        free(far);
        if (v < EST_LANES)
            continue;
        int kc = -1;
        double rc = INFINITY, errc = 0;
        double base_k[EST_MAX_KERNELS];
        for (int k = 0; k < nk; k++) {
            double curve[NOFF];
            for (int i = 0; i < NOFF; i++)
                curve[i] = normalised(e + ((size_t)k * NOFF + i) * nb, norm, nb);
            int c = NOFF / 2;
            double r = dip_ratio(curve, NOFF, c);
            base_k[k] = isfinite(r) && r > 0 ? curve[c] / r : INFINITY;
            nr_candidate cand = {centre, p->luts[k].kernel, curve[c], 1 - r};
            est_axis_add_candidate(out, &cand);
            if (r < rc) {
                rc = r;
                kc = k;
                errc = curve[c];
            }
        }
        if (kc < 0 || !isfinite(rc))
            continue;
        /* scratch after the fine evaluations: one size, then the best one */
        float *scratch = e + (size_t)NOFF * nk * nb, *at_best = scratch + nb;
        memcpy(at_best, e + ((size_t)kc * NOFF + NOFF / 2) * nb, sizeof(float) * nb);
        /* fractional refinement: quarter pixels around this centre */
        double size_c = centre;
        if (p->fractional) {
            for (int q = -6; q <= 6; q++) {
                double s = centre + q * 0.25;
                if (q == 0 || s < 8 || s >= full)
                    continue;
                est_residual(w, &fine, &p->luts[kc], s, scratch);
                double err = normalised(scratch, norm, nb);
                /* an integer size wins ties: fractional grids must earn it */
                if (err < errc * 0.9) {
                    errc = err;
                    size_c = s;
                    memcpy(at_best, scratch, sizeof(float) * nb);
                }
            }
            rc = errc / base_k[kc];
            if (size_c != centre) {
                /* the kernel picked at the integer size next door may not be
                 * the one that fits best at the refined size */
                for (int k = 0; k < nk; k++) {
                    if (k == kc || !isfinite(base_k[k]))
                        continue;
                    est_residual(w, &fine, &p->luts[k], size_c, scratch);
                    double err = normalised(scratch, norm, nb);
                    if (err < errc) {
                        errc = err;
                        kc = k;
                        rc = err / base_k[k];
                        memcpy(at_best, scratch, sizeof(float) * nb);
                    }
                }
                nr_candidate cand = {size_c, p->luts[kc].kernel, errc, 1 - rc};
                est_axis_add_candidate(out, &cand);
            }
        }
        /* a size lined up with the codec's blocks dips on coded native
         * pictures too (est_codec_grid.c): its dip must be that much deeper */
        double disc = 1;
        if (p->codec_discount > 0 && p->codec_discount < 1 && est_codec_near(full, centre, 1))
            disc = p->codec_discount;
        /* A size lined up with a codec's 16 / 32 blocks only (HEVC) counts
         * as lined up too unless it dips deeper than the nearest size lined
         * up with the 8-blocks, where every block codec's false dips are
         * deeper: x265's false 978.75 dips stood under its 945 ones; a true
         * 843.75 upscale under x264 dips deeper than 810 does. */
        double s8 = disc == 1 && p->codec_discount > 0 && p->codec_discount < 1
                        ? est_codec_near_wide(full, size_c, 1) : 0;
        if (s8 > 0) {
            float *e8 = malloc(sizeof(float) * (size_t)NOFF * nk * nb);
            float *far8 = malloc(sizeof(float) * (size_t)NOFF * nk * nb);
            double *norm8 = malloc(sizeof(double) * (size_t)(nb + 1));
            if (e8 && far8 && norm8) {
                double s8_sizes[NOFF];
                for (int i = 0; i < NOFF; i++)
                    s8_sizes[i] = s8 + offsets[i] * p->step;
                evaluate(w, &fine, p->luts, nk, s8_sizes, NOFF, e8);
                int nfar = 0;
                for (int k = 0; k < nk; k++)
                    for (int i = 0; i < NOFF; i++)
                        if (abs(offsets[i]) >= 2)
                            memcpy(far8 + (size_t)nfar++ * nb, e8 + ((size_t)k * NOFF + i) * nb,
                                   sizeof(float) * nb);
                double r8 = INFINITY;
                if (block_norms(far8, nfar, nb, &fine, nse, s8 / full, clear, norm8) >= EST_LANES)
                    for (int k = 0; k < nk; k++) {
                        double curve[NOFF];
                        for (int i = 0; i < NOFF; i++)
                            curve[i] = normalised(e8 + ((size_t)k * NOFF + i) * nb, norm8, nb);
                        double r = dip_ratio(curve, NOFF, NOFF / 2);
                        r8 = r < r8 ? r : r8;
                    }
                if (r8 <= rc)
                    disc = p->codec_discount;
            }
            free(e8);
            free(far8);
            free(norm8);
        }
        raw_best = rc < raw_best ? rc : raw_best;
        rc /= disc;
        double agree_c = 0;
        {
            double *med = malloc(sizeof(double) * nb);
            if (med) {
                block_neighbour_medians(e + (size_t)kc * NOFF * nb, offsets, NOFF, nb, med);
                agree_c = block_agreement(at_best, med, norm, nb);
                free(med);
            }
        }
        if (rc < best_ratio) {
            best_agree = agree_c;
            best_ratio = rc;
            best_disc = disc;
            best_size = size_c;
            best_k = kc;
            best_err = errc;
            memcpy(best_norms, norm, sizeof(double) * (nb + 1));
            best_e_valid = size_c == centre;
            if (best_e_valid)
                memcpy(best_e, e, sizeof(float) * (size_t)NOFF * nk * nb);
            best_norm_noise = noise_level(norm, &fine, nse, centre / full);
        }
    }
    if (!isfinite(best_ratio)) {
        snprintf(out->reason, sizeof(out->reason), "no candidate could be measured");
        free(best_norms);
        free(best_e);
        est_lines_free(&fine);
        free(sizes);
        free(e);
        free(norm);
        return 0;
    }
    double baseline = best_err / (best_ratio * best_disc);   /* the neighbours' level */
    nr_kernel best_kernel = p->luts[best_k].kernel;

    /* extra sizes the caller wants measured too (e.g. width from height) */
    for (int x = 0; x < p->num_extra; x++) {
        double s = p->extra_sizes[x];
        out->extra_errors[x] = 1;   /* not measured: backs nothing */
        if (s < 8 || s >= full)
            continue;
        est_residual(w, &fine, &p->luts[best_k], s, e);
        out->extra_errors[x] = normalised(e, best_norms, nb) / baseline;
    }

    /* ---- kernel at the winning size -------------------------------- */
    /* The b/c pairs no smoother than the smoothest swept bicubic
     * (mitchell) compete with the swept kernels by the same score (the
     * sweep sees hermite as bilinear, adobe's b = 0 c = 0.75 as spline36),
     * plus KS_PAIR_MARGIN: a finer set of near neighbours, a pair must
     * beat the swept kernel it refines clearly (compression makes spline36
     * and b = 0 c = 0.75 nearly alike). They follow the swept kernels in
     * the LUT array. */
    double smoothest = -1;
    for (int k = 0; k < nk; k++)
        if (p->luts[k].kernel.type == NR_KERNEL_BICUBIC && p->luts[k].kernel.b > smoothest)
            smoothest = p->luts[k].kernel.b;
    int nscored = nk;
    if (p->bc_luts == p->luts + nk)
        while (nscored - nk < p->num_bc && nscored < EST_MAX_KERNELS &&
               p->bc_luts[nscored - nk].kernel.b <= smoothest + 1e-9)
            nscored++;
    bool same[EST_MAX_KERNELS] = {0};   /* pairs the sweep has already */
    for (int k = nk; k < nscored; k++)
        for (int j = 0; j < nk; j++)
            same[k] = same[k] || (p->luts[j].kernel.type == NR_KERNEL_BICUBIC &&
                                  p->luts[j].kernel.b == p->luts[k].kernel.b &&
                                  p->luts[j].kernel.c == p->luts[k].kernel.c);
    kernel_scores(w, &fine, p->luts, nscored, best_size, p->step, best_norms, e,
                  best_e_valid ? best_e : NULL, nk, offsets, NOFF, same, out->kernel_scores);
    free(best_e);
    best_e = NULL;
    for (int k = nk; k < nscored; k++)
        out->kernel_scores[k] += KS_PAIR_MARGIN;
    for (int k = 0; k < nscored; k++)
        if (out->kernel_scores[k] < out->kernel_scores[best_k])
            best_k = k;
    out->kernel_index = best_k;
    out->num_scored = nscored;
    best_kernel = p->luts[best_k].kernel;

    /* ---- smoother b/c pairs at the winning size -------------------- */
    /* Only for a real dip, and they change the kernel, not the ratio: a
     * smooth kernel (b >= 0.5) leaves less residual at every size on soft
     * (compressed) pictures, so it would win the score against the right
     * lanczos or spline, and its error at a wrong size says nothing about
     * a dip; such a pair must fit 10% better. Only from a bicubic
     * winner: from bilinear they took x264 bilinear upscales (the bundled
     * demo clip, converted to RGB as the plugin grabs it) to bspline or
     * mitchell; the pairs that refine bilinear (hermite) are scored above. */
    double ratio = best_ratio;

    if (ratio < p->refine_below && best_kernel.type == NR_KERNEL_BICUBIC) {
        est_residual(w, &fine, &p->luts[best_k], best_size, e);
        best_err = normalised(e, best_norms, nb);
        for (int i = nscored - nk; i < p->num_bc; i++) {
            est_residual(w, &fine, &p->bc_luts[i], best_size, e);
            double err = normalised(e, best_norms, nb);
            if (err < best_err * 0.9) {
                best_err = err;
                best_kernel = p->bc_luts[i].kernel;
            }
        }
    }

    out->size = best_size;
    out->kernel = best_kernel;
    out->error = best_err;
    out->ratio = ratio;
    out->raw_ratio = raw_best;
    out->agreement = best_agree;
    out->noise = best_norm_noise;
    out->valid = 1;
    free(best_norms);
    est_lines_free(&fine);
    free(sizes);
    free(e);
    free(norm);
    return 0;

fail:
    est_detail_free(&detail);
    free(sizes);
    free(e);
    free(norm);
    est_axis_free(out);
    return -1;
}

void est_axis_add_candidate(est_axis *a, const nr_candidate *c)
{
    /* sorted by score, descending; one entry per (size, kernel) */
    int n = a->num_candidates;
    if (n == NR_MAX_CANDIDATES) {
        if (c->score <= a->candidates[n - 1].score)
            return;
        n--;
    }
    int i = n;
    while (i > 0 && a->candidates[i - 1].score < c->score) {
        a->candidates[i] = a->candidates[i - 1];
        i--;
    }
    a->candidates[i] = *c;
    a->num_candidates = n + 1;
}
