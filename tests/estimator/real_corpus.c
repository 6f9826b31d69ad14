/*
 * Realistic corpus of the estimator, built from the real Blu-ray frames in
 * ../shared/frames and ../shared/frames/dev (third-party pictures: read
 * from there at run time, never copied into the project; derived pixels
 * live only in a temporary folder that is removed at the end).
 *
 * Construction (the same as the private holdout of issue 11):
 *   real 1080p frame (BT.709 luma) -> neutral lanczos3 downscale to a
 *   native size (fractional sizes by the centred-window rule) -> studio
 *   upscale with a known kernel (libnativeres' nr_upscale) -> 8 bit ->
 *   none, x264 CRF 14/18/22 or x265 CRF 18 (ffmpeg CLI).
 * Negatives: the real frames that are not known upscales, as they are and
 * through x264 CRF 18. Clips: one-second (24 frame) pans across a real
 * frame (the native picture moves by 1.3 px a frame horizontally and
 * 0.4 vertically, so every frame's compression differs), upscaled or
 * native, x264 CRF 18..22: judged frame by frame and pooled (nr_pool).
 * The dev frames whose native height is known publicly are judged as they
 * are.
 *
 *   real_corpus FFMPEG SHARED_DIR [--quick] [--floors] [--frames-only | --clips-only]
 *               [--more-clips] [--cache DIR] [--write-clips DIR]
 *
 * Prints every case and the confusion tables. SHARED_DIR missing (or
 * without frames): prints SKIP and exits 77 (meson's "skipped"). With
 * --floors, exits 1 when a measured rate falls below the floors at the end
 * of this file (honest floors: what the estimator reaches, a little
 * under).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "corpus_util.h"
#include "image_io.h"
#include "pool_dump.h"
#include "nativeres_estimate.h"

#define W CORPUS_W
#define H CORPUS_H
#define CLIP_FRAMES 24

/* Floors asserted with --floors: what the estimator reaches on the quick
 * single-frame corpus and on the full one (full: 94.4% exact
 * uncompressed, 46.7% overall, 0.80 wrong heights per 36 since the
 * single-frame rule at k/8 sizes, 1.20 before; 100% uncompressed and
 * 50.0% since the fine sweep falls back to wider neighbours on soft
 * pictures and the joint bound is 0.6; quick: 100% / 43.3% since then, before 91.7% exact uncompressed, 41.7% overall,
 * 40.0% since the 32-block rule; no wrong height in 60 since letterboxed
 * pictures are measured on the whole frame's grid too (0.6 per 36 before;
 * 7.8 before the codec-grid discount), no native frame called upscaled, 3
 * of the 5 dev frames with a public height right), a little under: one
 * uncompressed frame, two frames overall, one wrong height of margin
 * (issue 11 allows one in 36). Far from issue 11's
 * targets (>= 97% / 85%): most compressed frames end unsure; see the
 * README. */
/* uncompressed upscales: issue 11's own bound (every one is found on both
 * sets since the soft-picture fallback; one miss in 12 or 18 fails) */
#define FLOOR_EXACT_8BIT 0.97
#define FLOOR_EXACT 0.36
#define CEIL_WRONG_PER_36 1.0
#define CEIL_POOL_WRONG 0
#define FLOOR_POOL_RIGHT 0.33   /* pooled clips: 5 of 12 right (--clips-only) */
#define FLOOR_POOL_NATIVE 0.75  /* native clips that end native: 4 of 4 */
/* dev frames with a public height right: 3 of 5 since an axis with few
 * blocks over the 4x noise floor takes those over 2x (prismaillya_1, a
 * public 720p, was unsure: its height axis had none over 4x) */
#define FLOOR_KNOWN 3
/* kernel family of the right heights (quick set: 96.0% since the b/c
 * pairs no smoother than mitchell, hermite among them, are scored like
 * the swept kernels; 76.0% before; 88.5% since a soft source's 955.75
 * catrom is found at all (its kernels fit alike: bilinear); full set
 * 95.6%): issue 11's own floor */
#define FLOOR_FAMILY 0.85

/* ------------------------------------------------------------------ */
/* sources                                                             */

typedef struct source {
    const char *file;       /* relative to SHARED_DIR */
    double known;           /* public native height of the frame; 0 none; -1 native */
    bool negative;          /* usable as a native-1080 negative */
    /* Native-size frames that are probably upscales themselves: the
     * estimator finds the same size on independent halves of the frame
     * as it is (milkyholmes_2: 720 on the whole frame, both halves side
     * by side and 360 on the top half, as milkyholmes_1 of the same OP;
     * unknown-pinkhair_1: 874 on the right half, 437 x 1554 on the top
     * half; bocchi_1: 871.5 x 1549.33 on the whole frame, 870.75 on the
     * right half; unknown-blueeyes_1: 874 / 873.5 / 874 on the whole
     * frame and both halves; unknown-closeup_1: 874 on the whole frame,
     * 437 on the top half). No native frame with a public answer
     * (digitalchibi, the manaria end card) dips at one size twice. Their
     * frames as they are count in neither row of the tables (a row of
     * their own); upscaled further down they are ordinary cases. */
    bool unknown;
} source;

/* Frames known or said to be upscales are no negatives; nor are cote_1,
 * milkyholmes_1, naginoasukara_1 (a clean 720p dip on the frame as it is,
 * found with confidence 0.84-0.89 by the estimator before this corpus
 * existed: most likely 720p productions) and unknown-blazer_1 (810). */
static const source sources[] = {
    {"frames/encmoe_akanesasu01_src_900p.png", 900, false, false},
    {"frames/encmoe_kizumonogatari1_letterbox.png", 0, false, false},
    {"frames/encmoe_manaria03_grain.png", 0, false, false},
    {"frames/encmoe_manaria04_878p.png", 878, false, false},
    {"frames/encmoe_manaria_endcard_native1080.png", -1, true, false},
    {"frames/dev/bangdream_1.png", 0, true, false},
    {"frames/dev/bocchi_1.png", 0, true, true},
    {"frames/dev/buddydaddies_1.png", 0, true, false},
    {"frames/dev/cote_1.png", 0, false, false},
    {"frames/dev/danganronpa_1.png", 0, false, false},
    {"frames/dev/fruitsbasket_1.png", 0, true, false},
    {"frames/dev/kimetsunoyaiba_1.png", 0, false, false},
    {"frames/dev/kuzunohonkai_1.png", 720, false, false},
    {"frames/dev/lovelivesuperstar_1.png", 0, false, false},
    {"frames/dev/milkyholmes_1.png", 0, false, false},
    {"frames/dev/milkyholmes_2.png", 0, true, true},
    {"frames/dev/mushokutensei_1.png", 0, true, false},
    {"frames/dev/naginoasukara_1.png", 0, false, false},
    {"frames/dev/nijigasaki_1.png", 0, true, false},
    {"frames/dev/owarimonogatari_1.png", 720, false, false},
    {"frames/dev/paniponidash_1.png", 0, false, false},
    {"frames/dev/prismaillya_1.png", 720, false, false},
    {"frames/dev/unknown-blazer_1.png", 0, false, false},
    {"frames/dev/unknown-blueeyes_1.png", 0, true, true},
    {"frames/dev/unknown-closeup_1.png", 0, true, true},
    {"frames/dev/unknown-dark_1.png", 0, true, false},
    {"frames/dev/unknown-deegle_1.png", 0, true, false},
    {"frames/dev/unknown-digitalchibi_1.png", -1, true, false},
    {"frames/dev/unknown-pinkhair_1.png", 0, true, true},
    {"frames/dev/unknown-tenkataihei_1.png", 0, true, false},
};
enum { NSRC = sizeof(sources) / sizeof(*sources) };

static const double heights[] = {720, 810, 844, 873, 900, 955.75, 843.75};
enum { NH = sizeof(heights) / sizeof(*heights) };
static const char *const kernel_names[] = {
    "bilinear", "catrom", "mitchell", "bicubicsharp", "lanczos3", "spline36", "hermite",
    "adobebicubic", "bicubic:0.25:0.45",
};
enum { NK = sizeof(kernel_names) / sizeof(*kernel_names) };
/* codec 0 none, 1 x264, 2 x265 */
static const int codecs[][2] = {{0, 0}, {1, 14}, {1, 18}, {1, 22}, {2, 18}};
enum { NC = sizeof(codecs) / sizeof(*codecs) };

static bool parse_kernel(const char *name, nr_kernel *k)
{
    double b, c;
    if (sscanf(name, "bicubic:%lf:%lf", &b, &c) == 2) {
        nr_kernel_parse("bicubic", k);
        k->b = b;
        k->c = c;
        return true;
    }
    return nr_kernel_parse(name, k);
}

/* ------------------------------------------------------------------ */
/* neutral lanczos3 resampling (anti-aliased when shrinking)           */

static double lanczos3(double x)
{
    x = fabs(x);
    if (x < 1e-9)
        return 1;
    if (x >= 3)
        return 0;
    double px = M_PI * x;
    return 3 * sin(px) * sin(px / 3) / (px * px);
}

/* One axis: out sample j (of n_out) centred at input position
 * (j + 0.5 - start) * n_in / size + shift, i.e. the window [start,
 * start + size) of the output grid covers the whole input; mirror borders. */
static void resample_axis(const float *src, ptrdiff_t src_step, int n_in, float *dst,
                          ptrdiff_t dst_step, int n_out, double start, double size,
                          double shift, double *wbuf)
{
    double scale = n_in / size, support = 3 * (scale > 1 ? scale : 1);
    double kscale = scale > 1 ? scale : 1;
    for (int j = 0; j < n_out; j++) {
        double x = (j + 0.5 - start) * scale + shift;   /* in input pixel units */
        int lo = (int)floor(x - support), hi = (int)ceil(x + support);
        double sum = 0, acc = 0;
        int n = 0;
        for (int i = lo; i <= hi; i++) {
            double wgt = lanczos3((i + 0.5 - x) / kscale);
            wbuf[n++] = wgt;
            sum += wgt;
        }
        n = 0;
        for (int i = lo; i <= hi; i++) {
            int m = i;
            while (m < 0 || m >= n_in)
                m = m < 0 ? -m - 1 : 2 * n_in - m - 1;
            acc += wbuf[n++] * src[(ptrdiff_t)m * src_step];
        }
        dst[(ptrdiff_t)j * dst_step] = (float)(acc / sum);
    }
}

/* full W x H -> the native grid of `s` (its window), shifted by (dx, dy)
 * full pixels (a pan); same-size when s is the identity */
static int neutral_resample(const float *src, const nr_scale *s, double dx, double dy,
                            float *dst)
{
    int nw = s->native_w, nh = s->native_h;
    double ww = s->win_width > 0 ? s->win_width : nw, wh = s->win_height > 0 ? s->win_height : nh;
    float *tmp = malloc(sizeof(float) * (size_t)nw * H);
    double *wbuf = malloc(sizeof(double) * 4096);
    if (!tmp || !wbuf) {
        free(tmp);
        free(wbuf);
        return -1;
    }
    for (int y = 0; y < H; y++)
        resample_axis(src + (size_t)y * W, 1, W, tmp + (size_t)y * nw, 1, nw, s->win_left, ww,
                      dx, wbuf);
    for (int x = 0; x < nw; x++)
        resample_axis(tmp + x, nw, H, dst + x, nw, nh, s->win_top, wh, dy, wbuf);
    free(tmp);
    free(wbuf);
    return 0;
}

static void quantize8(float *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        float v = p[i] < 0 ? 0 : p[i] > 1 ? 1 : p[i];
        p[i] = floorf(v * 255.0f + 0.5f) / 255.0f;
    }
}

/* the source picture as the studio delivered it: native height `height`
 * (0 = native 1080), kernel, pan offset; 8-bit */
static int make_frame(const float *src, double height, const nr_kernel *k, double dx, double dy,
                      float *out)
{
    char err[160];
    nr_scale s;
    memset(&s, 0, sizeof(s));
    if (height <= 0) {
        s.native_w = s.full_w = W;
        s.native_h = s.full_h = H;
        if (dx == 0 && dy == 0)
            memcpy(out, src, sizeof(float) * W * H);
        else if (neutral_resample(src, &s, dx, dy, out) < 0)
            return -1;
        quantize8(out, (size_t)W * H);
        return 0;
    }
    s.kernel = *k;
    s.border = NR_BORDER_MIRROR;
    if (nr_scale_for_height(&s, W, H, height, 0, err, sizeof(err)) < 0) {
        fprintf(stderr, "bad height %g: %s\n", height, err);
        return -1;
    }
    float *low = malloc(sizeof(float) * (size_t)s.native_w * s.native_h);
    if (!low || neutral_resample(src, &s, dx, dy, low) < 0 ||
        nr_upscale(&s, low, s.native_w, out, W) < 0) {
        free(low);
        return -1;
    }
    free(low);
    quantize8(out, (size_t)W * H);
    return 0;
}

/* ------------------------------------------------------------------ */
/* compression through the ffmpeg CLI                                  */

/* --cache DIR: built (and coded) frames are kept there as 8-bit luma, so
 * that a rerun (an experiment on the estimator) skips building and coding.
 * The folder is the caller's, outside the project; nothing is cached
 * without the option. */
static const char *cache_dir;

static void cache_path(char *buf, size_t n, const char *kind, int src, double height, int kernel,
                       int codec, int crf, int t)
{
    snprintf(buf, n, "%s/%s-%d-%g-%d-%d-%d-%d.y8", cache_dir, kind, src, height, kernel, codec,
             crf, t);
}

static bool cache_load(const char *path, unsigned char *y8, float *frame)
{
    FILE *f = cache_dir ? fopen(path, "rb") : NULL;
    if (!f)
        return false;
    bool ok = fread(y8, 1, (size_t)W * H, f) == (size_t)W * H;
    fclose(f);
    for (size_t p = 0; ok && p < (size_t)W * H; p++)
        frame[p] = y8[p] / 255.0f;
    return ok;
}

static void cache_store(const char *path, unsigned char *y8, const float *frame)
{
    if (!cache_dir)
        return;
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    for (size_t p = 0; p < (size_t)W * H; p++)
        y8[p] = (unsigned char)(frame[p] * 255.0f + 0.5f);
    if (fwrite(y8, 1, (size_t)W * H, f) != (size_t)W * H)
        fprintf(stderr, "warning: could not write %s\n", path);
    fclose(f);
}

/* ------------------------------------------------------------------ */
/* cases                                                               */

typedef struct frame_case {
    int src;
    double height;       /* 0: native */
    int kernel;          /* index into kernel_names */
    int codec, crf;
    nr_estimate est;
    /* nr_pool_confirm on the frame alone: the truth confirmed (upscaled),
     * or how many of the corpus heights a native frame wrongly confirms */
    int confirmed, false_confirms;
} frame_case;

typedef struct clip_case {
    int src;
    double height;
    int kernel;
    int crf;
    int frames_right, frames_wrong, frames_native, frames_unsure;
    nr_estimate pooled;
    int pooled_frames;
    nr_estimate voted;
    int confirmed, false_confirms;   /* as frame_case's, on the clip's pool */
} clip_case;

/* --write-clips DIR (instead of measuring): each clip, its pan played
 * forth and back WRITE_LOOPS times (one shot, no cut, WRITE_LOOPS x 2 s at
 * 24 fps), coded as the clip is, as DIR/clipNN.mkv, and a line of
 * DIR/clips.tsv (file, source, truth: height and kernel, or native /
 * unknown, CRF): the plugin's benchmark on real-frame clips plays them */
#define WRITE_LOOPS 2
static const char *clips_out;
static const char *short_name(const char *file);

static int write_clip(const char *ffmpeg, const char *out, const char *dir, int index,
                      const clip_case *cl, const float *pic, const nr_kernel *k, float *frame)
{
    FILE *y4m = corpus_y4m_open(dir);
    if (!y4m)
        return -1;
    int frames = 2 * CLIP_FRAMES * WRITE_LOOPS;
    for (int t = 0; t < frames; t++) {
        int u = t % (2 * CLIP_FRAMES);
        u = u < CLIP_FRAMES ? u : 2 * CLIP_FRAMES - 1 - u;   /* forth, then back */
        if (make_frame(pic, cl->height, k, 1.3 * u, 0.4 * u, frame) < 0) {
            fclose(y4m);
            return -1;
        }
        /* coded as a Blu-ray codes it, in limited range (16-235): mpv plays
         * the clip as limited, and full-range values lost their darkest
         * lineart and brightest highlights to clipping on the way to RGB */
        for (size_t i = 0; i < (size_t)CORPUS_W * CORPUS_H; i++)
            frame[i] = (16.0f + 219.0f * fminf(fmaxf(frame[i], 0.0f), 1.0f)) / 255.0f;
        if (corpus_y4m_frame(y4m, frame) < 0) {
            fclose(y4m);
            return -1;
        }
    }
    if (fclose(y4m) != 0 || corpus_compress(ffmpeg, dir, 1, cl->crf, 1) < 0)
        return -1;
    char cmd[1400], truth[64];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s/enc.mkv' '%s/clip%02d.mkv'", out, dir,
             out, index);
    if (system(cmd) != 0)
        return -1;
    if (cl->height > 0)
        snprintf(truth, sizeof(truth), "%g\t%s", cl->height, kernel_names[cl->kernel]);
    else
        snprintf(truth, sizeof(truth), "%s\t-", sources[cl->src].unknown ? "unknown" : "native");
    snprintf(cmd, sizeof(cmd), "%s/clips.tsv", out);
    FILE *f = fopen(cmd, index == 0 ? "w" : "a");
    if (!f)
        return -1;
    fprintf(f, "clip%02d.mkv\t%s\t%s\t%d\n", index, short_name(sources[cl->src].file), truth,
            cl->crf);
    return fclose(f) == 0 ? 0 : -1;
}

static bool right_height(const nr_estimate *e, double truth)
{
    return e->verdict == NR_VERDICT_UPSCALED && truth > 0 &&
           fabs(corpus_est_height(e) - truth) <= (truth != floor(truth) ? 0.25 : 1e-9);
}

static bool right_family(const nr_estimate *e, int kernel)
{
    nr_kernel t;
    parse_kernel(kernel_names[kernel], &t);
    return !strcmp(corpus_kernel_family(&t), corpus_kernel_family(&e->scale.kernel));
}

static const char *short_name(const char *file)
{
    const char *s = strrchr(file, '/');
    return s ? s + 1 : file;
}

/* A known answer checked on a pool (nr_pool_confirm): the truth for an
 * upscale, else every corpus height in turn (catrom) for a native picture,
 * counted in *confirmed / *false_confirms. */
static void confirm_known(const nr_pool *pool, double height, int kernel, int *confirmed,
                          int *false_confirms)
{
    nr_estimate out;
    nr_scale s;
    char err[160];
    memset(&s, 0, sizeof(s));
    *confirmed = *false_confirms = 0;
    for (int i = 0; i < (height > 0 ? 1 : NH); i++) {
        parse_kernel(kernel_names[height > 0 ? kernel : 1], &s.kernel);
        s.border = NR_BORDER_MIRROR;
        if (nr_scale_for_height(&s, W, H, height > 0 ? height : heights[i], 0, err, sizeof(err)) < 0)
            continue;
        int r = nr_pool_confirm(pool, &s, &out);
        /* the pool's own right answer stands as it is */
        bool right = out.verdict == NR_VERDICT_UPSCALED &&
                     fabs(corpus_est_height(&out) - (height > 0 ? height : heights[i])) <= 1;
        nr_estimate_free(&out);
        if (height > 0)
            *confirmed = right;
        else
            *false_confirms += r == 1;
    }
}

static void describe(char *buf, size_t n, const nr_estimate *e)
{
    if (e->verdict != NR_VERDICT_UPSCALED) {
        snprintf(buf, n, "%s", nr_verdict_name(e->verdict));
        return;
    }
    char kn[32];
    nr_kernel_name(&e->scale.kernel, kn, sizeof(kn));
    if (e->scale.kernel.type == NR_KERNEL_BICUBIC)
        snprintf(buf, n, "%g %s(b=%.2f c=%.2f)", corpus_est_height(e), kn, e->scale.kernel.b,
                 e->scale.kernel.c);
    else
        snprintf(buf, n, "%g %s", corpus_est_height(e), kn);
}

static void codec_text(char *buf, size_t n, int codec, int crf)
{
    if (!codec)
        snprintf(buf, n, "8bit");
    else
        snprintf(buf, n, "%s/%d", codec == 2 ? "x265" : "x264", crf);
}

/* ------------------------------------------------------------------ */

static int load_sources(const char *shared, float **pics)
{
    int loaded = 0;
    for (int i = 0; i < NSRC; i++) {
        char path[1024], err[512];
        snprintf(path, sizeof(path), "%s/%s", shared, sources[i].file);
        nr_image img;
        pics[i] = NULL;
        if (access(path, R_OK) != 0)
            continue;
        if (nr_image_load_luma(path, &img, err, sizeof(err)) < 0) {
            fprintf(stderr, "warning: %s\n", err);
            continue;
        }
        if (img.width != W || img.height != H) {
            nr_image_free(&img);
            continue;
        }
        for (size_t p = 0; p < (size_t)W * H; p++)   /* the PNGs are 8-bit RGB */
            img.data[p] = img.data[p] < 0 ? 0 : img.data[p] > 1 ? 1 : img.data[p];
        pics[i] = img.data;
        loaded++;
    }
    return loaded;
}

/* NR_FRAME_DUMP=DIR: each single frame's coarse curves (both axes, every
 * kernel) as text, DIR/NNN.txt, headed by the case (source, truth, kernel,
 * codec): derived numbers only, for trying pick rules offline */
static char dump_label[200];
static int dump_count;

static void dump_curves(const nr_estimate *e)
{
    const char *dir = getenv("NR_FRAME_DUMP");
    if (!dir || !dump_label[0])
        return;
    char path[600];
    snprintf(path, sizeof(path), "%s/%03d.txt", dir, dump_count++);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "# %s\n", dump_label);
    fprintf(f, "# codec_grid %g %g crop %d %d %d %d\n", e->codec_grid[0], e->codec_grid[1],
            e->crop_x, e->crop_y, e->crop_w, e->crop_h);
    fprintf(f, "# verdict %s %g\n", nr_verdict_name(e->verdict), corpus_est_height(e));
    for (int i = 0; i < e->num_height_candidates; i++)
        fprintf(f, "ch %g %d %g\n", e->height_candidates[i].size, e->height_candidates[i].kernel.type,
                1 - e->height_candidates[i].score);
    for (int i = 0; i < e->num_width_candidates; i++)
        fprintf(f, "cw %g %d %g\n", e->width_candidates[i].size, e->width_candidates[i].kernel.type,
                1 - e->width_candidates[i].score);
    for (int ax = 0; ax < 2; ax++) {
        const nr_curve *cv = ax ? e->width_curves : e->height_curves;
        int nc = ax ? e->num_width_curves : e->num_height_curves;
        for (int k = 0; k < nc; k++) {
            fprintf(f, "%c %d", ax ? 'w' : 'h', k);
            for (int i = 0; i < cv[k].count; i++)
                fprintf(f, " %g:%g", cv[k].sizes[i], cv[k].errors[i]);
            fprintf(f, "\n");
        }
    }
    fclose(f);
}

static int estimate(const float *frame, nr_estimate *e, double *cpu, frame_case *fc)
{
    char err[200];
    double t0 = corpus_cpu_now();
    int rc = nr_estimate_plane(frame, W, W, H, NULL, e, err, sizeof(err));
    *cpu += corpus_cpu_now() - t0;
    if (rc < 0)
        fprintf(stderr, "estimate failed: %s\n", err);
    if (rc == 0)
        dump_curves(e);
    if (rc == 0 && fc) {
        nr_pool *pool = nr_pool_new(NULL);
        if (pool && nr_pool_add(pool, e) == 0)
            confirm_known(pool, fc->height, fc->kernel, &fc->confirmed, &fc->false_confirms);
        nr_pool_free(pool);
    }
    dump_label[0] = 0;
    nr_estimate_free(e);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: real_corpus FFMPEG SHARED_DIR [--quick] [--floors]\n");
        return 2;
    }
    const char *ffmpeg = argv[1][0] ? argv[1] : NULL;
    const char *shared = argv[2];
    bool quick = false, floors = false, no_frames = false, no_clips = false, more_clips = false;
    for (int i = 3; i < argc; i++) {
        quick |= !strcmp(argv[i], "--quick");
        floors |= !strcmp(argv[i], "--floors");
        no_frames |= !strcmp(argv[i], "--clips-only");
        no_clips |= !strcmp(argv[i], "--frames-only");
        more_clips |= !strcmp(argv[i], "--more-clips");
        if (!strcmp(argv[i], "--cache") && i + 1 < argc)
            cache_dir = argv[++i];
        if (!strcmp(argv[i], "--write-clips") && i + 1 < argc)
            clips_out = argv[++i];
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    static float *pics[NSRC];
    int loaded = load_sources(shared, pics);
    if (loaded < 10) {
        printf("SKIP: the real frames of %s/frames are not here (%d found)\n", shared, loaded);
        return 77;
    }
    if (!ffmpeg) {
        printf("SKIP: ffmpeg not found (the corpus needs x264)\n");
        return 77;
    }

    /* ---- single frames ------------------------------------------- */
    static frame_case cases[6 * NSRC];
    int n = 0;
    int per_src = quick ? 2 : 3;
    for (int i = 0; i < NSRC && !no_frames; i++) {
        if (!pics[i])
            continue;
        for (int j = 0; j < per_src; j++) {
            int idx = per_src * i + j;
            frame_case c = {i, heights[idx % NH], (idx * 5 + i) % NK,
                            codecs[(idx * 3 + 1) % NC][0], codecs[(idx * 3 + 1) % NC][1], {0}, 0, 0};
            cases[n++] = c;
        }
    }
    int first_negative = n;
    for (int i = 0; i < NSRC && !no_frames; i++) {
        if (!pics[i] || !sources[i].negative)
            continue;
        cases[n++] = (frame_case){i, 0, 0, 0, 0, {0}, 0, 0};
        if (!quick || i % 2)
            cases[n++] = (frame_case){i, 0, 0, 1, 18, {0}, 0, 0};
    }

    char dir[] = "/tmp/nr-realcorpus-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    float *frame = malloc(sizeof(float) * W * H);
    unsigned char *yuv = malloc((size_t)W * H * 3 / 2);
    if (!frame || !yuv)
        return 1;
    double cpu = 0;
    int estimated = 0;
    for (int i = 0; i < n; i++) {
        if (cases[i].codec)
            continue;
        nr_kernel k;
        parse_kernel(kernel_names[cases[i].kernel], &k);
        char cp[600];
        cache_path(cp, sizeof(cp), "frame", cases[i].src, cases[i].height, cases[i].kernel, 0, 0, 0);
        if (!cache_load(cp, yuv, frame)) {
            if (make_frame(pics[cases[i].src], cases[i].height, &k, 0, 0, frame) < 0)
                return 1;
            cache_store(cp, yuv, frame);
        }
        snprintf(dump_label, sizeof(dump_label), "%s %g %s 0 0", short_name(sources[cases[i].src].file),
                 cases[i].height, kernel_names[cases[i].kernel]);
        if (estimate(frame, &cases[i].est, &cpu, &cases[i]) < 0)
            return 1;
        estimated++;
    }
    for (int ci = 1; ci < NC; ci++) {
        int members[6 * NSRC], m = 0;
        for (int i = 0; i < n; i++)
            if (cases[i].codec == codecs[ci][0] && cases[i].crf == codecs[ci][1])
                members[m++] = i;
        if (!m)
            continue;
        bool cached = cache_dir != NULL;
        for (int j = 0; j < m && cached; j++) {
            frame_case *c = &cases[members[j]];
            char cp[600];
            cache_path(cp, sizeof(cp), "frame", c->src, c->height, c->kernel, c->codec, c->crf, 0);
            cached = access(cp, R_OK) == 0;
        }
        if (cached) {
            for (int j = 0; j < m; j++) {
                frame_case *c = &cases[members[j]];
                char cp[600];
                cache_path(cp, sizeof(cp), "frame", c->src, c->height, c->kernel, c->codec, c->crf, 0);
                snprintf(dump_label, sizeof(dump_label), "%s %g %s %d %d",
                         short_name(sources[c->src].file), c->height, kernel_names[c->kernel],
                         c->codec, c->crf);
                if (!cache_load(cp, yuv, frame) || estimate(frame, &c->est, &cpu, c) < 0)
                    return 1;
                estimated++;
            }
            continue;
        }
        FILE *f = corpus_y4m_open(dir);
        if (!f)
            return 1;
        for (int j = 0; j < m; j++) {
            frame_case *c = &cases[members[j]];
            nr_kernel k;
            parse_kernel(kernel_names[c->kernel], &k);
            if (make_frame(pics[c->src], c->height, &k, 0, 0, frame) < 0 ||
                corpus_y4m_frame(f, frame) < 0)
                return 1;
        }
        fclose(f);
        if (corpus_compress(ffmpeg, dir, codecs[ci][0], codecs[ci][1], m) < 0) {
            fprintf(stderr, "FAIL: ffmpeg could not encode/decode\n");
            return 1;
        }
        f = corpus_decoded_open(dir);
        for (int j = 0; f && j < m; j++) {
            frame_case *c = &cases[members[j]];
            char cp[600];
            cache_path(cp, sizeof(cp), "frame", c->src, c->height, c->kernel, c->codec, c->crf, 0);
            if (corpus_decoded_frame(f, yuv, frame) < 0)
                return 1;
            cache_store(cp, yuv, frame);
            snprintf(dump_label, sizeof(dump_label), "%s %g %s %d %d",
                     short_name(sources[c->src].file), c->height, kernel_names[c->kernel],
                     c->codec, c->crf);
            if (estimate(frame, &c->est, &cpu, c) < 0)
                return 1;
            estimated++;
        }
        if (f)
            fclose(f);
    }

    /* ---- the dev frames with a public answer, as they are -------- */
    typedef struct { const char *file; double truth; nr_estimate est; } known_case;
    known_case known[] = {
        {"frames/dev/prismaillya_1.png", 720, {0}},
        {"frames/dev/owarimonogatari_1.png", 720, {0}},
        {"frames/dev/kuzunohonkai_1.png", 720, {0}},
        {"frames/dev/lovelivesuperstar_1.png", -1, {0}},   /* ~831, not descalable */
        {"frames/dev/kimetsunoyaiba_1.png", 0, {0}},       /* credits over an upscale */
        {"frames/encmoe_akanesasu01_src_900p.png", 900, {0}},
        {"frames/encmoe_manaria04_878p.png", 878, {0}},
    };
    enum { NKNOWN = sizeof(known) / sizeof(*known) };
    for (int i = 0; i < NKNOWN; i++) {
        for (int s = 0; s < NSRC; s++)
            if (pics[s] && !strcmp(sources[s].file, known[i].file))
                if (estimate(pics[s], &known[i].est, &cpu, NULL) == 0)
                    estimated++;
    }

    /* ---- clips ------------------------------------------------------ */
    static clip_case clips[20 + 3 * NSRC];
    int nclips = 0, std_clips = 0;
    {
        static const double clip_heights[] = {720, 844, 873, 900, 955.75, 810, 843.75, 720,
                                              873, 900, 844, 720};
        static const int clip_kernels[] = {0, 1, 2, 4, 5, 7, 8, 6, 3, 1, 5, 0};
        int up = 0, nat = 0;
        for (int i = 0; i < NSRC && nclips < 16 && !no_clips; i++) {
            if (!pics[i])
                continue;
            /* every second source: upscaled clips from all kinds of frames */
            if (sources[i].negative && nat < (quick ? 2 : 4) && i % 3 == 0)
                clips[nclips++] = (clip_case){.src = i, .height = 0, .crf = 18 + 2 * (nat % 3)};
            else if (up < (quick ? 6 : 12) && i % 2 == 1) {
                clips[nclips++] = (clip_case){.src = i, .height = clip_heights[up],
                                              .kernel = clip_kernels[up], .crf = 18 + 2 * (up % 3)};
                up++;
            } else
                continue;
            if (clips[nclips - 1].height == 0)
                nat++;
        }
        /* native clips of frames known or likely to be native (the
         * selection above took three of the `unknown` ones, reported in a
         * row of their own): two (quick) or three more, CRF 18..22 */
        for (int i = 0, extra = 0; i < NSRC && extra < (quick ? 2 : 3) && !no_clips; i++) {
            static const int pick[] = {4, 27, 26};   /* end card, digitalchibi, deegle */
            int s = pick[i % 3];
            if (i >= 3 || !pics[s] || !sources[s].negative || sources[s].unknown)
                continue;
            clips[nclips++] = (clip_case){.src = s, .height = 0, .crf = 18 + 2 * extra};
            extra++;
        }
        /* --more-clips: every source upscaled once more (other heights,
         * kernels and CRFs, 16..22; not the sources that are themselves
         * 720p productions: upscaled again they carry two grids), every
         * negative native at one or two more CRFs. A check that what the
         * pool's rules learned from the 16 clips above holds elsewhere. */
        static const double more_heights[] = {720, 810, 844, 873, 900, 955.75, 843.75, 540,
                                              864, 768, 936, 806};
        int u = 0, base = nclips;
        std_clips = nclips;
        for (int i = 0; i < NSRC && more_clips && !no_clips; i++) {
            if (!pics[i])
                continue;
            if (!(sources[i].known > 0 && sources[i].known < 878)) {
                clips[nclips++] = (clip_case){.src = i, .height = more_heights[(u * 5 + i) % 12],
                                              .kernel = (u * 4 + i + 3) % NK,
                                              .crf = 16 + 2 * ((u + i) % 4)};
                u++;
            }
            if (!sources[i].negative)
                continue;
            int crfs[2] = {18 + 2 * (i % 3), 18 + 2 * (i % 3) == 22 ? 16 : 20 + 2 * (i % 3)};
            for (int c = 0; c < 2; c++) {
                bool seen = false;
                for (int j = 0; j < base; j++)
                    seen |= clips[j].src == i && clips[j].height == 0 && clips[j].crf == crfs[c];
                if (!seen)
                    clips[nclips++] = (clip_case){.src = i, .height = 0, .crf = crfs[c]};
            }
        }
    }
    double pool_cpu = 0;
    for (int c = 0; c < nclips; c++) {
        clip_case *cl = &clips[c];
        nr_kernel k;
        parse_kernel(kernel_names[cl->kernel], &k);
        char cp[600];
        cache_path(cp, sizeof(cp), "clip", cl->src, cl->height, cl->kernel, 1, cl->crf,
                   CLIP_FRAMES - 1);
        if (clips_out) {
            if (write_clip(ffmpeg, clips_out, dir, c, cl, pics[cl->src], &k, frame) < 0)
                return 1;
            continue;
        }
        bool cached = cache_dir && access(cp, R_OK) == 0;
        FILE *f = cached ? NULL : corpus_y4m_open(dir);
        if (!f && !cached)
            return 1;
        for (int t = 0; t < CLIP_FRAMES && !cached; t++)
            if (make_frame(pics[cl->src], cl->height, &k, 1.3 * t, 0.4 * t, frame) < 0 ||
                corpus_y4m_frame(f, frame) < 0)
                return 1;
        if (!cached) {
            fclose(f);
            if (corpus_compress(ffmpeg, dir, 1, cl->crf, CLIP_FRAMES) < 0)
                return 1;
            f = corpus_decoded_open(dir);
            if (!f)
                return 1;
        }
        nr_pool *pool = nr_pool_new(NULL);
        nr_vote *vote = nr_vote_new();
        if (!pool || !vote)
            return 1;
        /* NR_POOL_DUMP=DIR: every frame's estimate to DIR/clipNN.bin, for
         * pool_replay (derived curves only, no pixels) */
        FILE *dump = NULL;
        const char *dump_dir = getenv("NR_POOL_DUMP");
        if (dump_dir && *dump_dir) {
            char dp[600];
            snprintf(dp, sizeof(dp), "%s/clip%02d.bin", dump_dir, c);
            dump = fopen(dp, "wb");
            dump_header dh = {.height = cl->height, .kernel = cl->kernel, .crf = cl->crf,
                              .frames = CLIP_FRAMES};
            snprintf(dh.name, sizeof(dh.name), "%s", short_name(sources[cl->src].file));
            if (!dump || dump_write_header(dump, &dh) < 0) {
                fprintf(stderr, "cannot write %s\n", dp);
                return 1;
            }
        }
        for (int t = 0; t < CLIP_FRAMES; t++) {
            nr_estimate e;
            char err[200];
            cache_path(cp, sizeof(cp), "clip", cl->src, cl->height, cl->kernel, 1, cl->crf, t);
            if (cached) {
                if (!cache_load(cp, yuv, frame))
                    return 1;
            } else {
                if (corpus_decoded_frame(f, yuv, frame) < 0)
                    return 1;
                cache_store(cp, yuv, frame);
            }
            double t0 = corpus_cpu_now();
            int restarted = nr_pool_add_plane(pool, frame, W, W, H, &e, err, sizeof(err));
            if (restarted < 0) {
                fprintf(stderr, "pool: %s\n", err);
                return 1;
            }
            pool_cpu += corpus_cpu_now() - t0;
            if (dump && dump_write_frame(dump, &e, restarted) < 0) {
                fprintf(stderr, "cannot write the dump\n");
                return 1;
            }
            estimated++;
            nr_vote_add(vote, &e);
            if (right_height(&e, cl->height))
                cl->frames_right++;
            else if (e.verdict == NR_VERDICT_UPSCALED)
                cl->frames_wrong++;
            else if (e.verdict == NR_VERDICT_NATIVE)
                cl->frames_native++;
            else
                cl->frames_unsure++;
            nr_estimate_free(&e);
        }
        if (f)
            fclose(f);
        if (dump)
            fclose(dump);
        double t0 = corpus_cpu_now();
        nr_pool_result(pool, &cl->pooled);
        pool_cpu += corpus_cpu_now() - t0;
        confirm_known(pool, cl->height, cl->kernel, &cl->confirmed, &cl->false_confirms);
        cl->pooled_frames = nr_pool_frames(pool);
        nr_vote_result(vote, &cl->voted);
        nr_pool_free(pool);
        nr_vote_free(vote);
    }
    {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "warning: could not remove %s\n", dir);
    }
    if (clips_out) {
        printf("wrote %d clips and clips.tsv to %s\n", nclips, clips_out);
        return 0;
    }

    /* ---- report ----------------------------------------------------- */
    printf("single frames (real frame -> lanczos3 down -> studio upscale -> 8 bit -> codec)\n");
    printf("%-34s %-8s %-8s %-18s | %-30s %5s %s %s\n", "source", "codec", "truth", "kernel",
           "verdict", "conf", "K", "reason");
    int up_n[2] = {0}, up_right[2] = {0}, up_wrong[2] = {0}, up_unsure[2] = {0}, up_native[2] = {0};
    int fam_right = 0, right_total = 0;
    int neg_n = 0, neg_up = 0, neg_native = 0, neg_unsure = 0;
    int unk_n = 0, unk_up = 0, unk_native = 0, unk_unsure = 0;
    for (int i = 0; i < n; i++) {
        frame_case *c = &cases[i];
        char v[96], cd[16], truth[16];
        describe(v, sizeof(v), &c->est);
        codec_text(cd, sizeof(cd), c->codec, c->crf);
        snprintf(truth, sizeof(truth), "%g", c->height);
        /* K: the truth, asked as a known answer, is confirmed on the frame */
        printf("%-34s %-8s %-8s %-18s | %-30s %5.2f %s %s\n", short_name(sources[c->src].file),
               cd, i < first_negative ? truth : sources[c->src].unknown ? "unknown" : "native",
               i < first_negative ? kernel_names[c->kernel] : "-",
               v, c->est.confidence, i < first_negative && c->confirmed ? "K" : " ",
               c->est.reason);
        if (i < first_negative) {
            int g = c->codec != 0;
            up_n[g]++;
            if (right_height(&c->est, c->height)) {
                up_right[g]++;
                right_total++;
                fam_right += right_family(&c->est, c->kernel);
            } else if (c->est.verdict == NR_VERDICT_UPSCALED)
                up_wrong[g]++;
            else if (c->est.verdict == NR_VERDICT_NATIVE)
                up_native[g]++;
            else
                up_unsure[g]++;
        } else if (sources[c->src].unknown) {
            unk_n++;
            unk_up += c->est.verdict == NR_VERDICT_UPSCALED;
            unk_native += c->est.verdict == NR_VERDICT_NATIVE;
            unk_unsure += c->est.verdict == NR_VERDICT_UNSURE;
        } else {
            neg_n++;
            neg_up += c->est.verdict == NR_VERDICT_UPSCALED;
            neg_native += c->est.verdict == NR_VERDICT_NATIVE;
            neg_unsure += c->est.verdict == NR_VERDICT_UNSURE;
        }
    }
    printf("\nsingle-frame confusion (rows: truth; columns: verdict)\n");
    printf("%-22s %6s %8s %8s %8s %8s\n", "", "frames", "right h", "wrong h", "native", "unsure");
    printf("%-22s %6d %8d %8d %8d %8d\n", "upscaled, 8 bit", up_n[0], up_right[0], up_wrong[0],
           up_native[0], up_unsure[0]);
    printf("%-22s %6d %8d %8d %8d %8d\n", "upscaled, x264/x265", up_n[1], up_right[1], up_wrong[1],
           up_native[1], up_unsure[1]);
    printf("%-22s %6d %8s %8d %8d %8d   (wrong h = called upscaled)\n", "native 1080", neg_n, "-",
           neg_up, neg_native, neg_unsure);
    if (unk_n)
        printf("%-22s %6d %8s %8d %8d %8d   (native size, own dips: counted in no rate)\n",
               "unknown 1080", unk_n, "-", unk_up, unk_native, unk_unsure);
    int up_all = up_n[0] + up_n[1];
    double exact = up_all ? (double)(up_right[0] + up_right[1]) / up_all : 0;
    double exact8 = up_n[0] ? (double)up_right[0] / up_n[0] : 0;
    double fam = right_total ? (double)fam_right / right_total : 0;
    int wrong = up_wrong[0] + up_wrong[1];
    printf("exact height %.1f%% of upscaled (%.1f%% uncompressed), wrong %d of %d (%.2f per 36), "
           "kernel family %.1f%% of right heights\n",
           100 * exact, 100 * exact8, wrong, up_all, 36.0 * wrong / (up_all ? up_all : 1), 100 * fam);

    int cn[2] = {0}, cc[2] = {0}, nf = 0;   /* confirm: upscaled n / confirmed, false ones */
    {
        /* the same frames asked only whether a known answer holds: the
         * truth for an upscale (as an earlier scene of the episode would
         * give it), every corpus height for a native picture */
        int nn = 0, nframes = 0;
        for (int i = 0; i < n; i++) {
            const frame_case *c = &cases[i];
            if (c->height > 0) {
                cn[c->codec > 0]++;
                cc[c->codec > 0] += c->confirmed;
            } else if (!sources[c->src].unknown) {
                nframes++;
                nn += NH;
                nf += c->false_confirms;
            }
        }
        printf("\nknown answer confirmed on the frame alone (nr_pool_confirm; blind right in brackets)\n");
        printf("upscaled, 8 bit %d of %d (%d); x264/x265 %d of %d (%d); native frames: %d false "
               "confirmations in %d checks (%d frames x %d heights)\n",
               cc[0], cn[0], up_right[0], cc[1], cn[1], up_right[1], nf, nn, nframes, NH);
    }

    printf("\ndev frames with a public answer, as they are\n");
    int known_ok = 0, known_total = 0;
    for (int i = 0; i < NKNOWN; i++) {
        char v[96];
        describe(v, sizeof(v), &known[i].est);
        const char *want = known[i].truth > 0 ? "" : known[i].truth < 0 ? "not confident" : "-";
        printf("  %-30s truth %-6g %-14s -> %-30s conf %.2f  %s\n", short_name(known[i].file),
               known[i].truth > 0 ? known[i].truth : 0, want, v, known[i].est.confidence,
               known[i].est.reason);
        if (known[i].truth > 0) {
            known_total++;
            known_ok += fabs(corpus_est_height(&known[i].est) - known[i].truth) < 0.5 &&
                        known[i].est.verdict == NR_VERDICT_UPSCALED;
        }
    }

    printf("\nclips (24-frame pans, x264): frames right/wrong/native/unsure -> vote, pooled\n");
    int pool_right = 0, pool_wrong = 0, pool_unsure_up = 0, pool_native_up = 0, clips_up = 0;
    int nat_clips = 0, nat_native = 0, nat_up = 0, vote_right = 0, vote_wrong = 0;
    int unk_clips = 0, unk_cnative = 0, unk_cup = 0;
    int pool_fam = 0;
    int more[2][4] = {{0}};   /* --more-clips: upscaled right/wrong/native/unsure, native up/native/unsure */
    for (int c = 0; c < nclips; c++) {
        clip_case *cl = &clips[c];
        char v1[96], v2[96], truth[48];
        if (c >= std_clips && std_clips) {
            int col = cl->pooled.verdict == NR_VERDICT_UPSCALED ? (right_height(&cl->pooled, cl->height) ? 0 : 1)
                      : cl->pooled.verdict == NR_VERDICT_NATIVE ? 2 : 3;
            more[cl->height == 0][col]++;
        }
        describe(v1, sizeof(v1), &cl->voted);
        describe(v2, sizeof(v2), &cl->pooled);
        if (cl->height > 0)
            snprintf(truth, sizeof(truth), "%g %s", cl->height, kernel_names[cl->kernel]);
        else
            snprintf(truth, sizeof(truth), sources[cl->src].unknown ? "unknown" : "native");
        printf("  %-30s crf %d %-24s %2d/%2d/%2d/%2d  vote %-24s pooled %-28s conf %.2f  %s\n",
               short_name(sources[cl->src].file), cl->crf, truth, cl->frames_right,
               cl->frames_wrong, cl->frames_native, cl->frames_unsure, v1, v2,
               cl->pooled.confidence, cl->pooled.reason);
        if (cl->height > 0) {
            clips_up++;
            if (right_height(&cl->pooled, cl->height)) {
                pool_right++;
                pool_fam += right_family(&cl->pooled, cl->kernel);
            } else if (cl->pooled.verdict == NR_VERDICT_UPSCALED)
                pool_wrong++;
            else if (cl->pooled.verdict == NR_VERDICT_NATIVE)
                pool_native_up++;
            else
                pool_unsure_up++;
            vote_right += right_height(&cl->voted, cl->height);
            vote_wrong += cl->voted.verdict == NR_VERDICT_UPSCALED && !right_height(&cl->voted, cl->height);
        } else if (sources[cl->src].unknown) {
            unk_clips++;
            unk_cnative += cl->pooled.verdict == NR_VERDICT_NATIVE;
            unk_cup += cl->pooled.verdict == NR_VERDICT_UPSCALED;
        } else {
            nat_clips++;
            nat_native += cl->pooled.verdict == NR_VERDICT_NATIVE;
            nat_up += cl->pooled.verdict == NR_VERDICT_UPSCALED;
        }
    }
    printf("\npooled confusion (rows: truth; columns: pooled verdict)\n");
    printf("%-22s %6s %8s %8s %8s %8s\n", "", "clips", "right h", "wrong h", "native", "unsure");
    printf("%-22s %6d %8d %8d %8d %8d   (frame vote: %d right, %d wrong)\n", "upscaled clips",
           clips_up, pool_right, pool_wrong, pool_native_up, pool_unsure_up, vote_right, vote_wrong);
    printf("%-22s %6d %8s %8d %8d %8d\n", "native clips", nat_clips, "-", nat_up, nat_native,
           nat_clips - nat_up - nat_native);
    if (unk_clips)
        printf("%-22s %6d %8s %8d %8d %8d   (native size, own dips: counted in no rate)\n",
               "unknown clips", unk_clips, "-", unk_cup, unk_cnative,
               unk_clips - unk_cup - unk_cnative);
    if (std_clips && nclips > std_clips)
        printf("of which --more-clips: upscaled %d: %d right, %d wrong, %d native, %d unsure; "
               "native %d: %d upscaled, %d native, %d unsure\n",
               more[0][0] + more[0][1] + more[0][2] + more[0][3], more[0][0], more[0][1],
               more[0][2], more[0][3], more[1][1] + more[1][2] + more[1][3], more[1][1],
               more[1][2], more[1][3]);
    printf("pooled kernel family right on %d of %d right heights\n", pool_fam, pool_right);
    {
        int uc = 0, un = 0, nf = 0, nn = 0;
        for (int c = 0; c < nclips; c++) {
            const clip_case *cl = &clips[c];
            if (cl->height > 0) {
                un++;
                uc += cl->confirmed;
            } else if (!sources[cl->src].unknown) {
                nn += NH;
                nf += cl->false_confirms;
            }
        }
        printf("known answer confirmed on the clip's pool: upscaled %d of %d (blind pooled right "
               "%d); native clips: %d false confirmations in %d checks\n", uc, un, pool_right + more[0][0], nf, nn);
    }
    printf("estimator CPU %.1f ms per frame (%d frames); pooled clips %.1f ms per frame\n",
           1e3 * cpu / (estimated ? estimated : 1), estimated,
           1e3 * pool_cpu / (nclips ? nclips * CLIP_FRAMES : 1));

    for (int i = 0; i < NSRC; i++)
        free(pics[i]);
    free(frame);
    free(yuv);
    if (!floors)
        return 0;

    /* ---- floors: what the estimator reaches now, a little under ------ */
    int failures = 0;
#define FLOOR(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } } while (0)
    FLOOR(neg_up == 0, "%d native frames called upscaled", neg_up);
    FLOOR(nat_up == 0, "%d native clips called upscaled", nat_up);
    FLOOR(exact8 >= FLOOR_EXACT_8BIT, "exact height uncompressed %.2f < %.2f", exact8, FLOOR_EXACT_8BIT);
    FLOOR(exact >= FLOOR_EXACT, "exact height %.2f < %.2f", exact, FLOOR_EXACT);
    /* a known answer: never confirmed on a native frame, and confirmed at
     * least wherever the blind search is right */
    FLOOR(nf == 0, "%d false confirmations of a known size on native frames", nf);
    FLOOR(cc[0] + cc[1] >= up_right[0] + up_right[1],
          "known answer confirmed on %d frames, fewer than the %d the blind search gets right",
          cc[0] + cc[1], up_right[0] + up_right[1]);
    FLOOR(36.0 * wrong / up_all <= CEIL_WRONG_PER_36, "%.2f wrong heights per 36", 36.0 * wrong / up_all);
    FLOOR(pool_wrong <= CEIL_POOL_WRONG, "%d clips pooled to a wrong height", pool_wrong);
    FLOOR(pool_right >= FLOOR_POOL_RIGHT * clips_up, "%d of %d clips pooled right", pool_right, clips_up);
    FLOOR(fam >= FLOOR_FAMILY, "kernel family %.2f of right heights < %.2f", fam, FLOOR_FAMILY);
    FLOOR(nat_native >= FLOOR_POOL_NATIVE * nat_clips, "%d of %d native clips pooled native", nat_native, nat_clips);
    FLOOR(known_ok >= FLOOR_KNOWN, "%d of %d dev frames with a public height right", known_ok, known_total);
    printf("%s\n", failures ? "FAILED" : "OK");
    return failures ? 1 : 0;
}
