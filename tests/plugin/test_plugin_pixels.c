/*
 * What the plugin makes mpv draw: a still frame upscaled by a "studio"
 * (libnativeres' nr_upscale of a synthetic native frame) is played in the
 * headless libmpv host (vo_gpu renderer) with the real plugin loaded; the
 * plugin must detect it and switch its shader in, and the frame mpv then
 * renders at the native size must equal the CPU reference of the expected
 * pipeline: nr_descale of the source (then the user's shader, if any).
 * The "rescale-dpid" scenario plays the frame in a window smaller than the
 * source with mode=rescale preset=balanced: the chain must end with DPID to
 * the window, and the reference is nr_dpid of nr_rescale.
 * A run without the plugin is the control: mpv's own downscale must be far
 * from that reference, or the comparison would prove nothing.
 *
 *   test-plugin-pixels SCENARIO --plugin P --observer O --host H --work DIR
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_util.h"
#include "image_io.h"
#include "nativeres.h"
#include "nativeres_dpid.h"
#include "nativeres_rescale.h"
#include "synth.h"

static e2e_env env;

/* Bounds of this renderer (16-bit float intermediates of vo_gpu, truncated
 * weight tables): see PLATFORM notes on the precision floor. */
#define MAX_TOL 3e-3
#define MEAN_TOL 4e-4

typedef struct scenario {
    const char *name;
    double height;
    const char *kernel;
    bool user_square;     /* the user's shader after ours: luma squared */
    uint64_t seed;
    int fit_w, fit_h;     /* > 0: rescale in a window of this size */
    const char *preset;   /* rescale: the preset asked for (hq runs balanced at 1x) */
    const char *extra;    /* more script-opts, or NULL */
    bool no_compute;      /* an OpenGL without compute shaders (Mesa told to hide
                           * them): the plugin must fall back to fragment passes */
} scenario;

/* The studio's frame: drawn at the native size, upscaled, 8-bit. */
static bool make_source(const nr_scale *s, uint64_t seed, nr_image *full)
{
    float *low = malloc(sizeof(float) * (size_t)s->native_w * s->native_h);
    if (!low || !nr_image_alloc(full, s->full_w, s->full_h, 1)) {
        free(low);
        return false;
    }
    synth_opts o;
    synth_opts_default(&o);
    synth_frame(low, s->native_w, s->native_h, s->native_w, seed, &o);
    bool ok = nr_upscale(s, low, s->native_w, full->data, s->full_w) == 0;
    synth_quantize8(full->data, s->full_w, s->full_h, s->full_w);
    free(low);
    return ok;
}

static int run_host(const scenario *sc, const char *y4m, const nr_scale *s, bool with_plugin,
                    const char *user_shader, const char *out, const char *log)
{
    char opts[8192] = "", shaders[4200] = "", outp[8192];
    char mode[128] = "nativeres-mode=descale";
    if (sc->fit_w > 0)
        snprintf(mode, sizeof(mode), "nativeres-mode=rescale,nativeres-preset=%s%s%s", sc->preset,
                 sc->extra ? "," : "", sc->extra ? sc->extra : "");
    if (with_plugin)
        snprintf(opts, sizeof(opts),
                 "--opt 'scripts=%s:%s' --opt 'script-opts=nativeres-cache-dir=%s/cache,"
                 "nativeres-cache=no,nativeres-verbose=yes,%s,nativeres-osd=no'",
                 env.plugin, env.observer, env.work, mode);
    if (user_shader)
        snprintf(shaders, sizeof(shaders), "--shaders '%s'", user_shader);
    snprintf(outp, sizeof(outp), "%s/%s-%s.out", env.work, sc->name, with_plugin ? "plugin" : "control");
    unlink(out);
    /* Mesa without ARB_compute_shader says OpenGL 4.2: mpv's compute passes
     * fail to compile there (errors expected before the plugin's fallback;
     * the plugin's own log is checked instead) */
    const char *gl = sc->no_compute ? "MESA_EXTENSION_OVERRIDE=-GL_ARB_compute_shader " : "";
    double seconds = !with_plugin ? 0.5 : sc->no_compute ? 6.0 : 4.0;
    return e2e_sh(120, outp,
                  "%s'%s' --file '%s' %s %s --play --seconds %g --size %dx%d --out-gray '%s' "
                  "--log '%s' --timeout 100%s",
                  gl, env.host, y4m, opts, shaders, seconds,
                  sc->fit_w > 0 ? sc->fit_w : s->native_w, sc->fit_h > 0 ? sc->fit_h : s->native_h,
                  out, log, sc->no_compute && with_plugin ? " --allow-shader-errors" : "");
}

static void run(const scenario *sc)
{
    nr_scale s;
    char err[256];
    memset(&s, 0, sizeof(s));
    CHECK(nr_kernel_parse(sc->kernel, &s.kernel), "kernel %s", sc->kernel);
    CHECK(nr_scale_for_height(&s, 1920, 1080, sc->height, 0, err, sizeof(err)) == 0, "%s", err);
    nr_image full, ref, got;
    CHECK(make_source(&s, sc->seed, &full), "source");
    char y4m[8192], out[8192], log_path[8192], user[8192];
    snprintf(y4m, sizeof(y4m), "%s/%s.y4m", env.work, sc->name);
    CHECK(nr_y4m_gray_write(y4m, &full, 8, 255, 1, err, sizeof(err)), "%s", err);

    /* the CPU reference of the pipeline */
    bool larger = sc->fit_w > 1920 && sc->fit_h > 1080;
    if (larger) {
        /* a screen larger than the source: hq's learned 2x, resampled to it */
        nr_rescale_opts ro;
        nr_rescale_opts_default(&ro);
        ro.preset = NR_RESCALE_HQ;
        /* the plugin's hq: the ensemble of 3 with compute passes, the
         * network alone with fragment passes */
        ro.hq_ensemble = sc->no_compute ? 1 : 3;
        CHECK(nr_image_alloc(&ref, sc->fit_w, sc->fit_h, 1), "oom");
        CHECK(nr_rescale(&s, &ro, full.data, full.w, ref.data, ref.w, ref.w, ref.h) == 0,
              "nr_rescale hq");
    } else if (sc->fit_w > 0) {
        nr_image big;
        nr_rescale_opts ro;
        nr_rescale_opts_default(&ro);
        ro.preset = NR_RESCALE_BALANCED;
        CHECK(nr_image_alloc(&big, full.w, full.h, 1) && nr_image_alloc(&ref, sc->fit_w, sc->fit_h, 1),
              "oom");
        CHECK(nr_rescale(&s, &ro, full.data, full.w, big.data, big.w, big.w, big.h) == 0,
              "nr_rescale");
        if (sc->fit_w < full.w || sc->fit_h < full.h)
            CHECK(nr_dpid(big.data, big.w, big.w, big.h, ref.data, ref.w, ref.w, ref.h,
                          NR_DPID_DEFAULT_LAMBDA) == 0, "nr_dpid");
        else
            memcpy(ref.data, big.data, sizeof(float) * (size_t)big.w * big.h);
        nr_image_free(&big);
    } else {
        CHECK(nr_image_alloc(&ref, s.native_w, s.native_h, 1), "oom");
        CHECK(nr_descale(&s, full.data, full.w, ref.data, ref.w) == 0, "nr_descale");
    }
    const char *user_shader = NULL;
    if (sc->user_square) {
        for (size_t i = 0; i < (size_t)ref.w * ref.h; i++)
            ref.data[i] = ref.data[i] * ref.data[i];
        snprintf(user, sizeof(user), "%s/user-square.glsl", env.work);
        FILE *f = fopen(user, "w");
        CHECK(f, "cannot write %s", user);
        if (f) {
            fprintf(f, "//!HOOK LUMA\n//!BIND HOOKED\n//!DESC user: luma squared\n"
                       "vec4 hook() { vec4 c = HOOKED_texOff(0); return c * c; }\n");
            fclose(f);
        }
        user_shader = user;
    }

    /* with the plugin */
    snprintf(out, sizeof(out), "%s/%s-plugin.pfm", env.work, sc->name);
    snprintf(log_path, sizeof(log_path), "%s/%s-plugin.log", env.work, sc->name);
    int rc = run_host(sc, y4m, &s, true, user_shader, out, log_path);
    CHECK(rc == 0, "host with plugin: exit %d (3 = shader problem, see %s)", rc, log_path);
    mpv_log log;
    if (e2e_read_log(log_path, &log)) {
        char want[256], hs[32];
        snprintf(hs, sizeof(hs), "%g", sc->height);
        snprintf(want, sizeof(want), "height=%s kernel=%s", hs, sc->kernel);
        CHECK(log.num_verdicts == 1 && strstr(log.verdicts[0], "verdict=upscaled") &&
              strstr(log.verdicts[0], want), "decision: %s (want %s)",
              log.num_verdicts ? log.verdicts[0] : "(none)", want);
        const char *last = log.num_shaders ? log.shaders[log.num_shaders - 1].list : "";
        /* preset=hq on a screen no larger than the source runs balanced */
        const char *ours = sc->fit_w <= 0 ? "/nativeres-descale-" :
                           larger && sc->no_compute ? "/nativeres-rescale-hq-1920x1080-" :
                           larger ? "/nativeres-rescale-hq-compute-ens3-1920x1080-" :
                           sc->fit_w < 1920 ? "/nativeres-rescale-balanced-dpid-" :
                           "/nativeres-rescale-balanced-1920x1080-";
        CHECK(strstr(last, ours), "our shader (%s) is not in the list: %s", ours, last);
        if (sc->no_compute) {
            CHECK(e2e_first_with(&log, "/nativeres-rescale-hq-compute-ens3-1920x1080-") >= 0,
                  "compute=auto did not try compute passes on OpenGL");
            CHECK(e2e_count(&log, "hq: mpv could not run the compute passes") == 1,
                  "the refused compute passes were not noticed once");
            CHECK(e2e_count(&log, "hq: the network as fragment passes") >= 1,
                  "no fragment passes after the refusal");
        }
        if (user_shader) {
            const char *bar = strchr(last, '|');
            CHECK(bar && !strcmp(bar + 1, user_shader), "user shader not after ours: %s", last);
        }
        e2e_free_log(&log);
    } else {
        e2e_failures++;
    }
    if (rc == 0 && nr_pfm_read(out, &got, err, sizeof(err))) {
        nr_diff d;
        CHECK(nr_image_diff(&got, &ref, true, &d, err, sizeof(err)), "%s", err);
        fprintf(stderr, "[%s] plugin vs CPU reference: max %.2e at (%d,%d), mean %.2e\n",
                sc->name, d.max, d.max_x, d.max_y, d.mean);
        CHECK(d.max <= MAX_TOL && d.mean <= MEAN_TOL, "rendered frame differs from the reference");
        nr_image_free(&got);
    } else {
        CHECK(rc != 0, "no output: %s", err);
    }

    /* the control: the same frame without the plugin */
    snprintf(out, sizeof(out), "%s/%s-control.pfm", env.work, sc->name);
    snprintf(log_path, sizeof(log_path), "%s/%s-control.log", env.work, sc->name);
    rc = run_host(sc, y4m, &s, false, user_shader, out, log_path);
    CHECK(rc == 0, "control run: exit %d", rc);
    if (rc == 0 && nr_pfm_read(out, &got, err, sizeof(err))) {
        nr_diff d;
        CHECK(nr_image_diff(&got, &ref, true, &d, err, sizeof(err)), "%s", err);
        fprintf(stderr, "[%s] control (no plugin) vs reference: max %.2e, mean %.2e\n",
                sc->name, d.max, d.mean);
        CHECK(d.max > 10 * MAX_TOL, "control too close to the reference: the test cannot fail");
        nr_image_free(&got);
    }
    nr_image_free(&full);
    nr_image_free(&ref);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test-plugin-pixels SCENARIO --plugin P --observer O --host H "
                        "--work DIR\n");
        return 2;
    }
    const char *work = NULL;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--plugin")) env.plugin = argv[i + 1];
        else if (!strcmp(argv[i], "--observer")) env.observer = argv[i + 1];
        else if (!strcmp(argv[i], "--host")) env.host = argv[i + 1];
        else if (!strcmp(argv[i], "--work")) work = argv[i + 1];
    }
    if (!env.plugin || !env.observer || !env.host || !work) {
        fprintf(stderr, "test-plugin-pixels: missing arguments\n");
        return 2;
    }
    static const scenario scenarios[] = {
        {"720p-bilinear", 720, "bilinear", false, 3, 0, 0, NULL, NULL, false},
        {"873.5-mitchell", 873.5, "mitchell", false, 7, 0, 0, NULL, NULL, false},
        {"user-shader-after", 720, "bilinear", true, 3, 0, 0, NULL, NULL, false},
        {"rescale-dpid", 720, "bilinear", false, 3, 1280, 720, "balanced", NULL, false},
        {"hq-at-1x", 720, "bilinear", false, 3, 1920, 1080, "hq", NULL, false},
        /* hq on a larger screen, the network as compute passes (vo_gpu on
         * llvmpipe's OpenGL 4.5 has them; compute=yes says so, auto picks
         * them there too) */
        {"hq-2x-compute", 720, "bilinear", false, 3, 2560, 1440, "hq", "nativeres-compute=yes",
         false},
        /* the same where the OpenGL has no compute shaders: auto tries them,
         * mpv's log says they failed, the plugin falls back to fragment
         * passes (the single network) and the picture is theirs */
        {"hq-2x-no-compute", 720, "bilinear", false, 3, 2560, 1440, "hq", NULL, true},
    };
    for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
        if (strcmp(scenarios[i].name, argv[1]))
            continue;
        snprintf(env.work, sizeof(env.work), "%s/pixels-%s", work, argv[1]);
        mkdir(work, 0755);
        mkdir(env.work, 0755);
        run(&scenarios[i]);
        if (e2e_failures)
            fprintf(stderr, "%s: %d check(s) failed (files in %s)\n", argv[1], e2e_failures,
                    env.work);
        return e2e_failures ? 1 : 0;
    }
    fprintf(stderr, "test-plugin-pixels: unknown scenario '%s'\n", argv[1]);
    return 2;
}
