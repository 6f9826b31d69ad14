/* Banded normal equations and their Cholesky factorisation. AᵀA of a
 * resampling matrix has half-bandwidth width-1 and is well conditioned
 * (cond ~2-5 for these kernels), so a banded Cholesky in double precision
 * is exact to float precision and costs O(N bw²). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banded.h"

int nr_banded_normal(nr_banded *g, const nr_matrix *a)
{
    const int n = a->cols, w = a->width, bw = w - 1;
    g->n = n;
    g->bw = bw;
    g->l = calloc((size_t)n * (bw + 1), sizeof(double));
    if (!g->l)
        return -1;
    for (int i = 0; i < a->rows; i++) {
        const double *row = a->coef + (size_t)i * w;
        const int f = a->first[i];
        for (int p = 0; p < w; p++) {
            if (row[p] == 0)
                continue;
            for (int q = 0; q <= p; q++)
                g->l[(size_t)(f + p) * (bw + 1) + (p - q)] += row[p] * row[q];
        }
    }
    return 0;
}

int nr_banded_factor(nr_banded *g)
{
    const int n = g->n, bw = g->bw, s = bw + 1;
    double *l = g->l;
    for (int j = 0; j < n; j++) {
        /* L(j, k) for k = j-d, d = bw..1: (G(j,k) - sum_p L(j,p) L(k,p)) / L(k,k) */
        for (int d = bw; d >= 1; d--) {
            int k = j - d;
            if (k < 0)
                continue;
            double sum = l[(size_t)j * s + d];
            for (int m = d + 1; m <= bw && j - m >= 0; m++)
                sum -= l[(size_t)j * s + m] * l[(size_t)k * s + (m - d)];
            l[(size_t)j * s + d] = sum / l[(size_t)k * s];
        }
        double diag = l[(size_t)j * s];
        for (int m = 1; m <= bw && j - m >= 0; m++)
            diag -= l[(size_t)j * s + m] * l[(size_t)j * s + m];
        if (!(diag > 0))
            return -1;
        l[(size_t)j * s] = sqrt(diag);
    }
    return 0;
}

void nr_banded_free(nr_banded *g)
{
    free(g->l);
    memset(g, 0, sizeof(*g));
}

void nr_banded_solve(const nr_banded *f, double *x)
{
    nr_banded_solve_many(f, x, 1, 1);
}

void nr_banded_solve_many(const nr_banded *f, double *x, ptrdiff_t stride, int count)
{
    const int n = f->n, bw = f->bw, s = bw + 1;
    const double *l = f->l;
    /* forward: L z = b */
    for (int j = 0; j < n; j++) {
        double *xj = x + (ptrdiff_t)j * stride;
        for (int m = 1; m <= bw && j - m >= 0; m++) {
            const double c = l[(size_t)j * s + m];
            const double *xk = x + (ptrdiff_t)(j - m) * stride;
            for (int c_i = 0; c_i < count; c_i++)
                xj[c_i] -= c * xk[c_i];
        }
        const double inv = 1.0 / l[(size_t)j * s];
        for (int c_i = 0; c_i < count; c_i++)
            xj[c_i] *= inv;
    }
    /* backward: Lᵀ x = z */
    for (int j = n - 1; j >= 0; j--) {
        double *xj = x + (ptrdiff_t)j * stride;
        for (int m = 1; m <= bw && j + m < n; m++) {
            const double c = l[(size_t)(j + m) * s + m];
            const double *xk = x + (ptrdiff_t)(j + m) * stride;
            for (int c_i = 0; c_i < count; c_i++)
                xj[c_i] -= c * xk[c_i];
        }
        const double inv = 1.0 / l[(size_t)j * s];
        for (int c_i = 0; c_i < count; c_i++)
            xj[c_i] *= inv;
    }
}
