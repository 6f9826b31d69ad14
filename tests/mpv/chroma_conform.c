/*
 * nr-mpv-chroma: the generated chroma shader in real renderers (vo_gpu
 * through nr-mpv-host, gpu-next through ffmpeg's libplacebo filter) against
 * the CPU reference nr_chroma_reconstruct.
 *
 * A synthetic colour frame (synth_color) becomes 8-bit 4:2:0 Y4M (BT.709
 * full range, left chroma siting, chroma averaged over each sample's
 * footprint), rendered at its own size, read back as float RGB. The CPU
 * reference reconstructs chroma from the same 8-bit planes and converts to
 * RGB with the same matrix (clipped to [0,1] like the renderers); the
 * comparison is over the three RGB channels.
 *
 * A good render passes the checks of conform.h (exit 0, no shader problem
 * in the logs, every //!DESC run, and the render without the shader, mpv's
 * own cscale, out of the bounds).
 *
 * Usage: nr-mpv-chroma --renderer vo_gpu|gpu-next [--host nr-mpv-host]
 *   --shader S.glsl --workdir D [--name N] [--seed K] [--size WxH]
 *   [--learned] [--max M] [--mean M] [--mpv-opt k=v]...   (exit 0 pass, 1 fail, 2 usage)
 *   [--descale D.glsl --native WxH --kernel K]: the chain's case, the frame's
 *   luma descaled to WxH by D (a nativeres-gen descale shader with kernel K,
 *   put before S in one file, as the plugin does), S generated with
 *   --kernel K (the studio operator); the reference's luma is the CPU model
 *   of D's two passes (nr_weights_apply of its tables), chroma
 *   nr_chroma_reconstruct with studio = K at WxH.
 * Prints "RESULT <renderer> <name> max=... mean=..." lines.
 */
#include "conform.h"
#include "image_io.h"

#include "chroma_frames.h"
#include "nativeres.h"
#include "nativeres_chroma.h"
#include "nativeres_glsl.h"
#include "synth_color.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define CHROMA_GAIN (255.0 / 254)

typedef struct args {
    bool learned;   /* --learned: the reference adds the built-in learned residual */
    unsigned seed;
    int w, h;
    const char *descale, *kernel;   /* --descale, --kernel: the native chain */
    int nw, nh;                     /* --native */
} args;

static int own_flag(void *ctx, const nr_conform *c, const char *f, const char *v)
{
    args *a = ctx;
    if (!strcmp(f, "--learned")) {
        a->learned = true;
        return 1;
    }
    if (strcmp(f, "--seed") && strcmp(f, "--size") && strcmp(f, "--descale") &&
        strcmp(f, "--native") && strcmp(f, "--kernel"))
        return 0;
    if (!v)
        nr_conform_usage(c, "missing value", f);
    if (!strcmp(f, "--descale"))
        a->descale = v;
    else if (!strcmp(f, "--kernel"))
        a->kernel = v;
    else if (!strcmp(f, "--native")) {
        if (sscanf(v, "%dx%d", &a->nw, &a->nh) != 2 || a->nw < 16 || a->nh < 16)
            nr_conform_usage(c, "--native WxH", v);
    } else if (!strcmp(f, "--seed"))
        a->seed = (unsigned)atoi(v);
    else if (sscanf(v, "%dx%d", &a->w, &a->h) != 2 || a->w < 16 || a->h < 16 ||
             a->w > 4096 || a->h > 4096 || (a->w | a->h) & 1)
        nr_conform_usage(c, "--size WxH: even, 16..4096", v);
    return 2;
}

static bool write_y4m420(const char *path, const float *y, const float *cb, const float *cr,
                         int w, int h)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    /* C420mpeg2: left chroma siting; full range so nothing rescales levels */
    fprintf(f, "YUV4MPEG2 W%d H%d F25:1 Ip A1:1 C420mpeg2 XCOLORRANGE=FULL\nFRAME\n", w, h);
    const float *planes[3] = { y, cb, cr };
    for (int p = 0; p < 3; p++) {
        size_t n = p ? (size_t)(w / 2) * (h / 2) : (size_t)w * h;
        for (size_t i = 0; i < n; i++) {
            double v = planes[p][i];
            fputc((int)lrint(fmin(fmax(v, 0), 1) * 255), f);
        }
    }
    return fclose(f) == 0;
}

/* BT.709 full range YCbCr (chroma offset 0.5) -> RGB, clipped to [0,1] */
static void ycbcr_to_rgb(const float *y, const float *cb, const float *cr, int w, int h,
                         nr_image *rgb)
{
    for (size_t i = 0; i < (size_t)w * h; i++) {
        /* 8-bit full range: neutral chroma is code 128, i.e. 128/255 */
        double l = y[i], u = (cb[i] - 128.0 / 255) * CHROMA_GAIN, v = (cr[i] - 128.0 / 255) * CHROMA_GAIN;
        double r = l + 1.5748 * v, b = l + 1.8556 * u;
        double g = (l - 0.2126 * r - 0.0722 * b) / 0.7152;
        double c[3] = { r, g, b };
        for (int k = 0; k < 3; k++)
            rgb->data[i * 3 + k] = (float)fmin(fmax(c[k], 0), 1);
    }
}

/* The descale shader's luma on the CPU: its two passes' tables
 * (nr_glsl_descale's default tolerance), horizontal then vertical. */
static float *native_luma(const nr_kernel *k, const float *y, int w, int h, int nw, int nh)
{
    nr_scale s = { .kernel = *k, .full_w = w, .full_h = h, .native_w = nw, .native_h = nh };
    nr_axis ax = nr_scale_axis_h(&s), av = nr_scale_axis_v(&s);
    nr_weights wh, wv;
    float *tmp = malloc(sizeof(float) * (size_t)nw * h), *out = malloc(sizeof(float) * (size_t)nw * nh);
    if (!tmp || !out || nr_weights_build(&wh, k, &ax, NR_BORDER_MIRROR, NR_GLSL_DEFAULT_TOLERANCE) < 0) {
        free(tmp);
        free(out);
        return NULL;
    }
    if (nr_weights_build(&wv, k, &av, NR_BORDER_MIRROR, NR_GLSL_DEFAULT_TOLERANCE) < 0) {
        nr_weights_free(&wh);
        free(tmp);
        free(out);
        return NULL;
    }
    nr_weights_apply(&wh, true, y, w, w, h, tmp, nw);
    nr_weights_apply(&wv, false, tmp, nw, nw, h, out, nw);
    nr_weights_free(&wh);
    nr_weights_free(&wv);
    free(tmp);
    return out;
}

/* a then b's passes into out (mpv and libplacebo take one file here): a
 * ends on //!TEXTURE blocks, whose hex runs to the next //! line, so b's
 * header comment is left out, as the plugin does */
static bool concat_files(const char *a, const char *b, const char *out)
{
    FILE *o = fopen(out, "w");
    bool ok = o != NULL;
    const char *in[2] = { a, b };
    for (int i = 0; i < 2 && ok; i++) {
        FILE *f = fopen(in[i], "r");
        char line[8192];
        bool on = i == 0;
        ok = f != NULL;
        while (f && fgets(line, sizeof(line), f)) {
            on = on || !strncmp(line, "//!HOOK", 7);
            if (on)
                fputs(line, o);
        }
        if (f)
            fclose(f);
    }
    if (o)
        ok = fclose(o) == 0 && ok;
    return ok;
}

int main(int argc, char **argv)
{
    nr_conform c = { .prog = "nr-mpv-chroma", .source = "tests/mpv/chroma_conform.c",
                     .name = "chroma", .max_tol = 4e-3, .mean_tol = 3e-4, .timeout = 120 };
    args a = { .seed = 5, .w = 1280, .h = 720 };
    nr_conform_parse(&c, argc, argv, own_flag, &a);
    nr_conform_need_renderer(&c);
    int w = a.w, h = a.h, cw = w / 2, ch = h / 2;
    size_t n = (size_t)w * h;
    float *rgb = malloc(sizeof(float) * n * 3), *y = malloc(sizeof(float) * n);
    float *cb = malloc(sizeof(float) * n), *cr = malloc(sizeof(float) * n);
    float *scb = malloc(sizeof(float) * n / 4), *scr = malloc(sizeof(float) * n / 4);
    float *ocb = malloc(sizeof(float) * n), *ocr = malloc(sizeof(float) * n);
    nr_image ref = {0};
    if (!rgb || !y || !cb || !cr || !scb || !scr || !ocb || !ocr || !nr_image_alloc(&ref, w, h, 3)) {
        fprintf(stderr, "FAIL: out of memory\n");
        return 1;
    }
    synth_color_frame(rgb, w, h, a.seed);
    synth_rgb_to_ycbcr709(rgb, w, h, y, cb, cr);
    chroma_subsample_left(cb, w, h, scb);
    chroma_subsample_left(cr, w, h, scr);
    /* what the file stores */
    for (size_t i = 0; i < n; i++)
        y[i] = (float)(lrint(fmin(fmax(y[i], 0), 1) * 255) / 255.0);
    for (size_t i = 0; i < n / 4; i++) {
        scb[i] = (float)(lrint(fmin(fmax(scb[i], 0), 1) * 255) / 255.0);
        scr[i] = (float)(lrint(fmin(fmax(scr[i], 0), 1) * 255) / 255.0);
    }
    char y4m[4096];
    nr_conform_path(&c, "in.y4m", y4m, sizeof(y4m));
    if (!write_y4m420(y4m, y, scb, scr, w, h)) {
        fprintf(stderr, "FAIL: cannot write %s\n", y4m);
        return 1;
    }
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    /* the native chain: luma as the descale shader computes it, at nw x nh */
    int gw = w, gh = h;
    float *guide = y;
    nr_kernel studio;
    if (a.descale || a.kernel || a.nw) {
        if (!a.descale || !a.kernel || !a.nw || !nr_kernel_parse(a.kernel, &studio) ||
            a.nw > w || a.nh > h)
            nr_conform_usage(&c, "--descale, --native and --kernel go together", a.kernel);
        p.studio = &studio;
        c.not_run = "footprint luma";   /* the studio operator's form runs instead */
        gw = a.nw;
        gh = a.nh;
        guide = native_luma(&studio, y, w, h, gw, gh);
        char combined[4096];
        nr_conform_path(&c, "chain.glsl", combined, sizeof(combined));
        if (!guide || !concat_files(a.descale, c.shader, combined)) {
            fprintf(stderr, "FAIL: cannot make the native luma or %s\n", combined);
            return 1;
        }
        c.shader = strdup(combined);
        ocb = realloc(ocb, sizeof(float) * (size_t)gw * gh);
        ocr = realloc(ocr, sizeof(float) * (size_t)gw * gh);
        nr_image_free(&ref);
        if (!ocb || !ocr || !nr_image_alloc(&ref, gw, gh, 3)) {
            fprintf(stderr, "FAIL: out of memory\n");
            return 1;
        }
    }
    if (a.learned && !(p.learned = nr_chroma_learned_builtin())) {
        fprintf(stderr, "FAIL: the built-in learned table does not parse\n");
        return 1;
    }
    if (nr_chroma_reconstruct(&p, guide, gw, gw, gh, scb, scr, cw, cw, ch, ocb, ocr, gw) < 0) {
        fprintf(stderr, "FAIL: nr_chroma_reconstruct failed\n");
        return 1;
    }
    ycbcr_to_rgb(guide, ocb, ocr, gw, gh, &ref);
    if (guide != y)
        free(guide);

    nr_render_result with;
    bool ok = nr_conform_check(&c, y4m, &ref, &with);
    char path[4096], err[256];
    nr_conform_path(&c, "ref.pfm", path, sizeof(path));
    nr_pfm_write(path, &ref, err, sizeof(err));
    nr_render_result_free(&with);
    nr_image_free(&ref);
    free(rgb); free(y); free(cb); free(cr); free(scb); free(scr); free(ocb); free(ocr);
    return ok ? 0 : 1;
}
