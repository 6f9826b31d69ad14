/*
 * The descale shader writer: an mpv LUMA hook that replaces the full-size
 * luma plane by its least-squares inverse ("descale"), one pass per axis.
 *
 * Each pass is a gather: output sample j = sum_t w[j][t] * in[offset[j] + t],
 * the truncated pseudo-inverse rows of nr_weights_build(). The rows live in
 * a float TEXTURE (rgba32f, NEAREST), one texture row per output sample
 * (periodic interior rows stored once, see weight_table.h):
 *   texel 0           = (offset[j], 0, 0, 0)   first input sample of the row
 *   texel 1 + k       = weights 4k .. 4k+3      (zero-padded to a multiple of 4)
 * so a pass does 1 + taps/4 table fetches and `taps` source fetches per pixel.
 * Source samples are read at exact texel centres and their indices clamped
 * to [0, in_size), as nr_weights requires.
 *
 * Precision: mpv (vo=gpu) and libplacebo (gpu-next) store hook outputs in
 * 16-bit floats by default (11 significant bits, ~5e-4 relative), which
 * alone costs a naive two-pass descale ~1.5e-3. The horizontal pass
 * therefore writes its result v as a pair of halves: hi = v rounded to a
 * value that fp16 stores exactly, lo = v - hi (|lo| <= 2^-10 |v|, whose own
 * fp16 rounding is ~1e-7). The vertical pass reads hi + lo. The final pass
 * writes one value, pre-rounded to the nearest fp16: libplacebo on lavapipe
 * truncates on store (error up to 1 ulp, biased), a pre-rounded value is
 * stored exactly (error <= 1/2 ulp, unbiased). Measured on 1080p -> 720p
 * bilinear against the descale plugin (ffmpeg libplacebo, lavapipe):
 * naive two passes max 1.1e-3; hi/lo max 9.2e-4 mean 1.7e-4; hi/lo plus
 * final rounding max 4.9e-4 mean 9e-5.
 *
 * Rounding needs packHalf2x16 (GLSL 4.20 / GLSL ES 3.00); older desktop
 * GLSL (mpv may compile with #version 130..410) gets an exponent-arithmetic
 * fallback that keeps fp16's 11 significant bits.
 */
#include "nativeres_glsl.h"

#include "glsl_buf.h"
#include "descale_passes.h"
#include "glsl_pass.h"
#include "weight_table.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nr_glsl_opts_default(nr_glsl_opts *o)
{
    *o = (nr_glsl_opts){
        .tolerance = NR_GLSL_DEFAULT_TOLERANCE,
        .file_name = NULL,
        .generator = NULL,
    };
}

static void set_err(char *err, size_t err_size, const char *msg)
{
    if (err && err_size)
        snprintf(err, err_size, "%s", msg);
}

/* FNV-1a over bytes: names the textures after their content, so two
 * nativeres files loaded at once never share a texture name (mpv's vo=gpu
 * keeps user textures in one global list) and output stays deterministic. */
static uint32_t fnv1a(uint32_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t hash_table(uint32_t h, const nr_weights *wt)
{
    if (!wt)
        return fnv1a(h, "-", 1);
    int dims[3] = { wt->out_size, wt->in_size, wt->taps };
    h = fnv1a(h, dims, sizeof(dims));
    h = fnv1a(h, wt->offset, sizeof(int) * (size_t)wt->out_size);
    return fnv1a(h, wt->w, sizeof(float) * (size_t)wt->out_size * (size_t)wt->taps);
}

/* "bilinear", "catrom b=0 c=0.5", "lanczos3 taps=3 blur=1.1" ... */
static void kernel_desc(const nr_kernel *k, char *buf, size_t size)
{
    char name[64];
    nr_kernel_name(k, name, sizeof(name));
    int n = 0;
    if (k->type == NR_KERNEL_BICUBIC)
        n = snprintf(buf, size, "%s b=%.6g c=%.6g", name, k->b, k->c);
    else if (k->type == NR_KERNEL_LANCZOS)
        n = snprintf(buf, size, "%s taps=%d", name, k->taps);
    else
        n = snprintf(buf, size, "%s", name);
    if (n >= 0 && (size_t)n < size && k->blur != 1.0)
        snprintf(buf + n, size - (size_t)n, " blur=%.6g", k->blur);
}

/* " src_left=0.25 src_width=1279.5" when the axis window is not the
 * default one, else "". */
static void window_desc(const nr_axis *ax, const char *start_name,
                        const char *size_name, char *buf, size_t size)
{
    double wsize = ax->window_size > 0 ? ax->window_size : ax->native;
    if (ax->window_start == 0.0 && wsize == ax->native)
        buf[0] = '\0';
    else
        snprintf(buf, size, " %s=%.10g %s=%.10g", start_name, ax->window_start,
                 size_name, wsize);
}


static void write_header_comment(nr_glsl_buf *b, const descale_ctx *c,
                                 const nr_glsl_opts *o,
                                 const nr_weights *wh, const nr_weights *wv,
                                 const nr_table_layout *lh, const nr_table_layout *lv,
                                 double bound_2d)
{
    const nr_scale *s = c->s;
    nr_glsl_printf(b, "// nativeres descale: %dx%d -> %dx%d luma, %s%s\n",
                   c->sw, c->sh, c->nw, c->nh, c->kernel, c->border);
    nr_glsl_puts(b,
        "//\n"
        "// An mpv user shader (LUMA hook) that undoes a studio upscale: it replaces the\n"
        "// luma plane by its least-squares inverse x = (A^T A)^-1 A^T y, the image the\n"
        "// studio upscaled with the kernel below (the `descale` plugin's math). mpv then\n"
        "// scales chroma to the new plane and its main scaler, or the shaders placed\n"
        "// after this one, upscale it to the screen.\n");
    nr_glsl_printf(b,
        "// Acts only on %dx%d video; other sizes pass through untouched.\n"
        "//\n", c->sw, c->sh);
    nr_glsl_printf(b, "// Parameters: kernel %s, border %s, tolerance %.3g\n",
                   c->kernel, nr_border_name(s->border), o->tolerance);
    if (wh && wv)
        nr_glsl_printf(b, "//   (tables truncated at %.3g / %.3g: tolerance / the other axis's gain,\n"
                          "//   so the 2-D bound stays at about 2 x tolerance)\n",
                       wh->tolerance, wv->tolerance);
    double wl = s->win_left, wt = s->win_top;
    double ww = s->win_width > 0 ? s->win_width : s->native_w;
    double whh = s->win_height > 0 ? s->win_height : s->native_h;
    nr_glsl_printf(b, "//   window: src_left %.10g src_top %.10g src_width %.10g src_height %.10g\n",
                   wl, wt, ww, whh);
    int pass = 1, passes = (wh != NULL) + (wv != NULL);
    if (wh)
        nr_glsl_printf(b, "// Pass %d/%d horizontal %d -> %d: %d taps per sample, truncation bound %.3g,\n"
                          "//   %d table rows%s\n",
                       pass++, passes, wh->in_size, wh->out_size, wh->taps, wh->bound,
                       lh->rows, lh->period ? " (periodic rows stored once)" : "");
    else
        nr_glsl_printf(b, "// Horizontal axis unchanged (%d): no pass.\n", c->sw);
    if (wv)
        nr_glsl_printf(b, "// Pass %d/%d vertical %d -> %d: %d taps per sample, truncation bound %.3g,\n"
                          "//   %d table rows%s\n",
                       pass++, passes, wv->in_size, wv->out_size, wv->taps, wv->bound,
                       lv->rows, lv->period ? " (periodic rows stored once)" : "");
    else
        nr_glsl_printf(b, "// Vertical axis unchanged (%d): no pass.\n", c->sh);
    nr_glsl_printf(b,
        "// Worst-case |error| against the exact descale, input in [0,1]: %.3g\n"
        "//\n", bound_2d);
    nr_glsl_puts(b,
        "// Weights: each pass reads its rows of the truncated pseudo-inverse from an\n"
        "// rgba32f table: texel 0 = (first input index, 0, 0, 0), then 4 weights per\n"
        "// texel; input indices are clamped to the plane. Away from the borders the\n"
        "// rows repeat (shifted) with the resampling period; those are stored once.\n"
        "// Precision: hook outputs are stored as 16-bit floats by default, so a pass\n"
        "// that feeds another one writes its value as hi + lo (hi rounded to what\n"
        "// fp16 stores exactly, lo = the rest) and the next pass adds them back;\n"
        "// this keeps the intermediate at ~1e-7 instead of ~5e-4. The last pass\n"
        "// rounds its value to the nearest fp16 itself, so a renderer that\n"
        "// truncates on store still gets the nearest value.\n"
        "//\n"
        "// Use: copy this file to ~~/shaders/ and add to mpv.conf:\n");
    nr_glsl_printf(b, "//   glsl-shaders-append=\"~~/shaders/%s\"\n",
                   o->file_name ? o->file_name : "<this file>");
    nr_glsl_printf(b,
        "//\n"
        "// Generated by %s %s (nativeres) -- do not edit; regenerate instead.\n\n",
        o->generator ? o->generator : "libnativeres", NR_VERSION_STRING);
}

/* One pass. horizontal: in (sw x sh) -> out (nw x sh); vertical: in (w x sh)
 * -> out (w x nh), w = nw or sw. `src` is the texture read (HOOKED or the
 * saved horizontal result), `src_is_split` whether it holds hi/lo pairs. */
static void write_pass(nr_glsl_buf *b, const descale_ctx *c, const nr_weights *wt,
                       const nr_table_layout *lay, bool horizontal, int pass, int passes,
                       const char *src, bool src_is_split, const char *table,
                       const char *save, const nr_descale_extra *extra, int out_w, int out_h)
{
    bool split_out = save != NULL;   /* hi/lo output for a later pass */
    int texels = lay->width - 1;
    const char *axis = horizontal ? "horizontal" : "vertical";
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);

    nr_glsl_write_fp16_function(&body);
    if (extra)
        nr_glsl_puts(&body, extra->functions);

    int in_size = wt->in_size;
    /* Source sample reader: exact texel centres, index clamped. */
    nr_glsl_printf(&body,
        "// input sample i along the %s axis (clamped to the plane), at a texel centre\n"
        "float nr_src(int i, int other)\n"
        "{\n"
        "    i = clamp(i, 0, %d);\n", axis, in_size - 1);
    if (horizontal)
        nr_glsl_printf(&body, "    vec2 t = %s_tex((vec2(float(i), float(other)) + 0.5) * %s_pt).xy;\n",
                       src, src);
    else
        nr_glsl_printf(&body, "    vec2 t = %s_tex((vec2(float(other), float(i)) + 0.5) * %s_pt).xy;\n",
                       src, src);
    nr_glsl_puts(&body, src_is_split ? "    return t.x + t.y; // hi + lo from the previous pass\n"
                                     : "    return t.x;\n");
    nr_glsl_puts(&body, "}\n\n");

    nr_glsl_printf(&body,
        "vec4 hook()\n"
        "{\n"
        "    // output pixel from the normalised position and the baked output size\n"
        "    // (not gl_FragCoord, which may be flipped)\n"
        "    int ox = clamp(int(floor(HOOKED_pos.x * %d.0)), 0, %d);\n"
        "    int oy = clamp(int(floor(HOOKED_pos.y * %d.0)), 0, %d);\n",
        out_w, out_w - 1, out_h, out_h - 1);
    const char *out = horizontal ? "ox" : "oy", *other = horizontal ? "oy" : "ox";
    nr_table_write_lookup(&body, table, lay, out);
    nr_glsl_printf(&body,
        "    float sum = 0.0;\n"
        "    for (int t = 0; t < %d; t++) {\n"
        "        vec4 w = texelFetch(%s, ivec2(t + 1, row), 0);\n"
        "        int i = first + 4 * t;\n"
        "        sum += w.x * nr_src(i, %s) + w.y * nr_src(i + 1, %s)\n"
        "             + w.z * nr_src(i + 2, %s) + w.w * nr_src(i + 3, %s);\n"
        "    }\n",
        texels, table, other, other, other, other);
    if (split_out && extra)
        nr_glsl_printf(&body,
            "    // hi + lo pairs (the next passes add them back: ~22 significant bits\n"
            "    // through the 16-bit texture): the value, then %s\n"
            "    float hi = nr_fp16(sum), e = %s, ehi = nr_fp16(e);\n"
            "    return vec4(hi, sum - hi, ehi, e - ehi);\n", extra->what, extra->expr);
    else if (split_out)
        nr_glsl_puts(&body,
            "    // hi + lo: the next pass adds them back, so the 16-bit intermediate\n"
            "    // texture keeps ~22 significant bits\n"
            "    float hi = nr_fp16(sum);\n"
            "    return vec4(hi, sum - hi, 0.0, 1.0);\n");
    else
        nr_glsl_puts(&body, "    return vec4(nr_fp16(sum), 0.0, 0.0, 1.0);\n");
    nr_glsl_puts(&body, "}\n\n");

    char desc[512], width[16], height[16], when[64];
    snprintf(desc, sizeof(desc), "%s %s %dx%d <- %dx%d %s%s%s (native %dx%d, %d taps, pass %d/%d)%s%s",
             c->desc_prefix, axis, out_w, out_h, horizontal ? c->sw : out_w, horizontal ? out_h : c->sh,
             c->kernel, c->border, horizontal ? c->win_h : c->win_v,
             c->nw, c->nh, wt->taps, pass, passes, extra ? " + " : "", extra ? extra->what : "");
    snprintf(width, sizeof(width), "%d", out_w);
    snprintf(height, sizeof(height), "%d", out_h);
    snprintf(when, sizeof(when), "HOOKED.w %d == HOOKED.h %d == *", c->sw, c->sh);
    nr_glsl_pass pass_desc = {
        .hook = "LUMA",
        .binds = { "HOOKED", strcmp(src, "HOOKED") != 0 ? src : table,
                   strcmp(src, "HOOKED") != 0 ? table : NULL },
        .save = save,
        .desc = desc,
        .width = width, .height = height,
        .components = split_out ? (extra ? 4 : 2) : 0,
        .when = when,
        .body = body.data ? body.data : "",
    };
    if (body.failed)
        b->failed = true;
    else
        nr_glsl_pass_write(b, &pass_desc);
    nr_glsl_buf_free(&body);
}

/* nr_weights_build plus a check that the table fits the axis. */
static int build_table(nr_weights *wt, const nr_scale *s, const nr_axis *ax, double tolerance,
                       const char *axis, char *err, size_t err_size)
{
    if (nr_weights_build(wt, &s->kernel, ax, s->border, tolerance) == 0 &&
        wt->out_size == ax->native && wt->in_size == ax->full && wt->taps > 0 &&
        wt->offset && wt->w)
        return 0;
    if (err && err_size)
        snprintf(err, err_size, "cannot build the %s weight table", axis);
    return -1;
}

int nr_descale_plan_init(nr_descale_plan *p, const nr_scale *s, double tolerance,
                         const char *name_prefix, const char *desc_prefix,
                         char *err, size_t err_size)
{
    memset(p, 0, sizeof(*p));
    if (!isfinite(tolerance) || tolerance < 0 || tolerance >= 1) {
        set_err(err, err_size, "tolerance must be a finite number in [0, 1)");
        return -1;
    }
    if (nr_scale_validate(s, err, err_size) < 0)
        return -1;
    nr_axis ah = nr_scale_axis_h(s), av = nr_scale_axis_v(s);
    p->do_h = !nr_axis_is_identity(&ah);
    p->do_v = !nr_axis_is_identity(&av);
    if (!p->do_h && !p->do_v) {
        set_err(err, err_size, "nothing to descale: the native size equals the source size");
        return -1;
    }

    /* Truncation: nr_weights_bound_2d = eps_v * gain_h + gain_v * eps_h,
     * each axis's dropped tail amplified by the other axis's gain (row L1
     * norm, 1.5..4). So each table is truncated at tolerance / (the other
     * axis's gain), taken from a first build at `tolerance`: the 2-D bound
     * then stays at about 2 * tolerance for a few extra taps. */
    double tol_h = tolerance, tol_v = tolerance;
    if (p->do_h && p->do_v && tolerance > 0) {
        if (build_table(&p->wh, s, &ah, tol_h, "horizontal", err, err_size) < 0 ||
            build_table(&p->wv, s, &av, tol_v, "vertical", err, err_size) < 0)
            goto fail;
        double gain_h = p->wh.row_l1, gain_v = p->wv.row_l1;
        nr_weights_free(&p->wh);
        nr_weights_free(&p->wv);
        tol_h = tolerance / (gain_v > 1 ? gain_v : 1);
        tol_v = tolerance / (gain_h > 1 ? gain_h : 1);
    }
    if ((p->do_h && build_table(&p->wh, s, &ah, tol_h, "horizontal", err, err_size) < 0) ||
        (p->do_v && build_table(&p->wv, s, &av, tol_v, "vertical", err, err_size) < 0))
        goto fail;
    /* Reused table rows (weight_table.h) differ from their exact rows by
     * float rounding at most; that difference joins the truncation bound. */
    if (p->do_h) {
        nr_table_plan(&p->wh, &ah, &p->lay_h);
        p->wh.bound += p->lay_h.reuse_l1;
    }
    if (p->do_v) {
        nr_table_plan(&p->wv, &av, &p->lay_v);
        p->wv.bound += p->lay_v.reuse_l1;
    }
    p->bound_2d = nr_weights_bound_2d(p->do_h ? &p->wh : NULL, p->do_v ? &p->wv : NULL);

    descale_ctx *c = &p->c;
    *c = (descale_ctx){ .s = s, .sw = s->full_w, .sh = s->full_h,
                        .nw = s->native_w, .nh = s->native_h, .desc_prefix = desc_prefix };
    kernel_desc(&s->kernel, c->kernel, sizeof(c->kernel));
    if (s->border == NR_BORDER_MIRROR)
        c->border[0] = '\0';
    else
        snprintf(c->border, sizeof(c->border), " border=%s", nr_border_name(s->border));
    window_desc(&ah, "src_left", "src_width", c->win_h, sizeof(c->win_h));
    window_desc(&av, "src_top", "src_height", c->win_v, sizeof(c->win_v));
    uint32_t h = 2166136261u;
    int sizes[4] = { c->sw, c->sh, c->nw, c->nh };
    h = fnv1a(h, sizes, sizeof(sizes));
    h = hash_table(h, p->do_h ? &p->wh : NULL);
    h = hash_table(h, p->do_v ? &p->wv : NULL);
    p->hash = h;
    snprintf(c->tex_h, sizeof(c->tex_h), "%s_WH_%08x", name_prefix, (unsigned)h);
    snprintf(c->tex_v, sizeof(c->tex_v), "%s_WV_%08x", name_prefix, (unsigned)h);
    snprintf(c->tex_mid, sizeof(c->tex_mid), "%s_HPASS_%08x", name_prefix, (unsigned)h);
    return 0;
fail:
    nr_descale_plan_free(p);
    return -1;
}

void nr_descale_plan_free(nr_descale_plan *p)
{
    nr_weights_free(&p->wh);
    nr_weights_free(&p->wv);
}

void nr_descale_plan_write_passes(nr_glsl_buf *b, const nr_descale_plan *p, const char *final_save,
                                  const nr_descale_extra *extra)
{
    const descale_ctx *c = &p->c;
    int passes = p->do_h + p->do_v;
    if (!final_save)
        extra = NULL;
    if (p->do_h)
        write_pass(b, c, &p->wh, &p->lay_h, true, 1, passes, "HOOKED", false, c->tex_h,
                   p->do_v ? c->tex_mid : final_save, p->do_v ? NULL : extra, c->nw, c->sh);
    if (p->do_v)
        write_pass(b, c, &p->wv, &p->lay_v, false, passes, passes,
                   p->do_h ? c->tex_mid : "HOOKED", p->do_h, c->tex_v, final_save, extra,
                   p->do_h ? c->nw : c->sw, c->nh);
}

int nr_descale_plan_write_textures(nr_glsl_buf *b, const nr_descale_plan *p)
{
    if ((p->do_h && nr_table_write(b, p->c.tex_h, &p->wh, &p->lay_h) < 0) ||
        (p->do_v && nr_table_write(b, p->c.tex_v, &p->wv, &p->lay_v) < 0))
        return -1;
    return 0;
}

char *nr_glsl_descale_ex(const nr_scale *s, const nr_glsl_opts *opts,
                         nr_glsl_descale_info *info, char *err, size_t err_size)
{
    nr_glsl_opts o;
    if (opts)
        o = *opts;
    else
        nr_glsl_opts_default(&o);
    if (!s) {
        set_err(err, err_size, "no scale given");
        return NULL;
    }
    nr_descale_plan p;
    if (nr_descale_plan_init(&p, s, o.tolerance, "NATIVERES", "nativeres descale",
                             err, err_size) < 0)
        return NULL;
    char *text = NULL;
    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    write_header_comment(&b, &p.c, &o, p.do_h ? &p.wh : NULL, p.do_v ? &p.wv : NULL,
                         &p.lay_h, &p.lay_v, p.bound_2d);
    nr_descale_plan_write_passes(&b, &p, NULL, NULL);
    if (nr_descale_plan_write_textures(&b, &p) < 0)
        b.failed = true;
    text = nr_glsl_buf_take(&b);
    if (!text)
        set_err(err, err_size, "out of memory");
    else if (info)
        nr_descale_plan_info(&p, info);
    nr_descale_plan_free(&p);
    return text;
}

void nr_descale_plan_info(const nr_descale_plan *p, nr_glsl_descale_info *info)
{
    *info = (nr_glsl_descale_info){
        .native_w = p->c.nw, .native_h = p->c.nh, .passes = p->do_h + p->do_v,
        .taps_h = p->do_h ? p->wh.taps : 0, .taps_v = p->do_v ? p->wv.taps : 0,
        .bound_h = p->do_h ? p->wh.bound : 0, .bound_v = p->do_v ? p->wv.bound : 0,
        .bound_2d = p->bound_2d,
    };
}

char *nr_glsl_descale(const nr_scale *s, const nr_glsl_opts *o,
                      char *err, size_t err_size)
{
    return nr_glsl_descale_ex(s, o, NULL, err, err_size);
}
