/* CPU reference descale and upscale of float planes: horizontal pass, then
 * vertical, in double precision. The vertical pass works on whole image
 * rows at a time (all columns batched), so both passes stream memory. */
#include <stdlib.h>
#include <string.h>

#include "banded.h"
#include "matrix.h"

/* One axis' model and, for descale, its factorised normal equations. */
typedef struct axis_op {
    bool identity;
    nr_matrix a;
    nr_banded g;
} axis_op;

static int axis_op_init(axis_op *op, const nr_scale *s, bool horizontal, bool factor)
{
    memset(op, 0, sizeof(*op));
    nr_axis ax = horizontal ? nr_scale_axis_h(s) : nr_scale_axis_v(s);
    op->identity = nr_axis_is_identity(&ax);
    if (op->identity)
        return 0;
    if (nr_matrix_build(&op->a, &s->kernel, &ax, s->border) < 0)
        return -1;
    if (factor && (nr_banded_normal(&op->g, &op->a) < 0 || nr_banded_factor(&op->g) < 0))
        return -1;
    return 0;
}

static void axis_op_free(axis_op *op)
{
    nr_matrix_free(&op->a);
    nr_banded_free(&op->g);
}

/* Rows per block of the horizontal descale: the block is transposed so
 * that the banded solve runs on all its rows at once, like the vertical
 * pass (vectorisable inner loops instead of one scalar solve per row). */
#define ROW_BLOCK 32

/* rows of src (a->rows samples each) -> least-squares rows of a->cols */
static int descale_rows(const axis_op *op, const float *src, ptrdiff_t src_stride,
                        int height, double *out, int out_w)
{
    const nr_matrix *a = &op->a;
    double *in_t = calloc((size_t)a->rows * ROW_BLOCK, sizeof(double));
    double *x_t = malloc(sizeof(double) * (size_t)a->cols * ROW_BLOCK);
    if (!in_t || !x_t) {
        free(in_t);
        free(x_t);
        return -1;
    }
    for (int y0 = 0; y0 < height; y0 += ROW_BLOCK) {
        const int rows = height - y0 < ROW_BLOCK ? height - y0 : ROW_BLOCK;
        for (int r = 0; r < rows; r++) {
            const float *in = src + (ptrdiff_t)(y0 + r) * src_stride;
            for (int i = 0; i < a->rows; i++)
                in_t[(size_t)i * ROW_BLOCK + r] = in[i];
        }
        memset(x_t, 0, sizeof(double) * (size_t)a->cols * ROW_BLOCK);
        for (int i = 0; i < a->rows; i++) {
            const double *coef = a->coef + (size_t)i * a->width;
            const double *v = in_t + (size_t)i * ROW_BLOCK;
            for (int p = 0; p < a->width; p++) {
                double *xt = x_t + (size_t)(a->first[i] + p) * ROW_BLOCK;
                for (int r = 0; r < ROW_BLOCK; r++)
                    xt[r] += coef[p] * v[r];
            }
        }
        nr_banded_solve_many(&op->g, x_t, ROW_BLOCK, ROW_BLOCK);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < out_w; j++)
                out[(size_t)(y0 + r) * out_w + j] = x_t[(size_t)j * ROW_BLOCK + r];
    }
    free(in_t);
    free(x_t);
    return 0;
}

int nr_descale(const nr_scale *s, const float *src, ptrdiff_t src_stride,
               float *dst, ptrdiff_t dst_stride)
{
    char err[8];
    if (nr_scale_validate(s, err, sizeof(err)) < 0)
        return -1;
    const int nw = s->native_w, nh = s->native_h, fh = s->full_h;
    axis_op h, v;
    double *tmp = NULL, *rhs = NULL;
    int ret = -1;
    bool h_ok = axis_op_init(&h, s, true, true) == 0;
    bool v_ok = axis_op_init(&v, s, false, true) == 0;
    tmp = malloc(sizeof(double) * (size_t)nw * fh);
    rhs = calloc((size_t)nw * nh, sizeof(double));
    if (!h_ok || !v_ok || !tmp || !rhs)
        goto out;

    /* horizontal: full_w x full_h -> native_w x full_h */
    if (h.identity) {
        for (int y = 0; y < fh; y++)
            for (int x = 0; x < nw; x++)
                tmp[(size_t)y * nw + x] = src[(ptrdiff_t)y * src_stride + x];
    } else if (descale_rows(&h, src, src_stride, fh, tmp, nw) < 0) {
        goto out;
    }

    /* vertical: native_w x full_h -> native_w x native_h */
    if (v.identity) {
        memcpy(rhs, tmp, sizeof(double) * (size_t)nw * nh);
    } else {
        const nr_matrix *a = &v.a;
        for (int i = 0; i < a->rows; i++) {
            const double *in = tmp + (size_t)i * nw;
            for (int p = 0; p < a->width; p++) {
                const double c = a->coef[(size_t)i * a->width + p];
                if (c == 0)
                    continue;
                double *out = rhs + (size_t)(a->first[i] + p) * nw;
                for (int x = 0; x < nw; x++)
                    out[x] += c * in[x];
            }
        }
        nr_banded_solve_many(&v.g, rhs, nw, nw);
    }
    for (int y = 0; y < nh; y++)
        for (int x = 0; x < nw; x++)
            dst[(ptrdiff_t)y * dst_stride + x] = (float)rhs[(size_t)y * nw + x];
    ret = 0;
out:
    free(tmp);
    free(rhs);
    axis_op_free(&h);
    axis_op_free(&v);
    return ret;
}

int nr_upscale(const nr_scale *s, const float *src, ptrdiff_t src_stride,
               float *dst, ptrdiff_t dst_stride)
{
    char err[8];
    if (nr_scale_validate(s, err, sizeof(err)) < 0)
        return -1;
    const int nh = s->native_h, fw = s->full_w, fh = s->full_h;
    axis_op h, v;
    double *tmp = NULL, *acc = NULL;
    int ret = -1;
    bool h_ok = axis_op_init(&h, s, true, false) == 0;
    bool v_ok = axis_op_init(&v, s, false, false) == 0;
    tmp = malloc(sizeof(double) * (size_t)fw * nh);
    acc = malloc(sizeof(double) * (size_t)fw);
    if (!h_ok || !v_ok || !tmp || !acc)
        goto out;

    /* horizontal: native_w x native_h -> full_w x native_h */
    for (int y = 0; y < nh; y++) {
        const float *in = src + (ptrdiff_t)y * src_stride;
        double *out = tmp + (size_t)y * fw;
        if (h.identity) {
            for (int x = 0; x < fw; x++)
                out[x] = in[x];
            continue;
        }
        for (int i = 0; i < fw; i++) {
            const double *row = h.a.coef + (size_t)i * h.a.width;
            const float *inf = in + h.a.first[i];
            double sum = 0;
            for (int p = 0; p < h.a.width; p++)
                sum += row[p] * inf[p];
            out[i] = sum;
        }
    }

    /* vertical: full_w x native_h -> full_w x full_h */
    for (int i = 0; i < fh; i++) {
        float *out = dst + (ptrdiff_t)i * dst_stride;
        if (v.identity) {
            for (int x = 0; x < fw; x++)
                out[x] = (float)tmp[(size_t)i * fw + x];
            continue;
        }
        memset(acc, 0, sizeof(double) * fw);
        for (int p = 0; p < v.a.width; p++) {
            const double c = v.a.coef[(size_t)i * v.a.width + p];
            if (c == 0)
                continue;
            const double *in = tmp + (size_t)(v.a.first[i] + p) * fw;
            for (int x = 0; x < fw; x++)
                acc[x] += c * in[x];
        }
        for (int x = 0; x < fw; x++)
            out[x] = (float)acc[x];
    }
    ret = 0;
out:
    free(tmp);
    free(acc);
    axis_op_free(&h);
    axis_op_free(&v);
    return ret;
}
