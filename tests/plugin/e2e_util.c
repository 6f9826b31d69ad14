/* See e2e_util.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_util.h"
#include "read_text.h"
#include "run_process.h"

int e2e_failures;

int e2e_sh(double timeout, const char *out_path, const char *fmt, ...)
{
    char cmd[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    nr_process_result res;
    if (!nr_run_process(argv, out_path, timeout, &res)) {
        fprintf(stderr, "cannot run: %s\n", cmd);
        return -1;
    }
    if (!res.exited || res.timed_out) {
        fprintf(stderr, "%s after %.1f s: %s\n", res.timed_out ? "timed out" : "killed",
                res.seconds, cmd);
        return -1;
    }
    return res.exit_code;
}

const char *e2e_clip(const e2e_env *env, const char *name, double fps, const char *synth_args)
{
    static char path[8192];
    char tmp[8192], out[8192];
    snprintf(path, sizeof(path), "%s/../clip-%s.mkv", env->work, name);
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size > 0)
        return path;
    if (snprintf(tmp, sizeof(tmp), "%s.tmp%d.mkv", path, (int)getpid()) >= (int)sizeof(tmp))
        return NULL;
    snprintf(out, sizeof(out), "%s/clip-%s.txt", env->work, name);
    int rc = e2e_sh(300, out,
                    "set -e; '%s' %s --format y4m -o - | "
                    "ffmpeg -nostdin -loglevel error -y -f yuv4mpegpipe -r %g -i - "
                    "-c:v ffv1 '%s' && mv '%s' '%s'",
                    env->synth, synth_args, fps, tmp, tmp, path);
    if (rc != 0) {
        fprintf(stderr, "clip %s: generation failed (see %s)\n", name, out);
        unlink(tmp);
        return NULL;
    }
    return path;
}

bool e2e_read_log(const char *path, mpv_log *log)
{
    memset(log, 0, sizeof(*log));
    log->text = nr_read_text(path);
    if (!log->text) {
        fprintf(stderr, "cannot read log %s\n", path);
        return false;
    }
    for (char *line = log->text; line && *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[4096];
        snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1), line);
        char *v = strstr(buf, "nativeres: verdict=");
        if (v && log->num_verdicts < MAX_LINES)
            snprintf(log->verdicts[log->num_verdicts++], 256, "%s", v + strlen("nativeres: "));
        if (strstr(buf, "nativeres: warning:"))
            log->warnings++;
        char *s = strstr(buf, "observer: shaders ");
        if (s && log->num_shaders < MAX_LINES) {
            shader_event *e = &log->shaders[log->num_shaders];
            char *l = strstr(s, "list=");
            if (sscanf(s, "observer: shaders t=%lf pos=%lf", &e->t, &e->pos) == 2 && l) {
                snprintf(e->list, sizeof(e->list), "%s", l + 5);
                log->num_shaders++;
            }
        }
        line = end ? end + 1 : NULL;
    }
    return true;
}

void e2e_free_log(mpv_log *log)
{
    free(log->text);
    log->text = NULL;
}

int e2e_first_with(const mpv_log *log, const char *needle)
{
    for (int i = 0; i < log->num_shaders; i++) {
        if (strstr(log->shaders[i].list, needle))
            return i;
    }
    return -1;
}

int e2e_count(const mpv_log *log, const char *needle)
{
    int n = 0;
    for (const char *s = log->text; (s = strstr(s, needle)); s++)
        n++;
    return n;
}
