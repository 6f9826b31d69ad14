/*
 * Weight tables as mpv //!TEXTURE data, with periodic rows stored once.
 *
 * With the default window, full M and native N samples repeat their
 * geometry every P = N / gcd(N, M) output samples (Q = M / gcd input
 * samples), so away from the borders the pseudo-inverse rows repeat too:
 * row j + P is row j shifted by Q. Only the rows near the borders (where
 * the border model makes them differ) and one period are stored:
 *
 *   texture row   holds output rows
 *   [0, top)      [0, top)                       as they are
 *   [top, top+P)  top + r, r < P                 (one period)
 *   [top+P, ...)  [bottom, N)                    as they are
 *
 * and output j in [top, bottom) reads row top + (j - top) % P with its
 * first input index moved by ((j - top) / P) * Q. Every reused row is
 * checked against its own row first: same first index, weights within an
 * L1 distance of the table's tolerance (rows differ where a weight right at
 * the truncation threshold was kept in one and dropped in the other); the
 * worst distance is added to the table's error bound. When nothing repeats
 * or saves enough, every row is stored.
 */
#ifndef NR_WEIGHT_TABLE_H
#define NR_WEIGHT_TABLE_H

#include "glsl_buf.h"
#include "nativeres.h"

typedef struct nr_table_layout {
    int rows;          /* texture rows */
    int width;         /* texture width in rgba32f texels: 1 + ceil(taps / 4) */
    int period;        /* P; 0 = every row stored */
    int step;          /* Q: input samples per period */
    int top, bottom;   /* reused output rows are [top, bottom) */
    double reuse_l1;   /* worst L1 distance of a reused row from its own row */
} nr_table_layout;

/* Plans the layout of wt (built for ax). */
void nr_table_plan(const nr_weights *wt, const nr_axis *ax, nr_table_layout *lay);

/* The //!TEXTURE section. Texel 0 of a row = (first input index, 0, 0, 0),
 * then the weights, 4 per texel, zero-padded. -1 on OOM. */
int nr_table_write(nr_glsl_buf *b, const char *name, const nr_weights *wt,
                   const nr_table_layout *lay);

/* GLSL statements that declare `int row` (texture row) and `int first`
 * (first input index) for the output index held in int variable `out`. */
void nr_table_write_lookup(nr_glsl_buf *b, const char *name, const nr_table_layout *lay,
                           const char *out);

#endif
