/*
 * Compute-shader form of the learned upscaler's convolution layers
 * (nr_upscaler_chain.compute in upscaler_passes.h): one pass per layer
 * instead of one per 4 output channels.
 *
 * Why: a fragment pass writes one vec4, so a 16 -> 16 layer is 4 passes
 * and each of them reads all 16 input channels at 9 taps (36 texture reads
 * per pixel, 144 per layer). A compute pass loads its block's input tile
 * and a 1-pixel border into shared memory once (4 reads per pixel, plus the
 * border's share) and writes all of the layer's outputs.
 *
 * Layout: a layer's F outputs are one rgba texture F/4 times the native
 * width: channel group g of native pixel (x, y) is texel (x * F/4 + g, y).
 * Each thread computes one native pixel; the block is TW x TH pixels
 * (TW * F/4 texels wide). Edges are replicated (indices clamped), as the
 * fragment form's clamped texture reads are; the arithmetic is the same
 * sum in the same order of taps, so the CPU reference bounds both.
 */
#include "upscaler_passes.h"

#include "glsl_pass.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Block of native pixels per workgroup: 128 threads, and a 16-channel tile
 * of 18 x 10 vec4 (11.5 KiB) fits every GPU's 16 KiB of shared memory. */
enum { TILE_W = 16, TILE_H = 8 };

/* 3x3 tap t (weights [ky][kx], t = 3 ky + kx) is at offset (TAP_DX, TAP_DY). */
#define TAP_DX(t) ((t) % 3 - 1)
#define TAP_DY(t) ((t) / 3 - 1)

/* float nr_in(ivec2 q): the native input at pixel q, clamped to the plane. */
static void input_function(nr_glsl_buf *b, const char *input, bool hi_lo)
{
    nr_glsl_printf(b,
        "float nr_in(ivec2 q)\n{\n"
        "    q = clamp(q, ivec2(0), ivec2(%s_size) - 1);\n"
        "    vec4 s = %s_tex((vec2(q) + 0.5) * %s_pt);\n"
        "    return %s;\n}\n\n",
        input, input, input, hi_lo ? "s.x + s.y" : "s.x");
}

/* The input tile (scalar luma) with a border of r pixels. */
static void load_input_tile(nr_glsl_buf *b, int r)
{
    nr_glsl_printf(b,
        "    // the block's input with a %d-pixel border\n"
        "    for (int i = int(gl_LocalInvocationIndex); i < NR_IN_TILE; i += %d) {\n"
        "        nr_in_tile[i] = nr_in(org - %d + ivec2(i %% %d, i / %d));\n"
        "    }\n",
        r, TILE_W * TILE_H, r, TILE_W + 2 * r, TILE_W + 2 * r);
}

/* The compute passes read the input's shared-memory tile (row stride
 * *ctx) around the thread's own index ci. */
static void put_tile_tap(nr_glsl_buf *b, int dx, int dy, const void *ctx)
{
    nr_glsl_printf(b, "nr_in_tile[ci + %d]", dy * *(const int *)ctx + dx);
}

/* Body of the pass computing layer li (all of its outputs). packed: the
 * previous layer's texture (NULL for the first layer, which reads the
 * input). The last layer also adds the skip filter and the input pixel and
 * writes the 4 sub-pixels as one texel per native pixel. */
static void layer_body(nr_glsl_buf *b, const nr_upscaler *m, int li, const char *packed,
                       const char *input, bool hi_lo)
{
    const nr_upscaler_layer *ly = &m->layer[li];
    bool first = li == 0, last = li + 1 == m->layers;
    int gin = first ? 1 : ly->in / 4, gout = ly->out / 4;
    int sw = TILE_W + 2;   /* the feature tile's row length */
    int skip_r = m->skip_size / 2;
    bool in_tile = first || last;   /* the input is read: the first layer's taps, the skip */
    int in_r = first ? 1 : skip_r;  /* the input tile's border */
    int in_sw = TILE_W + 2 * in_r;

    if (in_tile)
        input_function(b, input, hi_lo);
    if (!first)
        nr_glsl_printf(b, "#define NR_TILE %d\nshared vec4 nr_tile[%d * NR_TILE];\n", sw * (TILE_H + 2),
                       gin);
    if (in_tile)
        nr_glsl_printf(b, "#define NR_IN_TILE %d\nshared float nr_in_tile[NR_IN_TILE];\n",
                       in_sw * (TILE_H + 2 * in_r));
    nr_glsl_puts(b, "\nvoid hook()\n{\n");
    if (first)
        nr_glsl_printf(b, "    ivec2 n = ivec2(%s_size);\n", input);
    else
        nr_glsl_printf(b, "    ivec2 n = ivec2(%s_size) / ivec2(%d, 1);   // native size\n",
                       packed, gin);
    nr_glsl_printf(b, "    ivec2 org = ivec2(gl_WorkGroupID.xy) * ivec2(%d, %d);\n", TILE_W,
                   TILE_H);
    if (!first)
        nr_glsl_printf(b,
            "    // the block's %d input channels with a 1-pixel border, edges replicated\n"
            "    for (int i = int(gl_LocalInvocationIndex); i < NR_TILE; i += %d) {\n"
            "        ivec2 q = clamp(org - 1 + ivec2(i %% %d, i / %d), ivec2(0), n - 1);\n"
            "        for (int g = 0; g < %d; g++)\n"
            "            nr_tile[g * NR_TILE + i] = texelFetch(%s_raw, ivec2(q.x * %d + g, q.y), 0);\n"
            "    }\n",
            ly->in, TILE_W * TILE_H, sw, sw, gin, packed, gin);
    if (in_tile)
        load_input_tile(b, in_r);
    nr_glsl_puts(b,
        "    barrier();\n"
        "    ivec2 l = ivec2(gl_LocalInvocationID.xy);\n"
        "    ivec2 p = org + l;\n"
        "    if (p.x >= n.x || p.y >= n.y)\n"
        "        return;\n");
    if (!first)
        nr_glsl_printf(b, "    int c = (l.y + 1) * %d + l.x + 1;\n", sw);
    if (in_tile)
        nr_glsl_printf(b, "    int ci = (l.y + %d) * %d + l.x + %d;\n", in_r, in_sw, in_r);
    for (int g = 0; g < gout; g++) {
        nr_glsl_printf(b, "    vec4 r%d = ", g);
        nr_glsl_put_vec4(b, ly->bias + 4 * g, 1);
        nr_glsl_puts(b, ";\n");
    }
    nr_glsl_puts(b, first ? "    float v;\n" : "    vec4 v;\n");
    for (int t = 0; t < 9; t++) {
        for (int gi = 0; gi < gin; gi++) {
            if (first)
                nr_glsl_printf(b, "    v = nr_in_tile[ci + %d];\n", TAP_DY(t) * in_sw + TAP_DX(t));
            else
                nr_glsl_printf(b, "    v = nr_tile[%d * NR_TILE + c + %d];\n", gi,
                               TAP_DY(t) * sw + TAP_DX(t));
            for (int g = 0; g < gout; g++) {
                if (first) {
                    nr_glsl_printf(b, "    r%d += ", g);
                    nr_glsl_put_vec4(b, ly->weight + (size_t)4 * g * 9 + t, 9);
                    nr_glsl_puts(b, " * v;\n");
                    continue;
                }
                nr_glsl_printf(b, "    r%d += mat4(", g);
                for (int j = 0; j < 4; j++)
                    for (int o = 0; o < 4; o++) {
                        nr_glsl_put_float(
                            b, ly->weight[((size_t)(4 * g + o) * ly->in + 4 * gi + j) * 9 + t]);
                        nr_glsl_puts(b, j == 3 && o == 3 ? ") * v;\n" : ", ");
                    }
            }
        }
    }
    if (last) {
        nr_glsl_upscaler_skip_filter(b, m, "r0", put_tile_tap, &in_sw);
        nr_glsl_puts(b, "    // each sub-pixel starts from its native pixel\n"
                        "    imageStore(out_image, p, r0 + vec4(nr_in_tile[ci]));\n}\n");
        return;
    }
    for (int g = 0; g < gout; g++) {
        char r[32];
        snprintf(r, sizeof(r), ly->relu ? "max(r%d, vec4(0.0))" : "r%d", g);
        nr_glsl_printf(b, "    imageStore(out_image, ivec2(p.x * %d + %d, p.y), %s);\n", gout, g, r);
    }
    nr_glsl_puts(b, "}\n");
}

int nr_glsl_upscaler_compute_layers(nr_glsl_buf *b, const nr_upscaler *m,
                                    const nr_upscaler_chain *c, const char *prefix,
                                    const char *tag, const char *sub, int *pass, int passes)
{
    char names[2][96];
    for (int s = 0; s < 2; s++)
        snprintf(names[s], sizeof(names[s]), "%s_C%c", prefix, 'A' + s);
    const char *extra = c->desc ? c->desc : "";
    for (int li = 0; li < m->layers; li++) {
        const nr_upscaler_layer *ly = &m->layer[li];
        bool first = li == 0, last = li + 1 == m->layers;
        if (ly->out % 4 || (!first && ly->in % 4))
            return -1;
        /* the feature tile must fit the 16 KiB of shared memory every GPU has
         * (16 channels: 11.5 KiB; at most 20): wider tables are refused here and
         * written as fragment passes without --compute */
        if (!first && (size_t)(TILE_W + 2) * (TILE_H + 2) * ly->in * sizeof(float) > 16384)
            return -1;
        const char *packed = first ? NULL : names[(li - 1) % 2];
        int gout = last ? 1 : ly->out / 4;
        char desc[256], w[128], h[128];
        snprintf(desc, sizeof(desc),
                 "nativeres hq%s%s%s conv %d/%d (%d -> %d, compute, pass %d/%d)",
                 *extra ? " " : "", extra, tag, li + 1, m->layers, ly->in, ly->out, ++*pass,
                 passes);
        snprintf(w, sizeof(w), gout > 1 ? "%s.w %d *" : "%s.w", c->input, gout);
        snprintf(h, sizeof(h), "%s.h", c->input);
        nr_glsl_pass p = { .hook = c->hook, .desc = desc, .width = w, .height = h,
                           .components = 4, .when = c->when,
                           .save = last ? sub : names[li % 2],
                           .compute_bw = TILE_W * gout, .compute_bh = TILE_H,
                           .compute_tw = TILE_W, .compute_th = TILE_H };
        int nb = 0;
        if (strcmp(c->input, "HOOKED") && (first || last))
            p.binds[nb++] = c->input;
        if (packed)
            p.binds[nb++] = packed;
        p.binds[nb++] = "HOOKED";
        nr_glsl_buf body;
        nr_glsl_buf_init(&body);
        layer_body(&body, m, li, packed, c->input, c->input_hi_lo);
        if (nr_glsl_pass_write_built(b, &p, &body) < 0)
            return -1;
    }
    return 0;
}
