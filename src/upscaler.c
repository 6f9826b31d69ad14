/*
 * The learned upscaler's CPU reference: parameter-table parsing, the 2x
 * network and the final resample (nativeres_upscaler.h). Plain loops in
 * float, the same order of operations as the generated shader passes.
 */
#include "nativeres_upscaler.h"

#include "param_table.h"
#include "window.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char nr_upscaler_builtin_table[];   /* upscaler_table.c (generated) */
extern const char nr_upscaler_builtin_table_name[];

void nr_upscaler_free(nr_upscaler *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->layers; i++) {
        free(m->layer[i].weight);
        free(m->layer[i].bias);
    }
    free(m->skip_weight);
    free(m);
}

/* The table reader and a buffer for the longest row (16 x 9 x 16 weights). */
typedef struct reader {
    nr_table_reader t;
    char buf[1 << 16];
} reader;

static const char *next_line(reader *r)
{
    return nr_table_next_line(&r->t);
}

nr_upscaler *nr_upscaler_parse(const char *text, char *err, size_t err_size)
{
    if (!text) {
        nr_table_error(err, err_size, "no table given");
        return NULL;
    }
    reader *r = calloc(1, sizeof(*r));
    nr_upscaler *m = calloc(1, sizeof(*m));
    if (!r || !m) {
        free(r);
        free(m);
        nr_table_error(err, err_size, "out of memory");
        return NULL;
    }
    r->t = (nr_table_reader){.p = text, .buf = r->buf, .cap = sizeof(r->buf)};
    snprintf(m->name, sizeof(m->name), "custom");
    const char *l = next_line(r);
    int layers = 0, cin, cout;
    char act[16], extra;
    if (!l || strcmp(l, "nativeres-upscaler 1") != 0) {
        nr_table_error(err, err_size,
                       "not an upscaler table (first line must be 'nativeres-upscaler 1')");
        goto bad;
    }
    if (!(l = next_line(r)) || sscanf(l, "layers %d %c", &layers, &extra) != 1 || layers < 2 ||
        layers > NR_UPSCALER_MAX_LAYERS) {
        nr_table_error(err, err_size, "line %d: expected 'layers L' with L in 2..%d", r->t.line,
             NR_UPSCALER_MAX_LAYERS);
        goto bad;
    }
    if (!(l = next_line(r)) || strcmp(l, "output residual-skip-pixelshuffle2") != 0) {
        nr_table_error(err, err_size,
                       "line %d: expected 'output residual-skip-pixelshuffle2'", r->t.line);
        goto bad;
    }
    for (int i = 0; i < layers; i++) {
        nr_upscaler_layer *ly = &m->layer[i];
        if (!(l = next_line(r)) || sscanf(l, "conv %d %d %15s %c", &cin, &cout, act, &extra) != 3 ||
            cin < 1 || cout < 1 || cin > NR_UPSCALER_MAX_CHANNELS || cout > NR_UPSCALER_MAX_CHANNELS ||
            (strcmp(act, "relu") && strcmp(act, "none"))) {
            nr_table_error(err, err_size,
                           "line %d: expected 'conv IN OUT relu|none' (channels 1..%d)",
                 r->t.line, NR_UPSCALER_MAX_CHANNELS);
            goto bad;
        }
        int want_in = i ? m->layer[i - 1].out : 1;
        bool last = i + 1 == layers;
        if (cin != want_in || (last && cout != 4) || (!last && cout % 4) ||
            (last && !strcmp(act, "relu"))) {
            nr_table_error(err, err_size,
                           "line %d: layer %d is %d -> %d %s; needs %d inputs and %s",
                 r->t.line, i + 1, cin, cout, act, want_in,
                 last ? "4 outputs without relu" : "a multiple of 4 outputs");
            goto bad;
        }
        m->layers = i + 1;
        ly->in = cin;
        ly->out = cout;
        ly->relu = !strcmp(act, "relu");
        ly->weight = malloc(sizeof(float) * (size_t)cout * (size_t)cin * 9);
        ly->bias = malloc(sizeof(float) * (size_t)cout);
        float *row = malloc(sizeof(float) * (1 + (size_t)cin * 9));
        if (!ly->weight || !ly->bias || !row) {
            free(row);
            nr_table_error(err, err_size, "out of memory");
            goto bad;
        }
        for (int o = 0; o < cout; o++) {
            if (!(l = next_line(r)) || !nr_table_floats(l, row, 1 + cin * 9)) {
                free(row);
                nr_table_error(err, err_size,
                               "line %d: layer %d row %d needs %d finite numbers", r->t.line,
                     i + 1, o + 1, 1 + cin * 9);
                goto bad;
            }
            ly->bias[o] = row[0];
            memcpy(ly->weight + (size_t)o * cin * 9, row + 1, sizeof(float) * (size_t)cin * 9);
        }
        free(row);
    }
    int k = 0;
    if (!(l = next_line(r)) || sscanf(l, "skip %d %c", &k, &extra) != 1 || k < 1 || k > 7 ||
        k % 2 == 0) {
        nr_table_error(err, err_size, "line %d: expected 'skip K' with K odd in 1..7", r->t.line);
        goto bad;
    }
    m->skip_size = k;
    m->skip_weight = malloc(sizeof(float) * 4 * (size_t)k * k);
    float row[1 + 49];
    if (!m->skip_weight) {
        nr_table_error(err, err_size, "out of memory");
        goto bad;
    }
    for (int o = 0; o < 4; o++) {
        if (!(l = next_line(r)) || !nr_table_floats(l, row, 1 + k * k)) {
            nr_table_error(err, err_size,
                           "line %d: skip row %d needs %d finite numbers", r->t.line, o + 1,
                 1 + k * k);
            goto bad;
        }
        m->skip_bias[o] = row[0];
        memcpy(m->skip_weight + (size_t)o * k * k, row + 1, sizeof(float) * (size_t)k * k);
    }
    if ((l = next_line(r))) {
        nr_table_error(err, err_size, "line %d: unexpected text after the skip filter", r->t.line);
        goto bad;
    }
    free(r);
    return m;
bad:
    free(r);
    nr_upscaler_free(m);
    return NULL;
}

nr_upscaler *nr_upscaler_load(const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        nr_table_error(err, err_size, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    while (text) {
        len += fread(text + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        cap *= 2;
        char *t = realloc(text, cap);
        if (!t) {
            free(text);
            text = NULL;
        } else {
            text = t;
        }
        if (cap > (64u << 20)) {
            free(text);
            fclose(f);
            nr_table_error(err, err_size, "'%s': too large for an upscaler table", path);
            return NULL;
        }
    }
    bool read_error = ferror(f);
    fclose(f);
    if (!text || read_error) {
        free(text);
        nr_table_error(err, err_size, read_error ? "cannot read '%s'" : "out of memory", path);
        return NULL;
    }
    text[len] = '\0';
    nr_upscaler *m = nr_upscaler_parse(text, err, err_size);
    free(text);
    if (m) {
        const char *base = strrchr(path, '/');
        snprintf(m->name, sizeof(m->name), "%s", base ? base + 1 : path);
    }
    return m;
}

const nr_upscaler *nr_upscaler_builtin(void)
{
    static nr_upscaler *builtin;
    /* parsed once; the table is ours and tested, so a failure is only OOM */
    if (!builtin) {
        nr_upscaler *m = nr_upscaler_parse(nr_upscaler_builtin_table, NULL, 0);
        if (m)
            snprintf(m->name, sizeof(m->name), "%s", nr_upscaler_builtin_table_name);
        if (!__atomic_compare_exchange_n(&builtin, &(nr_upscaler *){NULL}, m, false,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            nr_upscaler_free(m);
    }
    return builtin;
}

size_t nr_upscaler_params(const nr_upscaler *m)
{
    size_t n = 0;
    for (int i = 0; i < m->layers; i++)
        n += (size_t)m->layer[i].out * ((size_t)m->layer[i].in * 9 + 1);
    return n + 4 * ((size_t)m->skip_size * m->skip_size + 1);
}

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* One 3x3 layer over channel-planar w x h buffers, edges replicated. */
static void conv_layer(const nr_upscaler_layer *ly, const float *in, float *out, int w, int h)
{
    size_t plane = (size_t)w * h;
    for (int o = 0; o < ly->out; o++) {
        float *dst = out + o * plane;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = ly->bias[o];
                for (int i = 0; i < ly->in; i++) {
                    const float *src = in + i * plane;
                    const float *k = ly->weight + ((size_t)o * ly->in + i) * 9;
                    for (int ky = 0; ky < 3; ky++) {
                        const float *row = src + (size_t)clampi(y + ky - 1, 0, h - 1) * w;
                        for (int kx = 0; kx < 3; kx++)
                            sum += k[ky * 3 + kx] * row[clampi(x + kx - 1, 0, w - 1)];
                    }
                }
                dst[(size_t)y * w + x] = ly->relu && sum < 0 ? 0.0f : sum;
            }
        }
    }
}

int nr_upscaler_run2x(const nr_upscaler *m, const float *src, ptrdiff_t src_stride,
                      int w, int h, float *dst, ptrdiff_t dst_stride)
{
    if (!m || !src || !dst || w < 1 || h < 1 || src_stride < w || dst_stride < 2 * w)
        return -1;
    int maxc = 1;
    for (int i = 0; i < m->layers; i++)
        maxc = m->layer[i].out > maxc ? m->layer[i].out : maxc;
    size_t plane = (size_t)w * h;
    float *a = malloc(sizeof(float) * plane * (size_t)maxc);
    float *b = malloc(sizeof(float) * plane * (size_t)maxc);
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    for (int y = 0; y < h; y++)
        memcpy(a + (size_t)y * w, src + y * src_stride, sizeof(float) * (size_t)w);
    for (int i = 0; i < m->layers; i++) {
        conv_layer(&m->layer[i], a, b, w, h);
        float *t = a;
        a = b;
        b = t;
    }
    /* a: the 4 sub-pixel planes; add the skip filter and the input pixel
     * (in that order, as the shader does) and shuffle */
    int k = m->skip_size, hk = k / 2;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            for (int s = 0; s < 4; s++) {
                float v = a[s * plane + (size_t)y * w + x] + m->skip_bias[s];
                const float *kw = m->skip_weight + (size_t)s * k * k;
                for (int ky = 0; ky < k; ky++) {
                    const float *row = src + clampi(y + ky - hk, 0, h - 1) * src_stride;
                    for (int kx = 0; kx < k; kx++)
                        v += kw[ky * k + kx] * row[clampi(x + kx - hk, 0, w - 1)];
                }
                v += src[y * src_stride + x];
                dst[(2 * y + s / 2) * dst_stride + 2 * x + s % 2] = v;
            }
        }
    free(a);
    free(b);
    return 0;
}

/* Taps of output sample o along an axis: first index and 2R weights. */
static int axis_taps(int o, int in_n, int out_n, double *wt, int *first)
{
    double scale = (double)in_n / out_n, widen = scale > 1 ? scale : 1;
    int r = nr_chain_resample_radius(widen);
    double c = (o + 0.5) * scale;
    int base = (int)floor(c - 0.5);
    double sum = 0;
    for (int t = 0; t < 2 * r; t++) {
        wt[t] = nr_chain_resample_weight(base - r + 1 + t + 0.5 - c, widen);
        sum += wt[t];
    }
    for (int t = 0; t < 2 * r; t++)
        wt[t] /= sum;
    *first = base - r + 1;
    return 2 * r;
}

int nr_upscaler_resample(const float *src, ptrdiff_t src_stride, int in_w, int in_h,
                         float *dst, ptrdiff_t dst_stride, int out_w, int out_h)
{
    if (!src || !dst || in_w < 1 || in_h < 1 || out_w < 1 || out_h < 1 ||
        in_w > 8 * out_w || in_h > 8 * out_h)
        return -1;
    double wx[64], wy[64];
    for (int oy = 0; oy < out_h; oy++) {
        int fy, ny = axis_taps(oy, in_h, out_h, wy, &fy);
        for (int ox = 0; ox < out_w; ox++) {
            int fx, nx = axis_taps(ox, in_w, out_w, wx, &fx);
            dst[oy * dst_stride + ox] =
                (float)nr_window_sum(src, src_stride, in_w, in_h, fx, wx, nx, fy, wy, ny);
        }
    }
    return 0;
}

/* A table shaped as m (sizes, name), its weight and bias arrays allocated but
 * not filled: the mirror and the inverse write their own. NULL if out of
 * memory. */
static nr_upscaler *table_like(const nr_upscaler *m)
{
    nr_upscaler *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    *r = *m;
    for (int i = 0; i < m->layers; i++)
        r->layer[i].weight = r->layer[i].bias = NULL;
    r->skip_weight = NULL;
    bool ok = true;
    for (int i = 0; i < m->layers && ok; i++) {
        const nr_upscaler_layer *a = &m->layer[i];
        r->layer[i].weight = malloc(sizeof(float) * (size_t)a->out * a->in * 9);
        r->layer[i].bias = malloc(sizeof(float) * (size_t)a->out);
        ok = r->layer[i].weight && r->layer[i].bias;
    }
    if (ok)
        ok = (r->skip_weight = malloc(sizeof(float) * 4 * (size_t)m->skip_size * m->skip_size));
    if (!ok) {
        nr_upscaler_free(r);
        return NULL;
    }
    return r;
}

nr_upscaler *nr_upscaler_mirror(const nr_upscaler *m)
{
    nr_upscaler *r = table_like(m);
    if (!r)
        return NULL;
    for (int i = 0; i < m->layers; i++) {
        const nr_upscaler_layer *a = &m->layer[i];
        nr_upscaler_layer *b = &r->layer[i];
        bool last = i + 1 == m->layers;
        for (int o = 0; o < a->out; o++) {
            int so = last ? o ^ 1 : o;   /* the last layer's sub-pixels: dx swapped */
            b->bias[o] = a->bias[so];
            for (int c = 0; c < a->in; c++)
                for (int t = 0; t < 9; t++)
                    b->weight[((size_t)o * a->in + c) * 9 + t] =
                        a->weight[((size_t)so * a->in + c) * 9 + (t / 3) * 3 + 2 - t % 3];
        }
    }
    int k = m->skip_size;
    for (int o = 0; o < 4; o++) {
        r->skip_bias[o] = m->skip_bias[o ^ 1];
        for (int t = 0; t < k * k; t++)
            r->skip_weight[(size_t)o * k * k + t] =
                m->skip_weight[(size_t)(o ^ 1) * k * k + (t / k) * k + k - 1 - t % k];
    }
    return r;
}

nr_upscaler *nr_upscaler_invert(const nr_upscaler *m)
{
    nr_upscaler *r = m && m->layers >= 2 ? table_like(m) : NULL;
    if (!r)
        return NULL;
    for (int i = 0; i < m->layers; i++) {
        const nr_upscaler_layer *a = &m->layer[i];
        nr_upscaler_layer *b = &r->layer[i];
        size_t nw = (size_t)a->out * a->in * 9;
        bool first = i == 0, last = i + 1 == m->layers;
        /* first: W (1 - x) + c = -W x + (c + sum W); last: its output negated */
        float sign = first || last ? -1.0f : 1.0f;
        for (size_t t = 0; t < nw; t++)
            b->weight[t] = sign * a->weight[t];
        for (int o = 0; o < a->out; o++) {
            double sum = 0;
            for (int t = 0; first && t < a->in * 9; t++)
                sum += a->weight[(size_t)o * a->in * 9 + t];
            b->bias[o] = first ? (float)(a->bias[o] + sum) : sign * a->bias[o];
        }
    }
    /* 1 - (o + c + S (1 - x) + (1 - x)) = -o + (-c - sum S) + S x + x: the skip
     * filter stays, its bias turns round */
    int k = m->skip_size;
    memcpy(r->skip_weight, m->skip_weight, sizeof(float) * 4 * (size_t)k * k);
    for (int o = 0; o < 4; o++) {
        double sum = 0;
        for (int t = 0; t < k * k; t++)
            sum += m->skip_weight[(size_t)o * k * k + t];
        r->skip_bias[o] = (float)(-m->skip_bias[o] - sum);
    }
    return r;
}

nr_upscaler *nr_upscaler_member(const nr_upscaler *m, int k)
{
    if (!m || k < 1 || k >= NR_UPSCALER_MAX_MEMBERS)
        return NULL;
    if (k == 1)
        return nr_upscaler_mirror(m);
    nr_upscaler *inv = nr_upscaler_invert(m);
    nr_upscaler *r = inv ? nr_upscaler_mirror(inv) : NULL;
    nr_upscaler_free(inv);
    return r;
}

int nr_upscaler_ensemble_init(nr_upscaler_ensemble *e, const nr_upscaler *m, int n)
{
    memset(e, 0, sizeof(*e));
    if (!m || n < 0 || n > NR_UPSCALER_MAX_MEMBERS)
        return -1;
    e->n = n > 1 ? n : 1;
    e->net[0] = m;
    for (int k = 1; k < e->n && k < NR_UPSCALER_MAX_MEMBERS; k++)
        if (!(e->net[k] = e->owned[k] = nr_upscaler_member(m, k))) {
            nr_upscaler_ensemble_free(e);
            return -1;
        }
    return 0;
}

void nr_upscaler_ensemble_free(nr_upscaler_ensemble *e)
{
    for (int k = 0; k < NR_UPSCALER_MAX_MEMBERS; k++)
        nr_upscaler_free(e->owned[k]);
    memset(e, 0, sizeof(*e));
}

int nr_upscaler_run2x_mean(const nr_upscaler *const *nets, int n, const float *src,
                           ptrdiff_t src_stride, int w, int h, float *dst, ptrdiff_t dst_stride)
{
    if (!nets || n < 1 || n > NR_UPSCALER_MAX_MEMBERS || w < 1 || h < 1)
        return -1;
    int rc = nr_upscaler_run2x(nets[0], src, src_stride, w, h, dst, dst_stride);
    if (rc < 0 || n == 1)
        return rc;
    size_t plane = 4 * (size_t)w * h;
    float *other = malloc(sizeof(float) * plane * (size_t)(n - 1));
    for (int k = 1; rc == 0 && k < n; k++)
        rc = other ? nr_upscaler_run2x(nets[k], src, src_stride, w, h, other + (k - 1) * plane,
                                       2 * w)
                   : -1;
    /* the members summed in order, then scaled: as the shader's final pass */
    for (int y = 0; rc == 0 && y < 2 * h; y++)
        for (int x = 0; x < 2 * w; x++) {
            float sum = dst[y * dst_stride + x];
            for (int k = 1; k < n; k++)
                sum += other[(k - 1) * plane + (size_t)y * 2 * w + x];
            dst[y * dst_stride + x] = sum * (1.0f / (float)n);
        }
    free(other);
    return rc;
}

/* 2x by the ensemble's mean, then the final resample. */
static int run_resampled(const nr_upscaler *const *nets, int n, const float *src,
                         ptrdiff_t src_stride, int w, int h, float *dst, ptrdiff_t dst_stride,
                         int out_w, int out_h)
{
    if (out_w == 2 * w && out_h == 2 * h)
        return nr_upscaler_run2x_mean(nets, n, src, src_stride, w, h, dst, dst_stride);
    float *mid = malloc(sizeof(float) * 4 * (size_t)w * h);
    if (!mid)
        return -1;
    int rc = nr_upscaler_run2x_mean(nets, n, src, src_stride, w, h, mid, 2 * w);
    if (rc == 0)
        rc = nr_upscaler_resample(mid, 2 * w, 2 * w, 2 * h, dst, dst_stride, out_w, out_h);
    free(mid);
    return rc;
}

int nr_upscaler_run(const nr_upscaler *m, const float *src, ptrdiff_t src_stride,
                    int w, int h, float *dst, ptrdiff_t dst_stride, int out_w, int out_h)
{
    return run_resampled(&m, 1, src, src_stride, w, h, dst, dst_stride, out_w, out_h);
}

int nr_upscaler_run_mean(const nr_upscaler *const *nets, int n, const float *src,
                         ptrdiff_t src_stride, int w, int h, float *dst, ptrdiff_t dst_stride,
                         int out_w, int out_h)
{
    return run_resampled(nets, n, src, src_stride, w, h, dst, dst_stride, out_w, out_h);
}
