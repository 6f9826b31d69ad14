#include "weight_table.h"

#include "glsl_pass.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Weights per rgba32f texel. */
#define TEXEL_WEIGHTS 4
/* A reused row may differ from its own row by float rounding, or where a
 * weight right at the truncation threshold was kept in one row and dropped
 * in the other: an L1 distance of at most the table's tolerance (the
 * distance is added to the table's error bound), or this with tolerance 0. */
#define REUSE_FLOOR 1e-6
/* Reuse only when it saves at least a quarter of the rows. */
#define REUSE_MIN_SAVING 4

static int gcd(int a, int b)
{
    while (b) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* L1 distance between row j and row ref shifted by `shift` inputs, or
 * INFINITY when the offsets disagree or the distance is too large. */
static double row_distance(const nr_weights *wt, int j, int ref, int shift)
{
    if (wt->offset[j] != wt->offset[ref] + shift)
        return INFINITY;
    const float *a = wt->w + (size_t)j * (size_t)wt->taps;
    const float *b = wt->w + (size_t)ref * (size_t)wt->taps;
    double l1 = 0;
    for (int t = 0; t < wt->taps; t++)
        l1 += fabs((double)a[t] - (double)b[t]);
    double limit = wt->tolerance > REUSE_FLOOR ? wt->tolerance : REUSE_FLOOR;
    return l1 <= limit ? l1 : INFINITY;
}

static void plan_full(const nr_weights *wt, nr_table_layout *lay)
{
    *lay = (nr_table_layout){
        .rows = wt->out_size,
        .width = 1 + (wt->taps + TEXEL_WEIGHTS - 1) / TEXEL_WEIGHTS,
    };
}

void nr_table_plan(const nr_weights *wt, const nr_axis *ax, nr_table_layout *lay)
{
    plan_full(wt, lay);
    const int n = wt->out_size, m = wt->in_size;
    bool default_window = ax->window_start == 0 &&
                          (ax->window_size == 0 || ax->window_size == ax->native);
    if (!default_window || n < 1)
        return;
    const int g = gcd(n, m), p = n / g, q = m / g;
    if (p > n / REUSE_MIN_SAVING)
        return;

    /* Reference period: rows [mid, mid + p) in the middle of the plane,
     * farthest from both borders. Grow the matching range outwards. */
    const int mid = (n / 2 / p) * p;
    if (mid + p > n)
        return;
    int lo = mid, hi = mid + p;   /* rows [lo, hi) match the reference */
    while (lo > 0 && isfinite(row_distance(wt, lo - 1, mid + ((lo - 1 - mid) % p + p) % p,
                                           (int)floor((double)(lo - 1 - mid) / p) * q)))
        lo--;
    while (hi < n && isfinite(row_distance(wt, hi, mid + (hi - mid) % p, ((hi - mid) / p) * q)))
        hi++;
    /* Keep `taps` rows from each border: there the border model still
     * changes the exact rows (it decays like the weights, below 1e-8 that
     * far out), so any remaining difference is only the truncation
     * threshold effect. Align the start to the period (rows [lo, top) move
     * to the top band) so the shader's index arithmetic stays non-negative. */
    if (lo < wt->taps)
        lo = wt->taps;
    if (hi > n - wt->taps)
        hi = n - wt->taps;
    if (lo > mid || hi < mid + p)   /* the reference period itself is too close */
        return;
    int top = mid - ((mid - lo) / p) * p, bottom = hi;
    int rows = top + p + (n - bottom);
    if (rows > n - n / REUSE_MIN_SAVING)
        return;

    /* Stored period rows are rows [top, top + p); every reused row is
     * checked against the stored one it will read. */
    double worst = 0;
    for (int j = top; j < bottom; j++) {
        int k = (j - top) / p;
        double d = row_distance(wt, j, top + (j - top) - k * p, k * q);
        if (!isfinite(d))
            return;
        if (d > worst)
            worst = d;
    }
    lay->rows = rows;
    lay->period = p;
    lay->step = q;
    lay->top = top;
    lay->bottom = bottom;
    lay->reuse_l1 = worst;
}

/* Output row stored at texture row `row`. */
static int source_row(const nr_table_layout *lay, int row)
{
    if (!lay->period || row < lay->top + lay->period)
        return row;
    return lay->bottom + (row - lay->top - lay->period);
}

int nr_table_write(nr_glsl_buf *b, const char *name, const nr_weights *wt,
                   const nr_table_layout *lay)
{
    size_t row_floats = (size_t)lay->width * 4;
    float *row = malloc(row_floats * sizeof(float));
    if (!row)
        return -1;
    nr_glsl_texture_begin(b, &(nr_glsl_texture){ .name = name, .w = lay->width, .h = lay->rows,
                                                 .format = "rgba32f", .filter = "NEAREST" });
    for (int r = 0; r < lay->rows; r++) {
        int j = source_row(lay, r);
        memset(row, 0, row_floats * sizeof(float));
        row[0] = (float)wt->offset[j];
        memcpy(row + 4, wt->w + (size_t)j * (size_t)wt->taps, sizeof(float) * (size_t)wt->taps);
        nr_glsl_hex_floats(b, row, row_floats);
    }
    nr_glsl_texture_end(b);
    free(row);
    return 0;
}

void nr_table_write_lookup(nr_glsl_buf *b, const char *name, const nr_table_layout *lay,
                           const char *out)
{
    if (!lay->period) {
        nr_glsl_printf(b,
            "    int row = %s;\n"
            "    int first = int(texelFetch(%s, ivec2(0, row), 0).x);\n", out, name);
        return;
    }
    nr_glsl_printf(b,
        "    // rows %d..%d repeat with period %d (input step %d): one period is stored\n"
        "    int row = %s, shift = 0;\n"
        "    if (%s >= %d && %s < %d) {\n"
        "        int k = (%s - %d) / %d;\n"
        "        row = %s - k * %d;\n"
        "        shift = k * %d;\n"
        "    } else if (%s >= %d) {\n"
        "        row = %s - %d;\n"
        "    }\n"
        "    int first = int(texelFetch(%s, ivec2(0, row), 0).x) + shift;\n",
        lay->top, lay->bottom - 1, lay->period, lay->step,
        out, out, lay->top, out, lay->bottom,
        out, lay->top, lay->period,
        out, lay->period,
        lay->step,
        out, lay->bottom,
        out, lay->bottom - lay->top - lay->period,
        name);
}
