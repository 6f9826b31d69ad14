/*
 * The rescale shader writer: one LUMA hook chain that descales, builds the
 * error (credit) mask, upscales with our own upscaler and merges, exactly
 * as the CPU reference in src/rescale/ (nativeres_rescale.h) computes it.
 *
 * Passes (all LUMA, all active only on frames of the scale's source size):
 *   descale h, v      the descale writer's passes; the native plane X is
 *                     saved as a hi/lo pair
 *   mask cells        one pass at the cell size (2x2 native pixels): each
 *                     cell re-upscales its own source pixels from a block
 *                     of X with the studio kernel (per-cell tables),
 *                     e = |source - R| through the soft threshold, max over
 *                     the cell: no full-size pass for the mask
 *   mask grow h, v    separable max of cell x baked grow/feather weight
 *   fast:      merge  native size: X, or where the mask is set the
 *                     triangle downscale of the source
 *   balanced:  upscale h, upscale v + merge: the preset's kernel with its
 *                     anti-ringing clamp, to max(source, OUTPUT); where
 *                     the mask is set the source itself (screen <= source)
 *                     or its Catmull-Rom resample (larger screens): two
 *                     passes chosen by //!WHEN, as a software renderer
 *                     runs both sides of a branch
 * Weights of the upscaler and of the source resamplers are computed from
 * HOOKED_pos at run time, so the output may be the screen size (unknown
 * when the file is written). Integer-indexed passes compute their pixel
 * from HOOKED_pos and the baked size, as the descale passes do.
 */
#include "nativeres_glsl.h"

#include "descale_passes.h"
#include "nativeres_dpid.h"
#include "nativeres_upscaler.h"
#include "upscaler_passes.h"
#include "glsl_buf.h"
#include "glsl_pass.h"
#include "kernel_eval.h"
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

/* The forward operator A of one axis (identity when the axis is not
 * scaled): row i = full sample i. */
static int forward_matrix(nr_matrix *a, const nr_scale *s, const nr_axis *ax, bool scaled)
{
    if (scaled)
        return nr_matrix_build(a, &s->kernel, ax, s->border);
    int n = ax->full;
    *a = (nr_matrix){ .rows = n, .cols = n, .width = 1,
                      .first = malloc(sizeof(int) * (size_t)n),
                      .coef = malloc(sizeof(double) * (size_t)n) };
    if (!a->first || !a->coef) {
        nr_matrix_free(a);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        a->first[i] = i;
        a->coef[i] = 1.0;
    }
    return 0;
}

/* The mask-cell table of one axis: per cell, the forward rows of the
 * cell's source pixels over one block of native samples, so one pass at
 * the cell size re-upscales, measures the error and pools it (no
 * full-size pass). Texture row = cell; texel 0 = (first native sample of
 * the block, first source pixel of the cell, source pixels in the cell, 0),
 * then per source-pixel slot s < slots, ceil(block / 4) texels of weights
 * over the block (zero where the row has none). */
typedef struct cell_table {
    int cells, slots, block, quads, width;  /* slots: most source pixels of a cell;
                                               width = 1 + slots * quads texels */
    float *data;                            /* cells * width * 4 */
} cell_table;

static int cell_table_build(cell_table *t, const nr_matrix *a, int native, int cells, int span)
{
    int full = a->rows;
    *t = (cell_table){ .cells = cells };
    for (int pass = 0; pass < 2; pass++) {
        for (int X = 0; X < cells; X++) {
            int p0 = nr_mask_cell_first(X, full, native);
            int p1 = X + 1 < cells ? nr_mask_cell_first(X + 1, full, native) : full;
            if (p1 - p0 > span || p1 <= p0)
                return -1;
            int lo = a->cols, hi = -1;
            for (int i = p0; i < p1; i++)
                for (int k = 0; k < a->width; k++)
                    if (a->coef[(size_t)i * a->width + k] != 0) {
                        int col = a->first[i] + k;
                        lo = col < lo ? col : lo;
                        hi = col > hi ? col : hi;
                    }
            if (hi < lo)
                lo = hi = p0 < a->cols ? p0 : a->cols - 1;
            if (pass == 0) {
                t->block = hi - lo + 1 > t->block ? hi - lo + 1 : t->block;
                t->slots = p1 - p0 > t->slots ? p1 - p0 : t->slots;
                continue;
            }
            float *row = t->data + (size_t)X * t->width * 4;
            row[0] = (float)lo;
            row[1] = (float)p0;
            row[2] = (float)(p1 - p0);
            for (int i = p0; i < p1; i++)
                for (int k = 0; k < a->width; k++) {
                    int b = a->first[i] + k - lo;
                    double w = a->coef[(size_t)i * a->width + k];
                    if (w != 0)
                        row[4 + ((i - p0) * t->quads) * 4 + b] = (float)w;
                }
        }
        if (pass == 0) {
            t->quads = (t->block + 3) / 4;
            t->width = 1 + t->slots * t->quads;
            t->data = calloc((size_t)cells * t->width * 4, sizeof(float));
            if (!t->data)
                return -1;
        }
    }
    return 0;
}

static void cell_table_free(cell_table *t)
{
    free(t->data);
    t->data = NULL;
}

static void cell_table_write(nr_glsl_buf *b, const char *name, const cell_table *t)
{
    nr_glsl_texture_write(b, &(nr_glsl_texture){ .name = name, .w = t->width, .h = t->cells,
                                                 .format = "rgba32f", .filter = "NEAREST" },
                          t->data, (size_t)t->cells * t->width * 4);
}

typedef struct rescale_ctx {
    const nr_scale *s;
    const nr_rescale_opts *o;
    const nr_rescale_preset_info *preset;
    const nr_rescale_upscaler *up;  /* the upscaler of the non-learned passes */
    const char *label;             /* the preset's name in their //!DESC */
    const char *upscaler_name;     /* up's name there, e.g. "spline64" */
    const char *variant;           /* "" or ", screen <= source" (hq's, only there) */
    nr_descale_plan dp;
    nr_mask_geometry g;
    cell_table th, tv;             /* mask-cell tables of the forward operator */
    char when[64];
    char when_up[192];             /* //!WHEN of the native-light and horizontal passes */
    char x[48], pool[48], gh[48], mask[48], uh[48];
    char hq[48], fine[48], down[48], guide[48];   /* learned (hq) chain */
    char tch[48], tcv[48];
    char kernel[64];
} rescale_ctx;

/* "NAME_tex((vec2(i, j) + 0.5) * NAME_pt)" reader of a hi/lo (or single)
 * value in the components `pair` ("xy", "zw") with clamped integer indices. */
static void write_reader_at(nr_glsl_buf *b, const char *fn, const char *tex, int w, int h,
                            bool split, const char *pair)
{
    nr_glsl_printf(b,
        "float %s(int i, int j)\n"
        "{\n"
        "    i = clamp(i, 0, %d);\n"
        "    j = clamp(j, 0, %d);\n"
        "    vec2 t = %s_tex((vec2(float(i), float(j)) + 0.5) * %s_pt).%s;\n"
        "    return %s;\n"
        "}\n\n", fn, w - 1, h - 1, tex, tex, pair, split ? "t.x + t.y" : "t.x");
}

static void write_reader(nr_glsl_buf *b, const char *fn, const char *tex, int w, int h,
                         bool split)
{
    write_reader_at(b, fn, tex, w, h, split, "xy");
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

/* One pass at the cell size: re-upscale the cell's source pixels from a
 * block of native samples (the studio's forward operator, weights from the
 * cell tables), e = |source - re-upscale| through the soft threshold, max
 * over the cell. Unrolled: block rows as vec4s, weights as vec4 dots. */
/* vec4(e(4q, other), e(4q+1, other), ...) with e given by fmt (two %d:
 * the element's index, then other); indices from `block` on are 0.0, the
 * padding of a block that is not a multiple of 4. */
static void write_padded_vec4(nr_glsl_buf *b, int q, int block, const char *fmt, int other)
{
    nr_glsl_puts(b, "vec4(");
    for (int k = 0; k < 4; k++) {
        if (k)
            nr_glsl_puts(b, ", ");
        if (4 * q + k < block)
            nr_glsl_printf(b, fmt, 4 * q + k, other);
        else
            nr_glsl_puts(b, "0.0");
    }
    nr_glsl_puts(b, ")");
}

/* The values the cell pass reads, as locals: x{col}_{row} = X(bx + col,
 * by + row) over the block, s{row}_{col} = source(px + col, py + row) over
 * the slots. With textureGather (NAME_gather: GLSL 4.0 / ES 3.1) 2x2
 * texels per call: a software renderer's cost follows the calls, and the
 * texels are exact either way; edges clamp in the sampler as in nr_x /
 * nr_s. */
static void write_gather_block(nr_glsl_buf *b, const char *tex, bool split, const char *fmt,
                               bool col_first, int cols, int rows, const char *bx, const char *by)
{
    for (int r = 0; r < rows; r += 2)
        for (int q = 0; q < cols; q += 2) {
            nr_glsl_printf(b, "    g = %s_gather(vec2(float(%s + %d), float(%s + %d)) * %s_pt, 0)",
                           tex, bx, q + 1, by, r + 1, tex);
            if (split)
                nr_glsl_printf(b, "\n        + %s_gather(vec2(float(%s + %d), float(%s + %d)) * %s_pt, 1)",
                               tex, bx, q + 1, by, r + 1, tex);
            nr_glsl_puts(b, ";\n");
            /* g = (x0 y1, x1 y1, x1 y0, x0 y0) */
            static const char comp[2][2] = { { 'w', 'z' }, { 'x', 'y' } };
            for (int dy = 0; dy < 2; dy++)
                for (int dx = 0; dx < 2; dx++) {
                    if (q + dx >= cols || r + dy >= rows)
                        continue;
                    nr_glsl_puts(b, "    float ");
                    if (col_first)
                        nr_glsl_printf(b, fmt, q + dx, r + dy);
                    else
                        nr_glsl_printf(b, fmt, r + dy, q + dx);
                    nr_glsl_printf(b, " = g.%c;\n", comp[dy][dx]);
                }
        }
}

static void write_cell_reads(nr_glsl_buf *b, const rescale_ctx *c)
{
    const cell_table *th = &c->th, *tv = &c->tv;
    nr_glsl_printf(b, "#if defined(HOOKED_gather) && defined(%s_gather)\n    vec4 g;\n", c->x);
    write_gather_block(b, c->x, true, "x%d_%d", true, th->block, tv->block, "bx", "by");
    write_gather_block(b, "HOOKED", false, "s%d_%d", false, th->slots, tv->slots, "px", "py");
    nr_glsl_puts(b, "#else\n");
    for (int r = 0; r < tv->block; r++)
        for (int q = 0; q < th->block; q++)
            nr_glsl_printf(b, "    float x%d_%d = nr_x(bx + %d, by + %d);\n", q, r, q, r);
    for (int t = 0; t < tv->slots; t++)
        for (int s = 0; s < th->slots; s++)
            nr_glsl_printf(b, "    float s%d_%d = nr_s(px + %d, py + %d);\n", t, s, s, t);
    nr_glsl_puts(b, "#endif\n");
}

static void write_cells(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    const cell_table *th = &c->th, *tv = &c->tv;
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    write_reader(&body, "nr_x", c->x, g->nw, g->nh, true);
    write_reader(&body, "nr_s", "HOOKED", g->sw, g->sh, false);
    nr_glsl_puts(&body, "vec4 hook()\n{\n");
    write_pixel(&body, g->cw, g->ch);
    nr_glsl_printf(&body,
        "    vec4 ax = texelFetch(%s, ivec2(0, ox), 0), ay = texelFetch(%s, ivec2(0, oy), 0);\n"
        "    int bx = int(ax.x), px = int(ax.y), nx = int(ax.z);\n"
        "    int by = int(ay.x), py = int(ay.y), ny = int(ay.z);\n", c->tch, c->tcv);
    /* weights of each source-pixel slot */
    for (int s = 0; s < th->slots; s++)
        for (int q = 0; q < th->quads; q++)
            nr_glsl_printf(&body, "    vec4 wx%d_%d = texelFetch(%s, ivec2(%d, ox), 0);\n",
                           s, q, c->tch, 1 + s * th->quads + q);
    for (int t = 0; t < tv->slots; t++)
        for (int q = 0; q < tv->quads; q++)
            nr_glsl_printf(&body, "    vec4 wy%d_%d = texelFetch(%s, ivec2(%d, oy), 0);\n",
                           t, q, c->tcv, 1 + t * tv->quads + q);
    write_cell_reads(&body, c);
    nr_glsl_puts(&body, "    // block rows, re-upscaled horizontally at the cell's source columns\n");
    for (int r = 0; r < tv->block; r++) {
        for (int q = 0; q < th->quads; q++) {
            nr_glsl_printf(&body, "    vec4 n%d_%d = ", r, q);
            write_padded_vec4(&body, q, th->block, "x%d_%d", r);
            nr_glsl_puts(&body, ";\n");
        }
        for (int s = 0; s < th->slots; s++) {
            nr_glsl_printf(&body, "    float h%d_%d = ", r, s);
            for (int q = 0; q < th->quads; q++)
                nr_glsl_printf(&body, "%sdot(wx%d_%d, n%d_%d)", q ? " + " : "", s, q, r, q);
            nr_glsl_puts(&body, ";\n");
        }
    }
    nr_glsl_printf(&body,
        "    // then vertically at its source rows; the upscale was stored clipped to\n"
        "    // [0,1], so its overshoot is clipped too; e is ~0 where the frame is the\n"
        "    // studio's upscale of the descale\n"
        "    float best = 0.0, seed = 0.0;\n");
    for (int t = 0; t < tv->slots; t++)
        for (int s = 0; s < th->slots; s++) {
            nr_glsl_printf(&body, "    {\n        float r = ");
            for (int q = 0; q < tv->quads; q++) {
                nr_glsl_printf(&body, "%sdot(wy%d_%d, ", q ? " + " : "", t, q);
                write_padded_vec4(&body, q, tv->block, "h%d_%d", s);
                nr_glsl_puts(&body, ")");
            }
            nr_glsl_printf(&body,
                ";\n"
                "        float e = abs(s%d_%d - clamp(r, 0.0, 1.0));\n"
                "        float m = clamp((e - %s) / %s, 0.0, 1.0);\n"
                "        float sd = clamp((e - %s) / %s, 0.0, 1.0);\n",
                t, s, fl(g->t_lo), fl(g->t_hi - g->t_lo), fl(g->s_lo), fl(g->s_hi - g->s_lo));
            if (s == 0 && t == 0)
                nr_glsl_puts(&body, "        best = m;\n        seed = sd;\n    }\n");
            else {
                char in[64];
                if (t == 0)
                    snprintf(in, sizeof(in), "nx > %d", s);
                else if (s == 0)
                    snprintf(in, sizeof(in), "ny > %d", t);
                else
                    snprintf(in, sizeof(in), "nx > %d && ny > %d", s, t);
                nr_glsl_printf(&body, "        if (%s) {\n"
                                      "            best = max(best, m);\n"
                                      "            seed = max(seed, sd);\n"
                                      "        }\n    }\n", in);
            }
        }
    nr_glsl_puts(&body, "    // the soft mask and the seed (the same at twice the levels)\n"
                        "    return vec4(best, seed, 0.0, 1.0);\n}\n\n");
    char desc[256], w[16], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: error mask cells %dx%d (re-upscale %s, "
             "|frame - re-upscale|, threshold=%.4g, max over 2x2 native pixels)",
             g->cw, g->ch, c->kernel, c->o->mask.threshold);
    size_str(w, sizeof(w), g->cw);
    size_str(h, sizeof(h), g->ch);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", c->x, c->tch, c->tcv },
                       .save = c->pool, .desc = desc, .width = w, .height = h,
                       .components = 2, .when = c->when };
    emit(b, &p, &body);
}

/* Grow along one axis: the soft mask (.x) by max of cell x grow/feather
 * weight, the seed (.y) by a flat max over its wider radius; the vertical
 * pass returns min(mask, seed): weak errors count only near strong ones. */
static void write_grow(nr_glsl_buf *b, const rescale_ctx *c, bool horizontal)
{
    const nr_mask_geometry *g = &c->g;
    const char *in = horizontal ? c->pool : c->gh, *out = horizontal ? c->gh : c->mask;
    int r = horizontal ? g->rx : g->ry, rs = horizontal ? g->sx : g->sy;
    int rr = r > rs ? r : rs;
    const float *wt = horizontal ? g->wx : g->wy;
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    nr_glsl_printf(&body,
        "vec2 nr_m(int i, int j)\n"
        "{\n"
        "    i = clamp(i, 0, %d);\n"
        "    j = clamp(j, 0, %d);\n"
        "    return %s_tex((vec2(float(i), float(j)) + 0.5) * %s_pt).xy;\n"
        "}\n\n", g->cw - 1, g->ch - 1, in, in);
    nr_glsl_puts(&body, "vec4 hook()\n{\n");
    write_pixel(&body, g->cw, g->ch);
    for (int i = 0; i <= 2 * rr; i++)
        nr_glsl_printf(&body, horizontal ? "    vec2 m%d = nr_m(ox + %d, oy);\n"
                                         : "    vec2 m%d = nr_m(ox, oy + %d);\n", i, i - rr);
    nr_glsl_printf(&body,
        "    // grown: full weight up to the grow distance, then the feather ramp\n"
        "    float best = m%d.x, seed = m%d.y;\n", rr, rr);
    for (int d = 1; d <= r; d++) {
        char f[40];
        nr_glsl_printf(&body, "    best = max(best, max(m%d.x, m%d.x) * %s);\n", rr - d, rr + d,
                       flt(f, wt[d]));
    }
    for (int d = 1; d <= rs; d++)
        nr_glsl_printf(&body, "    seed = max(seed, max(m%d.y, m%d.y));\n", rr - d, rr + d);
    nr_glsl_puts(&body, horizontal ? "    return vec4(best, seed, 0.0, 1.0);\n}\n\n"
                                   : "    return vec4(min(best, seed), 0.0, 0.0, 1.0);\n}\n\n");
    char desc[256], w[16], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: mask grow %s grow=%.4g feather=%.4g (%d cells, "
             "seeds %d)", horizontal ? "horizontal" : "vertical", c->o->mask.grow,
             c->o->mask.feather, r, rs);
    size_str(w, sizeof(w), g->cw);
    size_str(h, sizeof(h), g->ch);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", in }, .save = out,
                       .desc = desc, .width = w, .height = h,
                       .components = horizontal ? 2 : 1, .when = c->when };
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

/* nr_mask as write_mask_sampler, the four cells read by one gather where
 * the renderer has it. */
static void write_mask_sampler_gather(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    nr_glsl_printf(b, "#ifdef %s_gather\n", c->mask);
    nr_glsl_printf(b,
        "float nr_mask(vec2 pos)\n"
        "{\n"
        "    vec2 u = pos * vec2(%s, %s) - 0.5;\n"
        "    vec2 f0 = floor(u), f = u - f0;\n"
        "    // cells (x0, y0) .. (x0 + 1, y0 + 1), clamped at the edges by the sampler\n"
        "    vec4 g = %s_gather((f0 + 1.0) * %s_pt, 0);\n"
        "    return mix(mix(g.w, g.z, f.x), mix(g.x, g.y, f.x), f.y);\n"
        "}\n"
        "#else\n", fl((double)g->nw / NR_MASK_CELL), fl((double)g->nh / NR_MASK_CELL),
        c->mask, c->mask);
    write_mask_sampler(b, c);
    nr_glsl_puts(b, "#endif\n\n");
}

/* Kernels made of one cubic per unit interval (bicubic, spline16/36/64) at
 * blur 1: each tap of the upscaler then always falls in the same interval,
 * so its weight is a fixed cubic in the fraction (no branch, no call). */
static bool is_cubic_pieces(const nr_kernel *k)
{
    return k->blur == 1.0 &&
           (k->type == NR_KERNEL_BICUBIC || k->type == NR_KERNEL_SPLINE16 ||
            k->type == NR_KERNEL_SPLINE36 || k->type == NR_KERNEL_SPLINE64);
}

/* Coefficients c[0] + c[1] u + c[2] u^2 + c[3] u^3 of the kernel on
 * [piece, piece + 1), u the offset into it: recovered from the kernel itself
 * at four interior points (Lagrange, exact for a cubic up to rounding), so
 * this stays the CPU reference's function whatever the kernel's formula. */
static void cubic_piece(const nr_kernel *k, int piece, double c[4])
{
    static const double u[4] = { 0.125, 0.375, 0.625, 0.875 };
    for (int i = 0; i < 4; i++)
        c[i] = 0;
    for (int i = 0; i < 4; i++) {
        /* basis polynomial L_i(x) = prod_{j != i} (x - u_j) / (u_i - u_j) */
        double poly[4] = { 1, 0, 0, 0 }, denom = 1;
        int deg = 0;
        for (int j = 0; j < 4; j++) {
            if (j == i)
                continue;
            for (int d = deg + 1; d > 0; d--)
                poly[d] = poly[d - 1] - u[j] * poly[d];
            poly[0] *= -u[j];
            deg++;
            denom *= u[i] - u[j];
        }
        double y = nr_kernel_eval(k, piece + u[i]);
        for (int d = 0; d < 4; d++)
            c[d] += y * poly[d] / denom;
    }
    for (int d = 0; d < 4; d++)   /* exact zeros stay zeros */
        if (fabs(c[d]) < 1e-13)
            c[d] = 0;
}

/* Kernel function nr_k(d), d >= 0, for the upscaler where its taps are not
 * fixed cubics (lanczos; bicubic at a blur other than 1). */
static int write_kernel_function(nr_glsl_buf *b, const nr_kernel *k)
{
    char blur[40];
    flt(blur, k->blur);
    if (is_cubic_pieces(k))
        return 0;   /* the body writes each tap's cubic itself */
    if (k->type == NR_KERNEL_LANCZOS) {
        nr_glsl_printf(b, "float nr_k(float d)\n{\n    d /= %s;\n", blur);
        nr_glsl_write_lanczos_tail(b, k->taps);
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
 * (the other index fixed by the caller's macro); leaves the value in v.
 * Unrolled over the taps; the anti-ringing range reuses the taps' reads.
 * Lanczos (blur 1) takes its weights from three transcendentals per axis
 * (sin(pi (f - t)) = (-1)^t sin(pi f), and the angle-sum rule for the
 * window) instead of two sines per tap: the same function, cheaper. */
#define NR_PI 3.14159265358979323846

/* exact 0 and +-1 for the cos / sin of multiples of pi / 2 */
static double snap(double v)
{
    double r = round(v);
    return fabs(v - r) < 1e-12 ? r : v;
}

/* Rows of the native plane held by the horizontal pass's output (UH): two
 * per texel (hi/lo of each in .xy and .zw), rows 2r - pad and 2r - pad + 1
 * in texel r, clamped to the plane, so that the vertical pass reads its
 * 2 * radius taps from radius + 1 texels without clamping or branching
 * (pad > radius, even). The horizontal pass makes both rows from one set
 * of textureGathers (2x2 texels each: both rows, two taps). A software
 * renderer's cost follows the texture calls. */
typedef struct row_pairs {
    int radius, pad, texels;
} row_pairs;

static row_pairs row_pairs_of(const rescale_ctx *c)
{
    row_pairs r;
    r.radius = nr_kernel_support(&c->up->kernel);
    r.pad = (r.radius + 3) & ~1;   /* 1-2 rows to spare: c >= -2.5 stays right */
    r.texels = (c->g.nh - 1 + r.radius + r.pad) / 2 + 1;   /* the last tap's texel + 1 */
    return r;
}

static void tap_name(char name[24], int t, const char *lane)
{
    snprintf(name, 24, "a%s%d%s", t < 0 ? "m" : "", abs(t), lane);
}

/* j0, f, k0 of the input sample coordinate c */
static void write_upscale_position(nr_glsl_buf *b)
{
    nr_glsl_puts(b,
        "    float j0 = floor(c), f = c - j0;\n"
        "    int k0 = int(j0);\n");
}

/* v<lane> = the upscaler at c from the taps a<t><lane>, declared by the
 * caller, for each lane (rows sharing c: one set of weights). */
static void write_upscale_body(nr_glsl_buf *b, const nr_rescale_upscaler *u,
                               const char *const *lanes, int n_lanes)
{
    const nr_kernel *k = &u->kernel;
    int radius = nr_kernel_support(k);
    bool lanczos = k->type == NR_KERNEL_LANCZOS && k->blur == 1.0 && radius == k->taps;
    bool cubic = is_cubic_pieces(k);
    if (cubic)   /* taps at or left of j0 sit f into their interval, the others 1 - f */
        nr_glsl_puts(b, "    float g = 1.0 - f;\n");
    if (lanczos)
        nr_glsl_printf(b,
            "    float s1 = sin(3.14159265358979 * f);\n"
            "    float sa = sin(%s * f), ca = cos(%s * f);\n",
            fl(NR_PI / k->taps), fl(NR_PI / k->taps));
    nr_glsl_puts(b, "    float wsum = 0.0, w;\n");
    for (int l = 0; l < n_lanes; l++)
        nr_glsl_printf(b, "    float sum%s = 0.0;\n", lanes[l]);
    for (int t = -radius + 1; t <= radius; t++) {
        if (lanczos) {
            /* w = sin(pi d) sin(pi d / a) / (pi^2 d^2 / a), d = f - t */
            double cs = snap(cos(NR_PI * t / k->taps)), sn = snap(sin(NR_PI * t / k->taps));
            char num[160];
            snprintf(num, sizeof(num), "%ss1 * (sa * %s - ca * (%s)) * %s", (t & 1) ? "-" : "",
                     fl(cs), fl(sn), fl(k->taps / (NR_PI * NR_PI)));
            /* d = 0 is possible at t = 0 and at t = 1 (f = c - floor(c) rounds
             * to 1.0 for c just below an integer) */
            if (t == 0)
                nr_glsl_printf(b, "    w = f < 1e-6 ? 1.0 : %s / (f * f);\n", num);
            else if (t == 1)
                nr_glsl_printf(b, "    w = f > 1.0 - 1e-6 ? 1.0 : %s / ((f - 1.0) * (f - 1.0));\n",
                               num);
            else
                nr_glsl_printf(b, "    w = %s / ((f %s %s) * (f %s %s));\n", num, t < 0 ? "+" : "-",
                               fl(abs(t)), t < 0 ? "+" : "-", fl(abs(t)));
        } else if (cubic) {
            /* d = f - t in [-t, 1 - t) for t <= 0, d = t - f in (t - 1, t] else */
            double c[4];
            cubic_piece(k, t <= 0 ? -t : t - 1, c);
            const char *x = t <= 0 ? "f" : "g";
            nr_glsl_printf(b, "    w = ((%s * %s + %s) * %s + %s) * %s + %s;\n", fl(c[3]), x,
                           fl(c[2]), x, fl(c[1]), x, fl(c[0]));
        } else {
            nr_glsl_printf(b, "    w = nr_k(abs(f - %s));\n", fl(t));
        }
        for (int l = 0; l < n_lanes; l++) {
            char name[24];
            tap_name(name, t, lanes[l]);
            nr_glsl_printf(b, "    sum%s += w * %s;\n", lanes[l], name);
        }
        nr_glsl_puts(b, "    wsum += w;\n");
    }
    for (int l = 0; l < n_lanes; l++) {
        const char *L = lanes[l];
        nr_glsl_printf(b, "    float v%s = sum%s / wsum;\n", L, L);
        if (u->antiring > 0) {
            char ar[40];
            nr_glsl_printf(b,
                "    // anti-ringing: towards the range of the 2 input samples around c\n"
                "    v%s += %s * (clamp(v%s, min(a0%s, a1%s), max(a0%s, a1%s)) - v%s);\n",
                L, flt(ar, u->antiring), L, L, L, L, L, L);
        }
    }
}

/* nr_sig / nr_unsig: nr_rescale_sigmoidize / _unsigmoidize with their
 * constants baked. */
static void write_sigmoid_functions(nr_glsl_buf *b)
{
    const double c = NR_RESCALE_SIGMOID_CENTER, k = NR_RESCALE_SIGMOID_SLOPE;
    const double g = NR_RESCALE_SIGMOID_GAMMA;
    double lb = pow(NR_RESCALE_DISPLAY_BLACK, 1.0 / g), ba = pow(1.0 - lb, g), bb = lb / (1.0 - lb);
    double offset = 1.0 / (1.0 + exp(k * c)), scale = 1.0 / (1.0 + exp(k * (c - 1.0))) - offset;
    nr_glsl_printf(b,
        "// libplacebo's sigmoidal upscaling (centre %g, slope %g) on linear light\n"
        "// (BT.1886, 1000:1 display)\n"
        "float nr_sig(float x)\n"
        "{\n"
        "    x = min(%s * pow(max(x + %s, 0.0), %s), 1.0);\n"
        "    return %s - log(1.0 / (x * %s + %s) - 1.0) / %s;\n"
        "}\n\n"
        "float nr_unsig(float y)\n"
        "{\n"
        "    float lin = clamp((1.0 / (1.0 + exp(%s * (%s - y))) - %s) / %s, 0.0, 1.0);\n"
        "    return pow(lin * %s, %s) - %s;\n"
        "}\n\n", c, k, fl(ba), fl(bb), fl(g), fl(c), fl(scale), fl(offset), fl(k), fl(k), fl(c),
        fl(offset), fl(scale), fl(1.0 / ba), fl(1.0 / g), fl(bb));
}

static const char *light_name(const nr_rescale_upscaler *u)
{
    return u->sigmoid ? "sigmoid" : "gamma";
}

static const char *const out_w_expr = "HOOKED.w OUTPUT.w HOOKED.w - OUTPUT.w HOOKED.w > * +";
static const char *const out_h_expr = "HOOKED.h OUTPUT.h HOOKED.h - OUTPUT.h HOOKED.h > * +";

/* A pass body at the native size: fp16 split, the descaled plane's reader
 * nr_x; then the caller's functions and open_native_hook (ox, oy declared). */
static void begin_native_body(nr_glsl_buf *body, const rescale_ctx *c)
{
    nr_glsl_buf_init(body);
    nr_glsl_write_fp16_function(body);
    write_reader(body, "nr_x", c->x, c->g.nw, c->g.nh, true);
}

static void open_native_hook(nr_glsl_buf *body, const rescale_ctx *c)
{
    nr_glsl_puts(body, "vec4 hook()\n{\n");
    write_pixel(body, c->g.nw, c->g.nh);
}

static void write_upscale_h(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    row_pairs rp = row_pairs_of(c);
    double start, size;
    nr_rescale_window(c->s, true, &start, &size);
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    nr_glsl_write_fp16_function(&body);
    /* the input: in the sigmoid light the hi/lo pair the descale's last
     * pass saved beside the value (.zw), else the value itself (.xy) */
    bool sig = c->up->sigmoid;
    int comp = sig ? 2 : 0;
    write_reader_at(&body, "nr_x", c->x, g->nw, g->nh, true, sig ? "zw" : "xy");
    write_kernel_function(&body, &c->up->kernel);
    nr_glsl_printf(&body,
        "vec4 hook()\n"
        "{\n"
        "    // native rows row and row + 1 (clamped to the plane)\n"
        "    int row = 2 * clamp(int(floor(HOOKED_pos.y * %d.0)), 0, %d) - %d;\n"
        "    float c = HOOKED_pos.x * %s + %s;\n", rp.texels, rp.texels - 1, rp.pad, fl(size),
        fl(start - 0.5));
    write_upscale_position(&body);
    /* both rows' taps: per gather 2 taps x 2 rows, the sampler clamping
     * the edges as nr_x does; gt = (x0 y1, x1 y1, x1 y0, x0 y0) */
    nr_glsl_printf(&body, "#if defined(%s_gather)\n    vec4 hi, lo;\n", c->x);
    for (int t = -rp.radius + 1; t <= rp.radius; t += 2) {
        char n00[24], n10[24], n01[24], n11[24];
        tap_name(n00, t, "_0");
        tap_name(n10, t + 1, "_0");
        tap_name(n01, t, "_1");
        tap_name(n11, t + 1, "_1");
        nr_glsl_printf(&body,
            "    hi = %s_gather(vec2(float(k0 %s %d) + 1.0, float(row) + 1.0) * %s_pt, %d);\n"
            "    lo = %s_gather(vec2(float(k0 %s %d) + 1.0, float(row) + 1.0) * %s_pt, %d);\n"
            "    float %s = hi.w + lo.w, %s = hi.z + lo.z, %s = hi.x + lo.x, %s = hi.y + lo.y;\n",
            c->x, t < 0 ? "-" : "+", abs(t), c->x, comp,
            c->x, t < 0 ? "-" : "+", abs(t), c->x, comp + 1, n00, n10, n01, n11);
    }
    nr_glsl_puts(&body, "#else\n");
    for (int t = -rp.radius + 1; t <= rp.radius; t++) {
        char n0[24], n1[24];
        tap_name(n0, t, "_0");
        tap_name(n1, t, "_1");
        nr_glsl_printf(&body, "    float %s = nr_x(k0 %s %d, row), %s = nr_x(k0 %s %d, row + 1);\n",
                       n0, t < 0 ? "-" : "+", abs(t), n1, t < 0 ? "-" : "+", abs(t));
    }
    nr_glsl_puts(&body, "#endif\n");
    static const char *const lanes[2] = { "_0", "_1" };
    write_upscale_body(&body, c->up, lanes, 2);
    nr_glsl_puts(&body,
        "    float hi0 = nr_fp16(v_0), hi1 = nr_fp16(v_1);\n"
        "    return vec4(hi0, v_0 - hi0, hi1, v_1 - hi1);\n"
        "}\n\n");
    char desc[256], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: upscale horizontal %s %s antiring=%.3g <- "
             "%dx%d, 2 rows per texel (%s%s)", c->upscaler_name, light_name(c->up),
             c->up->antiring, g->nw, g->nh, c->label, c->variant);
    size_str(h, sizeof(h), rp.texels);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", c->x }, .save = c->uh,
                       .desc = desc, .width = out_w_expr, .height = h, .components = 4,
                       .when = c->when_up };
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

/* Vertical upscale + merge. at_source: the variant for screens no larger
 * than the source (output = source size, the source read as it is; no
 * resample), else the one for larger screens (Catmull-Rom of the source).
 * Two passes selected by //!WHEN instead of a branch: a software renderer
 * runs both sides of a branch. */
/* The end of a full-chain merge pass, v being the restored value: the mask,
 * then the source where it is set (read at its own pixel when the output is
 * the source size, resampled otherwise). source_row declares oy, when the
 * pass has not. pos: the output position's GLSL name; a compute pass
 * (store) writes pixel nr_p of out_image instead of returning. */
static void write_merge_end_at(nr_glsl_buf *body, bool at_source, const char *source_row,
                               const char *pos, bool store)
{
    nr_glsl_printf(body,
        "    // merge: where the frame is not an upscale, the source itself\n"
        "    float m = nr_mask(%s);\n", pos);
    if (at_source) {
        nr_glsl_puts(body, source_row);
        nr_glsl_puts(body, "    v += m * (nr_s(ox, oy) - v);\n");
    } else {
        nr_glsl_printf(body, "    if (m > 0.0)\n"
                             "        v += m * (nr_source(%s) - v);\n", pos);
    }
    nr_glsl_puts(body, store ? "    imageStore(out_image, nr_p, vec4(nr_fp16(v), 0.0, 0.0, 1.0));\n"
                             : "    return vec4(nr_fp16(v), 0.0, 0.0, 1.0);\n");
    nr_glsl_puts(body, "}\n\n");
}

static void write_merge_end(nr_glsl_buf *body, bool at_source, const char *source_row)
{
    write_merge_end_at(body, at_source, source_row, "HOOKED_pos", false);
}

static void write_upscale_v_merge(nr_glsl_buf *b, const rescale_ctx *c, bool at_source)
{
    const nr_mask_geometry *g = &c->g;
    double start, size;
    nr_rescale_window(c->s, false, &start, &size);
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    nr_glsl_write_fp16_function(&body);
    row_pairs rp = row_pairs_of(c);
    nr_glsl_printf(&body,
        "// texel t of the horizontal pass: native rows 2t - %d and 2t - %d, hi + lo each\n"
        "vec2 nr_u(int i, int t)\n"
        "{\n"
        "    vec4 u = %s_tex((vec2(float(i), float(t)) + 0.5) * %s_pt);\n"
        "    return vec2(u.x + u.y, u.z + u.w);\n"
        "}\n\n", rp.pad, rp.pad - 1, c->uh, c->uh);
    write_kernel_function(&body, &c->up->kernel);
    if (c->up->sigmoid)
        write_sigmoid_functions(&body);
    write_mask_sampler_gather(&body, c);   /* the 4 cells in one texture call */
    if (at_source)
        write_reader(&body, "nr_s", "HOOKED", g->sw, g->sh, false);
    else
        write_catrom_source(&body, c);
    nr_glsl_printf(&body,
        "vec4 hook()\n"
        "{\n"
        "    int ox = clamp(int(floor(HOOKED_pos.x * %s_size.x)), 0, int(%s_size.x) - 1);\n"
        "    float c = HOOKED_pos.y * %s + %s;\n", c->uh, c->uh, fl(size), fl(start - 0.5));
    write_upscale_position(&body);
    /* taps k0 - radius + 1 .. k0 + radius: rows q .. q + 2 radius - 1 of
     * the padded pairs, q >= 0 (c >= -0.5, pad > radius) */
    int n = 2 * rp.radius;
    nr_glsl_printf(&body,
        "    int q = k0 + %d;\n"
        "    int t0 = q / 2;\n"
        "    bool odd = (q - 2 * t0) == 1;\n", rp.pad - rp.radius + 1);
    for (int i = 0; i <= rp.radius; i++)
        nr_glsl_printf(&body, "    vec2 r%d = nr_u(ox, t0 + %d);\n", i, i);
    for (int i = 0; i < n; i++) {
        char name[24];
        tap_name(name, i - rp.radius + 1, "");
        /* even q: row i of the pairs, odd: row i + 1 */
        nr_glsl_printf(&body, "    float %s = odd ? r%d.%c : r%d.%c;\n", name, (i + 1) / 2,
                       (i + 1) % 2 ? 'y' : 'x', i / 2, i % 2 ? 'y' : 'x');
    }
    static const char *const lanes[1] = { "" };
    write_upscale_body(&body, c->up, lanes, 1);
    if (c->up->sigmoid)
        nr_glsl_puts(&body, "    v = nr_unsig(v);\n");
    char oy[128];
    snprintf(oy, sizeof(oy), "    int oy = clamp(int(floor(HOOKED_pos.y * %d.0)), 0, %d);\n", g->sh,
             g->sh - 1);
    write_merge_end(&body, at_source, oy);
    char desc[256], when[192], w[16], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: upscale vertical %s %s antiring=%.3g + "
             "merge with the source under the mask (%s, %s)", c->upscaler_name,
             light_name(c->up), c->up->antiring, c->label,
             at_source ? "screen <= source" : "screen larger than the source");
    /* larger: OUTPUT exceeds the source on an axis */
    snprintf(when, sizeof(when), "%s OUTPUT.w HOOKED.w > OUTPUT.h HOOKED.h > + %s *", c->when,
             at_source ? "1 <" : "0 >");
    size_str(w, sizeof(w), g->sw);
    size_str(h, sizeof(h), g->sh);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", c->uh, c->mask },
                       .desc = desc, .width = at_source ? w : out_w_expr,
                       .height = at_source ? h : out_h_expr, .when = when };
    emit(b, &p, &body);
}

/* nr_source(X, Y): the source downscaled to native pixel (X, Y), as
 * nr_source_triangle: a triangle filter as wide as the scale ratio,
 * normalised. Weights once per axis, unrolled; where the renderer has
 * textureGather (HOOKED_gather: GLSL 4.0 / ES 3.1) the footprint is read as
 * 2x2 blocks, a quarter of the texture calls (a software renderer runs
 * this on every pixel, masked or not: it was most of fast's cost). The
 * texels are exact either way (no filtering), the edges clamped by the
 * sampler as the reference clamps its indices. */
static void write_triangle_source(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    double hs, hz, vs, vz;
    nr_rescale_window(c->s, true, &hs, &hz);
    nr_rescale_window(c->s, false, &vs, &vz);
    int nx = nr_triangle_taps(g->sw, hz), ny = nr_triangle_taps(g->sh, vz);
    int qx = (nx + 1) / 2, qy = (ny + 1) / 2;   /* 2x2 blocks per axis */
    write_reader(b, "nr_s", "HOOKED", g->sw, g->sh, false);
    nr_glsl_printf(b,
        "float nr_source(int X, int Y)\n"
        "{\n"
        "    float rx = %s, ry = %s;\n"
        "    float fx = (float(X) + %s) * rx, fy = (float(Y) + %s) * ry;\n"
        "    int ix = int(floor(fx - rx)), iy = int(floor(fy - ry));\n",
        fl((double)g->sw / hz), fl((double)g->sh / vz), fl(0.5 - hs), fl(0.5 - vs));
    /* weights of the taps, padded with zeros to whole blocks */
    for (int t = 0; t < 2 * qx; t++)
        nr_glsl_printf(b, t < nx ? "    float wx%d = max(1.0 - abs(float(ix + %d) + 0.5 - fx) / rx, 0.0);\n"
                                 : "    float wx%d = 0.0;\n", t, t);
    for (int t = 0; t < 2 * qy; t++)
        nr_glsl_printf(b, t < ny ? "    float wy%d = max(1.0 - abs(float(iy + %d) + 0.5 - fy) / ry, 0.0);\n"
                                 : "    float wy%d = 0.0;\n", t, t);
    nr_glsl_puts(b, "    float sx = wx0");
    for (int t = 1; t < nx; t++)
        nr_glsl_printf(b, " + wx%d", t);
    nr_glsl_puts(b, ", sy = wy0");
    for (int t = 1; t < ny; t++)
        nr_glsl_printf(b, " + wy%d", t);
    nr_glsl_puts(b, ";\n    float sum = 0.0;\n#ifdef HOOKED_gather\n"
                    "    // g = (x0 y1, x1 y1, x1 y0, x0 y0) of the block at (x0, y0)\n"
                    "    vec4 g;\n");
    for (int by = 0; by < qy; by++)
        for (int bx = 0; bx < qx; bx++)
            nr_glsl_printf(b,
                "    g = HOOKED_gather(vec2(float(ix + %d), float(iy + %d)) * HOOKED_pt, 0);\n"
                "    sum += wy%d * (wx%d * g.w + wx%d * g.z) + wy%d * (wx%d * g.x + wx%d * g.y);\n",
                2 * bx + 1, 2 * by + 1, 2 * by, 2 * bx, 2 * bx + 1, 2 * by + 1, 2 * bx, 2 * bx + 1);
    nr_glsl_puts(b, "#else\n");
    for (int ty = 0; ty < ny; ty++) {
        nr_glsl_printf(b, "    sum += wy%d * (", ty);
        for (int tx = 0; tx < nx; tx++)
            nr_glsl_printf(b, "%swx%d * nr_s(ix + %d, iy + %d)", tx ? " + " : "", tx, tx, ty);
        nr_glsl_puts(b, ");\n");
    }
    nr_glsl_puts(b, "#endif\n"
                    "    return sum / (sx * sy);\n"
                    "}\n\n");
}

static void write_fast_merge(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    nr_glsl_buf body;
    begin_native_body(&body, c);
    write_mask_sampler_gather(&body, c);
    write_triangle_source(&body, c);
    open_native_hook(&body, c);
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

/* hq: the learned 2x upscaler's passes on X (hi/lo), its 2x plane saved
 * as `fine`; where the step to the source size is DPID, its two passes
 * (only on screens no larger than the source). */
static int learned_passes(const rescale_ctx *c)
{
    const nr_upscaler *m = nr_upscaler_builtin();
    int n = m ? nr_upscaler_pass_count(m, c->o->hq_compute) : 1;
    for (int k = 1; m && k < c->o->hq_ensemble; k++)
        n += nr_upscaler_pass_count(m, c->o->hq_compute) - 1;   /* each member's layers */
    return n + (nr_rescale_learned_dpid(c->s, c->o, c->g.sw, c->g.sh) ? 2 : 0);
}

static void write_learned_passes(nr_glsl_buf *b, const rescale_ctx *c)
{
    const nr_mask_geometry *g = &c->g;
    const nr_upscaler *m = nr_upscaler_builtin();
    bool dpid = nr_rescale_learned_dpid(c->s, c->o, g->sw, g->sh);
    char larger[192];   /* without DPID the learned 2x runs on larger screens only */
    snprintf(larger, sizeof(larger), "%s OUTPUT.w HOOKED.w > OUTPUT.h HOOKED.h > + 0 > *", c->when);
    nr_upscaler_chain chain = { .hook = "LUMA", .input = c->x, .input_hi_lo = true,
                                .prefix = c->hq, .when = dpid ? c->when : larger, .save = c->fine,
                                .desc = dpid ? "(rescale): learned 2x of the descaled plane,"
                                             : "(rescale): learned 2x of the descaled plane, "
                                               "screen larger than the source,",
                                .compute = c->o->hq_compute };
    nr_upscaler_ensemble ens;
    chain.ensemble = &ens;
    int rc = nr_upscaler_ensemble_init(&ens, m, c->o->hq_ensemble);
    if (rc == 0)
        rc = nr_glsl_upscaler_write(b, m, &chain);
    nr_upscaler_ensemble_free(&ens);
    if (rc < 0) {
        b->failed = true;
        return;
    }
    nr_glsl_puts(b, "\n");
    if (!dpid)
        return;
    char when[192], err[128];
    snprintf(when, sizeof(when), "%s OUTPUT.w HOOKED.w > OUTPUT.h HOOKED.h > + 1 < *", c->when);
    nr_dpid_passes d = { .hook = "LUMA", .src = c->fine, .src_w = 2 * g->nw, .src_h = 2 * g->nh,
                         .dst_w = g->sw, .dst_h = g->sh, .lambda = NR_DPID_DEFAULT_LAMBDA,
                         .save = c->down, .guide_name = c->guide, .when = when };
    if (nr_glsl_dpid_write_passes(b, &d, err, sizeof(err)) < 0)
        b->failed = true;
}

/* nr_fine_at(pos): the 2x plane resampled at output position pos, as
 * nr_rescale_resample_fine (spline36 on the scale's window; Catmull-Rom
 * widened by max(1, 2 window / out) when shrinking); R fixed per axis for
 * the narrowest output the pass can have (the source size), zero-weight taps
 * beyond that. */
static void write_fine_sampler(nr_glsl_buf *b, const rescale_ctx *c, const char *out_size)
{
    const nr_mask_geometry *g = &c->g;
    double hs, hz, vs, vz;
    nr_rescale_window(c->s, true, &hs, &hz);
    nr_rescale_window(c->s, false, &vs, &vz);
    int rx = nr_fine_radius(2 * hz / g->sw), ry = nr_fine_radius(2 * vz / g->sh);
    write_reader(b, "nr_f", c->fine, 2 * g->nw, 2 * g->nh, false);
    nr_glsl_write_chain_resample_weight(b);
    nr_glsl_printf(b,
        "float nr_fine_at(vec2 pos)\n"
        "{\n"
        "    vec2 win = vec2(%s, %s);\n"
        "    vec2 c = 2.0 * (pos * win + vec2(%s, %s));   // centre on the 2x grid\n"
        "    vec2 widen = max(2.0 * win / (%s), vec2(1.0));\n",
        fl(hz), fl(vz), fl(hs), fl(vs), out_size);
    nr_glsl_write_chain_resample_sum(b, c->fine, "nr_f", rx, ry);
    nr_glsl_puts(b, "    return sum / (sx * sy);\n"
                    "}\n\n");
}

/* hq's last pass: the learned 2x plane brought to the output (DPID's
 * result, or the resample), merged with the source under the mask. Two
 * variants by //!WHEN as balanced's. */
static void write_learned_merge(nr_glsl_buf *b, const rescale_ctx *c, bool at_source)
{
    const nr_mask_geometry *g = &c->g;
    bool dpid = at_source && nr_rescale_learned_dpid(c->s, c->o, g->sw, g->sh);
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    nr_glsl_write_fp16_function(&body);
    write_mask_sampler_gather(&body, c);
    if (dpid)
        write_reader(&body, "nr_d", c->down, g->sw, g->sh, false);
    else
        write_fine_sampler(&body, c, at_source ? "HOOKED_size" : "max(HOOKED_size, target_size)");
    if (at_source)
        write_reader(&body, "nr_s", "HOOKED", g->sw, g->sh, false);
    else
        write_catrom_source(&body, c);
    /* with the network as compute passes, the merge on larger screens is one
     * too: where fragment work is dear (an H200 runs it on a few of its
     * multiprocessors) it is the chain's costliest pass */
    bool compute = !at_source && c->o->hq_compute;
    if (compute) {
        nr_glsl_write_compute_pixel_head(&body);
        nr_glsl_puts(&body, "    float v = nr_fine_at(pos);\n");
        write_merge_end_at(&body, false, "", "pos", true);
    } else {
        nr_glsl_puts(&body, "vec4 hook()\n{\n");
        if (at_source) {
            write_pixel(&body, g->sw, g->sh);
            nr_glsl_printf(&body, "    float v = %s;\n",
                           dpid ? "nr_d(ox, oy)" : "nr_fine_at(HOOKED_pos)");
        } else {
            nr_glsl_puts(&body, "    float v = nr_fine_at(HOOKED_pos);\n");
        }
        write_merge_end(&body, at_source, "");
    }
    char desc[256], when[192], w[16], h[16];
    snprintf(desc, sizeof(desc), "nativeres rescale: learned 2x %s + merge with the source under "
             "the mask (hq, %s)", dpid ? "DPID to the source size" : "resampled (spline36)",
             at_source ? "screen <= source" : "screen larger than the source");
    snprintf(when, sizeof(when), "%s OUTPUT.w HOOKED.w > OUTPUT.h HOOKED.h > + %s *", c->when,
             at_source ? "1 <" : "0 >");
    size_str(w, sizeof(w), g->sw);
    size_str(h, sizeof(h), g->sh);
    nr_glsl_pass p = { .hook = "LUMA", .binds = { "HOOKED", dpid ? c->down : c->fine, c->mask },
                       .desc = desc, .width = at_source ? w : out_w_expr,
                       .height = at_source ? h : out_h_expr, .when = when,
                       .compute_bw = compute ? 16 : 0, .compute_bh = compute ? 16 : 0 };
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
    else if (c->preset->learned && nr_rescale_learned_dpid(c->s, o, g->sw, g->sh))
        nr_glsl_printf(b,
            "// the learned 2x upscaler (presets/%s.txt), then DPID to the\n"
            "// frame size, or a spline36 resample to the screen where it is larger,\n"
            "// merged with the frame under the mask: mpv's scaler has nothing left to do\n"
            "// on luma.\n", nr_upscaler_builtin()->name);
    else if (c->preset->learned)
        nr_glsl_printf(b,
            "// on a screen larger than the frame, the learned 2x upscaler\n"
            "// (presets/%s.txt) and a spline36 resample to the screen; on\n"
            "// one no larger, balanced's upscale (%s in %s light, anti-ringing %.3g:\n"
            "// the network loses there); merged with the frame under the mask: mpv's\n"
            "// scaler has nothing left to do on luma.\n",
            nr_upscaler_builtin()->name, c->upscaler_name, light_name(c->up), c->up->antiring);
    else
        nr_glsl_printf(b,
            "// our own upscale (%s in %s light, anti-ringing %.3g) to the frame size, or\n"
            "// to the screen where it is larger, merged with the frame under the mask:\n"
            "// mpv's scaler has nothing left to do on luma.\n",
            c->preset->upscaler_name, light_name(&c->preset->upscaler),
            c->preset->upscaler.antiring);
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
    rescale_ctx c = { .s = s, .o = &o, .preset = nr_rescale_preset_get(o.preset), .variant = "" };
    c.up = &c.preset->upscaler;
    c.label = c.preset->name;
    c.upscaler_name = c.preset->upscaler_name;
    if (nr_descale_plan_init(&c.dp, s, o.tolerance, "NATIVERES_RS", "nativeres rescale: descale",
                             err, err_size) < 0)
        return NULL;
    char *text = NULL;
    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    nr_mask_geometry_init(&c.g, s, &o.mask);
    if (!c.preset->native_output && !c.preset->learned) {
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
    nr_matrix fh = { 0 }, fv = { 0 };
    int ok_h = forward_matrix(&fh, s, &ah, c.dp.do_h) == 0 &&
               cell_table_build(&c.th, &fh, c.g.nw, c.g.cw, c.g.span_x) == 0;
    int ok_v = forward_matrix(&fv, s, &av, c.dp.do_v) == 0 &&
               cell_table_build(&c.tv, &fv, c.g.nh, c.g.ch, c.g.span_y) == 0;
    nr_matrix_free(&fh);
    nr_matrix_free(&fv);
    if (!ok_h || !ok_v) {
        set_err(err, err_size, "cannot build the mask-cell tables");
        goto done;
    }
    nr_kernel_name(&s->kernel, c.kernel, sizeof(c.kernel));
    unsigned h = c.dp.hash ^ (unsigned)o.preset * 0x9e3779b9u;
    snprintf(c.when, sizeof(c.when), "HOOKED.w %d == HOOKED.h %d == *", c.g.sw, c.g.sh);
    snprintf(c.when_up, sizeof(c.when_up), "%s", c.when);
    /* hq: balanced's upscale where the output is the source size (see
     * nr_rescale_learned_runs), the learned passes only on larger screens */
    bool hq_balanced = c.preset->learned && !nr_rescale_learned_dpid(s, &o, c.g.sw, c.g.sh);
    if (hq_balanced) {
        const nr_rescale_preset_info *bal = nr_rescale_preset_get(NR_RESCALE_BALANCED);
        c.up = nr_rescale_hq_source_upscaler();
        c.upscaler_name = bal->upscaler_name;
        c.label = "hq: balanced's upscaler";
        c.variant = ", screen <= source";
        snprintf(c.when_up, sizeof(c.when_up), "%s OUTPUT.w HOOKED.w > OUTPUT.h HOOKED.h > + 1 < *",
                 c.when);
    }
    snprintf(c.x, sizeof(c.x), "NATIVERES_RS_X_%08x", h);
    snprintf(c.pool, sizeof(c.pool), "NATIVERES_RS_POOL_%08x", h);
    snprintf(c.gh, sizeof(c.gh), "NATIVERES_RS_GH_%08x", h);
    snprintf(c.mask, sizeof(c.mask), "NATIVERES_RS_MASK_%08x", h);
    snprintf(c.uh, sizeof(c.uh), "NATIVERES_RS_UH_%08x", h);
    snprintf(c.tch, sizeof(c.tch), "NATIVERES_RS_CH_%08x", h);
    snprintf(c.tcv, sizeof(c.tcv), "NATIVERES_RS_CV_%08x", h);
    snprintf(c.hq, sizeof(c.hq), "NATIVERES_RS_HQ_%08x", h);
    snprintf(c.fine, sizeof(c.fine), "NATIVERES_RS_FINE_%08x", h);
    snprintf(c.down, sizeof(c.down), "NATIVERES_RS_DOWN_%08x", h);
    snprintf(c.guide, sizeof(c.guide), "NATIVERES_RS_GUIDE_%08x", h);

    write_header_comment(&b, &c);
    /* balanced's upscaler works in the sigmoid light: the descale's last
     * pass saves it beside the value (measured: a pass of its own made
     * balanced 2.11x its descale passes, the horizontal pass taking it per
     * tap more). hq's variant for screens <= source is balanced's. */
    nr_glsl_buf sig_functions;
    nr_glsl_buf_init(&sig_functions);
    bool sig = !c.preset->native_output && (!c.preset->learned || hq_balanced) && c.up->sigmoid;
    if (sig)
        write_sigmoid_functions(&sig_functions);
    char sig_what[64];
    snprintf(sig_what, sizeof(sig_what), "%s light for the upscaler",
             light_name(c.up));
    nr_descale_extra extra = { .functions = sig_functions.data ? sig_functions.data : "",
                               .expr = "nr_sig(sum)", .what = sig_what };
    if (sig_functions.failed)
        b.failed = true;
    nr_descale_plan_write_passes(&b, &c.dp, c.x, sig ? &extra : NULL);
    nr_glsl_buf_free(&sig_functions);
    write_cells(&b, &c);
    write_grow(&b, &c, true);
    write_grow(&b, &c, false);
    if (c.preset->native_output) {
        write_fast_merge(&b, &c);
    } else if (hq_balanced) {
        write_upscale_h(&b, &c);
        write_upscale_v_merge(&b, &c, true);
        write_learned_passes(&b, &c);
        write_learned_merge(&b, &c, false);
    } else if (c.preset->learned) {
        write_learned_passes(&b, &c);
        write_learned_merge(&b, &c, true);
        write_learned_merge(&b, &c, false);
    } else {
        write_upscale_h(&b, &c);
        write_upscale_v_merge(&b, &c, true);
        write_upscale_v_merge(&b, &c, false);
    }
    if (nr_descale_plan_write_textures(&b, &c.dp) < 0)
        b.failed = true;
    cell_table_write(&b, c.tch, &c.th);
    cell_table_write(&b, c.tcv, &c.tv);
    text = nr_glsl_buf_take(&b);
    if (!text) {
        set_err(err, err_size, "out of memory");
        goto done;
    }
    if (info) {
        *info = (nr_glsl_rescale_info){
            .preset = o.preset,
            .native_output = c.preset->native_output,
            .passes = c.dp.do_h + c.dp.do_v + 3 + (c.preset->native_output ? 1 :
                                                   c.preset->learned ? 1 + learned_passes(&c) : 2) +
                      (hq_balanced ? 2 : 0),
            .cells_w = c.g.cw, .cells_h = c.g.ch,
        };
        nr_descale_plan_info(&c.dp, &info->descale);
    }
done:
    nr_glsl_buf_free(&b);
    nr_descale_plan_free(&c.dp);
    cell_table_free(&c.th);
    cell_table_free(&c.tv);
    return text;
}
