/*
 * The chroma reconstruction shader writer: an mpv CHROMA hook of two passes
 * that computes what nr_chroma_reconstruct computes (nativeres_chroma.h),
 * guided by whatever LUMA is at that point of the chain (the source luma,
 * a descaled native plane, or a rescaled one: CHROMA hooks run after the
 * LUMA hooks, and //!BIND LUMA reads their result).
 *
 *  pass 1 (chroma size): luma averaged over each chroma sample's footprint
 *          (area coverage, the sample's siting), packed with the sample's
 *          Cb, Cr: (ylow, cb, cr). Values are rounded to the nearest fp16
 *          so a renderer that truncates on store keeps them unbiased.
 *  pass 2 (luma size, //!OFFSET ALIGN): per output pixel, the 6x6 nearest
 *          packed samples give spline36 of (ylow, cb, cr); the middle 4x4
 *          give tent-weighted moments, the slope cov / (var_y + eps) and the
 *          squared correlation r2; the output is spline36(c) + r2' * slope *
 *          (Y - spline36(ylow)), clamped to the 4x4 window's chroma range;
 *          rounded to fp16 like pass 1 (lavapipe's truncation otherwise
 *          biases chroma by -1.6e-4).
 * Positions are computed from the plane sizes and the baked siting, not
 * from the renderer's chroma offset, so vo_gpu and gpu-next agree with the
 * CPU reference.
 */
#include "nativeres.h"
#include "nativeres_chroma.h"

#include "glsl_buf.h"
#include "glsl_pass.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char pass1_body[] =
    "// coverage of luma pixel k0 + t by the footprint [lo, hi) along one axis\n"
    "float nr_cover(float lo, float hi, float k)\n"
    "{\n"
    "    return max(min(hi, k + 1.0) - max(lo, k), 0.0);\n"
    "}\n"
    "\n"
    "vec4 hook()\n"
    "{\n"
    "    vec2 s = LUMA_size / HOOKED_size;            // luma pixels per chroma pixel\n"
    "    vec2 ij = floor(HOOKED_pos * HOOKED_size);   // this chroma sample\n"
    "    // its footprint on the luma plane: one chroma pixel wide, at its siting\n"
    "    vec2 centre = (ij + 0.5 + NR_SHIFT) * s;\n"
    "    vec2 lo = centre - 0.5 * s, hi = centre + 0.5 * s;\n"
    "    vec2 k0 = floor(lo);\n"
    "    float sum = 0.0;\n"
    "    if (s.x <= 2.0 && s.y <= 2.0) {\n"
    "        // luma at most 2x chroma (4:2:0 at source or native size): 3x3 taps,\n"
    "        // constant bounds so the loops unroll; coverages and texel centres\n"
    "        // once per column and row, rows summed first (the weights separate)\n"
    "        vec3 kx = k0.x + vec3(0.0, 1.0, 2.0), ky = k0.y + vec3(0.0, 1.0, 2.0);\n"
    "        vec3 wx = max(min(vec3(hi.x), kx + 1.0) - max(vec3(lo.x), kx), 0.0);\n"
    "        vec3 wy = max(min(vec3(hi.y), ky + 1.0) - max(vec3(lo.y), ky), 0.0);\n"
    "        vec3 px = (clamp(kx, 0.0, LUMA_size.x - 1.0) + 0.5) * LUMA_pt.x;\n"
    "        vec3 py = (clamp(ky, 0.0, LUMA_size.y - 1.0) + 0.5) * LUMA_pt.y;\n"
    "        for (int j = 0; j < 3; j++) {\n"
    "            float r = 0.0;\n"
    "            for (int i = 0; i < 3; i++)\n"
    "                r += wx[i] * LUMA_tex(vec2(px[i], py[j])).x;\n"
    "            sum += wy[j] * r;\n"
    "        }\n"
    "    } else {\n"
    "        // larger luma (a rescale to a bigger screen): ceil(s) + 1 taps per axis\n"
    "        vec2 n = ceil(s) + 1.0;\n"
    "        for (int ky = 0; ky < NR_MAX_TAPS; ky++) {\n"
    "            if (float(ky) >= n.y)\n"
    "                break;\n"
    "            float wy = nr_cover(lo.y, hi.y, k0.y + float(ky));\n"
    "            for (int kx = 0; kx < NR_MAX_TAPS; kx++) {\n"
    "                if (float(kx) >= n.x)\n"
    "                    break;\n"
    "                vec2 k = clamp(k0 + vec2(float(kx), float(ky)), vec2(0.0), LUMA_size - 1.0);\n"
    "                sum += nr_cover(lo.x, hi.x, k0.x + float(kx)) * wy * LUMA_tex((k + 0.5) * LUMA_pt).x;\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "    vec2 c = HOOKED_tex((ij + 0.5) * HOOKED_pt).xy;\n"
    "    return vec4(nr_fp16(sum / (s.x * s.y)), nr_fp16(c.x), nr_fp16(c.y), 1.0);\n"
    "}\n"
    "\n";

static const char pass2_body[] =
    "// spline36 weights of samples -2 .. 3 for fraction f (normalised)\n"
    "float nr_s36a(float x) { return ((13.0 / 11.0 * x - 453.0 / 209.0) * x - 3.0 / 209.0) * x + 1.0; }\n"
    "float nr_s36b(float x) { return ((-6.0 / 11.0 * x + 270.0 / 209.0) * x - 156.0 / 209.0) * x; }\n"
    "float nr_s36c(float x) { return ((1.0 / 11.0 * x - 45.0 / 209.0) * x + 26.0 / 209.0) * x; }\n"
    "void nr_spline36(float f, out float w[6])\n"
    "{\n"
    "    float g = 1.0 - f;\n"
    "    w[0] = nr_s36c(f); w[1] = nr_s36b(f); w[2] = nr_s36a(f);\n"
    "    w[3] = nr_s36a(g); w[4] = nr_s36b(g); w[5] = nr_s36c(g);\n"
    "    float s = w[0] + w[1] + w[2] + w[3] + w[4] + w[5];\n"
    "    for (int k = 0; k < 6; k++)\n"
    "        w[k] /= s;\n"
    "}\n"
    "\n"
    "vec4 hook()\n"
    "{\n"
    "    vec2 s = LUMA_size / HOOKED_size;\n"
    "    vec2 pix = floor(LUMA_pos * LUMA_size);      // output pixel, luma grid\n"
    "    vec2 t = (pix + 0.5) / s - 0.5 - NR_SHIFT;   // chroma sample i sits at t = i\n"
    "    vec2 i0 = floor(t), f = t - i0;\n"
    "    // samples i0-2 .. i0+3: spline36 over all six, the fit's tent weights\n"
    "    // (radius 2 chroma pixels) over the middle four\n"
    "    float sx[6], sy[6];\n"
    "    nr_spline36(f.x, sx);\n"
    "    nr_spline36(f.y, sy);\n"
    "    vec4 tx = max(1.0 - abs(f.x - vec4(-1.0, 0.0, 1.0, 2.0)) * 0.5, 0.0);\n"
    "    vec4 ty = max(1.0 - abs(f.y - vec4(-1.0, 0.0, 1.0, 2.0)) * 0.5, 0.0);\n"
    "    // texels of the 6 columns and rows (clamped to the plane), read unfiltered:\n"
    "    // HOOKED here is pass 1's output, always a plain 2D texture\n"
    "    int px[6], py[6];\n"
    "    for (int k = 0; k < 6; k++) {\n"
    "        px[k] = int(clamp(i0.x + float(k - 2), 0.0, HOOKED_size.x - 1.0));\n"
    "        py[k] = int(clamp(i0.y + float(k - 2), 0.0, HOOKED_size.y - 1.0));\n"
    "    }\n"
    "    // tent-weighted moments (sums of y, c, y*y, y*c, c*c) taken about the\n"
    "    // nearest sample so that fp32 keeps the small variances; the weights\n"
    "    // separate, so each row is summed first, then the rows\n"
    "    vec3 ref = HOOKED_mul * texelFetch(HOOKED_raw, ivec2(px[2], py[2]), 0).xyz;\n"
    "    float s0 = dot(tx, vec4(1.0)) * dot(ty, vec4(1.0)), syy = 0.0;\n"
    "    vec3 sm = vec3(0.0), vmin = vec3(1e30), vmax = vec3(-1e30), base = vec3(0.0);\n"
    "    vec2 syc = vec2(0.0), scc = vec2(0.0);\n"
    "    for (int j = 0; j < 6; j++) {\n"
    "        float ryy = 0.0;\n"
    "        vec3 rm = vec3(0.0), rb = vec3(0.0);\n"
    "        vec2 ryc = vec2(0.0), rcc = vec2(0.0);\n"
    "        for (int i = 0; i < 6; i++) {\n"
    "            vec3 v = HOOKED_mul * texelFetch(HOOKED_raw, ivec2(px[i], py[j]), 0).xyz;   // (ylow, cb, cr)\n"
    "            rb += sx[i] * v;\n"
    "            if (i >= 1 && i <= 4 && j >= 1 && j <= 4) {\n"
    "                vec3 x = v - ref, wx = tx[i - 1] * x;\n"
    "                rm += wx;\n"
    "                ryy += wx.x * x.x;\n"
    "                ryc += wx.x * x.yz;\n"
    "                rcc += wx.yz * x.yz;\n"
    "                vmin = min(vmin, v);\n"
    "                vmax = max(vmax, v);\n"
    "            }\n"
    "        }\n"
    "        base += sy[j] * rb;\n"
    "        if (j >= 1 && j <= 4) {\n"
    "            float w = ty[j - 1];\n"
    "            sm += w * rm;\n"
    "            syy += w * ryy;\n"
    "            syc += w * ryc;\n"
    "            scc += w * rcc;\n"
    "        }\n"
    "    }\n"
    "    vec3 mean = sm / s0;   // about ref\n"
    "    float vy = max(syy / s0 - mean.x * mean.x, 0.0);\n"
    "    vec2 cov = syc / s0 - mean.x * mean.yz;\n"
    "    vec2 vc = max(scc / s0 - mean.yz * mean.yz, 0.0);\n"
    "    vec2 r2 = cov * cov / (vy * vc + 1e-12);\n"
    "    vec2 alpha = clamp((r2 - NR_CORR_LO) / (NR_CORR_HI - NR_CORR_LO), 0.0, 1.0);\n"
    "    // spline36 chroma plus the luma detail spline36 lost, through the slope\n"
    "    float y = LUMA_tex((pix + 0.5) * LUMA_pt).x;\n"
    "    vec2 c = base.yz + alpha * cov / (vy + NR_EPS) * (y - base.x);\n"
    "    c = clamp(c, vmin.yz, vmax.yz);\n"
    "    return vec4(nr_fp16(c.x), nr_fp16(c.y), 0.0, 1.0);\n"
    "}\n"
    "\n";

char *nr_glsl_chroma(const nr_chroma_params *p, const char *file_name, const char *generator,
                     char *err, size_t err_size)
{
    if (!p || p->radius != 2 || !(p->subsample_x >= 1 && p->subsample_x <= 4) ||
        !(p->corr_lo >= 0 && p->corr_hi > p->corr_lo && p->corr_hi <= 1) ||
        !(p->eps > 0 && isfinite(p->eps))) {
        if (err && err_size)
            snprintf(err, err_size, "chroma shader: unsupported parameters (radius must be 2, "
                     "0 <= corr_lo < corr_hi <= 1, eps > 0, subsampling 1..4)");
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
        "// An mpv user shader (CHROMA hook). Per output pixel it fits chroma as a linear\n"
        "// function of luma over the 4x4 nearest chroma samples (luma averaged over each\n"
        "// sample's footprint) and adds to spline36-interpolated chroma the luma detail\n"
        "// that interpolation lost, times the slope, scaled by how well luma explains\n"
        "// chroma there (squared correlation %.3g -> %.3g); the result stays inside the\n"
        "// chroma range of those samples (no overshoot, no colour that is not there).\n"
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
        p->corr_lo, p->corr_hi, siting, file_name ? file_name : "<this file>",
        generator ? generator : "libnativeres", NR_VERSION_STRING);
    /* constants baked into each pass (text before the first //!HOOK is not
     * part of any pass) */
    char defs[512];
    snprintf(defs, sizeof(defs),
             "#define NR_SHIFT vec2(%.9g, %.9g)   // chroma siting, chroma pixels\n"
             "#define NR_EPS float(%.9g)\n#define NR_CORR_LO float(%.9g)\n#define NR_CORR_HI float(%.9g)\n"
             "#define NR_MAX_TAPS 9   // footprint taps per axis: luma up to 8x chroma\n\n",
             g.shift_x, g.shift_y, p->eps, p->corr_lo, p->corr_hi);
    nr_glsl_buf body1, body2;
    nr_glsl_buf_init(&body1);
    nr_glsl_buf_init(&body2);
    nr_glsl_puts(&body1, defs);
    nr_glsl_write_fp16_function(&body1);
    nr_glsl_puts(&body1, pass1_body);
    nr_glsl_puts(&body2, defs);
    nr_glsl_write_fp16_function(&body2);
    nr_glsl_puts(&body2, pass2_body);
    char *text1 = nr_glsl_buf_take(&body1), *text2 = nr_glsl_buf_take(&body2);
    if (!text1 || !text2) {
        free(text1);
        free(text2);
        nr_glsl_buf_free(&b);
        if (err && err_size)
            snprintf(err, err_size, "out of memory");
        return NULL;
    }

    char desc1[160], desc2[200];
    snprintf(desc1, sizeof(desc1), "nativeres chroma footprint luma (siting %s, pass 1/2)", siting);
    snprintf(desc2, sizeof(desc2), "nativeres chroma from luma (4x4 fit on spline36, corr %.3g-%.3g, pass 2/2)",
             p->corr_lo, p->corr_hi);
    nr_glsl_pass p1 = {
        .hook = "CHROMA", .binds = { "HOOKED", "LUMA" }, .desc = desc1,
        .components = 4, .when = "LUMA.w HOOKED.w > LUMA.h HOOKED.h > +",
        .body = text1,
    };
    nr_glsl_pass p2 = {
        .hook = "CHROMA", .binds = { "HOOKED", "LUMA" }, .desc = desc2,
        .width = "LUMA.w", .height = "LUMA.h", .offset = "ALIGN", .components = 2,
        .when = "LUMA.w HOOKED.w > LUMA.h HOOKED.h > +",
        .body = text2,
    };
    nr_glsl_pass_write(&b, &p1);
    nr_glsl_pass_write(&b, &p2);
    free(text1);
    free(text2);
    return nr_glsl_buf_finish(&b, err, err_size);
}
