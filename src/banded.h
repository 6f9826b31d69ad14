/* Internal: banded normal equations AᵀA of an upscale model and their
 * Cholesky factorisation, solved for one vector or for many at once. */
#ifndef NATIVERES_BANDED_H
#define NATIVERES_BANDED_H

#include <stddef.h>

#include "matrix.h"

/* Lower band of a symmetric positive definite N x N matrix: entry (j, j-d)
 * for d = 0..bw is l[j * (bw + 1) + d]. After nr_banded_factor it holds
 * the Cholesky factor L (G = L Lᵀ) in the same layout. */
typedef struct nr_banded {
    int n;
    int bw;          /* half-bandwidth */
    double *l;
} nr_banded;

/* G = AᵀA of the banded model. */
int nr_banded_normal(nr_banded *g, const nr_matrix *a);
/* In-place Cholesky; -1 if the matrix is not positive definite. */
int nr_banded_factor(nr_banded *g);
void nr_banded_free(nr_banded *g);

/* Solves L Lᵀ x = b in place for one vector. */
void nr_banded_solve(const nr_banded *f, double *x);

/* Solves for `count` right-hand sides stored interleaved: element j of
 * vector c is x[j * stride + c] (one image row per j: the column-batched
 * layout of a vertical pass). */
void nr_banded_solve_many(const nr_banded *f, double *x, ptrdiff_t stride, int count);

#endif
