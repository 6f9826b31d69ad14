/*
 * nr-mpv-conform: end-to-end conformance of a generated descale shader in
 * real renderers (vo_gpu through nr-mpv-host, gpu-next through ffmpeg's
 * libplacebo filter).
 *
 * Modes (all take --renderer vo_gpu|gpu-next, --shader S.glsl, --workdir D,
 * --name N, and for vo_gpu --host PATH):
 *   --input IN.pgm --ref REF.pfm
 *       render IN at the size of REF with the shader; compare with REF
 *       (the real descale plugin's output, clipped to [0,1]).
 *   --known-native KERNEL --native WxH
 *       draw content at WxH, upscale it to 1920x1080 with libnativeres
 *       (nr_upscale, KERNEL), store as 16-bit gray, descale it in the
 *       renderer; compare with nr_descale of the same 16-bit frame, and
 *       report (and bound) the distance to the original content.
 *   --expect-broken --input IN.pgm --size WxH
 *       the shader is broken: pass only if the failure is detected.
 * Bounds: --max (default 1e-3) and --mean (default 2e-4) on |out - ref|,
 * both clipped to [0,1]. --mpv-opt key=value (repeatable) goes to mpv.
 *
 * A good render passes the checks of conform.h (exit 0, no shader problem
 * in the logs, every //!DESC run, and the render without the shader out of
 * the bounds).
 *
 * Prints "RESULT <renderer> <name> max=<> mean=<> ..." lines. Exit 0 pass,
 * 1 fail, 2 bad usage.
 */
#include "conform.h"
#include "image_io.h"
#include "known_content.h"

#include "nativeres.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct conform_args {
    nr_conform c;
    const char *input, *ref, *kernel, *size;
    int w, h;                 /* --native or --size */
    bool known_native, expect_broken;
} conform_args;

static bool parse_size(const char *s, int *w, int *h)
{
    char extra;
    return sscanf(s, "%dx%d%c", w, h, &extra) == 2 && *w >= 8 && *h >= 8 && *w <= 8192 &&
           *h <= 8192;
}

static int own_flag(void *ctx, const nr_conform *c, const char *f, const char *v)
{
    conform_args *a = ctx;
    if (!strcmp(f, "--expect-broken")) {
        a->expect_broken = true;
        return 1;
    }
    const char **dst = !strcmp(f, "--input") ? &a->input
                     : !strcmp(f, "--ref") ? &a->ref
                     : !strcmp(f, "--known-native") ? &a->kernel
                     : !strcmp(f, "--native") || !strcmp(f, "--size") ? &a->size
                     : NULL;
    if (!dst)
        return 0;
    if (!v)
        nr_conform_usage(c, "missing value", f);
    *dst = v;
    a->known_native |= dst == &a->kernel;
    return 2;
}

static void parse_args(int argc, char **argv, conform_args *a)
{
    *a = (conform_args){ .c = { .prog = "nr-mpv-conform", .source = "tests/mpv/mpv_conform.c",
                                .name = "case", .max_tol = 1e-3, .mean_tol = 2e-4,
                                .timeout = 120 } };
    nr_conform_parse(&a->c, argc, argv, own_flag, a);
    nr_conform_need_renderer(&a->c);
    int modes = (a->ref != NULL) + a->known_native + a->expect_broken;
    if (modes != 1)
        nr_conform_usage(&a->c, "choose one of --ref, --known-native, --expect-broken", NULL);
    if ((a->ref || a->expect_broken) && !a->input)
        nr_conform_usage(&a->c, "--input is required", NULL);
    if ((a->known_native || a->expect_broken) &&
        (!a->size || !parse_size(a->size, &a->w, &a->h)))
        nr_conform_usage(&a->c, "--native/--size WxH is required (8..8192)", a->size);
}

/* Writes --input (PGM) as WORKDIR/NAME.RENDERER.in.y4m: Y4M mono with
 * XCOLORRANGE=FULL, which mpv and ffmpeg both take as full-range gray (a
 * PGM would be guessed limited range by mpv). 0 ok, else the exit status. */
static int write_input(const conform_args *a, char *y4m, size_t size)
{
    char err[512];
    nr_image input;
    if (!nr_pgm_read(a->input, &input, err, sizeof(err))) {
        fprintf(stderr, "nr-mpv-conform: %s\n", err);
        return 2;
    }
    nr_conform_path(&a->c, "in.y4m", y4m, size);
    bool written = nr_y4m_gray_write(y4m, &input, 8, 255, 1, err, sizeof(err));
    nr_image_free(&input);
    if (!written) {
        fprintf(stderr, "FAIL: %s\n", err);
        return 1;
    }
    return 0;
}

static int reference_case(conform_args *a)
{
    char err[512], y4m[4096];
    nr_image ref;
    if (!nr_pfm_read(a->ref, &ref, err, sizeof(err))) {
        fprintf(stderr, "nr-mpv-conform: %s\n", err);
        return 2;
    }
    int status = write_input(a, y4m, sizeof(y4m));
    if (status == 0) {
        nr_render_result res;
        status = nr_conform_check(&a->c, y4m, &ref, &res) ? 0 : 1;
        nr_render_result_free(&res);
    }
    nr_image_free(&ref);
    return status;
}

/* The code value of 1.0 in a 16-bit full-range gray file, as the renderer
 * reads it: mpv's vo_gpu treats high-bit-depth YUV and gray as 8-bit values
 * shifted left (1.0 = 255 << 8) even in full range; libplacebo uses the
 * whole range. Measured: a 16-bit ramp at 1:1 through vo_gpu comes out as
 * q / 65280 to 1e-7. */
static int white16(nr_renderer r)
{
    return r == NR_RENDERER_VO_GPU ? 65280 : 65535;
}

/* Replaces v by the value the renderer reads back from its 16-bit code. */
static void quantise16(nr_image *img, int white)
{
    size_t n = (size_t)img->w * img->h;
    for (size_t i = 0; i < n; i++) {
        double v = img->data[i] < 0 ? 0 : img->data[i] > 1 ? 1 : img->data[i];
        img->data[i] = (float)(lrint(v * white) / (double)white);
    }
}

static int known_native_case(conform_args *a)
{
    const int full_w = 1920, full_h = 1080;
    char err[512], y4m[4096];
    nr_scale s;
    memset(&s, 0, sizeof(s));
    if (!nr_kernel_parse(a->kernel, &s.kernel)) {
        fprintf(stderr, "nr-mpv-conform: unknown kernel '%s'\n", a->kernel);
        return 2;
    }
    if (nr_scale_for_height(&s, full_w, full_h, a->h, a->w, err, sizeof(err)) < 0) {
        fprintf(stderr, "nr-mpv-conform: %s\n", err);
        return 2;
    }
    nr_image content, full, ref;
    if (!nr_known_content_draw(&content, a->w, a->h) ||
        !nr_image_alloc(&full, full_w, full_h, 1) || !nr_image_alloc(&ref, a->w, a->h, 1)) {
        fprintf(stderr, "FAIL: out of memory\n");
        return 1;
    }
    int status = 1;
    nr_renderer r = a->c.renderer;
    if (nr_upscale(&s, content.data, a->w, full.data, full_w) < 0) {
        fprintf(stderr, "FAIL: nr_upscale failed\n");
        goto done;
    }
    quantise16(&full, white16(r));
    if (nr_descale(&s, full.data, full_w, ref.data, a->w) < 0) {
        fprintf(stderr, "FAIL: nr_descale failed\n");
        goto done;
    }
    nr_conform_path(&a->c, "in.y4m", y4m, sizeof(y4m));
    if (!nr_y4m_gray_write(y4m, &full, 16, white16(r), 1, err, sizeof(err))) {
        fprintf(stderr, "FAIL: %s\n", err);
        goto done;
    }
    nr_render_result res;
    bool ok = nr_conform_check(&a->c, y4m, &ref, &res);
    if (ok) {
        /* The descale of a clean upscale is the content itself, up to the
         * 16-bit storage of the upscale: the whole chain, end to end. */
        nr_diff d;
        ok = nr_image_diff(&res.image, &content, false, &d, err, sizeof(err));
        printf("RESULT %s %s-vs-content max=%.3e mean=%.3e signed_mean=%.3e\n",
               nr_renderer_name(r), a->c.name, d.max, d.mean, d.signed_mean);
        if (ok && !(d.max <= a->c.max_tol && d.mean <= a->c.mean_tol)) {
            fprintf(stderr, "FAIL: the descale does not recover the native content\n");
            ok = false;
        }
    }
    nr_render_result_free(&res);
    status = ok ? 0 : 1;
done:
    nr_image_free(&content);
    nr_image_free(&full);
    nr_image_free(&ref);
    return status;
}

static int broken_case(conform_args *a)
{
    char err[512], y4m[4096], prefix[4096];
    int status = write_input(a, y4m, sizeof(y4m));
    if (status)
        return status;
    const nr_conform *c = &a->c;
    nr_conform_path(c, "broken", prefix, sizeof(prefix));
    nr_render_job job = {
        .renderer = c->renderer, .host = c->host, .input = y4m, .shader = c->shader,
        .w = a->w, .h = a->h, .prefix = prefix, .timeout = c->timeout,
    };
    nr_render_result res;
    if (!nr_render_run(&job, &res, err, sizeof(err))) {
        fprintf(stderr, "FAIL: %s\n", err);
        return 1;
    }
    bool detected = res.problem[0] != '\0';
    /* vo_gpu: the host must also refuse (exit 3), not hand out a frame. */
    bool host_refused = c->renderer != NR_RENDERER_VO_GPU ||
                        (res.proc.exited && res.proc.exit_code == 3);
    printf("RESULT %s %s broken shader: %s (exit %d)%s%s\n", nr_renderer_name(c->renderer),
           c->name, detected ? "detected" : "NOT detected", res.proc.exit_code,
           detected ? ": " : "", res.problem);
    nr_render_result_free(&res);
    if (!detected || !host_refused) {
        fprintf(stderr, "FAIL: a broken shader went unnoticed%s\n",
                host_refused ? "" : " (nr-mpv-host did not exit 3)");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    conform_args a;
    parse_args(argc, argv, &a);
    if (a.expect_broken)
        return broken_case(&a);
    if (a.known_native)
        return known_native_case(&a);
    return reference_case(&a);
}
