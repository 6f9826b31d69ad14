/* Weight tables for the GPU descale: rows of the pseudo-inverse
 * P = (AᵀA)⁻¹Aᵀ, truncated to a common tap count. Rows of P decay
 * exponentially away from the diagonal (AᵀA is banded and well
 * conditioned), so a few dozen taps carry all but a tiny tail. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banded.h"
#include "matrix.h"

/* Exact row j of P (length M) into prow, using scratch z (length N). */
static void pseudo_inverse_row(const nr_matrix *a, const nr_banded *g, int j,
                               double *z, double *prow)
{
    memset(z, 0, sizeof(double) * a->cols);
    z[j] = 1;
    nr_banded_solve(g, z);          /* row j of (AᵀA)⁻¹ (symmetric) */
    for (int i = 0; i < a->rows; i++) {
        const double *row = a->coef + (size_t)i * a->width;
        const double *zf = z + a->first[i];
        double sum = 0;
        for (int p = 0; p < a->width; p++)
            sum += row[p] * zf[p];
        prow[i] = sum;
    }
}

/* The shortest window grown greedily from the largest weight, taking the
 * larger-magnitude neighbour each step, until the tail's L1 <= tol. */
static void minimal_window(const double *prow, int m, double tol, int *lo, int *hi)
{
    int peak = 0;
    double total = 0;
    for (int i = 0; i < m; i++) {
        total += fabs(prow[i]);
        if (fabs(prow[i]) > fabs(prow[peak]))
            peak = i;
    }
    int l = peak, h = peak;
    double kept = fabs(prow[peak]);
    while (total - kept > tol && (l > 0 || h < m - 1)) {
        double left = l > 0 ? fabs(prow[l - 1]) : -1;
        double right = h < m - 1 ? fabs(prow[h + 1]) : -1;
        if (left >= right)
            kept += fabs(prow[--l]);
        else
            kept += fabs(prow[++h]);
    }
    *lo = l;
    *hi = h;
}

int nr_weights_build(nr_weights *wt, const nr_kernel *k, const nr_axis *ax,
                     nr_border border, double tolerance)
{
    memset(wt, 0, sizeof(*wt));
    nr_matrix a;
    nr_banded g = { 0 };
    if (!(tolerance >= 0) || nr_matrix_build(&a, k, ax, border) < 0)
        return -1;
    const int M = a.rows, N = a.cols;
    double *p = malloc(sizeof(double) * (size_t)N * M);   /* all exact rows */
    double *z = malloc(sizeof(double) * N);
    int *lo = malloc(sizeof(int) * N), *hi = malloc(sizeof(int) * N);
    int ret = -1;
    if (!p || !z || !lo || !hi || nr_banded_normal(&g, &a) < 0 || nr_banded_factor(&g) < 0)
        goto out;

    int taps = 1;
    for (int j = 0; j < N; j++) {
        pseudo_inverse_row(&a, &g, j, z, p + (size_t)j * M);
        minimal_window(p + (size_t)j * M, M, tolerance, &lo[j], &hi[j]);
        if (hi[j] - lo[j] + 1 > taps)
            taps = hi[j] - lo[j] + 1;
    }

    wt->offset = malloc(sizeof(int) * N);
    wt->w = malloc(sizeof(float) * (size_t)N * taps);
    if (!wt->offset || !wt->w)
        goto out;
    wt->out_size = N;
    wt->in_size = M;
    wt->taps = taps;
    wt->tolerance = tolerance;

    for (int j = 0; j < N; j++) {
        const double *prow = p + (size_t)j * M;
        /* pad to the common tap count with real weights, centred on the
         * minimal window and kept inside [0, M) so no index is clamped */
        int start = lo[j] - (taps - (hi[j] - lo[j] + 1)) / 2;
        if (start + taps > M)
            start = M - taps;
        if (start < 0)
            start = 0;
        wt->offset[j] = start;
        double dropped = 0, dropped_l1 = 0, kept_l1 = 0;
        int peak = start;
        for (int i = 0; i < M; i++) {
            if (i >= start && i < start + taps) {
                if (fabs(prow[i]) > fabs(prow[peak]))
                    peak = i;
                continue;
            }
            dropped += prow[i];
            dropped_l1 += fabs(prow[i]);
        }
        /* the dropped sum moves onto the peak: flat input stays exact */
        float *out = wt->w + (size_t)j * taps;
        for (int t = 0; t < taps; t++) {
            double v = prow[start + t] + (start + t == peak ? dropped : 0);
            out[t] = (float)v;
            kept_l1 += fabs(v);
        }
        if (dropped_l1 > wt->dropped_l1)
            wt->dropped_l1 = dropped_l1;
        if (kept_l1 > wt->row_l1)
            wt->row_l1 = kept_l1;
    }
    /* with the DC correction, error = sum_dropped w_i (y_i - y_peak) and
     * |y_i - y_peak| <= 1 for input in [0, 1] */
    wt->bound = wt->dropped_l1;
    ret = 0;
out:
    if (ret < 0)
        nr_weights_free(wt);
    free(p);
    free(z);
    free(lo);
    free(hi);
    nr_matrix_free(&a);
    nr_banded_free(&g);
    return ret;
}

void nr_weights_free(nr_weights *wt)
{
    free(wt->offset);
    free(wt->w);
    memset(wt, 0, sizeof(*wt));
}

double nr_weights_bound_2d(const nr_weights *h, const nr_weights *v)
{
    /* The horizontal output no longer lies in [0,1]: a row with kept L1
     * norm r maps [0,1] into an interval of width <= r, which scales the
     * vertical truncation error; the vertical pass amplifies the
     * horizontal error by at most its own row L1 norm. */
    double eps_h = h ? h->bound : 0, gain_h = h ? h->row_l1 : 1;
    double eps_v = v ? v->bound : 0, gain_v = v ? v->row_l1 : 1;
    return eps_v * gain_h + gain_v * eps_h;
}

void nr_weights_apply(const nr_weights *wt, bool horizontal,
                      const float *src, ptrdiff_t src_stride, int src_w, int src_h,
                      float *dst, ptrdiff_t dst_stride)
{
    const int taps = wt->taps;
    if (horizontal) {
        for (int y = 0; y < src_h; y++) {
            const float *in = src + (ptrdiff_t)y * src_stride;
            float *out = dst + (ptrdiff_t)y * dst_stride;
            for (int j = 0; j < wt->out_size; j++) {
                const float *w = wt->w + (size_t)j * taps;
                const float *inj = in + wt->offset[j];
                double sum = 0;
                for (int t = 0; t < taps; t++)
                    sum += w[t] * inj[t];
                out[j] = (float)sum;
            }
        }
    } else {
        for (int j = 0; j < wt->out_size; j++) {
            const float *w = wt->w + (size_t)j * taps;
            float *out = dst + (ptrdiff_t)j * dst_stride;
            for (int x = 0; x < src_w; x++) {
                double sum = 0;
                for (int t = 0; t < taps; t++)
                    sum += w[t] * src[(ptrdiff_t)(wt->offset[j] + t) * src_stride + x];
                out[x] = (float)sum;
            }
        }
    }
}
