/*
 * The residual of one candidate: for every line y of a band, the part of y
 * that the upscale model cannot explain, r = y - A (AᵀA)⁻¹ Aᵀ y, reduced to
 * its energy Σ r².
 *
 * A is built for the band's rows only (the fit is local), from a tabulated
 * kernel, with the same row rule as the descale plugin (DESIGN §4): centre
 * pos = (i + 0.5) * active / M + start, taps at floor(pos - fs/2 + 0.5) +
 * 0.5 + j, normalised over all taps, mirrored at the plane's edges. AᵀA is
 * banded and factorised once per band (Cholesky in double, specialised
 * per footprint: the sweep does thousands of them); the three passes over the lines (Aᵀy, the two
 * triangular solves, y - Ax) run in float, EST_LANES lines at a time so
 * that every step is one vector operation across lines.
 *
 * Speed without changing a bit of the result: the rows are built in loops
 * across rows (vectorised), AᵀA is accumulated a row vector at a time, and
 * the factorisations and triangular solves, chains of dependent steps, run
 * for several bands / sizes / chunks in step so that the CPU overlaps them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "est_internal.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define EST_MULTIVERSION __attribute__((target_clones("default", "avx2", "avx512f")))
#else
#define EST_MULTIVERSION
#endif
/* GCC does not vectorise a double-to-int conversion under trapping math;
 * dropping it changes no value where nothing traps. */
#if defined(__GNUC__) && !defined(__clang__)
#define EST_NO_TRAPPING_MATH __attribute__((optimize("no-trapping-math")))
#else
#define EST_NO_TRAPPING_MATH
#endif

/* One band's matrix: its rows, AᵀA and the factor. est_residual fills
 * EST_BATCH of them before factorising, so that the factorisations (a
 * chain of dependent divisions and square roots, latency-bound) run
 * interleaved. */
enum { EST_BATCH = 8 };
enum { EST_GROUP = 4 };   /* chunks solved together (chunk_group) */
typedef struct est_fit {
    float *wt;      /* [len][EST_MAX_FS] row weights */
    int *wc;        /* [len] first local column of each row's window */
    double *g;      /* [max_n][EST_MAX_FS] normal matrix, then its factor */
    float *lf;      /* [max_n][EST_MAX_FS] factor in float */
    float *invd;    /* [max_n] 1 / diagonal */
    int len;        /* rows */
    int n;          /* local columns; -1: cannot be fitted */
    double invd_d[2 * EST_MAX_FS];   /* 1 / L(k,k) of the last rows */
} est_fit;

struct est_work {
    int max_len, max_n;
    est_fit fit[EST_BATCH];
    float *x;       /* [EST_GROUP][max_n][EST_LANES] right-hand sides / solution */
    /* row-parallel scratch of build_band (tap-major, so loops over rows
     * vectorise) */
    float *kt;      /* [EST_MAX_FS][max_len] unnormalised tap weights */
    float *total;   /* [max_len] sum of each row's taps */
    double *d0;     /* [max_len] signed distance of each row's tap 0 */
    int *c0;        /* [max_len] first column of each row's taps */
    double *rev;    /* [max_len][2 * EST_MAX_FS] rows reversed, zero tail */
};

est_work *est_work_new(int max_len)
{
    est_work *w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    w->max_len = max_len;
    w->max_n = max_len + 2 * EST_MAX_FS + 2;
    bool ok = true;
    for (int b = 0; b < EST_BATCH; b++) {
        est_fit *f = &w->fit[b];
        f->wt = malloc(sizeof(float) * (size_t)max_len * EST_MAX_FS);
        f->wc = malloc(sizeof(int) * (size_t)max_len);
        f->g = malloc(sizeof(double) * (size_t)w->max_n * EST_MAX_FS);
        f->lf = malloc(sizeof(float) * (size_t)w->max_n * EST_MAX_FS);
        f->invd = malloc(sizeof(float) * (size_t)w->max_n);
        ok = ok && f->wt && f->wc && f->g && f->lf && f->invd;
    }
    w->x = aligned_alloc(64, sizeof(float) * (size_t)EST_GROUP * w->max_n * EST_LANES);
    w->kt = malloc(sizeof(float) * (size_t)max_len * EST_MAX_FS);
    w->total = malloc(sizeof(float) * (size_t)max_len);
    w->d0 = malloc(sizeof(double) * (size_t)max_len);
    w->c0 = malloc(sizeof(int) * (size_t)max_len);
    w->rev = calloc((size_t)max_len * 2 * EST_MAX_FS, sizeof(double));
    if (!ok || !w->x || !w->kt || !w->total || !w->d0 || !w->c0 || !w->rev) {
        est_work_free(w);
        return NULL;
    }
    return w;
}

void est_work_free(est_work *w)
{
    if (!w)
        return;
    for (int b = 0; b < EST_BATCH; b++) {
        free(w->fit[b].wt);
        free(w->fit[b].wc);
        free(w->fit[b].g);
        free(w->fit[b].lf);
        free(w->fit[b].invd);
    }
    free(w->x);
    free(w->kt);
    free(w->total);
    free(w->d0);
    free(w->c0);
    free(w->rev);
    free(w);
}

void est_size_window(double size, int *native, double *start, double *active)
{
    if (size == floor(size)) {
        *native = (int)size;
        *start = 0;
        *active = size;
    } else {
        int n = (int)ceil(size - 1e-9);
        n += n & 1;
        *native = n;
        *active = size;
        *start = (n - size) / 2;
    }
}

typedef double vrow __attribute__((vector_size(EST_MAX_FS * sizeof(double))));

/* AᵀA of the band (banded, row j holds (j, j-d) at g[j*EST_MAX_FS + d]).
 * Row r adds row[p] * row[p - d] to (wc + p, d) for d <= p: with the row
 * reversed into rev (zeros past its start), the S entries of g row wc + p
 * are one vector operation. The extra d > p entries receive exact zeros,
 * which change nothing; products of floats are exact in double and every
 * entry still sums over rows in order, so the matrix is bit for bit the
 * one of a plain loop. */
static inline __attribute__((always_inline)) void
normal_body(est_work *w, est_fit *f, const int fs)
{
    const int len = f->len;
    enum { S = EST_MAX_FS };
    double *restrict g = f->g;
    memset(g, 0, sizeof(double) * (size_t)f->n * S);
    for (int r = 0; r < len; r++) {   /* a pass of its own: no stalled */
        const float *row = f->wt + (size_t)r * S;   /* store forwarding */
        double *rev = w->rev + (size_t)r * 2 * S;
        for (int m = 0; m < fs; m++)
            rev[S - 1 - m] = row[m];
    }
    for (int r = 0; r < len; r++) {
        const float *row = f->wt + (size_t)r * S;
        const double *rev = w->rev + (size_t)r * 2 * S;
        double *gg = g + (size_t)f->wc[r] * S;
        for (int p = 0; p < fs; p++) {
            vrow v, acc;
            memcpy(&v, rev + S - 1 - p, sizeof(v));
            memcpy(&acc, gg + p * S, sizeof(acc));
            acc += (double)row[p] * v;
            memcpy(gg + p * S, &acc, sizeof(acc));
        }
    }
}

/* Row j of the Cholesky factor of one band, in place; the float copy and
 * 1/diagonal feed the vectorised solves. A tiny ridge keeps columns that
 * only the band's first or last rows touch (weights near 0) from making
 * the system singular; its effect on a true upscale's residual is ~1e-10,
 * far below 8-bit noise. Returns false when not positive definite. */
static inline __attribute__((always_inline)) bool
factor_row(est_fit *f, const int fs, int j)
{
    enum { S = EST_MAX_FS };
    const int bw = fs - 1;
    double *restrict g = f->g;
    double *gj = g + (size_t)j * S;
    for (int d = bw; d >= 1; d--) {
        int k = j - d;
        if (k < 0)
            continue;
        const double *gk = g + (size_t)k * S;
        double sum = gj[d];
        for (int m = d + 1; m <= bw && j - m >= 0; m++)
            sum -= gj[m] * gk[m - d];
        gj[d] = sum * f->invd_d[k % (2 * EST_MAX_FS)];
    }
    double diag = gj[0] + 1e-5;
    for (int m = 1; m <= bw && j - m >= 0; m++)
        diag -= gj[m] * gj[m];
    if (!(diag > 0))
        return false;
    double l = sqrt(diag);
    gj[0] = l;
    f->invd_d[j % (2 * EST_MAX_FS)] = 1.0 / l;
    f->invd[j] = (float)(1.0 / l);
    float *lj = f->lf + (size_t)j * S;
    for (int d = 0; d <= bw; d++)
        lj[d] = (float)gj[d];
    return true;
}

/* Factorises the nb bands' matrices row by row in step: the bands' chains
 * are independent, so the CPU overlaps them. */
static inline __attribute__((always_inline)) void
factor_body(est_fit *fits, int nb, const int fs)
{
    int max_n = 0;
    for (int b = 0; b < nb; b++)
        max_n = fits[b].n > max_n ? fits[b].n : max_n;
    for (int j = 0; j < max_n; j++)
        for (int b = 0; b < nb; b++)
            if (j < fits[b].n && !factor_row(&fits[b], fs, j))
                fits[b].n = -1;
}

EST_MULTIVERSION
static void normal_factor(est_work *w, int nb, int fs)
{
    switch (fs) {
#define NF_CASE(F) case F: \
        for (int b = 0; b < nb; b++) \
            if (w->fit[b].n > 0) \
                normal_body(w, &w->fit[b], F); \
        factor_body(w->fit, nb, F); \
        break;
    NF_CASE(2)
    NF_CASE(4)
    NF_CASE(6)
    NF_CASE(8)
    default:
        for (int b = 0; b < nb; b++)
            if (w->fit[b].n > 0)
                normal_body(w, &w->fit[b], fs);
        factor_body(w->fit, nb, fs);
        break;
#undef NF_CASE
    }
}

/* Every row's first tap c0 and its signed distance d0; totals zeroed. A
 * function of its own for the reason kernel_taps is. */
EST_MULTIVERSION EST_NO_TRAPPING_MATH __attribute__((noinline))
static void first_taps(int *restrict c0, double *restrict d0, float *restrict total, int len,
                       int band_start, double scale, double start, int fs)
{
    for (int r = 0; r < len; r++) {
        double pos = (band_start + r + 0.5) * scale + start;
        int c = (int)floor(pos - fs / 2.0 + 0.5);
        c0[r] = c;
        d0[r] = c + 0.5 - pos;     /* signed distance of tap 0 */
        total[r] = 0;
    }
}

/* Tap t of every row: kr[r] = K(d0[r] + t) from the table, added to
 * total[r]. |d0 + t| <= fs / 2 (d0 is the first tap's distance), so the
 * index stays under the table's last entry (est_kernel_lut.c: radius
 * fs / 2 + 1): the clamp only guards it, and being a min it keeps the loop
 * branch-free. A function of its own, with restrict arguments, so that the
 * loop vectorises (the table reads as gathers): inlined into build_band it
 * did not, and this was a quarter of the sweep. */
EST_MULTIVERSION __attribute__((noinline))
static void kernel_taps(const double *restrict d0, const float *restrict lv,
                        float *restrict kr, float *restrict total, int len, int t,
                        double res, int last)
{
    for (int r = 0; r < len; r++) {
        double f = fabs(d0[r] + t) * res;   /* tabulated kernel, linear */
        int i = (int)f;
        i = i < last ? i : last - 1;
        float a = lv[i], b2 = lv[i + 1];
        float ft = (float)(f - i);
        float k = a + ft * (b2 - a);
        kr[r] = k;
        total[r] += k;
    }
}

/* Builds the band's rows into f; f->n: the number of local columns, or
 * -1. (floor() inlines only with SSE4.1, hence the clones.) */
EST_MULTIVERSION
static void build_band(est_work *w, est_fit *f, const est_lut *lut, int full,
                       int band_start, int band_len, double size)
{
    f->n = -1;
    f->len = band_len;
    int native;
    double start, active;
    est_size_window(size, &native, &start, &active);
    const int fs = lut->fs;
    if (native < fs || band_len > w->max_len)
        return;
    const double scale = active / full, st = start;
    const int len = band_len;
    double *restrict d0 = w->d0;
    int *restrict c0 = w->c0;
    float *restrict total = w->total;
    float *restrict kt = w->kt;
    const float *restrict lv = lut->v;
    const double res = lut->res;
    const int last = lut->size - 1;
    /* Row-parallel loops (each row's arithmetic exactly as one row at a
     * time, taps summed in order): they vectorise across rows. */
    first_taps(c0, d0, total, len, band_start, scale, st, fs);
    for (int t = 0; t < fs; t++)
        kernel_taps(d0, lv, kt + (size_t)t * len, total, len, t, res, last);
    int base = 0, n = 0;
    for (int r = 0; r < len; r++) {
        int c = c0[r];
        int wc = c < 0 ? 0 : c + fs > native ? native - fs : c;
        if (r == 0)
            base = wc;
        float *row = f->wt + (size_t)r * EST_MAX_FS;
        float inv = total[r] != 0 ? 1.0f / total[r] : 1.0f;
        if (wc == c) {                 /* interior row: no border folding */
            for (int t = 0; t < fs; t++)
                row[t] = kt[(size_t)t * len + r] * inv;
        } else {
            for (int t = 0; t < fs; t++)
                row[t] = 0;
            for (int t = 0; t < fs; t++) {
                double xpos = c + 0.5 + t;
                if (xpos < 0 || xpos > native) {   /* mirror, as the plugin */
                    xpos = xpos < 0 ? -xpos : fmin(2.0 * native - xpos, native - 0.5);
                    xpos = fmin(fmax(xpos, 0), native - 0.5);
                }
                int col = (int)floor(xpos) - wc;
                if (col >= 0 && col < fs)
                    row[col] += kt[(size_t)t * len + r] * inv;
            }
        }
        f->wc[r] = wc - base;
        if (f->wc[r] + fs > n)
            n = f->wc[r] + fs;
    }
    if (n <= w->max_n)
        f->n = n;
}

/* One chunk of EST_LANES lines: out[l] = Σ_r (y - A x)² with x the
 * least-squares solution. Written with GCC vector types so that each step
 * is one vector operation across the lanes whatever the target; fs is a
 * compile-time constant in each instance so the tap loops unroll. The
 * triangular solves are chains of dependent steps, so EST_GROUP chunks
 * (of any bands of the batch) go through them in step, interleaved. */
typedef float vlanes __attribute__((vector_size(EST_LANES * sizeof(float))));

typedef struct chunk_task {
    const est_fit *f;
    const float *y;      /* [len][EST_LANES] */
    float *out;          /* [EST_LANES] */
} chunk_task;

static inline __attribute__((always_inline)) void
forward_step(vlanes *restrict x, const est_fit *f, const int fs, int j)
{
    const int bw = fs - 1;
    vlanes acc = x[j];
    const float *c = f->lf + (size_t)j * EST_MAX_FS;
    if (j >= bw) {
        for (int d = 1; d <= bw; d++)
            acc -= c[d] * x[j - d];
    } else {
        for (int d = 1; d <= j; d++)
            acc -= c[d] * x[j - d];
    }
    x[j] = acc * f->invd[j];
}

static inline __attribute__((always_inline)) void
backward_step(vlanes *restrict x, const est_fit *f, const int fs, int j)
{
    const int bw = fs - 1, n = f->n;
    const float *lf = f->lf;
    vlanes acc = x[j];
    if (j + bw < n) {
        for (int d = 1; d <= bw; d++)
            acc -= lf[(size_t)(j + d) * EST_MAX_FS + d] * x[j + d];
    } else {
        for (int d = 1; j + d < n; d++)
            acc -= lf[(size_t)(j + d) * EST_MAX_FS + d] * x[j + d];
    }
    x[j] = acc * f->invd[j];
}

static inline __attribute__((always_inline)) void
chunk_group_body(const est_work *w, const chunk_task *tasks, int nt, const int fs)
{
    const vlanes zero = {0};
    int max_n = 0;
    for (int q = 0; q < nt; q++) {          /* x = Aᵀ y */
        const est_fit *f = tasks[q].f;
        const int n = f->n, len = f->len;
        vlanes *restrict x = (vlanes *)w->x + (size_t)q * w->max_n;
        const vlanes *restrict y = (const vlanes *)tasks[q].y;
        max_n = n > max_n ? n : max_n;
        for (int j = 0; j < n; j++)
            x[j] = zero;
        for (int r = 0; r < len; r++) {
            const vlanes yr = y[r];
            vlanes *xr = x + f->wc[r];
            const float *c = f->wt + (size_t)r * EST_MAX_FS;
            for (int t = 0; t < fs; t++)
                xr[t] += c[t] * yr;
        }
    }
    for (int j = 0; j < max_n; j++)         /* L z = Aᵀy */
        for (int q = 0; q < nt; q++)
            if (j < tasks[q].f->n)
                forward_step((vlanes *)w->x + (size_t)q * w->max_n, tasks[q].f, fs, j);
    for (int s = 0; s < max_n; s++)         /* Lᵀ x = z */
        for (int q = 0; q < nt; q++) {
            int j = tasks[q].f->n - 1 - s;
            if (j >= 0)
                backward_step((vlanes *)w->x + (size_t)q * w->max_n, tasks[q].f, fs, j);
        }
    for (int q = 0; q < nt; q++) {          /* Σ (y - A x)² */
        const est_fit *f = tasks[q].f;
        const vlanes *restrict x = (const vlanes *)w->x + (size_t)q * w->max_n;
        const vlanes *restrict y = (const vlanes *)tasks[q].y;
        vlanes sum = zero;
        for (int r = 0; r < f->len; r++) {
            vlanes acc = y[r];
            const vlanes *xr = x + f->wc[r];
            const float *c = f->wt + (size_t)r * EST_MAX_FS;
            for (int t = 0; t < fs; t++)
                acc -= c[t] * xr[t];
            sum += acc * acc;
        }
        memcpy(tasks[q].out, &sum, sizeof(sum));
    }
}

EST_MULTIVERSION
static void chunk_group(const est_work *w, const chunk_task *tasks, int nt, int fs)
{
    switch (fs) {
    case 2: chunk_group_body(w, tasks, nt, 2); break;
    case 4: chunk_group_body(w, tasks, nt, 4); break;
    case 6: chunk_group_body(w, tasks, nt, 6); break;
    case 8: chunk_group_body(w, tasks, nt, 8); break;
    default: chunk_group_body(w, tasks, nt, fs); break;
    }
}

int est_residual_sizes(est_work *w, const est_lines *lines, const est_lut *lut,
                       const double *sizes, int num_sizes, float *out)
{
    /* jobs (size i, band b) in groups of EST_BATCH, factorised together */
    int rc = 0;
    const int nbands = lines->num_bands, jobs = num_sizes * nbands;
    for (int j0 = 0; j0 < jobs; j0 += EST_BATCH) {
        int nj = jobs - j0 < EST_BATCH ? jobs - j0 : EST_BATCH;
        for (int q = 0; q < nj; q++) {
            const est_band *band = &lines->bands[(j0 + q) % nbands];
            build_band(w, &w->fit[q], lut, lines->full, band->start, band->len,
                       sizes[(j0 + q) / nbands]);
        }
        normal_factor(w, nj, lut->fs);
        chunk_task tasks[EST_GROUP];
        int nt = 0;
        for (int q = 0; q < nj; q++) {
            int b = (j0 + q) % nbands, i = (j0 + q) / nbands;
            const est_band *band = &lines->bands[b];
            const est_fit *f = &w->fit[q];
            int block = 0;
            for (int bb = 0; bb < b; bb++)
                block += lines->bands[bb].lanes;
            float *o = out + (size_t)i * lines->num_blocks + block;
            for (int c = 0; c < band->lanes / EST_LANES; c++) {
                if (f->n < 0) {
                    for (int l = 0; l < EST_LANES; l++)
                        o[c * EST_LANES + l] = -1;
                    rc = -1;
                    continue;
                }
                tasks[nt++] = (chunk_task){f, band->data + (size_t)c * band->len * EST_LANES,
                                           o + c * EST_LANES};
                if (nt == EST_GROUP) {
                    chunk_group(w, tasks, nt, lut->fs);
                    nt = 0;
                }
            }
        }
        if (nt > 0)
            chunk_group(w, tasks, nt, lut->fs);
    }
    return rc;
}

int est_residual(est_work *w, const est_lines *lines, const est_lut *lut,
                 double size, float *out)
{
    return est_residual_sizes(w, lines, lut, &size, 1, out);
}
