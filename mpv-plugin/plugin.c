/*
 * nativeres.so: the mpv C plugin. mpv runs mpv_open_cplugin() on a thread
 * of its own; returning unloads the plugin. This file is the glue between
 * mpv events and the plugin's parts: it grabs frames (screenshot-raw), hands
 * them to the estimation thread, feeds the results through the hysteresis,
 * and switches the generated descale shader in and out of glsl-shaders.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <mpv/client.h>

#include "cache.h"
#include "choice.h"
#include "decide.h"
#include "frame.h"
#include "grab.h"
#include "info_page.h"
#include "options.h"
#include "pace.h"
#include "render_errors.h"
#include "shader_files.h"
#include "shader_list.h"
#include "timeline.h"
#include "worker.h"

#define OSD_S 2.5
#define INFO_OVERLAY_ID 1
#define MESSAGE_OVERLAY_ID 2
/* Window over which auto presets look at late frames and playback speed. */
#define GPU_WINDOW_S 2.0
/* a grab takes milliseconds; this long means mpv is stuck elsewhere */
#define GRAB_TIMEOUT_S 5.0
/* The info page follows playback (timeline bar) this often while shown. */
#define INFO_REFRESH_S 1.0
#define MAX_SHADER_FILES 64
/* How often the loop looks at the playback position when nothing happens. */
#define POLL_S 0.1
#define REF_POLL_S 0.01   /* under a frame's time up to 100 fps: a P-frame is not missed */
/* A frame that stays on screen this long (pause, still image) may decide alone. */
#define SETTLE_S 1.0
/* Extending a scene's span is written to the cache at most this often
 * (new or changed spans are written at once, and everything at the end). */
#define TIMELINE_SAVE_S 10.0

/* The kernels cycle-kernel walks through when the user gave none. */
static const char *const default_cycle[] = {
    "bilinear", "catrom", "mitchell", "bicubicsharp", "lanczos3", "spline36", NULL,
};

typedef struct plugin {
    mpv_handle *h;
    np_options opts;
    np_pace pace;
    np_cpu_meter cpu;   /* the analysis' CPU over about a minute (grab + estimate) */
    np_decider dec;
    np_worker *worker;
    nr_pool *pool;                 /* evidence of the current scene, pooled */
    char shader_dir[NP_PATH_MAX];
    char cache_dir[NP_PATH_MAX];
    bool cache_ok;

    /* the file being played */
    uint64_t generation;           /* bumps on load/unload/size change: stale results are dropped */
    bool file_active;
    bool said_interlaced;   /* the "not analysed" lines, once per file */
    int said_hq_form;       /* hq's last logged form: -1 none yet, else 8 * compute (0 or 1)
                             * + the ensemble's members */
    bool said_size;
    bool said_luma;         /* the grab's luma: coded values or not, once per file */
    np_luma_coding coding;         /* how the video's luma was coded (video-params) */
    int vw, vh;                    /* source size (video-params), 0 without video */
    char *path;
    int64_t file_size;
    double duration;
    bool detect;                   /* grabbing and estimating */
    bool manual;                   /* kernel picked by hand: detection does not override */
    const char *source;            /* where the current decision came from */
    np_known_show known;
    bool have_known;
    np_choice sibling;             /* another episode's answer (same folder, cache) */
    bool have_sibling;
    float sig[NR_SCENE_SIG_SIZE];  /* scene signature of the last grab */
    bool have_thumb;
    int skipped;                   /* grabs of a settled scene not analysed in a row */
    bool scene_settled;            /* the scene's pooled answer is what runs */
    double same_since;             /* wall time since the last grabbed frame stays */

    /* the file's scene timeline: loaded from the cache, extended while playing */
    np_timeline timeline;
    bool timeline_dirty;
    double timeline_saved_at;      /* wall time of the last store */
    np_where where;                /* where playback is on it */
    int gap_grabs;                 /* grabs since playback entered the current gap */
    /* the scene being analysed (its span grows with every analysed frame) */
    uint64_t scene_serial;         /* bumps on every new scene, seek and span change */
    bool scene_whole;              /* the scene's bars moved: measured on the whole grid */
    int scene_crop[4];             /* the area its first measured frame analysed */
    double scene_start, scene_end;
    int scene_frames;
    /* where playback of this file began; the first scene's span reaches
     * back to it (the first grab comes a moment later) until a seek */
    double play_start;
    bool play_started;

    /* what the user asked for at run time */
    bool enabled;                  /* toggle (A/B) */
    bool compare;
    bool info_shown;
    double message_until;          /* wall time the change message goes, 0 none */
    double info_drawn_at;          /* wall time the page was last drawn */
    char applied[NP_PATH_MAX];     /* our shader in the list, "" if none */
    int fit_w, fit_h;              /* the DPID size in it (0: none), see display_fit */
    bool hq_as_balanced;           /* preset hq running balanced's upscaler (1x screen) */

    /* rescale mode: the preset in use and why */
    nr_rescale_preset preset;
    int stepdown;                  /* auto: steps down taken for this file (GPU too slow) */
    bool hq_single;                /* the GPU fell behind with hq's ensemble: the single
                                    * network for the rest of this file */
    bool compute_refused;          /* mpv could not run hq's compute passes: fragment
                                    * passes for the rest of the session */
    bool said_render_error;        /* the renderer's first failed pass this file, logged */
    char preset_why[200];
    double gpu_check_at;           /* wall time of the next look at dropped/late frames */
    int64_t late_base;             /* dropped + delayed frames at the last look */
    double pos_base;               /* playback position at the last look, NAN none */
    double mask_fraction;          /* of the last analysed frame, -1 unknown */

    np_grabber *grabber;           /* decoded frames, on a client handle of its own */

    /* figures for the info page */
    int frames;
    double grab_ms;
    double ref_wait_since;         /* wall time a due grab began waiting for an I/P-frame */
    char grab_type;                /* the grabbed frame's picture type (I, P, B; ? unknown) */
    np_info info;
} plugin;

/* ------------------------------------------------------------------ */
/* Talking to mpv                                                      */

/* print-text logs at info level; its lines read "nativeres: ..." on the
 * terminal and "[cplayer] nativeres: ..." in --log-file. */
static void logf_(plugin *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void logf_(plugin *p, const char *fmt, ...)
{
    char msg[1024];
    int n = snprintf(msg, sizeof(msg), "nativeres: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    const char *cmd[] = {"print-text", msg, NULL};
    mpv_command(p->h, cmd);
}

static void warn_cb(void *ctx, const char *msg)
{
    logf_(ctx, "warning: %s", msg);
}

static double now_s(void);
static void show_info(plugin *p);
static void decision_text(plugin *p, char *text, size_t size);
static int64_t get_int(plugin *p, const char *name, int64_t fallback);

static void set_overlay(plugin *p, int id, const char *ass)
{
    char *keys[] = {"name", "id", "format", "data", "res_y"};
    mpv_node vals[5] = {
        {.format = MPV_FORMAT_STRING, .u.string = "osd-overlay"},
        {.format = MPV_FORMAT_INT64, .u.int64 = id},
        {.format = MPV_FORMAT_STRING, .u.string = ass ? "ass-events" : "none"},
        {.format = MPV_FORMAT_STRING, .u.string = ass ? (char *)ass : ""},
        {.format = MPV_FORMAT_INT64, .u.int64 = NP_INFO_RES_Y},
    };
    mpv_node_list list = {.num = 5, .values = vals, .keys = keys};
    mpv_node cmd = {.format = MPV_FORMAT_NODE_MAP, .u.list = &list};
    mpv_node res;
    int r = mpv_command_node(p->h, &cmd, &res);
    if (r < 0)
        logf_(p, "warning: osd-overlay: %s", mpv_error_string(r));
    else
        mpv_free_node_contents(&res);
}

/* A change message on its own translucent box, top left, for OSD_S
 * (osd-level 0 hides it, as it hides mpv's own messages); while the info
 * page is shown it goes into the page instead (no overlap). */
static void osd(plugin *p, const char *text)
{
    if (!p->opts.osd)
        return;
    const char *prefix = "nativeres: ";
    const char *bare = strncmp(text, prefix, strlen(prefix)) ? text : text + strlen(prefix);
    snprintf(p->info.change, sizeof(p->info.change), "%s", bare);
    if (p->opts.verbose)
        logf_(p, "osd %s: %s", p->info_shown ? "in the info page" : "on its box", bare);
    if (p->info_shown) {
        show_info(p);
        return;
    }
    if (get_int(p, "osd-level", 1) < 1)
        return;
    char *ass = np_message_ass(text);
    if (!ass)
        return;
    set_overlay(p, MESSAGE_OVERLAY_ID, ass);
    free(ass);
    p->message_until = now_s() + OSD_S;
}

static void expire_message(plugin *p)
{
    if (p->message_until > 0 && (now_s() >= p->message_until || p->info_shown)) {
        set_overlay(p, MESSAGE_OVERLAY_ID, NULL);
        p->message_until = 0;
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *expand_path(plugin *p, const char *in)
{
    const char *cmd[] = {"expand-path", in, NULL};
    mpv_node res;
    if (mpv_command_ret(p->h, cmd, &res) < 0)
        return NULL;
    char *out = res.format == MPV_FORMAT_STRING ? strdup(res.u.string) : NULL;
    mpv_free_node_contents(&res);
    return out;
}

static double get_double(plugin *p, const char *name, double fallback)
{
    double v;
    return mpv_get_property(p->h, name, MPV_FORMAT_DOUBLE, &v) >= 0 ? v : fallback;
}

static int64_t get_int(plugin *p, const char *name, int64_t fallback)
{
    int64_t v;
    return mpv_get_property(p->h, name, MPV_FORMAT_INT64, &v) >= 0 ? v : fallback;
}

static bool get_flag(plugin *p, const char *name, bool fallback)
{
    int v;
    return mpv_get_property(p->h, name, MPV_FORMAT_FLAG, &v) >= 0 ? v : fallback;
}

/* ------------------------------------------------------------------ */
/* Options and folders                                                 */

static void read_options(plugin *p)
{
    np_options_default(&p->opts);
    /* ~~/ expands to a relative path when mpv runs without a config dir */
    char *conf = expand_path(p, "~~/script-opts/nativeres.conf");
    if (conf && conf[0] == '/')
        np_options_load_file(&p->opts, conf, warn_cb, p);
    free(conf);

    mpv_node so;
    if (mpv_get_property(p->h, "script-opts", MPV_FORMAT_NODE, &so) < 0)
        return;
    if (so.format == MPV_FORMAT_NODE_MAP) {
        const char *prefix = "nativeres-";
        size_t pl = strlen(prefix);
        for (int i = 0; i < so.u.list->num; i++) {
            const char *k = so.u.list->keys[i];
            mpv_node *v = &so.u.list->values[i];
            if (strncmp(k, prefix, pl) || v->format != MPV_FORMAT_STRING)
                continue;
            np_options_set(&p->opts, k + pl, v->u.string, warn_cb, p);
        }
    }
    mpv_free_node_contents(&so);
}

/* True when path itself (not what it contains) is a symbolic link. */
static bool is_symlink(const char *path)
{
    char buf[NP_PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')   /* "link/" would follow the link */
        buf[--n] = '\0';
    struct stat st;
    return lstat(buf, &st) == 0 && S_ISLNK(st.st_mode);
}

static void setup_dirs(plugin *p)
{
    const char *base = p->opts.cache_dir;
    char fallback[NP_PATH_MAX];
    char *expanded = NULL;
    if (base[0]) {
        expanded = expand_path(p, base);
        base = expanded ? expanded : base;
    } else {
        const char *xdg = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");
        if (xdg && xdg[0] == '/')
            snprintf(fallback, sizeof(fallback), "%s/nativeres", xdg);
        else if (home && home[0] == '/')
            snprintf(fallback, sizeof(fallback), "%s/.cache/nativeres", home);
        else
            snprintf(fallback, sizeof(fallback), "/tmp/nativeres-%d", (int)getuid());
        base = fallback;
    }
    snprintf(p->cache_dir, sizeof(p->cache_dir), "%s", base);
    bool fits = snprintf(p->shader_dir, sizeof(p->shader_dir), "%s/shaders", base) <
                (int)sizeof(p->shader_dir);
    free(expanded);
    /* a linked folder may point anywhere (another user's files, a shared
     * drive): nothing is written through it */
    if (is_symlink(p->cache_dir) || is_symlink(p->shader_dir)) {
        logf_(p, "warning: %s is a symbolic link: nothing is written through it, so the "
              "cache and descaling are off (set nativeres-cache-dir to a real folder)",
              is_symlink(p->cache_dir) ? p->cache_dir : p->shader_dir);
        p->cache_ok = false;
        return;
    }
    p->cache_ok = fits && np_mkdirs(p->shader_dir) == 0;
    if (!p->cache_ok)
        logf_(p, "warning: cannot create %s; descaling is unavailable", p->shader_dir);
}

/* ------------------------------------------------------------------ */
/* The shader list                                                     */

static void update_shaders(plugin *p);

/* The rescale preset: the user's, or auto: fast when their own doubler
 * follows ours (it upscales the native-size plane better than we would
 * resample it), else balanced; minus the steps down the GPU asked for. */
static nr_rescale_preset choose_preset(plugin *p, const char *const *list, int n,
                                       char *why, size_t why_size)
{
    if (p->opts.preset != NP_PRESET_AUTO) {
        nr_rescale_preset fixed = p->opts.preset == NP_PRESET_FAST ? NR_RESCALE_FAST :
                                  p->opts.preset == NP_PRESET_HQ ? NR_RESCALE_HQ :
                                  NR_RESCALE_BALANCED;
        snprintf(why, why_size, "preset=%s", nr_rescale_preset_name(fixed));
        return fixed;
    }
    const char *doubler = np_shader_list_doubler(list, n, p->shader_dir);
    if (doubler) {
        const char *base = strrchr(doubler, '/');
        snprintf(why, why_size, "auto: your %s follows", base ? base + 1 : doubler);
        return NR_RESCALE_FAST;
    }
    int level = NR_RESCALE_BALANCED - p->stepdown;
    if (level < NR_RESCALE_FAST)
        level = NR_RESCALE_FAST;
    if (p->stepdown > 0)
        snprintf(why, why_size, "auto: stepped down, the GPU dropped or delayed frames");
    else
        snprintf(why, why_size, "auto: no doubler of yours follows");
    return (nr_rescale_preset)level;
}

/* The picture's size on screen when it is smaller than the source on both
 * axes and our rescale chain would hand mpv the source size: the chain then
 * ends with DPID to that size (dpid=yes), so mpv's dscale has nothing left to
 * do. 0 x 0 otherwise. */
/* The picture's rectangle on screen (osd-dimensions less its margins);
 * false where the VO has none (vo=null, audio only). */
static bool picture_on_screen(plugin *p, int64_t *rw, int64_t *rh)
{
    int64_t ow = get_int(p, "osd-dimensions/w", 0), oh = get_int(p, "osd-dimensions/h", 0);
    *rw = ow - get_int(p, "osd-dimensions/ml", 0) - get_int(p, "osd-dimensions/mr", 0);
    *rh = oh - get_int(p, "osd-dimensions/mt", 0) - get_int(p, "osd-dimensions/mb", 0);
    return *rw >= 1 && *rh >= 1;
}

/* hq's network gains over balanced's upscaler at 2x but loses at 1x on real
 * frames (bench-rescale: -0.7 dB mean, up to -2.4 on one frame), so on a
 * screen no larger than the source hq runs the balanced chain. */
static bool hq_runs_balanced(plugin *p, const nr_scale *s)
{
    int64_t rw, rh;
    return p->preset == NR_RESCALE_HQ && picture_on_screen(p, &rw, &rh) && rw <= s->full_w &&
           rh <= s->full_h;
}

static void display_fit(plugin *p, const nr_scale *s, int *w, int *h)
{
    *w = *h = 0;
    if (!p->opts.dpid || p->opts.mode != NP_MODE_RESCALE || p->preset == NR_RESCALE_FAST)
        return;
    int64_t rw, rh;
    if (!picture_on_screen(p, &rw, &rh) || rw > s->full_w || rh > s->full_h ||
        (rw == s->full_w && rh == s->full_h))
        return;
    *w = (int)rw;
    *h = (int)rh;
}

/* How hq's self-ensemble reads in the log and on the info page. */
static const char *ensemble_words(int members)
{
    return members >= 3 ? ", ensemble of 3 (mirror, inverse)"
           : members == 2 ? ", ensemble of 2 (mirror)" : "";
}

static void update_shaders(plugin *p)
{
    const np_choice *c = &p->dec.current;
    char want[NP_PATH_MAX] = "";
    int fit_w = 0, fit_h = 0;
    bool hq_balanced = false;

    mpv_node cur;
    if (mpv_get_property(p->h, "glsl-shaders", MPV_FORMAT_NODE, &cur) < 0)
        return;
    int n = cur.format == MPV_FORMAT_NODE_ARRAY ? cur.u.list->num : 0;
    const char **old = calloc(n + 1, sizeof(*old));
    const char **neu = calloc(n + 2, sizeof(*neu));
    if (!old || !neu)
        goto done;
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (cur.u.list->values[i].format == MPV_FORMAT_STRING)
            old[m++] = cur.u.list->values[i].u.string;
    }
    if (p->opts.mode == NP_MODE_RESCALE) {
        nr_rescale_preset was = p->preset;
        p->preset = choose_preset(p, old, m, p->preset_why, sizeof(p->preset_why));
        if (p->preset != was && p->applied[0])
            logf_(p, "preset=%s (%s)", nr_rescale_preset_name(p->preset), p->preset_why);
        if (p->preset != was)
            p->gpu_check_at = 0;   /* judge the new preset on its own frames */
    }
    if (p->enabled && p->cache_ok && c->verdict == NR_VERDICT_UPSCALED) {
        char err[256];
        bool rescale = p->opts.mode == NP_MODE_RESCALE;
        /* lines follow our own upscale only: fast leaves that to mpv or the
         * user's doubler */
        bool ours_up = rescale && p->preset != NR_RESCALE_FAST;
        np_shader_spec spec = {
            .kind = rescale ? NP_SHADER_RESCALE : NP_SHADER_DESCALE, .preset = p->preset,
            .compare = p->compare, .lines = ours_up ? p->opts.lines : 0,
            .chroma = ours_up && p->opts.chroma,
            .chroma_learned = ours_up && p->opts.chroma && p->opts.chroma_learned,
        };
        display_fit(p, &c->scale, &spec.fit_w, &spec.fit_h);
        fit_w = spec.fit_w;
        fit_h = spec.fit_h;
        hq_balanced = rescale && hq_runs_balanced(p, &c->scale);
        if (hq_balanced)
            spec.preset = NR_RESCALE_BALANCED;
        if (rescale && spec.preset == NR_RESCALE_HQ) {
            /* the context mpv runs (0.36+), else the one asked for, else the API */
            char *ctx = mpv_get_property_string(p->h, "current-gpu-context");
            if (!ctx && (ctx = mpv_get_property_string(p->h, "gpu-context")) &&
                (!*ctx || !strcmp(ctx, "auto"))) {
                mpv_free(ctx);
                ctx = NULL;
            }
            char *api = ctx ? NULL : mpv_get_property_string(p->h, "gpu-api");
            spec.hq_compute = !p->compute_refused && np_hq_compute(p->opts.compute, ctx, api);
            /* with compute passes three networks cost about 0.9x ArtCNN
             * C4F16 (lavapipe; on an H200 the chain to 2160p 0.92x descale +
             * ArtCNN), within issue 8's budget; as fragment passes one does */
            spec.hq_ensemble = p->hq_single ? 1 : np_hq_ensemble(p->opts.ensemble, spec.hq_compute);
            int said = spec.hq_compute * 8 + spec.hq_ensemble;
            if (said != p->said_hq_form)
                logf_(p, "hq: the network as %s%s (compute=%s, gpu context %s, api %s)",
                      spec.hq_compute ? "compute passes" : "fragment passes",
                      ensemble_words(spec.hq_ensemble),
                      p->opts.compute == NP_COMPUTE_AUTO ? "auto" :
                      p->opts.compute == NP_COMPUTE_YES ? "yes" : "no", ctx ? ctx : "unknown",
                      api && *api ? api : ctx ? "-" : "unknown");
            p->said_hq_form = said;
            mpv_free(ctx);
            mpv_free(api);
        }
        if (np_shader_file(p->shader_dir, &c->scale, &spec, want, sizeof(want),
                           err, sizeof(err)) < 0) {
            logf_(p, "warning: no shader: %s", err);
            want[0] = '\0';
        } else {
            np_shader_prune(p->shader_dir, MAX_SHADER_FILES, want);
        }
    }
    int k = np_shader_list_build(old, m, p->shader_dir, want[0] ? want : NULL, neu);
    if (!np_shader_list_equal(old, m, neu, k)) {
        mpv_node *items = calloc(k + 1, sizeof(*items));
        if (items) {
            for (int i = 0; i < k; i++) {
                items[i].format = MPV_FORMAT_STRING;
                items[i].u.string = (char *)neu[i];
            }
            mpv_node_list list = {.num = k, .values = items};
            mpv_node node = {.format = MPV_FORMAT_NODE_ARRAY, .u.list = &list};
            /* one property write: the switch happens between two frames */
            if (mpv_set_property(p->h, "glsl-shaders", MPV_FORMAT_NODE, &node) < 0)
                logf_(p, "warning: cannot set glsl-shaders");
            free(items);
        }
        /* a new shader compiles first: late frames right now are not the
         * preset's fault */
        p->gpu_check_at = 0;
    }
    snprintf(p->applied, sizeof(p->applied), "%s", want);
    p->fit_w = want[0] ? fit_w : 0;
    p->fit_h = want[0] ? fit_h : 0;
    p->hq_as_balanced = want[0] && hq_balanced;
    if (p->fit_w > 0 && p->opts.verbose)
        logf_(p, "rescale output to the picture on screen by DPID: %dx%d", p->fit_w, p->fit_h);
done:
    free(old);
    free(neu);
    mpv_free_node_contents(&cur);
}

/* mpv's renderer could not run a pass (render_errors.h). A compute pass
 * refused while hq's compute passes are in: the GPU or its API has no
 * compute shaders (our guess of it, np_hq_compute, was wrong), so fragment
 * passes from now on, which run on every renderer. Anything else is said
 * once per file in the log, naming our chain when it runs, since mpv goes
 * on drawing without the pass. */
static void render_error(plugin *p, const mpv_event_log_message *m)
{
    np_render_error e = np_render_error_of(m->prefix, m->level, m->text);
    if (e == NP_RENDER_NONE)
        return;
    char text[160];
    snprintf(text, sizeof(text), "%s", m->text);
    text[strcspn(text, "\n")] = '\0';
    const char *base = strrchr(p->applied, '/');
    base = base ? base + 1 : p->applied;
    if (e == NP_RENDER_COMPUTE_FAILED && !p->compute_refused && strstr(base, "-compute")) {
        p->compute_refused = true;
        /* frames drawn before the switch still report; they are not news */
        p->said_render_error = true;
        logf_(p, "warning: hq: mpv could not run the compute passes (%s: %s): fragment "
              "passes from now on", m->prefix, text);
        osd(p, "nativeres: no compute shaders here \u2014 hq as fragment passes");
        update_shaders(p);
        return;
    }
    if (p->said_render_error)
        return;
    p->said_render_error = true;
    logf_(p, "warning: mpv's renderer failed a pass (%s: %s)%s%s", m->prefix, text,
          base[0] ? "; ours running: " : "", base);
}

static int64_t late_frames(plugin *p)
{
    return get_int(p, "frame-drop-count", 0) + get_int(p, "vo-delayed-frame-count", 0);
}

/* A resized window (or fullscreen on a smaller screen) changes the DPID
 * size the running chain ends with: write the chain for the new size. */
static void watch_display(plugin *p)
{
    if (!p->applied[0] || p->opts.mode != NP_MODE_RESCALE)
        return;
    int w, h;
    display_fit(p, &p->dec.current.scale, &w, &h);
    if (w != p->fit_w || h != p->fit_h ||
        hq_runs_balanced(p, &p->dec.current.scale) != p->hq_as_balanced)
        update_shaders(p);
}

/* Dropped or delayed frames while our chain runs: hq's ensemble drops to the
 * single network first (whatever the preset), then the auto preset steps
 * down (balanced -> fast); each said on the OSD and the info page. With the
 * auto preset a doubler added or removed by the user changes the choice. */
static void watch_gpu(plugin *p)
{
    bool ensemble = p->preset == NR_RESCALE_HQ && !p->hq_as_balanced && !p->hq_single &&
                    p->said_hq_form % 8 > 1;
    if (p->opts.mode != NP_MODE_RESCALE || !p->applied[0] ||
        (p->opts.preset != NP_PRESET_AUTO && !ensemble))
        return;
    double t = now_s();
    if (p->gpu_check_at == 0) {
        /* start a window once the shader had 2 s to compile and settle */
        p->gpu_check_at = t + 2.0;
        p->late_base = -1;
        return;
    }
    if (t < p->gpu_check_at)
        return;
    double window = t - (p->gpu_check_at - GPU_WINDOW_S);
    p->gpu_check_at = t + GPU_WINDOW_S;
    int64_t late = late_frames(p);
    double pos = get_double(p, "time-pos", NAN);
    double speed = get_double(p, "speed", 1);
    /* paused, buffering, at the end: playback is not meant to move */
    bool idle = get_flag(p, "core-idle", true) || get_flag(p, "eof-reached", false);
    bool have_base = p->late_base >= 0 && isfinite(p->pos_base) && isfinite(pos);
    int64_t fresh = late - p->late_base;
    double progress = have_base ? (pos - p->pos_base) / (window * speed) : 1;
    p->late_base = idle ? -1 : late;
    p->pos_base = idle ? NAN : pos;
    if (!have_base || idle)
        return;
    if (p->opts.verbose)
        logf_(p, "gpu check: %lld late or dropped frames, playback at %.0f%% of real time "
              "(%s preset)", (long long)fresh, 100 * progress, nr_rescale_preset_name(p->preset));
    /* playback falling behind the clock is the GPU failing too, even where
     * mpv drops nothing */
    bool behind = p->opts.min_realtime > 0 && (fresh >= 3 || progress < p->opts.min_realtime);
    /* hq's ensemble goes first: the single network is a third of its cost
     * and keeps the preset the user chose */
    if (behind && ensemble) {
        int members = p->said_hq_form % 8;
        p->hq_single = true;
        update_shaders(p);
        logf_(p, "hq: the single network (the GPU fell behind with the ensemble of %d: "
              "%lld late frames, playback at %.0f%% of real time)", members, (long long)fresh,
              100 * progress);
        osd(p, "nativeres: GPU too slow for hq's ensemble \u2014 the single network");
        return;
    }
    if (p->opts.preset != NP_PRESET_AUTO)
        return;
    if (behind && p->preset > NR_RESCALE_FAST) {
        nr_rescale_preset from = p->preset;
        p->stepdown++;
        update_shaders(p);
        if (p->preset != from) {
            char text[256];
            snprintf(text, sizeof(text), "nativeres: GPU too slow for %s \u2014 %s",
                     nr_rescale_preset_name(from), nr_rescale_preset_name(p->preset));
            logf_(p, "preset=%s (stepped down from %s: %lld late frames, playback at %.0f%% "
                  "of real time)", nr_rescale_preset_name(p->preset),
                  nr_rescale_preset_name(from), (long long)fresh, 100 * progress);
            osd(p, text);
        }
        return;
    }
    /* the user's list may have changed (a doubler added or removed) */
    char why[200];
    mpv_node cur;
    if (mpv_get_property(p->h, "glsl-shaders", MPV_FORMAT_NODE, &cur) < 0)
        return;
    int n = cur.format == MPV_FORMAT_NODE_ARRAY ? cur.u.list->num : 0;
    const char **list = calloc(n + 1, sizeof(*list));
    if (list) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (cur.u.list->values[i].format == MPV_FORMAT_STRING)
                list[m++] = cur.u.list->values[i].u.string;
        }
        if (choose_preset(p, list, m, why, sizeof(why)) != p->preset) {
            free(list);
            mpv_free_node_contents(&cur);
            update_shaders(p);
            return;
        }
    }
    free(list);
    mpv_free_node_contents(&cur);
}

/* ------------------------------------------------------------------ */
/* Info page                                                           */

static void show_info(plugin *p)
{
    np_info *in = &p->info;
    in->source = p->source;
    in->running = p->applied[0] != '\0';
    in->enabled = p->enabled;
    in->frames = p->frames;
    in->grab_ms = p->grab_ms;
    char now[256];
    if (p->dec.decided) {
        np_choice_log_line(&p->dec.current, in->decision, sizeof(in->decision));
        decision_text(p, now, sizeof(now));
        snprintf(in->now, sizeof(in->now), "%s", now + strlen("nativeres: "));
    } else {
        in->decision[0] = '\0';
        snprintf(in->now, sizeof(in->now), "%s", p->detect ? "looking..." : "not looking");
    }
    in->scene_frames = p->scene_frames;
    in->mark = p->dec.current.verdict == NR_VERDICT_UPSCALED ?
               np_choice_height(&p->dec.current) : 0;
    in->extra[0][0] = in->extra[1][0] = '\0';
    if (p->opts.mode == NP_MODE_RESCALE) {
        char fit[160] = "";
        if (p->hq_as_balanced)
            snprintf(fit, sizeof(fit), ", balanced's upscaler at 1x");
        else if (p->preset == NR_RESCALE_HQ && p->said_hq_form >= 0) {
            /* short: the line must fit the info page's box */
            int members = p->said_hq_form % 8;
            const char *form = p->said_hq_form >= 8 ? "compute"
                               : p->compute_refused ? "fragment (no compute here)" : "fragment";
            snprintf(fit, sizeof(fit), ", network: %s", form);
            if (members > 1)
                snprintf(fit + strlen(fit), sizeof(fit) - strlen(fit), ", ensemble of %d",
                         members);
            if (p->hq_single)
                snprintf(fit + strlen(fit), sizeof(fit) - strlen(fit),
                         " (ensemble dropped: GPU behind)");
        }
        if (p->fit_w > 0)
            snprintf(fit + strlen(fit), sizeof(fit) - strlen(fit), ", then DPID to %dx%d",
                     p->fit_w, p->fit_h);
        snprintf(in->extra[0], sizeof(in->extra[0]), "rescale, %s preset (%s)%s",
                 nr_rescale_preset_name(p->preset), p->preset_why[0] ? p->preset_why : "-", fit);
        if (p->mask_fraction >= 0)
            snprintf(in->extra[1], sizeof(in->extra[1]),
                     "credit mask: %.1f%% of the last analysed frame kept from the source",
                     100 * p->mask_fraction);
    } else {
        snprintf(in->extra[0], sizeof(in->extra[0]), "descale only (mode=descale)");
    }
    in->timeline = &p->timeline;
    in->duration = p->duration;
    in->pos = get_double(p, "time-pos", NAN);
    char *ass = np_info_ass(in);
    if (!ass) {
        logf_(p, "warning: info page: out of memory");
        return;
    }
    set_overlay(p, INFO_OVERLAY_ID, ass);
    free(ass);
    p->info_drawn_at = now_s();
}

static void hide_info(plugin *p)
{
    set_overlay(p, INFO_OVERLAY_ID, NULL);
}

static void keep_curve(plugin *p, const nr_estimate *e)
{
    np_info *in = &p->info;
    in->num_cands = e->num_height_candidates;
    memcpy(in->cands, e->height_candidates, sizeof(in->cands[0]) * in->num_cands);
    /* the curve of the best candidate's kernel, or the first one */
    const nr_curve *best = NULL;
    for (int i = 0; i < e->num_height_curves; i++) {
        const nr_curve *c = &e->height_curves[i];
        if (!best)
            best = c;
        if (in->num_cands > 0 && c->kernel.type == in->cands[0].kernel.type &&
            c->kernel.b == in->cands[0].kernel.b && c->kernel.c == in->cands[0].kernel.c &&
            c->kernel.taps == in->cands[0].kernel.taps)
            best = c;
    }
    free(in->curve_sizes);
    free(in->curve_errors);
    free(in->curve_dips);
    in->curve_sizes = in->curve_errors = in->curve_dips = NULL;
    in->curve_count = 0;
    if (!best || best->count < 2)
        return;
    in->curve_sizes = malloc(sizeof(double) * best->count);
    in->curve_errors = malloc(sizeof(double) * best->count);
    if (!in->curve_sizes || !in->curve_errors)
        return;
    memcpy(in->curve_sizes, best->sizes, sizeof(double) * best->count);
    memcpy(in->curve_errors, best->errors, sizeof(double) * best->count);
    /* the estimator's own dip measure when it gives one (pooled curves) */
    if (best->dips && (in->curve_dips = malloc(sizeof(double) * best->count)))
        memcpy(in->curve_dips, best->dips, sizeof(double) * best->count);
    in->curve_count = best->count;
    nr_kernel_name(&best->kernel, in->curve_kernel, sizeof(in->curve_kernel));
}

/* ------------------------------------------------------------------ */
/* Decisions                                                           */

static np_cache_key cache_key(const plugin *p)
{
    return (np_cache_key){.path = p->path, .size = p->file_size,
                          .duration = p->duration, .w = p->vw, .h = p->vh};
}

/* What runs, as the OSD says it. */
static void decision_text(plugin *p, char *text, size_t size)
{
    np_choice_osd_text(&p->dec.current, text, size);
    if (p->opts.mode == NP_MODE_RESCALE && p->dec.current.verdict == NR_VERDICT_UPSCALED) {
        /* "... — descaling" becomes "... — rescaling, balanced" */
        char *dash = strstr(text, " \u2014 descaling");
        if (dash)
            snprintf(dash, size - (size_t)(dash - text), " \u2014 rescaling, %s",
                     nr_rescale_preset_name(p->preset));
    }
}

static void announce(plugin *p)
{
    char line[512], text[512];
    np_choice_log_line(&p->dec.current, line, sizeof(line));
    logf_(p, "%s source=%s", line, p->source);
    decision_text(p, text, sizeof(text));
    osd(p, text);
}

static void decision_changed(plugin *p, const char *source)
{
    p->source = source;
    update_shaders(p);   /* first: the message names the preset it chose */
    announce(p);
    if (p->info_shown)
        show_info(p);
}

/* ------------------------------------------------------------------ */
/* The scene timeline                                                  */

static bool timeline_in_use(const plugin *p)
{
    return p->file_active && p->vw > 0 && !p->manual && !p->have_known;
}

static void save_timeline(plugin *p, bool now)
{
    if (!p->timeline_dirty || !p->opts.cache || !p->cache_ok || !p->path || p->vw <= 0)
        return;
    if (!now && now_s() - p->timeline_saved_at < TIMELINE_SAVE_S)
        return;
    np_cache_key k = cache_key(p);
    char err[512];
    if (np_cache_store(p->cache_dir, &k, &p->timeline, p->opts.cache_entries, err,
                       sizeof(err)) < 0)
        logf_(p, "warning: cache: %s", err);
    p->timeline_dirty = false;
    p->timeline_saved_at = now_s();
}

static bool choice_from_span(const plugin *p, const np_span *s, np_choice *c)
{
    if (s->verdict != NR_VERDICT_UPSCALED) {
        np_choice_plain(c, s->verdict, p->vw, p->vh, s->confidence);
        return true;
    }
    return np_choice_upscaled(c, p->vw, p->vh, s->height, s->width, &s->kernel,
                              s->confidence) == 0;
}

/* The file's own answer: the upscale its scenes were found to be (this
 * play and the cached timeline), the one covering the most playback time
 * (timeline_answer).
 * The scenes of one episode share their production's native size, so a
 * later scene only has to confirm it (nr_pool_confirm), which a dip too
 * shallow for a blind search can do. False when no scene was upscaled. */
static bool timeline_answer(const plugin *p, const np_timeline *t, np_choice *out)
{
    double best = 0;
    for (int i = 0; i < t->count; i++) {
        const np_span *a = &t->spans[i];
        if (a->verdict != NR_VERDICT_UPSCALED)
            continue;
        double total = 0;
        for (int j = 0; j < t->count; j++)
            if (np_span_same_answer(a, &t->spans[j]))
                total += fmax(t->spans[j].end - t->spans[j].start, 0.1);
        np_choice c;
        if (total > best && choice_from_span(p, a, &c)) {
            best = total;
            *out = c;
        }
    }
    return best > 0;
}

/* ...else, on a first play, another episode's (same folder, same size) */
static bool episode_answer(const plugin *p, np_choice *out)
{
    if (timeline_answer(p, &p->timeline, out))
        return true;
    if (p->have_sibling)
        *out = p->sibling;
    return p->have_sibling;
}

/* The live scene's answer becomes (or updates) its span: a decisive one
 * after two frames, "unsure" after as many as switching off needs. */
static void record_scene(plugin *p, const np_choice *in)
{
    np_choice sc = *in;
    if (sc.verdict == NR_VERDICT_UPSCALED && sc.confidence < p->opts.confidence)
        np_choice_plain(&sc, NR_VERDICT_UNSURE, p->vw, p->vh, sc.confidence);
    int need = sc.verdict == NR_VERDICT_UNSURE ? p->opts.off_frames : 1;
    if (p->scene_frames < need || !timeline_in_use(p))
        return;
    sc.confidence = sc.verdict == NR_VERDICT_UNSURE ? 0 : sc.confidence;
    const np_choice *c = &sc;
    np_span s = {.start = p->scene_start, .end = p->scene_end, .verdict = c->verdict,
                 .confidence = c->confidence};
    nr_kernel_parse("bilinear", &s.kernel);
    if (c->verdict == NR_VERDICT_UPSCALED) {
        s.height = np_choice_height(c);
        s.width = np_choice_width(c);
        s.kernel = c->scale.kernel;
    }
    bool changed = np_timeline_put(&p->timeline, &s);
    p->timeline_dirty = true;
    /* spans may have moved: where playback is gets worked out again */
    p->where = (np_where){NP_WHERE_UNKNOWN, -1};
    save_timeline(p, changed);
}

static void new_scene_state(plugin *p);

static void apply_span(plugin *p, int index)
{
    np_choice c;
    if (!choice_from_span(p, &p->timeline.spans[index], &c))
        return;
    if (p->dec.decided && np_choice_same(&c, &p->dec.current))
        return;
    /* an unsure scene only has to stop a descale, and not one that this
     * play's frames decided in the scene being analysed (an earlier play
     * left the scene unsure; this one found or confirmed its size) */
    if (c.verdict == NR_VERDICT_UNSURE && (p->dec.current.verdict != NR_VERDICT_UPSCALED ||
                                           (p->scene_frames > 0 && p->source &&
                                            !strcmp(p->source, "detect"))))
        return;
    np_decider_force(&p->dec, &c);
    decision_changed(p, "cache");
}

/* Follows playback on the timeline: inside a known scene its answer runs
 * at once (also right after a seek) and no frame is analysed; between two
 * scenes with different answers nothing runs until a grab sees the cut. */
static void follow_timeline(plugin *p)
{
    if (!timeline_in_use(p) || p->timeline.count == 0) {
        p->where = (np_where){NP_WHERE_UNKNOWN, -1};
        return;
    }
    double pos = get_double(p, "time-pos", NAN);
    if (!isfinite(pos))
        return;
    np_where w = np_timeline_where(&p->timeline, pos);
    /* the scene being analysed now is not known ground yet */
    if (w.kind == NP_WHERE_SPAN && p->scene_frames > 0 &&
        p->timeline.spans[w.index].start == p->scene_start)
        w = (np_where){NP_WHERE_UNKNOWN, -1};
    if (w.kind == p->where.kind && w.index == p->where.index)
        return;
    np_where before = p->where;
    bool from_known = (before.kind == NP_WHERE_SPAN && before.index < p->timeline.count &&
                       p->timeline.spans[before.index].verdict != NR_VERDICT_UNSURE) ||
                      before.index == -2;   /* -2: right after a seek */
    p->where = w;
    if (w.kind == NP_WHERE_SPAN) {
        apply_span(p, w.index);
        /* no frame is analysed in a known scene: what comes after it is
         * compared with nothing older (an unsure scene is watched on) */
        if (p->timeline.spans[w.index].verdict != NR_VERDICT_UNSURE)
            new_scene_state(p);
        return;
    }
    if (from_known)
        np_pace_restart(&p->pace);   /* leaving known ground: look at once */
    if (w.kind == NP_WHERE_GAP) {
        /* a grab already made in this stretch lets the first one in the
         * gap see the cut */
        p->gap_grabs = p->have_thumb ? 1 : 0;
        np_pace_quick(&p->pace);
        np_choice next;
        /* a descale must not reach into the other scene: off until the cut */
        if (from_known && p->dec.current.verdict == NR_VERDICT_UPSCALED &&
            choice_from_span(p, &p->timeline.spans[w.index], &next) &&
            !np_choice_same(&next, &p->dec.current)) {
            np_choice off;
            np_choice_plain(&off, NR_VERDICT_UNSURE, p->vw, p->vh, 0);
            np_decider_force(&p->dec, &off);
            decision_changed(p, "cache");
        }
    }
}

/* Known shows take effect before any frame is analysed, and so does the
 * cached timeline of this file. */
static void apply_prior(plugin *p)
{
    np_choice c;
    if (p->have_known) {
        if (p->known.native) {
            np_choice_plain(&c, NR_VERDICT_NATIVE, p->vw, p->vh, 1.0);
        } else if (np_choice_upscaled(&c, p->vw, p->vh, p->known.height, 0,
                                      &p->known.kernel, 1.0) < 0) {
            logf_(p, "warning: known show '%s': height %g does not fit %dx%d",
                  p->known.pattern, p->known.height, p->vw, p->vh);
            return;
        }
        p->detect = false;   /* the user's table overrides detection */
        np_decider_force(&p->dec, &c);
        decision_changed(p, "known");
        return;
    }
    if (!p->opts.cache || !p->cache_ok || !p->path)
        return;
    np_cache_key k = cache_key(p);
    char err[512];
    int r = np_cache_lookup(p->cache_dir, &k, &p->timeline, err, sizeof(err));
    if (err[0])
        logf_(p, "warning: cache: %s", err);
    if (r < 0)
        p->timeline.count = 0;
    /* no upscale known for this file: another episode in the same folder
     * may know the show's size (scenes here still have to confirm it) */
    np_choice own;
    np_timeline sib;
    if (r != -2 && !timeline_answer(p, &p->timeline, &own) &&
        np_cache_lookup_sibling(p->cache_dir, &k, &sib, err, sizeof(err)) == 0 &&
        timeline_answer(p, &sib, &p->sibling)) {
        p->have_sibling = true;
        char line[256];
        np_choice_log_line(&p->sibling, line, sizeof(line));
        logf_(p, "cache: another file in this folder was %s; scenes here are checked "
              "against it", line);
    }
    if (r < 0)
        return;
    /* spans that do not fit this video (another size, a damaged entry) are dropped */
    for (int i = 0; i < p->timeline.count; i++) {
        np_choice tmp;
        if (!choice_from_span(p, &p->timeline.spans[i], &tmp)) {
            logf_(p, "warning: cache: a scene does not fit %dx%d, the file's entry is ignored",
                  p->vw, p->vh);
            p->timeline.count = 0;
            return;
        }
    }
    logf_(p, "cache: %d scene span(s) for this file", p->timeline.count);
    follow_timeline(p);
}

/* ------------------------------------------------------------------ */
/* Grabbing and results                                                */

static void new_scene_state(plugin *p)
{
    p->have_thumb = false;
    p->scene_serial++;
    p->scene_frames = 0;
    p->skipped = 0;
    p->scene_settled = false;
    p->scene_whole = false;
    nr_pool_reset(p->pool);
}

static int64_t node_int(const mpv_node *map, const char *key, int64_t fallback)
{
    for (int i = 0; i < map->u.list->num; i++) {
        if (!strcmp(map->u.list->keys[i], key) &&
            map->u.list->values[i].format == MPV_FORMAT_INT64)
            return map->u.list->values[i].u.int64;
    }
    return fallback;
}

static const mpv_node *node_get(const mpv_node *map, const char *key)
{
    for (int i = 0; i < map->u.list->num; i++) {
        if (!strcmp(map->u.list->keys[i], key))
            return &map->u.list->values[i];
    }
    return NULL;
}

static void fill_estimate_opts(const plugin *p, np_job *job)
{
    nr_estimate_opts_default(&job->opts);
    job->opts.min_height = p->opts.min_height;
    job->opts.max_height = p->opts.max_height;
    job->opts.fractional = p->opts.fractional;
    if (p->opts.num_kernels > 0) {
        memcpy(job->kernels, p->opts.kernels, sizeof(job->kernels[0]) * p->opts.num_kernels);
        job->opts.kernels = job->kernels;
        job->opts.num_kernels = p->opts.num_kernels;
    }
}

/* Swaps rows and columns (a 90/270 degree turn up to a mirror image, which
 * leaves the scaling trace as it was). 0, or -1 and the plane untouched. */
static int transpose_luma(float **luma, int w, int h)
{
    float *t = malloc(sizeof(float) * (size_t)w * h);
    if (!t)
        return -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            t[(size_t)x * h + y] = (*luma)[(size_t)y * w + x];
    free(*luma);
    *luma = t;
    return 0;
}

/* I- and P-frames are coded finer than B-frames (x264's and x265's pbratio
 * 1.3: about 2 QP), and their scaling trace survives better: a grab due on
 * a B-frame waits up to prefer-ref seconds of wall time (paused video
 * never brings another frame) for the next I- or P-frame. */
static bool reference_frame_or_waited(plugin *p)
{
    char *type = mpv_get_property_string(p->h, "video-frame-info/picture-type");
    p->grab_type = type && type[0] && !type[1] ? type[0] : '?';
    bool b_frame = p->opts.prefer_ref > 0 && p->grab_type == 'B';
    mpv_free(type);
    double now = now_s();
    if (b_frame) {
        if (!isfinite(p->ref_wait_since))
            p->ref_wait_since = now;
        if (now - p->ref_wait_since < p->opts.prefer_ref)
            return false;
    }
    p->ref_wait_since = NAN;
    return true;
}

/* while a grab waits for a reference frame, look at every frame */
static bool waiting_for_reference(const plugin *p)
{
    return isfinite(p->ref_wait_since);
}

static void maybe_grab(plugin *p)
{
    /* inside a scene known from the timeline there is nothing to find out */
    if (!p->file_active || !p->detect || p->vw <= 0 || np_worker_busy(p->worker) ||
        (p->where.kind == NP_WHERE_SPAN && p->where.index < p->timeline.count &&
         p->timeline.spans[p->where.index].verdict != NR_VERDICT_UNSURE))
        return;
    double pos = get_double(p, "time-pos", NAN);
    if (!np_pace_due(&p->pace, pos))
        return;
    /* mid-seek the frame mpv holds is the one being left, and the grab
     * would hold the core up while it seeks */
    if (get_flag(p, "seeking", false))
        return;
    if (!reference_frame_or_waited(p))
        return;
    /* woven fields: the comb between them is no scaling trace */
    if (get_flag(p, "video-frame-info/interlaced", false)) {
        if (!p->said_interlaced)
            logf_(p, "interlaced video: not analysed (with --deinterlace=yes it is)");
        p->said_interlaced = true;
        return;
    }

    double t0 = now_s();
    /* the decoded frame as bgr0 (grab.h: why not through vo_gpu) */
    const mpv_node *res = p->grabber ? np_grab_frame(p->grabber, GRAB_TIMEOUT_S) : NULL;
    if (!res) {
        np_pace_grabbed(&p->pace, pos, false);   /* try again later, not in a loop */
        return;
    }
    p->grab_ms = (now_s() - t0) * 1e3;
    const mpv_node *data = res->format == MPV_FORMAT_NODE_MAP ? node_get(res, "data") : NULL;
    const mpv_node *format = data ? node_get(res, "format") : NULL;
    int w = data ? (int)node_int(res, "w", 0) : 0;
    int h = data ? (int)node_int(res, "h", 0) : 0;
    int64_t stride = data ? node_int(res, "stride", 0) : 0;
    if (!data || data->format != MPV_FORMAT_BYTE_ARRAY || !format ||
        format->format != MPV_FORMAT_STRING || strcmp(format->u.string, "bgr0") ||
        np_bgr0_check(w, h, stride, data->u.ba->size) < 0) {
        np_pace_grabbed(&p->pace, pos, false);
        return;
    }
    /* mpv's grab is rotated by --video-rotate (90/270 swap the sides; the
     * luma is turned back below) and resized to the display aspect for
     * non-square pixels: a resized frame has lost the scaling trace */
    bool turned = w == p->vh && h == p->vw && w != h;
    if (!turned && (w != p->vw || h != p->vh)) {
        if (!p->said_size)
            logf_(p, "grabbed frames are %dx%d, the video %dx%d (non-square pixels): "
                  "not analysed", w, h, p->vw, p->vh);
        p->said_size = true;
        p->detect = false;   /* no more grabs until the video changes size */
        np_pace_grabbed(&p->pace, pos, false);
        return;
    }
    /* Luma straight from mpv's reply, which the next grab frees: one frame
     * copy (the estimator's input) lives while the worker runs, not two. */
    np_job *job = calloc(1, sizeof(*job));
    if (job)
        job->luma = malloc(sizeof(float) * (size_t)w * h);
    if (!job || !job->luma) {
        np_job_free(job);
        np_pace_grabbed(&p->pace, pos, false);
        return;
    }
    bool exact = np_bgr0_to_luma(data->u.ba->data, w, h, stride, &p->coding, job->luma);
    if (!p->said_luma && p->opts.verbose)
        logf_(p, "luma: %s", exact ? "the coded 8-bit values (limited range), exactly"
              : p->coding.limited8 ? "from RGB (the grab does not bear out the video's "
                                     "matrix: not snapped to codes)"
                                   : "from RGB (not 8-bit limited-range Y'CbCr)");
    p->said_luma = true;
    if (turned && transpose_luma(&job->luma, w, h) == 0) {
        int t = w;
        w = h;
        h = t;
    }
    /* a cut: the library's scene measure (pans, fades and motion within a
     * shot stay below the threshold) */
    float sig[NR_SCENE_SIG_SIZE];
    nr_scene_signature(job->luma, w, w, h, sig);
    bool scene = !p->have_thumb || nr_scene_difference(sig, p->sig) >= p->opts.scene_threshold;
    memcpy(p->sig, sig, sizeof(sig));
    p->have_thumb = true;
    np_pace_grabbed(&p->pace, pos, scene && p->frames > 0);
    if (p->where.kind == NP_WHERE_GAP) {
        /* a picture change after the first grab in the gap is the cut: the
         * next scene's answer runs from here, and the gap narrows for the
         * next play */
        if (scene && p->gap_grabs > 0) {
            int next = p->where.index;
            np_timeline_cut_seen(&p->timeline, next, pos);
            p->timeline_dirty = true;
            p->where = (np_where){NP_WHERE_SPAN, next};
            apply_span(p, next);
            new_scene_state(p);
            np_job_free(job);
            return;
        }
        p->gap_grabs++;
        np_pace_quick(&p->pace);   /* quick grabs until the cut is seen */
    }
    /* A scene whose pooled answer is what runs needs no more evidence: its
     * grabs only watch for the next cut (and one in four is analysed, so a
     * slow change is still seen). */
    if (!scene && p->scene_settled && p->skipped < 3) {
        p->skipped++;
        np_job_free(job);
        return;
    }
    p->skipped = 0;
    job->generation = p->generation;
    job->pos = pos;
    job->new_scene = scene;
    job->scene_serial = p->scene_serial;
    /* the credit mask's statistics for the info page (a CPU descale and
     * upscale: only while the page is shown) */
    job->want_mask = p->info_shown && p->opts.mode == NP_MODE_RESCALE &&
                     p->dec.current.verdict == NR_VERDICT_UPSCALED;
    job->mask_scale = p->dec.current.scale;
    job->w = w;
    job->h = h;
    fill_estimate_opts(p, job);
    job->opts.whole_grid = p->scene_whole && !scene;
    np_worker_submit(p->worker, job);
}

/* The scene is undecided: quick grabs in the window after its cut, within
 * the CPU budget (np_pace_undecided, np_cpu_meter). */
static void keep_looking(plugin *p)
{
    if (!p->manual && np_cpu_meter_share(&p->cpu, now_s()) < p->opts.cpu_budget)
        np_pace_undecided(&p->pace);
}

static void handle_result(plugin *p, np_result *r)
{
    if (r->generation != p->generation || r->w != p->vw || r->h != p->vh)
        goto done;   /* a frame of a previous file or size */
    if (r->status < 0) {
        logf_(p, "warning: estimate failed: %s", r->err);
        goto done;
    }
    p->frames++;
    np_cpu_meter_add(&p->cpu, now_s(), (r->cpu_ms + p->grab_ms) / 1000);
    p->info.est_wall_ms = r->wall_ms;
    p->info.est_cpu_ms = r->cpu_ms;
    if (r->mask_fraction >= 0) {
        p->mask_fraction = r->mask_fraction;
        if (p->opts.verbose)
            logf_(p, "mask fraction=%.4f (%.0f ms)", r->mask_fraction, r->mask_ms);
    }
    /* The frames of a scene are pooled (nr_pool): the pooled answer is
     * what the plugin decides on, as soon as it is decisive, and what the
     * timeline remembers. A frame analysed before a seek or a jump on the
     * timeline belongs to no scene now. */
    np_choice c;
    np_choice_from_estimate(&c, &r->est, p->vw, p->vh);
    if (p->opts.verbose) {
        char fl[256];
        np_choice_log_line(&c, fl, sizeof(fl));
        logf_(p, "frame pos=%.3f type=%c new-scene=%d grab-ms=%.1f estimate-ms=%.0f cpu-ms=%.0f "
              "%s (%s)", r->pos, p->grab_type, r->new_scene, p->grab_ms, r->wall_ms, r->cpu_ms,
              fl, r->est.reason);
    }
    bool in_scene = r->scene_serial == p->scene_serial;
    if (in_scene) {
        if (r->new_scene || p->scene_frames == 0) {
            nr_pool_reset(p->pool);
            p->scene_start = r->pos;
            if (isfinite(p->play_start) && p->play_start <= r->pos && r->pos - p->play_start < 1)
                p->scene_start = p->play_start;
            p->play_start = NAN;
            p->scene_frames = 0;
            p->scene_whole = r->whole_grid;
        }
        /* Bars that move within a scene are part of the picture (a dark
         * edge found as a pillarbox by some frames: a 955.75 spline36 pan
         * then lost its width to crops of 1527-1580 columns, frame after
         * frame, and stayed unsure): from the first frame whose analysed
         * area differs, the scene is measured on the whole frame's grid,
         * as nr_pool_add_plane does; the crops' evidence is dropped, and
         * so is a frame still measured on its crop. */
        const nr_estimate *fe = &r->est;
        bool measured = fe->num_height_curves > 0;
        if (measured && !p->scene_whole && nr_pool_measured(p->pool) > 0 &&
            (fe->crop_x != p->scene_crop[0] || fe->crop_y != p->scene_crop[1] ||
             fe->crop_w != p->scene_crop[2] || fe->crop_h != p->scene_crop[3])) {
            if (p->opts.verbose)
                logf_(p, "scene: bars moved (%dx%d at %d,%d, were %dx%d at %d,%d): whole frame",
                      fe->crop_w, fe->crop_h, fe->crop_x, fe->crop_y, p->scene_crop[2],
                      p->scene_crop[3], p->scene_crop[0], p->scene_crop[1]);
            p->scene_whole = true;
            nr_pool_reset(p->pool);
        }
        if (p->scene_whole && !r->whole_grid) {
            keep_looking(p);
            goto done;
        }
        if (measured && nr_pool_measured(p->pool) == 0) {
            p->scene_crop[0] = fe->crop_x;
            p->scene_crop[1] = fe->crop_y;
            p->scene_crop[2] = fe->crop_w;
            p->scene_crop[3] = fe->crop_h;
        }
        nr_pool_add(p->pool, &r->est);
        p->scene_end = r->pos;
        p->scene_frames++;
        nr_estimate pooled;
        memset(&pooled, 0, sizeof(pooled));
        np_choice sc, episode;
        bool have_episode = episode_answer(p, &episode);
        int pooled_rc = have_episode ? nr_pool_confirm(p->pool, &episode.scale, &pooled)
                                     : nr_pool_result(p->pool, &pooled);
        if (pooled_rc >= 0) {
            np_choice_from_estimate(&sc, &pooled, p->vw, p->vh);
            /* the file's answer, confirmed: as decisive as a blind find */
            if (pooled_rc == 1 && sc.verdict == NR_VERDICT_UPSCALED) {
                sc.confidence = fmax(sc.confidence, p->opts.confidence);
                if (p->opts.verbose)
                    logf_(p, "scene: %s", pooled.reason);
            }
            keep_curve(p, &pooled);
            snprintf(p->info.curve_what, sizeof(p->info.curve_what), "pooled over %d frame%s",
                     nr_pool_measured(p->pool), nr_pool_measured(p->pool) == 1 ? "" : "s");
        } else {
            sc = c;
            keep_curve(p, &r->est);
            snprintf(p->info.curve_what, sizeof(p->info.curve_what), "last frame");
        }
        nr_estimate_free(&pooled);
        char scene_text[256];
        np_choice_osd_text(&sc, scene_text, sizeof(scene_text));
        bool confirmed = pooled_rc == 1 && sc.verdict == NR_VERDICT_UPSCALED;
        snprintf(p->info.scene, sizeof(p->info.scene), "%.200s, confidence %.2f%s",
                 scene_text + strlen("nativeres: "), sc.confidence,
                 confirmed ? " (confirms the file's answer)" : "");
        if (p->opts.verbose) {
            char sl[256];
            np_choice_log_line(&sc, sl, sizeof(sl));
            logf_(p, "scene pooled=%d %s", nr_pool_measured(p->pool), sl);
        }
        /* The pool says whether and where. A frame that is decisive on its
         * own has the finer answer (fractional windows, its kernel fit at
         * that exact size): near the pooled height it is the one to run;
         * far from it, the pool is not acted on until frames agree. */
        bool frame_sure = c.verdict == NR_VERDICT_UPSCALED && c.confidence >= p->opts.confidence;
        if (sc.verdict == NR_VERDICT_UPSCALED && frame_sure) {
            if (fabs(np_choice_height(&sc) - np_choice_height(&c)) <= 2) {
                double conf = sc.confidence;
                sc = c;
                sc.confidence = conf;
            } else {
                if (p->opts.verbose)
                    logf_(p, "scene: pooled height not what the frame says, waiting");
                np_choice_plain(&sc, NR_VERDICT_UNSURE, p->vw, p->vh, 0);
            }
        }
        /* a pool short of evidence (a fractional size falls between its
         * integer candidates, the width dip with it) does not switch off
         * what this very frame confirms on its own */
        if (sc.verdict == NR_VERDICT_UNSURE && frame_sure && p->dec.decided &&
            p->dec.current.verdict == NR_VERDICT_UPSCALED &&
            fabs(np_choice_height(&c) - np_choice_height(&p->dec.current)) <= 1) {
            if (p->opts.verbose)
                logf_(p, "scene: pool unsure, the frame confirms what runs: kept");
            sc = p->dec.current;
        }
        /* An undecided scene: quick grabs in its first seconds, where one
         * frame rarely decides and a dozen often do (the benchmark clips
         * replayed at every phase: right within 2 s of the cut 56 of 144
         * plays at 0.15 s apart against 26 at the old pace, no wrong
         * height either way), as long as the analysis stays within its
         * CPU budget over the last minute. */
        if (sc.verdict == NR_VERDICT_UNSURE)
            keep_looking(p);
        record_scene(p, &sc);
        if (!p->manual && np_decider_scene(&p->dec, &sc, nr_pool_measured(p->pool)))
            decision_changed(p, "detect");
        p->scene_settled = p->dec.decided && sc.verdict != NR_VERDICT_UNSURE &&
                           np_choice_same(&sc, &p->dec.current) && p->scene_frames >= 3;
    }
    /* a lone frame of a paused or still picture may decide (maybe_settle) */
    if (!p->dec.decided && c.verdict != NR_VERDICT_UNSURE && c.confidence >= p->opts.confidence) {
        p->dec.candidate = c;
        p->dec.streak = 1;
    }
    if (!p->manual && !p->dec.decided)
        np_pace_hurry(&p->pace);
    if (p->info_shown)
        show_info(p);
done:
    nr_estimate_free(&r->est);
}

static void poll_results(plugin *p)
{
    np_result r;
    while (np_worker_take(p->worker, &r))
        handle_result(p, &r);
}

/* A paused frame, a still image or the last frame: no other frame has come
 * for a while, so what was seen decides (only while nothing is decided). */
static void maybe_settle(plugin *p)
{
    if (!p->file_active || !p->detect || p->manual || p->dec.decided ||
        p->dec.streak == 0 || np_worker_busy(p->worker)) {
        p->same_since = 0;
        return;
    }
    double pos = get_double(p, "time-pos", NAN);
    if (!np_pace_same_frame(&p->pace, pos)) {
        p->same_since = 0;
        return;
    }
    if (p->same_since == 0)
        p->same_since = now_s();
    if (now_s() - p->same_since >= SETTLE_S && np_decider_settle(&p->dec))
        decision_changed(p, "detect");
}

/* ------------------------------------------------------------------ */
/* File life cycle                                                     */

static void forget_file(plugin *p)
{
    save_timeline(p, true);
    p->timeline.count = 0;
    p->timeline_dirty = false;
    p->have_sibling = false;
    p->where = (np_where){NP_WHERE_UNKNOWN, -1};
    p->generation++;
    p->file_active = false;
    p->vw = p->vh = 0;
    free(p->path);
    p->path = NULL;
    p->detect = false;
    p->manual = false;
    p->source = "none";
    p->frames = 0;
    p->stepdown = 0;
    p->hq_single = false;
    p->said_render_error = false;
    p->mask_fraction = -1;
    p->play_start = NAN;
    p->play_started = false;
    np_decider_reset(&p->dec);
    new_scene_state(p);
    update_shaders(p);
}

static void file_loaded(plugin *p)
{
    forget_file(p);
    p->file_active = true;
    p->said_interlaced = false;
    p->said_size = false;
    p->said_luma = false;
    /* the cache key wants an absolute path: mpv reports what it was given */
    char *path = mpv_get_property_string(p->h, "path");
    char *cwd = mpv_get_property_string(p->h, "working-directory");
    if (path && path[0] != '/' && !strstr(path, "://") && cwd) {
        size_t n = strlen(cwd) + strlen(path) + 2;
        p->path = malloc(n);
        if (p->path)
            snprintf(p->path, n, "%s/%s", cwd, path);
    } else if (path) {
        p->path = strdup(path);   /* ours to free(), mpv's to mpv_free() */
    }
    mpv_free(path);
    mpv_free(cwd);
    p->file_size = get_int(p, "file-size", -1);
    p->duration = get_double(p, "duration", NAN);
    const np_known_show *k = np_known_match(&p->opts, p->path);
    p->have_known = k != NULL;
    if (k)
        p->known = *k;
    /* the size comes with the first video-reconfig */
}

static void video_reconfig(plugin *p)
{
    if (!p->file_active)
        return;
    int w = (int)get_int(p, "video-params/w", 0);
    int h = (int)get_int(p, "video-params/h", 0);
    /* the grab's RGB is turned back into the luma as the video coded it */
    char *matrix = mpv_get_property_string(p->h, "video-params/colormatrix");
    char *levels = mpv_get_property_string(p->h, "video-params/colorlevels");
    char *pixfmt = mpv_get_property_string(p->h, "video-params/hw-pixelformat");
    if (!pixfmt)
        pixfmt = mpv_get_property_string(p->h, "video-params/pixelformat");
    np_luma_coding coding;
    np_luma_coding_from_params(&coding, matrix, levels, pixfmt);
    if (coding.limited8 != p->coding.limited8 || coding.kr != p->coding.kr)
        p->said_luma = false;
    p->coding = coding;
    mpv_free(matrix);
    mpv_free(levels);
    mpv_free(pixfmt);
    if (get_flag(p, "current-tracks/video/albumart", false))
        w = h = 0;   /* cover art of an audio file: nothing to descale */
    if (w == p->vw && h == p->vh)
        return;
    save_timeline(p, true);
    p->timeline.count = 0;
    p->timeline_dirty = false;
    p->have_sibling = false;
    p->where = (np_where){NP_WHERE_UNKNOWN, -1};
    p->generation++;
    p->vw = w;
    p->vh = h;
    p->manual = false;
    np_decider_reset(&p->dec);
    new_scene_state(p);
    np_pace_restart(&p->pace);
    p->detect = w > 0 && h > 0 && p->opts.autodetect;
    p->source = "none";
    update_shaders(p);
    if (w > 0 && h > 0)
        apply_prior(p);
}

/* ------------------------------------------------------------------ */
/* Key bindings                                                        */

static void toggle(plugin *p)
{
    p->enabled = !p->enabled;
    update_shaders(p);
    char text[512];
    if (!p->enabled) {
        osd(p, "nativeres: off (A/B)");
    } else {
        decision_text(p, text, sizeof(text));
        osd(p, text);
    }
    logf_(p, "toggled %s", p->enabled ? "on" : "off");
}

static void toggle_compare(plugin *p)
{
    p->compare = !p->compare;
    update_shaders(p);
    osd(p, !p->compare ? "nativeres: compare off" :
           p->opts.mode == NP_MODE_RESCALE ? "nativeres: compare \u2014 left source, right our output"
                                           : "nativeres: compare \u2014 left source, right descaled");
    logf_(p, "compare %s", p->compare ? "on" : "off");
}

static void cycle_kernel(plugin *p)
{
    const np_choice *c = &p->dec.current;
    if (c->verdict != NR_VERDICT_UPSCALED) {
        osd(p, "nativeres: nothing to cycle (not descaling)");
        return;
    }
    int n = 0;
    const char *names[NP_MAX_KERNELS + 8];
    if (p->opts.num_kernels > 0) {
        for (int i = 0; i < p->opts.num_kernels; i++)
            names[n++] = p->opts.kernel_names[i];
    } else {
        for (int i = 0; default_cycle[i]; i++)
            names[n++] = default_cycle[i];
    }
    int at = -1;
    for (int i = 0; i < n; i++) {
        if (!strcmp(names[i], c->kernel_name))
            at = i;
    }
    nr_kernel k;
    if (!nr_kernel_parse(names[(at + 1) % n], &k))
        return;
    np_choice next;
    if (np_choice_upscaled(&next, p->vw, p->vh, np_choice_height(c), np_choice_width(c),
                           &k, c->confidence) < 0)
        return;
    p->manual = true;
    np_decider_force(&p->dec, &next);
    decision_changed(p, "manual");
}

static void rescan(plugin *p)
{
    if (!p->file_active || p->vw <= 0) {
        osd(p, "nativeres: no video to scan");
        return;
    }
    if (p->opts.cache && p->cache_ok && p->path) {
        np_cache_key k = cache_key(p);
        char err[256];
        np_cache_forget(p->cache_dir, &k, err, sizeof(err));
    }
    p->timeline.count = 0;
    p->timeline_dirty = false;
    p->where = (np_where){NP_WHERE_UNKNOWN, -1};
    p->generation++;
    p->manual = false;
    p->detect = true;
    p->frames = 0;
    p->source = "none";
    np_decider_reset(&p->dec);
    new_scene_state(p);
    np_pace_restart(&p->pace);
    update_shaders(p);
    osd(p, "nativeres: rescanning");
    logf_(p, "rescan");
}

static void key_binding(plugin *p, mpv_event_client_message *m)
{
    if (m->num_args < 2 || strcmp(m->args[0], "key-binding"))
        return;
    /* act on key down or a plain command; ignore key up and repeats */
    if (m->num_args >= 3 && m->args[2][0] != 'd' && m->args[2][0] != 'p')
        return;
    const char *name = m->args[1];
    if (!strcmp(name, "toggle")) {
        toggle(p);
    } else if (!strcmp(name, "compare")) {
        toggle_compare(p);
    } else if (!strcmp(name, "info")) {
        p->info_shown = !p->info_shown;
        if (p->info_shown) {
            expire_message(p);
            show_info(p);
        }
        else
            hide_info(p);
        logf_(p, "info page %s", p->info_shown ? "shown" : "hidden");
    } else if (!strcmp(name, "cycle-kernel")) {
        cycle_kernel(p);
    } else if (!strcmp(name, "rescan")) {
        rescan(p);
    }
}

/* Default keys, overridden by anything in the user's input.conf. */
static void register_keys(plugin *p)
{
    char section[512];
    const char *name = mpv_client_name(p->h);
    snprintf(section, sizeof(section),
             "n script-binding %s/toggle\n"
             "N script-binding %s/compare\n"
             "ctrl+n script-binding %s/info\n"
             "alt+n script-binding %s/cycle-kernel\n"
             "ctrl+alt+n script-binding %s/rescan\n",
             name, name, name, name, name);
    const char *def[] = {"define-section", "nativeres-keys", section, "default", NULL};
    const char *en[] = {"enable-section", "nativeres-keys", NULL};
    mpv_command(p->h, def);
    mpv_command(p->h, en);
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */

static void wake(void *ctx)
{
    mpv_wakeup(ctx);
}

__attribute__((visibility("default")))
int mpv_open_cplugin(mpv_handle *h)
{
    plugin *p = calloc(1, sizeof(*p));
    if (!p)
        return -1;
    p->h = h;
    p->enabled = true;
    p->source = "none";
    p->mask_fraction = -1;
    p->said_hq_form = -1;
    p->ref_wait_since = NAN;
    p->preset = NR_RESCALE_BALANCED;
    read_options(p);
    setup_dirs(p);
    np_pace_init(&p->pace, p->opts.interval, p->opts.early_frames, p->opts.early_interval,
                 p->opts.early_window);
    np_decider_init(&p->dec, p->opts.switch_frames, p->opts.off_frames, p->opts.confidence);
    np_job opts_job;
    memset(&opts_job, 0, sizeof(opts_job));
    fill_estimate_opts(p, &opts_job);
    p->pool = nr_pool_new(&opts_job.opts);   /* copies the options and the kernel list */
    /* the plugin tells the pool about cuts (grab-time signatures) */
    if (p->pool)
        nr_pool_set_scene_cuts(p->pool, false);
    p->worker = np_worker_new(wake, h);
    p->grabber = np_grabber_new(h);
    if (!p->pool || !p->worker || !p->grabber) {
        logf_(p, "warning: cannot start (out of memory or threads)");
        np_worker_free(p->worker);
        np_grabber_free(p->grabber);
        nr_pool_free(p->pool);
        free(p);
        return -1;
    }
    register_keys(p);
    /* errors only: the renderer's failed passes (render_error) */
    if (mpv_request_log_messages(h, "error") < 0)
        logf_(p, "warning: mpv's log is not readable: failed passes go unnoticed");

    double next_poll = 0;
    for (;;) {
        double wait = next_poll - now_s();
        mpv_event *ev = mpv_wait_event(h, wait > 0 ? wait : 0);
        if (ev->event_id == MPV_EVENT_SHUTDOWN)
            break;
        switch (ev->event_id) {
        case MPV_EVENT_FILE_LOADED:
            file_loaded(p);
            break;
        case MPV_EVENT_VIDEO_RECONFIG:
            video_reconfig(p);
            break;
        case MPV_EVENT_PLAYBACK_RESTART:
            /* after a seek: a fresh burst, and a new scene for the vote;
             * a known scene's answer at once. The restart that starts
             * playback is no jump: its event can be handled after the
             * first grab, when time-pos has already moved on (the first
             * frame's estimate, often the most decisive, was dropped and
             * the scene opened twice). A seek is no playback progress for
             * the GPU watch either. */
            p->late_base = -1;
            if (p->play_started &&
                !np_pace_same_frame(&p->pace, get_double(p, "time-pos", NAN))) {
                np_pace_restart(&p->pace);
                new_scene_state(p);
            }
            /* the first restart of a file is where playback begins; any
             * later one is a seek */
            p->play_start = p->play_started ? NAN : get_double(p, "time-pos", NAN);
            p->play_started = true;
            p->where = (np_where){NP_WHERE_UNKNOWN, -2};
            follow_timeline(p);
            break;
        case MPV_EVENT_END_FILE:
            forget_file(p);
            break;
        case MPV_EVENT_CLIENT_MESSAGE:
            key_binding(p, ev->data);
            break;
        case MPV_EVENT_LOG_MESSAGE:
            render_error(p, ev->data);
            break;
        default:
            break;
        }
        poll_results(p);
        if (now_s() >= next_poll) {
            follow_timeline(p);
            save_timeline(p, false);
            maybe_grab(p);
            watch_gpu(p);
            watch_display(p);
            expire_message(p);
            if (p->info_shown && now_s() - p->info_drawn_at >= INFO_REFRESH_S)
                show_info(p);
            maybe_settle(p);
            next_poll = now_s() + (waiting_for_reference(p) ? REF_POLL_S : POLL_S);
        }
    }

    save_timeline(p, true);
    np_worker_free(p->worker);   /* waits for the frame in progress, if any */
    np_grabber_free(p->grabber);
    nr_pool_free(p->pool);
    free(p->info.curve_sizes);
    free(p->info.curve_dips);
    free(p->info.curve_errors);
    free(p->path);
    free(p);
    return 0;
}
