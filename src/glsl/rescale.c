/*
 * The rescale shader writer: one LUMA hook chain that descales, builds the
 * error (credit) mask, upscales with our own upscaler and merges, exactly
 * as the CPU reference in src/rescale/ (nativeres_rescale.h) computes it.
 *
 * Passes (all LUMA, all active only on frames of the scale's source size):
 *   descale h, v      the descale writer's passes; the native plane X is
 *                     saved as a hi/lo pair
 *   re-upscale h      X -> source width with the studio kernel (table)
 *   re-upscale v      ... -> source size; e = |source - R| through the
 *                     soft threshold: the per-pixel mask m0
 *   mask pool         max of m0 over each cell (2x2 native pixels)
 *   mask grow h, v    separable max of cell x baked grow/feather weight
 *   fast:      merge  native size: X, or where the mask is set the
 *                     triangle downscale of the source (computed only there)
 *   balanced:  upscale h, upscale v + merge: the preset's kernel with its
 *                     anti-ringing clamp, to max(source, OUTPUT); where
 *                     the mask is set the Catmull-Rom resample of the source
 * Weights of the upscaler and of the source resamplers are computed from
 * HOOKED_pos at run time, so the output may be the screen size (unknown
 * when the file is written). Integer-indexed passes compute their pixel
 * from HOOKED_pos and the baked size, as the descale passes do.
 */
#include "nativeres_glsl.h"

#include "descale_passes.h"
#include "glsl_buf.h"
#include "glsl_pass.h"
#include "matrix.h"
#include "rescale/rescale_internal.h"
#include "weight_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(char *err, size_t err_size, const char *msg)
{
    if (err && err_size)
        snprintf(err, err_size, "%s", msg);
}

/* The forward operator A of one axis as a table the descale passes' table
 * code can store: row i = full sample i, offset = first native sample. */
static int forward_table(nr_weights *wt, const nr_scale *s, const nr_axis *ax)
{
    memset(wt, 0, sizeof(*wt));
    nr_matrix a;
    if (nr_matrix_build(&a, &s->kernel, ax, s->border) < 0)
        return -1;
    wt->out_size = a.rows;
    wt->in_size = a.cols;
    wt->taps = a.width;
    wt->offset = malloc(sizeof(int) * (size_t)a.rows);
    wt->w = malloc(sizeof(float) * (size_t)a.rows * (size_t)a.width);
    if (!wt->offset || !wt->w) {
        nr_matrix_free(&a);
        nr_weights_free(wt);
        return -1;
    }
    for (int i = 0; i < a.rows; i++) {
        wt->offset[i] = a.first[i];
        for (int t = 0; t < a.width; t++)
            wt->w[(size_t)i * a.width + t] = (float)a.coef[(size_t)i * a.width + t];
    }
    nr_matrix_free(&a);
    return 0;
}

typedef struct rescale_ctx {
    const nr_scale *s;
    const nr_rescale_opts *o;
    const nr_rescale_preset_info *preset;
    nr_descale_plan dp;
    nr_mask_geometry g;
    bool up_h, up_v;               /* re-upscale passes (non-identity axes) */
    nr_weights fh, fv;             /* forward tables */
    nr_table_layout lay_fh, lay_fv;
    char when[64];
    char x[48], rh[48], e[48], pool[48], gh[48], mask[48], uh[48];
    char tfh[48], tfv[48];
    char kernel[64];
} rescale_ctx;

/* "NAME_tex((vec2(i, j) + 0.5) * NAME_pt)" reader of a hi/lo (or single)
 * texture with clamped integer indices. */
static void write_reader(nr_glsl_buf *b, const char *fn, const char *tex, int w, int h,
                         bool split)
{
    nr_glsl_printf(b,
        "float %s(int i, int j)\n"
        "{\n"
        "    i = clamp(i, 0, %d);\n"
        "    j = clamp(j, 0, %d);\n"
        "    vec2 t = %s_tex((vec2(float(i), float(j)) + 0.5) * %s_pt).xy;\n"
        "    return %s;\n"
        "}\n\n", fn, w - 1, h - 1, tex, tex, split ? "t.x + t.y" : "t.x");
}

static void write_pixel(nr_glsl_buf *b, int w, int h)
{
    nr_glsl_printf(b,
        "    int ox = clamp(int(floor(HOOKED_pos.x * %d.0)), 0, %d);\n"
        "    int oy = clamp(int(floor(HOOKED_pos.y * %d.0)), 0, %d);\n", w, w - 1, h, h - 1);
}

static void emit(nr_glsl_buf *b, nr_glsl_pass *p, nr_glsl_buf *body)
{
    if (body->failed) {
        b->failed = true;
    } else {
        p->body = body->data ? body->data : "";
        nr_glsl_pass_write(b, p);
    }
    nr_glsl_buf_free(body);
}

/* A GLSL float literal ("1.0", not "1", which GLSL ES takes as an int),
 * with float32's full precision. */
static const char *flt(char buf[40], double v)
{
    snprintf(buf, 40, "%.9g", v);
    if (!strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    return buf;
}

/* flt into one of a few rotating buffers, for several literals per call */
static const char *fl(double v)
{
    static _Thread_local char ring[16][40];
    static _Thread_local int next;
    next = (next + 1) % 16;
    return flt(ring[next], v);
}

static void size_str(char *buf, size_t n, int v)
{
    snprintf(buf, n, "%d", v);
}

/* Re-upscale along one axis with the forward table. Horizontal: X (nw x nh)
 * -> rh (sw x nh), hi/lo. Vertical: rh (or X) -> sw x sh, then the error
 * against the source and the soft threshold. */
static void write_reupscale(nr_glsl_buf *b, const rescale_ctx *c, bool horizontal)
{
    const nr_mask_geometry *g = &c->g;
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    char desc[256], w[16], h[16];
    nr_glsl_pass p = { .hook = "LUMA", .when = c->when };
    if (horizontal) {
        nr_glsl_write_fp16_function(&body);
        write_reader(&body, "nr_x", c->x, g->nw, g->nh, true);
        nr_glsl_puts(&body, "vec4 hook()\n{\n");
        write_pixel(&body, g->sw, g->nh);
        nr_table_write_lookup(&body, c->tfh, &c->lay_fh, "ox");
        nr_glsl_printf(&body,
            "    float sum = 0.0;\n"
            "    for (int t = 0; t < %d; t++) {\n"
            "        vec4 w = texelFetch(%s, ivec2(t + 1, row), 0);\n"
            "        int i = first + 4 * t;\n"
            "        sum += w.x * nr_x(i, oy) + w.y * nr_x(i + 1, oy)\n"
            "             + w.z * nr_x(i + 2, oy) + w.w * nr_x(i + 3, oy);\n"
            "    }\n"
            "    float hi = nr_fp16(sum);\n"
            "    return vec4(hi, sum - hi, 0.0, 1.0);\n"
            "}\n\n", c->lay_fh.width - 1, c->tfh);
        snprintf(desc, sizeof(desc), "nativeres rescale: re-upscale horizontal %dx%d <- %dx%d %s (%d taps, mask)",
                 g->sw, g->nh, g->nw, g->nh, c->kernel, c->fh.taps);
        p.binds[0] = "HOOKED";
        p.binds[1] = c->x;
        p.binds[2] = c->tfh;
        p.save = c->rh;
        p.components = 2;
        size_str(w, sizeof(w), g->sw);
        size_str(h, sizeof(h), g->nh);
    } else {
        const char *in = c->up_h ? c->rh : c->x;
        write_reader(&body, "nr_r", in, g->sw, g->nh, true);
        nr_glsl_puts(&body, "vec4 hook()\n{\n");
        write_pixel(&body, g->sw, g->sh);
        if (c->up_v) {
            nr_table_write_lookup(&body, c->tfv, &c->lay_fv, "oy");
            nr_glsl_printf(&body,
                "    float sum = 0.0;\n"
                "    for (int t = 0; t < %d; t++) {\n"
                "        vec4 w = texelFetch(%s, ivec2(t + 1, row), 0);\n"
                "        int j = first + 4 * t;\n"
                "        sum += w.x * nr_r(ox, j) + w.y * nr_r(ox, j + 1)\n"
                "             + w.z * nr_r(ox, j + 2) + w.w * nr_r(ox, j + 3);\n"
                "    }\n", c->lay_fv.width - 1, c->tfv);
        } else {
            nr_glsl_puts(&body, "    float sum = nr_r(ox, oy);\n");
        }
        nr_glsl_printf(&body,
            "    // where the frame is the studio's upscale of the descale, e is ~0; the\n"
            "    // upscale was stored clipped to [0,1], so its overshoot is clipped too\n"
            "    sum = clamp(sum, 0.0, 1.0);\n"
            "    float e = abs(HOOKED_tex((vec2(float(ox), float(oy)) + 0.5) * HOOKED_pt).x - sum);\n"
            "    return vec4(clamp((e - %s) / %s, 0.0, 1.0), 0.0, 0.0, 1.0);\n"
            "}\n\n", fl(g->t_lo), fl(g->t_hi - g->t_lo));
        snprintf(desc, sizeof(desc), "nativeres rescale: re-upscale vertical %dx%d <- %dx%d %s, "
                 "error mask threshold=%.4g", g->sw, g->sh, g->sw, g->nh, c->kernel,
                 c->o->mask.threshold);
        int n = 0;
        p.binds[n++] = "HOOKED";
        p.binds[n++] = in;
        if (c->up_v)
            p.binds[n++] = c->tfv;
        p.save = c->e;
        p.components = 1;
        size_str(w, sizeof(w), g->sw);
        size_str(h, sizeof(h), g->sh);
    }
    p.desc = desc;
    p.width = w;
    p.height = h;
    emit(b, &p, &body);
}

/* Max of m0 over each cell's source pixels (integer cell arithmetic as
 * nr_mask_cell_of / nr_mask_cell_first). */
static void write_pool(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    write_reader(&body, "nr_e", c->e, g->sw, g->sh, false);
    nr_glsl_printf(&body,
        "// cell of source pixel i: floor((2i + 1) * native / (2 * %d * full))\n"
        "int nr_cell(int i, int full, int native, int cells)\n"
        "{\n"
        "    return min(((2 * i + 1) * native) / (2 * %d * full), cells - 1);\n"
        "}\n\n"
        "int nr_first(int cell, int full, int native)\n"
        "{\n"
        "    int num = 2 * %d * cell * full - native;\n"
        "    return num <= 0 ? 0 : (num + 2 * native - 1) / (2 * native);\n"
        "}\n\n", NR_MASK_CELL, NR_MASK_CELL, NR_MASK_CELL);
    nr_glsl_puts(&body, "vec4 hook()\n{\n");
    write_pixel(&body, g->cw, g->ch);
    nr_glsl_printf(&body,
        "    int fx = nr_first(ox, %d, %d), fy = nr_first(oy, %d, %d);\n"
        "    float best = 0.0;\n"
        "    for (int ty = 0; ty < %d; ty++) {\n"
        "        int j = fy + ty;\n"
        "        if (j >= %d || nr_cell(j, %d, %d, %d) != oy)\n"
        "            continue;\n"
        "        for (int tx = 0; tx < %d; tx++) {\n"
        "            int i = fx + tx;\n"
        "            if (i < %d && nr_cell(i, %d, %d, %d) == ox)\n"
        "                best = max(best, nr_e(i, j));\n"
        "        }\n"
        "    }\n"
        "    return vec4(best, 0.0, 0.0, 1.0);\n"
        "}\n\n",
        g->sw, g->nw, g->sh, g->nh, g->span_y, g->sh, g->sh, g->nh, g->ch,
        g->span_x, g->sw, g->sw, g->nw, g->cw);
    char desc[256], w[16], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: mask cells %dx%d (max over 2x2 native pixels)",
             g->cw, g->ch);
    size_str(w, sizeof(w), g->cw);
    size_str(h, sizeof(h), g->ch);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", c->e }, .save = c->pool,
                       .desc = desc, .width = w, .height = h, .components = 1,
                       .when = c->when };
    emit(b, &p, &body);
}

static void write_grow(nr_glsl_buf *b, const rescale_ctx *c, bool horizontal)
{
    const nr_mask_geometry *g = &c->g;
    const char *in = horizontal ? c->pool : c->gh, *out = horizontal ? c->gh : c->mask;
    int r = horizontal ? g->rx : g->ry;
    const float *wt = horizontal ? g->wx : g->wy;
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    write_reader(&body, "nr_m", in, g->cw, g->ch, false);
    nr_glsl_puts(&body, "vec4 hook()\n{\n");
    write_pixel(&body, g->cw, g->ch);
    nr_glsl_puts(&body, "    // grown: full weight up to the grow distance, then the feather ramp\n"
                        "    float best = nr_m(ox, oy);\n");
    for (int d = 1; d <= r; d++) {
        char f[40];
        if (horizontal)
            nr_glsl_printf(&body, "    best = max(best, max(nr_m(ox - %d, oy), nr_m(ox + %d, oy)) * %s);\n",
                           d, d, flt(f, wt[d]));
        else
            nr_glsl_printf(&body, "    best = max(best, max(nr_m(ox, oy - %d), nr_m(ox, oy + %d)) * %s);\n",
                           d, d, flt(f, wt[d]));
    }
    nr_glsl_puts(&body, "    return vec4(best, 0.0, 0.0, 1.0);\n}\n\n");
    char desc[256], w[16], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: mask grow %s grow=%.4g feather=%.4g (%d cells)",
             horizontal ? "horizontal" : "vertical", c->o->mask.grow, c->o->mask.feather, r);
    size_str(w, sizeof(w), g->cw);
    size_str(h, sizeof(h), g->ch);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", in }, .save = out,
                       .desc = desc, .width = w, .height = h, .components = 1,
                       .when = c->when };
    emit(b, &p, &body);
}

/* nr_mask(pos): bilinear between cell centres, as nr_mask_sample. */
static void write_mask_sampler(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    write_reader(b, "nr_cellv", c->mask, g->cw, g->ch, false);
    nr_glsl_printf(b,
        "float nr_mask(vec2 pos)\n"
        "{\n"
        "    vec2 u = pos * vec2(%s, %s) - 0.5;\n"
        "    vec2 f0 = floor(u), f = u - f0;\n"
        "    int x0 = int(f0.x), y0 = int(f0.y);\n"
        "    float top = mix(nr_cellv(x0, y0), nr_cellv(x0 + 1, y0), f.x);\n"
        "    float bot = mix(nr_cellv(x0, y0 + 1), nr_cellv(x0 + 1, y0 + 1), f.x);\n"
        "    return mix(top, bot, f.y);\n"
        "}\n\n", fl((double)g->nw / NR_MASK_CELL), fl((double)g->nh / NR_MASK_CELL));
}

/* Kernel function nr_k(d), d >= 0, for the upscaler (lanczos or bicubic). */
static int write_kernel_function(nr_glsl_buf *b, const nr_kernel *k)
{
    char blur[40];
    flt(blur, k->blur);
    if (k->type == NR_KERNEL_LANCZOS) {
        nr_glsl_printf(b,
            "float nr_k(float d)\n"
            "{\n"
            "    d /= %s;\n"
            "    if (d < 1e-6)\n"
            "        return 1.0;\n"
            "    if (d >= %d.0)\n"
            "        return 0.0;\n"
            "    float a = 3.14159265358979 * d;\n"
            "    return sin(a) * sin(a / %d.0) / (a * a / %d.0);\n"
            "}\n\n", blur, k->taps, k->taps, k->taps);
        return 0;
    }
    if (k->type == NR_KERNEL_BICUBIC) {
        double b0 = k->b, c0 = k->c;
        nr_glsl_printf(b,
            "float nr_k(float d)\n"
            "{\n"
            "    d /= %s;\n"
            "    if (d < 1.0)\n"
            "        return ((%s) * d * d * d + (%s) * d * d + (%s)) / 6.0;\n"
            "    if (d < 2.0)\n"
            "        return ((%s) * d * d * d + (%s) * d * d + (%s) * d + (%s)) / 6.0;\n"
            "    return 0.0;\n"
            "}\n\n", blur,
            fl(12 - 9 * b0 - 6 * c0), fl(-18 + 12 * b0 + 6 * c0), fl(6 - 2 * b0),
            fl(-b0 - 6 * c0), fl(6 * b0 + 30 * c0), fl(-12 * b0 - 48 * c0), fl(8 * b0 + 24 * c0));
        return 0;
    }
    return -1;
}

/* The upscaler along one axis at position c of the input, reading nr_in(j)
 * (the other index fixed by the caller's macro). */
static void write_upscale_body(nr_glsl_buf *b, const nr_rescale_upscaler *u, const char *reader)
{
    int radius = nr_kernel_support(&u->kernel);
    char ar[40];
    nr_glsl_printf(b,
        "    float j0 = floor(c);\n"
        "    float sum = 0.0, wsum = 0.0;\n"
        "    for (int t = %d; t <= %d; t++) {\n"
        "        float j = j0 + float(t);\n"
        "        float w = nr_k(abs(c - j));\n"
        "        sum += w * %s(int(j));\n"
        "        wsum += w;\n"
        "    }\n"
        "    float v = sum / wsum;\n"
        "    // anti-ringing: towards the range of the 4 nearest input samples\n"
        "    int k0 = int(j0);\n"
        "    float a0 = %s(k0 - 1), a1 = %s(k0), a2 = %s(k0 + 1), a3 = %s(k0 + 2);\n"
        "    float range_lo = min(min(a0, a1), min(a2, a3));\n"
        "    float range_hi = max(max(a0, a1), max(a2, a3));\n"
        "    v += %s * (clamp(v, range_lo, range_hi) - v);\n",
        -radius + 1, radius, reader, reader, reader, reader, reader, flt(ar, u->antiring));
}

static const char *const out_w_expr = "HOOKED.w OUTPUT.w HOOKED.w - OUTPUT.w HOOKED.w > * +";
static const char *const out_h_expr = "HOOKED.h OUTPUT.h HOOKED.h - OUTPUT.h HOOKED.h > * +";

static void write_upscale_h(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    double start, size;
    nr_rescale_window(c->s, true, &start, &size);
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    nr_glsl_write_fp16_function(&body);
    write_reader(&body, "nr_x", c->x, g->nw, g->nh, true);
    write_kernel_function(&body, &c->preset->upscaler.kernel);
    nr_glsl_printf(&body,
        "vec4 hook()\n"
        "{\n"
        "    int oy = clamp(int(floor(HOOKED_pos.y * %d.0)), 0, %d);\n"
        "#define nr_in(i) nr_x(i, oy)\n"
        "    float c = HOOKED_pos.x * %s + %s;\n", g->nh, g->nh - 1, fl(size), fl(start - 0.5));
    write_upscale_body(&body, &c->preset->upscaler, "nr_in");
    nr_glsl_puts(&body,
        "#undef nr_in\n"
        "    float hi = nr_fp16(v);\n"
        "    return vec4(hi, v - hi, 0.0, 1.0);\n"
        "}\n\n");
    char desc[256], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: upscale horizontal %s antiring=%.3g <- %dx%d (%s)",
             c->preset->upscaler_name, c->preset->upscaler.antiring, g->nw, g->nh,
             c->preset->name);
    size_str(h, sizeof(h), g->nh);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", c->x }, .save = c->uh,
                       .desc = desc, .width = out_w_expr, .height = h, .components = 2,
                       .when = c->when };
    emit(b, &p, &body);
}

static void write_catrom_source(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    write_reader(b, "nr_s", "HOOKED", g->sw, g->sh, false);
    nr_glsl_printf(b,
        "float nr_catrom(float d)\n"
        "{\n"
        "    d = abs(d);\n"
        "    if (d < 1.0)\n"
        "        return 1.5 * d * d * d - 2.5 * d * d + 1.0;\n"
        "    if (d < 2.0)\n"
        "        return -0.5 * d * d * d + 2.5 * d * d - 4.0 * d + 2.0;\n"
        "    return 0.0;\n"
        "}\n\n"
        "// the source resampled at pos (Catmull-Rom; the source itself at 1:1);\n"
        "// weights recomputed in the loops: local arrays are slow on some drivers\n"
        "float nr_source(vec2 pos)\n"
        "{\n"
        "    vec2 cc = pos * vec2(%d.0, %d.0) - 0.5;\n"
        "    vec2 f0 = floor(cc);\n"
        "    int x0 = int(f0.x), y0 = int(f0.y);\n"
        "    float sx = 0.0, sy = 0.0, sum = 0.0;\n"
        "    for (int t = 0; t < 4; t++) {\n"
        "        sx += nr_catrom(cc.x - (f0.x - 1.0 + float(t)));\n"
        "        sy += nr_catrom(cc.y - (f0.y - 1.0 + float(t)));\n"
        "    }\n"
        "    for (int ty = 0; ty < 4; ty++) {\n"
        "        float r = 0.0;\n"
        "        for (int tx = 0; tx < 4; tx++)\n"
        "            r += nr_catrom(cc.x - (f0.x - 1.0 + float(tx))) * nr_s(x0 - 1 + tx, y0 - 1 + ty);\n"
        "        sum += nr_catrom(cc.y - (f0.y - 1.0 + float(ty))) * r;\n"
        "    }\n"
        "    return sum / (sx * sy);\n"
        "}\n\n", g->sw, g->sh);
}

static void write_upscale_v_merge(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    double start, size;
    nr_rescale_window(c->s, false, &start, &size);
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    nr_glsl_write_fp16_function(&body);
    nr_glsl_printf(&body,
        "float nr_u(int i, int j)\n"
        "{\n"
        "    j = clamp(j, 0, %d);\n"
        "    vec2 t = %s_tex((vec2(float(i), float(j)) + 0.5) * %s_pt).xy;\n"
        "    return t.x + t.y;\n"
        "}\n\n", g->nh - 1, c->uh, c->uh);
    write_kernel_function(&body, &c->preset->upscaler.kernel);
    write_mask_sampler(&body, c);
    write_catrom_source(&body, c);
    nr_glsl_printf(&body,
        "vec4 hook()\n"
        "{\n"
        "    int ox = clamp(int(floor(HOOKED_pos.x * %s_size.x)), 0, int(%s_size.x) - 1);\n"
        "#define nr_in(j) nr_u(ox, j)\n"
        "    float c = HOOKED_pos.y * %s + %s;\n", c->uh, c->uh, fl(size), fl(start - 0.5));
    write_upscale_body(&body, &c->preset->upscaler, "nr_in");
    nr_glsl_puts(&body,
        "#undef nr_in\n"
        "    // merge: where the frame is not an upscale, the source itself\n"
        "    float m = nr_mask(HOOKED_pos);\n"
        "    if (m > 0.0)\n"
        "        v += m * (nr_source(HOOKED_pos) - v);\n"
        "    return vec4(nr_fp16(v), 0.0, 0.0, 1.0);\n"
        "}\n\n");
    char desc[256];
    snprintf(desc, sizeof(desc), "nativeres rescale: upscale vertical %s antiring=%.3g + merge "
             "with the source under the mask (%s)", c->preset->upscaler_name,
             c->preset->upscaler.antiring, c->preset->name);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", c->uh, c->mask },
                       .desc = desc, .width = out_w_expr, .height = out_h_expr,
                       .when = c->when };
    emit(b, &p, &body);
}

static void write_triangle_source(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    double hs, hz, vs, vz;
    nr_rescale_window(c->s, true, &hs, &hz);
    nr_rescale_window(c->s, false, &vs, &vz);
    int nx = nr_triangle_taps(g->sw, hz), ny = nr_triangle_taps(g->sh, vz);
    write_reader(b, "nr_s", "HOOKED", g->sw, g->sh, false);
    nr_glsl_printf(b,
        "// the source downscaled to native pixel (X, Y): a triangle filter as wide\n"
        "// as the scale ratio, normalised\n"
        "float nr_source(int X, int Y)\n"
        "{\n"
        "    float rx = %s, ry = %s;\n"
        "    float fx = (float(X) + %s) * rx, fy = (float(Y) + %s) * ry;\n"
        "    int ix = int(floor(fx - rx)), iy = int(floor(fy - ry));\n"
        "    // weights recomputed in the loops: local arrays are slow on some drivers\n"
        "#define NR_WX(t) max(1.0 - abs(float(ix + (t)) + 0.5 - fx) / rx, 0.0)\n"
        "#define NR_WY(t) max(1.0 - abs(float(iy + (t)) + 0.5 - fy) / ry, 0.0)\n"
        "    float sx = 0.0, sy = 0.0, sum = 0.0;\n"
        "    for (int t = 0; t < %d; t++)\n"
        "        sx += NR_WX(t);\n"
        "    for (int t = 0; t < %d; t++)\n"
        "        sy += NR_WY(t);\n"
        "    for (int ty = 0; ty < %d; ty++) {\n"
        "        float wy = NR_WY(ty);\n"
        "        if (wy == 0.0)\n"
        "            continue;\n"
        "        float r = 0.0;\n"
        "        for (int tx = 0; tx < %d; tx++)\n"
        "            r += NR_WX(tx) * nr_s(ix + tx, iy + ty);\n"
        "        sum += wy * r;\n"
        "    }\n"
        "#undef NR_WX\n"
        "#undef NR_WY\n"
        "    return sum / (sx * sy);\n"
        "}\n\n",
        fl((double)g->sw / hz), fl((double)g->sh / vz), fl(0.5 - hs), fl(0.5 - vs),
        nx, ny, ny, nx);
}

static void write_fast_merge(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    nr_glsl_write_fp16_function(&body);
    write_reader(&body, "nr_x", c->x, g->nw, g->nh, true);
    write_mask_sampler(&body, c);
    write_triangle_source(&body, c);
    nr_glsl_puts(&body, "vec4 hook()\n{\n");
    write_pixel(&body, g->nw, g->nh);
    nr_glsl_puts(&body,
        "    float v = nr_x(ox, oy);\n"
        "    // where the frame is not an upscale, a plain downscale of the source\n"
        "    float m = nr_mask(HOOKED_pos);\n"
        "    if (m > 0.0)\n"
        "        v += m * (nr_source(ox, oy) - v);\n"
        "    return vec4(nr_fp16(v), 0.0, 0.0, 1.0);\n"
        "}\n\n");
    char desc[256], w[16], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: merge %dx%d, masked areas downscaled from "
             "the source (fast)", g->nw, g->nh);
    size_str(w, sizeof(w), g->nw);
    size_str(h, sizeof(h), g->nh);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", c->x, c->mask },
                       .desc = desc, .width = w, .height = h, .when = c->when };
    emit(b, &p, &body);
}

static void write_header_comment(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    const nr_rescale_opts *o = c->o;
    nr_glsl_printf(b, "// nativeres rescale (%s): %dx%d luma, native %dx%d, %s%s\n",
                   c->preset->name, g->sw, g->sh, g->nw, g->nh, c->dp.c.kernel, c->dp.c.border);
    nr_glsl_puts(b,
        "//\n"
        "// An mpv user shader (LUMA hook chain) that restores the picture the studio\n"
        "// upscaled: descale (least-squares inverse of the upscale), an error mask\n"
        "// (re-upscale with the studio kernel; where it differs from the frame, e.g.\n"
        "// credits, text and overlays drawn at full size, the frame is kept), and\n");
    if (c->preset->native_output)
        nr_glsl_puts(b,
            "// a merge at the native size: masked areas get a triangle downscale of the\n"
            "// frame. mpv's scaler, or the shaders after this one (ArtCNN, FSRCNNX, ravu,\n"
            "// Anime4K), upscale the native plane to the screen.\n");
    else
        nr_glsl_printf(b,
            "// our own upscale (%s, anti-ringing %.3g) to the frame size, or to the\n"
            "// screen where it is larger, merged with the frame under the mask: mpv's\n"
            "// scaler has nothing left to do on luma.\n",
            c->preset->upscaler_name, c->preset->upscaler.antiring);
    nr_glsl_printf(b,
        "// Acts only on %dx%d video; other sizes pass through untouched.\n"
        "//\n"
        "// Mask: threshold %.4g (|frame - re-upscale| at which it is full; 0 below half),\n"
        "//   grown by %.4g and feathered over %.4g source pixels, on cells of 2x2 native\n"
        "//   pixels (%dx%d).\n"
        "// Descale tables: tolerance %.3g, worst-case error %.3g for input in [0,1].\n"
        "//\n"
        "// Use: copy this file to ~~/shaders/ and add to mpv.conf:\n"
        "//   glsl-shaders-append=\"~~/shaders/%s\"\n"
        "//\n"
        "// Generated by %s %s (nativeres) -- do not edit; regenerate instead.\n\n",
        g->sw, g->sh, o->mask.threshold, o->mask.grow, o->mask.feather, g->cw, g->ch,
        o->tolerance, c->dp.bound_2d, o->file_name ? o->file_name : "<this file>",
        o->generator ? o->generator : "libnativeres", NR_VERSION_STRING);
}

char *nr_glsl_rescale(const nr_scale *s, const nr_rescale_opts *opts,
                      nr_glsl_rescale_info *info, char *err, size_t err_size)
{
    nr_rescale_opts o;
    if (opts)
        o = *opts;
    else
        nr_rescale_opts_default(&o);
    if (!s) {
        set_err(err, err_size, "no scale given");
        return NULL;
    }
    if (nr_rescale_opts_validate(&o, err, err_size) < 0)
        return NULL;
    rescale_ctx c = { .s = s, .o = &o, .preset = nr_rescale_preset_get(o.preset) };
    if (nr_descale_plan_init(&c.dp, s, o.tolerance, "NATIVERES_RS", "nativeres rescale: descale",
                             err, err_size) < 0)
        return NULL;
    char *text = NULL;
    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    nr_mask_geometry_init(&c.g, s, &o.mask);
    if (!c.preset->native_output) {
        nr_glsl_buf probe;
        nr_glsl_buf_init(&probe);
        int ok = write_kernel_function(&probe, &c.preset->upscaler.kernel);
        nr_glsl_buf_free(&probe);
        if (ok < 0) {
            set_err(err, err_size, "the preset's upscaler kernel has no shader form");
            goto done;
        }
    }
    nr_axis ah = nr_scale_axis_h(s), av = nr_scale_axis_v(s);
    c.up_h = c.dp.do_h;
    c.up_v = c.dp.do_v;
    if ((c.up_h && forward_table(&c.fh, s, &ah) < 0) || (c.up_v && forward_table(&c.fv, s, &av) < 0)) {
        set_err(err, err_size, "cannot build the re-upscale tables");
        goto done;
    }
    if (c.up_h)
        nr_table_plan(&c.fh, &ah, &c.lay_fh);
    if (c.up_v)
        nr_table_plan(&c.fv, &av, &c.lay_fv);
    nr_kernel_name(&s->kernel, c.kernel, sizeof(c.kernel));
    unsigned h = c.dp.hash ^ (unsigned)o.preset * 0x9e3779b9u;
    snprintf(c.when, sizeof(c.when), "HOOKED.w %d == HOOKED.h %d == *", c.g.sw, c.g.sh);
    snprintf(c.x, sizeof(c.x), "NATIVERES_RS_X_%08x", h);
    snprintf(c.rh, sizeof(c.rh), "NATIVERES_RS_RH_%08x", h);
    snprintf(c.e, sizeof(c.e), "NATIVERES_RS_E_%08x", h);
    snprintf(c.pool, sizeof(c.pool), "NATIVERES_RS_POOL_%08x", h);
    snprintf(c.gh, sizeof(c.gh), "NATIVERES_RS_GH_%08x", h);
    snprintf(c.mask, sizeof(c.mask), "NATIVERES_RS_MASK_%08x", h);
    snprintf(c.uh, sizeof(c.uh), "NATIVERES_RS_UH_%08x", h);
    snprintf(c.tfh, sizeof(c.tfh), "NATIVERES_RS_FH_%08x", h);
    snprintf(c.tfv, sizeof(c.tfv), "NATIVERES_RS_FV_%08x", h);

    write_header_comment(&b, &c);
    nr_descale_plan_write_passes(&b, &c.dp, c.x);
    if (c.up_h)
        write_reupscale(&b, &c, true);
    write_reupscale(&b, &c, false);
    write_pool(&b, &c);
    write_grow(&b, &c, true);
    write_grow(&b, &c, false);
    if (c.preset->native_output) {
        write_fast_merge(&b, &c);
    } else {
        write_upscale_h(&b, &c);
        write_upscale_v_merge(&b, &c);
    }
    if (nr_descale_plan_write_textures(&b, &c.dp) < 0 ||
        (c.up_h && nr_table_write(&b, c.tfh, &c.fh, &c.lay_fh) < 0) ||
        (c.up_v && nr_table_write(&b, c.tfv, &c.fv, &c.lay_fv) < 0))
        b.failed = true;
    text = nr_glsl_buf_take(&b);
    if (!text) {
        set_err(err, err_size, "out of memory");
        goto done;
    }
    if (info) {
        *info = (nr_glsl_rescale_info){
            .preset = o.preset,
            .native_output = c.preset->native_output,
            .passes = c.dp.do_h + c.dp.do_v + c.up_h + 4 + (c.preset->native_output ? 1 : 2),
            .cells_w = c.g.cw, .cells_h = c.g.ch,
        };
        nr_descale_plan_info(&c.dp, &info->descale);
    }
done:
    nr_glsl_buf_free(&b);
    nr_descale_plan_free(&c.dp);
    nr_weights_free(&c.fh);
    nr_weights_free(&c.fv);
    return text;
}
