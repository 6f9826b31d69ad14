/*
 * observer.so: a second C plugin the tests load next to nativeres.so. It
 * watches from the outside what the plugin does and prints it into mpv's
 * log (print-text, so the lines read "observer: ..."):
 *   observer: shaders t=WALL pos=POS list=A|B|C     on every glsl-shaders change
 *   observer: switch-latency=S                      first time one of ours appears
 *                                                   (wall seconds since start-file)
 *   observer: cpu-seconds=C wall-seconds=W max-rss-kb=R   at shutdown (whole process)
 * and drives mpv from script-opts (all optional):
 *   observer-at=T1@CMD1;T2@CMD2    run mpv commands (command strings) at
 *                                  playback positions, once each; "+T@CMD":
 *                                  T seconds of playback after one of ours
 *                                  first appeared in glsl-shaders (a slow
 *                                  renderer delays the decision)
 *   observer-settle=yes            an action after nativeres/toggle or
 *                                  /compare waits for the shader switch
 *                                  (3 s at most)
 *   observer-stress=N              N cycles of loadfile / seek / stop on
 *                                  observer-file, then quit
 *   observer-file=PATH             file for the stress cycles
 *   observer-quit-after=S          quit S wall seconds after the first file loaded
 *   observer-quit-idle=S           quit S wall seconds after mpv went idle (with
 *                                  --idle=yes: the end of the playlist, after
 *                                  every file's end was handled)
 *   observer-screenshot-at=PATH    with observer-at, "screenshot" writes here
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <mpv/client.h>

#define MAX_ACTIONS 16

typedef struct action {
    double pos;
    int after_ours;   /* pos counts from ours_pos */
    char cmd[512];
    int done;
} action;

typedef struct observer {
    mpv_handle *h;
    double t0, start_file;
    int seen_ours;
    double ours_pos;   /* time-pos when one of ours first appeared; < 0: not yet */
    action actions[MAX_ACTIONS];
    int num_actions;
    int stress_left, stress_total, stress_phase;
    char file[4096];
    double quit_after, loaded_at;
    int settle;                     /* observer-settle=yes */
    double await_shaders;           /* wall time until which actions wait for a shader switch */
    double quit_idle, idle_since;   /* idle_since: wall time idle-active went on, 0 */
} observer;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void say(observer *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(observer *o, const char *fmt, ...)
{
    char msg[8192];
    int n = snprintf(msg, sizeof(msg), "observer: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    const char *cmd[] = {"print-text", msg, NULL};
    mpv_command(o->h, cmd);
}

static const char *opt(mpv_node *so, const char *key)
{
    if (so->format != MPV_FORMAT_NODE_MAP)
        return NULL;
    for (int i = 0; i < so->u.list->num; i++) {
        if (!strcmp(so->u.list->keys[i], key) &&
            so->u.list->values[i].format == MPV_FORMAT_STRING)
            return so->u.list->values[i].u.string;
    }
    return NULL;
}

static void read_opts(observer *o)
{
    mpv_node so;
    if (mpv_get_property(o->h, "script-opts", MPV_FORMAT_NODE, &so) < 0)
        return;
    const char *v;
    if ((v = opt(&so, "observer-at"))) {
        char buf[8192];
        snprintf(buf, sizeof(buf), "%s", v);
        for (char *save = NULL, *tok = strtok_r(buf, ";", &save);
             tok && o->num_actions < MAX_ACTIONS; tok = strtok_r(NULL, ";", &save)) {
            char *at = strchr(tok, '@');
            if (!at)
                continue;
            *at = '\0';
            action *a = &o->actions[o->num_actions++];
            a->after_ours = tok[0] == '+';
            a->pos = atof(tok);
            snprintf(a->cmd, sizeof(a->cmd), "%s", at + 1);
        }
    }
    if ((v = opt(&so, "observer-stress")))
        o->stress_left = o->stress_total = atoi(v);
    if ((v = opt(&so, "observer-file")))
        snprintf(o->file, sizeof(o->file), "%s", v);
    if ((v = opt(&so, "observer-quit-after")))
        o->quit_after = atof(v);
    if ((v = opt(&so, "observer-settle")))
        o->settle = !strcmp(v, "yes");
    if ((v = opt(&so, "observer-quit-idle")))
        o->quit_idle = atof(v);
    mpv_free_node_contents(&so);
}

static void report_shaders(observer *o, mpv_node *list)
{
    char buf[8192] = "";
    size_t n = 0;
    int ours = 0;
    if (list->format == MPV_FORMAT_NODE_ARRAY) {
        for (int i = 0; i < list->u.list->num; i++) {
            mpv_node *e = &list->u.list->values[i];
            if (e->format != MPV_FORMAT_STRING)
                continue;
            n += snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, "%s%s",
                          i ? "|" : "", e->u.string);
            if (strstr(e->u.string, "/nativeres-"))
                ours = 1;
        }
    }
    double pos;
    if (mpv_get_property(o->h, "time-pos", MPV_FORMAT_DOUBLE, &pos) < 0)
        pos = -1;
    say(o, "shaders t=%.3f pos=%.3f list=%s", now_s() - o->t0, pos, buf);
    if (ours && !o->seen_ours && o->start_file > 0) {
        o->seen_ours = 1;
        o->ours_pos = pos < 0 ? 0 : pos;
        say(o, "switch-latency=%.3f", now_s() - o->start_file);
    }
}

static void run_actions(observer *o)
{
    double pos;
    if (mpv_get_property(o->h, "time-pos", MPV_FORMAT_DOUBLE, &pos) < 0)
        return;
    for (int i = 0; i < o->num_actions; i++) {
        action *a = &o->actions[i];
        if (a->after_ours && o->ours_pos < 0)
            continue;
        if (a->done || pos < a->pos + (a->after_ours ? o->ours_pos : 0))
            continue;
        if (now_s() < o->await_shaders)
            return;
        a->done = 1;
        say(o, "action pos=%.3f cmd=%s", pos, a->cmd);
        int r = mpv_command_string(o->h, a->cmd);
        /* another client's synchronous command (this one) can take mpv's
         * core between the plugin's screenshot-sw=yes and its restore
         * (README, Limits): a window screenshot then fails, and a user
         * would press the key again. Said in the log, so a test sees how
         * often. */
        if (r < 0 && !strncmp(a->cmd, "screenshot", 10)) {
            say(o, "screenshot failed (%s), once more", mpv_error_string(r));
            /* after the grab: it holds the setting for tens of ms, but on a
             * loaded machine the next grab can start at once; up to three
             * more tries, 0.3 / 0.6 / 1.2 s apart */
            for (int t = 0; t < 3 && r < 0; t++) {
                struct timespec pause = {0, (300L << t) * 1000 * 1000};
                if (pause.tv_nsec >= 1000000000L) {
                    pause.tv_sec = pause.tv_nsec / 1000000000L;
                    pause.tv_nsec %= 1000000000L;
                }
                nanosleep(&pause, NULL);
                r = mpv_command_string(o->h, a->cmd);
            }
            if (r < 0)
                say(o, "screenshot failed again (%s)", mpv_error_string(r));
        }
        /* observer-settle: the plugin switches shaders on its own thread,
         * so the next action (a screenshot, say) waits for the switch, 3 s
         * at most: a loaded machine cannot reorder the two */
        if (o->settle &&
            (strstr(a->cmd, "nativeres/toggle") || strstr(a->cmd, "nativeres/compare"))) {
            o->await_shaders = now_s() + 3;
            return;
        }
    }
}

/* One stress cycle: load the file; when it is loaded, seek; when the seek
 * is done (or fails), stop; when it has ended, the next cycle. */
static void stress_step(observer *o, mpv_event_id ev)
{
    if (o->stress_total == 0)
        return;
    if (ev == MPV_EVENT_FILE_LOADED && o->stress_phase == 1) {
        o->stress_phase = 2;
        const char *cmd[] = {"seek", "50", "absolute-percent", NULL};
        mpv_command_async(o->h, 0, cmd);
    } else if (ev == MPV_EVENT_PLAYBACK_RESTART && o->stress_phase == 2) {
        o->stress_phase = 3;
        /* every third cycle stops at once, the others let the plugin grab */
        if (o->stress_left % 3) {
            const char *cmd[] = {"stop", NULL};
            mpv_command_async(o->h, 0, cmd);
        } else {
            const char *cmd[] = {"set", "pause", "no", NULL};
            mpv_command_async(o->h, 0, cmd);
            o->stress_phase = 4;
        }
    } else if (ev == MPV_EVENT_END_FILE || o->stress_phase == 0) {
        if (o->stress_phase == 1 || o->stress_phase == 2)
            return;   /* end of a previous file, ours is loading */
        if (o->stress_left == 0) {
            say(o, "stress done cycles=%d", o->stress_total);
            const char *cmd[] = {"quit", NULL};
            mpv_command_async(o->h, 0, cmd);
            o->stress_total = 0;
            return;
        }
        o->stress_left--;
        o->stress_phase = 1;
        const char *cmd[] = {"loadfile", o->file, "replace", NULL};
        mpv_command_async(o->h, 0, cmd);
    }
}

static double cpu_seconds(long *max_rss_kb)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *max_rss_kb = ru.ru_maxrss;
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

__attribute__((visibility("default")))
int mpv_open_cplugin(mpv_handle *h)
{
    observer o = {.h = h, .t0 = now_s(), .ours_pos = -1};
    read_opts(&o);
    mpv_observe_property(h, 0, "glsl-shaders", MPV_FORMAT_NODE);
    mpv_observe_property(h, 0, "idle-active", MPV_FORMAT_FLAG);
    double stress_at = 0;
    for (;;) {
        mpv_event *ev = mpv_wait_event(h, 0.05);
        if (ev->event_id == MPV_EVENT_SHUTDOWN)
            break;
        if (ev->event_id == MPV_EVENT_START_FILE)
            o.start_file = now_s(), o.seen_ours = 0, o.ours_pos = -1;
        if (ev->event_id == MPV_EVENT_FILE_LOADED && o.loaded_at == 0)
            o.loaded_at = now_s();
        if (ev->event_id == MPV_EVENT_PROPERTY_CHANGE) {
            mpv_event_property *pr = ev->data;
            if (!strcmp(pr->name, "glsl-shaders") && pr->format == MPV_FORMAT_NODE) {
                report_shaders(&o, pr->data);
                o.await_shaders = 0;
            }
            if (!strcmp(pr->name, "idle-active") && pr->format == MPV_FORMAT_FLAG)
                o.idle_since = *(int *)pr->data && o.loaded_at > 0 ? now_s() : 0;
        }
        if (o.stress_total) {
            if (o.stress_phase == 4 && stress_at == 0)
                stress_at = now_s();
            /* play until the plugin's shader is in (it decided: the
             * estimate, the shader switch and the cache ran) or 3 s went
             * by, so the work done does not hinge on the machine's speed */
            double played = now_s() - stress_at;
            if (o.stress_phase == 4 && ((o.seen_ours && played > 0.3) || played > 3.0)) {
                stress_at = 0;
                o.stress_phase = 3;
                const char *cmd[] = {"stop", NULL};
                mpv_command_async(h, 0, cmd);
            }
            stress_step(&o, ev->event_id);
        }
        run_actions(&o);
        if (o.quit_after > 0 && o.loaded_at > 0 && now_s() - o.loaded_at > o.quit_after) {
            const char *cmd[] = {"quit", NULL};
            mpv_command_async(h, 0, cmd);
            o.quit_after = 0;
        }
        if (o.quit_idle > 0 && o.idle_since > 0 && now_s() - o.idle_since > o.quit_idle) {
            say(&o, "idle: quitting");
            const char *cmd[] = {"quit", NULL};
            mpv_command_async(h, 0, cmd);
            o.quit_idle = 0;
        }
    }
    long rss = 0;
    double cpu = cpu_seconds(&rss);
    say(&o, "cpu-seconds=%.3f wall-seconds=%.3f max-rss-kb=%ld", cpu, now_s() - o.t0, rss);
    return 0;
}
