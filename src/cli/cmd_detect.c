/*
 * `nativeres detect FILE`: native resolution of an image or a video.
 *
 * An image is one frame. A video is sampled at --frames timestamps spread
 * evenly over [--start, --end]; samples pool their evidence (nr_pool) per
 * scene, a scene cut between two samples (nr_scene_difference) closing
 * the scene, and the whole file pools every sample for the overall
 * verdict (so a native OP/ED around a 720p episode gives a timeline with
 * both and an overall "upscaled from 720p"). --plot draws the file's
 * pooled curves.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "commands.h"
#include "image_io.h"
#include "nativeres_estimate.h"
#include "svg_plot.h"
#include "video_decode.h"

#define MAX_KERNELS 16
#define MAX_FRAMES 1000
#define MIN_IMAGE_SIDE 32
#define PREFER_REF_S 0.5   /* longest wait for a reference frame after a sample time */

typedef struct sample {
    double time;
    nr_estimate est;     /* curves freed, except for the plotted one */
} sample;

typedef struct scene {
    int first, last;     /* sample indices */
    double start, end;
    nr_estimate verdict;
    nr_pool *pool;       /* its evidence, kept to confirm the file's answer */
    bool closed;         /* a cut ended it: verdict is set */
    bool confirmed;      /* the verdict confirms the file's (or --known's) answer */
} scene;

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: nativeres detect [options] FILE\n"
        "Estimates the native resolution (and kernel) a picture was upscaled from.\n"
        "FILE: an image (PNG, JPEG, PGM, PFM, ...) or a video (anything FFmpeg reads).\n\n"
        "Options:\n"
        "  --frames N           video frames to sample (default 24)\n"
        "  --start SECONDS      first time to sample (default 0)\n"
        "  --end SECONDS        last time to sample (default: the end)\n"
        "  --heights MIN:MAX[:STEP]  candidate heights (default 500:1000:1 scaled\n"
        "                       to the picture height)\n"
        "  --kernels LIST       comma-separated kernels to sweep (default\n"
        "                       bilinear,catrom,mitchell,bicubicsharp,lanczos3,spline36)\n"
        "  --no-fractional      integer heights only (no 0.25 px refinement)\n"
        "  --no-bicubic-refine  do not try getnative's b/c set at the found height\n"
        "  --no-crop            do not remove letterbox / pillarbox bars\n"
        "  --json               print one JSON object instead of text\n"
        "  --plot FILE.svg      write the error-vs-height graph (SVG)\n"
        "  --known HEIGHT:KERNEL  an answer known from elsewhere (a table of shows,\n"
        "                       another episode), e.g. 873.5:mitchell: each scene (or the\n"
        "                       picture) is only checked for it; one that does not\n"
        "                       confirm it keeps its own verdict\n"
        "Exit codes: 0 (any verdict), 2 bad input or usage.\n");
}

static int parse_heights(const char *s, nr_estimate_opts *o)
{
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", s);
    char *parts[4];
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ":", &save); t && n < 4; t = strtok_r(NULL, ":", &save))
        parts[n++] = t;
    double v[3] = {0, 0, 1};
    if (n < 2 || n > 3)
        return -1;
    for (int i = 0; i < n; i++)
        if (!nr_cli_parse_number(parts[i], &v[i]))
            return -1;
    if (!(v[0] >= 8) || !(v[1] > v[0]) || !(v[2] >= 0.25) || v[2] > v[1] - v[0] ||
        (v[1] - v[0]) / v[2] > 20000)
        return -1;
    o->min_height = v[0];
    o->max_height = v[1];
    o->height_step = v[2];
    return 0;
}

static int parse_kernels(const char *s, nr_kernel *ks, int *count)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", s);
    *count = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*count == MAX_KERNELS)
            return nr_cli_fail("--kernels: at most %d kernels", MAX_KERNELS);
        if (!nr_kernel_parse(t, &ks[*count]))
            return nr_cli_fail("--kernels: unknown kernel '%s'", t);
        char e[160];
        if (nr_kernel_support(&ks[*count]) > 4 || nr_kernel_validate(&ks[*count], e, sizeof(e)) < 0)
            return nr_cli_fail("--kernels: kernel '%s' is not supported by the estimator", t);
        (*count)++;
    }
    if (*count == 0)
        return nr_cli_fail("--kernels: empty list");
    return 0;
}

/* ------------------------------------------------------------------ */
/* printing                                                            */

static double est_height(const nr_estimate *e)
{
    return e->scale.win_height > 0 ? e->scale.win_height : e->scale.native_h;
}

static double est_width(const nr_estimate *e)
{
    return e->scale.win_width > 0 ? e->scale.win_width : e->scale.native_w;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* the fields a descale needs, shared by the top level and the scenes */
static void json_scale(FILE *f, const nr_estimate *e, bool full)
{
    bool up = e->verdict == NR_VERDICT_UPSCALED;
    fprintf(f, "\"verdict\": \"%s\", \"width\": %.6g, \"height\": %.6g, ",
            nr_verdict_name(e->verdict), est_width(e), est_height(e));
    char name[32];
    if (up) {
        nr_kernel_name(&e->scale.kernel, name, sizeof(name));
        fprintf(f, "\"kernel\": \"%s\"", name);
    } else {
        fputs("\"kernel\": null", f);
    }
    if (!full)
        return;
    fprintf(f, ", \"src_left\": %.6g, \"src_top\": %.6g, \"src_width\": %.6g, \"src_height\": %.6g",
            e->scale.win_left, e->scale.win_top, est_width(e), est_height(e));
    fprintf(f, ", \"native_width\": %d, \"native_height\": %d",
            e->scale.native_w, e->scale.native_h);
    if (up && e->scale.kernel.type == NR_KERNEL_BICUBIC)
        fprintf(f, ", \"b\": %.6g, \"c\": %.6g", e->scale.kernel.b, e->scale.kernel.c);
    else
        fputs(", \"b\": null, \"c\": null", f);
    if (up && e->scale.kernel.type == NR_KERNEL_LANCZOS)
        fprintf(f, ", \"taps\": %d", e->scale.kernel.taps);
    else
        fputs(", \"taps\": null", f);
    fprintf(f, ", \"confidence\": %.3f, \"crop\": {\"x\": %d, \"y\": %d, \"width\": %d, \"height\": %d}",
            e->confidence, e->crop_x, e->crop_y, e->crop_w, e->crop_h);
    fputs(", \"reason\": ", f);
    json_string(f, e->reason);
}

static void print_candidates_json(FILE *f, const nr_estimate *e)
{
    fputs(", \"candidates\": [", f);
    for (int i = 0; i < e->num_height_candidates; i++) {
        char name[32];
        const nr_candidate *c = &e->height_candidates[i];
        nr_kernel_name(&c->kernel, name, sizeof(name));
        fprintf(f, "%s{\"height\": %.6g, \"kernel\": \"%s\", \"error\": %.6g, \"score\": %.4f}",
                i ? ", " : "", c->size, name, c->error, c->score);
    }
    fputs("]", f);
}

static void describe(char *buf, size_t n, const nr_estimate *e)
{
    if (e->verdict != NR_VERDICT_UPSCALED) {
        snprintf(buf, n, "%s", nr_verdict_name(e->verdict));
        return;
    }
    char name[32];
    nr_kernel_name(&e->scale.kernel, name, sizeof(name));
    int len = snprintf(buf, n, "upscaled from %gx%g, %s", est_width(e), est_height(e), name);
    if (e->scale.kernel.type == NR_KERNEL_BICUBIC && len > 0 && (size_t)len < n)
        snprintf(buf + len, n - len, " (b=%.4g c=%.4g)", e->scale.kernel.b, e->scale.kernel.c);
}

static void clock_text(char *buf, size_t n, double s)
{
    int m = (int)(s / 60);
    snprintf(buf, n, "%02d:%04.1f", m, s - 60 * m);
}

/* ------------------------------------------------------------------ */

/* a scene's verdict: its pool's (curves dropped: only the file's are plotted) */
static void close_scene(scene *sc)
{
    nr_pool_result(sc->pool, &sc->verdict);
    nr_estimate_free(&sc->verdict);
    sc->closed = true;
}

/* The file's answer: the upscale its decided scenes found, the one over
 * the most sampled frames (-1: none). The scenes of one episode share
 * their production's size, so an unsure scene only has to confirm it
 * (nr_pool_confirm: a shallower dip than a blind search needs), and so
 * does the file's pool. */
static int file_answer(const scene *scenes, int n)
{
    int best = -1, best_frames = 0;
    for (int i = 0; i < n; i++) {
        const nr_estimate *v = &scenes[i].verdict;
        if (v->verdict != NR_VERDICT_UPSCALED)
            continue;
        int frames = 0;
        for (int j = 0; j < n; j++) {
            const nr_estimate *u = &scenes[j].verdict;
            if (u->verdict == NR_VERDICT_UPSCALED && u->scale.native_h == v->scale.native_h &&
                u->scale.win_height == v->scale.win_height &&
                u->scale.kernel.type == v->scale.kernel.type &&
                u->scale.kernel.b == v->scale.kernel.b && u->scale.kernel.c == v->scale.kernel.c &&
                u->scale.kernel.taps == v->scale.kernel.taps)
                frames += scenes[j].last - scenes[j].first + 1;
        }
        if (frames > best_frames) {
            best_frames = frames;
            best = i;
        }
    }
    return best;
}

/* known: --known's scale, else NULL for the file's own answer */
static void confirm_scenes(scene *scenes, int n, const nr_scale *given)
{
    int a = given ? 0 : file_answer(scenes, n);
    if (a < 0)
        return;
    const nr_scale known = given ? *given : scenes[a].verdict.scale;
    for (int i = 0; i < n; i++) {
        if (scenes[i].verdict.verdict != NR_VERDICT_UNSURE)
            continue;
        nr_estimate v;
        if (nr_pool_confirm(scenes[i].pool, &known, &v) == 1) {
            nr_estimate_free(&v);
            scenes[i].verdict = v;
            scenes[i].confirmed = true;
        } else {
            nr_estimate_free(&v);
        }
    }
}

int nr_cmd_detect(int argc, char **argv)
{
    nr_estimate_opts opts;
    nr_estimate_opts_default(&opts);
    nr_kernel kernels[MAX_KERNELS];
    int frames = 24;
    double start = 0, end = -1;
    bool json = false;
    const char *plot = NULL, *path = NULL;
    double known_height = 0;      /* --known: 0 none */
    nr_kernel known_kernel;
    nr_scale known;

    nr_cli_args a = {argc, argv, 1, false};
    const char *name, *value;
    int kind;
    while ((kind = nr_cli_next(&a, &name, &value)) >= 0) {
        if (kind == 0) {
            if (path)
                return nr_cli_fail("detect: more than one input file ('%s', '%s')", path, value);
            path = value;
            continue;
        }
        if (!strcmp(name, "help") || !strcmp(name, "h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(name, "json")) { json = true; continue; }
        if (!strcmp(name, "no-fractional")) { opts.fractional = false; continue; }
        if (!strcmp(name, "no-bicubic-refine")) { opts.refine_bicubic = false; continue; }
        if (!strcmp(name, "no-crop")) { opts.crop_bars = false; continue; }
        const char *v = nr_cli_value(&a, name, value);
        if (!v)
            return 2;
        double d;
        if (!strcmp(name, "frames")) {
            if (!nr_cli_parse_number(v, &d) || d < 1 || d > MAX_FRAMES || d != floor(d))
                return nr_cli_fail("detect: --frames must be an integer in 1..%d, got '%s'", MAX_FRAMES, v);
            frames = (int)d;
        } else if (!strcmp(name, "start") || !strcmp(name, "end")) {
            if (!nr_cli_parse_number(v, &d) || d < 0 || d > 1e7)
                return nr_cli_fail("detect: --%s must be a time in seconds >= 0, got '%s'", name, v);
            *(name[0] == 's' ? &start : &end) = d;
        } else if (!strcmp(name, "heights")) {
            if (parse_heights(v, &opts) < 0)
                return nr_cli_fail("detect: --heights wants MIN:MAX[:STEP] with 8 <= MIN < MAX "
                                   "and 0.25 <= STEP, got '%s'", v);
        } else if (!strcmp(name, "kernels")) {
            if (parse_kernels(v, kernels, &opts.num_kernels))
                return 2;
            opts.kernels = kernels;
        } else if (!strcmp(name, "plot")) {
            plot = v;
        } else if (!strcmp(name, "known")) {
            char buf[64];
            snprintf(buf, sizeof(buf), "%s", v);
            char *colon = strchr(buf, ':');
            if (colon)
                *colon = '\0';
            if (!colon || !nr_cli_parse_number(buf, &known_height) || known_height < 8 ||
                known_height > 65536 || !nr_kernel_parse(colon + 1, &known_kernel))
                return nr_cli_fail("detect: --known wants HEIGHT:KERNEL (e.g. 720:bilinear, "
                                   "873.5:mitchell), got '%s'", v);
        } else {
            return nr_cli_fail("detect: unknown option '--%s' (try --help)", name);
        }
    }
    if (!path)
        return nr_cli_fail("detect: missing input file (try --help)");
    if (end >= 0 && end <= start)
        return nr_cli_fail("detect: --end (%g) must be after --start (%g)", end, start);

    char err[512];
    nr_video *video = NULL;
    bool still = true;
    if (nr_video_open(&video, path, err, sizeof(err)) == 0)
        still = nr_video_is_still(video);
    else {
        /* libav does not read every still format (PFM); try ours before failing */
        char err2[512];
        nr_image probe;
        if (nr_image_load_luma(path, &probe, err2, sizeof(err2)) < 0)
            return nr_cli_fail("%s", err);
        nr_image_free(&probe);
    }

    sample *samples = calloc(still ? 1 : (size_t)frames, sizeof(sample));
    if (!samples) {
        nr_video_close(video);
        return nr_cli_fail("out of memory");
    }
    int count = 0, rc = 0, source_w = 0, source_h = 0;
    double duration = 0;
    /* videos: a pool per scene (a cut starts the next) and one for the file */
    scene *scenes = NULL;
    int num_scenes = 0;
    nr_pool *file_pool = NULL;
    nr_estimate overall;
    memset(&overall, 0, sizeof(overall));
    if (still) {
        nr_video_close(video);
        video = NULL;
        nr_image img;
        if (nr_image_load_luma(path, &img, err, sizeof(err)) < 0) {
            free(samples);
            return nr_cli_fail("%s", err);
        }
        if (img.width < MIN_IMAGE_SIDE || img.height < MIN_IMAGE_SIDE) {
            rc = nr_cli_fail("%s: %dx%d is too small to analyse (at least %dx%d)", path,
                             img.width, img.height, MIN_IMAGE_SIDE, MIN_IMAGE_SIDE);
            nr_image_free(&img);
            free(samples);
            return rc;
        }
        source_w = img.width;
        source_h = img.height;
        if (nr_estimate_plane(img.data, img.width, img.width, img.height, &opts,
                              &samples[0].est, err, sizeof(err)) < 0)
            rc = nr_cli_fail("%s: %s", path, err);
        else
            count = 1;
        nr_image_free(&img);
    } else {
        duration = nr_video_duration(video);
        double t1 = end >= 0 ? (duration > 0 ? fmin(end, duration) : end) : duration;
        if (duration > 0 && start >= duration) {
            nr_video_close(video);
            free(samples);
            return nr_cli_fail("detect: --start %g is past the end of %s (%.1f s)", start, path, duration);
        }
        double span = t1 > start ? t1 - start : 0;
        scenes = calloc((size_t)frames, sizeof(scene));
        file_pool = nr_pool_new(&opts);
        if (!scenes || !file_pool)
            rc = nr_cli_fail("out of memory");
        else
            nr_pool_set_scene_cuts(file_pool, false);
        for (int i = 0; i < frames && rc == 0; i++) {
            double t = span > 0 ? start + (i + 0.5) * span / frames : start;
            nr_image img;
            double pts = t;
            /* a sample that falls on a B-frame takes the next I- or P-frame
             * instead, when one comes before the next sample (and within
             * PREFER_REF_S): dense samples of a short scene keep every frame */
            double gap = span > 0 ? span / frames : 0;
            double prefer_ref = fmin(PREFER_REF_S, 0.9 * gap);
            int got = nr_video_frame_at(video, t, prefer_ref, &img, &pts, err, sizeof(err));
            if (got < 0) {
                rc = nr_cli_fail("%s", err);
                break;
            }
            if (got > 0)
                break;   /* past the end: fewer samples */
            if (img.width < MIN_IMAGE_SIDE || img.height < MIN_IMAGE_SIDE) {
                rc = nr_cli_fail("%s: %dx%d video is too small to analyse", path, img.width, img.height);
                nr_image_free(&img);
                break;
            }
            source_w = img.width;
            source_h = img.height;
            /* a cut closes the scene: its pooled verdict, then a new pool */
            if (num_scenes && nr_pool_cut_before(scenes[num_scenes - 1].pool, img.data,
                                                 img.width, img.width, img.height))
                close_scene(&scenes[num_scenes - 1]);
            if (!num_scenes || scenes[num_scenes - 1].closed) {
                scenes[num_scenes] = (scene){count, count, 0, 0, {0}, nr_pool_new(&opts), false,
                                             false};
                if (!scenes[num_scenes++].pool) {
                    rc = nr_cli_fail("out of memory");
                    nr_image_free(&img);
                    break;
                }
            }
            nr_estimate *e = &samples[count].est;
            nr_pool *pool = scenes[num_scenes - 1].pool;
            if (nr_pool_add_plane(pool, img.data, img.width, img.width, img.height, e, err,
                                  sizeof(err)) < 0 || nr_pool_add(file_pool, e) < 0) {
                rc = nr_cli_fail("%s: %s", path, err);
                nr_image_free(&img);
                break;
            }
            nr_estimate_free(e);   /* the pools keep what the plots need */
            scenes[num_scenes - 1].last = count;
            samples[count].time = pts;
            count++;
            nr_image_free(&img);
            if (span <= 0)
                break;
        }
        if (rc == 0 && num_scenes)
            close_scene(&scenes[num_scenes - 1]);
        nr_video_close(video);
        if (rc == 0 && count == 0)
            rc = nr_cli_fail("%s: no decodable video frame", path);
        if (duration <= 0 && count > 0)
            duration = samples[count - 1].time;
        if (t1 <= 0)
            t1 = duration;
        end = t1;
    }
    if (rc)
        goto done;

    /* --known: the answer each scene (or the picture) is checked for */
    bool have_known = false;
    if (known_height > 0) {
        memset(&known, 0, sizeof(known));
        known.kernel = known_kernel;
        known.border = NR_BORDER_MIRROR;
        if (nr_scale_for_height(&known, source_w, source_h, known_height, 0, err,
                                sizeof(err)) < 0) {
            rc = nr_cli_fail("detect: --known %g does not fit %dx%d: %s", known_height,
                             source_w, source_h, err);
            goto done;
        }
        have_known = true;
    }
    if (!still) {
        confirm_scenes(scenes, num_scenes, have_known ? &known : NULL);
    } else if (have_known && samples[0].est.verdict == NR_VERDICT_UNSURE) {
        /* a picture the blind search leaves unsure (native or upscaled
         * elsewhere stays as it is) */
        nr_pool *one = nr_pool_new(&opts);
        nr_estimate v;
        memset(&v, 0, sizeof(v));
        if (one && nr_pool_add(one, &samples[0].est) == 0 && nr_pool_confirm(one, &known, &v) == 1) {
            nr_estimate_free(&samples[0].est);
            samples[0].est = v;
        } else {
            nr_estimate_free(&v);
        }
        nr_pool_free(one);
    }

    for (int sc = 0; sc < num_scenes; sc++) {
        scene *c = &scenes[sc];
        if (c->verdict.verdict != NR_VERDICT_UPSCALED) {
            c->verdict.scale.native_w = c->verdict.scale.full_w = source_w;
            c->verdict.scale.native_h = c->verdict.scale.full_h = source_h;
        }
        c->start = sc == 0 ? start : 0.5 * (samples[c->first - 1].time + samples[c->first].time);
        c->end = sc == num_scenes - 1 ? end
                 : 0.5 * (samples[c->last].time + samples[c->last + 1].time);
    }
    if (still) {
        overall = samples[0].est;
    } else {
        int a = file_answer(scenes, num_scenes);
        const nr_scale *answer = have_known ? &known : a >= 0 ? &scenes[a].verdict.scale : NULL;
        if (!answer || nr_pool_confirm(file_pool, answer, &overall) < 0)
            nr_pool_result(file_pool, &overall);
        if (overall.verdict != NR_VERDICT_UPSCALED) {
            overall.scale.native_w = overall.scale.full_w = source_w;
            overall.scale.native_h = overall.scale.full_h = source_h;
            overall.crop_w = source_w;
            overall.crop_h = source_h;
        }
    }

    if (plot) {
        char title[300];
        snprintf(title, sizeof(title), "nativeres detect: %s%s", path,
                 still ? "" : " (curves pooled over the sampled frames)");
        if (nr_svg_plot_write(plot, &overall, title, err, sizeof(err)) < 0) {
            rc = nr_cli_fail("%s", err);
            goto done;
        }
    }

    char text[200];
    if (json) {
        printf("{\"file\": ");
        json_string(stdout, path);
        printf(", \"source_width\": %d, \"source_height\": %d, ", source_w, source_h);
        json_scale(stdout, &overall, true);
        if (still) {
            print_candidates_json(stdout, &overall);
        } else {
            printf(", \"frames\": %d, \"duration\": %.3f, \"scenes\": [", count, duration);
            for (int s = 0; s < num_scenes; s++) {
                printf("%s{\"start\": %.3f, \"end\": %.3f, \"frames\": %d, ", s ? ", " : "",
                       scenes[s].start, scenes[s].end, scenes[s].last - scenes[s].first + 1);
                json_scale(stdout, &scenes[s].verdict, false);
                const nr_estimate *v = &scenes[s].verdict;
                if (v->verdict == NR_VERDICT_UPSCALED && v->scale.kernel.type == NR_KERNEL_BICUBIC)
                    printf(", \"b\": %.6g, \"c\": %.6g", v->scale.kernel.b, v->scale.kernel.c);
                printf(", \"confidence\": %.3f, \"reason\": ", v->confidence);
                json_string(stdout, v->reason);
                printf("}");
            }
            printf("]");
        }
        printf("}\n");
    } else {
        describe(text, sizeof(text), &overall);
        printf("%s: %s, confidence %.2f\n", path, text, overall.confidence);
        if (overall.crop_w != source_w || overall.crop_h != source_h)
            printf("  picture area %dx%d at (%d,%d) after removing bars\n",
                   overall.crop_w, overall.crop_h, overall.crop_x, overall.crop_y);
        printf("  %s\n", overall.reason);
        if (still) {
            for (int i = 0; i < overall.num_height_candidates && i < 5; i++) {
                char kn[32];
                const nr_candidate *c = &overall.height_candidates[i];
                printf("  candidate %-8g %-14s score %.3f\n", c->size,
                       nr_kernel_name(&c->kernel, kn, sizeof(kn)), c->score);
            }
        } else {
            printf("  scenes (%d frames sampled):\n", count);
            for (int s = 0; s < num_scenes; s++) {
                char t0[32], t1[32];
                clock_text(t0, sizeof(t0), scenes[s].start);
                clock_text(t1, sizeof(t1), scenes[s].end);
                describe(text, sizeof(text), &scenes[s].verdict);
                printf("    %s - %s  %s (%d frames%s)\n", t0, t1, text,
                       scenes[s].last - scenes[s].first + 1,
                       scenes[s].confirmed ? ", confirms the file's answer" : "");
            }
        }
    }

done:
    for (int i = 0; i < count; i++)
        nr_estimate_free(&samples[i].est);
    for (int i = 0; i < num_scenes; i++) {
        nr_estimate_free(&scenes[i].verdict);
        nr_pool_free(scenes[i].pool);
    }
    if (!still)
        nr_estimate_free(&overall);
    free(samples);
    free(scenes);
    nr_pool_free(file_pool);
    return rc;
}
