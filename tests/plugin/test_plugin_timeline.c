/*
 * The plugin inside real mpv, on generated clips. The observer plugin logs
 * glsl-shaders each time it changes, so the tests see what the plugin did
 * from the outside, over playback time; the plugin's own decision lines
 * ("nativeres: verdict=...") are checked against what each clip is.
 *
 * Two players: the mpv CLI with --vo=null (decoding and playback in real
 * time, no rendering), and with --host the headless libmpv host (vo_gpu
 * renderer on EGL/llvmpipe: the shaders really run). In the host, scenarios
 * (a), (b), (d), (e) also check the last rendered frame against the CPU
 * reference of the expected pipeline: nr_descale of the clip's decoded last
 * frame, the user's shader if any, then mpv's limited-range conversion.
 *
 *   test-plugin-timeline SCENARIO --plugin P --observer O --synth S --work DIR
 *                        [--host nr-mpv-host]
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_util.h"
#include "image_io.h"
#include "read_text.h"
#include "nativeres.h"

#define OURS "/nativeres-descale-"
/* Clips play at 4 frames per second: enough frames for the pace of the
 * plugin, few to generate. */
#define FPS 4

static e2e_env env;
static const char *asan_runtime;   /* libasan.so to preload into mpv */

/* Bounds of the rendered frame against the reference: vo_gpu keeps
 * intermediates in rgba16f (see the PLATFORM notes on the precision
 * floor), and limited-range expansion scales errors by 255/219. */
#define MAX_TOL 4e-3
#define MEAN_TOL 5e-4

/* What the last rendered frame must be (host runs only). */
typedef struct expect_frame {
    double height;
    const char *kernel;
    const char *wrong_kernel;   /* control: this reference must NOT match */
    int frames;                 /* frames in the clip: the last one stays shown */
    bool user_square;           /* a user LUMA shader squaring luma runs after ours */
} expect_frame;

static void print_log(const char *name, const mpv_log *log);

/* mpv CLI with both plugins; extra: more mpv arguments; opts: more
 * script-opts. Returns mpv's exit status and fills log. */
static int run_mpv(const char *name, const char *clip, const char *opts,
                   const char *extra, mpv_log *log)
{
    char log_path[8192], out_path[8192];
    snprintf(log_path, sizeof(log_path), "%s/%s.log", env.work, name);
    snprintf(out_path, sizeof(out_path), "%s/%s.out", env.work, name);
    unlink(log_path);
    int rc = e2e_sh(120, out_path,
                    "mpv --no-config --vo=null --no-audio --idle=no --msg-level=all=v "
                    "--script='%s' --script='%s' "
                    "--script-opts='nativeres-cache-dir=%s/cache,nativeres-verbose=yes,nativeres-mode=descale%s%s' "
                    "--log-file='%s' %s '%s'",
                    env.plugin, env.observer, env.work, opts[0] ? "," : "", opts, log_path,
                    extra, clip);
    if (!e2e_read_log(log_path, log))
        e2e_failures++;
    fprintf(stderr, "[%s] mpv exit %d, %d verdict line(s), %d shader change(s)\n", name, rc,
            log->num_verdicts, log->num_shaders);
    print_log(name, log);
    return rc;
}

static void print_log(const char *name, const mpv_log *log)
{
    for (int i = 0; i < log->num_verdicts; i++)
        fprintf(stderr, "[%s]   %s\n", name, log->verdicts[i]);
    for (int i = 0; i < log->num_shaders; i++)
        fprintf(stderr, "[%s]   t=%.2f pos=%.2f %s\n", name, log->shaders[i].t,
                log->shaders[i].pos, log->shaders[i].list);
}

/* The libmpv host (vo_gpu) with both plugins, playing for `seconds` of wall
 * clock (keep-open: the last frame stays shown), a w x h FBO whose last
 * frame goes to out_pfm (red channel). Returns the host's exit status (3:
 * mpv's log shows a shader problem). */
static int run_host(const char *name, const char *clip, double seconds, const char *opts,
                    const char *shaders, int w, int h, const char *out_pfm, mpv_log *log)
{
    char log_path[8192], out_path[8192], shader_arg[8300] = "";
    snprintf(log_path, sizeof(log_path), "%s/%s.log", env.work, name);
    snprintf(out_path, sizeof(out_path), "%s/%s.out", env.work, name);
    unlink(log_path);
    unlink(out_pfm);
    if (shaders)
        snprintf(shader_arg, sizeof(shader_arg), "--shaders '%s'", shaders);
    int rc = e2e_sh(seconds + 90, out_path,
                    "'%s' --file '%s' --opt 'scripts=%s:%s' "
                    "--opt 'script-opts=nativeres-cache-dir=%s/cache,nativeres-verbose=yes,nativeres-mode=descale,"
                    "nativeres-osd=no%s%s' "
                    /* --until-eof: the frame compared is the last one, which a
                     * loaded machine shows later than the clock says */
                    "%s --play --until-eof --seconds %g --size %dx%d --out-gray '%s' --log '%s' "
                    "--timeout %g",
                    env.host, clip, env.plugin, env.observer, env.work, opts[0] ? "," : "",
                    opts, shader_arg, seconds, w, h, out_pfm, log_path, seconds + 60);
    if (!e2e_read_log(log_path, log))
        e2e_failures++;
    fprintf(stderr, "[%s] host exit %d, %d verdict line(s), %d shader change(s)\n", name, rc,
            log->num_verdicts, log->num_shaders);
    print_log(name, log);
    if (log->text) {
        /* the pixels and the final list are only meaningful at the end */
        CHECK(e2e_count(log, "video EOF reached") >= 1,
              "playback did not reach the end of %s in %g s (see %s)", clip, seconds, log_path);
        CHECK(e2e_count(log, "compile log (status=0)") == 0, "a shader failed to compile");
    }
    return rc;
}

/* Frame `index` of a clip: its decoded luma plane, code values / 255. */
static bool decoded_luma(const char *clip, int index, int w, int h, nr_image *y)
{
    char raw[8192], out[8192];
    snprintf(raw, sizeof(raw), "%s/frame%d.yuv", env.work, index);
    snprintf(out, sizeof(out), "%s/frame%d.txt", env.work, index);
    unlink(raw);
    /* the clip is 4:2:0 already: rawvideo copies the decoder's planes */
    if (e2e_sh(60, out, "ffmpeg -nostdin -loglevel error -y -i '%s' -vf 'select=eq(n\\,%d)' "
               "-vsync 0 -frames:v 1 -f rawvideo -pix_fmt yuv420p '%s'", clip, index, raw) != 0)
        return false;
    FILE *f = fopen(raw, "rb");
    if (!f || !nr_image_alloc(y, w, h, 1)) {
        if (f)
            fclose(f);
        return false;
    }
    size_t n = (size_t)w * h;
    unsigned char *codes = malloc(n);
    bool ok = codes && fread(codes, 1, n, f) == n;
    fclose(f);
    for (size_t i = 0; ok && i < n; i++)
        y->data[i] = codes[i] / 255.0f;
    free(codes);
    if (!ok)
        nr_image_free(y);
    return ok;
}

/* The CPU reference of what mpv shows: our descale of the luma plane
 * (LUMA hook: limited-range code values / 255), the user's LUMA shader,
 * then mpv's conversion of limited-range gray (neutral chroma) to RGB. */
static bool reference_frame(const nr_image *luma, double height, const char *kernel,
                            bool user_square, nr_image *ref)
{
    nr_scale s;
    char err[256];
    memset(&s, 0, sizeof(s));
    if (!nr_kernel_parse(kernel, &s.kernel) ||
        nr_scale_for_height(&s, luma->w, luma->h, height, 0, err, sizeof(err)) != 0 ||
        !nr_image_alloc(ref, s.native_w, s.native_h, 1))
        return false;
    if (nr_descale(&s, luma->data, luma->w, ref->data, ref->w) != 0) {
        nr_image_free(ref);
        return false;
    }
    for (size_t i = 0; i < (size_t)ref->w * ref->h; i++) {
        float v = ref->data[i];
        if (user_square)
            v = v * v;
        ref->data[i] = (v - 16.0f / 255.0f) * (255.0f / 219.0f);
    }
    return true;
}

/* FBO size for a run that must end on the descaled frame: the native
 * size, so that no main scaling follows. */
static void native_size(const expect_frame *px, int *w, int *h)
{
    nr_scale s;
    char err[256];
    memset(&s, 0, sizeof(s));
    *w = 640;
    *h = 360;
    if (px && nr_kernel_parse(px->kernel, &s.kernel) &&
        nr_scale_for_height(&s, 1920, 1080, px->height, 0, err, sizeof(err)) == 0) {
        *w = s.native_w;
        *h = s.native_h;
    }
}

static void check_final_frame(const char *name, const char *clip, const expect_frame *px,
                              const char *out_pfm)
{
    nr_image luma, ref, wrong, got;
    char err[512];
    if (!decoded_luma(clip, px->frames - 1, 1920, 1080, &luma)) {
        CHECK(false, "cannot decode the last frame of %s", clip);
        return;
    }
    bool have_ref = reference_frame(&luma, px->height, px->kernel, px->user_square, &ref);
    bool have_wrong = reference_frame(&luma, px->height, px->wrong_kernel, px->user_square, &wrong);
    nr_image_free(&luma);
    CHECK(have_ref && have_wrong, "cannot build the CPU references");
    bool have_got = nr_pfm_read(out_pfm, &got, err, sizeof(err));
    CHECK(have_got, "no rendered frame: %s", err);
    if (have_ref && have_wrong && have_got) {
        nr_diff d, dw;
        bool ok = nr_image_diff(&got, &ref, true, &d, err, sizeof(err)) &&
                  nr_image_diff(&got, &wrong, true, &dw, err, sizeof(err));
        CHECK(ok, "%s", err);
        if (ok) {
            fprintf(stderr, "[%s] last frame vs CPU reference (%g %s): max %.2e at (%d,%d), "
                    "mean %.2e; vs the %s control: max %.2e\n", name, px->height, px->kernel,
                    d.max, d.max_x, d.max_y, d.mean, px->wrong_kernel, dw.max);
            CHECK(d.max <= MAX_TOL && d.mean <= MEAN_TOL,
                  "the rendered frame differs from the reference");
            /* the comparison can tell kernels apart, so it can fail */
            CHECK(dw.max > 10 * MAX_TOL, "the %s control is as close as the reference",
                  px->wrong_kernel);
        }
    }
    if (have_ref)
        nr_image_free(&ref);
    if (have_wrong)
        nr_image_free(&wrong);
    if (have_got)
        nr_image_free(&got);
}

/* A scenario's run: the CLI (vo=null), or the host for clip_seconds of
 * playback plus headroom for llvmpipe, then px's pixel check if given.
 * shaders: the user's glsl-shaders (':'-separated) or NULL. */
/* run_mpv, and a non-zero exit is a failure. */
static int run_mpv_ok(const char *name, const char *clip, const char *opts,
                      const char *extra, mpv_log *log)
{
    int rc = run_mpv(name, clip, opts, extra, log);
    CHECK(rc == 0, "%s: mpv exit %d", name, rc);
    return rc;
}

static int play(const char *name, const char *clip, double clip_seconds, const char *opts,
                const char *shaders, const expect_frame *px, mpv_log *log)
{
    if (!env.host) {
        char extra[20000] = "";
        if (shaders)
            snprintf(extra, sizeof(extra), "--glsl-shaders='%s'", shaders);
        return run_mpv_ok(name, clip, opts, extra, log);
    }
    int w, h;
    native_size(px, &w, &h);
    char out_pfm[8192];
    snprintf(out_pfm, sizeof(out_pfm), "%s/%s-last.pfm", env.work, name);
    int rc = run_host(name, clip, clip_seconds * 1.5 + 2, opts, shaders, w, h, out_pfm, log);
    CHECK(rc == 0, "%s: host exit %d", name, rc);
    if (px && rc == 0)
        check_final_frame(name, clip, px, out_pfm);
    return rc;
}

/* The clip a scenario plays, made once per name by nr-synth; NULL (a
 * failure counted) if it could not be made. */
static const char *scenario_clip(const char *name, const char *synth_args)
{
    const char *clip = e2e_clip(&env, name, FPS, synth_args);
    CHECK(clip, "no clip %s", name);
    return clip;
}


static bool starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static bool any_ours(const mpv_log *log)
{
    return e2e_first_with(log, "/nativeres-") >= 0;
}

/* The list during playback's last moments (the plugin removes its shader
 * when the file ends; whether the observer still sees that is a race). */
static const char *last_list(const mpv_log *log)
{
    for (int i = log->num_shaders - 1; i >= 0; i--) {
        if (log->shaders[i].pos >= 0)
            return log->shaders[i].list;
    }
    return "";
}

/* (a) 720p bilinear throughout: one decision, early, and it stays. */
static void scenario_720p(void)
{
    const char *clip = scenario_clip("720-bilinear",
                                "--native 720 --kernel bilinear --frames 12 --seed 3");
    if (!clip)
        return;
    static const expect_frame px = {720, "bilinear", "catrom", 12, false};
    mpv_log log;
    play("a", clip, 3.0, "nativeres-cache=no", NULL, &px, &log);
    CHECK(log.num_verdicts == 1, "want exactly one decision, got %d", log.num_verdicts);
    CHECK(log.num_verdicts >= 1 &&
          starts(log.verdicts[0], "verdict=upscaled width=1280 height=720 kernel=bilinear confidence="),
          "decision: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    int first = e2e_first_with(&log, OURS "1920x1080-from-720p-bilinear-");
    CHECK(first >= 0, "our shader never appeared in glsl-shaders");
    /* a few early grabs decide: within the 2 s of playback (in real
     * time: a loaded machine once took 1.75 s; on llvmpipe the renderer
     * starves the low-priority analysis thread, so the host runs only check
     * that it switched) */
    CHECK(first >= 0 && (env.host || log.shaders[first].pos <= 2.0), "switched at pos %.2f",
          first >= 0 ? log.shaders[first].pos : -1);
    CHECK(strstr(last_list(&log), OURS) != NULL, "our shader was removed: %s", last_list(&log));
    /* the file is a real shader for exactly this source size */
    if (first >= 0) {
        char path[2048];
        snprintf(path, sizeof(path), "%s", log.shaders[first].list);
        char *bar = strchr(path, '|');
        if (bar)
            *bar = '\0';
        FILE *f = fopen(path, "r");
        CHECK(f, "shader file %s missing", path);
        if (f) {
            char head[65536];
            size_t n = fread(head, 1, sizeof(head) - 1, f);
            head[n] = '\0';
            fclose(f);
            CHECK(strstr(head, "//!HOOK LUMA") && strstr(head, "//!WHEN"),
                  "shader file lacks HOOK LUMA / WHEN");
            CHECK(strstr(head, "1920") && strstr(head, "1080"), "WHEN not gated on 1920x1080");
        }
    }
    CHECK(e2e_count(&log, "nativeres: warning:") == 0, "unexpected warnings");
    e2e_free_log(&log);
}

/* (b) native 1080p opening, then an 810p catrom episode (cut at 3 s). */
static void scenario_op_then_episode(void)
{
    const char *clip = scenario_clip("op-native-then-810-catrom",
                                "--native 0,810 --kernel catrom --frames 24 "
                                "--scene-length 12 --seed 1");
    if (!clip)
        return;
    static const expect_frame px = {810, "catrom", "bilinear", 24, false};
    mpv_log log;
    play("b", clip, 6.0, "nativeres-cache=no", NULL, &px, &log);
    CHECK(log.num_verdicts == 2, "want native then upscaled, got %d decision(s)",
          log.num_verdicts);
    /* "unsure" also runs nothing; both are right for the opening */
    CHECK(log.num_verdicts >= 1 && (starts(log.verdicts[0], "verdict=native width=1920 height=1080") ||
                                    starts(log.verdicts[0], "verdict=unsure")),
          "first decision: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    CHECK(log.num_verdicts >= 2 &&
          starts(log.verdicts[1], "verdict=upscaled width=1440 height=810 kernel=catrom"),
          "second decision: %s", log.num_verdicts >= 2 ? log.verdicts[1] : "(none)");
    int first = e2e_first_with(&log, "/nativeres-");
    CHECK(first >= 0, "our shader never appeared");
    if (first >= 0) {
        CHECK(strstr(log.shaders[first].list, "from-810p-catrom"), "wrong shader %s",
              log.shaders[first].list);
        /* never during the native opening; within a few seconds of the cut */
        CHECK(log.shaders[first].pos >= 3.0, "shader at pos %.2f, during the native part",
              log.shaders[first].pos);
        CHECK(env.host || log.shaders[first].pos <= 5.5, "shader only at pos %.2f",
              log.shaders[first].pos);
    }
    CHECK(strstr(last_list(&log), "from-810p-catrom"), "final list %s", last_list(&log));
    e2e_free_log(&log);
}

/* (b2) the file's answer confirmed: a clean 810p catrom scene, then a
 * grainy one of the same production (grain 0.03 at 1080p) whose frames
 * leave a blind search unsure (height dip 0.46, no width evidence: detect
 * gives "unsure" for that scene alone). Without the check against the
 * file's answer the descale would switch off three frames after the cut;
 * with it the scene confirms 810 and nothing changes. */
static void scenario_confirm(void)
{
    const char *clip = scenario_clip("810-then-grainy-810",
                                "--native 810,810 --kernel catrom --frames 24 "
                                "--scene-length 12 --seed 1 --grain 0,0.03");
    if (!clip)
        return;
    mpv_log log;
    play("b2", clip, 6.0, "nativeres-cache=no", NULL, NULL, &log);
    CHECK(log.num_verdicts == 1, "want one decision kept through the grainy scene, got %d",
          log.num_verdicts);
    CHECK(log.num_verdicts >= 1 &&
          starts(log.verdicts[0], "verdict=upscaled width=1440 height=810 kernel=catrom"),
          "decision: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    CHECK(strstr(last_list(&log), "from-810p-catrom"), "final list %s", last_list(&log));
    e2e_free_log(&log);
}

/* (b3) another episode's answer: a grainy 810p file alone stays unsure
 * (the control); once a clean 810p file of the same folder was played (the
 * cache holds its timeline), the grainy one confirms 810 on its own
 * frames; a grainy native file in that folder gets nothing. */
static void scenario_sibling(void)
{
    /* scenario_clip's path lives in a static buffer: copied each time */
    char clean[8192], grainy[8192], native[8192];
    const char *c = scenario_clip("ep-810-clean",
                                  "--native 810 --kernel catrom --frames 12 --seed 21");
    snprintf(clean, sizeof(clean), "%s", c ? c : "");
    c = scenario_clip("ep-810-grainy-2",
                      "--native 810 --kernel catrom --frames 12 --seed 2 --grain 0.03");
    snprintf(grainy, sizeof(grainy), "%s", c ? c : "");
    c = scenario_clip("ep-native-grainy", "--native 0 --frames 12 --seed 23 --grain 0.03");
    snprintf(native, sizeof(native), "%s", c ? c : "");
    if (!clean[0] || !grainy[0] || !native[0])
        return;
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/cache'", env.work);
    e2e_sh(30, "/dev/null", "%s", cmd);
    mpv_log log;
    run_mpv_ok("sibling-alone", grainy, "", "", &log);
    CHECK(!any_ours(&log), "the grainy file alone got a shader: the case tests nothing");
    e2e_free_log(&log);
    run_mpv_ok("sibling-clean", clean, "", "", &log);
    CHECK(log.num_verdicts >= 1 &&
          starts(log.verdicts[0], "verdict=upscaled width=1440 height=810 kernel=catrom"),
          "clean episode: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    e2e_free_log(&log);
    run_mpv_ok("sibling-grainy", grainy, "", "", &log);
    CHECK(log.num_verdicts >= 1 &&
          starts(log.verdicts[0], "verdict=upscaled width=1440 height=810 kernel=catrom") &&
          strstr(log.verdicts[0], "source=detect"),
          "grainy episode after the clean one: %s",
          log.num_verdicts ? log.verdicts[0] : "(none)");
    CHECK(strstr(last_list(&log), "from-810p-catrom"), "final list %s", last_list(&log));
    e2e_free_log(&log);
    run_mpv_ok("sibling-native", native, "", "", &log);
    CHECK(!any_ours(&log), "a native file got the folder's 810");
    e2e_free_log(&log);
}

/* (c) native 1080p throughout: no shader, ever. */
static void scenario_native(void)
{
    const char *clip = scenario_clip("native", "--native 0 --frames 16 --seed 5");
    if (!clip)
        return;
    mpv_log log;
    play("c", clip, 4.0, "nativeres-cache=no", NULL, NULL, &log);
    CHECK(log.num_verdicts >= 1, "no decision at all");
    for (int i = 0; i < log.num_verdicts; i++)
        CHECK(starts(log.verdicts[i], "verdict=native"), "decision %d: %s", i, log.verdicts[i]);
    CHECK(!any_ours(&log), "a nativeres shader appeared on native content");
    e2e_free_log(&log);
}

/* (d) fractional 873.5, mitchell. */
static void scenario_fractional(void)
{
    const char *clip = scenario_clip("873.5-mitchell",
                                "--native 873.5 --kernel mitchell --frames 12 --seed 7");
    if (!clip)
        return;
    static const expect_frame px = {873.5, "mitchell", "catrom", 12, false};
    mpv_log log;
    play("d", clip, 3.0, "nativeres-cache=no", NULL, &px, &log);
    CHECK(log.num_verdicts == 1, "want one decision, got %d", log.num_verdicts);
    CHECK(log.num_verdicts >= 1 && starts(log.verdicts[0], "verdict=upscaled width=1552.889 "
                                          "height=873.5 kernel=mitchell"),
          "decision: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    CHECK(strstr(last_list(&log), "from-873.5p-mitchell"), "final list %s", last_list(&log));
    e2e_free_log(&log);
}

/* hook: LUMA or MAIN; body: the value hook() returns from c = the input. */
static void write_user_shader(const char *path, const char *hook, const char *desc,
                              const char *body)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "//!HOOK %s\n//!BIND HOOKED\n//!DESC %s\n"
               "vec4 hook() { vec4 c = HOOKED_texOff(0); return %s; }\n", hook, desc, body);
    fclose(f);
}

/* (e) the user's shaders stay, in their order, after ours; toggling
 * removes and restores only ours. The first squares luma on the same hook
 * as ours (LUMA): rendered pixels show it ran after our descale. */
static void scenario_user_shaders(void)
{
    /* 6 s: on llvmpipe the decision may come seconds into the clip */
    const char *clip = scenario_clip("720-bilinear-6s",
                                "--native 720 --kernel bilinear --frames 24 --seed 3");
    if (!clip)
        return;
    char u1[8192], u2[8192], shaders[20000];
    snprintf(u1, sizeof(u1), "%s/user-first.glsl", env.work);
    snprintf(u2, sizeof(u2), "%s/user-second.glsl", env.work);
    write_user_shader(u1, "LUMA", "user first: luma squared", "c * c");
    write_user_shader(u2, "MAIN", "user second", "c");
    snprintf(shaders, sizeof(shaders), "%s:%s", u1, u2);
    static const expect_frame px = {720, "bilinear", "catrom", 24, true};
    mpv_log log;
    /* off half a second after ours appeared, on again 0.75 s later */
    play("e", clip, 6.0,
         "nativeres-cache=no,observer-at=+0.5@script-binding nativeres/toggle;"
         "+1.25@script-binding nativeres/toggle", shaders, &px, &log);
    char user[20000];
    snprintf(user, sizeof(user), "%s|%s", u1, u2);
    /* expected: user list -> ours|user -> user (toggled off) -> ours|user */
    int phase = 0;
    for (int i = 0; i < log.num_shaders; i++) {
        const char *l = log.shaders[i].list;
        const char *bar = strchr(l, '|');
        const char *o = strstr(l, OURS);
        bool ours_first = o && bar && o < bar && !strcmp(bar + 1, user);
        bool plain = !strcmp(l, user);
        CHECK(ours_first || plain, "list %d broke the user's shaders: %s", i, l);
        if (log.shaders[i].pos < 0)
            continue;   /* before the first frame or after the end of the file */
        if ((phase % 2 == 0 && ours_first) || (phase % 2 == 1 && plain))
            phase++;
    }
    CHECK(phase == 3, "want on, off, on again; got %d transition(s)", phase);
    e2e_free_log(&log);
}

/* Reopening a file: the cached result applies before any frame is analysed. */
static void scenario_cache(void)
{
    const char *clip = scenario_clip("720-bilinear",
                                "--native 720 --kernel bilinear --frames 12 --seed 3");
    if (!clip)
        return;
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/cache'", env.work);
    e2e_sh(30, "/dev/null", "%s", cmd);
    mpv_log first, second;
    run_mpv("cache-first", clip, "", "", &first);
    CHECK(first.num_verdicts >= 1 && strstr(first.verdicts[0], "source=detect"),
          "first run: %s", first.num_verdicts ? first.verdicts[0] : "(none)");
    run_mpv_ok("cache-second", clip, "", "", &second);
    CHECK(second.num_verdicts >= 1 &&
          starts(second.verdicts[0], "verdict=upscaled width=1280 height=720 kernel=bilinear") &&
          strstr(second.verdicts[0], "source=cache"),
          "second run: %s", second.num_verdicts ? second.verdicts[0] : "(none)");
    int i = e2e_first_with(&second, OURS);
    /* at once: before the first grab could decide (0.25 s apart); a machine
     * loaded by four jobs took 0.25 s once, so the bound is 0.5 s, and
     * source=cache above says where the answer came from */
    CHECK(i >= 0 && second.shaders[i].pos < 0.5, "cached shader only at pos %.2f",
          i >= 0 ? second.shaders[i].pos : -1);
    e2e_free_log(&first);
    e2e_free_log(&second);
    /* the cache file is one entry for the clip, in the documented format */
    snprintf(cmd, sizeof(cmd), "%s/cache/results.tsv", env.work);
    FILE *f = fopen(cmd, "r");
    CHECK(f, "no %s", cmd);
    if (f) {
        char line[8192];
        int entries = 0;
        while (fgets(line, sizeof(line), f)) {
            if (line[0] != '#')
                entries++;
        }
        fclose(f);
        CHECK(entries == 1, "%d cache entries", entries);
    }
}

/* The cache line of one file: its scene spans ("start end verdict height
 * width kernel b c confidence"), or -1 without one. */
static int cached_spans(const char *cache_file, char spans[][256], int max)
{
    FILE *f = fopen(cache_file, "r");
    if (!f)
        return -1;
    static char line[65536];
    int n = -1;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#')
            continue;
        char *save = NULL, *tok = strtok_r(line, "\t\n", &save);
        for (int i = 0; tok && i < 5; i++)
            tok = strtok_r(NULL, "\t\n", &save);   /* path size duration WxH count */
        n = 0;
        for (; tok && n < max; tok = strtok_r(NULL, "\t\n", &save))
            snprintf(spans[n++], 256, "%s", tok);
    }
    fclose(f);
    return n;
}

/* The latest shader event at or before position pos (-1 if none). */
static int list_at(const mpv_log *log, double pos)
{
    int at = -1;
    for (int i = 0; i < log->num_shaders; i++) {
        if (log->shaders[i].pos >= 0 && log->shaders[i].pos <= pos)
            at = i;
    }
    return at;
}

/* The scene timeline in the cache: a native first scene and a 720p
 * bilinear second scene (cut at 3 s). Played again, each scene gets its own
 * answer at once: never the descale over the native scene (the old cache
 * kept the file's last decision and put it there), the descale within 2 s
 * of the cut; seeks land on the right answer at once. */
static void scenario_scene_cache(void)
{
    const char *clip = scenario_clip("native-then-720-bilinear",
                                "--native 0,720 --kernel bilinear --frames 24 "
                                "--scene-length 12 --seed 11");
    if (!clip)
        return;
    const double cut = 3.0;
    char cmd[8192], cache_file[8192];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/cache'", env.work);
    e2e_sh(30, "/dev/null", "%s", cmd);
    snprintf(cache_file, sizeof(cache_file), "%s/cache/results.tsv", env.work);

    mpv_log first, second, third;
    run_mpv("timeline-first", clip, "", "", &first);
    CHECK(first.num_verdicts >= 2, "first play: want native then upscaled, got %d decision(s)",
          first.num_verdicts);
    char spans[16][256];
    int n = cached_spans(cache_file, spans, 16);
    fprintf(stderr, "[timeline] cache: %d span(s)\n", n);
    for (int i = 0; i < n; i++)
        fprintf(stderr, "[timeline]   %s\n", spans[i]);
    double s0 = -1, e0 = -1, s1 = -1, e1 = -1;
    char v0[32] = "", v1[32] = "", k1[32] = "";
    double h1 = 0;
    if (n >= 2) {
        sscanf(spans[0], "%lf %lf %31s", &s0, &e0, v0);
        sscanf(spans[1], "%lf %lf %31s %lf %*f %31s", &s1, &e1, v1, &h1, k1);
    }
    /* the opening may be "native" or "unsure": both run nothing */
    CHECK(n == 2 && (!strcmp(v0, "native") || !strcmp(v0, "unsure")) && s0 < 1.0 && e0 < cut &&
          !strcmp(v1, "upscaled") && fabs(h1 - 720) < 0.5 && !strcmp(k1, "bilinear") && s1 >= cut,
          "cached timeline is not [native/unsure before the cut, 720p bilinear after it]");

    /* second play from the start */
    run_mpv_ok("timeline-second", clip, "", "", &second);
    bool cached_720 = false;
    for (int i = 0; i < second.num_verdicts; i++) {
        CHECK(!starts(second.verdicts[i], "verdict=upscaled") ||
              starts(second.verdicts[i], "verdict=upscaled width=1280 height=720 kernel=bilinear"),
              "replay: decision %s", second.verdicts[i]);
        if (starts(second.verdicts[i], "verdict=upscaled") &&
            strstr(second.verdicts[i], "source=cache"))
            cached_720 = true;
    }
    CHECK(cached_720, "replay: the 720p answer did not come from the cache");
    int up = -1;
    for (int i = 0; i < second.num_shaders; i++) {
        bool ours = strstr(second.shaders[i].list, OURS) != NULL;
        CHECK(!ours || second.shaders[i].pos >= cut - 0.05,
              "replay: the descale runs at pos %.2f, over the native scene", second.shaders[i].pos);
        if (ours && up < 0)
            up = i;
    }
    CHECK(up >= 0 && strstr(second.shaders[up].list, "from-720p-bilinear"),
          "replay: the 720p descale never came");
    CHECK(up >= 0 && second.shaders[up].pos <= cut + 2.0, "replay: descale only at pos %.2f",
          up >= 0 ? second.shaders[up].pos : -1);

    /* third play: start inside the 720p scene, then seek back into the native one */
    run_mpv_ok("timeline-seek", clip, "observer-at=4.5@seek 0.5 absolute", "--start=4", &third);
    CHECK(third.num_verdicts >= 1 &&
          starts(third.verdicts[0], "verdict=upscaled width=1280 height=720 kernel=bilinear") &&
          strstr(third.verdicts[0], "source=cache"),
          "start at 4 s: first decision %s", third.num_verdicts ? third.verdicts[0] : "(none)");
    int first_ours = e2e_first_with(&third, OURS);
    CHECK(first_ours >= 0 && third.shaders[first_ours].pos < 4.25,
          "start at 4 s: descale only at pos %.2f",
          first_ours >= 0 ? third.shaders[first_ours].pos : -1);
    /* after the seek back, the first event at a position in the native
     * scene removes ours, and ours never runs there */
    int off = -1;
    for (int i = first_ours >= 0 ? first_ours : 0; i < third.num_shaders; i++) {
        double pos = third.shaders[i].pos;
        if (pos >= 0 && pos < cut - 0.05) {
            CHECK(!strstr(third.shaders[i].list, OURS), "after the seek: descale at pos %.2f", pos);
            if (off < 0)
                off = i;
        }
    }
    CHECK(off >= 0 && third.shaders[off].pos < 0.5 + 0.3,
          "after the seek to 0.5: descale removed only at pos %.2f",
          off >= 0 ? third.shaders[off].pos : -1);
    CHECK(list_at(&third, 2.9) >= 0 && !strstr(third.shaders[list_at(&third, 2.9)].list, OURS),
          "after the seek: descale running at 2.9 s");
    e2e_free_log(&first);
    e2e_free_log(&second);
    e2e_free_log(&third);
}

/* Known shows override detection; a native show stays untouched. */
static void scenario_known(void)
{
    const char *clip = scenario_clip("native", "--native 0 --frames 16 --seed 5");
    if (!clip)
        return;
    char link[8192];
    snprintf(link, sizeof(link), "%s/My Show - 01.mkv", env.work);
    unlink(link);
    CHECK(symlink(clip, link) == 0, "symlink: %s", strerror(errno));
    mpv_log log;
    run_mpv_ok("known", link,
               "nativeres-cache=no,nativeres-known=*Other*:native;*my show*:720:catrom", "", &log);
    CHECK(log.num_verdicts == 1, "want one decision, got %d", log.num_verdicts);
    CHECK(log.num_verdicts >= 1 &&
          starts(log.verdicts[0], "verdict=upscaled width=1280 height=720 kernel=catrom") &&
          strstr(log.verdicts[0], "source=known"),
          "decision: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    CHECK(strstr(last_list(&log), "from-720p-catrom"), "final list %s", last_list(&log));
    CHECK(e2e_count(&log, "nativeres: frame ") == 0, "detection ran for a known show");
    e2e_free_log(&log);
}

/* Unknown keys and bad values: a warning each, defaults kept, still works. */
static void scenario_bad_options(void)
{
    const char *clip = scenario_clip("720-bilinear",
                                "--native 720 --kernel bilinear --frames 12 --seed 3");
    if (!clip)
        return;
    mpv_log log;
    run_mpv_ok("options", clip,
                     "nativeres-cache=no,nativeres-bogus=1,nativeres-confidence=abc,"
                     "nativeres-kernels=nope,nativeres-interval=-3,nativeres-known=broken",
                     "", &log);
    CHECK(log.warnings == 5, "want 5 warnings, got %d", log.warnings);
    CHECK(e2e_count(&log, "unknown option 'bogus'") == 1, "no warning for 'bogus'");
    CHECK(e2e_count(&log, "bad value 'abc' for option 'confidence'") == 1,
          "no warning for confidence=abc");
    CHECK(log.num_verdicts == 1 && starts(log.verdicts[0], "verdict=upscaled width=1280 height=720"),
          "decision with defaults: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    e2e_free_log(&log);
}

/* The script-bindings: compare, cycle-kernel, info, rescan. */
static void scenario_bindings(void)
{
    /* 6 s: after the rescan at 2.75 s a loaded machine still has time for
     * the two frames a decision needs */
    const char *clip = scenario_clip("720-bilinear-6s",
                                "--native 720 --kernel bilinear --frames 24 --seed 3");
    if (!clip)
        return;
    mpv_log log;
    run_mpv_ok("bindings", clip,
               "nativeres-cache=no,observer-at="
               "1.5@script-binding nativeres/compare;"
               "2.0@script-binding nativeres/compare;"
               "2.25@script-binding nativeres/cycle-kernel;"
               "2.5@script-binding nativeres/info;"
               "2.75@script-binding nativeres/rescan", "", &log);
    int cmp = e2e_first_with(&log, "/nativeres-compare-1920x1080-from-720p-bilinear-");
    CHECK(cmp >= 0, "compare shader never appeared");
    int cyc = e2e_first_with(&log, OURS "1920x1080-from-720p-catrom-");
    CHECK(cyc > cmp, "cycle-kernel did not switch to catrom");
    bool manual = false, redetected = false;
    for (int i = 0; i < log.num_verdicts; i++) {
        if (strstr(log.verdicts[i], "kernel=catrom") && strstr(log.verdicts[i], "source=manual"))
            manual = true;
        if (manual && strstr(log.verdicts[i], "kernel=bilinear") &&
            strstr(log.verdicts[i], "source=detect"))
            redetected = true;
    }
    CHECK(manual, "no manual decision line");
    CHECK(redetected, "rescan did not detect bilinear again");
    CHECK(e2e_count(&log, "nativeres: info page shown") == 1, "info page not shown");
    /* while the page is shown, changes are written into it, never on a
     * box of their own over it */
    const char *shown = strstr(log.text, "nativeres: info page shown");
    CHECK(shown && strstr(shown, "nativeres: osd in the info page: rescanning") &&
          !strstr(shown, "nativeres: osd on its box"), "a change message overlaps the info page");
    CHECK(e2e_count(&log, "nativeres: osd on its box: 1280\u00d7720 bilinear") >= 1,
          "the first decision's message was not shown on its box");
    CHECK(log.warnings == 0, "warnings (osd-overlay failed?)");
    CHECK(e2e_count(&log, "nativeres: rescan") == 1, "rescan not logged");
    e2e_free_log(&log);
}

/* Files the plugin must survive: audio only, a still image, a tiny odd
 * size, vertical video. mpv must exit 0 each time. */
static void scenario_odd_inputs(void)
{
    char path[8192], out[8192];
    mpv_log log;
    snprintf(path, sizeof(path), "%s/audio.wav", env.work);
    snprintf(out, sizeof(out), "%s/audio-gen.txt", env.work);
    CHECK(e2e_sh(60, out, "ffmpeg -nostdin -loglevel error -y -f lavfi -i "
                 "sine=frequency=440:duration=1 '%s'", path) == 0, "no wav");
    run_mpv_ok("audio", path, "nativeres-cache=no", "--aid=auto --ao=null", &log);
    CHECK(log.num_verdicts == 0, "audio-only: a decision was made");
    e2e_free_log(&log);

    snprintf(path, sizeof(path), "%s/still.png", env.work);
    CHECK(e2e_sh(60, out, "'%s' --native 720 --kernel bilinear --seed 9 --format pgm -o - | "
                 "ffmpeg -nostdin -loglevel error -y -f pgm_pipe -i - '%s'",
                 env.synth, path) == 0, "no png");
    run_mpv_ok("still", path, "nativeres-cache=no,observer-quit-after=3",
               "--keep-open=yes --image-display-duration=inf", &log);
    CHECK(log.num_verdicts == 1 && starts(log.verdicts[0], "verdict=upscaled width=1280 height=720"),
          "still image: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    e2e_free_log(&log);

    const char *tiny = e2e_clip(&env, "tiny-odd", FPS,
                                "--width 203 --height 97 --native 0 --frames 6");
    CHECK(tiny, "no tiny clip");
    if (tiny) {
        run_mpv_ok("tiny", tiny, "nativeres-cache=no", "", &log);
        e2e_free_log(&log);
    }
    const char *vertical = e2e_clip(&env, "vertical", FPS,
                                    "--width 540 --height 960 --native 640 --kernel bilinear "
                                    "--frames 8");
    CHECK(vertical, "no vertical clip");
    if (vertical) {
        run_mpv_ok("vertical", vertical, "nativeres-cache=no", "", &log);
        for (int i = 0; i < log.num_verdicts; i++)
            CHECK(!strstr(log.verdicts[i], "verdict=upscaled") ||
                  strstr(log.verdicts[i], "height=640"), "vertical: %s", log.verdicts[i]);
        e2e_free_log(&log);
    }
}

/* 200 load / seek / stop cycles with the plugin built with
 * AddressSanitizer, preloaded into mpv: no crash, no hang, no leak from
 * the plugin, every cycle done. The cache is off so that every cycle grabs
 * and estimates (stops and seeks land on work in flight), and a third of
 * the cycles play until the plugin has decided. */
static void scenario_stress(void)
{
    CHECK(env.asan_plugin && asan_runtime, "needs --asan-plugin and --asan-runtime");
    if (!env.asan_plugin || !asan_runtime)
        return;
    /* long enough that a playing cycle can wait for the plugin's decision */
    const char *clip = scenario_clip("stress-240-bilinear",
                                "--width 640 --height 360 --native 240 --kernel bilinear "
                                "--frames 48 --seed 4");
    if (!clip)
        return;
    char log_path[8192], out_path[8192];
    snprintf(log_path, sizeof(log_path), "%s/stress.log", env.work);
    snprintf(out_path, sizeof(out_path), "%s/stress.out", env.work);
    int rc = e2e_sh(280, out_path,
                    "LD_PRELOAD='%s' ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 "
                    "mpv --no-config --vo=null --no-audio --idle=yes --keep-open=no "
                    "--msg-level=all=error "
                    "--script='%s' --script='%s' "
                    "--script-opts='nativeres-cache-dir=%s/cache,nativeres-cache=no,nativeres-mode=descale,observer-stress=200,"
                    "observer-file=%s' --log-file='%s'",
                    asan_runtime, env.asan_plugin, env.observer, env.work, clip, log_path);
    CHECK(rc == 0, "mpv under ASan: exit %d (see %s)", rc, out_path);
    mpv_log log, out;
    if (e2e_read_log(log_path, &log)) {
        CHECK(e2e_count(&log, "observer: stress done cycles=200") == 1, "not all cycles done");
        CHECK(log.num_verdicts >= 10, "the plugin decided only %d time(s) in 200 cycles",
              log.num_verdicts);
        e2e_free_log(&log);
    } else {
        e2e_failures++;
    }
    if (e2e_read_log(out_path, &out)) {
        CHECK(e2e_count(&out, "ERROR: AddressSanitizer") == 0, "AddressSanitizer error");
        /* mpv's own allocations are not ours to judge; any report that goes
         * through the plugin's code is */
        bool ours = strstr(out.text, "nativeres.so") || strstr(out.text, "mpv-plugin/");
        CHECK(e2e_count(&out, "ERROR: LeakSanitizer") == 0 || !ours,
              "LeakSanitizer reports a leak in the plugin");
        e2e_free_log(&out);
    } else {
        e2e_failures++;
    }
}

static bool files_differ(const char *pa, const char *pb);

/* Mean and maximum of a gray image over a rectangle. */
static void region_stats(const nr_image *im, int x0, int y0, int x1, int y1, double *mean,
                         double *max)
{
    double sum = 0;
    int n = 0;
    *max = 0;
    for (int y = y0; y < y1 && y < im->h; y++) {
        for (int x = x0; x < x1 && x < im->w; x++) {
            double v = im->data[(size_t)y * im->w + x];
            sum += v;
            n++;
            *max = v > *max ? v : *max;
        }
    }
    *mean = n ? sum / n : 0;
}

/* The info page as the window shows it (960x540 window, the page's box in
 * its top left): that area is darkened by the translucent box, and white
 * text is drawn on it. The rows above it (mpv's and our change messages)
 * are left out. */
static void check_info_shot(const char *plain_png, const char *info_png)
{
    nr_image plain, info;
    char plain_pgm[8300], info_pgm[8300], out[8300], err[512];
    snprintf(plain_pgm, sizeof(plain_pgm), "%s.pgm", plain_png);
    snprintf(info_pgm, sizeof(info_pgm), "%s.pgm", info_png);
    snprintf(out, sizeof(out), "%s/to-pgm.txt", env.work);
    bool ok = e2e_sh(60, out, "ffmpeg -nostdin -loglevel error -y -i '%s' -pix_fmt gray '%s' && "
                     "ffmpeg -nostdin -loglevel error -y -i '%s' -pix_fmt gray '%s'",
                     plain_png, plain_pgm, info_png, info_pgm) == 0;
    CHECK(ok, "cannot convert the screenshots");
    if (!ok)
        return;
    bool have_plain = nr_pgm_read(plain_pgm, &plain, err, sizeof(err));
    bool have_info = nr_pgm_read(info_pgm, &info, err, sizeof(err));
    CHECK(have_plain && have_info, "%s", err);
    if (have_plain && have_info) {
        double pm, pmax, im, imax;
        region_stats(&plain, 15, 70, 500, 280, &pm, &pmax);
        region_stats(&info, 15, 70, 500, 280, &im, &imax);
        fprintf(stderr, "[cli-gpu] info page area: mean %.3f (without the page %.3f), max %.3f\n",
                im, pm, imax);
        CHECK(im < 0.7 * pm, "the info page does not sit on a dark box");
        CHECK(imax > 0.9, "no bright text on the info page");
    }
    if (have_plain)
        nr_image_free(&plain);
    if (have_info)
        nr_image_free(&info);
}

/* mpv --vo=gpu (llvmpipe) under an Xvfb of its own, SCREEN "WxHx24": Xvfb
 * picks a free display itself (-displayfd), so tests running at once never
 * share or kill each other's. mpv's other arguments follow, then
 * XVFB_MPV_END. */
#define XVFB_MPV(screen)                                                                   \
    "d=$(mktemp); Xvfb -displayfd 3 -screen 0 " screen " -nolisten tcp "                   \
    "3>\"$d\" >/dev/null 2>&1 & X=$!; i=0; "                                              \
    "while [ ! -s \"$d\" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "           \
    "DISPLAY=:$(cat \"$d\") mpv --no-config --vo=gpu --gpu-api=opengl --gpu-sw "          \
    "--no-audio --keep-open=yes --pause=no "
#define XVFB_MPV_END "; rc=$?; kill $X; rm -f \"$d\"; exit $rc"

/* One run through the mpv CLI with a real renderer (--vo=gpu on llvmpipe
 * under Xvfb): the plugin decides, the shader compiles and changes the
 * picture (window screenshots with the shader on and toggled off differ). */
static void scenario_cli_gpu(void)
{
    const char *clip = scenario_clip("540-from-360-bilinear-24f",
                                "--width 960 --height 540 --native 360 --kernel bilinear "
                                "--frames 24 --seed 8");
    if (!clip)
        return;
    char log_path[8192], out_path[8192], shot_on[8192], shot_off[8192], shot_cmp[8192];
    char shot_info[8192];
    snprintf(log_path, sizeof(log_path), "%s/gpu.log", env.work);
    snprintf(out_path, sizeof(out_path), "%s/gpu.out", env.work);
    snprintf(shot_on, sizeof(shot_on), "%s/on.png", env.work);
    snprintf(shot_off, sizeof(shot_off), "%s/off.png", env.work);
    snprintf(shot_cmp, sizeof(shot_cmp), "%s/compare.png", env.work);
    snprintf(shot_info, sizeof(shot_info), "%s/info.png", env.work);
    unlink(shot_info);
    unlink(shot_on);
    unlink(shot_off);
    unlink(shot_cmp);
    int rc = e2e_sh(120, out_path,
                    XVFB_MPV("1280x720x24") "--geometry=960x540 --no-border "
                    "--dither-depth=no --screenshot-format=png --msg-level=all=v "
                    "--script='%s' --script='%s' "
                    "--script-opts='nativeres-cache-dir=%s/cache,nativeres-cache=no,nativeres-mode=descale,"
                    "observer-at=1.5@screenshot-to-file %s window;"
                    "1.75@script-binding nativeres/toggle;"
                    "2.5@screenshot-to-file %s window;"
                    "2.75@script-binding nativeres/toggle;"
                    "3.0@script-binding nativeres/compare;"
                    "3.5@screenshot-to-file %s window;"
                    "3.75@script-binding nativeres/compare;"
                    "4.0@script-binding nativeres/info;"
                    "4.5@screenshot-to-file %s window;5.0@quit,observer-quit-after=20' "
                    "--log-file='%s' '%s'" XVFB_MPV_END,
                    env.plugin, env.observer, env.work, shot_on, shot_off,
                    shot_cmp, shot_info, log_path, clip);
    CHECK(rc == 0, "mpv --vo=gpu: exit %d (see %s)", rc, out_path);
    mpv_log log;
    if (!e2e_read_log(log_path, &log)) {
        e2e_failures++;
        return;
    }
    CHECK(log.num_verdicts == 1 && starts(log.verdicts[0], "verdict=upscaled width=640 height=360 "
                                          "kernel=bilinear"),
          "decision: %s", log.num_verdicts ? log.verdicts[0] : "(none)");
    CHECK(e2e_first_with(&log, OURS) >= 0, "shader never switched in");
    static const char *const problems[] = {"compile log (status=0)", "Unrecognized command",
                                           "size mismatch", "Failed to", NULL};
    for (int i = 0; problems[i]; i++)
        CHECK(e2e_count(&log, problems[i]) == 0, "mpv log: %s", problems[i]);
    /* vo_gpu logs the shaders it compiles: our weight tables must be in one */
    CHECK(e2e_count(&log, "uniform sampler2D NATIVERES_W") >= 2,
          "vo_gpu never compiled the descale passes");
    CHECK(files_differ(shot_on, shot_off), "the picture with the shader equals the one without");
    CHECK(files_differ(shot_on, shot_cmp), "the compare view equals the descaled picture");
    CHECK(e2e_first_with(&log, "/nativeres-compare-") >= 0, "compare shader never switched in");
    check_info_shot(shot_on, shot_info);
    e2e_free_log(&log);
}

/* Rescale mode (the default) through the mpv CLI with --vo=gpu under Xvfb:
 * auto picks balanced (no doubler of the user's follows), the chain
 * compiles and changes the picture, the info page tells the preset and the
 * credit mask's share, the compare view shows the chain's output; played
 * faster than llvmpipe can render, auto steps down to fast and says so.
 * Then (vo=null) a doubler of the user's after ours makes auto pick fast at
 * once, their shader kept after ours. */
static void scenario_rescale(void)
{
    const char *clip = scenario_clip("540-from-360-bilinear-48f",
                                "--width 960 --height 540 --native 360 --kernel bilinear "
                                "--frames 48 --seed 8");
    if (!clip)
        return;
    char log_path[8192], out_path[8192], shot_on[8192], shot_off[8192];
    snprintf(log_path, sizeof(log_path), "%s/rescale-gpu.log", env.work);
    snprintf(out_path, sizeof(out_path), "%s/rescale-gpu.out", env.work);
    snprintf(shot_on, sizeof(shot_on), "%s/rescale-on.png", env.work);
    snprintf(shot_off, sizeof(shot_off), "%s/rescale-off.png", env.work);
    unlink(shot_on);
    unlink(shot_off);
    /* min-realtime=100: no renderer plays 100 times faster than real time,
     * so the step-down runs at the first full 2 s window on any machine */
    int rc = e2e_sh(150, out_path,
                    XVFB_MPV("1280x720x24") "--geometry=960x540 --no-border "
                    "--dither-depth=no --screenshot-format=png --msg-level=all=v "
                    "--script='%s' --script='%s' "
                    "--script-opts='nativeres-cache-dir=%s/cache,nativeres-cache=no,"
                    "nativeres-verbose=yes,nativeres-min-realtime=100,"
                    "observer-at=+0.25@screenshot-to-file %s window;"
                    "+0.3@script-binding nativeres/toggle;"
                    "+0.5@screenshot-to-file %s window;"
                    "+0.55@script-binding nativeres/toggle;"
                    "+0.6@script-binding nativeres/info;"
                    "+0.8@script-binding nativeres/compare;"
                    "11.5@quit,observer-quit-after=90' "
                    "--log-file='%s' '%s'" XVFB_MPV_END,
                    env.plugin, env.observer, env.work, shot_on, shot_off,
                    log_path, clip);
    CHECK(rc == 0, "mpv --vo=gpu: exit %d (see %s)", rc, out_path);
    mpv_log log;
    if (!e2e_read_log(log_path, &log)) {
        e2e_failures++;
        return;
    }
    print_log("rescale", &log);
    int first = e2e_first_with(&log, "/nativeres-rescale-balanced-960x540-from-360p-bilinear-");
    CHECK(first >= 0, "auto did not start with the balanced rescale chain");
    /* balanced carries the chroma hook (chroma=yes by default); mpv compiled
     * it (the log checks below) */
    if (first >= 0) {
        char path[2048];
        const char *at = strstr(log.shaders[first].list, "/nativeres-rescale-balanced-");
        const char *start = at;
        while (start > log.shaders[first].list && start[-1] != '|')
            start--;
        size_t len = at ? strcspn(start, "|") : 0;
        snprintf(path, sizeof(path), "%.*s", (int)len, start ? start : "");
        char *text = at ? nr_read_text(path) : NULL;
        CHECK(text && strstr(text, "//!HOOK CHROMA") &&
              strstr(text, "//!DESC nativeres chroma from luma"),
              "the balanced chain has no chroma hook (%s)", path);
        free(text);
    }
    CHECK(e2e_count(&log, "640\u00d7360 bilinear \u2014 rescaling, balanced") >= 1,
          "the OSD did not say rescaling, balanced");
    static const char *const problems[] = {"compile log (status=0)", "Unrecognized command",
                                           "size mismatch", "Failed to",
                                           "screenshot failed again", NULL};
    for (int i = 0; problems[i]; i++)
        CHECK(e2e_count(&log, problems[i]) == 0, "mpv log: %s", problems[i]);
    fprintf(stderr, "[rescale] window screenshots that failed once (grab race): %d of 3\n",
            e2e_count(&log, "observer: screenshot failed ("));
    CHECK(files_differ(shot_on, shot_off), "the picture with the chain equals the one without");
    CHECK(e2e_count(&log, "nativeres: mask fraction=") >= 1 || e2e_count(&log, "frame pos=") < 3,
          "no credit-mask statistics while the info page was shown");
    CHECK(e2e_first_with(&log, "/nativeres-compare-rescale-") >= 0,
          "the compare view of the rescale chain never switched in");
    int down = e2e_count(&log, "nativeres: preset=fast (stepped down from balanced");
    fprintf(stderr, "[rescale] step-down lines %d\n", down);
    CHECK(down == 1, "auto did not step down once, to fast, under min-realtime=100");
    CHECK(e2e_count(&log, "(stepped down from fast") == 0, "stepped down below fast");
    CHECK(!down || e2e_count(&log, "nativeres: osd on its box: GPU too slow for balanced") +
                   e2e_count(&log, "nativeres: osd in the info page: GPU too slow for balanced") == 1,
          "the step-down was not said on the OSD");
    CHECK(!down || e2e_first_with(&log, "/nativeres-rescale-fast-") >= 0 ||
          e2e_first_with(&log, "/nativeres-compare-rescale-fast-") >= 0,
          "stepped down but the fast chain never switched in");
    e2e_free_log(&log);

    /* a doubler of the user's after ours: fast at once */
    char user[8192];
    snprintf(user, sizeof(user), "%s/ravu-lite-ar-r3.glsl", env.work);
    write_user_shader(user, "LUMA", "stand-in doubler", "c");
    char extra[9000];
    snprintf(extra, sizeof(extra), "--glsl-shaders='%s'", user);
    mpv_log dl;
    rc = run_mpv_ok("rescale-doubler", clip, "nativeres-mode=rescale,nativeres-cache=no", extra, &dl);
    int fi = e2e_first_with(&dl, "/nativeres-rescale-fast-960x540-from-360p-bilinear-");
    CHECK(fi >= 0, "auto did not pick fast with a doubler after ours");
    CHECK(fi >= 0 && strstr(dl.shaders[fi].list, "|") &&
          strstr(strstr(dl.shaders[fi].list, "|"), "ravu-lite-ar-r3.glsl"),
          "the user's doubler is not kept after ours");
    CHECK(e2e_first_with(&dl, "/nativeres-rescale-balanced-") < 0, "balanced ran before a doubler");
    e2e_free_log(&dl);

    /* preset=hq: the chain with the learned upscaler (its pixels are
     * checked against the CPU reference in tests/rescale) */
    mpv_log hl;
    run_mpv_ok("rescale-hq", clip, "nativeres-mode=rescale,nativeres-preset=hq,nativeres-cache=no",
               "", &hl);
    /* compute=auto: compute passes unless the context is known to lack
     * them (vo=null names none) */
    CHECK(e2e_first_with(&hl, "/nativeres-rescale-hq-compute-ens3-960x540-from-360p-bilinear-") >= 0,
          "preset=hq did not switch the hq chain in");
    e2e_free_log(&hl);
}

/* Both files exist and their bytes differ. */
static bool files_differ(const char *pa, const char *pb)
{
    struct stat sa, sb;
    bool have = stat(pa, &sa) == 0 && stat(pb, &sb) == 0;
    CHECK(have, "screenshot %s or %s missing", pa, pb);
    bool differ = false;
    if (have) {
        FILE *a = fopen(pa, "rb"), *b = fopen(pb, "rb");
        differ = sa.st_size != sb.st_size;
        while (!differ && a && b) {
            int ca = fgetc(a), cb = fgetc(b);
            differ = ca != cb;
            if (ca == EOF || cb == EOF)
                break;
        }
        if (a)
            fclose(a);
        if (b)
            fclose(b);
    }
    return differ;
}

/* The hq clip (540p from 360p bilinear) in the mpv CLI under Xvfb on a
 * 1920x1080 window with preset=hq and OPTS added to the script-opts; SHELL
 * runs first (an environment for mpv), VO_OPTS follow the CLI's own. The
 * log is read into LOG; false (counted) when the run or its log failed. */
static bool run_hq_xvfb(const char *name, const char *shell, const char *vo_opts,
                        const char *opts, mpv_log *log)
{
    const char *clip = scenario_clip("540-from-360-bilinear-48f",
                                "--width 960 --height 540 --native 360 --kernel bilinear "
                                "--frames 48 --seed 8");
    if (!clip)
        return false;
    char log_path[8192], out_path[8192];
    snprintf(log_path, sizeof(log_path), "%s/%s.log", env.work, name);
    snprintf(out_path, sizeof(out_path), "%s/%s.out", env.work, name);
    int rc = e2e_sh(150, out_path,
                    "%s" XVFB_MPV("1920x1080x24") "%s --geometry=1920x1080 --no-border "
                    "--msg-level=all=v --script='%s' --script='%s' "
                    "--script-opts='nativeres-cache=no,nativeres-verbose=yes,"
                    "nativeres-preset=hq,%s' --log-file='%s' '%s'" XVFB_MPV_END,
                    shell, vo_opts, env.plugin, env.observer, opts, log_path, clip);
    CHECK(rc == 0, "%s: mpv exit %d (see %s)", name, rc, out_path);
    if (!e2e_read_log(log_path, log)) {
        e2e_failures++;
        return false;
    }
    print_log(name, log);
    return true;
}

/* preset=hq with compute passes on a screen larger than the source: the
 * plugin runs the ensemble of 3 (compute=yes on llvmpipe's OpenGL 4.5);
 * played faster than llvmpipe can render (min-realtime=100), it drops the
 * ensemble to the single network first and says so, and keeps the preset
 * the user chose. */
static void scenario_hq_ensemble(void)
{
    mpv_log log;
    if (!run_hq_xvfb("hq-ensemble", "", "",
                     "nativeres-compute=yes,nativeres-min-realtime=100,"
                     "observer-at=6@quit,observer-quit-after=90", &log))
        return;
    int ens = e2e_first_with(&log, "/nativeres-rescale-hq-compute-ens3-960x540-from-360p-");
    int single = e2e_first_with(&log, "/nativeres-rescale-hq-compute-960x540-from-360p-");
    CHECK(ens >= 0, "preset=hq, compute=yes did not start with the ensemble of 3");
    CHECK(e2e_count(&log, "hq: the network as compute passes, ensemble of 3 (mirror, inverse)") >= 1,
          "the ensemble was not logged");
    int drops = e2e_count(&log, "hq: the single network (the GPU fell behind with the "
                                "ensemble of 3");
    fprintf(stderr, "[hq-ensemble] drops %d, ensemble chain at %d, single at %d\n", drops, ens,
            single);
    CHECK(drops == 1, "the ensemble was not dropped once under min-realtime=100");
    CHECK(single > ens, "the single network's chain never followed the ensemble's");
    CHECK(e2e_count(&log, "GPU too slow for hq's ensemble") >= 1, "the drop was not on the OSD");
    CHECK(e2e_count(&log, "(stepped down from hq") == 0, "preset=hq was stepped down");
    CHECK(e2e_count(&log, "could not run the compute passes") == 0,
          "compute passes that run were taken for refused");
    static const char *const problems[] = {"compile log (status=0)", "size mismatch",
                                           "Failed to", NULL};
    for (int i = 0; problems[i]; i++)
        CHECK(e2e_count(&log, problems[i]) == 0, "mpv log: %s", problems[i]);
    e2e_free_log(&log);
}

/* gpu-next on an OpenGL without compute shaders (Mesa told to hide them:
 * OpenGL 4.2): compute=auto tries hq's compute passes, libplacebo refuses
 * them in the log ("Failed dispatching COMPUTE shader") and disables the
 * hook, drawing on without it; the plugin reads that, says it once (log
 * and OSD) and switches to the fragment passes, which run. */
static void scenario_compute_refused(void)
{
    mpv_log log;
    if (!run_hq_xvfb("compute-refused", "export MESA_EXTENSION_OVERRIDE=-GL_ARB_compute_shader; ",
                     "--vo=gpu-next", "observer-at=8@quit,observer-quit-after=60", &log))
        return;
    CHECK(e2e_count(&log, "Detected desktop OpenGL 4.2") + e2e_count(&log, "GL_VERSION='4.2") >= 1,
          "Mesa did not hide compute shaders (no OpenGL 4.2): the scenario proves nothing");
    int cs = e2e_first_with(&log, "/nativeres-rescale-hq-compute-ens3-960x540-from-360p-");
    int fs = e2e_first_with(&log, "/nativeres-rescale-hq-960x540-from-360p-");
    CHECK(cs >= 0, "compute=auto did not try compute passes on OpenGL");
    CHECK(e2e_count(&log, "Failed dispatching COMPUTE shader") >= 1,
          "libplacebo did not refuse the compute passes");
    CHECK(e2e_count(&log, "hq: mpv could not run the compute passes (vo/gpu-next/libplacebo: ") == 1,
          "the refusal was not read once");
    CHECK(e2e_count(&log, "no compute shaders here") >= 1, "the fallback was not on the OSD");
    CHECK(fs > cs, "the fragment passes' chain did not follow the compute one");
    CHECK(e2e_count(&log, "mpv's renderer failed a pass") == 0,
          "errors of frames drawn before the switch were reported as news");
    e2e_free_log(&log);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test-plugin-timeline SCENARIO --plugin P --observer O "
                        "--synth S --work DIR [--host H]\n");
        return 2;
    }
    const char *scenario = argv[1];
    const char *work = NULL;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--plugin")) env.plugin = argv[i + 1];
        else if (!strcmp(argv[i], "--observer")) env.observer = argv[i + 1];
        else if (!strcmp(argv[i], "--synth")) env.synth = argv[i + 1];
        else if (!strcmp(argv[i], "--work")) work = argv[i + 1];
        else if (!strcmp(argv[i], "--asan-plugin")) env.asan_plugin = argv[i + 1];
        else if (!strcmp(argv[i], "--asan-runtime")) asan_runtime = argv[i + 1];
        else if (!strcmp(argv[i], "--host")) env.host = argv[i + 1];
    }
    if (!env.plugin || !env.observer || !env.synth || !work) {
        fprintf(stderr, "test-plugin-timeline: missing arguments\n");
        return 2;
    }
    snprintf(env.work, sizeof(env.work), "%s/%s%s", work, env.host ? "host-" : "", scenario);
    mkdir(work, 0755);
    mkdir(env.work, 0755);

    static const struct { const char *name; void (*fn)(void); } scenarios[] = {
        {"720p", scenario_720p},
        {"op-then-episode", scenario_op_then_episode},
        {"confirm", scenario_confirm},
        {"sibling", scenario_sibling},
        {"native", scenario_native},
        {"fractional", scenario_fractional},
        {"user-shaders", scenario_user_shaders},
        {"cache", scenario_cache},
        {"scene-cache", scenario_scene_cache},
        {"known", scenario_known},
        {"bad-options", scenario_bad_options},
        {"bindings", scenario_bindings},
        {"odd-inputs", scenario_odd_inputs},
        {"stress", scenario_stress},
        {"cli-gpu", scenario_cli_gpu},
        {"rescale", scenario_rescale},
        {"hq-ensemble", scenario_hq_ensemble},
        {"compute-refused", scenario_compute_refused},
    };
    for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
        if (!strcmp(scenarios[i].name, scenario)) {
            scenarios[i].fn();
            if (e2e_failures)
                fprintf(stderr, "%s: %d check(s) failed (logs in %s)\n", scenario,
                        e2e_failures, env.work);
            return e2e_failures ? 1 : 0;
        }
    }
    fprintf(stderr, "test-plugin-timeline: unknown scenario '%s'\n", scenario);
    return 2;
}
