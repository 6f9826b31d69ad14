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
 * A good render must exit 0, leave no shader problem in the logs, run every
 * //!DESC of the shader, and the same render without the shader (mpv's own
 * cscale) must fall outside the bounds.
 *
 * Usage: nr-mpv-chroma --renderer vo_gpu|gpu-next [--host nr-mpv-host]
 *   --shader S.glsl --workdir D [--name N] [--seed K] [--size WxH]
 *   [--max M] [--mean M] [--mpv-opt k=v]...   (exit 0 pass, 1 fail, 2 usage)
 * Prints "RESULT <renderer> <name> max=... mean=..." lines.
 */
#include "image_io.h"
#include "render_job.h"

#include "chroma_frames.h"
#include "nativeres_chroma.h"
#include "synth_color.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#define CHROMA_GAIN (255.0 / 254)


typedef struct args {
    nr_renderer renderer;
    const char *host, *shader, *workdir, *name;
    unsigned seed;
    int w, h;
    double max_tol, mean_tol;
    const char *mpv_opts[8];
    int num_mpv_opts;
} args;

static void usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "nr-mpv-chroma: %s%s%s (see tests/mpv/chroma_conform.c)\n", msg,
            arg ? ": " : "", arg ? arg : "");
    exit(2);
}

static void parse_args(int argc, char **argv, args *a)
{
    *a = (args){ .name = "chroma", .seed = 5, .w = 1280, .h = 720, .max_tol = 4e-3,
                 .mean_tol = 3e-4 };
    const char *renderer = NULL;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (i + 1 >= argc)
            usage_error("missing value or unknown flag", f);
        const char *v = argv[++i];
        if (!strcmp(f, "--renderer")) renderer = v;
        else if (!strcmp(f, "--host")) a->host = v;
        else if (!strcmp(f, "--shader")) a->shader = v;
        else if (!strcmp(f, "--workdir")) a->workdir = v;
        else if (!strcmp(f, "--name")) a->name = v;
        else if (!strcmp(f, "--seed")) a->seed = (unsigned)atoi(v);
        else if (!strcmp(f, "--size")) {
            if (sscanf(v, "%dx%d", &a->w, &a->h) != 2 || a->w < 16 || a->h < 16 ||
                a->w > 4096 || a->h > 4096 || (a->w | a->h) & 1)
                usage_error("--size WxH: even, 16..4096", v);
        }
        else if (!strcmp(f, "--max")) a->max_tol = atof(v);
        else if (!strcmp(f, "--mean")) a->mean_tol = atof(v);
        else if (!strcmp(f, "--mpv-opt")) {
            if (a->num_mpv_opts == 8)
                usage_error("too many --mpv-opt", v);
            a->mpv_opts[a->num_mpv_opts++] = v;
        }
        else usage_error("unknown flag", f);
    }
    if (!renderer || !nr_renderer_parse(renderer, &a->renderer))
        usage_error("--renderer must be vo_gpu or gpu-next", renderer);
    if (a->renderer == NR_RENDERER_VO_GPU && !a->host)
        usage_error("--host is required for vo_gpu", NULL);
    if (!a->shader || !a->workdir)
        usage_error("--shader and --workdir are required", NULL);
    if (!(a->max_tol > 0 && a->mean_tol > 0))
        usage_error("--max and --mean must be positive", NULL);
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

typedef struct rgb_diff {
    double max, mean;
    int max_x, max_y;
} rgb_diff;

static rgb_diff diff_rgb(const nr_image *a, const nr_image *b)
{
    rgb_diff d = {0};
    size_t n = (size_t)a->w * a->h * 3;
    for (size_t i = 0; i < n; i++) {
        double e = fabs(fmin(fmax(a->data[i], 0), 1) - fmin(fmax(b->data[i], 0), 1));
        d.mean += e;
        if (e > d.max) {
            d.max = e;
            d.max_x = (int)(i / 3 % a->w);
            d.max_y = (int)(i / 3 / a->w);
        }
    }
    d.mean /= n;
    return d;
}

static bool render(const args *a, const char *input, const char *shader, const char *suffix,
                   nr_render_result *res)
{
    char prefix[4096], err[512];
    snprintf(prefix, sizeof(prefix), "%s/%s.%s.%s", a->workdir, a->name,
             nr_renderer_name(a->renderer), suffix);
    nr_render_job job = {
        .renderer = a->renderer, .host = a->host, .input = input, .shader = shader,
        .w = a->w, .h = a->h, .prefix = prefix, .timeout = 120, .rgb = true,
        .mpv_opts = a->mpv_opts, .num_mpv_opts = a->num_mpv_opts,
    };
    if (!nr_render_run(&job, res, err, sizeof(err))) {
        fprintf(stderr, "FAIL: %s\n", err);
        return false;
    }
    const char *what = shader ? "with the shader" : "without shader";
    if (res->proc.timed_out || !res->proc.exited || res->proc.exit_code != 0) {
        fprintf(stderr, "FAIL: render %s: renderer failed (exit %d); see %s.*\n", what,
                res->proc.exit_code, prefix);
        return false;
    }
    if (res->problem[0]) {
        fprintf(stderr, "FAIL: render %s: shader problem in the log: %s\n", what, res->problem);
        return false;
    }
    if (shader && (res->descs_total == 0 || res->descs_seen != res->descs_total)) {
        fprintf(stderr, "FAIL: the renderer did not run pass '%s' (%d of %d //!DESC seen)\n",
                res->missing_desc, res->descs_seen, res->descs_total);
        return false;
    }
    if (res->image.w != a->w || res->image.h != a->h || res->image.channels != 3) {
        fprintf(stderr, "FAIL: render %s: no %dx%d RGB output; see %s.*\n", what, a->w, a->h,
                prefix);
        return false;
    }
    printf("render %s %s: %.2f s\n", nr_renderer_name(a->renderer), what, res->proc.seconds);
    return true;
}

int main(int argc, char **argv)
{
    args a;
    parse_args(argc, argv, &a);
    mkdir(a.workdir, 0755);
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
    snprintf(y4m, sizeof(y4m), "%s/%s.%s.in.y4m", a.workdir, a.name, nr_renderer_name(a.renderer));
    if (!write_y4m420(y4m, y, scb, scr, w, h)) {
        fprintf(stderr, "FAIL: cannot write %s\n", y4m);
        return 1;
    }
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    if (nr_chroma_reconstruct(&p, y, w, w, h, scb, scr, cw, cw, ch, ocb, ocr, w) < 0) {
        fprintf(stderr, "FAIL: nr_chroma_reconstruct failed\n");
        return 1;
    }
    ycbcr_to_rgb(y, ocb, ocr, w, h, &ref);

    nr_render_result with, without;
    bool ok = render(&a, y4m, a.shader, "shader", &with);
    ok = ok && render(&a, y4m, NULL, "plain", &without);
    if (ok) {
        rgb_diff d = diff_rgb(&with.image, &ref), plain = diff_rgb(&without.image, &ref);
        printf("RESULT %s %s max=%.3e mean=%.3e worst_at=(%d,%d) bounds max<=%.1e mean<=%.1e\n",
               nr_renderer_name(a.renderer), a.name, d.max, d.mean, d.max_x, d.max_y,
               a.max_tol, a.mean_tol);
        printf("       without shader (renderer's own cscale): max=%.3e mean=%.3e\n", plain.max,
               plain.mean);
        if (plain.max <= a.max_tol && plain.mean <= a.mean_tol) {
            fprintf(stderr, "FAIL: the render without shader is within the bounds too\n");
            ok = false;
        }
        if (d.max > a.max_tol || d.mean > a.mean_tol) {
            fprintf(stderr, "FAIL: out of bounds\n");
            ok = false;
        }
        char path[4096], err[256];
        snprintf(path, sizeof(path), "%s/%s.%s.ref.pfm", a.workdir, a.name,
                 nr_renderer_name(a.renderer));
        nr_pfm_write(path, &ref, err, sizeof(err));
    }
    nr_render_result_free(&with);
    nr_render_result_free(&without);
    nr_image_free(&ref);
    free(rgb); free(y); free(cb); free(cr); free(scb); free(scr); free(ocb); free(ocr);
    return ok ? 0 : 1;
}
