/*
 * nr-mpv-host: renders a video through real mpv (libmpv render API, the
 * vo_gpu renderer) headless, into a float FBO, and writes what mpv drew.
 *
 * Usage:
 *   nr-mpv-host --file IN [options]
 *     --file IN            video/image to play (anything mpv opens)
 *     --shaders A:B        glsl-shaders (':'-separated list, as mpv takes it)
 *     --script /abs/x.so   load a C plugin (mpv option scripts=)
 *     --opt key=value      any mpv option, set before mpv_initialize;
 *                          repeatable, applied after the defaults below
 *     --size WxH           FBO size (default: the video's display size)
 *     --frames N           paused: extra redraws after the first frame
 *                          (default 1); --play: frames to render (default 1)
 *     --seconds S          --play only: render for S seconds of wall clock
 *     --until-eof          --play only: and on until the last frame is shown
 *                          (eof-reached), then redraw it: a loaded machine
 *                          plays slower than the clock
 *     --play               play (pause=no) instead of showing one still
 *     --out-rgb F.pfm      write the last frame (drawn again at the end), RGB float (PF)
 *     --out-gray F.pfm     write the last frame's red channel (Pf); for gray
 *                          full-range input R = G = B = Y
 *     --log FILE           mpv's whole log ("[module] level: text" lines)
 *     --log-level L        level for mpv_request_log_messages (default "v")
 *     --frame-times F      write one line per rendered frame: "index wall_ms
 *                          cpu_ms", the render call and glFinish, wall clock
 *                          and this process's CPU time (llvmpipe's threads
 *                          included); times every pass, compute ones too,
 *                          which vo-passes cannot time on llvmpipe
 *     --passes F.json      read vo-passes after rendering: JSON to F.json,
 *                          and "pass<TAB>fresh|redraw<TAB>median_ms<TAB>
 *                          last_ms<TAB>samples<TAB>desc" lines on stdout
 *     --timeout S          bound for the whole run (default 60 s)
 *     --allow-shader-errors  report shader problems on stderr but still
 *                          write output and exit 0 (negative tests)
 *     --gpu-device         try the EGL device platform (a real GPU) before
 *                          Mesa's surfaceless platform (also: NR_MPV_GPU=1)
 *
 * Fixed options (before mpv_initialize): vo=libmpv pause=yes (no with
 * --play) keep-open=yes audio=no dither-depth=no keepaspect=no
 * framedrop=no input-default-bindings=no config=no osc=no terminal=no
 * ytdl=no load-scripts=no gpu-hwdec-interop=no, then --opt.
 *
 * Output: PFM as the format defines it (rows stored bottom to top, scale
 * -1, little-endian), so it compares directly with other PFM files. The FBO
 * is GL_RGBA32F, so nothing is quantised on the way out.
 *
 * Exit status: 0 success; 1 runtime failure (EGL, mpv, file, timeout, a
 * --script plugin that mpv could not load);
 * 2 bad command line; 3 mpv's log shows a user-shader problem (compile
 * error, dropped file, unknown header command, texture size mismatch):
 * mpv itself never fails on those, it renders garbage or drops the file.
 */
#include "egl_context.h"
#include "image_io.h"
#include "mpv_node_json.h"

#include <GL/gl.h>
#include <GL/glext.h>
#include <mpv/client.h>
#include <mpv/render.h>
#include <mpv/render_gl.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_OPTS 64

typedef struct host_args {
    const char *file, *shaders, *script, *out_rgb, *out_gray, *log_path, *passes_path;
    const char *frame_times_path;
    const char *log_level;
    const char *opts[MAX_OPTS];
    int num_opts;
    int width, height;   /* 0 = the video's size */
    int frames;
    double seconds;      /* > 0: render for this long (--play) */
    double timeout;
    bool play, allow_shader_errors, gpu_device, until_eof;
} host_args;

/* The few GL entry points we need, loaded through EGL so the host does not
 * depend on how libGL dispatches (glvnd, vendor libraries). */
typedef struct gl_fns {
    void (APIENTRY *GenTextures)(GLsizei, GLuint *);
    void (APIENTRY *BindTexture)(GLenum, GLuint);
    void (APIENTRY *TexImage2D)(GLenum, GLint, GLint, GLsizei, GLsizei, GLint, GLenum,
                                GLenum, const void *);
    void (APIENTRY *TexParameteri)(GLenum, GLenum, GLint);
    void (APIENTRY *GenFramebuffers)(GLsizei, GLuint *);
    void (APIENTRY *BindFramebuffer)(GLenum, GLuint);
    void (APIENTRY *FramebufferTexture2D)(GLenum, GLenum, GLenum, GLuint, GLint);
    GLenum (APIENTRY *CheckFramebufferStatus)(GLenum);
    void (APIENTRY *ReadPixels)(GLint, GLint, GLsizei, GLsizei, GLenum, GLenum, void *);
    void (APIENTRY *PixelStorei)(GLenum, GLint);
    void (APIENTRY *Finish)(void);
    GLenum (APIENTRY *GetError)(void);
    const GLubyte *(APIENTRY *GetString)(GLenum);
    void (APIENTRY *DeleteFramebuffers)(GLsizei, const GLuint *);
    void (APIENTRY *DeleteTextures)(GLsizei, const GLuint *);
} gl_fns;

typedef struct host {
    host_args args;
    nr_egl *egl;
    gl_fns gl;
    mpv_handle *mpv;
    mpv_render_context *render;
    GLuint fbo, tex;
    int fbo_w, fbo_h;
    FILE *log;
    FILE *frame_times;          /* --frame-times, open while rendering */
    char shader_problem[512];   /* first known shader-problem line in the log */
    char renderer_error[512];   /* first other renderer error line */
    char script_error[512];     /* --script: mpv could not load the plugin */
    bool restarted;
    bool eof;                 /* eof-reached: keep-open holds the last frame */
    int rendered;                /* frames rendered since playback restart */
    int rendered_total;          /* including any before the restart event */
    mpv_node passes;
    bool have_passes;
} host;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("nr-mpv-host: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("nr-mpv-host: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see the usage at the top of tests/mpv/mpv_host.c)\n", stderr);
    va_end(ap);
    exit(2);
}

static double parse_number(const char *flag, const char *s, double lo, double hi)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        usage_error("%s: expected a number in [%g, %g], got '%s'", flag, lo, hi, s);
    return v;
}

static void parse_args(int argc, char **argv, host_args *a)
{
    memset(a, 0, sizeof(*a));
    a->frames = -1;
    a->timeout = 60;
    a->log_level = "v";
    const char *gpu_env = getenv("NR_MPV_GPU");
    a->gpu_device = gpu_env && *gpu_env && strcmp(gpu_env, "0");
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        bool has_value = i + 1 < argc;
#define VALUE() (has_value ? argv[++i] : (usage_error("%s needs a value", flag), ""))
        if (!strcmp(flag, "--file")) a->file = VALUE();
        else if (!strcmp(flag, "--shaders")) a->shaders = VALUE();
        else if (!strcmp(flag, "--script")) a->script = VALUE();
        else if (!strcmp(flag, "--out-rgb")) a->out_rgb = VALUE();
        else if (!strcmp(flag, "--out-gray")) a->out_gray = VALUE();
        else if (!strcmp(flag, "--log")) a->log_path = VALUE();
        else if (!strcmp(flag, "--log-level")) a->log_level = VALUE();
        else if (!strcmp(flag, "--passes")) a->passes_path = VALUE();
        else if (!strcmp(flag, "--frame-times")) a->frame_times_path = VALUE();
        else if (!strcmp(flag, "--play")) a->play = true;
        else if (!strcmp(flag, "--until-eof")) a->until_eof = true;
        else if (!strcmp(flag, "--allow-shader-errors")) a->allow_shader_errors = true;
        else if (!strcmp(flag, "--gpu-device")) a->gpu_device = true;
        else if (!strcmp(flag, "--frames")) a->frames = (int)parse_number(flag, VALUE(), 0, 100000);
        else if (!strcmp(flag, "--seconds")) a->seconds = parse_number(flag, VALUE(), 0.001, 3600);
        else if (!strcmp(flag, "--timeout")) a->timeout = parse_number(flag, VALUE(), 1, 36000);
        else if (!strcmp(flag, "--opt")) {
            const char *kv = VALUE();
            if (!strchr(kv, '=') || kv[0] == '=')
                usage_error("--opt expects key=value, got '%s'", kv);
            if (a->num_opts == MAX_OPTS)
                usage_error("too many --opt (max %d)", MAX_OPTS);
            a->opts[a->num_opts++] = kv;
        } else if (!strcmp(flag, "--size")) {
            const char *s = VALUE();
            char extra;
            if (sscanf(s, "%dx%d%c", &a->width, &a->height, &extra) != 2 || a->width < 1 ||
                a->height < 1 || a->width > 16384 || a->height > 16384)
                usage_error("--size expects WxH (1..16384), got '%s'", s);
        } else {
            usage_error("unknown argument '%s'", flag);
        }
#undef VALUE
    }
    if (!a->file)
        usage_error("--file is required");
    if (a->script && (a->script[0] != '/' || access(a->script, R_OK) != 0))
        usage_error("--script needs an absolute path to a readable file, got '%s'", a->script);
    if (a->out_rgb && a->out_gray)
        usage_error("use only one of --out-rgb and --out-gray");
    if (a->seconds > 0 && !a->play)
        usage_error("--seconds needs --play");
    if (a->until_eof && !a->play)
        usage_error("--until-eof needs --play");
    if (a->frames < 0)
        a->frames = 1;
    if (a->play && a->frames == 0 && a->seconds <= 0)
        usage_error("--play needs --frames N >= 1 or --seconds S");
    if (a->seconds > 0 && a->seconds + 10 > a->timeout)
        a->timeout = a->seconds + 30;
}

static bool load_gl(gl_fns *gl)
{
#define LOAD(name) \
    if (!(gl->name = (void *)nr_egl_get_proc_address(NULL, "gl" #name))) return false
    LOAD(GenTextures); LOAD(BindTexture); LOAD(TexImage2D); LOAD(TexParameteri);
    LOAD(GenFramebuffers); LOAD(BindFramebuffer); LOAD(FramebufferTexture2D);
    LOAD(CheckFramebufferStatus); LOAD(ReadPixels); LOAD(PixelStorei); LOAD(Finish);
    LOAD(GetError); LOAD(GetString); LOAD(DeleteFramebuffers); LOAD(DeleteTextures);
#undef LOAD
    return true;
}

/* A float render target: mpv writes its final pass here unquantised. */
static bool create_fbo(host *h, int w, int h_)
{
    gl_fns *gl = &h->gl;
    gl->GenTextures(1, &h->tex);
    gl->BindTexture(GL_TEXTURE_2D, h->tex);
    gl->TexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, w, h_, 0, GL_RGBA, GL_FLOAT, NULL);
    gl->TexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    gl->TexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    gl->GenFramebuffers(1, &h->fbo);
    gl->BindFramebuffer(GL_FRAMEBUFFER, h->fbo);
    gl->FramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, h->tex, 0);
    GLenum status = gl->CheckFramebufferStatus(GL_FRAMEBUFFER);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        fail("RGBA32F framebuffer %dx%d incomplete (0x%x)", w, h_, status);
        return false;
    }
    h->fbo_w = w;
    h->fbo_h = h_;
    return true;
}

/* mpv's own words for a user shader it dropped or failed to build. The log
 * is the only place they appear: mpv keeps playing either way. */
static const char *const shader_problem_patterns[] = {
    "compile log (status=0)",   /* GLSL compile error: garbage frame follows */
    "link log (status=0)",
    "Unrecognized command",     /* unknown //! header (e.g. //!PARAM): file dropped */
    "size mismatch",            /* //!TEXTURE data does not match //!SIZE/FORMAT */
    "Failed parsing",
    "Failed to open",
    "Cannot open",
    "failed to load",
    "Error compiling",
    "shader compilation failed",
    NULL,
};

static void note_log_message(host *h, const mpv_event_log_message *m)
{
    if (h->log)
        fprintf(h->log, "[%s] %s: %s", m->prefix, m->level, m->text);
    bool is_error = m->log_level <= MPV_LOG_LEVEL_ERROR;
    bool matches = false;
    for (int i = 0; shader_problem_patterns[i]; i++)
        matches |= strstr(m->text, shader_problem_patterns[i]) != NULL;
    /* Renderer errors are about shaders and textures; other modules'
     * errors are reported by their own events (END_FILE). */
    bool vo_error = is_error && (!strncmp(m->prefix, "vo", 2) ||
                                 !strncmp(m->prefix, "libmpv_render", 13));
    bool script_error = is_error && (strstr(m->text, "Could not load") ||
                                     strstr(m->text, "C plugin error"));
    char *slot = matches ? h->shader_problem : vo_error ? h->renderer_error
               : script_error ? h->script_error : NULL;
    if (slot && !slot[0]) {
        snprintf(slot, sizeof(h->shader_problem), "[%s] %s: %s", m->prefix, m->level, m->text);
        size_t n = strlen(slot);
        if (n && slot[n - 1] == '\n')
            slot[n - 1] = '\0';
    }
}

static bool set_option(mpv_handle *mpv, const char *key, const char *value)
{
    int r = mpv_set_option_string(mpv, key, value);
    if (r < 0)
        fail("mpv option %s=%s: %s", key, value, mpv_error_string(r));
    return r >= 0;
}

static bool start_mpv(host *h)
{
    host_args *a = &h->args;
    h->mpv = mpv_create();
    if (!h->mpv) {
        fail("mpv_create failed");
        return false;
    }
    const char *fixed[][2] = {
        { "config", "no" }, { "vo", "libmpv" }, { "pause", a->play ? "no" : "yes" },
        { "keep-open", "yes" }, { "audio", "no" }, { "dither-depth", "no" },
        { "keepaspect", "no" }, { "framedrop", "no" }, { "input-default-bindings", "no" },
        { "osc", "no" }, { "terminal", "no" }, { "ytdl", "no" }, { "load-scripts", "no" },
        /* no hardware-decoding interop: only probes CUDA/VAAPI and logs */
        { "gpu-hwdec-interop", "no" },
    };
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (!set_option(h->mpv, fixed[i][0], fixed[i][1]))
            return false;
    }
    if (a->shaders && !set_option(h->mpv, "glsl-shaders", a->shaders))
        return false;
    if (a->script && !set_option(h->mpv, "scripts", a->script))
        return false;
    for (int i = 0; i < a->num_opts; i++) {
        char key[256];
        const char *eq = strchr(a->opts[i], '=');
        snprintf(key, sizeof(key), "%.*s", (int)(eq - a->opts[i]), a->opts[i]);
        if (!set_option(h->mpv, key, eq + 1))
            return false;
    }
    int r = mpv_request_log_messages(h->mpv, a->log_level);
    if (r < 0) {
        fail("log level '%s': %s", a->log_level, mpv_error_string(r));
        return false;
    }
    if ((r = mpv_initialize(h->mpv)) < 0) {
        fail("mpv_initialize: %s", mpv_error_string(r));
        return false;
    }
    if (a->until_eof && (r = mpv_observe_property(h->mpv, 0, "eof-reached", MPV_FORMAT_FLAG)) < 0) {
        fail("observe eof-reached: %s", mpv_error_string(r));
        return false;
    }
    mpv_opengl_init_params gl_init = { .get_proc_address = nr_egl_get_proc_address };
    int advanced = 1;
    mpv_render_param params[] = {
        { MPV_RENDER_PARAM_API_TYPE, (void *)MPV_RENDER_API_TYPE_OPENGL },
        { MPV_RENDER_PARAM_OPENGL_INIT_PARAMS, &gl_init },
        /* needed for vo-passes; we keep the render thread responsive by
         * calling mpv_render_context_update in every loop iteration. */
        { MPV_RENDER_PARAM_ADVANCED_CONTROL, &advanced },
        { MPV_RENDER_PARAM_INVALID, NULL },
    };
    if ((r = mpv_render_context_create(&h->render, h->mpv, params)) < 0) {
        fail("mpv_render_context_create: %s", mpv_error_string(r));
        return false;
    }
    const char *cmd[] = { "loadfile", a->file, NULL };
    if ((r = mpv_command(h->mpv, cmd)) < 0) {
        fail("loadfile %s: %s", a->file, mpv_error_string(r));
        return false;
    }
    return true;
}

/* Size of the picture mpv will show: a core property, safe to read
 * blocking from this thread (unlike vo properties). */
static bool video_size(host *h, int *w, int *hh)
{
    int64_t dw = 0, dh = 0;
    if (mpv_get_property(h->mpv, "dwidth", MPV_FORMAT_INT64, &dw) < 0 ||
        mpv_get_property(h->mpv, "dheight", MPV_FORMAT_INT64, &dh) < 0 || dw < 1 || dh < 1)
        return false;
    *w = (int)dw;
    *hh = (int)dh;
    return true;
}

static bool render_frame(host *h)
{
    if (!h->fbo) {
        int w = h->args.width, hh = h->args.height;
        if (!w && !video_size(h, &w, &hh)) {
            fail("cannot read the video size (dwidth/dheight); pass --size");
            return false;
        }
        if (!create_fbo(h, w, hh))
            return false;
    }
    mpv_opengl_fbo target = { .fbo = (int)h->fbo, .w = h->fbo_w, .h = h->fbo_h,
                              .internal_format = GL_RGBA32F };
    int flip = 0;
    mpv_render_param params[] = {
        { MPV_RENDER_PARAM_OPENGL_FBO, &target },
        { MPV_RENDER_PARAM_FLIP_Y, &flip },
        { MPV_RENDER_PARAM_INVALID, NULL },
    };
    double wall0 = now_seconds(), cpu0 = cpu_seconds();
    int r = mpv_render_context_render(h->render, params);
    if (r < 0) {
        fail("mpv_render_context_render: %s", mpv_error_string(r));
        return false;
    }
    h->gl.Finish();
    if (h->frame_times)
        fprintf(h->frame_times, "%d %.3f %.3f\n", h->rendered_total,
                (now_seconds() - wall0) * 1e3, (cpu_seconds() - cpu0) * 1e3);
    h->rendered_total++;
    if (h->restarted)
        h->rendered++;
    return true;
}

/* Handles one event. Returns false on a fatal one. */
static bool handle_event(host *h, mpv_event *ev)
{
    switch (ev->event_id) {
    case MPV_EVENT_LOG_MESSAGE:
        note_log_message(h, ev->data);
        break;
    case MPV_EVENT_PLAYBACK_RESTART:
        h->restarted = true;
        break;
    case MPV_EVENT_PROPERTY_CHANGE: {
        mpv_event_property *prop = ev->data;
        if (!strcmp(prop->name, "eof-reached") && prop->format == MPV_FORMAT_FLAG)
            h->eof = *(int *)prop->data;
        break;
    }
    case MPV_EVENT_END_FILE: {
        mpv_event_end_file *end = ev->data;
        if (end->reason == MPV_END_FILE_REASON_ERROR) {
            fail("mpv could not play %s: %s", h->args.file, mpv_error_string(end->error));
            return false;
        }
        if (!h->restarted) {
            fail("playback of %s ended before the first frame", h->args.file);
            return false;
        }
        break;
    }
    case MPV_EVENT_SHUTDOWN:
        fail("mpv shut down unexpectedly");
        return false;
    case MPV_EVENT_GET_PROPERTY_REPLY: {
        mpv_event_property *prop = ev->data;
        if (ev->error < 0 || prop->format != MPV_FORMAT_NODE) {
            fail("vo-passes: %s", mpv_error_string(ev->error < 0 ? ev->error : MPV_ERROR_PROPERTY_FORMAT));
            return false;
        }
        /* Points into the event: valid until the next mpv_wait_event,
         * read_passes uses it before that. */
        h->passes = *(mpv_node *)prop->data;
        h->have_passes = true;
        break;
    }
    default:
        break;
    }
    return true;
}

/* One round of the loop: an event (waiting at most `wait` s), then a frame
 * if mpv has one. */
static bool pump(host *h, double wait, mpv_event **last_event)
{
    mpv_event *ev = mpv_wait_event(h->mpv, wait);
    if (last_event)
        *last_event = ev;
    if (ev->event_id != MPV_EVENT_NONE && !handle_event(h, ev))
        return false;
    uint64_t flags = mpv_render_context_update(h->render);
    if (flags & MPV_RENDER_UPDATE_FRAME)
        return render_frame(h);
    return true;
}

static bool wait_for_frames(host *h, double deadline)
{
    const host_args *a = &h->args;
    double play_until = 0;
    for (;;) {
        if (now_seconds() > deadline) {
            fail("timed out after %.0f s (%s, %d frame(s) rendered)", a->timeout,
                 h->restarted ? "playing" : "waiting for the first frame", h->rendered);
            return false;
        }
        if (!pump(h, 0.005, NULL))
            return false;
        /* The first frame's update may be handled before the restart event:
         * paused, any rendered frame will do (we redraw afterwards). */
        if (!a->play && h->restarted && h->rendered_total >= 1)
            return true;
        if (!h->restarted || h->rendered < 1)
            continue;
        if (a->seconds > 0) {
            if (!play_until)
                play_until = now_seconds() + a->seconds;
            if (now_seconds() >= play_until && h->rendered >= (a->frames ? a->frames : 1) &&
                (!a->until_eof || h->eof))
                return true;
        } else if (h->rendered >= a->frames && (!a->until_eof || h->eof)) {
            return true;
        }
    }
}

/* vo-passes through the render API: an asynchronous read answered while we
 * keep servicing the render context (a blocking read would wait for this
 * very thread). */
static bool read_passes(host *h, double deadline)
{
    int r = mpv_get_property_async(h->mpv, 1, "vo-passes", MPV_FORMAT_NODE);
    if (r < 0) {
        fail("vo-passes: %s", mpv_error_string(r));
        return false;
    }
    while (now_seconds() < deadline) {
        mpv_event *ev;
        if (!pump(h, 0.005, &ev))
            return false;
        if (ev->event_id == MPV_EVENT_GET_PROPERTY_REPLY) {
            FILE *f = fopen(h->args.passes_path, "w");
            if (!f) {
                fail("%s: cannot create", h->args.passes_path);
                return false;
            }
            nr_node_write_json(f, &h->passes);
            fputc('\n', f);
            bool ok = fclose(f) == 0;
            if (!ok) {
                fail("%s: write failed", h->args.passes_path);
                return false;
            }
            if (nr_vo_passes_print(stdout, &h->passes) == 0)
                fprintf(stderr, "nr-mpv-host: warning: vo-passes lists no passes\n");
            return true;
        }
    }
    fail("timed out waiting for vo-passes");
    return false;
}

static bool write_output(host *h)
{
    const char *path = h->args.out_rgb ? h->args.out_rgb : h->args.out_gray;
    if (!path)
        return true;
    gl_fns *gl = &h->gl;
    /* mpv binds its own framebuffers while rendering. */
    gl->BindFramebuffer(GL_FRAMEBUFFER, h->fbo);
    gl->PixelStorei(GL_PACK_ALIGNMENT, 4);
    size_t n = (size_t)h->fbo_w * h->fbo_h;
    float *rgba = malloc(n * 4 * sizeof(float));
    nr_image img;
    if (!rgba || !nr_image_alloc(&img, h->fbo_w, h->fbo_h, h->args.out_rgb ? 3 : 1)) {
        free(rgba);
        fail("out of memory");
        return false;
    }
    gl->ReadPixels(0, 0, h->fbo_w, h->fbo_h, GL_RGBA, GL_FLOAT, rgba);
    GLenum e = gl->GetError();
    if (e != GL_NO_ERROR) {
        fail("glReadPixels failed (0x%x)", e);
        free(rgba);
        nr_image_free(&img);
        return false;
    }
    /* With FLIP_Y=0 mpv draws the picture's top row at GL row 0, which is
     * also the first row glReadPixels returns. */
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < img.channels; c++)
            img.data[i * img.channels + c] = rgba[i * 4 + c];
    }
    free(rgba);
    char err[512];
    bool ok = nr_pfm_write(path, &img, err, sizeof(err));
    if (!ok)
        fail("%s", err);
    nr_image_free(&img);
    return ok;
}

static void shut_down(host *h)
{
    if (h->render)
        mpv_render_context_free(h->render);
    if (h->mpv)
        mpv_terminate_destroy(h->mpv);
    if (h->fbo)
        h->gl.DeleteFramebuffers(1, &h->fbo);
    if (h->tex)
        h->gl.DeleteTextures(1, &h->tex);
    nr_egl_destroy(h->egl);
    if (h->log)
        fclose(h->log);
}

int main(int argc, char **argv)
{
    host h = { 0 };
    parse_args(argc, argv, &h.args);
    double deadline = now_seconds() + h.args.timeout;
    int status = 1;
    char err[512];

    if (h.args.log_path && !(h.log = fopen(h.args.log_path, "w"))) {
        fail("%s: cannot create", h.args.log_path);
        return 1;
    }
    if (h.args.frame_times_path && !(h.frame_times = fopen(h.args.frame_times_path, "w"))) {
        fail("%s: cannot create", h.args.frame_times_path);
        goto done;
    }
    h.egl = nr_egl_create(h.args.gpu_device, err, sizeof(err));
    if (!h.egl) {
        fail("%s", err);
        goto done;
    }
    if (!load_gl(&h.gl)) {
        fail("missing OpenGL entry points");
        goto done;
    }
    if (h.log)
        fprintf(h.log, "[nr-mpv-host] info: EGL platform %s, GL_RENDERER %s\n",
                nr_egl_platform_name(h.egl), (const char *)h.gl.GetString(GL_RENDERER));
    if (!start_mpv(&h) || !wait_for_frames(&h, deadline))
        goto done;
    /* The first frame after a restart may predate the final video
     * parameters, and the last one of a play the final shader list (a
     * script's switch lands after the frame on screen was drawn, and a still
     * frame is not drawn again by itself): redraw (always at least once)
     * before reading. */
    int redraws = h.args.frames > 0 && !h.args.play ? h.args.frames : 1;
    for (int i = 0; i < redraws; i++) {
        if (!pump(&h, 0, NULL) || !render_frame(&h))
            goto done;
    }
    if (h.args.passes_path && !read_passes(&h, deadline))
        goto done;
    /* drain log messages already queued (compile logs come while rendering) */
    for (int i = 0; i < 1000; i++) {
        mpv_event *ev = mpv_wait_event(h.mpv, 0);
        if (ev->event_id == MPV_EVENT_NONE)
            break;
        if (ev->event_id == MPV_EVENT_LOG_MESSAGE)
            note_log_message(&h, ev->data);
    }
    if (h.script_error[0]) {
        fail("the plugin did not load: %s", h.script_error);
        goto done;
    }
    if (h.shader_problem[0] || h.renderer_error[0]) {
        fprintf(stderr, "nr-mpv-host: user shader problem in mpv's log: %s\n",
                h.shader_problem[0] ? h.shader_problem : h.renderer_error);
        if (!h.args.allow_shader_errors) {
            status = 3;
            goto done;
        }
    }
    if (!write_output(&h))
        goto done;
    status = 0;
done:
    shut_down(&h);
    if (h.frame_times && fclose(h.frame_times) != 0 && status == 0) {
        fail("%s: write failed", h.args.frame_times_path);
        status = 1;
    }
    return status;
}
