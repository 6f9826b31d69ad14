/* Internal: the upscale model A (full x native) of one axis, stored banded:
 * row i holds `width` coefficients for columns first[i] .. first[i]+width-1. */
#ifndef NATIVERES_MATRIX_H
#define NATIVERES_MATRIX_H

#include "nativeres.h"

typedef struct nr_matrix {
    int rows;        /* M (full) */
    int cols;        /* N (native) */
    int width;       /* coefficients stored per row */
    int *first;      /* rows entries */
    double *coef;    /* rows * width entries */
} nr_matrix;

/* Builds A exactly as the descale plugin does (DESIGN §4). -1 on bad
 * arguments or allocation failure. */
int nr_matrix_build(nr_matrix *m, const nr_kernel *k, const nr_axis *ax,
                    nr_border border);
void nr_matrix_free(nr_matrix *m);

#endif
