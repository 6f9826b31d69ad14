/*
 * The chroma reconstruction shader writer: an mpv CHROMA hook of five passes
 * that computes what nr_chroma_reconstruct computes (nativeres_chroma.h),
 * guided by whatever LUMA is at that point of the chain (the source luma,
 * a descaled native plane, or a rescaled one: CHROMA hooks run after the
 * LUMA hooks, and //!BIND LUMA reads their result).
 *
 *  pass 1 (chroma size): luma averaged over each chroma sample's footprint
 *          (area coverage, the sample's siting), packed with the sample's
 *          Cb, Cr: (ylow, cb, cr). Values are rounded to the nearest fp16
 *          so a renderer that truncates on store keeps them unbiased. Two
 *          forms, one of which runs (//!WHEN): luma at most 2x chroma per
 *          axis (3x3 texels as four textureGather), and larger luma.
 *  taps ((HOOKED.w + HOOKED.h) x 1, SAVE NR_CHROMA_DU): DU's five taps per
 *          axis (the footprint average of the cubic interpolation, built
 *          from the sizes) for each chroma column and row, once instead of
 *          per sample.
 *  fit (chroma size, SAVE NR_CHROMA_FIT): the 3x3 packed samples around
 *          each sample and the four two away on the axes (13 texelFetch;
 *          25 for the whole 5x5 cost 0.05x the descale more and changed no
 *          figure at 0.01 dB): the slopes of cb, cr on ylow over the
 *          3x3 ([1 2 1]^2), and the back-projection residuals
 *          (c - DU c) - slope (ylow - DU ylow), DU from the taps pass;
 *          (slope cb, slope cr, residual cb, residual cr).
 *  pairs (ceil(LUMA.w / 2) x LUMA.h, SAVE NR_CHROMA_PAIR): per output
 *          pixel, the 4x4 nearest packed samples give the cubic of (ylow,
 *          cb, cr) and the chroma range, one filtered read of the fit the
 *          bilinear slope and residual of the 2x2 nearest samples; the
 *          output is cubic(c) + slope * (Y - cubic(ylow)) + residual,
 *          clamped to the range widened by |slope| times how far Y is
 *          outside the 4x4 ylow range; rounded to fp16 like pass 1
 *          (lavapipe's truncation otherwise biases chroma by -1.6e-4). Two
 *          horizontally adjacent pixels a texel, (cb, cr, cb, cr): their
 *          windows share 4x4 of a 4x5 block (20 texelFetch, not 32).
 *  unpack (luma size, //!OFFSET ALIGN): each pixel's pair from its texel.
 * With the studio operator (p->studio, chroma_operator.h) the taps pass
 * comes first and also writes each chroma column's and row's operator row
 * (weights over guide pixels); where LUMA is smaller than 2x chroma
 * somewhere and larger nowhere (after a descale) pass 1 is that operator
 * (2x2 textureGather blocks, mirrored past the edges) instead of the
 * footprint; DU goes through it too. Elsewhere (//!WHEN) the footprint
 * forms run as without it.
 * Texels are read exactly (gather, texelFetch, texel centres): llvmpipe's
 * bilinear filtering of 8-bit planes has 8-bit weights (a footprint read as
 * 4 bilinear fetches put the output 4.7e-3 off the reference). The one
 * filtered read, of the fit, is of a float texture: exact on llvmpipe, on a
 * GPU with 8-bit weights the slope and residual move by ~1e-4.
 * Positions are computed from the plane sizes and the baked siting, not
 * from the renderer's chroma offset, so vo_gpu and gpu-next agree with the
 * CPU reference.
 */
#include "nativeres.h"
#include "nativeres_chroma.h"

#include "glsl_buf.h"
#include "glsl_pass.h"
#include "kernel_eval.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pass 1, luma at most 2x chroma per axis (4:2:0 at the source or a native
 * size); a pass of its own, chosen by //!WHEN, as llvmpipe pays for the
 * general path's loops even where they never run (49 against 105 ms, one
 * vo-passes run). Texels by textureGather where there is one. */
static const char pass1_fast_body[] =
    "vec4 hook()\n"
    "{\n"
    "    vec2 s = LUMA_size / HOOKED_size;            // luma pixels per chroma pixel\n"
    "    vec2 ij = floor(HOOKED_pos * HOOKED_size);   // this chroma sample\n"
    "    // its footprint on the luma plane: one chroma pixel wide, at its siting\n"
    "    vec2 centre = (ij + 0.5 + NR_SHIFT) * s;\n"
    "    vec2 lo = centre - 0.5 * s, hi = centre + 0.5 * s;\n"
    "    vec2 k0 = floor(lo);\n"
    "    // texels k0 .. k0+2 per axis, covered wx, wy (a fourth, k0+3, never);\n"
    "    // out-of-plane texels repeat the edge ones, as the reference clamps\n"
    "    vec3 kx = k0.x + vec3(0.0, 1.0, 2.0), ky = k0.y + vec3(0.0, 1.0, 2.0);\n"
    "    vec4 wx = vec4(max(min(vec3(hi.x), kx + 1.0) - max(vec3(lo.x), kx), 0.0), 0.0);\n"
    "    vec4 wy = vec4(max(min(vec3(hi.y), ky + 1.0) - max(vec3(lo.y), ky), 0.0), 0.0);\n"
    "#if defined(LUMA_gather)\n"
    "    // four 2x2 gathers (g = (x0 y1, x1 y1, x1 y0, x0 y0)): exact texels\n"
    "    vec2 p0 = (k0 + 1.0) * LUMA_pt, p1 = (k0 + 3.0) * LUMA_pt;\n"
    "    vec4 a = LUMA_gather(p0, 0), b = LUMA_gather(vec2(p1.x, p0.y), 0);\n"
    "    vec4 c = LUMA_gather(vec2(p0.x, p1.y), 0), d = LUMA_gather(p1, 0);\n"
    "    float sum = dot(wy, vec4(dot(wx, vec4(a.w, a.z, b.w, b.z)), dot(wx, vec4(a.x, a.y, b.x, b.y)),\n"
    "                             dot(wx, vec4(c.w, c.z, d.w, d.z)), dot(wx, vec4(c.x, c.y, d.x, d.y))));\n"
    "#else\n"
    "    vec3 px = (clamp(kx, 0.0, LUMA_size.x - 1.0) + 0.5) * LUMA_pt.x;\n"
    "    vec3 py = (clamp(ky, 0.0, LUMA_size.y - 1.0) + 0.5) * LUMA_pt.y;\n"
    "    float sum = 0.0;\n"
    "    for (int j = 0; j < 3; j++)\n"
    "        sum += wy[j] * (wx.x * LUMA_tex(vec2(px.x, py[j])).x + wx.y * LUMA_tex(vec2(px.y, py[j])).x +\n"
    "                        wx.z * LUMA_tex(vec2(px.z, py[j])).x);\n"
    "#endif\n"
    "    vec2 ch = HOOKED_tex((ij + 0.5) * HOOKED_pt).xy;\n"
    "    return vec4(nr_fp16(sum / (s.x * s.y)), nr_fp16(ch.x), nr_fp16(ch.y), 1.0);\n"
    "}\n"
    "\n";

/* coverage of luma pixel k by the footprint [lo, hi) along one axis: the
 * passes that integrate luma over a chroma sample's footprint share it */
#define NR_COVER_FN \
    "// coverage of luma pixel k by the footprint [lo, hi) along one axis\n" \
    "float nr_cover(float lo, float hi, float k)\n" \
    "{\n" \
    "    return max(min(hi, k + 1.0) - max(lo, k), 0.0);\n" \
    "}\n" \
    "\n"

/* pass 1, larger luma (a rescale to a bigger screen): ceil(s) + 1 taps per
 * axis */
static const char pass1_body[] =
    NR_COVER_FN
    "vec4 hook()\n"
    "{\n"
    "    vec2 s = LUMA_size / HOOKED_size;            // luma pixels per chroma pixel\n"
    "    vec2 ij = floor(HOOKED_pos * HOOKED_size);   // this chroma sample\n"
    "    vec2 centre = (ij + 0.5 + NR_SHIFT) * s;\n"
    "    vec2 lo = centre - 0.5 * s, hi = centre + 0.5 * s;\n"
    "    vec2 k0 = floor(lo), n = ceil(s) + 1.0;\n"
    "    float sum = 0.0;\n"
    "    for (int ky = 0; ky < NR_MAX_TAPS; ky++) {\n"
    "        if (float(ky) >= n.y)\n"
    "            break;\n"
    "        float wy = nr_cover(lo.y, hi.y, k0.y + float(ky));\n"
    "        for (int kx = 0; kx < NR_MAX_TAPS; kx++) {\n"
    "            if (float(kx) >= n.x)\n"
    "                break;\n"
    "            vec2 k = clamp(k0 + vec2(float(kx), float(ky)), vec2(0.0), LUMA_size - 1.0);\n"
    "            sum += nr_cover(lo.x, hi.x, k0.x + float(kx)) * wy * LUMA_tex((k + 0.5) * LUMA_pt).x;\n"
    "        }\n"
    "    }\n"
    "    vec2 c = HOOKED_tex((ij + 0.5) * HOOKED_pt).xy;\n"
    "    return vec4(nr_fp16(sum / (s.x * s.y)), nr_fp16(c.x), nr_fp16(c.y), 1.0);\n"
    "}\n"
    "\n";

/* cubic (B = 0, C = NR_CUBIC_C) weights of samples -1 .. 2 for fraction f,
 * shared by the taps pass and the last pass */
static const char cubic_fn[] =
    "// cubic (B = 0, C = NR_CUBIC_C) weights of samples -1 .. 2 for fraction f\n"
    "vec4 nr_cubic(float f)\n"
    "{\n"
    "    vec4 d = abs(f - vec4(-1.0, 0.0, 1.0, 2.0));\n"
    "    const float c = NR_CUBIC_C;\n"
    "    vec4 near = ((2.0 - c) * d - (3.0 - c)) * d * d + 1.0;\n"
    "    vec4 far = ((-c * d + 5.0 * c) * d - 8.0 * c) * d + 4.0 * c;\n"
    "    vec4 w = mix(far, near, lessThan(d, vec4(1.0)));\n"
    "    return w / dot(w, vec4(1.0));\n"
    "}\n"
    "\n";

/* the DU taps pass ((HOOKED.w + HOOKED.h) x 1): DU along one axis, the
 * footprint average of a sample of the cubic interpolation, as taps over
 * samples i-2 .. i+2; texel x < HOOKED.w holds column x's, texel HOOKED.w + y
 * row y's. The fit reads them instead of computing them per sample (that
 * took 4 of the fit's 18 ms in one vo-passes run). Stored: taps 0, 1, 3, 4;
 * tap 2 is 1 less their sum (the footprint's coverages sum to one). */
static const char taps_body[] =
    NR_COVER_FN
    "vec4 hook()\n"
    "{\n"
    "    vec2 s2 = LUMA_size / HOOKED_size;\n"
    "    float x = floor(HOOKED_pos.x * (HOOKED_size.x + HOOKED_size.y));\n"
    "    bool col = x < HOOKED_size.x;\n"
    "    float i = col ? x : x - HOOKED_size.x, s = col ? s2.x : s2.y;\n"
    "    float sh = col ? NR_SHIFT.x : NR_SHIFT.y;\n"
    "    float centre = (i + 0.5 + sh) * s, lo = centre - 0.5 * s, hi = centre + 0.5 * s;\n"
    "    float k0 = floor(lo), n = ceil(s) + 1.0;\n"
    "    // the covered luma pixels' cubic weights, on samples i-2 .. i+1 (a)\n"
    "    // where the pixel lies before sample i, i-1 .. i+2 (b) after it\n"
    "    vec4 a = vec4(0.0), b = vec4(0.0);\n"
    "    for (int m = 0; m < NR_MAX_TAPS; m++) {\n"
    "        if (float(m) >= n)\n"
    "            break;\n"
    "        float k = k0 + float(m), t = (k + 0.5) / s - 0.5 - sh, ik = floor(t);\n"
    "        vec4 w = nr_cover(lo, hi, k) / s * nr_cubic(t - ik);\n"
    "        if (ik < i)\n"
    "            a += w;\n"
    "        else\n"
    "            b += w;\n"
    "    }\n"
    "    return vec4(nr_fp16(a.x), nr_fp16(a.y + b.x), nr_fp16(a.w + b.z), nr_fp16(b.w));\n"
    "}\n"
    "\n";

/* The studio operator's forms (nr_chroma_params.studio; chroma_operator.h):
 * where the guide is smaller than the coded frame (a descaled plane), each
 * coded sample is the footprint average, on the coded grid (2x chroma), of
 * the guide upscaled by the studio kernel (nr_studio_k, mirrored edges),
 * and pass 1 and DU go through that operator. Its rows along an axis
 * (NR_E_TAPS weights from guide pixel nr_e_first on, unmirrored: a read
 * mirrors) are built once per chroma column and row by the taps pass, in
 * the rows after the first of its texture; pass 1 is then two separable passes reading
 * them. */
static const char studio_fns[] =
    "// a guide index mirrored into [0, n) as the studio's upscale model does\n"
    "float nr_mirror(float k, float n)\n"
    "{\n"
    "    return clamp(k < 0.0 ? -k - 1.0 : k >= n ? 2.0 * n - k - 1.0 : k, 0.0, n - 1.0);\n"
    "}\n"
    "\n"
    "// the first guide pixel of sample i's operator row (n guide pixels, c samples)\n"
    "float nr_e_first(float i, float n, float c, float sh)\n"
    "{\n"
    "    if (n < 2.0 * c) {\n"
    "        float m0 = clamp(floor((i + 0.5 + sh) * 2.0 - 1.0), 0.0, 2.0 * c - 1.0);\n"
    "        return floor((m0 + 0.5) * n / (2.0 * c) - float(NR_STUDIO_R) + 0.5);\n"
    "    }\n"
    "    float s = n / c;\n"
    "    return floor((i + 0.5 + sh) * s - 0.5 * s);\n"
    "}\n"
    "\n";

/* the taps pass, studio form ((HOOKED.w + HOOKED.h) x (1 + NR_E_ROWS)):
 * row 0 DU's taps as the footprint form stores them, the next rows the
 * operator row's weights (four to a texel) */
static const char taps_studio_body[] =
    NR_COVER_FN
    "vec4 hook()\n"
    "{\n"
    "    vec2 o = floor(HOOKED_pos * vec2(HOOKED_size.x + HOOKED_size.y, float(1 + NR_E_ROWS)));\n"
    "    bool col = o.x < HOOKED_size.x;\n"
    "    float i = col ? o.x : o.x - HOOKED_size.x;\n"
    "    float n = col ? LUMA_size.x : LUMA_size.y, c = col ? HOOKED_size.x : HOOKED_size.y;\n"
    "    float sh = col ? NR_SHIFT.x : NR_SHIFT.y, s = n / c, full = 2.0 * c;\n"
    "    float w[NR_E_TAPS];\n"
    "    for (int t = 0; t < NR_E_TAPS; t++)\n"
    "        w[t] = 0.0;\n"
    "    float k0 = nr_e_first(i, n, c, sh);\n"
    "    float du[5];\n"
    "    for (int q = 0; q < 5; q++)\n"
    "        du[q] = 0.0;\n"
    "    if (n < full) {\n"
    "        // the sample's footprint on the coded grid, each of its pixels the\n"
    "        // studio's upscale of the guide (2 * NR_STUDIO_R taps, normalised)\n"
    "        float centre = (i + 0.5 + sh) * 2.0, lo = centre - 1.0, m0 = floor(lo);\n"
    "        for (int q = 0; q < 3; q++) {\n"
    "            float wf = nr_cover(lo, lo + 2.0, m0 + float(q)) * 0.5;\n"
    "            float pos = (clamp(m0 + float(q), 0.0, full - 1.0) + 0.5) * n / full;\n"
    "            float kb = floor(pos - float(NR_STUDIO_R) + 0.5), tot = 0.0;\n"
    "            for (int j = 0; j < 2 * NR_STUDIO_R; j++)\n"
    "                tot += nr_studio_k(abs(kb + float(j) + 0.5 - pos));\n"
    "            int t0 = int(kb - k0);\n"
    "            for (int j = 0; j < 2 * NR_STUDIO_R; j++)\n"
    "                if (t0 + j < NR_E_TAPS)\n"
    "                    w[t0 + j] += wf * nr_studio_k(abs(kb + float(j) + 0.5 - pos)) / tot;\n"
    "        }\n"
    "        // DU: the operator applied to the cubic interpolation, taps over\n"
    "        // samples i-2 .. i+2 (what lies further, ~1e-3, counts as the centre)\n"
    "        for (int t = 0; t < NR_E_TAPS; t++) {\n"
    "            float tp = (nr_mirror(k0 + float(t), n) + 0.5) / s - 0.5 - sh, ik = floor(tp);\n"
    "            vec4 cw = w[t] * nr_cubic(tp - ik);\n"
    "            int b = int(ik - i) + 1;\n"
    "            for (int q = 0; q < 4; q++)\n"
    "                if (b + q >= 0 && b + q < 5)\n"
    "                    du[b + q] += cw[q];\n"
    "        }\n"
    "    } else {\n"
    "        // the footprint on the guide: as the footprint form\n"
    "        float centre = (i + 0.5 + sh) * s, lo = centre - 0.5 * s, hi = centre + 0.5 * s;\n"
    "        for (int t = 0; t < NR_E_TAPS; t++)\n"
    "            w[t] = nr_cover(lo, hi, k0 + float(t)) / s;\n"
    "        for (int m = 0; m < NR_MAX_TAPS; m++) {\n"
    "            if (float(m) >= ceil(s) + 1.0)\n"
    "                break;\n"
    "            float k = k0 + float(m), tp = (k + 0.5) / s - 0.5 - sh, ik = floor(tp);\n"
    "            vec4 cw = nr_cover(lo, hi, k) / s * nr_cubic(tp - ik);\n"
    "            int b = int(ik - i) + 1;\n"
    "            for (int q = 0; q < 4; q++)\n"
    "                if (b + q >= 0 && b + q < 5)\n"
    "                    du[b + q] += cw[q];\n"
    "        }\n"
    "    }\n"
    "    if (o.y < 0.5)\n"
    "        return vec4(nr_fp16(du[0]), nr_fp16(du[1]), nr_fp16(du[3]), nr_fp16(du[4]));\n"
    "    vec4 r = vec4(0.0);\n"
    "    int first = 4 * (int(o.y) - 1);\n"
    "    for (int q = 0; q < 4; q++)\n"
    "        if (first + q < NR_E_TAPS)\n"
    "            r[q] = nr_fp16(w[first + q]);\n"
    "    return r;\n"
    "}\n"
    "\n";

/* pass 1, studio form (chroma size): the operator's rows along x and y read
 * from the taps pass, over the NR_E_TAPS^2 guide pixels from (k0x, k0y),
 * mirrored past the edges as the studio's upscale model is. Where there is
 * textureGather, 2x2 blocks: a block wholly past an edge is its mirror
 * image, the block as far inside, swapped; one partly past it (its outer
 * pixel mirrors onto the edge pixel) is what clamp to edge reads. One pass
 * instead of one along x and one along y: llvmpipe 9 ms against 12-15
 * (bilinear, 1080p -> 720p). The weights read back (fp16) are
 * renormalised: flat luma stays exact. */
static const char pass1_studio_body[] =
    "#if defined(LUMA_gather)\n"
    "// guide pixels (b, b + 1) x (b, b + 1), mirrored: (x0y0, x1y0, x0y1, x1y1)\n"
    "vec4 nr_block(vec2 b)\n"
    "{\n"
    "    bvec2 below = lessThan(b, vec2(-1.0)), above = greaterThanEqual(b, LUMA_size);\n"
    "    vec2 m = mix(mix(b, 2.0 * LUMA_size - b - 2.0, above), -b - 2.0, below);\n"
    "    vec4 g = LUMA_gather((m + 1.0) * LUMA_pt, 0);   // (x0y1, x1y1, x1y0, x0y0)\n"
    "    vec4 v = g.wzxy;\n"
    "    if (below.x || above.x)\n"
    "        v = v.yxwz;\n"
    "    if (below.y || above.y)\n"
    "        v = v.zwxy;\n"
    "    return v;\n"
    "}\n"
    "#endif\n"
    "\n"
    "vec4 hook()\n"
    "{\n"
    "    vec2 ij = floor(HOOKED_pos * HOOKED_size);\n"
    "    vec2 k0 = vec2(nr_e_first(ij.x, LUMA_size.x, HOOKED_size.x, NR_SHIFT.x),\n"
    "                   nr_e_first(ij.y, LUMA_size.y, HOOKED_size.y, NR_SHIFT.y));\n"
    "    // the operator rows of this column and this row (four weights a texel)\n"
    "    vec4 wx[NR_E_ROWS], wy[NR_E_ROWS];\n"
    "    vec2 ws = vec2(0.0);\n"
    "    for (int r = 0; r < NR_E_ROWS; r++) {\n"
    "        wx[r] = NR_CHROMA_DU_mul * texelFetch(NR_CHROMA_DU_raw, ivec2(int(ij.x), r + 1), 0);\n"
    "        wy[r] = NR_CHROMA_DU_mul * texelFetch(NR_CHROMA_DU_raw, ivec2(int(HOOKED_size.x + ij.y), r + 1), 0);\n"
    "        ws += vec2(dot(wx[r], vec4(1.0)), dot(wy[r], vec4(1.0)));\n"
    "    }\n"
    "    float sum = 0.0;\n"
    "#if defined(LUMA_gather)\n"
    "    for (int by = 0; by < NR_E_TAPS; by += 2) {\n"
    "        vec2 wyb = vec2(wy[by / 4][by % 4], wy[by / 4][by % 4 + 1]);\n"
    "        for (int bx = 0; bx < NR_E_TAPS; bx += 2) {\n"
    "            vec2 wxb = vec2(wx[bx / 4][bx % 4], wx[bx / 4][bx % 4 + 1]);\n"
    "            sum += dot(nr_block(k0 + vec2(float(bx), float(by))), vec4(wxb * wyb.x, wxb * wyb.y));\n"
    "        }\n"
    "    }\n"
    "#else\n"
    "    for (int ty = 0; ty < NR_E_TAPS; ty++) {\n"
    "        int y = int(nr_mirror(k0.y + float(ty), LUMA_size.y));\n"
    "        float row = 0.0;\n"
    "        for (int tx = 0; tx < NR_E_TAPS; tx++) {\n"
    "            int x = int(nr_mirror(k0.x + float(tx), LUMA_size.x));\n"
    "            row += wx[tx / 4][tx % 4] * texelFetch(LUMA_raw, ivec2(x, y), 0).x;\n"
    "        }\n"
    "        sum += wy[ty / 4][ty % 4] * row;\n"
    "    }\n"
    "#endif\n"
    "    vec2 ch = HOOKED_tex((ij + 0.5) * HOOKED_pt).xy;\n"
    "#if defined(LUMA_gather)\n"
    "    sum /= ws.x * ws.y;\n"
    "#else\n"
    "    sum *= LUMA_mul / (ws.x * ws.y);\n"
    "#endif\n"
    "    return vec4(nr_fp16(sum), nr_fp16(ch.x), nr_fp16(ch.y), 1.0);\n"
    "}\n"
    "\n";

/* the fit pass (chroma size): slopes and back-projection residuals */
static const char fit_body[] =
    "vec4 hook()\n"
    "{\n"
    "    vec2 ij = floor(HOOKED_pos * HOOKED_size);   // this chroma sample\n"
    "    // the 3x3 packed (ylow, cb, cr) around it and the four two away on the\n"
    "    // axes (v[9..12]: x-2, x+2, y-2, y+2), edge samples repeated\n"
    "    vec3 v[13];\n"
    "    ivec2 mx = ivec2(HOOKED_size) - 1, b0 = ivec2(ij);\n"
    "    for (int j = 0; j < 3; j++)\n"
    "        for (int i = 0; i < 3; i++)\n"
    "            v[j * 3 + i] = HOOKED_mul * texelFetch(HOOKED_raw, clamp(b0 + ivec2(i - 1, j - 1), ivec2(0), mx), 0).xyz;\n"
    "    v[9] = HOOKED_mul * texelFetch(HOOKED_raw, clamp(b0 + ivec2(-2, 0), ivec2(0), mx), 0).xyz;\n"
    "    v[10] = HOOKED_mul * texelFetch(HOOKED_raw, clamp(b0 + ivec2(2, 0), ivec2(0), mx), 0).xyz;\n"
    "    v[11] = HOOKED_mul * texelFetch(HOOKED_raw, clamp(b0 + ivec2(0, -2), ivec2(0), mx), 0).xyz;\n"
    "    v[12] = HOOKED_mul * texelFetch(HOOKED_raw, clamp(b0 + ivec2(0, 2), ivec2(0), mx), 0).xyz;\n"
    "    vec3 c0 = v[4];   // sums are of differences to it: fp32 keeps small variances\n"
    "    // the slopes of cb, cr on ylow over the 3x3 around it ([1 2 1] x [1 2 1])\n"
    "    const vec3 tw = vec3(0.25, 0.5, 0.25);\n"
    "    vec3 m1 = vec3(0.0);\n"
    "    vec3 m2 = vec3(0.0);   // (y y, y cb, y cr)\n"
    "    vec2 mc = vec2(0.0);   // (cb cb, cr cr)\n"
    "    for (int j = 0; j < 3; j++)\n"
    "        for (int i = 0; i < 3; i++) {\n"
    "            float w = tw[i] * tw[j];\n"
    "            vec3 d = v[j * 3 + i] - c0;\n"
    "            m1 += w * d;\n"
    "            m2 += w * d.x * d;\n"
    "            mc += w * d.yz * d.yz;\n"
    "        }\n"
    "    float vy = max(m2.x - m1.x * m1.x, 0.0);\n"
    "    vec2 cv = m2.yz - m1.x * m1.yz;\n"
    "    vec2 vc = max(mc - m1.yz * m1.yz, 0.0);\n"
    "    vec2 r2 = clamp((cv * cv / (vy * vc + 1e-12) - NR_CORR_LO) / (NR_CORR_HI - NR_CORR_LO), 0.0, 1.0);\n"
    "    vec2 a = r2 * cv / (vy + NR_EPS);\n"
    "    // back-projection: (c - DU c) - a (ylow - DU ylow) at this sample; DU's\n"
    "    // taps of this column and row from the taps pass (tap 2: 1 less the rest)\n"
    "    vec4 qx = NR_CHROMA_DU_mul * texelFetch(NR_CHROMA_DU_raw, ivec2(b0.x, 0), 0);\n"
    "    vec4 qy = NR_CHROMA_DU_mul * texelFetch(NR_CHROMA_DU_raw, ivec2(mx.x + 1 + b0.y, 0), 0);\n"
    "    vec3 tx = vec3(qx.y, 1.0 - dot(qx, vec4(1.0)), qx.z);\n"
    "    vec3 ty = vec3(qy.y, 1.0 - dot(qy, vec4(1.0)), qy.z);\n"
    "    // DU over a plus: the 3x3 by tx ty, the axis samples two away by their\n"
    "    // axis's outer taps (the rest of the 5x5 weighs ~1e-3 of it), on the\n"
    "    // samples less this one's\n"
    "    vec3 du = qx.x * (v[9] - c0) + qx.w * (v[10] - c0) + qy.x * (v[11] - c0) + qy.w * (v[12] - c0);\n"
    "    for (int j = 0; j < 3; j++)\n"
    "        du += ty[j] * (tx.x * (v[j * 3] - c0) + tx.y * (v[j * 3 + 1] - c0) + tx.z * (v[j * 3 + 2] - c0));\n"
    "    vec2 res = NR_BACKPROJECT * (-du.yz + a * du.x);\n"
    "    return vec4(nr_fp16(a.x), nr_fp16(a.y), nr_fp16(res.x), nr_fp16(res.y));\n"
    "}\n"
    "\n";

/* the last pass, two output pixels to a fragment ((LUMA.w + 1) / 2 x LUMA.h,
 * SAVE NR_CHROMA_PAIR): pixels 2x and 2x + 1 of a row share a 4 x 5 window
 * of samples (luma at least as large as chroma: their windows are at most
 * one column apart), 20 texelFetch for two pixels instead of 32; the unpack
 * pass below brings them to the luma grid. llvmpipe: the last pass 25-32 ms
 * -> 17-22 ms plus 3-5 ms of unpacking (vo-passes, 1080p -> 720p). */
static const char pixel_fn[] =
    "// one output pixel from its 4x4 samples, each channel (ylow, cb, cr) as\n"
    "// the vertical cubic of its four columns (v*) and the columns' ranges over\n"
    "// the four rows (l*, h*); luma y, the fit there, horizontal weights wx\n"
    "vec2 nr_pixel(float y, vec4 wx, vec4 fit, vec4 vy, vec4 vb, vec4 vr,\n"
    "              vec4 ly, vec4 hy, vec4 lb, vec4 hb, vec4 lr, vec4 hr)\n"
    "{\n"
    "    vec3 base = HOOKED_mul * vec3(dot(wx, vy), dot(wx, vb), dot(wx, vr));\n"
    "    vec2 lo = HOOKED_mul * vec2(min(min(lb.x, lb.y), min(lb.z, lb.w)), min(min(lr.x, lr.y), min(lr.z, lr.w)));\n"
    "    vec2 hi = HOOKED_mul * vec2(max(max(hb.x, hb.y), max(hb.z, hb.w)), max(max(hr.x, hr.y), max(hr.z, hr.w)));\n"
    "    // the slopes times the luma detail the cubic of the footprint luma lost,\n"
    "    // plus the residuals; clamped to the 4x4 chroma range, widened where this\n"
    "    // pixel's luma leaves the 4x4 footprint luma's range, by the slope times that\n"
    "    float out_y = max(y - HOOKED_mul * max(max(hy.x, hy.y), max(hy.z, hy.w)),\n"
    "                      HOOKED_mul * min(min(ly.x, ly.y), min(ly.z, ly.w)) - y);\n"
    "    vec2 ext = abs(fit.xy) * max(out_y, 0.0);\n"
    "    return clamp(base.yz + fit.xy * (y - base.x) + fit.zw, lo - ext, hi + ext);\n"
    "}\n"
    "\n";

static const char pair_body[] =
    "vec4 hook()\n"
    "{\n"
    "    vec2 s = LUMA_size / HOOKED_size;\n"
    "    // this texel's pixels pa, pb = pa + (1, 0) on the luma grid (the pass is\n"
    "    // exactly ceil(LUMA.w / 2) wide)\n"
    "    vec2 pa = floor(LUMA_pos * vec2(floor((LUMA_size.x + 1.0) * 0.5), LUMA_size.y)) * vec2(2.0, 1.0);\n"
    "    vec2 pb = pa + vec2(1.0, 0.0);\n"
    "    vec2 ta = (pa + 0.5) / s - 0.5 - NR_SHIFT;   // chroma sample i sits at t = i\n"
    "    vec2 tb = (pb + 0.5) / s - 0.5 - NR_SHIFT;\n"
    "    vec2 ia = floor(ta);\n"
    "    // samples ia-1 .. ia+3 of (ylow, cb, cr) in rows ia-1 .. ia+2: pa's 4x4\n"
    "    // and pb's, one column on where its sample index is. Out-of-plane\n"
    "    // samples repeat the edge ones (clamp to edge). Per channel, each row's\n"
    "    // first four in a vec4 (c*) and its fifth (e*). Raw texels: HOOKED_mul\n"
    "    // (> 0) scales the cubic and the ranges\n"
    "    vec4 wy = nr_cubic(ta.y - ia.y);   // the same row for both pixels\n"
    "    vec4 vy = vec4(0.0), vb = vec4(0.0), vr = vec4(0.0), ve = vec4(0.0);\n"
    "    vec4 ly = vec4(1e30), hy = vec4(-1e30), lb = ly, hb = hy, lr = ly, hr = hy;\n"
    "    vec3 le = vec3(1e30), he = vec3(-1e30);\n"
    "    ivec2 mx = ivec2(HOOKED_size) - 1, b0 = ivec2(ia) - 1;\n"
    "    for (int j = 0; j < 4; j++) {\n"
    "        vec4 cy, cb, cr;\n"
    "        for (int i = 0; i < 4; i++) {\n"
    "            vec3 v = texelFetch(HOOKED_raw, clamp(b0 + ivec2(i, j), ivec2(0), mx), 0).xyz;\n"
    "            cy[i] = v.x;\n"
    "            cb[i] = v.y;\n"
    "            cr[i] = v.z;\n"
    "        }\n"
    "        vec3 e = texelFetch(HOOKED_raw, clamp(b0 + ivec2(4, j), ivec2(0), mx), 0).xyz;\n"
    "        // the columns' vertical cubic and their ranges over the rows\n"
    "        vy += wy[j] * cy;\n"
    "        vb += wy[j] * cb;\n"
    "        vr += wy[j] * cr;\n"
    "        ve.xyz += wy[j] * e;\n"
    "        ly = min(ly, cy);\n"
    "        hy = max(hy, cy);\n"
    "        lb = min(lb, cb);\n"
    "        hb = max(hb, cb);\n"
    "        lr = min(lr, cr);\n"
    "        hr = max(hr, cr);\n"
    "        le = min(le, e);\n"
    "        he = max(he, e);\n"
    "    }\n"
    "    // the fit (slopes, residuals) of the 2x2 nearest samples, bilinear: one\n"
    "    // filtered read of the float fit texture (clamped to edge like the\n"
    "    // samples) instead of four texelFetch; llvmpipe filters float textures\n"
    "    // with float weights, a GPU with its 8-bit ones (the slope ~1e-4 off)\n"
    "    vec4 fa = NR_CHROMA_FIT_tex((ta + 0.5) * NR_CHROMA_FIT_pt);\n"
    "    vec4 fb = NR_CHROMA_FIT_tex((tb + 0.5) * NR_CHROMA_FIT_pt);\n"
    "    float ya = LUMA_mul * texelFetch(LUMA_raw, ivec2(pa), 0).x;\n"
    "    float yb = LUMA_mul * texelFetch(LUMA_raw, ivec2(min(pb, LUMA_size - 1.0)), 0).x;\n"
    "    vec2 ca = nr_pixel(ya, nr_cubic(ta.x - ia.x), fa, vy, vb, vr, ly, hy, lb, hb, lr, hr);\n"
    "    float ib = floor(tb.x);\n"
    "    if (ib > ia.x) {\n"
    "        vy = vec4(vy.yzw, ve.x);\n"
    "        vb = vec4(vb.yzw, ve.y);\n"
    "        vr = vec4(vr.yzw, ve.z);\n"
    "        ly = vec4(ly.yzw, le.x);\n"
    "        hy = vec4(hy.yzw, he.x);\n"
    "        lb = vec4(lb.yzw, le.y);\n"
    "        hb = vec4(hb.yzw, he.y);\n"
    "        lr = vec4(lr.yzw, le.z);\n"
    "        hr = vec4(hr.yzw, he.z);\n"
    "    }\n"
    "    vec2 cb = nr_pixel(yb, nr_cubic(tb.x - ib), fb, vy, vb, vr, ly, hy, lb, hb, lr, hr);\n"
    "    return vec4(nr_fp16(ca.x), nr_fp16(ca.y), nr_fp16(cb.x), nr_fp16(cb.y));\n"
    "}\n"
    "\n";

/* the unpack pass (luma size, //!OFFSET ALIGN): each pixel's (cb, cr) from its
 * pair's texel; with the learned residual it saves NR_CHROMA_BASE with the
 * pixel's luma third (the learned pass then reads one texture: 9 texelFetch,
 * not 18) */
static const char unpack_body[] =
    "vec4 hook()\n"
    "{\n"
    "    ivec2 pix = ivec2(floor(LUMA_pos * LUMA_size));\n"
    "    vec4 v = NR_CHROMA_PAIR_mul * texelFetch(NR_CHROMA_PAIR_raw, ivec2(pix.x / 2, pix.y), 0);\n"
    "    vec2 c = (pix.x & 1) == 0 ? v.xy : v.zw;\n"
    "#if NR_UNPACK_LUMA\n"
    "    return vec4(c, nr_fp16(LUMA_mul * texelFetch(LUMA_raw, pix, 0).x), 1.0);\n"
    "#else\n"
    "    return vec4(c, 0.0, 1.0);\n"
    "#endif\n"
    "}\n"
    "\n";

/* The learned residual's pass (luma size, after the last pass, which then
 * saves NR_CHROMA_BASE: (cb, cr, luma), luma rounded to fp16 like the rest):
 * the 3x3 neighbourhood of luma and of the reconstructed chroma (9
 * texelFetch), neighbour - centre, through the table's MLP with its weights baked in as
 * mat4 constants (4 hidden units x 4 inputs each), plus the chroma. */
static char *learned_body(const nr_chroma_learned *m)
{
    const int nin = NR_CHROMA_LEARNED_TAPS * 3, H = m->hidden;
    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    nr_glsl_printf(&b, "#define NR_LEARNED_CLIP float(%.9g)   // bound on the correction\n\n",
                   m->clip);
    nr_glsl_write_fp16_function(&b);
    nr_glsl_puts(&b,
        "vec4 hook()\n"
        "{\n"
        "    ivec2 pix = ivec2(floor(LUMA_pos * LUMA_size)), mx = ivec2(LUMA_size) - 1;\n"
        "    // (cb, cr, luma) as the last pass wrote them: one read per pixel\n"
        "    vec3 c0 = NR_CHROMA_BASE_mul * texelFetch(NR_CHROMA_BASE_raw, pix, 0).xyz;\n"
        "    float yc = c0.z;\n"
        "    vec2 cc = c0.xy;\n"
        "    // neighbour - centre of (luma, cb, cr), edge pixels repeated\n");
    for (int t = 0; t < NR_CHROMA_LEARNED_TAPS; t++)
        nr_glsl_printf(&b,
            "    vec3 e%d = NR_CHROMA_BASE_mul * texelFetch(NR_CHROMA_BASE_raw, "
            "clamp(pix + ivec2(%d, %d), ivec2(0), mx), 0).xyz;\n"
            "    vec3 d%d = vec3(e%d.z - yc, e%d.xy - cc);\n",
            t, m->dx[t], m->dy[t], t, t, t);
    /* the inputs in the table's order, four to a vec4 */
    nr_glsl_printf(&b, "    vec4 x[%d];\n", nin / 4);
    static const char comp[3] = { 'x', 'y', 'z' };
    for (int i = 0; i < nin; i += 4)
        nr_glsl_printf(&b, "    x[%d] = vec4(d%d.%c, d%d.%c, d%d.%c, d%d.%c);\n", i / 4,
                       i / 3, comp[i % 3], (i + 1) / 3, comp[(i + 1) % 3], (i + 2) / 3,
                       comp[(i + 2) % 3], (i + 3) / 3, comp[(i + 3) % 3]);
    nr_glsl_printf(&b, "    vec2 o = vec2(%.9g, %.9g);\n", m->b2[0], m->b2[1]);
    for (int k = 0; k < H; k += 4) {
        nr_glsl_printf(&b, "    vec4 h%d = vec4(%.9g, %.9g, %.9g, %.9g);\n", k / 4, m->b1[k],
                       m->b1[k + 1], m->b1[k + 2], m->b1[k + 3]);
        for (int i = 0; i < nin; i += 4) {
            /* column j of the mat4: input i+j's weights to units k..k+3 */
            nr_glsl_printf(&b, "    h%d += mat4(", k / 4);
            for (int j = 0; j < 4; j++)
                for (int u = 0; u < 4; u++)
                    nr_glsl_printf(&b, "%.9g%s", m->w1[k + u][i + j], j == 3 && u == 3 ? "" : ", ");
            nr_glsl_printf(&b, ") * x[%d];\n", i / 4);
        }
        nr_glsl_printf(&b, "    h%d = max(h%d, 0.0);\n", k / 4, k / 4);
        nr_glsl_printf(&b, "    o += vec2(dot(vec4(%.9g, %.9g, %.9g, %.9g), h%d), "
                       "dot(vec4(%.9g, %.9g, %.9g, %.9g), h%d));\n",
                       m->w2[0][k], m->w2[0][k + 1], m->w2[0][k + 2], m->w2[0][k + 3], k / 4,
                       m->w2[1][k], m->w2[1][k + 1], m->w2[1][k + 2], m->w2[1][k + 3], k / 4);
    }
    nr_glsl_puts(&b,
        "    vec2 c = cc + clamp(o, -NR_LEARNED_CLIP, NR_LEARNED_CLIP);\n"
        "    return vec4(nr_fp16(c.x), nr_fp16(c.y), 0.0, 1.0);\n"
        "}\n"
        "\n");
    return nr_glsl_buf_take(&b);
}

char *nr_glsl_chroma(const nr_chroma_params *p, const char *file_name, const char *generator,
                     char *err, size_t err_size)
{
    if (!p || p->radius != 2 || !(p->subsample_x >= 1 && p->subsample_x <= 4) ||
        !(p->backproject >= 0 && p->backproject <= 2) ||
        !(p->corr_lo >= 0 && p->corr_hi > p->corr_lo && p->corr_hi <= 1) ||
        !(p->eps > 0 && isfinite(p->eps)) ||
        (p->learned && (p->learned->hidden < 4 || p->learned->hidden > NR_CHROMA_LEARNED_MAX_HIDDEN ||
                        p->learned->hidden % 4))) {
        if (err && err_size)
            snprintf(err, err_size, "chroma shader: unsupported parameters (radius must be 2, "
                     "0 <= corr_lo < corr_hi <= 1, eps > 0, subsampling 1..4, backproject 0..2, "
                     "learned hidden units a multiple of 4)");
        return NULL;
    }
    nr_chroma_grid g;
    nr_chroma_grid_make(p, 2, 2, 1, 1, &g);   /* only the shift is size independent */
    const char *siting = p->siting == NR_CHROMA_LEFT ? "left" : "center";

    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    nr_glsl_printf(&b,
        "// nativeres chroma: 4:2:0 chroma rebuilt on the luma grid, guided by luma\n"
        "//\n"
        "// An mpv user shader (CHROMA hook, five passes). At each chroma sample it fits\n"
        "// chroma as a linear function of luma over the 3x3 samples around it (luma\n"
        "// averaged over each sample's footprint), the slope scaled by how well luma\n"
        "// explains chroma there (squared correlation %.3g -> %.3g); per output pixel it\n"
        "// adds to the cubic interpolation of chroma the luma detail that\n"
        "// interpolation lost, times the slope interpolated between the samples,\n"
        "// and what the footprint average of that prediction misses of each coded\n"
        "// sample (back-projection, gain %.3g), clamped to the chroma range of the\n"
        "// 4x4 samples under the cubic, widened\n"
        "// only where the pixel's luma leaves their luma range, by the slope (no\n"
        "// overshoot that luma does not explain).\n"
        "// The guide is LUMA as the chain has it: after a nativeres descale or rescale\n"
        "// shader, the restored luma; chroma comes out at that plane's size.\n"
        "// Chroma siting: %s (Blu-ray and most video: left). Acts only when chroma is\n"
        "// subsampled.\n"
        "//\n"
        "// Use: copy this file to ~~/shaders/ and add to mpv.conf (after any nativeres\n"
        "// descale/rescale shader):\n"
        "//   glsl-shaders-append=\"~~/shaders/%s\"\n"
        "//\n"
        "// Generated by %s %s (nativeres) -- do not edit; regenerate instead.\n\n",
        p->corr_lo, p->corr_hi, p->backproject, siting, file_name ? file_name : "<this file>",
        generator ? generator : "libnativeres", NR_VERSION_STRING);
    if (p->studio) {
        char kname[64];
        nr_kernel_name(p->studio, kname, sizeof(kname));
        nr_glsl_printf(&b,
            "// Studio operator: %s (blur %.6g). Where LUMA is smaller than the coded\n"
            "// frame (after a nativeres descale to the native size, default window), the\n"
            "// footprint luma and the back-projection go through the operator that made\n"
            "// the coded chroma: the 4:2:0 average of the studio's %s upscale. Only\n"
            "// for 4:2:0 video made with that kernel; elsewhere this is the plain form.\n\n",
            kname, p->studio->blur, kname);
    }
    /* constants baked into each pass (text before the first //!HOOK is not
     * part of any pass) */
    char defs[512];
    snprintf(defs, sizeof(defs),
             "#define NR_SHIFT vec2(%.9g, %.9g)   // chroma siting, chroma pixels\n"
             "#define NR_EPS float(%.9g)\n#define NR_CORR_LO float(%.9g)\n#define NR_CORR_HI float(%.9g)\n"
             "#define NR_CUBIC_C float(%.9g)\n#define NR_BACKPROJECT float(%.9g)\n"
             "#define NR_MAX_TAPS 9   // footprint taps per axis: luma up to 8x chroma\n\n",
             g.shift_x, g.shift_y, p->eps, p->corr_lo, p->corr_hi, NR_CHROMA_CUBIC_C,
             p->backproject);
    /* the studio operator's constants and functions (its forms only) */
    nr_glsl_buf studio;
    nr_glsl_buf_init(&studio);
    if (p->studio) {
        int r = nr_kernel_support(p->studio);
        nr_glsl_printf(&studio, "#define NR_STUDIO_R %d   // the studio kernel's support\n"
                       "#define NR_E_TAPS %d   // operator row: guide pixels per chroma sample\n"
                       "#define NR_E_ROWS %d   // texels of them (four weights each)\n\n",
                       r, 2 * r + 2, (2 * r + 2 + 3) / 4);
        if (r < 1 || r > 4 || nr_glsl_write_kernel_eval(&studio, "nr_studio_k", p->studio) < 0) {
            nr_glsl_buf_free(&studio);
            nr_glsl_buf_free(&b);
            if (err && err_size)
                snprintf(err, err_size, "chroma shader: the studio kernel has no shader form "
                         "(point, or a support over 4)");
            return NULL;
        }
        nr_glsl_puts(&studio, studio_fns);
    }
    char *studio_text = nr_glsl_buf_take(&studio);
    /* pass bodies: footprint form 1-fast, 1-wide, taps, fit, the last pass
     * (pairs) and its unpacking; the studio form adds its taps pass (first)
     * and its pass 1 */
    enum { P_FAST, P_WIDE, P_TAPS, P_FIT, P_PAIR, P_UNPACK, P_STAPS, P_STUDIO, NB };
    const char *bodies[NB] = { pass1_fast_body, pass1_body, taps_body, fit_body, pair_body,
                               unpack_body, taps_studio_body, pass1_studio_body };
    char *texts[NB] = { NULL };
    bool ok = studio_text != NULL;
    for (int i = 0; i < NB && ok; i++) {
        if (i >= P_STAPS && !p->studio)
            break;
        nr_glsl_buf body;
        nr_glsl_buf_init(&body);
        nr_glsl_puts(&body, defs);
        if (i == P_UNPACK)
            nr_glsl_printf(&body, "#define NR_UNPACK_LUMA %d   // the pixel's luma third "
                           "(for the learned pass)\n\n", p->learned ? 1 : 0);
        nr_glsl_write_fp16_function(&body);
        if (i == P_TAPS || i == P_PAIR || i == P_STAPS)
            nr_glsl_puts(&body, cubic_fn);
        if (i == P_PAIR)
            nr_glsl_puts(&body, pixel_fn);
        if (i >= P_STAPS)
            nr_glsl_puts(&body, studio_text);
        nr_glsl_puts(&body, bodies[i]);
        texts[i] = nr_glsl_buf_take(&body);
        ok = ok && texts[i];
    }
    free(studio_text);
    if (!ok) {
        for (int i = 0; i < NB; i++)
            free(texts[i]);
        nr_glsl_buf_free(&b);
        if (err && err_size)
            snprintf(err, err_size, "out of memory");
        return NULL;
    }

    /* pass numbers: pass 1 (one of its forms) and the taps pass (the
     * studio form: taps first), fit, pairs, unpack, learned */
    int np = p->learned ? 6 : 5, first = p->studio ? 2 : 1;
    char desc1[160], descs[160], desct[160], descf[160], descp[200], descu[160];
    snprintf(desc1, sizeof(desc1), "nativeres chroma footprint luma (siting %s, pass %d/%d)",
             siting, first, np);
    snprintf(descs, sizeof(descs), "nativeres chroma studio-operator luma (siting %s, pass 2/%d)",
             siting, np);
    snprintf(desct, sizeof(desct), "nativeres chroma DU taps%s (per chroma column and row, "
             "pass %d/%d)", p->studio ? " and studio-operator rows" : "", 3 - first, np);
    snprintf(descf, sizeof(descf), "nativeres chroma fit (3x3 slopes, back-projection %.3g, "
             "pass 3/%d)", p->backproject, np);
    snprintf(descp, sizeof(descp), "nativeres chroma from luma (cubic + slope x luma detail "
             "+ residual, corr %.3g-%.3g, two pixels a texel, pass 4/%d)", p->corr_lo,
             p->corr_hi, np);
    snprintf(descu, sizeof(descu), "nativeres chroma to the luma grid (pass 5/%d)", np);
    /* chroma subsampled; pass 1 in one of two forms by luma's size (the
     * taps pass, a row of texels, has only the general one); with the
     * studio operator a third, where luma is smaller than the coded frame
     * along an axis (a descaled plane) and nowhere larger */
    const char *when_fast = "LUMA.w HOOKED.w > LUMA.h HOOKED.h > + "
                            "LUMA.w HOOKED.w 2 * > ! * LUMA.h HOOKED.h 2 * > ! *";
    /* (mpv parses at most 32 tokens: luma exactly 2x chroma; luma over
     * chroma somewhere, nowhere over 2x and under 2x somewhere) */
    const char *when_fast_studio = "LUMA.w HOOKED.w 2 * < LUMA.h HOOKED.h 2 * < + "
                                   "LUMA.w HOOKED.w 2 * > + LUMA.h HOOKED.h 2 * > + !";
    const char *when_studio = "LUMA.w HOOKED.w > LUMA.h HOOKED.h > + "
                              "LUMA.w HOOKED.w 2 * > LUMA.h HOOKED.h 2 * > + ! * "
                              "LUMA.w HOOKED.w 2 * < LUMA.h HOOKED.h 2 * < + *";
    const char *when_wide = "LUMA.w HOOKED.w > LUMA.h HOOKED.h > + "
                            "LUMA.w HOOKED.w 2 * > LUMA.h HOOKED.h 2 * > + *";
    const char *when = "LUMA.w HOOKED.w > LUMA.h HOOKED.h > +";
    char taps_h[16];
    snprintf(taps_h, sizeof(taps_h), "%d",
             p->studio ? 1 + (2 * nr_kernel_support(p->studio) + 2 + 3) / 4 : 1);
    nr_glsl_pass taps = { .hook = "CHROMA", .binds = { "HOOKED", "LUMA" }, .save = "NR_CHROMA_DU",
                          .desc = desct, .width = "HOOKED.w HOOKED.h +", .height = taps_h,
                          .components = 4, .when = when,
                          .body = texts[p->studio ? P_STAPS : P_TAPS] };
    nr_glsl_pass pass1[3] = {
        { .hook = "CHROMA", .binds = { "HOOKED", "LUMA" }, .desc = desc1,
          .components = 4, .when = p->studio ? when_fast_studio : when_fast,
          .body = texts[P_FAST] },
        { .hook = "CHROMA", .binds = { "HOOKED", "LUMA" }, .desc = desc1,
          .components = 4, .when = when_wide, .body = texts[P_WIDE] },
        { .hook = "CHROMA", .binds = { "HOOKED", "LUMA", "NR_CHROMA_DU" }, .desc = descs,
          .components = 4, .when = when_studio, .body = texts[P_STUDIO] },
    };
    nr_glsl_pass rest[3] = {
        { .hook = "CHROMA", .binds = { "HOOKED", "LUMA", "NR_CHROMA_DU" }, .save = "NR_CHROMA_FIT",
          .desc = descf, .components = 4, .when = when, .body = texts[P_FIT] },
        /* exactly ceil(LUMA.w / 2) wide: the pass finds its pixels from it */
        { .hook = "CHROMA", .binds = { "HOOKED", "LUMA", "NR_CHROMA_FIT" },
          .save = "NR_CHROMA_PAIR", .desc = descp,
          .width = "LUMA.w 1 + 2 / LUMA.w 1 + 2 % 2 / -", .height = "LUMA.h",
          .components = 4, .when = when, .body = texts[P_PAIR] },
        /* with the learned residual it saves its output, with the pixel's
         * luma, and a sixth pass replaces CHROMA: every pass then sees the
         * hooked chroma at its own size, so the same //!WHEN holds for all
         * (vo_gpu evaluates it per pass) */
        { .hook = "CHROMA", .binds = { "HOOKED", "LUMA", "NR_CHROMA_PAIR" },
          .save = p->learned ? "NR_CHROMA_BASE" : NULL, .desc = descu,
          .width = "LUMA.w", .height = "LUMA.h", .offset = "ALIGN",
          .components = p->learned ? 3 : 2, .when = when, .body = texts[P_UNPACK] },
    };
    if (p->studio)
        nr_glsl_pass_write(&b, &taps);
    for (int i = 0; i < (p->studio ? 3 : 2); i++)
        nr_glsl_pass_write(&b, &pass1[i]);
    if (!p->studio)
        nr_glsl_pass_write(&b, &taps);
    for (int i = 0; i < 3; i++)
        nr_glsl_pass_write(&b, &rest[i]);
    for (int i = 0; i < NB; i++)
        free(texts[i]);
    if (p->learned) {
        char *body = learned_body(p->learned);
        if (!body) {
            nr_glsl_buf_free(&b);
            if (err && err_size)
                snprintf(err, err_size, "out of memory");
            return NULL;
        }
        char descl[160];
        snprintf(descl, sizeof(descl), "nativeres chroma learned residual (%s, 3x3, %d hidden, "
                 "pass 6/6)", p->learned->name, p->learned->hidden);
        nr_glsl_pass pl = { .hook = "CHROMA", .binds = { "HOOKED", "LUMA", "NR_CHROMA_BASE" },
                            .desc = descl, .width = "LUMA.w", .height = "LUMA.h",
                            .offset = "ALIGN", .components = 2, .when = when, .body = body };
        nr_glsl_pass_write(&b, &pl);
        free(body);
    }
    return nr_glsl_buf_finish(&b, err, err_size);
}
