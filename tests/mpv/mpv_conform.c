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
 * A good render must also: exit 0; leave no shader problem in the logs;
 * show every //!DESC of the shader among the passes the renderer ran; and
 * differ from the same render without the shader by more than the bounds
 * (otherwise the comparison could not tell the shader from mpv's scaler).
 *
 * Prints "RESULT <renderer> <name> max=<> mean=<> ..." lines. Exit 0 pass,
 * 1 fail, 2 bad usage.
 */
#include "image_io.h"
#include "known_content.h"
#include "render_job.h"

#include "nativeres.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


typedef struct conform_args {
    nr_renderer renderer;
    const char *host, *shader, *workdir, *name, *input, *ref, *kernel;
    int w, h;                 /* --native or --size */
    double max_tol, mean_tol;
    bool known_native, expect_broken;
    const char *mpv_opts[8];
    int num_mpv_opts;
} conform_args;

static void usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "nr-mpv-conform: %s%s%s (see tests/mpv/mpv_conform.c)\n", msg,
            arg ? ": " : "", arg ? arg : "");
    exit(2);
}

static bool parse_size(const char *s, int *w, int *h)
{
    char extra;
    return sscanf(s, "%dx%d%c", w, h, &extra) == 2 && *w >= 8 && *h >= 8 && *w <= 8192 &&
           *h <= 8192;
}

static double parse_positive(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || !(v > 0 && v < 1))
        usage_error("expected a tolerance in (0, 1)", s);
    return v;
}

static void parse_args(int argc, char **argv, conform_args *a)
{
    *a = (conform_args){ .max_tol = 1e-3, .mean_tol = 2e-4, .name = "case" };
    const char *renderer = NULL, *size = NULL;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "--expect-broken")) { a->expect_broken = true; continue; }
        if (i + 1 >= argc)
            usage_error("missing value or unknown flag", f);
        const char *v = argv[++i];
        if (!strcmp(f, "--renderer")) renderer = v;
        else if (!strcmp(f, "--host")) a->host = v;
        else if (!strcmp(f, "--shader")) a->shader = v;
        else if (!strcmp(f, "--workdir")) a->workdir = v;
        else if (!strcmp(f, "--name")) a->name = v;
        else if (!strcmp(f, "--input")) a->input = v;
        else if (!strcmp(f, "--ref")) a->ref = v;
        else if (!strcmp(f, "--known-native")) { a->known_native = true; a->kernel = v; }
        else if (!strcmp(f, "--native") || !strcmp(f, "--size")) size = v;
        else if (!strcmp(f, "--max")) a->max_tol = parse_positive(v);
        else if (!strcmp(f, "--mean")) a->mean_tol = parse_positive(v);
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
    int modes = (a->ref != NULL) + a->known_native + a->expect_broken;
    if (modes != 1)
        usage_error("choose one of --ref, --known-native, --expect-broken", NULL);
    if ((a->ref || a->expect_broken) && !a->input)
        usage_error("--input is required", NULL);
    if ((a->known_native || a->expect_broken) && (!size || !parse_size(size, &a->w, &a->h)))
        usage_error("--native/--size WxH is required (8..8192)", size);
}

/* Renders and applies the checks every good render must pass. */
static bool render_checked(const conform_args *a, const char *input, const char *shader,
                           const char *suffix, nr_render_result *res)
{
    char prefix[4096], err[512];
    snprintf(prefix, sizeof(prefix), "%s/%s.%s.%s", a->workdir, a->name,
             nr_renderer_name(a->renderer), suffix);
    nr_render_job job = {
        .renderer = a->renderer, .host = a->host, .input = input, .shader = shader,
        .w = a->w, .h = a->h, .prefix = prefix, .timeout = 120,
        .mpv_opts = a->mpv_opts, .num_mpv_opts = a->num_mpv_opts,
    };
    if (!nr_render_run(&job, res, err, sizeof(err))) {
        fprintf(stderr, "FAIL: %s\n", err);
        return false;
    }
    const char *what = shader ? "with the shader" : "without shader";
    if (res->proc.timed_out || !res->proc.exited || res->proc.exit_code != 0) {
        fprintf(stderr, "FAIL: render %s: %s (exit %d after %.1f s); see %s.*\n", what,
                res->proc.timed_out ? "timed out" : "renderer failed", res->proc.exit_code,
                res->proc.seconds, prefix);
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
    if (res->image.w != a->w || res->image.h != a->h) {
        fprintf(stderr, "FAIL: render %s: no %dx%d output; see %s.*\n", what, a->w, a->h, prefix);
        return false;
    }
    printf("render %s %s: %.2f s\n", nr_renderer_name(a->renderer), what, res->proc.seconds);
    return true;
}

static bool within(const nr_diff *d, const conform_args *a)
{
    return d->max <= a->max_tol && d->mean <= a->mean_tol;
}

/* Renders with and without the shader and compares the first with ref.
 * The no-shader render must miss the bounds, proving they discriminate. */
static bool check_against(const conform_args *a, const char *input, const nr_image *ref,
                          nr_render_result *with)
{
    char err[512];
    nr_render_result without;
    if (!render_checked(a, input, a->shader, "shader", with))
        return false;
    if (!render_checked(a, input, NULL, "plain", &without)) {
        nr_render_result_free(&without);
        return false;
    }
    nr_diff d, plain;
    bool ok = nr_image_diff(&with->image, ref, true, &d, err, sizeof(err)) &&
              nr_image_diff(&without.image, ref, true, &plain, err, sizeof(err));
    nr_render_result_free(&without);
    if (!ok) {
        fprintf(stderr, "FAIL: %s\n", err);
        return false;
    }
    printf("RESULT %s %s max=%.3e mean=%.3e signed_mean=%.3e worst_at=(%d,%d) "
           "bounds max<=%.1e mean<=%.1e\n",
           nr_renderer_name(a->renderer), a->name, d.max, d.mean, d.signed_mean, d.max_x,
           d.max_y, a->max_tol, a->mean_tol);
    printf("       without shader (renderer's own downscale): max=%.3e mean=%.3e\n",
           plain.max, plain.mean);
    if (within(&plain, a)) {
        fprintf(stderr, "FAIL: the render without shader is within the bounds too: the "
                        "comparison cannot tell the shader ran\n");
        return false;
    }
    if (!within(&d, a)) {
        fprintf(stderr, "FAIL: out of bounds\n");
        return false;
    }
    return true;
}

static int reference_case(conform_args *a)
{
    char err[512], y4m[4096];
    nr_image input, ref;
    if (!nr_pgm_read(a->input, &input, err, sizeof(err)) ||
        !nr_pfm_read(a->ref, &ref, err, sizeof(err))) {
        fprintf(stderr, "nr-mpv-conform: %s\n", err);
        return 2;
    }
    a->w = ref.w;
    a->h = ref.h;
    /* Y4M mono with XCOLORRANGE=FULL: mpv and ffmpeg both take it as
     * full-range gray; a PGM would be guessed limited range by mpv. */
    snprintf(y4m, sizeof(y4m), "%s/%s.%s.in.y4m", a->workdir, a->name,
             nr_renderer_name(a->renderer));
    if (!nr_y4m_gray_write(y4m, &input, 8, 255, 1, err, sizeof(err))) {
        fprintf(stderr, "FAIL: %s\n", err);
        return 1;
    }
    nr_render_result res;
    bool ok = check_against(a, y4m, &ref, &res);
    nr_render_result_free(&res);
    nr_image_free(&input);
    nr_image_free(&ref);
    return ok ? 0 : 1;
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
    if (nr_upscale(&s, content.data, a->w, full.data, full_w) < 0) {
        fprintf(stderr, "FAIL: nr_upscale failed\n");
        goto done;
    }
    quantise16(&full, white16(a->renderer));
    if (nr_descale(&s, full.data, full_w, ref.data, a->w) < 0) {
        fprintf(stderr, "FAIL: nr_descale failed\n");
        goto done;
    }
    snprintf(y4m, sizeof(y4m), "%s/%s.%s.in.y4m", a->workdir, a->name,
             nr_renderer_name(a->renderer));
    if (!nr_y4m_gray_write(y4m, &full, 16, white16(a->renderer), 1, err, sizeof(err))) {
        fprintf(stderr, "FAIL: %s\n", err);
        goto done;
    }
    nr_render_result res;
    bool ok = check_against(a, y4m, &ref, &res);
    if (ok) {
        /* The descale of a clean upscale is the content itself, up to the
         * 16-bit storage of the upscale: the whole chain, end to end. */
        nr_diff d;
        ok = nr_image_diff(&res.image, &content, false, &d, err, sizeof(err));
        printf("RESULT %s %s-vs-content max=%.3e mean=%.3e signed_mean=%.3e\n",
               nr_renderer_name(a->renderer), a->name, d.max, d.mean, d.signed_mean);
        if (ok && !within(&d, a)) {
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
    char err[512], y4m[4096];
    nr_image input;
    if (!nr_pgm_read(a->input, &input, err, sizeof(err))) {
        fprintf(stderr, "nr-mpv-conform: %s\n", err);
        return 2;
    }
    snprintf(y4m, sizeof(y4m), "%s/%s.%s.in.y4m", a->workdir, a->name,
             nr_renderer_name(a->renderer));
    bool written = nr_y4m_gray_write(y4m, &input, 8, 255, 1, err, sizeof(err));
    nr_image_free(&input);
    if (!written) {
        fprintf(stderr, "FAIL: %s\n", err);
        return 1;
    }
    char prefix[4096];
    snprintf(prefix, sizeof(prefix), "%s/%s.%s", a->workdir, a->name, nr_renderer_name(a->renderer));
    nr_render_job job = {
        .renderer = a->renderer, .host = a->host, .input = y4m, .shader = a->shader,
        .w = a->w, .h = a->h, .prefix = prefix, .timeout = 120,
    };
    nr_render_result res;
    if (!nr_render_run(&job, &res, err, sizeof(err))) {
        fprintf(stderr, "FAIL: %s\n", err);
        return 1;
    }
    bool detected = res.problem[0] != '\0';
    /* vo_gpu: the host must also refuse (exit 3), not hand out a frame. */
    bool host_refused = a->renderer != NR_RENDERER_VO_GPU ||
                        (res.proc.exited && res.proc.exit_code == 3);
    printf("RESULT %s %s broken shader: %s (exit %d)%s%s\n", nr_renderer_name(a->renderer),
           a->name, detected ? "detected" : "NOT detected", res.proc.exit_code,
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
    struct stat st;
    if (stat(a.shader, &st) != 0) {
        fprintf(stderr, "nr-mpv-conform: shader %s does not exist\n", a.shader);
        return 2;
    }
    mkdir(a.workdir, 0755);
    if (a.expect_broken)
        return broken_case(&a);
    if (a.known_native)
        return known_native_case(&a);
    return reference_case(&a);
}
