/*
 * GLSL writer of the learned upscaler (upscaler_passes.h), and the
 * standalone shader file (nr_glsl_upscale in nativeres_upscaler.h).
 *
 * Convolution passes work at the input size and read neighbours with
 * NAME_texOff: a hook texture clamps at its edges, which is the network's
 * edge replication. Weights are baked as constants: each 3x3 tap of a
 * group of 4 inputs is one mat4 (column j = input channel j's weights to
 * the 4 outputs), so a pass is 9 * (inputs / 4) mat4 x vec4 products.
 * Intermediate textures are 16-bit floats in mpv and libplacebo; the
 * tests bound the difference to the float CPU reference.
 */
#include "nativeres_upscaler.h"
#include "upscaler_passes.h"
#include "nativeres.h"

#include "glsl_pass.h"
#include "kernel_eval.h"
#include "window.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned nr_upscaler_hash(const nr_upscaler *m)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < m->layers; i++) {
        const nr_upscaler_layer *ly = &m->layer[i];
        const unsigned char *p[2] = { (const unsigned char *)ly->weight,
                                      (const unsigned char *)ly->bias };
        size_t n[2] = { sizeof(float) * (size_t)ly->in * ly->out * 9, sizeof(float) * ly->out };
        for (int k = 0; k < 2; k++)
            for (size_t j = 0; j < n[k]; j++) {
                h ^= p[k][j];
                h *= 16777619u;
            }
    }
    return h;
}

/* 3x3 tap t (weights [ky][kx], t = 3 ky + kx) is at offset (TAP_DX, TAP_DY). */
#define TAP_DX(t) ((t) % 3 - 1)
#define TAP_DY(t) ((t) / 3 - 1)

/* The native input at offset (dx, dy): .x, or .x + .y of a hi/lo pair. */
static void put_input(nr_glsl_buf *b, const char *input, bool hi_lo, const char *off)
{
    if (hi_lo)
        nr_glsl_printf(b, "dot(%s_texOff(%s).xy, vec2(1.0))", input, off);
    else
        nr_glsl_printf(b, "%s_texOff(%s).x", input, off);
}

static const char *offset_str(char buf[48], int dx, int dy)
{
    snprintf(buf, 48, "vec2(%d.0, %d.0)", dx, dy);
    return buf;
}

void nr_glsl_upscaler_skip_filter(nr_glsl_buf *b, const nr_upscaler *m, const char *acc,
                                  nr_upscaler_tap_fn put_tap, const void *ctx)
{
    int k = m->skip_size, hk = k / 2;
    nr_glsl_printf(b, "    // linear skip filter of the input (1 -> 4 sub-pixels)\n    %s += ", acc);
    nr_glsl_put_vec4(b, m->skip_bias, 1);
    nr_glsl_puts(b, ";\n");
    for (int t = 0; t < k * k; t++) {
        nr_glsl_printf(b, "    %s += ", acc);
        nr_glsl_put_vec4(b, m->skip_weight + t, (size_t)k * k);
        nr_glsl_puts(b, " * ");
        put_tap(b, t % k - hk, t / k - hk, ctx);
        nr_glsl_puts(b, ";\n");
    }
}

/* The fragment passes read the input texture at an offset. */
typedef struct input_tap {
    const char *input;
    bool hi_lo;
} input_tap;

static void put_input_tap(nr_glsl_buf *b, int dx, int dy, const void *ctx)
{
    const input_tap *t = ctx;
    char off[48];
    put_input(b, t->input, t->hi_lo, offset_str(off, dx, dy));
}

/* Body of the pass computing outputs 4g..4g+3 of layer li. */
static void conv_body(nr_glsl_buf *b, const nr_upscaler *m, int li, int g,
                      const char *const *in_tex, const char *input, bool hi_lo)
{
    const nr_upscaler_layer *ly = &m->layer[li];
    bool last = li + 1 == m->layers;
    nr_glsl_puts(b, "vec4 hook()\n{\n    vec4 r = ");
    nr_glsl_put_vec4(b, ly->bias + 4 * g, 1);
    nr_glsl_puts(b, ";\n");
    for (int t = 0; t < 9; t++) {
        if (ly->in == 1) {
            nr_glsl_puts(b, "    r += ");
            nr_glsl_put_vec4(b, ly->weight + (size_t)4 * g * 9 + t, 9);
            nr_glsl_puts(b, " * ");
            char off[48];
            put_input(b, in_tex[0], hi_lo, offset_str(off, TAP_DX(t), TAP_DY(t)));
            nr_glsl_puts(b, ";\n");
            continue;
        }
        for (int gi = 0; gi < ly->in / 4; gi++) {
            nr_glsl_puts(b, "    r += mat4(");
            for (int j = 0; j < 4; j++)
                for (int o = 0; o < 4; o++) {
                    nr_glsl_put_float(b, ly->weight[((size_t)(4 * g + o) * ly->in + 4 * gi + j) * 9 + t]);
                    nr_glsl_puts(b, j == 3 && o == 3 ? ")" : ", ");
                }
            nr_glsl_printf(b, " * %s_texOff(vec2(%d.0, %d.0));\n", in_tex[gi], TAP_DX(t),
                           TAP_DY(t));
        }
    }
    if (last) {
        /* the linear skip filter of the input, then the input pixel */
        input_tap tap = { input, hi_lo };
        nr_glsl_upscaler_skip_filter(b, m, "r", put_input_tap, &tap);
        nr_glsl_puts(b, "    // each sub-pixel starts from its native pixel\n"
                        "    return r + vec4(");
        put_input(b, input, hi_lo, "vec2(0.0)");
        nr_glsl_puts(b, ");\n}\n");
    }
    else if (ly->relu)
        nr_glsl_puts(b, "    return max(r, vec4(0.0));\n}\n");
    else
        nr_glsl_puts(b, "    return r;\n}\n");
}

/* vec4 nr_sub(vec2 pos): the 4 sub-pixels of a native pixel: the network's,
 * or the mean of the ensemble's members (summed in order, then scaled, as the
 * CPU reference does). */
static void sub_function(nr_glsl_buf *b, char subs[][96], int n)
{
    nr_glsl_puts(b, "vec4 nr_sub(vec2 pos)\n{\n    return ");
    if (n > 1)
        nr_glsl_puts(b, "(");
    for (int k = 0; k < n; k++)
        nr_glsl_printf(b, "%s%s_tex(pos)", k ? " + " : "", subs[k]);
    if (n > 1)
        nr_glsl_printf(b, ") * (1.0 / %d.0)", n);
    nr_glsl_puts(b, ";\n}\n\n");
}

/* The hook's head: a compute pass writes one output pixel per invocation
 * (nr_p, inside out_image of size n); both leave the normalised output
 * position in pos (a fragment pass reads it from tex's _pos). */
static void hook_head(nr_glsl_buf *b, bool compute, const char *tex)
{
    if (compute)
        nr_glsl_write_compute_pixel_head(b);
    else
        nr_glsl_printf(b, "vec4 hook()\n{\n    vec2 pos = %s_pos;\n", tex);
}

static void put_result(nr_glsl_buf *b, bool compute, const char *value)
{
    nr_glsl_printf(b, compute ? "    imageStore(out_image, nr_p, vec4(nr_fp16(%s), 0.0, 0.0, 1.0));\n}\n"
                              : "    return vec4(nr_fp16(%s), 0.0, 0.0, 1.0);\n}\n", value);
}

/* The 4 sub-pixel planes (input size) to the 2x grid. */
static void shuffle_body(nr_glsl_buf *b, const char *sub, bool compute)
{
    nr_glsl_write_fp16_function(b);
    hook_head(b, compute, sub);
    nr_glsl_printf(b,
        "    // which of the 4 sub-pixels of its native pixel this output pixel is\n"
        "    vec2 p = pos * %s_size;\n"
        "    vec4 s = nr_sub((floor(p) + 0.5) * %s_pt);\n"
        "    vec2 q = step(0.5, fract(p));\n", sub, sub);
    put_result(b, compute, "mix(mix(s.x, s.y, q.x), mix(s.z, s.w, q.x), q.y)");
}

/* The resample of the 2x plane (saved as `fine` by the shuffle) to the
 * output: spline36 enlarging, Catmull-Rom widened by the ratio when
 * shrinking, normalised per axis, taps clamped (the same arithmetic as
 * nr_upscaler_resample). A pass of its own: resampling inside the shuffle
 * re-reads every member's sub-pixels for each of the 2R x 2R taps (28 ms at
 * 720p -> 2160p on an H200, docs/hq.md); from the stored plane it takes
 * R x R gathers. */
static void resample_body(nr_glsl_buf *b, const char *fine, const char *out_size, int radius,
                          bool compute)
{
    nr_glsl_write_fp16_function(b);
    nr_glsl_write_chain_resample_weight(b);
    nr_glsl_printf(b,
        "// the 2x plane's sample (i, j), clamped to it\n"
        "float nr_f(int i, int j)\n{\n"
        "    ivec2 n = ivec2(%s_size);\n"
        "    ivec2 p = clamp(ivec2(i, j), ivec2(0), n - 1);\n"
        "    return %s_tex((vec2(p) + 0.5) * %s_pt).x;\n"
        "}\n\n", fine, fine, fine);
    hook_head(b, compute, fine);
    nr_glsl_printf(b,
        "    vec2 c = pos * %s_size;     // output centre on the 2x grid\n"
        "    vec2 widen = max(%s_size / (%s), vec2(1.0));\n", fine, fine, out_size);
    nr_glsl_write_chain_resample_sum(b, fine, "nr_f", radius, radius);
    put_result(b, compute, "sum / (sx * sy)");
}

int nr_upscaler_pass_count(const nr_upscaler *m, bool compute)
{
    int n = 1;   /* the shuffle (or shuffle and resample) */
    for (int i = 0; i < m->layers; i++)
        n += compute ? 1 : m->layer[i].out / 4;
    return n;
}

/* The layers of m as fragment passes, saving the 4 sub-pixels as `sub`;
 * textures named from prefix; *pass counts the passes for //!DESC. */
static int fragment_layers(nr_glsl_buf *b, const nr_upscaler *m, const nr_upscaler_chain *c,
                           const char *prefix, const char *tag, const char *sub, int *pass,
                           int passes)
{
    int maxg = 0;
    for (int i = 0; i < m->layers; i++)
        maxg = m->layer[i].out / 4 > maxg ? m->layer[i].out / 4 : maxg;
    if (maxg > NR_GLSL_MAX_BINDS - 2)
        return -1;
    /* Ping-pong texture names: layer i writes set i % 2. */
    char names[2][NR_UPSCALER_MAX_CHANNELS / 4][96], size_w[96], size_h[96];
    for (int s = 0; s < 2; s++)
        for (int g = 0; g < maxg; g++)
            snprintf(names[s][g], sizeof(names[s][g]), "%s_%c%d", prefix, 'A' + s, g);
    snprintf(size_w, sizeof(size_w), "%s.w", c->input);
    snprintf(size_h, sizeof(size_h), "%s.h", c->input);
    const char *extra = c->desc ? c->desc : "";
    for (int li = 0; li < m->layers; li++) {
        const nr_upscaler_layer *ly = &m->layer[li];
        bool last = li + 1 == m->layers;
        const char *in_tex[NR_UPSCALER_MAX_CHANNELS / 4];
        int in_groups = li == 0 ? 1 : ly->in / 4;
        for (int gi = 0; gi < in_groups; gi++)
            in_tex[gi] = li == 0 ? c->input : names[(li - 1) % 2][gi];
        for (int g = 0; g < ly->out / 4; g++) {
            char desc[256];
            snprintf(desc, sizeof(desc),
                     "nativeres hq%s%s%s conv %d/%d (%d -> %d, outputs %d-%d, pass %d/%d)",
                     *extra ? " " : "", extra, tag, li + 1, m->layers, ly->in, ly->out, 4 * g,
                     4 * g + 3, ++*pass, passes);
            nr_glsl_pass p = { .hook = c->hook, .desc = desc, .width = size_w,
                               .height = size_h, .components = 4, .when = c->when,
                               .save = last ? sub : names[li % 2][g] };
            int nb = 0;
            if (strcmp(c->input, "HOOKED") && (li == 0 || last))
                p.binds[nb++] = c->input;
            if (li > 0)
                for (int gi = 0; gi < in_groups; gi++)
                    p.binds[nb++] = in_tex[gi];
            p.binds[nb++] = "HOOKED";
            nr_glsl_buf body;
            nr_glsl_buf_init(&body);
            conv_body(&body, m, li, g, in_tex, c->input, c->input_hi_lo);
            if (nr_glsl_pass_write_built(b, &p, &body) < 0)
                return -1;
        }
    }
    return 0;
}

int nr_glsl_upscaler_write(nr_glsl_buf *b, const nr_upscaler *m, const nr_upscaler_chain *c)
{
    if (!m || !c || !c->hook || !c->input || !c->prefix || m->layers < 2 ||
        (!c->out_w) != (!c->out_h) || (c->out_w && !c->out_size_glsl))
        return -1;
    int n = c->ensemble ? c->ensemble->n : 1;
    if (n < 1 || n > NR_UPSCALER_MAX_MEMBERS)
        return -1;
    /* member k's textures: the prefix, then _M for the mirror, _MI for the
     * mirrored inverse */
    static const char *const suffix[NR_UPSCALER_MAX_MEMBERS] = { "", "_M", "_MI" };
    static const char *const tag[NR_UPSCALER_MAX_MEMBERS] = { "", " mirrored",
                                                               " mirrored inverse" };
    char prefixes[NR_UPSCALER_MAX_MEMBERS][80], subs[NR_UPSCALER_MAX_MEMBERS][96];
    int passes = 1;
    for (int k = 0; k < n; k++) {
        const nr_upscaler *net = k ? c->ensemble->net[k] : m;
        if (!net)
            return -1;
        snprintf(prefixes[k], sizeof(prefixes[k]), "%s%s", c->prefix, suffix[k]);
        snprintf(subs[k], sizeof(subs[k]), "%s_SUB", prefixes[k]);
        passes += nr_upscaler_pass_count(net, c->compute) - 1;
    }
    const char *extra = c->desc ? c->desc : "";

    int pass = 0;
    for (int k = 0; k < n; k++) {
        const nr_upscaler *net = k ? c->ensemble->net[k] : m;
        int rc = c->compute
                 ? nr_glsl_upscaler_compute_layers(b, net, c, prefixes[k], tag[k], subs[k], &pass,
                                                   passes)
                 : fragment_layers(b, net, c, prefixes[k], tag[k], subs[k], &pass, passes);
        if (rc < 0)
            return -1;
    }

    static const char *const mean[NR_UPSCALER_MAX_MEMBERS] = {
        "", ", mean with the mirrored network", ", mean with the mirrored and inverse networks" };
    bool resample = c->out_w != NULL;
    if (resample)
        passes++;
    char desc[256], fine[96];
    snprintf(desc, sizeof(desc), "nativeres hq%s%s 2x pixel shuffle%s (pass %d/%d)",
             *extra ? " " : "", extra, mean[n - 1], ++pass, passes);
    snprintf(fine, sizeof(fine), "%s_FINE", c->prefix);
    char w2[128], h2[128];
    snprintf(w2, sizeof(w2), "%s.w 2 *", c->input);
    snprintf(h2, sizeof(h2), "%s.h 2 *", c->input);
    nr_glsl_pass p = { .hook = c->hook, .desc = desc, .when = c->when,
                       .save = resample ? fine : c->save, .width = w2, .height = h2,
                       .components = 1, .compute_bw = c->compute ? 16 : 0,
                       .compute_bh = c->compute ? 16 : 0 };
    for (int k = 0; k < n; k++)
        p.binds[k] = subs[k];
    p.binds[n] = "HOOKED";
    nr_glsl_buf body;
    nr_glsl_buf_init(&body);
    sub_function(&body, subs, n);
    shuffle_body(&body, subs[0], c->compute);
    if (nr_glsl_pass_write_built(b, &p, &body) < 0)
        return -1;
    if (!resample)
        return 0;

    double shrink = c->max_shrink > 1 ? c->max_shrink : 1;
    if (shrink > 8)
        return -1;
    snprintf(desc, sizeof(desc), "nativeres hq%s%s resample of the 2x plane to the output size "
             "(pass %d/%d)", *extra ? " " : "", extra, ++pass, passes);
    nr_glsl_pass r = { .hook = c->hook, .desc = desc, .when = c->when, .save = c->save,
                       .width = c->out_w, .height = c->out_h, .components = 1,
                       .binds = { fine, "HOOKED" }, .compute_bw = c->compute ? 16 : 0,
                       .compute_bh = c->compute ? 16 : 0 };
    nr_glsl_buf_init(&body);
    resample_body(&body, fine, c->out_size_glsl, nr_chain_resample_radius(shrink), c->compute);
    return nr_glsl_pass_write_built(b, &r, &body);
}

char *nr_glsl_upscale(const nr_upscaler *m, const nr_glsl_upscale_opts *o,
                      char *err, size_t err_size)
{
    nr_glsl_upscale_opts def = {0};
    if (!o)
        o = &def;
    if (!m) {
        snprintf(err, err_size, "no upscaler given");
        return NULL;
    }
    if (o->in_w < 0 || o->in_h < 0 || (!o->in_w) != (!o->in_h) || o->out_w < 0 || o->out_h < 0 ||
        (!o->out_w) != (!o->out_h) || o->in_w > 16384 || o->in_h > 16384 || o->out_w > 16384 ||
        o->out_h > 16384) {
        snprintf(err, err_size, "sizes must be given as pairs in 1..16384");
        return NULL;
    }
    if (o->out_w && !o->in_w) {
        snprintf(err, err_size, "an output size needs the input size");
        return NULL;
    }
    double shrink = 1;
    if (o->out_w) {
        double sx = 2.0 * o->in_w / o->out_w, sy = 2.0 * o->in_h / o->out_h;
        shrink = sx > sy ? sx : sy;
        if (shrink > 4) {
            snprintf(err, err_size, "output %dx%d is more than 4x smaller than 2x the input",
                     o->out_w, o->out_h);
            return NULL;
        }
    }
    char prefix[40], when[128], ow[16], oh[16], osz[64];
    snprintf(prefix, sizeof(prefix), "NR_HQ_%08x", nr_upscaler_hash(m));
    snprintf(when, sizeof(when), "HOOKED.w %d == HOOKED.h %d == *", o->in_w, o->in_h);
    snprintf(ow, sizeof(ow), "%d", o->out_w);
    snprintf(oh, sizeof(oh), "%d", o->out_h);
    snprintf(osz, sizeof(osz), "vec2(%d.0, %d.0)", o->out_w, o->out_h);

    /* exactly 2x: the resample would be the identity (spline36 at whole
     * pixels), so the shuffle is the last pass */
    bool resample = o->out_w && (o->out_w != 2 * o->in_w || o->out_h != 2 * o->in_h);
    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    int feats = m->layer[0].out;
    nr_glsl_printf(&b, "// nativeres hq upscaler (%s): 2x luma", m->name);
    if (resample)
        nr_glsl_printf(&b, ", then resampled to %dx%d", o->out_w, o->out_h);
    nr_glsl_puts(&b, "\n//\n");
    nr_glsl_printf(&b,
        "// A small convolutional network (%d 3x3 layers, %d features, %zu parameters)\n"
        "// trained by nativeres on descaled anime: put it after a nativeres descale\n"
        "// shader, it doubles the native-resolution luma the descale returns. Each\n"
        "// sub-pixel of the 2x grid is the native pixel plus what the network adds.\n",
        m->layers, feats, nr_upscaler_params(m));
    if (o->in_w)
        nr_glsl_printf(&b, "// Acts only on %dx%d luma; other sizes pass through untouched.\n",
                       o->in_w, o->in_h);
    if (resample)
        nr_glsl_puts(&b, "// Final resample: spline36; Catmull-Rom, widened, when shrinking.\n");
    nr_glsl_printf(&b,
        "//\n// Use: copy this file to ~~/shaders/ and add to mpv.conf (after the descale):\n"
        "//   glsl-shaders-append=\"~~/shaders/%s\"\n//\n"
        "// Generated by %s %s (nativeres) from the parameter table; do not edit.\n\n",
        o->file_name ? o->file_name : "<this file>",
        o->generator ? o->generator : "libnativeres", NR_VERSION_STRING);
    nr_upscaler_chain c = {
        .hook = "LUMA", .input = "HOOKED", .prefix = prefix, .when = o->in_w ? when : NULL,
        .out_w = resample ? ow : NULL, .out_h = resample ? oh : NULL,
        .out_size_glsl = osz, .max_shrink = shrink, .compute = o->compute,
    };
    nr_upscaler_ensemble ens;
    c.ensemble = &ens;
    int rc = nr_upscaler_ensemble_init(&ens, m, o->ensemble);
    if (rc == 0)
        rc = nr_glsl_upscaler_write(&b, m, &c);
    nr_upscaler_ensemble_free(&ens);
    if (rc < 0) {
        nr_glsl_buf_free(&b);
        snprintf(err, err_size, o->compute ? "cannot write the upscaler passes (compute passes "
                 "take layers of at most 20 channels; use fragment passes)"
                 : "cannot write the upscaler passes");
        return NULL;
    }
    return nr_glsl_buf_finish(&b, err, err_size);
}
