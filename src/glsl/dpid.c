/*
 * The DPID shader writer (nativeres_dpid.h): two passes in mpv's hook
 * format that compute what nr_dpid computes.
 *
 *  pass 1 (output size): the box downscale, each output pixel the
 *          area-weighted average of its footprint; stored as hi + lo (hi
 *          rounded to what fp16 stores, lo the rest) so the 16-bit
 *          intermediate keeps ~22 significant bits: the weights of pass 2
 *          depend on small differences to this guide.
 *  pass 2 (output size): the guide smoothed by [1 2 1]^2 / 16, then the
 *          footprint again, each input pixel weighted by its coverage times
 *          |I - guide|^lambda; the result rounded to the nearest fp16 (some
 *          renderers truncate on store).
 * Sizes are baked; footprint loops have constant bounds (the most pixels any
 * footprint touches, counted at generation time), coverage is computed per
 * tap, so fractional scales are exact. Reads are unfiltered texel fetches,
 * except the guide's smoothing (four bilinear reads).
 */
#include "nativeres.h"
#include "nativeres_dpid.h"

#include "glsl_buf.h"
#include "glsl_pass.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most source pixels one output pixel's footprint [p*src/dst,
 * (p+1)*src/dst) touches on an axis, over every p (exact integers): 2 for
 * 1.5x, where the ceil(scale) + 1 bound says 3, so the loops read 4 texels
 * per output pixel instead of 9. */
static int footprint_taps(int src, int dst)
{
    int most = 1;
    for (int64_t p = 0; p < dst; p++) {
        int64_t first = p * src / dst, end = ((p + 1) * src + dst - 1) / dst;
        if (end - first > most)
            most = (int)(end - first);
    }
    return most;
}

/* Sizes, tap counts and the helpers both passes share. */
static void write_common(nr_glsl_buf *b, const nr_dpid_passes *d)
{
    nr_glsl_printf(b,
        "#define NR_SRC_SIZE vec2(%d.0, %d.0)\n"
        "#define NR_DST_SIZE vec2(%d.0, %d.0)\n"
        "#define NR_TAPS_X %d\n"
        "#define NR_TAPS_Y %d\n"
        "// unfiltered reads: cheaper than a filtered fetch at a texel centre\n"
        "#define NR_SRC(k) (%s_mul * texelFetch(%s_raw, ivec2(k), 0).x)\n\n",
        d->src_w, d->src_h, d->dst_w, d->dst_h, footprint_taps(d->src_w, d->dst_w),
        footprint_taps(d->src_h, d->dst_h),
        d->src, d->src);
    nr_glsl_write_fp16_function(b);
    nr_glsl_puts(b,
        "// output pixel (from the normalised position and the baked size) and its\n"
        "// footprint [p*s, (p+1)*s) on the source\n"
        "vec2 nr_out_pixel()\n"
        "{\n"
        "    return clamp(floor(HOOKED_pos * NR_DST_SIZE), vec2(0.0), NR_DST_SIZE - 1.0);\n"
        "}\n\n"
        "// p * src / dst with p * src exact in float: floor() of it is the true first\n"
        "// pixel (a rational off an integer by >= 1/dst, far above the rounding),\n"
        "// which the baked tap counts rely on\n"
        "vec2 nr_footprint_start(vec2 p)\n"
        "{\n"
        "    return (p * NR_SRC_SIZE) / NR_DST_SIZE;\n"
        "}\n\n");
}

static const char guide_body[] =
    "vec4 hook()\n"
    "{\n"
    "    vec2 p = nr_out_pixel(), s = NR_SRC_SIZE / NR_DST_SIZE;\n"
    "    vec2 lo = nr_footprint_start(p), hi = lo + s, k0 = floor(lo);\n"
    "    float sum = 0.0;\n"
    "    for (int ty = 0; ty < NR_TAPS_Y; ty++) {\n"
    "        float cy = max(min(hi.y, k0.y + float(ty) + 1.0) - max(lo.y, k0.y + float(ty)), 0.0);\n"
    "        for (int tx = 0; tx < NR_TAPS_X; tx++) {\n"
    "            float cx = max(min(hi.x, k0.x + float(tx) + 1.0) - max(lo.x, k0.x + float(tx)), 0.0);\n"
    "            vec2 k = clamp(k0 + vec2(float(tx), float(ty)), vec2(0.0), NR_SRC_SIZE - 1.0);\n"
    "            sum += cx * cy * NR_SRC(k);\n"
    "        }\n"
    "    }\n"
    "    float v = sum / (s.x * s.y);\n"
    "    float h = nr_fp16(v);\n"
    "    return vec4(h, v - h, 0.0, 1.0);   // hi + lo: pass 2 adds them back\n"
    "}\n\n";

static const char dpid_body[] =
    "float nr_guide(vec2 q)\n"
    "{\n"
    "    q = clamp(q, vec2(0.0), NR_DST_SIZE - 1.0);\n"
    "    vec2 t = texelFetch(NR_GUIDE_raw, ivec2(q), 0).xy;\n"
    "    return t.x + t.y;\n"
    "}\n"
    "\n"
    "vec4 hook()\n"
    "{\n"
    "    vec2 p = nr_out_pixel();\n"
    "    // the guide: box downscale smoothed by [1 2 1]^2 / 16\n"
    "    // [1 2 1]^2 / 16 is the mean of four bilinear reads half a texel off\n"
    "    // the centre (weights exactly 1/2 on every GPU; the edge clamp repeats\n"
    "    // the border as the reference does); hi and lo filter separately\n"
    "    vec2 c = (p + 0.5) * NR_GUIDE_pt;\n"
    "    vec2 h = 0.5 * NR_GUIDE_pt;\n"
    "    vec2 t = NR_GUIDE_tex(c + vec2(-h.x, -h.y)).xy + NR_GUIDE_tex(c + vec2(h.x, -h.y)).xy\n"
    "           + NR_GUIDE_tex(c + vec2(-h.x, h.y)).xy + NR_GUIDE_tex(c + vec2(h.x, h.y)).xy;\n"
    "    float g = 0.25 * (t.x + t.y);\n"
    "    vec2 s = NR_SRC_SIZE / NR_DST_SIZE;\n"
    "    vec2 lo = nr_footprint_start(p), hi = lo + s, k0 = floor(lo);\n"
    "    float sum_w = 0.0, sum_wi = 0.0;\n"
    "    for (int ty = 0; ty < NR_TAPS_Y; ty++) {\n"
    "        float cy = max(min(hi.y, k0.y + float(ty) + 1.0) - max(lo.y, k0.y + float(ty)), 0.0);\n"
    "        for (int tx = 0; tx < NR_TAPS_X; tx++) {\n"
    "            float cx = max(min(hi.x, k0.x + float(tx) + 1.0) - max(lo.x, k0.x + float(tx)), 0.0);\n"
    "            vec2 k = clamp(k0 + vec2(float(tx), float(ty)), vec2(0.0), NR_SRC_SIZE - 1.0);\n"
    "            float v = NR_SRC(k);\n"
    "            float w = cx * cy * NR_WEIGHT(abs(v - g));\n"
    "            sum_w += w;\n"
    "            sum_wi += w * v;\n"
    "        }\n"
    "    }\n"
    "    // a flat footprint (every weight 0): the box average\n"
    "    float v = sum_w > 0.0 ? sum_wi / sum_w : nr_guide(p);\n"
    "    return vec4(nr_fp16(v), 0.0, 0.0, 1.0);\n"
    "}\n\n";

static void set_err(char *err, size_t err_size, const char *msg)
{
    if (err && err_size)
        snprintf(err, err_size, "%s", msg);
}

int nr_glsl_dpid_write_passes(struct nr_glsl_buf *b, const nr_dpid_passes *d,
                              char *err, size_t err_size)
{
    if (!b || !d || !d->hook || !d->src || !d->guide_name) {
        set_err(err, err_size, "dpid: hook, src and guide_name are required");
        return -1;
    }
    if (d->src_w < 1 || d->src_h < 1 || d->dst_w < 1 || d->dst_h < 1 || d->src_w > 65536 ||
        d->src_h > 65536 || d->dst_w > d->src_w || d->dst_h > d->src_h) {
        set_err(err, err_size, "dpid: the output must be 1x1 .. the source size (a downscale)");
        return -1;
    }
    if ((double)d->src_w / d->dst_w > 16 || (double)d->src_h / d->dst_h > 16) {
        set_err(err, err_size, "dpid: at most a 16x downscale per axis in one shader");
        return -1;
    }
    if (!(d->lambda >= 0 && d->lambda <= 16)) {
        set_err(err, err_size, "dpid: lambda must be in [0, 16]");
        return -1;
    }
    char w[16], h[16], desc1[256], desc2[256], weight[96];
    snprintf(w, sizeof(w), "%d", d->dst_w);
    snprintf(h, sizeof(h), "%d", d->dst_h);
    snprintf(desc1, sizeof(desc1), "nativeres dpid guide %dx%d <- %dx%d (box, pass 1/2)",
             d->dst_w, d->dst_h, d->src_w, d->src_h);
    snprintf(desc2, sizeof(desc2), "nativeres dpid %dx%d <- %dx%d lambda=%.6g (pass 2/2)",
             d->dst_w, d->dst_h, d->src_w, d->src_h, d->lambda);
    if (d->lambda == 0)
        snprintf(weight, sizeof(weight), "#define NR_WEIGHT(d) 1.0   // lambda 0: box\n");
    else if (d->lambda == 1)
        snprintf(weight, sizeof(weight), "#define NR_WEIGHT(d) (d)   // lambda 1\n");
    else if (d->lambda == 0.5)   /* the default: sqrt is cheaper than pow */
        snprintf(weight, sizeof(weight), "#define NR_WEIGHT(d) sqrt(d)   // lambda 0.5\n");
    else if (d->lambda == 2)
        snprintf(weight, sizeof(weight), "#define NR_WEIGHT(d) ((d) * (d))   // lambda 2\n");
    else {
        char lit[40];   /* a GLSL float literal: never a bare integer */
        snprintf(lit, sizeof(lit), "%.9g", d->lambda);
        if (!strpbrk(lit, ".e"))
            strcat(lit, ".0");
        snprintf(weight, sizeof(weight),
                 "#define NR_WEIGHT(d) ((d) > 0.0 ? pow((d), %s) : 0.0)   // d^lambda\n", lit);
    }

    nr_glsl_buf body1, body2;
    nr_glsl_buf_init(&body1);
    nr_glsl_buf_init(&body2);
    write_common(&body1, d);
    nr_glsl_puts(&body1, guide_body);
    write_common(&body2, d);
    nr_glsl_printf(&body2, "#define NR_GUIDE_raw %s_raw\n#define NR_GUIDE_tex %s_tex\n"
                   "#define NR_GUIDE_pt %s_pt\n%s\n",
                   d->guide_name, d->guide_name, d->guide_name, weight);
    nr_glsl_puts(&body2, dpid_body);
    char *t1 = nr_glsl_buf_take(&body1), *t2 = nr_glsl_buf_take(&body2);
    if (!t1 || !t2) {
        free(t1);
        free(t2);
        set_err(err, err_size, "out of memory");
        return -1;
    }
    bool from_hooked = !strcmp(d->src, "HOOKED");
    nr_glsl_pass p1 = {
        .hook = d->hook, .binds = { "HOOKED", from_hooked ? NULL : d->src },
        .save = d->guide_name, .desc = desc1, .width = w, .height = h, .components = 2,
        .when = d->when, .body = t1,
    };
    nr_glsl_pass p2 = {
        .hook = d->hook, .binds = { "HOOKED", d->guide_name, from_hooked ? NULL : d->src },
        .save = d->save, .desc = desc2, .width = w, .height = h, .components = 1,
        .when = d->when, .body = t2,
    };
    if (!from_hooked) {   /* keep the bind list NULL-terminated without gaps */
        p2.binds[1] = d->src;
        p2.binds[2] = d->guide_name;
    }
    nr_glsl_pass_write(b, &p1);
    nr_glsl_pass_write(b, &p2);
    free(t1);
    free(t2);
    return 0;
}

char *nr_glsl_dpid(int src_w, int src_h, int dst_w, int dst_h, double lambda,
                   const char *file_name, const char *generator,
                   char *err, size_t err_size)
{
    char when[96], guide[64];
    snprintf(when, sizeof(when), "HOOKED.w %d == HOOKED.h %d == *", src_w, src_h);
    snprintf(guide, sizeof(guide), "NATIVERES_DPID_GUIDE_%dx%d", dst_w, dst_h);
    nr_dpid_passes d = {
        .hook = "LUMA", .src = "HOOKED", .src_w = src_w, .src_h = src_h,
        .dst_w = dst_w, .dst_h = dst_h, .lambda = lambda, .guide_name = guide, .when = when,
    };
    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    nr_glsl_printf(&b,
        "// nativeres dpid: %dx%d -> %dx%d luma, lambda %.6g\n"
        "//\n"
        "// An mpv user shader (LUMA hook): detail-preserving downscaling (DPID, Weber et\n"
        "// al. 2016). Each output pixel averages its footprint on the source, weighting\n"
        "// every source pixel by its coverage times |pixel - guide|^lambda, the guide\n"
        "// being the box downscale smoothed by [1 2 1]^2/16: pixels that stand out\n"
        "// (thin lines, small text, highlights) keep their weight instead of being\n"
        "// averaged away. lambda 0 = a plain box (area) downscale.\n"
        "// Acts only on %dx%d video; mpv then scales chroma to the new luma size and the\n"
        "// main scaler takes the picture to the screen.\n"
        "//\n"
        "// Use: copy this file to ~~/shaders/ and add to mpv.conf:\n"
        "//   glsl-shaders-append=\"~~/shaders/%s\"\n"
        "//\n"
        "// Generated by %s %s (nativeres) -- do not edit; regenerate instead.\n\n",
        src_w, src_h, dst_w, dst_h, lambda, src_w, src_h,
        file_name ? file_name : "<this file>", generator ? generator : "libnativeres",
        NR_VERSION_STRING);
    if (nr_glsl_dpid_write_passes(&b, &d, err, err_size) < 0) {
        nr_glsl_buf_free(&b);
        return NULL;
    }
    return nr_glsl_buf_finish(&b, err, err_size);
}
