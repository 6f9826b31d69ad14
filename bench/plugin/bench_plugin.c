/*
 * Plugin figures, printed (no asserts), each against a baseline measured in
 * the same run:
 *  - time from file load to our shader in glsl-shaders on a 1080p clip
 *    (detection, then with the per-file cache);
 *  - CPU time per minute of playback added by the plugin (mpv --vo=null
 *    with and without it, same clip);
 *  - peak memory (max RSS) added to mpv.
 *
 *   bench-plugin --plugin P --observer O --synth S --work DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e_util.h"

#define RUNS 3

typedef struct figures {
    double latency, cpu, wall;
    long rss_kb;
} figures;

static e2e_env env;

static int by_value(const void *a, const void *b)
{
    double d = *(const double *)a - *(const double *)b;
    return d < 0 ? -1 : d > 0;
}

static bool run(const char *name, const char *clip, bool plugin, bool cache, figures *f)
{
    char log_path[8192], out[8192];
    snprintf(log_path, sizeof(log_path), "%s/%s.log", env.work, name);
    snprintf(out, sizeof(out), "%s/%s.out", env.work, name);
    int rc = e2e_sh(300, out,
                    "mpv --no-config --vo=null --no-audio --msg-level=all=error %s%s%s "
                    "--script='%s' --script-opts='nativeres-cache-dir=%s/cache,nativeres-cache=%s' "
                    "--log-file='%s' '%s'",
                    plugin ? "--script='" : "", plugin ? env.plugin : "", plugin ? "'" : "",
                    env.observer, env.work, cache ? "yes" : "no", log_path, clip);
    mpv_log log;
    if (rc != 0 || !e2e_read_log(log_path, &log)) {
        fprintf(stderr, "%s: mpv failed (%d), see %s\n", name, rc, out);
        return false;
    }
    memset(f, 0, sizeof(*f));
    f->latency = -1;
    const char *s = strstr(log.text, "observer: switch-latency=");
    if (s)
        sscanf(s, "observer: switch-latency=%lf", &f->latency);
    s = strstr(log.text, "observer: cpu-seconds=");
    if (s)
        sscanf(s, "observer: cpu-seconds=%lf wall-seconds=%lf max-rss-kb=%ld", &f->cpu, &f->wall,
               &f->rss_kb);
    e2e_free_log(&log);
    return s != NULL;
}

int main(int argc, char **argv)
{
    const char *work = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--plugin")) env.plugin = argv[i + 1];
        else if (!strcmp(argv[i], "--observer")) env.observer = argv[i + 1];
        else if (!strcmp(argv[i], "--synth")) env.synth = argv[i + 1];
        else if (!strcmp(argv[i], "--work")) work = argv[i + 1];
    }
    if (!env.plugin || !env.observer || !env.synth || !work) {
        fprintf(stderr, "bench-plugin: missing arguments\n");
        return 2;
    }
    snprintf(env.work, sizeof(env.work), "%s/bench", work);
    mkdir(work, 0755);
    mkdir(env.work, 0755);
    /* 12 s of 1080p at 8 fps, upscaled from 720p with bilinear */
    const char *clip = e2e_clip(&env, "bench-1080p-720-bilinear", 8,
                                "--native 720 --kernel bilinear --frames 96 --seed 21");
    if (!clip)
        return 1;
    char path[8192];
    snprintf(path, sizeof(path), "%s", clip);

    double lat_detect[RUNS], lat_cache[RUNS], cpu_base[RUNS], cpu_plug[RUNS];
    double rss_base[RUNS], rss_plug[RUNS], wall = 0;
    for (int r = 0; r < RUNS; r++) {
        figures base, det, cached;
        char cmd[8300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s/cache'", env.work);
        e2e_sh(30, "/dev/null", "%s", cmd);
        if (!run("baseline", path, false, false, &base) ||
            !run("detect", path, true, true, &det) ||
            !run("cached", path, true, true, &cached))
            return 1;
        lat_detect[r] = det.latency;
        lat_cache[r] = cached.latency;
        cpu_base[r] = base.cpu;
        cpu_plug[r] = det.cpu;
        rss_base[r] = base.rss_kb;
        rss_plug[r] = det.rss_kb;
        wall = base.wall;
    }
    qsort(lat_detect, RUNS, sizeof(double), by_value);
    qsort(lat_cache, RUNS, sizeof(double), by_value);
    qsort(cpu_base, RUNS, sizeof(double), by_value);
    qsort(cpu_plug, RUNS, sizeof(double), by_value);
    qsort(rss_base, RUNS, sizeof(double), by_value);
    qsort(rss_plug, RUNS, sizeof(double), by_value);
    int m = RUNS / 2;
    double per_min = 60.0 / (wall > 0 ? wall : 12);
    printf("plugin benchmark: 1920x1080 clip upscaled from 1280x720 (bilinear), 12 s at 8 fps, "
           "mpv --vo=null, median of %d runs\n", RUNS);
    printf("  load -> shader switched, detection:   %.3f s (min %.3f, max %.3f)\n",
           lat_detect[m], lat_detect[0], lat_detect[RUNS - 1]);
    printf("  load -> shader switched, cached:      %.3f s\n", lat_cache[m]);
    printf("  mpv CPU, no plugin (baseline):        %.2f s per minute of playback\n",
           cpu_base[m] * per_min);
    printf("  mpv CPU, with plugin:                 %.2f s per minute of playback\n",
           cpu_plug[m] * per_min);
    printf("  added by the plugin:                  %.2f s CPU per minute (%.1f%% of one core, "
           "x%.2f of baseline)\n", (cpu_plug[m] - cpu_base[m]) * per_min,
           (cpu_plug[m] - cpu_base[m]) * per_min / 60 * 100,
           cpu_base[m] > 0 ? cpu_plug[m] / cpu_base[m] : 0);
    printf("  peak memory: baseline %.1f MiB, with plugin %.1f MiB, added %.1f MiB\n",
           rss_base[m] / 1024, rss_plug[m] / 1024, (rss_plug[m] - rss_base[m]) / 1024);
    return 0;
}
