/*
 * Estimator speed: the full default sweep (both axes, six kernels, 501
 * heights, refinements) on one 1920x1080 frame, against a baseline that
 * does what getnative does per candidate (dense matrices and DENSE normal
 * equations as the reference builds them, full 2-D descale, re-upscale,
 * mean absolute error), timed on as many
 * candidates as fit in a few seconds and extrapolated to the same sweep.
 * CPU time of this thread (the machine is shared); prints numbers, asserts
 * nothing. Peak memory is the process's max RSS after the sweep.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "matrix.h"
#include "nativeres_estimate.h"
#include "synth.h"

#define W 1920
#define H 1080

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* dense A (M x N, row-major) of one axis, from the core's banded rows */
static double *dense_matrix(const nr_kernel *k, int full, int native)
{
    nr_axis ax = {full, native, 0, 0};
    nr_matrix m;
    if (nr_matrix_build(&m, k, &ax, NR_BORDER_MIRROR) < 0)
        return NULL;
    double *a = calloc((size_t)full * native, sizeof(double));
    if (a)
        for (int i = 0; i < full; i++)
            for (int t = 0; t < m.width; t++)
                a[(size_t)i * native + m.first[i] + t] = m.coef[(size_t)i * m.width + t];
    nr_matrix_free(&m);
    return a;
}

/* The dense normal matrix AᵀA (N x N) the way the reference builds it:
 * every row of the dense A scanned, products of its non-zeros added into a
 * dense N x N array. Returns a checksum so the work is not optimised away. */
static double dense_normal(const double *a, int full, int native)
{
    int n = native;
    double *g = calloc((size_t)n * n, sizeof(double));
    if (!g)
        return NAN;
    int idx[64];
    for (int i = 0; i < full; i++) {
        const double *row = a + (size_t)i * n;
        int nz = 0;
        for (int c = 0; c < n && nz < 64; c++)
            if (row[c] != 0)
                idx[nz++] = c;
        for (int p = 0; p < nz; p++)
            for (int q = 0; q < nz; q++)
                g[(size_t)idx[p] * n + idx[q]] += row[idx[p]] * row[idx[q]];
    }
    double sum = 0;
    for (size_t i = 0; i < (size_t)n * n; i += (size_t)n + 1)
        sum += g[i];
    free(g);
    return sum;
}

/* getnative per candidate: dense matrices and normal equations for both
 * axes, the 2-D descale and the re-upscale of the whole frame (the core's
 * CPU reference), mean absolute error. */
static double baseline_candidate(const float *src, const nr_kernel *k, int height,
                                 float *low, float *up)
{
    nr_scale s;
    char err[160];
    memset(&s, 0, sizeof(s));
    s.kernel = *k;
    if (nr_scale_for_height(&s, W, H, height, 0, err, sizeof(err)) < 0)
        return NAN;
    double *av = dense_matrix(k, H, s.native_h), *ah = dense_matrix(k, W, s.native_w);
    double check = av && ah ? dense_normal(av, H, s.native_h) + dense_normal(ah, W, s.native_w) : NAN;
    free(av);
    free(ah);
    if (!isfinite(check) || nr_descale(&s, src, W, low, s.native_w) < 0 ||
        nr_upscale(&s, low, s.native_w, up, W) < 0)
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < (size_t)W * H; i++)
        sum += fabs(up[i] - src[i]);
    return sum / ((double)W * H);
}

int main(int argc, char **argv)
{
    double budget = argc > 1 ? atof(argv[1]) : 4.0;   /* seconds of baseline */
    float *frame = malloc(sizeof(float) * W * H);
    nr_scale s;
    char err[200];
    memset(&s, 0, sizeof(s));
    nr_kernel_parse("catrom", &s.kernel);
    nr_scale_for_height(&s, W, H, 810, 0, err, sizeof(err));
    float *low = malloc(sizeof(float) * (size_t)s.native_w * s.native_h);
    if (!frame || !low)
        return 1;
    synth_frame(low, s.native_w, s.native_h, s.native_w, 7, NULL);
    nr_upscale(&s, low, s.native_w, frame, W);
    synth_quantize8(frame, W, H, W);
    free(low);

    /* the sweep: best of a few runs (CPU time of this thread) */
    double best = INFINITY;
    nr_estimate e;
    for (int run = 0; run < 5; run++) {
        double t0 = cpu_now();
        if (nr_estimate_plane(frame, W, W, H, NULL, &e, err, sizeof(err)) < 0) {
            fprintf(stderr, "estimate failed: %s\n", err);
            return 1;
        }
        double t = cpu_now() - t0;
        best = t < best ? t : best;
        if (run < 4)
            nr_estimate_free(&e);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    int sweeps = 0;
    for (int k = 0; k < e.num_height_curves; k++)
        sweeps += e.height_curves[k].count;
    for (int k = 0; k < e.num_width_curves; k++)
        sweeps += e.width_curves[k].count;
    char kn[32];
    printf("frame 1920x1080 upscaled from 810 (catrom): verdict %s %gx%g %s\n",
           nr_verdict_name(e.verdict), e.scale.win_width > 0 ? e.scale.win_width : e.scale.native_w,
           e.scale.win_height > 0 ? e.scale.win_height : e.scale.native_h,
           nr_kernel_name(&e.scale.kernel, kn, sizeof(kn)));
    printf("sweep: %d heights x %d kernels (+ %d widths x kernels), fine, fractional, b/c\n",
           e.num_height_curves ? e.height_curves[0].count : 0, e.num_height_curves,
           e.num_width_curves ? e.width_curves[0].count : 0);
    printf("estimator full default sweep: %.1f ms per frame (one core, best of 5)\n", best * 1e3);
    printf("peak memory (max RSS of the process after the sweep): %.1f MB\n", ru.ru_maxrss / 1024.0);
    nr_estimate_free(&e);

    /* pooling: the same frame through nr_pool_add_plane (the sweep, the
     * scene signature, the accumulation) and a pooled result after every
     * frame, as the plugin asks for it; best of 5 against the sweep above */
    nr_pool *pool = nr_pool_new(NULL);
    double best_pool = INFINITY, best_pool_only = INFINITY;
    for (int run = 0; run < 5 && pool; run++) {
        nr_estimate fe, pe;
        double t0 = cpu_now();
        if (nr_pool_add_plane(pool, frame, W, W, H, &fe, err, sizeof(err)) < 0) {
            fprintf(stderr, "pool failed: %s\n", err);
            return 1;
        }
        double t1 = cpu_now();
        nr_pool_result(pool, &pe);
        double t2 = cpu_now();
        nr_estimate_free(&fe);
        nr_estimate_free(&pe);
        best_pool = fmin(best_pool, t2 - t0);
        best_pool_only = fmin(best_pool_only, t2 - t1);
    }
    /* the plugin's call once the file has an answer: the pooled result
     * checked against a known size (720 catrom here) */
    double best_confirm = INFINITY;
    for (int run = 0; run < 5 && pool; run++) {
        nr_scale known;
        nr_estimate ce;
        memset(&known, 0, sizeof(known));
        nr_kernel_parse("catrom", &known.kernel);
        if (nr_scale_for_height(&known, W, H, 720, 0, err, sizeof(err)) < 0)
            break;
        double t0 = cpu_now();
        nr_pool_confirm(pool, &known, &ce);
        best_confirm = fmin(best_confirm, cpu_now() - t0);
        nr_estimate_free(&ce);
    }
    printf("pooled result checked against a known answer (nr_pool_confirm): %.2f ms\n",
           best_confirm * 1e3);
    /* what pooling itself costs: signature + accumulation + result, timed
     * apart from the sweep on the same frame */
    double ts = cpu_now();
    float sig[NR_SCENE_SIG_SIZE];
    for (int i = 0; i < 5; i++)
        nr_scene_signature(frame, W, W, H, sig);
    double sig_ms = (cpu_now() - ts) / 5 * 1e3;
    printf("pooled (sweep + scene signature + accumulate + pooled result): %.1f ms per frame; "
           "pooled result alone %.2f ms, scene signature %.2f ms: pooling adds %.1f%% to the "
           "sweep (%.1f ms)\n", best_pool * 1e3, best_pool_only * 1e3, sig_ms,
           100 * (best_pool_only * 1e3 + sig_ms) / (best * 1e3), best * 1e3);
    nr_pool_free(pool);
    (void)sweeps;

    /* the getnative-style baseline: heights from the default range */
    static const char *const kernels[] = {"bilinear", "catrom", "mitchell", "bicubicsharp",
                                          "lanczos3", "spline36"};
    float *blow = malloc(sizeof(float) * W * H), *bup = malloc(sizeof(float) * W * H);
    if (!blow || !bup)
        return 1;
    double t0 = cpu_now(), spent = 0;
    int done = 0;
    for (int i = 0; spent < budget; i++) {
        nr_kernel k;
        nr_kernel_parse(kernels[i % 6], &k);
        int height = 500 + (i * 97) % 501;   /* spread over 500..1000 */
        double mae = baseline_candidate(frame, &k, height, blow, bup);
        if (!isfinite(mae)) {
            fprintf(stderr, "baseline failed at %d\n", height);
            return 1;
        }
        done++;
        spent = cpu_now() - t0;
    }
    double per = spent / done;
    double full = per * 501 * 6;
    printf("baseline (getnative per candidate, dense normal equations): %.0f ms per candidate "
           "over %d candidates; 501 heights x 6 kernels extrapolated: %.1f s per frame\n",
           per * 1e3, done, full);
    printf("speed-up of the estimator over the baseline: %.0fx\n", full / best);
    free(frame);
    free(blow);
    free(bup);
    return 0;
}
