/*
 * The plugin in real mpv on clips of real Blu-ray frames (issue 11's
 * plugin figure: the right shader within 2 s of a cut, native scenes never
 * get one and say native). Printed, nothing asserted.
 *
 * The clips are real_corpus's (`--clips-only --write-clips`): 4-second
 * shots, a slow pan across a real frame of ../shared played forth and back,
 * upscaled from a known size and kernel or left native, x264 CRF 18-22.
 * Each plays in the mpv CLI (--vo=null: real-time decoding, the plugin
 * grabs frames as in normal playback) with the per-file cache off, so the
 * time to the first shader is the time after a cut (the start of the file;
 * --loops N plays it N times, each loop a seek the plugin sees as one). The
 * observer plugin logs every glsl-shaders change with the wall time since
 * the file started.
 *
 *   bench-plugin-real --plugin P --observer O --corpus REAL_CORPUS
 *                     --shared DIR --work DIR [--loops N] [--reuse]
 *                     [--opts nativeres-KEY=VALUE,...]   (more script-opts)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"

#define DEADLINE 2.0   /* the bound after a cut, seconds */
/* real_corpus --write-clips: a 2 s pan played forth and back twice */
#define CLIP_SECONDS 4.0

static e2e_env env;
static const char *extra_opts = "";

typedef struct clip {
    char file[64], source[64], truth[32], kernel[32];
    int crf;
    double height;     /* 0: native or unknown */
} clip;

typedef struct outcome {
    double first_ours;      /* wall s of the first shader of ours, -1 none */
    double first_height;    /* its native height */
    bool wrong_ever;        /* a shader of ours for another height appeared */
    char last_verdict[32];  /* upscaled / native / unsure / none */
    double last_height;
    int early_frames;       /* frames analysed in the first DEADLINE s */
    int types[3];           /* frames analysed that were I-, P-, B-frames */
    double cpu_s, span_s;   /* analysis CPU (grab + estimate) and the playback */
} outcome;

/* the plugin's verbose "frame pos=... grab-ms=... cpu-ms=..." lines */
static void analysis_figures(const char *out_path, int loops, outcome *o)
{
    o->early_frames = 0;
    o->types[0] = o->types[1] = o->types[2] = 0;
    o->cpu_s = 0;
    o->span_s = CLIP_SECONDS * loops;
    FILE *f = fopen(out_path, "r");
    char line[2048];
    while (f && fgets(line, sizeof(line), f)) {
        const char *fr = strstr(line, "nativeres: frame pos=");
        const char *g = fr ? strstr(fr, "grab-ms=") : NULL;
        const char *c = fr ? strstr(fr, "cpu-ms=") : NULL;
        if (!g || !c)
            continue;
        double pos = atof(fr + strlen("nativeres: frame pos="));
        o->early_frames += pos <= DEADLINE;
        const char *t = strstr(fr, " type=");
        if (t)
            o->types[t[6] == 'I' ? 0 : t[6] == 'P' ? 1 : 2] += t[6] == 'I' || t[6] == 'P' || t[6] == 'B';
        o->cpu_s += (atof(g + 8) + atof(c + 7)) / 1000;
    }
    if (f)
        fclose(f);
}

/* the native height in one of our shader file names: "...-from-720p-..." */
static double shader_height(const char *list)
{
    const char *s = strstr(list, "/nativeres-");
    if (!s)
        s = strstr(list, "nativeres-");
    const char *f = s ? strstr(s, "-from-") : NULL;
    return f ? atof(f + 6) : -1;
}

static bool same_height(double a, double b)
{
    return a > 0 && b > 0 && (a - b < 1.0 && b - a < 1.0);
}

static bool play(const clip *c, int loops, outcome *o)
{
    char log_path[8192], out[8192], path[8192];
    snprintf(log_path, sizeof(log_path), "%s/%s.log", env.work, c->file);
    snprintf(out, sizeof(out), "%s/%s.out", env.work, c->file);
    snprintf(path, sizeof(path), "%s/clips/%s", env.work, c->file);
    int rc = e2e_sh(60 + 8.0 * loops, out,
                    "mpv --no-config --vo=null --no-audio --msg-level=all=v --loop-file=%d "
                    "--script='%s' --script='%s' "
                    "--script-opts='nativeres-cache=no,nativeres-verbose=yes%s%s' "
                    "--log-file='%s' '%s'",
                    loops - 1, env.plugin, env.observer, extra_opts[0] ? "," : "", extra_opts,
                    log_path, path);
    mpv_log log;
    if (rc != 0 || !e2e_read_log(log_path, &log)) {
        fprintf(stderr, "%s: mpv failed (%d), see %s\n", c->file, rc, out);
        return false;
    }
    o->first_ours = -1;
    o->first_height = -1;
    o->wrong_ever = false;
    for (int i = 0; i < log.num_shaders; i++) {
        double h = shader_height(log.shaders[i].list);
        if (h <= 0)
            continue;
        if (o->first_ours < 0) {
            o->first_ours = log.shaders[i].t;
            o->first_height = h;
        }
        if (!same_height(h, c->height))
            o->wrong_ever = true;
    }
    snprintf(o->last_verdict, sizeof(o->last_verdict), "none");
    o->last_height = 0;
    if (log.num_verdicts > 0) {
        const char *v = log.verdicts[log.num_verdicts - 1];
        sscanf(v, "verdict=%31s", o->last_verdict);
        const char *h = strstr(v, "height=");
        o->last_height = h ? atof(h + 7) : 0;
    }
    e2e_free_log(&log);
    analysis_figures(out, loops, o);
    return true;
}

int main(int argc, char **argv)
{
    const char *corpus = NULL, *shared = NULL, *work = NULL;
    int loops = 1;
    bool reuse = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--plugin") && i + 1 < argc)
            env.plugin = argv[++i];
        else if (!strcmp(argv[i], "--observer") && i + 1 < argc)
            env.observer = argv[++i];
        else if (!strcmp(argv[i], "--corpus") && i + 1 < argc)
            corpus = argv[++i];
        else if (!strcmp(argv[i], "--shared") && i + 1 < argc)
            shared = argv[++i];
        else if (!strcmp(argv[i], "--work") && i + 1 < argc)
            work = argv[++i];
        else if (!strcmp(argv[i], "--loops") && i + 1 < argc)
            loops = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--opts") && i + 1 < argc)
            extra_opts = argv[++i];
        else if (!strcmp(argv[i], "--reuse"))
            reuse = true;
        else {
            fprintf(stderr, "bench-plugin-real: unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    if (!env.plugin || !env.observer || !corpus || !shared || !work || loops < 1) {
        fprintf(stderr, "usage: bench-plugin-real --plugin P --observer O --corpus REAL_CORPUS "
                        "--shared DIR --work DIR [--loops N] [--reuse]\n");
        return 2;
    }
    snprintf(env.work, sizeof(env.work), "%s", work);
    char cmd[8192], tsv[8192];
    snprintf(tsv, sizeof(tsv), "%s/clips/clips.tsv", work);
    FILE *f = reuse ? fopen(tsv, "r") : NULL;
    if (!f) {
        /* real_corpus says SKIP (77) without the real frames */
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && rm -rf '%s/clips' && '%s' \"$(command -v "
                 "ffmpeg)\" '%s' --clips-only --write-clips '%s/clips' > '%s/corpus.txt'",
                 work, work, corpus, shared, work, work);
        int rc = system(cmd);
        f = fopen(tsv, "r");
        if (!f) {
            printf("skipped: no real-frame clips (real_corpus exit %d; ../shared absent?)\n",
                   rc);
            return 0;
        }
    }
    clip clips[128];
    int n = 0;
    char line[512];
    while (n < 128 && fgets(line, sizeof(line), f)) {
        clip *c = &clips[n];
        if (sscanf(line, "%63s %63s %31s %31s %d", c->file, c->source, c->truth, c->kernel,
                   &c->crf) != 5)
            continue;
        c->height = atof(c->truth);
        n++;
    }
    fclose(f);

    printf("plugin on real-frame clips: mpv --vo=null, each clip played %d time(s), cache off%s%s\n",
           loops, extra_opts[0] ? ", " : "", extra_opts);
    printf("%-8s %-26s %-22s %4s  %-18s %-8s %-6s %-6s %s\n", "clip", "source", "truth", "crf",
           "first shader", "wrong?", "<2 s", "cpu", "last verdict");
    double cpu_all = 0, span_all = 0;
    int early_all = 0, played = 0, types_all[3] = {0};
    int up = 0, up_fast = 0, up_late = 0, up_wrong = 0, up_none = 0;
    int nat = 0, nat_shader = 0, nat_native = 0, unk = 0, unk_shader = 0, unk_native = 0;
    for (int i = 0; i < n; i++) {
        const clip *c = &clips[i];
        outcome o;
        if (!play(c, loops, &o))
            continue;
        char first[40] = "-", truth[64];
        if (o.first_ours >= 0)
            snprintf(first, sizeof(first), "%.2f s (%gp)", o.first_ours, o.first_height);
        if (c->height > 0)
            snprintf(truth, sizeof(truth), "%g %s", c->height, c->kernel);
        else
            snprintf(truth, sizeof(truth), "%s", c->truth);
        /* frames analysed in the first 2 s; analysis CPU (frames analysed;
         * a settled scene's grabs that only watch for a cut are not
         * logged) as a share of one core over the clip's playback: a 4 s
         * shot after a cut, a film of short scenes */
        char cpu[16] = "-";
        if (o.span_s > 0)
            snprintf(cpu, sizeof(cpu), "%.0f%%", 100 * o.cpu_s / o.span_s);
        printf("%-8.8s %-26.26s %-22.22s %4d  %-18s %-8s %-6d %-6s %s %g\n", c->file, c->source,
               truth, c->crf, first, o.wrong_ever ? "WRONG" : "", o.early_frames, cpu,
               o.last_verdict, o.last_height);
        cpu_all += o.cpu_s;
        span_all += o.span_s;
        early_all += o.early_frames;
        for (int k = 0; k < 3; k++)
            types_all[k] += o.types[k];
        played++;
        if (c->height > 0) {
            up++;
            if (o.wrong_ever)
                up_wrong++;
            else if (o.first_ours < 0)
                up_none++;
            else if (o.first_ours <= DEADLINE)
                up_fast++;
            else
                up_late++;
        } else if (!strcmp(c->truth, "unknown")) {
            unk++;
            unk_shader += o.first_ours >= 0;
            unk_native += !strcmp(o.last_verdict, "native");
        } else {
            nat++;
            nat_shader += o.first_ours >= 0;
            nat_native += !strcmp(o.last_verdict, "native");
        }
    }
    printf("\nupscaled clips %d: right shader within %.0f s %d, later %d, wrong height %d, "
           "none %d\n", up, DEADLINE, up_fast, up_late, up_wrong, up_none);
    printf("native clips %d: got a shader %d, end \"native\" %d\n", nat, nat_shader, nat_native);
    if (played && span_all > 0)
        printf("analysis: %.1f frames in the first %.0f s of a clip on average; its CPU (grab time + "
               "estimate) %.0f%% of one core over the clips' playback\n",
               (double)early_all / played, DEADLINE, 100 * cpu_all / span_all);
    /* the plugin waits (prefer-ref) for I- and P-frames, coded finer */
    printf("frames analysed by picture type: I %d, P %d, B %d\n", types_all[0], types_all[1],
           types_all[2]);
    if (unk)
        printf("unknown clips %d: got a shader %d, end \"native\" %d\n", unk, unk_shader,
               unk_native);
    return 0;
}
