/*
 * bench-rescale: what the rescale presets gain and cost, printed (nothing
 * asserted).
 *
 * Quality (gpu-next: ffmpeg's libplacebo filter on Vulkan, luma PSNR / SSIM
 * against the truth): truth T (1920x1080: the project's synthetic frame,
 * plus real frames from ../shared/frames/dev when present) -> native (T
 * downscaled by ffmpeg's lanczos3, the neutral downscale the issues' private
 * frames are built with; --native-kernel picks another ffmpeg scaler) ->
 * studio upscale (nr_upscale: 720p
 * bilinear, 810p catrom, 873p mitchell) -> 8 bits [-> x264 crf 18 for
 * 720p bilinear] -> each path at 1x (1080p out): the source as mpv shows
 * it, descale + libplacebo spline36 / ewa_lanczos, fast + spline36,
 * balanced, hq (and hq --hq-dpid on the clean sources). At 2x: 540p from
 * 360p bilinear shown at 1080p: spline36 / ewa_lanczos alone, descale +
 * each, fast + spline36, balanced, hq. Credits case: 1080p glyph rows over
 * the 720p bilinear and 810p catrom sources: text-region p99 |out - source|
 * and picture-region PSNR against the truth, balanced and hq vs descale +
 * spline36 vs the source.
 *
 * Cost (vo_gpu through nr-mpv-host, vo-passes medians while playing):
 * 720p bilinear source shown at 1080p: the descale passes (+ mpv's
 * spline36 upscale in the same render), the fast, balanced and hq chains,
 * and mpv's spline36 upscale of the 720p native alone, same run; the
 * learned upscaler alone after the descale (built-in table, and the
 * --compare-model table, e.g. the previous version, in the same run).
 *
 * Peers alone at 2x (--peers DIR, e.g. bench/peers, git-ignored; a peer
 * whose files are absent is skipped): each third-party doubler on the 540p
 * source itself, no descale (libplacebo's spline36 does any rest to 1080p):
 * Anime4K mode A (Anime4K_Clamp_Highlights + Anime4K_Restore_CNN_M +
 * Anime4K_Upscale_CNN_x2_M, concatenated here; also without the Restore
 * CNN: "Anime4K x2 M"), FSRCNNX_x2_8-0-4-1,
 * ArtCNN_C4F16, ravu-zoom-ar-r3.hook (or ravu-zoom-r3.hook, labelled no AR).
 * --only 2x runs the 2x rows alone (spline36, descale+spline36, each peer
 * alone, hq) and prints a per-frame table with hq minus the best peer.
 *
 * usage: bench-rescale --gen NATIVERES_GEN --host NR_MPV_HOST --workdir D
 *        [--shared DIR] [--real N] [--only cost|2x] [--compare-model TABLE]
 *        [--native-kernel lanczos|bicubic|...] [--peers DIR]
 *        (N real frames at most, default 3; past the 8 listed ones, the
 *        other frames of DIR/frames/dev in name order)
 * Environment: NR_BENCH_X264=0 skips the x264 rows; NR_BENCH_REAL=NAME runs
 * only that real frame (e.g. bocchi_1); NR_BENCH_FRAMES the
 * frames per cost configuration (default 12).
 */
#include "credits.h"
#include "image_io.h"
#include "render_job.h"
#include "run_process.h"
#include "synth.h"

#include "nativeres.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SW 1920
#define SH 1080

static const char *gen, *host, *workdir;
/* ffmpeg scaler that makes the native from the truth (lanczos = lanczos3) */
static const char *native_kernel = "lanczos";
static const char *compare_model;   /* --compare-model: another upscaler table for the cost */
static const char *peers_dir;       /* --peers: third-party doublers, rendered alone at 2x */
static bool only_2x;                /* --only 2x */

static int run(char **argv, const char *out)
{
    nr_process_result r;
    if (!nr_run_process(argv, out, 600, &r) || !r.exited || r.exit_code != 0)
        return -1;
    return 0;
}

/* ---- metrics ---- */

static double psnr(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)a[i] - b[i];
        s += d * d;
    }
    return s > 0 ? 10 * log10((double)n / s) : 99;
}

static void blur11(const float *in, float *out, float *tmp, int w, int h)
{
    static float g[11];
    if (g[5] == 0) {
        double sum = 0;
        for (int i = 0; i < 11; i++)
            sum += g[i] = (float)exp(-(i - 5) * (i - 5) / (2 * 1.5 * 1.5));
        for (int i = 0; i < 11; i++)
            g[i] = (float)(g[i] / sum);
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double s = 0;
            for (int k = -5; k <= 5; k++) {
                int xx = x + k < 0 ? 0 : x + k >= w ? w - 1 : x + k;
                s += g[k + 5] * in[(size_t)y * w + xx];
            }
            tmp[(size_t)y * w + x] = (float)s;
        }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double s = 0;
            for (int k = -5; k <= 5; k++) {
                int yy = y + k < 0 ? 0 : y + k >= h ? h - 1 : y + k;
                s += g[k + 5] * tmp[(size_t)yy * w + x];
            }
            out[(size_t)y * w + x] = (float)s;
        }
}

/* SSIM, Gaussian window 11 / 1.5, values on [0,1] */
static double ssim(const float *a, const float *b, int w, int h)
{
    size_t n = (size_t)w * h;
    float *buf = malloc(sizeof(float) * n * 7);
    if (!buf)
        return 0;
    float *ab = buf, *aa = buf + n, *bb = buf + 2 * n, *ma = buf + 3 * n, *mb = buf + 4 * n,
          *tmp = buf + 5 * n, *t2 = buf + 6 * n;
    for (size_t i = 0; i < n; i++) {
        ab[i] = a[i] * b[i];
        aa[i] = a[i] * a[i];
        bb[i] = b[i] * b[i];
    }
    blur11(a, ma, tmp, w, h);
    blur11(b, mb, tmp, w, h);
    blur11(ab, t2, tmp, w, h); memcpy(ab, t2, sizeof(float) * n);
    blur11(aa, t2, tmp, w, h); memcpy(aa, t2, sizeof(float) * n);
    blur11(bb, t2, tmp, w, h); memcpy(bb, t2, sizeof(float) * n);
    const double c1 = 1e-4, c2 = 9e-4;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double mx = ma[i], my = mb[i];
        double vx = aa[i] - mx * mx, vy = bb[i] - my * my, cxy = ab[i] - mx * my;
        sum += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    }
    free(buf);
    return sum / (double)n;
}

/* ---- planes through ffmpeg ---- */

static bool write_raw(const char *path, const float *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    for (size_t i = 0; i < n; i++) {
        double v = p[i] < 0 ? 0 : p[i] > 1 ? 1 : p[i];
        fputc((int)lrint(v * 255), f);
    }
    return fclose(f) == 0;
}

static bool read_raw(const char *path, float *p, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        int c = fgetc(f);
        ok = c != EOF;
        p[i] = (float)c / 255.0f;
    }
    fclose(f);
    return ok;
}

/* truth from an image file: 1920x1080 luma */
static bool load_truth(const char *png, float *t)
{
    char out[4096];
    snprintf(out, sizeof(out), "%s/truth.raw", workdir);
    char *argv[] = { "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", (char *)png,
                     "-vf", "scale=1920:1080,format=gray", "-frames:v", "1", "-f", "rawvideo",
                     out, NULL };
    return run(argv, "/dev/null") == 0 && read_raw(out, t, (size_t)SW * SH);
}

/* native = ffmpeg downscale of t (w x h) with native_kernel's flags, in
 * float (grayf32): swscale's 8-bit gray path lifts levels (+0.4 code on
 * average, +0.9 in near-black areas of unknown-dark_1), which every path
 * then inherits and a peer that darkens shadows is rewarded for; the
 * issues' construction quantizes to 8 bits only after the studio upscale */
static bool downscale(const float *t, int w, int h, int nw, int nh, float *n)
{
    char in[4096], out[4096], vf[64], size[32];
    snprintf(in, sizeof(in), "%s/down_in.f32", workdir);
    snprintf(out, sizeof(out), "%s/down_out.f32", workdir);
    snprintf(vf, sizeof(vf), "scale=%d:%d:flags=%s", nw, nh, native_kernel);
    snprintf(size, sizeof(size), "%dx%d", w, h);
    FILE *f = fopen(in, "wb");
    bool ok = f && fwrite(t, sizeof(float), (size_t)w * h, f) == (size_t)w * h;
    if (f && fclose(f) != 0)
        ok = false;
    char *argv[] = { "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "rawvideo",
                     "-pix_fmt", "grayf32le", "-s", size, "-i", in, "-vf", vf,
                     "-f", "rawvideo", "-pix_fmt", "grayf32le", out, NULL };
    if (!ok || run(argv, "/dev/null") != 0 || !(f = fopen(out, "rb")))
        return false;
    ok = fread(n, sizeof(float), (size_t)nw * nh, f) == (size_t)nw * nh;
    fclose(f);
    return ok;
}

/* x264 crf 18 round trip of an 8-bit plane (full range, luma only) */
static bool x264_roundtrip(float *p, int w, int h)
{
    char in[4096], mkv[4096], out[4096], size[32];
    snprintf(in, sizeof(in), "%s/x264_in.raw", workdir);
    snprintf(mkv, sizeof(mkv), "%s/x264.mkv", workdir);
    snprintf(out, sizeof(out), "%s/x264_out.raw", workdir);
    snprintf(size, sizeof(size), "%dx%d", w, h);
    if (!write_raw(in, p, (size_t)w * h))
        return false;
    char *enc[] = { "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "rawvideo",
                    "-pix_fmt", "gray", "-s", size, "-i", in, "-c:v", "libx264", "-crf", "18",
                    "-preset", "medium", "-pix_fmt", "yuvj420p", mkv, NULL };
    char *dec[] = { "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", mkv,
                    "-f", "rawvideo", "-pix_fmt", "gray", out, NULL };
    return run(enc, "/dev/null") == 0 && run(dec, "/dev/null") == 0 &&
           read_raw(out, p, (size_t)w * h);
}

/* ---- shaders ---- */

/* Four sizes as decimal argv strings (buffers of 16). */
static void format_sizes(char *a, int av, char *b, int bv, char *c, int cv, char *d, int dv)
{
    snprintf(a, 16, "%d", av);
    snprintf(b, 16, "%d", bv);
    snprintf(c, 16, "%d", cv);
    snprintf(d, 16, "%d", dv);
}

static bool make_shader(const char *cmd, const char *preset, int sw, int sh, int nw, int nh,
                        const char *kernel, char *path, size_t size)
{
    snprintf(path, size, "%s/%s-%s-%dx%d-%dp-%s.glsl", workdir, cmd, preset ? preset : "x",
             sw, sh, nh, kernel);
    /* reused within this run only: a file an earlier build left in the work
     * folder would measure that build */
    static char made[64][256];
    static int nmade;
    for (int i = 0; i < nmade; i++)
        if (!strcmp(made[i], path))
            return true;
    char sws[16], shs[16], nws[16], nhs[16];
    format_sizes(sws, sw, shs, sh, nws, nw, nhs, nh);
    char *argv[20];
    int n = 0;
    argv[n++] = (char *)gen; argv[n++] = (char *)cmd;
    argv[n++] = "--source-width"; argv[n++] = sws;
    argv[n++] = "--source-height"; argv[n++] = shs;
    argv[n++] = "--width"; argv[n++] = nws;
    argv[n++] = "--height"; argv[n++] = nhs;
    argv[n++] = "--kernel"; argv[n++] = (char *)kernel;
    if (preset && !strcmp(preset, "hq-dpid")) {   /* hq with DPID to the source size */
        argv[n++] = "--preset"; argv[n++] = "hq";
        argv[n++] = "--hq-dpid";
    } else if (preset) {
        argv[n++] = "--preset"; argv[n++] = (char *)preset;
    }
    argv[n++] = "-o"; argv[n++] = path;
    argv[n] = NULL;
    if (run(argv, "/dev/null") != 0)
        return false;
    if (nmade < 64 && strlen(path) < sizeof(made[0]))
        snprintf(made[nmade++], sizeof(made[0]), "%s", path);
    return true;
}

/* One gpu-next render of plane s (w x h) to 1920x1080; NULL on failure
 * (a shader problem counts as a failure). */
static float *render(const float *s, int w, int h, const char *shader, const char *upscaler,
                     const char *label)
{
    char y4m[4096], prefix[4096], opts[64], err[256];
    snprintf(y4m, sizeof(y4m), "%s/in.y4m", workdir);
    snprintf(prefix, sizeof(prefix), "%s/r-%s", workdir, label);
    nr_image img = { .w = w, .h = h, .channels = 1, .data = (float *)s };
    if (!nr_y4m_gray_write(y4m, &img, 8, 255, 1, err, sizeof(err)))
        return NULL;
    snprintf(opts, sizeof(opts), "upscaler=%s:downscaler=%s", upscaler, upscaler);
    nr_render_job job = { .renderer = NR_RENDERER_GPU_NEXT, .input = y4m, .shader = shader,
                          .w = SW, .h = SH, .prefix = prefix, .timeout = 300,
                          .placebo_opts = opts };
    nr_render_result res;
    if (!nr_render_run(&job, &res, err, sizeof(err)) || !res.proc.exited ||
        res.proc.exit_code != 0 || res.problem[0] || res.image.w != SW ||
        (shader && res.descs_seen != res.descs_total)) {
        fprintf(stderr, "bench-rescale: render %s failed (%s)\n", label,
                res.problem[0] ? res.problem : "see the work folder");
        nr_render_result_free(&res);
        return NULL;
    }
    float *out = res.image.data;
    res.image.data = NULL;
    nr_render_result_free(&res);
    return out;
}

typedef struct row {
    char frame[40], studio[40], path[40];
    double psnr, ssim;
} row;

static row rows[512];
static int nrows;

static void add_row(const char *frame, const char *studio, const char *path, const float *out,
                    const float *truth)
{
    if (nrows == 512)
        return;
    row *r = &rows[nrows++];
    snprintf(r->frame, sizeof(r->frame), "%s", frame);
    snprintf(r->studio, sizeof(r->studio), "%s", studio);
    snprintf(r->path, sizeof(r->path), "%s", path);
    r->psnr = out ? psnr(out, truth, (size_t)SW * SH) : NAN;
    r->ssim = out ? ssim(out, truth, SW, SH) : NAN;
    printf("  %-18s %-22s %-22s PSNR %6.2f dB  SSIM %.5f\n", frame, studio, path, r->psnr,
           r->ssim);
    fflush(stdout);
}

typedef struct studio {
    const char *name, *kernel;
    int nw, nh;
} studio;

static const studio studios[] = {
    { "720p bilinear", "bilinear", 1280, 720 },
    { "810p catrom", "catrom", 1440, 810 },
    { "873p mitchell", "mitchell", 1552, 873 },
};

static float *studio_upscale(const float *native, const studio *st, int sw, int sh)
{
    nr_scale s = { .full_w = sw, .full_h = sh, .native_w = st->nw, .native_h = st->nh };
    nr_kernel_parse(st->kernel, &s.kernel);
    float *src = malloc(sizeof(float) * (size_t)sw * sh);
    if (!src || nr_upscale(&s, native, st->nw, src, sw) < 0) {
        free(src);
        return NULL;
    }
    synth_quantize8(src, sw, sh, sw);
    return src;
}

/* The 1x paths of one studio source (already 8-bit). */
static void paths_1x(const char *frame, const char *label, const studio *st, const float *src,
                     const float *truth, bool all)
{
    char dsh[4096], fsh[4096], bsh[4096], hsh[4096], hdsh[4096], tag[128];
    add_row(frame, label, "source", src, truth);
    if (!make_shader("descale", NULL, SW, SH, st->nw, st->nh, st->kernel, dsh, sizeof(dsh)) ||
        !make_shader("rescale", "fast", SW, SH, st->nw, st->nh, st->kernel, fsh, sizeof(fsh)) ||
        !make_shader("rescale", "balanced", SW, SH, st->nw, st->nh, st->kernel, bsh, sizeof(bsh)) ||
        !make_shader("rescale", "hq", SW, SH, st->nw, st->nh, st->kernel, hsh, sizeof(hsh)) ||
        !make_shader("rescale", "hq-dpid", SW, SH, st->nw, st->nh, st->kernel, hdsh, sizeof(hdsh)))
        return;
    const char *names[6] = { "descale+spline36", "descale+ewa_lanczos", "fast+spline36", "balanced",
                             "hq", "hq --hq-dpid" };
    const char *sh[6] = { dsh, dsh, fsh, bsh, hsh, hdsh };
    const char *up[6] = { "spline36", "ewa_lanczos", "spline36", "spline36", "spline36", "spline36" };
    for (int i = 0; i < 6; i++) {
        if (!all && (i == 1 || i == 5))
            continue;
        snprintf(tag, sizeof(tag), "%s-%s-%s", frame, st->kernel, names[i]);
        float *out = render(src, SW, SH, sh[i], up[i], tag);
        add_row(frame, label, names[i], out, truth);
        free(out);
    }
}

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

static void credits_case(const char *frame, const studio *st, const float *truth)
{
    size_t n = (size_t)SW * SH;
    float *native = malloc(sizeof(float) * (size_t)st->nw * st->nh);
    float *t = malloc(sizeof(float) * n), *cover = malloc(sizeof(float) * n);
    unsigned char *text = malloc(n), *pic = malloc(n);
    float *d = malloc(sizeof(float) * n);
    if (!native || !t || !cover || !text || !pic || !d || !downscale(truth, SW, SH, st->nw, st->nh, native))
        return;
    nr_scale s = { .full_w = SW, .full_h = SH, .native_w = st->nw, .native_h = st->nh };
    nr_kernel_parse(st->kernel, &s.kernel);
    float *src = malloc(sizeof(float) * n);
    nr_upscale(&s, native, st->nw, src, SW);
    memcpy(t, truth, sizeof(float) * n);
    credits_draw(src, cover, SW, SH, 28, 5);
    credits_draw(t, NULL, SW, SH, 28, 5);
    synth_quantize8(src, SW, SH, SW);
    credits_regions(cover, SW, SH, 2, 16, text, pic);
    char dsh[4096], bsh[4096], hsh[4096], tag[128];
    make_shader("descale", NULL, SW, SH, st->nw, st->nh, st->kernel, dsh, sizeof(dsh));
    make_shader("rescale", "balanced", SW, SH, st->nw, st->nh, st->kernel, bsh, sizeof(bsh));
    make_shader("rescale", "hq", SW, SH, st->nw, st->nh, st->kernel, hsh, sizeof(hsh));
    const char *names[4] = { "source", "descale+spline36", "balanced", "hq" };
    const char *shaders[4] = { NULL, dsh, bsh, hsh };
    for (int i = 0; i < 4; i++) {
        float *out = NULL;
        if (i == 0) {
            out = malloc(sizeof(float) * n);
            memcpy(out, src, sizeof(float) * n);
        } else {
            snprintf(tag, sizeof(tag), "%s-credits-%s-%s", frame, st->kernel, names[i]);
            out = render(src, SW, SH, shaders[i], "spline36", tag);
        }
        if (!out) {
            printf("  %-18s credits %-14s %-18s failed\n", frame, st->name, names[i]);
            continue;
        }
        size_t k = 0;
        double se = 0, sp = 0;
        size_t np = 0;
        for (size_t j = 0; j < n; j++) {
            if (text[j])
                d[k++] = fabsf(out[j] - src[j]);
            if (pic[j]) {
                double e = (double)out[j] - t[j];
                se += e * e;
                np++;
            }
        }
        qsort(d, k, sizeof(float), cmp_float);
        double mean = 0;
        for (size_t j = 0; j < k; j++)
            mean += d[j];
        sp = se > 0 ? 10 * log10((double)np / se) : 99;
        printf("  %-18s credits %-14s %-18s text p99 %6.2f/255 mean %5.2f/255   picture PSNR %6.2f dB\n",
               frame, st->name, names[i], k ? d[(size_t)(0.99 * (k - 1))] * 255 : 0,
               k ? mean / k * 255 : 0, sp);
        free(out);
    }
    fflush(stdout);
    free(native); free(t); free(cover); free(text); free(pic); free(d); free(src);
}

/* ---- peers alone (2x) ---- */

typedef struct peer {
    char label[40], path[4096];
} peer;

static peer peers[6];
static int npeers = -1;

static bool readable(const char *dir, const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    return access(path, R_OK) == 0;
}

/* Anime4K files as one shader (ffmpeg's libplacebo filter takes one file):
 * each part's textures get a prefix of their own (Restore and Upscale both
 * SAVE conv2d_tf, ...), and "//!SAVE MAIN" lines are dropped: on a MAIN
 * hook that is the pass's default output in mpv, but the libplacebo here
 * stores it as a texture named MAIN and the picture comes out unchanged. */
static bool anime4k(const char *const *parts, int nparts, const char *name, char *path,
                    size_t size)
{
    char in[4096];
    snprintf(path, size, "%s/%s", workdir, name);
    FILE *out = fopen(path, "wb");
    bool ok = out != NULL;
    static char line[1 << 16];
    for (int i = 0; ok && i < nparts; i++) {
        FILE *f = readable(peers_dir, parts[i], in, sizeof(in)) ? fopen(in, "rb") : NULL;
        ok = f != NULL;
        while (f && fgets(line, sizeof(line), f)) {
            if (!strncmp(line, "//!SAVE MAIN", 12) && strspn(line + 12, " \t\r\n") == strlen(line + 12))
                continue;
            for (char *p = line, *q; ok && *p; p = q) {
                q = strstr(p, "conv2d");
                if (!q) {
                    ok = fputs(p, out) != EOF;
                    break;
                }
                ok = fwrite(p, 1, (size_t)(q - p), out) == (size_t)(q - p) &&
                     fprintf(out, "p%d_", i) > 0;
                if (ok) {
                    fputs("conv2d", out);
                    q += 6;
                }
            }
        }
        if (f)
            fclose(f);
        ok = ok && fputc('\n', out) != EOF;
    }
    if (out)
        ok &= fclose(out) == 0;
    return ok;
}

static void find_peers(void)
{
    if (npeers >= 0)
        return;
    npeers = 0;
    if (!peers_dir)
        return;
    char path[4096];
    /* mode A as its docs give it (clamp, restore, 2x), and its 2x alone */
    static const char *const a4k[] = { "Anime4K_Clamp_Highlights.glsl",
                                       "Anime4K_Upscale_CNN_x2_M.glsl",
                                       "Anime4K_Restore_CNN_M.glsl" };
    const char *const mode_a[] = { a4k[0], a4k[2], a4k[1] };
    if (anime4k(mode_a, 3, "anime4k-a-m.glsl", path, sizeof(path))) {
        snprintf(peers[npeers].label, sizeof(peers[0].label), "Anime4K A (M)");
        snprintf(peers[npeers++].path, sizeof(peers[0].path), "%s", path);
    }
    if (anime4k(a4k, 2, "anime4k-x2-m.glsl", path, sizeof(path))) {
        snprintf(peers[npeers].label, sizeof(peers[0].label), "Anime4K x2 M");
        snprintf(peers[npeers++].path, sizeof(peers[0].path), "%s", path);
    }
    static const char *const files[][2] = {
        { "FSRCNNX 8", "FSRCNNX_x2_8-0-4-1.glsl" },
        { "ArtCNN C4F16", "ArtCNN_C4F16.glsl" },
        { "ravu-zoom-ar r3", "ravu-zoom-ar-r3.hook" },
        { "ravu-zoom r3 (no AR)", "ravu-zoom-r3.hook" },   /* only when ar-r3 is absent */
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        if (i == 3 && npeers && strstr(peers[npeers - 1].label, "ravu"))
            continue;
        if (readable(peers_dir, files[i][1], path, sizeof(path))) {
            snprintf(peers[npeers].label, sizeof(peers[0].label), "%s", files[i][0]);
            snprintf(peers[npeers++].path, sizeof(peers[0].path), "%s", path);
        }
    }
    printf("peers alone (%s): ", peers_dir);
    for (int i = 0; i < npeers; i++)
        printf("%s%s", i ? ", " : "", peers[i].label);
    printf("%s\n", npeers ? "" : "none found; SKIP the peer rows");
    if (!npeers || strcmp(peers[0].label, "Anime4K A (M)"))
        printf("  (absent: one of Anime4K_Clamp_Highlights / Restore_CNN_M / Upscale_CNN_x2_M)\n");
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (i < 3 && !readable(peers_dir, files[i][1], path, sizeof(path)))
            printf("  (absent: %s)\n", files[i][1]);
}

static void bench_frame(const char *frame, const float *truth, bool x264)
{
    size_t n = (size_t)SW * SH;
    for (size_t k = 0; !only_2x && k < sizeof(studios) / sizeof(studios[0]); k++) {
        const studio *st = &studios[k];
        float *native = malloc(sizeof(float) * (size_t)st->nw * st->nh);
        if (!native || !downscale(truth, SW, SH, st->nw, st->nh, native)) {
            free(native);
            continue;
        }
        float *src = studio_upscale(native, st, SW, SH);
        if (src) {
            paths_1x(frame, st->name, st, src, truth, true);
            if (x264 && k == 0 && x264_roundtrip(src, SW, SH)) {
                char label[64];
                snprintf(label, sizeof(label), "%s +x264", st->name);
                paths_1x(frame, label, st, src, truth, false);
            }
        }
        free(src);
        free(native);
    }
    /* 2x: 540p from 360p bilinear, shown at 1080p */
    static const studio s540 = { "540p<-360p bilinear", "bilinear", 640, 360 };
    float *native = malloc(sizeof(float) * 640 * 360);
    if (native && downscale(truth, SW, SH, 640, 360, native)) {
        float *src = studio_upscale(native, &s540, 960, 540);
        char dsh[4096], fsh[4096], bsh[4096], hsh[4096], tag[128];
        if (src && make_shader("descale", NULL, 960, 540, 640, 360, "bilinear", dsh, sizeof(dsh)) &&
            make_shader("rescale", "fast", 960, 540, 640, 360, "bilinear", fsh, sizeof(fsh)) &&
            make_shader("rescale", "balanced", 960, 540, 640, 360, "bilinear", bsh, sizeof(bsh)) &&
            make_shader("rescale", "hq", 960, 540, 640, 360, "bilinear", hsh, sizeof(hsh))) {
            const char *names[7] = { "spline36", "ewa_lanczos", "descale+spline36",
                                     "descale+ewa_lanczos", "fast+spline36", "balanced", "hq" };
            const char *sh[7] = { NULL, NULL, dsh, dsh, fsh, bsh, hsh };
            const char *up[7] = { "spline36", "ewa_lanczos", "spline36", "ewa_lanczos",
                                  "spline36", "spline36", "spline36" };
            for (int i = 0; i < 7; i++) {
                if (only_2x && (i == 1 || i == 3 || i == 4 || i == 5))
                    continue;
                snprintf(tag, sizeof(tag), "%s-2x-%s", frame, names[i]);
                float *out = render(src, 960, 540, sh[i], up[i], tag);
                add_row(frame, "2x 540p<-360p bilinear", names[i], out, truth);
                free(out);
            }
            find_peers();
            for (int i = 0; i < npeers; i++) {
                char name[48];
                snprintf(name, sizeof(name), "alone:%.39s", peers[i].label);
                snprintf(tag, sizeof(tag), "%s-2x-peer%d", frame, i);
                float *out = render(src, 960, 540, peers[i].path, "spline36", tag);
                add_row(frame, "2x 540p<-360p bilinear", name, out, truth);
                free(out);
            }
        }
        free(src);
    }
    free(native);
    if (only_2x)
        return;
    credits_case(frame, &studios[0], truth);
    credits_case(frame, &studios[1], truth);
    (void)n;
}

/* ---- cost ---- */

/* The learned upscaler alone (nativeres-gen upscale, the built-in table or
 * model), nw x nh -> 2x -> sw x sh, to stack after the descale shader. */
static bool make_upscale_shader(const char *model, const char *tag, int nw, int nh, int sw,
                                int sh, char *path, size_t size)
{
    snprintf(path, size, "%s/upscale-%s-%dx%d-to-%dx%d.glsl", workdir, tag, nw, nh, sw, sh);
    char nws[16], nhs[16], sws[16], shs[16];
    format_sizes(nws, nw, nhs, nh, sws, sw, shs, sh);
    char *argv[20];
    int n = 0;
    argv[n++] = (char *)gen; argv[n++] = "upscale";
    argv[n++] = "--width"; argv[n++] = nws;
    argv[n++] = "--height"; argv[n++] = nhs;
    argv[n++] = "--output-width"; argv[n++] = sws;
    argv[n++] = "--output-height"; argv[n++] = shs;
    if (model) {
        argv[n++] = "--model"; argv[n++] = (char *)model;
    }
    argv[n++] = "-o"; argv[n++] = path;
    argv[n] = NULL;
    return run(argv, "/dev/null") == 0;
}

typedef struct cost {
    const char *label, *shader, *input, *scale;
    double user_ms, mpv_ms, descale_ms;   /* descale_ms: the chain's own descale passes */
    double hq_ms;                         /* the learned upscaler's passes */
    int user_passes, hq_passes;
    bool ok;
} cost;

static void run_cost(cost *c, int frames)
{
    char out[4096], passes[4096], log[4096], fr[16], sc[64], dsc[64];
    snprintf(out, sizeof(out), "%s/cost-%s.out", workdir, c->label);
    snprintf(passes, sizeof(passes), "%s/cost-%s.json", workdir, c->label);
    snprintf(log, sizeof(log), "%s/cost-%s.log", workdir, c->label);
    snprintf(fr, sizeof(fr), "%d", frames);
    snprintf(sc, sizeof(sc), "scale=%s", c->scale);
    snprintf(dsc, sizeof(dsc), "dscale=%s", c->scale);
    char *argv[40];
    int n = 0;
    argv[n++] = (char *)host;
    argv[n++] = "--file"; argv[n++] = (char *)c->input;
    argv[n++] = "--size"; argv[n++] = "1920x1080";
    argv[n++] = "--play"; argv[n++] = "--frames"; argv[n++] = fr;
    argv[n++] = "--opt"; argv[n++] = "loop-file=inf";
    argv[n++] = "--opt"; argv[n++] = sc;
    argv[n++] = "--opt"; argv[n++] = dsc;
    argv[n++] = "--passes"; argv[n++] = passes;
    argv[n++] = "--log"; argv[n++] = log;
    argv[n++] = "--timeout"; argv[n++] = "900";
    if (c->shader) {
        argv[n++] = "--shaders"; argv[n++] = (char *)c->shader;
    }
    argv[n] = NULL;
    nr_process_result res;
    if (!nr_run_process(argv, out, 920, &res) || !res.exited || res.exit_code != 0) {
        fprintf(stderr, "bench-rescale: cost %s failed, see %s\n", c->label, out);
        return;
    }
    FILE *f = fopen(out, "r");
    char line[2048];
    while (f && fgets(line, sizeof(line), f)) {
        char kind[16], desc[1024];
        double median, last;
        int samples;
        if (sscanf(line, "pass\t%15[^\t]\t%lf\t%lf\t%d\t%1023[^\n]", kind, &median, &last,
                   &samples, desc) != 5 || strcmp(kind, "fresh"))
            continue;
        if (strstr(desc, "user shader: nativeres")) {
            c->user_ms += median;
            c->user_passes++;
            if (strstr(desc, "descale horizontal") || strstr(desc, "descale vertical"))
                c->descale_ms += median;
            if (strstr(desc, "nativeres hq")) {
                c->hq_ms += median;
                c->hq_passes++;
            }
        } else if (!strstr(desc, "upload") && !strstr(desc, "osd") &&
                   !strstr(desc, "combining planes")) {
            c->mpv_ms += median;
        }
    }
    if (f)
        fclose(f);
    c->ok = true;
}

static void bench_cost(const float *truth)
{
    const char *env = getenv("NR_BENCH_FRAMES");
    int frames = env ? atoi(env) : 12;
    if (frames < 12)
        frames = 12;
    const studio *st = &studios[0];
    float *native = malloc(sizeof(float) * (size_t)st->nw * st->nh);
    if (!native || !downscale(truth, SW, SH, st->nw, st->nh, native))
        return;
    float *src = studio_upscale(native, st, SW, SH);
    char y4m[4096], nat[4096], err[256], dsh[4096], fsh[4096], bsh[4096], hsh[4096];
    snprintf(y4m, sizeof(y4m), "%s/cost-1080p.y4m", workdir);
    snprintf(nat, sizeof(nat), "%s/cost-720p.y4m", workdir);
    nr_image a = { .w = SW, .h = SH, .channels = 1, .data = src };
    nr_image b = { .w = st->nw, .h = st->nh, .channels = 1, .data = native };
    if (!src || !nr_y4m_gray_write(y4m, &a, 8, 255, 8, err, sizeof(err)) ||
        !nr_y4m_gray_write(nat, &b, 8, 255, 8, err, sizeof(err)) ||
        !make_shader("descale", NULL, SW, SH, st->nw, st->nh, st->kernel, dsh, sizeof(dsh)) ||
        !make_shader("rescale", "fast", SW, SH, st->nw, st->nh, st->kernel, fsh, sizeof(fsh)) ||
        !make_shader("rescale", "balanced", SW, SH, st->nw, st->nh, st->kernel, bsh, sizeof(bsh)) ||
        !make_shader("rescale", "hq", SW, SH, st->nw, st->nh, st->kernel, hsh, sizeof(hsh)))
        return;
    /* the learned upscaler alone after the descale: the built-in table and,
     * with --compare-model, another (e.g. the previous version), same run */
    char ush[4096], csh[4096], dush[8192], dcsh[8192], clabel[96];
    bool with_up = make_upscale_shader(NULL, "builtin", st->nw, st->nh, SW, SH, ush, sizeof(ush));
    bool with_cmp = compare_model &&
        make_upscale_shader(compare_model, "compare", st->nw, st->nh, SW, SH, csh, sizeof(csh));
    if (compare_model && !with_cmp)
        fprintf(stderr, "bench-rescale: cannot write the upscaler from %s\n", compare_model);
    snprintf(dush, sizeof(dush), "%s:%s", dsh, ush);
    snprintf(dcsh, sizeof(dcsh), "%s:%s", dsh, with_cmp ? csh : "");
    const char *base = compare_model ? strrchr(compare_model, '/') : NULL;
    snprintf(clabel, sizeof(clabel), "descale+upscaler %.60s",
             base ? base + 1 : compare_model ? compare_model : "");
    cost c[] = {
        { .label = "descale+spline36", .shader = dsh, .input = y4m, .scale = "spline36" },
        { .label = "fast+spline36", .shader = fsh, .input = y4m, .scale = "spline36" },
        { .label = "balanced", .shader = bsh, .input = y4m, .scale = "spline36" },
        { .label = "hq", .shader = hsh, .input = y4m, .scale = "spline36" },
        { .label = "mpv-spline36-720p-to-1080p", .shader = NULL, .input = nat, .scale = "spline36" },
        { .label = "descale+upscaler built-in", .shader = dush, .input = y4m, .scale = "spline36" },
        { .label = clabel, .shader = dcsh, .input = y4m, .scale = "spline36" },
    };
    int nc = with_up ? (with_cmp ? 7 : 6) : 5;
    printf("\nGPU cost, 720p bilinear source shown at 1080p, vo_gpu (nr-mpv-host, llvmpipe unless "
           "NR_MPV_GPU=1), median of vo-passes samples over %d frames:\n", frames);
    for (int i = 0; i < nc; i++) {
        run_cost(&c[i], frames);
        if (c[i].ok)
            printf("  %-28s nativeres passes %2d: %9.3f ms   mpv's own passes: %9.3f ms\n",
                   c[i].label, c[i].user_passes, c[i].user_ms, c[i].mpv_ms);
        else
            printf("  %-28s failed\n", c[i].label);
        fflush(stdout);
    }
    if (c[0].ok && c[0].user_ms > 0) {
        for (int i = 1; i < 4; i++)
            if (c[i].ok)
                printf("  %-28s x descale passes: %.2f   (whole luma path incl. mpv's scaling vs "
                       "descale + spline36: %.2f)\n", c[i].label, c[i].user_ms / c[0].user_ms,
                       (c[i].user_ms + c[i].mpv_ms) / (c[0].user_ms + c[0].mpv_ms));
    }
    /* the same ratio within one run: the chain's passes over its own descale
     * passes (the same code as the descale shader's), immune to the load of a
     * shared machine changing between runs */
    for (int i = 1; i < nc; i++)
        if (c[i].ok && c[i].descale_ms > 0)
            printf("  %-28s x its own descale passes (same run): %.2f\n", c[i].label,
                   c[i].user_ms / c[i].descale_ms);
    for (int i = 3; i < nc; i++)
        if (c[i].ok && c[i].hq_passes && c[i].descale_ms > 0)
            printf("  %-28s learned upscaler passes: %9.3f ms (%d passes), %.2f x its descale "
                   "passes\n", c[i].label, c[i].hq_ms, c[i].hq_passes, c[i].hq_ms / c[i].descale_ms);
    free(native);
    free(src);
}

static void summary(void)
{
    printf("\nSummary per path (mean over frames; min gain vs descale+spline36 in the same row set):\n");
    const char *studios_seen[16];
    int ns = 0;
    for (int i = 0; i < nrows; i++) {
        bool seen = false;
        for (int j = 0; j < ns; j++)
            seen |= !strcmp(studios_seen[j], rows[i].studio);
        if (!seen && ns < 16)
            studios_seen[ns++] = rows[i].studio;
    }
    for (int s = 0; s < ns; s++) {
        printf("  %s\n", studios_seen[s]);
        const char *paths[16];
        int np = 0;
        for (int i = 0; i < nrows; i++) {
            if (strcmp(rows[i].studio, studios_seen[s]))
                continue;
            bool seen = false;
            for (int j = 0; j < np; j++)
                seen |= !strcmp(paths[j], rows[i].path);
            if (!seen && np < 16)
                paths[np++] = rows[i].path;
        }
        for (int p = 0; p < np; p++) {
            double sp = 0, ss = 0, min_dp = 1e9, min_ds = 1e9;
            int k = 0;
            for (int i = 0; i < nrows; i++) {
                const row *r = &rows[i];
                if (strcmp(r->studio, studios_seen[s]) || strcmp(r->path, paths[p]) || isnan(r->psnr))
                    continue;
                sp += r->psnr;
                ss += r->ssim;
                k++;
                for (int j = 0; j < nrows; j++)
                    if (!strcmp(rows[j].studio, r->studio) && !strcmp(rows[j].frame, r->frame) &&
                        !strcmp(rows[j].path, "descale+spline36") && !isnan(rows[j].psnr)) {
                        min_dp = fmin(min_dp, r->psnr - rows[j].psnr);
                        min_ds = fmin(min_ds, r->ssim - rows[j].ssim);
                    }
            }
            if (k)
                printf("    %-22s PSNR %6.2f  SSIM %.5f  (%d frames; worst frame vs descale+spline36: "
                       "%+.2f dB, %+.5f)\n", paths[p], sp / k, ss / k, k,
                       min_dp < 1e8 ? min_dp : 0, min_ds < 1e8 ? min_ds : 0);
        }
    }
}

static const row *find_row(const char *frame, const char *studio, const char *path)
{
    for (int i = 0; i < nrows; i++)
        if (!strcmp(rows[i].frame, frame) && !strcmp(rows[i].studio, studio) &&
            !strcmp(rows[i].path, path) && !isnan(rows[i].psnr))
            return &rows[i];
    return NULL;
}

/* Per frame at 2x: spline36, each peer alone, hq, hq minus the best peer
 * alone (PSNR and SSIM each: the best in that metric), as a markdown table. */
static void table_2x(void)
{
    const char *st = "2x 540p<-360p bilinear";
    if (npeers <= 0)
        return;
    printf("\n2x screen (540p bilinear from 360p, shown at 1080p), luma PSNR dB / SSIM vs the truth:\n\n"
           "| frame | spline36 |");
    for (int i = 0; i < npeers; i++)
        printf(" %s alone |", peers[i].label);
    printf(" hq | hq - best peer alone |\n|---|---|");
    for (int i = 0; i < npeers; i++)
        printf("---|");
    printf("---|---|\n");
    double gain = 0, min_dp = 1e9, min_ds = 1e9;
    int k = 0;
    for (int f = 0; f < nrows; f++) {
        if (strcmp(rows[f].studio, st) || strcmp(rows[f].path, "spline36"))
            continue;
        const char *frame = rows[f].frame;
        const row *sp = find_row(frame, st, "spline36"), *hq = find_row(frame, st, "hq");
        if (!sp || !hq)
            continue;
        printf("| %s | %.2f / %.4f |", frame, sp->psnr, sp->ssim);
        double bp = -1e9, bs = -1e9;
        for (int i = 0; i < npeers; i++) {
            char name[48];
            snprintf(name, sizeof(name), "alone:%.39s", peers[i].label);
            const row *r = find_row(frame, st, name);
            if (r) {
                printf(" %.2f / %.4f |", r->psnr, r->ssim);
                bp = fmax(bp, r->psnr);
                bs = fmax(bs, r->ssim);
            } else {
                printf(" failed |");
            }
        }
        printf(" %.2f / %.4f | %+.2f / %+.4f |\n", hq->psnr, hq->ssim, hq->psnr - bp,
               hq->ssim - bs);
        gain += hq->psnr - sp->psnr;
        min_dp = fmin(min_dp, hq->psnr - bp);
        min_ds = fmin(min_ds, hq->ssim - bs);
        k++;
    }
    if (k)
        printf("\nhq over spline36: %+.2f dB mean luma PSNR over %d frames; hq minus the best "
               "peer alone, worst frame: %+.2f dB, %+.4f SSIM\n", gain / k, k, min_dp, min_ds);
}

/* Real frames to use: the listed ones first, then the rest of DIR/frames/dev
 * in name order (only reached with --real above the list's length). */
static int real_frames(const char *shared, const char *const *listed, int nlisted,
                       char names[][64], int max)
{
    int n = 0;
    for (int i = 0; i < nlisted && n < max; i++)
        snprintf(names[n++], 64, "%s", listed[i]);
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/frames/dev", shared);
    struct dirent **ents = NULL;
    int m = scandir(dir, &ents, NULL, alphasort);
    for (int i = 0; i < m; i++) {
        size_t len = strlen(ents[i]->d_name);
        bool seen = len < 5 || len >= 64 || strcmp(ents[i]->d_name + len - 4, ".png");
        for (int j = 0; j < nlisted && !seen; j++)
            seen = !strncmp(listed[j], ents[i]->d_name, len - 4) && strlen(listed[j]) == len - 4;
        if (!seen && n < max) {
            snprintf(names[n], 64, "%.*s", (int)(len - 4), ents[i]->d_name);
            n++;
        }
        free(ents[i]);
    }
    free(ents);
    return n;
}

int main(int argc, char **argv)
{
    const char *shared = NULL;
    int real_max = 3;
    bool cost_only = false;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--gen")) gen = argv[i + 1];
        else if (!strcmp(argv[i], "--host")) host = argv[i + 1];
        else if (!strcmp(argv[i], "--workdir")) workdir = argv[i + 1];
        else if (!strcmp(argv[i], "--shared")) shared = argv[i + 1];
        else if (!strcmp(argv[i], "--real")) real_max = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--only") && !strcmp(argv[i + 1], "cost")) cost_only = true;
        else if (!strcmp(argv[i], "--only") && !strcmp(argv[i + 1], "2x")) only_2x = true;
        else if (!strcmp(argv[i], "--peers")) peers_dir = argv[i + 1];
        else if (!strcmp(argv[i], "--compare-model")) compare_model = argv[i + 1];
        else if (!strcmp(argv[i], "--native-kernel")) native_kernel = argv[i + 1];
        else {
            fprintf(stderr, "bench-rescale: unknown flag %s\n", argv[i]);
            return 2;
        }
    }
    if (!gen || !host || !workdir) {
        fprintf(stderr, "usage: bench-rescale --gen GEN --host HOST --workdir D [--shared DIR] [--real N]\n");
        return 2;
    }
    mkdir(workdir, 0755);
    const char *x = getenv("NR_BENCH_X264");
    bool x264 = !(x && !strcmp(x, "0"));
    size_t n = (size_t)SW * SH;
    float *truth = malloc(sizeof(float) * n);
    if (!truth)
        return 1;
    printf("rescale quality: luma vs the truth, rendered by libplacebo (ffmpeg libplacebo filter, "
           "lavapipe); 1080p output\n");
    synth_opts so;
    synth_opts_default(&so);
    synth_frame(truth, SW, SH, SW, 11, &so);
    synth_quantize8(truth, SW, SH, SW);
    if (cost_only) {
        bench_cost(truth);
        free(truth);
        return 0;
    }
    bench_frame("synthetic", truth, x264);
    if (!only_2x)
        bench_cost(truth);

    /* in this order, --real N of them (default 3); the last three are the frames where
     * a gamma-light sigmoid fell under mpv's own (bright lines on dark, a dark
     * frame) */
    static const char *const real[] = { "bocchi_1", "kimetsunoyaiba_1", "owarimonogatari_1",
                                        "cote_1", "mushokutensei_1", "unknown-blueeyes_1",
                                        "unknown-digitalchibi_1", "unknown-dark_1" };
    int used = 0;
    const char *only = getenv("NR_BENCH_REAL");   /* one frame name, e.g. bocchi_1 */
    static char names[256][64];
    int nnames = shared ? real_frames(shared, real, (int)(sizeof(real) / sizeof(real[0])),
                                      names, 256) : 0;
    for (int i = 0; i < nnames && used < real_max; i++) {
        char png[4096];
        if (only && *only && strcmp(only, names[i]))
            continue;
        snprintf(png, sizeof(png), "%s/frames/dev/%s.png", shared, names[i]);
        if (access(png, R_OK) != 0 || !load_truth(png, truth))
            continue;
        bench_frame(names[i], truth, x264);
        used++;
    }
    if (!used)
        printf("(no real frames: %s/frames/dev not present; SKIP real-frame rows)\n",
               shared ? shared : "--shared");
    summary();
    table_2x();
    free(truth);
    return 0;
}
