/* The upscale model of one axis, built row by row the way the descale
 * plugin does it, but stored banded instead of dense. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "matrix.h"

/* Maps a tap position (a pixel centre k + 0.5, possibly outside the plane)
 * to the plane per the border mode; returns false for a dropped tap. */
static bool map_border(double *xpos, int n, nr_border border)
{
    if (*xpos >= 0 && *xpos <= n)
        return true;
    switch (border) {
    case NR_BORDER_ZERO:
        return false;
    case NR_BORDER_REPEAT:
        *xpos = *xpos < 0 ? 0 : n - 0.5;
        return true;
    case NR_BORDER_MIRROR:
    default:
        *xpos = *xpos < 0 ? -*xpos : fmin(2.0 * n - *xpos, n - 0.5);
        /* a kernel wider than the plane may reflect past the far edge */
        *xpos = fmin(fmax(*xpos, 0), n - 0.5);
        return true;
    }
}

int nr_matrix_build(nr_matrix *m, const nr_kernel *k, const nr_axis *ax,
                    nr_border border)
{
    memset(m, 0, sizeof(*m));
    const int M = ax->full, N = ax->native;
    if (M < 1 || N < 1)
        return -1;
    const double active = ax->window_size > 0 ? ax->window_size : N;
    const double shift = ax->window_start;
    const double blur = k->blur > 0 ? k->blur : 1;
    const int support = nr_kernel_support(k) > 0 ? nr_kernel_support(k) : 1;
    const int fsize = 2 * support;

    /* First pass: the column range of each row, to size the band. */
    int *first = malloc(sizeof(int) * M);
    int *last = malloc(sizeof(int) * M);
    if (!first || !last)
        goto fail;
    int width = 1;
    for (int i = 0; i < M; i++) {
        double pos = (i + 0.5) * active / M + shift;
        double begin = floor(pos - fsize / 2.0 + 0.5) + 0.5;
        int lo = N, hi = -1;
        for (int j = 0; j < fsize; j++) {
            double xpos = begin + j;
            if (!map_border(&xpos, N, border))
                continue;
            int col = (int)floor(xpos);
            if (col < 0 || col >= N)
                continue;
            lo = col < lo ? col : lo;
            hi = col > hi ? col : hi;
        }
        if (hi < lo)
            lo = hi = 0;
        first[i] = lo;
        last[i] = hi;
        if (hi - lo + 1 > width)
            width = hi - lo + 1;
    }
    /* keep every row's window inside [0, N) with the common width */
    if (width > N)
        width = N;
    for (int i = 0; i < M; i++) {
        if (first[i] + width > N)
            first[i] = N - width;
    }
    free(last);
    last = NULL;

    m->coef = calloc((size_t)M * width, sizeof(double));
    if (!m->coef)
        goto fail;
    m->rows = M;
    m->cols = N;
    m->width = width;
    m->first = first;

    for (int i = 0; i < M; i++) {
        double pos = (i + 0.5) * active / M + shift;
        double begin = floor(pos - fsize / 2.0 + 0.5) + 0.5;
        double total = 0;
        for (int j = 0; j < fsize; j++)
            total += nr_kernel_eval(k, fabs(begin + j - pos) / blur);
        if (total == 0)
            total = 1;
        double *row = m->coef + (size_t)i * width;
        for (int j = 0; j < fsize; j++) {
            double xpos = begin + j;
            double weight = nr_kernel_eval(k, fabs(begin + j - pos) / blur) / total;
            if (!map_border(&xpos, N, border))
                continue;
            int col = (int)floor(xpos);
            if (col < first[i] || col >= first[i] + width)
                continue;
            row[col - first[i]] += weight;
        }
    }
    return 0;

fail:
    free(first);
    free(last);
    free(m->coef);
    memset(m, 0, sizeof(*m));
    return -1;
}

void nr_matrix_free(nr_matrix *m)
{
    free(m->first);
    free(m->coef);
    memset(m, 0, sizeof(*m));
}
