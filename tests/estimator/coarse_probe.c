/*
 * Where a coarse sweep puts the true size among its dips, on the frames a
 * `real_corpus --cache DIR` run left in DIR (8-bit luma; the file names
 * carry the case: frame-SRC-HEIGHT-KERNEL-CODEC-CRF-0.y8). A diagnostic
 * for trying dip measures; no test.
 *
 *   coarse_probe DIR BANDS LANES [LEN]
 *
 * Both axes are swept (every kernel, every size) on BANDS x LANES blocks;
 * for each measure, the rank of the truth among the height's dips (local
 * minima over kernels, clusters 3 steps apart, sizes within 2 of k/8 of
 * the axis left out: the codec's, measured anyway) is counted.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "est_axis.h"

#define W 1920
#define H 1080
#define NK 6
#define NM 8

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double med(double *v, int n)
{
    if (n <= 0)
        return NAN;
    qsort(v, (size_t)n, sizeof(double), cmpd);
    return n & 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* curve[i] against the median of its neighbours 2..10 away: ratio, or
 * difference when `diff` (log curves) */
static double dip(const double *c, int n, int i, int diff)
{
    double nb[20];
    int m = 0;
    for (int d = 2; d <= 10; d++) {
        if (i - d >= 0 && isfinite(c[i - d]))
            nb[m++] = c[i - d];
        if (i + d < n && isfinite(c[i + d]))
            nb[m++] = c[i + d];
    }
    if (m < 3 || !isfinite(c[i]))
        return INFINITY;
    double md = med(nb, m);
    return diff ? exp(c[i] - md) : c[i] / md;
}

static bool near_eighth(double full, double size)
{
    double k = floor(size * 8 / full + 0.5);
    return k > 0 && k < 8 && fabs(size - full * k / 8) <= 2;
}

typedef struct sweep {
    int n, nb;
    double *sizes;
    float *e;          /* [k][i][b] */
    double *norm;      /* [b] level, 0 invalid */
    double mednorm;
} sweep;

static void do_sweep(sweep *s, const float *f, int vertical, int bands, int lanes, int len,
                     const est_lut *luts, double nse, est_work *work)
{
    double full = vertical ? H : W, aspect = (double)W / H;
    double lo = vertical ? 500 : 2 * ceil(500 * aspect / 2), hi = vertical ? 1000 : 1000 * aspect;
    double step = vertical ? 1 : 2;
    est_lines lines;
    est_lines_pick(&lines, f, W, W, H, vertical, bands, lanes, len, NULL, NULL);
    s->n = 0;
    for (double x = lo; x <= hi + 1e-9; x += step)
        s->n++;
    s->nb = lines.num_blocks;
    s->sizes = malloc(sizeof(double) * s->n);
    for (int i = 0; i < s->n; i++)
        s->sizes[i] = lo + i * step;
    s->e = malloc(sizeof(float) * (size_t)NK * s->n * s->nb);
    for (int k = 0; k < NK; k++)
        est_residual_sizes(work, &lines, &luts[k], s->sizes, s->n,
                           s->e + (size_t)k * s->n * s->nb);
    s->norm = malloc(sizeof(double) * s->nb);
    double mid = 0.75;
    int b = 0, valid = 0;
    double *v = malloc(sizeof(double) * s->nb);
    for (int band = 0; band < lines.num_bands; band++) {
        double noise = nse * lines.bands[band].len * (1 - mid);
        for (int l = 0; l < lines.bands[band].lanes; l++, b++) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < NK * s->n; i++) {
                float x = s->e[(size_t)i * s->nb + b];
                if (x >= 0) {
                    sum += x;
                    n++;
                }
            }
            double m = n ? sum / n : 0;
            s->norm[b] = m > 4 * noise ? m : 0;
            if (s->norm[b] > 0)
                v[valid++] = s->norm[b];
        }
    }
    s->mednorm = med(v, valid);
    free(v);
    (void)full;
    est_lines_free(&lines);
}

static void sweep_free(sweep *s)
{
    free(s->sizes);
    free(s->e);
    free(s->norm);
}

/* measure m of the sweep: best dip over kernels per size, only at local
 * minima of the kernel's curve, into out[n] */
static void measure(const sweep *s, int m, double *out)
{
    const int zs = m >= 6;
    if (zs)
        m -= 6;
    const int n = s->n, nb = s->nb;
    double *curve = malloc(sizeof(double) * n);
    double *bd = malloc(sizeof(double) * n * nb);   /* per-block dips (m 2) */
    for (int i = 0; i < n; i++)
        out[i] = INFINITY;
    for (int k = 0; k < NK; k++) {
        const float *ek = s->e + (size_t)k * n * nb;
        int diff = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0, wsum = 0;
            for (int b = 0; b < nb; b++) {
                float x = ek[(size_t)i * nb + b];
                if (!(s->norm[b] > 0) || x < 0)
                    continue;
                double wl = fmin(s->norm[b] / s->mednorm, 2);
                if (m == 0) {          /* today: level-weighted mean of e / level */
                    sum += wl * x / s->norm[b];
                    wsum += wl;
                } else if (m == 1) {   /* level-weighted mean of log(e / level) */
                    sum += wl * log(x / s->norm[b] + 1e-4);
                    wsum += wl;
                    diff = 1;
                } else if (m == 3) {   /* unweighted mean of e / level */
                    sum += x / s->norm[b];
                    wsum += 1;
                } else if (m == 4) {   /* unweighted mean of log */
                    sum += log(x / s->norm[b] + 1e-4);
                    wsum += 1;
                    diff = 1;
                } else if (m == 5) {   /* weight level^2 uncapped, log */
                    double w2 = s->norm[b] / s->mednorm;
                    sum += w2 * log(x / s->norm[b] + 1e-4);
                    wsum += w2;
                    diff = 1;
                }
            }
            curve[i] = wsum > 0 ? sum / wsum : NAN;
        }
        if (m == 2) {
            /* per-block dips, then their level-weighted mean log */
            for (int b = 0; b < nb; b++) {
                if (!(s->norm[b] > 0))
                    continue;
                double c[2048];
                for (int i = 0; i < n; i++)
                    c[i] = ek[(size_t)i * nb + b] > 0 ? ek[(size_t)i * nb + b] : NAN;
                for (int i = 0; i < n; i++)
                    bd[(size_t)i * nb + b] = log(dip(c, n, i, 0) + 1e-3);
            }
            for (int i = 0; i < n; i++) {
                double sum = 0, wsum = 0;
                for (int b = 0; b < nb; b++) {
                    double x = bd[(size_t)i * nb + b];
                    if (!(s->norm[b] > 0) || !isfinite(x))
                        continue;
                    double wl = fmin(s->norm[b] / s->mednorm, 2);
                    sum += wl * x;
                    wsum += wl;
                }
                curve[i] = wsum > 0 ? sum / wsum : NAN;
            }
        }
        double *dv = malloc(sizeof(double) * n), *tmp = malloc(sizeof(double) * n);
        int nd = 0;
        for (int i = 0; i < n; i++) {
            dv[i] = m == 2 ? exp(curve[i]) : dip(curve, n, i, diff);
            if (isfinite(dv[i]))
                tmp[nd++] = dv[i];
        }
        double md = med(tmp, nd);
        for (int i = 0; i < nd; i++)
            tmp[i] = fabs(tmp[i] - md);
        double mad = 1.4826 * med(tmp, nd) + 1e-9;
        for (int i = 0; i < n; i++) {
            bool lm = (i == 0 || !(curve[i - 1] < curve[i])) && (i == n - 1 || !(curve[i + 1] < curve[i]));
            double r = !lm ? INFINITY : zs ? -(md - dv[i]) / mad : dv[i];
            out[i] = r < out[i] ? r : out[i];
        }
        free(dv);
        free(tmp);
    }
    free(curve);
    free(bd);
}

/* rank of the truth among the dips of best[] (k/8 sizes left out) */
static int rank_of(const double *sizes, const double *best, int n, double truth, double step,
                   double full, double *tdip, double *top)
{
    char *used = calloc(n, 1);
    int rank = 1;
    *tdip = INFINITY;
    for (int i = 0; i < n; i++)
        if (fabs(sizes[i] - truth) <= 1.01 * step && best[i] < *tdip)
            *tdip = best[i];
    int nt = 0;
    for (;;) {
        int bi = -1;
        for (int i = 0; i < n; i++)
            if (!used[i] && isfinite(best[i]) && !near_eighth(full, sizes[i]) &&
                (bi < 0 || best[i] < best[bi]))
                bi = i;
        if (bi < 0) {
            rank = 999;
            break;
        }
        for (int j = bi - 2; j <= bi + 2; j++)
            if (j >= 0 && j < n)
                used[j] = 1;
        if (truth > 0 && fabs(sizes[bi] - truth) <= 1.51 * step)
            break;
        if (nt < 3)
            top[nt++] = sizes[bi] + fmin(best[bi], 0.999);
        rank++;
    }
    free(used);
    return rank;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    const char *dir = argv[1];
    int bands = atoi(argv[2]), lanes = atoi(argv[3]), len = argc > 4 ? atoi(argv[4]) : 128;

    static const char *kn[NK] = {"bilinear", "catrom", "mitchell", "bicubicsharp", "lanczos3",
                                 "spline36"};
    est_lut luts[NK];
    for (int k = 0; k < NK; k++) {
        nr_kernel kk;
        nr_kernel_parse(kn[k], &kk);
        est_lut_init(&luts[k], &kk);
    }
    est_work *work = est_work_new(256);
    DIR *d = opendir(dir);
    struct dirent *de;
    unsigned char *y8 = malloc(W * H);
    float *f = malloc(sizeof(float) * W * H);
    int coded = 0, top3[NM] = {0}, top3j[NM] = {0}, top1[NM] = {0};
    double nat_best[NM][64], truth_v[NM][128], nat_joint[NM][64], truth_j[NM][128];
    int truth_r[NM][128];
    int nnat = 0;
    double cpu = 0;
    while ((de = readdir(d))) {
        int src, kernel, codec, crf, t;
        double height;
        if (sscanf(de->d_name, "frame-%d-%lf-%d-%d-%d-%d.y8", &src, &height, &kernel, &codec,
                   &crf, &t) != 6 || src == 1 || (height > 0 && !codec))
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        FILE *fp = fopen(path, "rb");
        if (!fp || fread(y8, 1, W * H, fp) != W * H) {
            if (fp)
                fclose(fp);
            continue;
        }
        fclose(fp);
        for (int i = 0; i < W * H; i++)
            f[i] = y8[i] / 255.0f;
        est_frame_stats st;
        est_frame_stats_compute(f, W, W, H, &st);
        sweep hs, ws;
        struct timespec t0, t1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        do_sweep(&hs, f, 1, bands, lanes, len, luts, st.noise_sigma * st.noise_sigma, work);
        do_sweep(&ws, f, 0, bands, lanes, len, luts, st.noise_sigma * st.noise_sigma, work);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
        cpu += t1.tv_sec - t0.tv_sec + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
        bool native = height <= 0;
        if (!native)
            coded++;
        printf("%-3d %7g k%d c%d/%-2d", src, height, kernel, codec, crf);
        double hb[2048], wb[2048], jb[2048];
        for (int m = 0; m < NM; m++) {
            measure(&hs, m, hb);
            measure(&ws, m, wb);
            /* joint: height dip x the width's best within a step of h * aspect */
            for (int i = 0; i < hs.n; i++) {
                double x = hs.sizes[i] * W / H, wbest = 3;
                for (int j = 0; j < ws.n; j++)
                    if (fabs(ws.sizes[j] - x) <= 1.01 && wb[j] < wbest)
                        wbest = wb[j];
                jb[i] = isfinite(hb[i]) ? hb[i] * wbest : INFINITY;
            }
            double td, tj, top[3] = {0}, topj[3] = {0};
            int r = rank_of(hs.sizes, hb, hs.n, native ? -1 : height, 1, H, &td, top);
            int rj = rank_of(hs.sizes, jb, hs.n, native ? -1 : height, 1, H, &tj, topj);
            if (native) {
                /* the deepest non-k/8 dip a native frame leaves */
                double nb = INFINITY;
                for (int i = 0; i < hs.n; i++)
                    if (!near_eighth(H, hs.sizes[i]) && hb[i] < nb)
                        nb = hb[i];
                nat_best[m][nnat] = nb;
                double nj = INFINITY;
                for (int i = 0; i < hs.n; i++)
                    if (!near_eighth(H, hs.sizes[i]) && jb[i] < nj)
                        nj = jb[i];
                nat_joint[m][nnat] = src == 6 || src == 15 || src == 23 || src == 24 || src == 28 ? INFINITY : nj;
                bool unknown = src == 6 || src == 15 || src == 23 || src == 24 || src == 28;
                if (unknown)
                    nat_best[m][nnat] = INFINITY;
                printf(" | m%d best %.3f@%g joint %.3f@%g", m, top[0] - floor(top[0]),
                       floor(top[0]), topj[0] - floor(topj[0]), floor(topj[0]));
            } else {
                top3[m] += r <= 3;
                top1[m] += r <= 1;
                top3j[m] += rj <= 1 || r <= 3;
                printf(" | m%d %.2f r%-3d j%.2f r%-3d", m, td, r, tj, rj);
                truth_v[m][coded - 1] = td;
                truth_j[m][coded - 1] = tj;
                truth_r[m][coded - 1] = r;
            }
        }
        nnat += native;
        printf("\n");
        sweep_free(&hs);
        sweep_free(&ws);
    }
    for (int m = 0; m < NM; m++) {
        double v[64];
        memcpy(v, nat_best[m], sizeof(double) * nnat);
        qsort(v, nnat, sizeof(double), cmpd);
        printf("measure %d: coded truth rank 1: %d, top 3: %d, top 3 or joint 1: %d of %d;"
               " natives' best dips: min %.3f, 10%% %.3f\n",
               m, top1[m], top3[m], top3j[m], coded, v[0], v[nnat / 10]);
        int sep = 0, sep1 = 0;
        for (int i = 0; i < coded; i++) {
            sep += truth_v[m][i] < v[0];
            sep1 += truth_v[m][i] < v[0] && truth_r[m][i] == 1;
        }
        printf("   truths deeper than every native's best: %d (and rank 1: %d)\n", sep, sep1);
        double jmin = INFINITY;
        for (int i = 0; i < nnat; i++)
            jmin = nat_joint[m][i] < jmin ? nat_joint[m][i] : jmin;
        int sj = 0;
        for (int i = 0; i < coded; i++)
            sj += truth_j[m][i] < jmin;
        printf("   joint: natives' best %.3f, truths deeper %d\n", jmin, sj);
    }
    printf("sweep cpu %.1f ms/frame (both axes)\n", 1000 * cpu / (coded + nnat));
    return 0;
}
