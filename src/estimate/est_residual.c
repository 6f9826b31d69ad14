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

struct est_work {
    int max_len, max_n;
    float *wt;      /* [len][EST_MAX_FS] row weights */
    int *wc;        /* [len] first local column of each row's window */
    double *g;      /* [max_n][EST_MAX_FS] normal matrix, then its factor */
    float *lf;      /* [max_n][EST_MAX_FS] factor in float */
    float *invd;    /* [max_n] 1 / diagonal */
    float *x;       /* [max_n][EST_LANES] right-hand sides / solution */
};

est_work *est_work_new(int max_len)
{
    est_work *w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    w->max_len = max_len;
    w->max_n = max_len + 2 * EST_MAX_FS + 2;
    w->wt = malloc(sizeof(float) * (size_t)max_len * EST_MAX_FS);
    w->wc = malloc(sizeof(int) * (size_t)max_len);
    w->g = malloc(sizeof(double) * (size_t)w->max_n * EST_MAX_FS);
    w->lf = malloc(sizeof(float) * (size_t)w->max_n * EST_MAX_FS);
    w->invd = malloc(sizeof(float) * (size_t)w->max_n);
    w->x = aligned_alloc(64, sizeof(float) * (size_t)w->max_n * EST_LANES);
    if (!w->wt || !w->wc || !w->g || !w->lf || !w->invd || !w->x) {
        est_work_free(w);
        return NULL;
    }
    return w;
}

void est_work_free(est_work *w)
{
    if (!w)
        return;
    free(w->wt);
    free(w->wc);
    free(w->g);
    free(w->lf);
    free(w->invd);
    free(w->x);
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

static inline float lut_eval(const est_lut *lut, double d)
{
    double f = d * lut->res;
    int i = (int)f;
    if (i >= lut->size - 1)
        return 0.0f;
    float t = (float)(f - i);
    return lut->v[i] + t * (lut->v[i + 1] - lut->v[i]);
}

/* AᵀA of the band (banded, row j holds (j, j-d) at g[j*EST_MAX_FS + d])
 * and its Cholesky factor in place; the float copy and 1/diagonal feed the
 * vectorised solves. A tiny ridge keeps columns that only the band's first
 * or last rows touch (weights near 0) from making the system singular; its
 * effect on a true upscale's residual is ~1e-10, far below 8-bit noise. */
static inline __attribute__((always_inline)) int
normal_factor_body(est_work *w, const int fs, int n, int len)
{
    enum { S = EST_MAX_FS };
    const int bw = fs - 1;
    double *restrict g = w->g;
    memset(g, 0, sizeof(double) * (size_t)n * S);
    for (int r = 0; r < len; r++) {
        const float *row = w->wt + (size_t)r * S;
        double *gg = g + (size_t)w->wc[r] * S;
        for (int p = 0; p < fs; p++)
            for (int q = 0; q <= p; q++)
                gg[p * S + (p - q)] += (double)row[p] * row[q];
    }
    double invd_d[2 * EST_MAX_FS];   /* 1 / L(k,k) of the last bw + 1 rows */
    for (int j = 0; j < n; j++) {
        double *gj = g + (size_t)j * S;
        for (int d = bw; d >= 1; d--) {
            int k = j - d;
            if (k < 0)
                continue;
            const double *gk = g + (size_t)k * S;
            double sum = gj[d];
            for (int m = d + 1; m <= bw && j - m >= 0; m++)
                sum -= gj[m] * gk[m - d];
            gj[d] = sum * invd_d[k % (2 * EST_MAX_FS)];
        }
        double diag = gj[0] + 1e-5;
        for (int m = 1; m <= bw && j - m >= 0; m++)
            diag -= gj[m] * gj[m];
        if (!(diag > 0))
            return -1;
        double l = sqrt(diag);
        gj[0] = l;
        invd_d[j % (2 * EST_MAX_FS)] = 1.0 / l;
        w->invd[j] = (float)(1.0 / l);
        float *lj = w->lf + (size_t)j * S;
        for (int d = 0; d <= bw; d++)
            lj[d] = (float)gj[d];
    }
    return 0;
}

EST_MULTIVERSION
static int normal_factor(est_work *w, int fs, int n, int len)
{
    switch (fs) {
    case 2: return normal_factor_body(w, 2, n, len);
    case 4: return normal_factor_body(w, 4, n, len);
    case 6: return normal_factor_body(w, 6, n, len);
    case 8: return normal_factor_body(w, 8, n, len);
    default: return normal_factor_body(w, fs, n, len);
    }
}

/* Builds the band's rows and factorises AᵀA. (floor() inlines only with
 * SSE4.1, hence the clones.) Returns the number of local
 * columns, or -1. */
EST_MULTIVERSION
static int build_band(est_work *w, const est_lut *lut, int full, int band_start,
                      int band_len, double size)
{
    int native;
    double start, active;
    est_size_window(size, &native, &start, &active);
    const int fs = lut->fs;
    if (native < fs || band_len > w->max_len)
        return -1;
    const double scale = active / full;
    int base = 0, n = 0;
    for (int r = 0; r < band_len; r++) {
        double pos = (band_start + r + 0.5) * scale + start;
        int c0 = (int)floor(pos - fs / 2.0 + 0.5);
        int wc = c0 < 0 ? 0 : c0 + fs > native ? native - fs : c0;
        if (r == 0)
            base = wc;
        float *row = w->wt + (size_t)r * EST_MAX_FS;
        float k[EST_MAX_FS];
        float total = 0;
        double d0 = c0 + 0.5 - pos;   /* signed distance of tap 0 */
        for (int t = 0; t < fs; t++) {
            k[t] = lut_eval(lut, fabs(d0 + t));
            total += k[t];
        }
        float inv = total != 0 ? 1.0f / total : 1.0f;
        if (wc == c0) {                /* interior row: no border folding */
            for (int t = 0; t < fs; t++)
                row[t] = k[t] * inv;
        } else {
            for (int t = 0; t < fs; t++)
                row[t] = 0;
            for (int t = 0; t < fs; t++) {
                double xpos = c0 + 0.5 + t;
                if (xpos < 0 || xpos > native) {   /* mirror, as the plugin */
                    xpos = xpos < 0 ? -xpos : fmin(2.0 * native - xpos, native - 0.5);
                    xpos = fmin(fmax(xpos, 0), native - 0.5);
                }
                int col = (int)floor(xpos) - wc;
                if (col >= 0 && col < fs)
                    row[col] += k[t] * inv;
            }
        }
        w->wc[r] = wc - base;
        if (w->wc[r] + fs > n)
            n = w->wc[r] + fs;
    }
    if (n > w->max_n)
        return -1;

    if (normal_factor(w, fs, n, band_len) < 0)
        return -1;
    return n;
}


/* One chunk of EST_LANES lines: out[l] = Σ_r (y - A x)² with x the
 * least-squares solution. Written with GCC vector types so that each step
 * is one vector operation across the lanes whatever the target; fs is a
 * compile-time constant in each instance so the tap loops unroll. */
typedef float vlanes __attribute__((vector_size(EST_LANES * sizeof(float))));

static inline __attribute__((always_inline)) void
chunk_body(const est_work *w, const int fs, int n, const float *restrict yp,
           int len, float *restrict out)
{
    vlanes *restrict x = (vlanes *)w->x;
    const vlanes *restrict y = (const vlanes *)yp;
    const float *restrict wt = w->wt;
    const float *restrict lf = w->lf;
    const float *restrict invd = w->invd;
    const int *restrict wc = w->wc;
    const vlanes zero = {0};

    for (int j = 0; j < n; j++)
        x[j] = zero;
    for (int r = 0; r < len; r++) {         /* x = Aᵀ y */
        const vlanes yr = y[r];
        vlanes *xr = x + wc[r];
        const float *c = wt + (size_t)r * EST_MAX_FS;
        for (int t = 0; t < fs; t++)
            xr[t] += c[t] * yr;
    }
    const int bw = fs - 1;
    for (int j = 0; j < n; j++) {           /* L z = Aᵀy */
        vlanes acc = x[j];
        const float *c = lf + (size_t)j * EST_MAX_FS;
        if (j >= bw) {
            for (int d = 1; d <= bw; d++)
                acc -= c[d] * x[j - d];
        } else {
            for (int d = 1; d <= j; d++)
                acc -= c[d] * x[j - d];
        }
        x[j] = acc * invd[j];
    }
    for (int j = n - 1; j >= 0; j--) {      /* Lᵀ x = z */
        vlanes acc = x[j];
        if (j + bw < n) {
            for (int d = 1; d <= bw; d++)
                acc -= lf[(size_t)(j + d) * EST_MAX_FS + d] * x[j + d];
        } else {
            for (int d = 1; j + d < n; d++)
                acc -= lf[(size_t)(j + d) * EST_MAX_FS + d] * x[j + d];
        }
        x[j] = acc * invd[j];
    }
    vlanes sum = zero;
    for (int r = 0; r < len; r++) {         /* Σ (y - A x)² */
        vlanes acc = y[r];
        const vlanes *xr = x + wc[r];
        const float *c = wt + (size_t)r * EST_MAX_FS;
        for (int t = 0; t < fs; t++)
            acc -= c[t] * xr[t];
        sum += acc * acc;
    }
    memcpy(out, &sum, sizeof(sum));
}

EST_MULTIVERSION
static void chunk_residual(const est_work *w, int fs, int n, const float *y,
                           int len, float *out)
{
    switch (fs) {
    case 2: chunk_body(w, 2, n, y, len, out); break;
    case 4: chunk_body(w, 4, n, y, len, out); break;
    case 6: chunk_body(w, 6, n, y, len, out); break;
    case 8: chunk_body(w, 8, n, y, len, out); break;
    default: chunk_body(w, fs, n, y, len, out); break;
    }
}

int est_residual(est_work *w, const est_lines *lines, const est_lut *lut,
                 double size, float *out)
{
    int block = 0, rc = 0;
    for (int b = 0; b < lines->num_bands; b++) {
        const est_band *band = &lines->bands[b];
        int n = build_band(w, lut, lines->full, band->start, band->len, size);
        for (int c = 0; c < band->lanes / EST_LANES; c++) {
            if (n < 0) {
                for (int l = 0; l < EST_LANES; l++)
                    out[block + c * EST_LANES + l] = -1;
                rc = -1;
                continue;
            }
            chunk_residual(w, lut->fs, n,
                           band->data + (size_t)c * band->len * EST_LANES,
                           band->len, out + block + c * EST_LANES);
        }
        block += band->lanes;
    }
    return rc;
}
