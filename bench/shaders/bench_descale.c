/*
 * bench-descale-shaders: GPU time per frame of the descale passes in real
 * mpv (vo_gpu through nr-mpv-host), 1920x1080 -> 1280x720, next to two
 * baselines measured in the same run:
 *  - a copy-only single-pass LUMA shader that outputs 1280x720 (the floor
 *    of any one-pass luma hook at that size);
 *  - mpv's own downscaler (no user shader, dscale=bilinear / spline36).
 * Times come from mpv's `vo-passes` while playing (fresh frames): the median
 * of each pass's samples, as llvmpipe's timer averages are noisy. Prints
 * numbers and ratios; asserts nothing.
 *
 * Usage:
 *   bench-descale-shaders --host nr-mpv-host --input IN.pgm --workdir DIR
 *       --copy COPY.glsl KERNEL=SHADER.glsl ... [--frames N]
 * Environment: NR_BENCH_FRAMES (frames rendered per configuration, default
 * 24); NR_MPV_GPU=1 makes the host use a real GPU (EGL device platform).
 */
#include "image_io.h"
#include "run_process.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CONFIGS 16

typedef struct config {
    char label[64];
    const char *shader;       /* NULL: no user shader */
    const char *opts[4];      /* mpv options */
    const char *measure;      /* prefix of the pass descs that count ("" = see below) */
    double ms;                /* sum of the medians of the measured passes */
    double frame_ms;          /* sum of the medians of all fresh passes */
    int passes;
    bool ok;
} config;

static void usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "bench-descale-shaders: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

/* True for the passes of a no-shader run that do the scaling. */
static bool is_mpv_scaler_pass(const char *desc)
{
    return !strstr(desc, "upload") && !strstr(desc, "osd") && !strstr(desc, "combining planes");
}

static bool run_config(config *c, const char *host, const char *input, const char *workdir,
                       int frames)
{
    char out[4096], passes[4096], log[4096], frames_s[16];
    snprintf(out, sizeof(out), "%s/%s.out", workdir, c->label);
    snprintf(log, sizeof(log), "%s/%s.log", workdir, c->label);
    snprintf(passes, sizeof(passes), "%s/%s.passes.json", workdir, c->label);
    snprintf(frames_s, sizeof(frames_s), "%d", frames);
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)host;
    argv[n++] = "--file"; argv[n++] = (char *)input;
    argv[n++] = "--size"; argv[n++] = "1280x720";
    argv[n++] = "--play"; argv[n++] = "--frames"; argv[n++] = frames_s;
    argv[n++] = "--opt"; argv[n++] = "loop-file=inf";
    argv[n++] = "--passes"; argv[n++] = passes;
    argv[n++] = "--log"; argv[n++] = log;
    argv[n++] = "--timeout"; argv[n++] = "300";
    if (c->shader) {
        argv[n++] = "--shaders"; argv[n++] = (char *)c->shader;
    }
    for (int i = 0; i < 4 && c->opts[i]; i++) {
        argv[n++] = "--opt"; argv[n++] = (char *)c->opts[i];
    }
    argv[n] = NULL;
    nr_process_result res;
    if (!nr_run_process(argv, out, 320, &res) || !res.exited || res.exit_code != 0) {
        fprintf(stderr, "bench-descale-shaders: %s: nr-mpv-host failed, see %s\n", c->label, out);
        return false;
    }
    static bool renderer_shown;
    FILE *f = renderer_shown ? NULL : fopen(log, "r");
    char line[2048];
    while (f && fgets(line, sizeof(line), f)) {
        if (strstr(line, "[nr-mpv-host]") && strstr(line, "GL_RENDERER")) {
            printf("%s", strstr(line, "EGL") ? strstr(line, "EGL") : line);
            renderer_shown = true;
            break;
        }
    }
    if (f)
        fclose(f);
    f = fopen(out, "r");
    if (!f)
        return false;
    while (fgets(line, sizeof(line), f)) {
        /* pass<TAB>fresh|redraw<TAB>median_ms<TAB>last_ms<TAB>samples<TAB>desc */
        char kind[16], desc[1024];
        double median, last;
        int samples;
        if (sscanf(line, "pass\t%15[^\t]\t%lf\t%lf\t%d\t%1023[^\n]", kind, &median, &last,
                   &samples, desc) != 5 || strcmp(kind, "fresh"))
            continue;
        c->frame_ms += median;
        bool counts = c->measure[0] ? strstr(desc, c->measure) != NULL : is_mpv_scaler_pass(desc);
        if (counts && samples == 0) {
            fprintf(stderr, "bench-descale-shaders: %s: no timing samples for '%s' "
                            "(raise NR_BENCH_FRAMES)\n", c->label, desc);
            fclose(f);
            return false;
        }
        if (counts) {
            c->ms += median;
            c->passes++;
            printf("  %-14s %8.3f ms  (%d samples)  %s\n", c->label, median, samples, desc);
        }
    }
    fclose(f);
    if (c->passes == 0) {
        fprintf(stderr, "bench-descale-shaders: %s: no measured pass in vo-passes\n", c->label);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    const char *host = NULL, *input = NULL, *workdir = NULL, *copy = NULL;
    const char *env_frames = getenv("NR_BENCH_FRAMES");
    int frames = env_frames ? atoi(env_frames) : 24;
    config configs[MAX_CONFIGS];
    int num = 0;
    memset(configs, 0, sizeof(configs));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "--host") && has_value) host = argv[++i];
        else if (!strcmp(a, "--input") && has_value) input = argv[++i];
        else if (!strcmp(a, "--workdir") && has_value) workdir = argv[++i];
        else if (!strcmp(a, "--copy") && has_value) copy = argv[++i];
        else if (!strcmp(a, "--frames") && has_value) frames = atoi(argv[++i]);
        else if (strchr(a, '=') && a[0] != '-' && num < MAX_CONFIGS - 3) {
            config *c = &configs[num++];
            snprintf(c->label, sizeof(c->label), "%.*s", (int)(strchr(a, '=') - a), a);
            c->shader = strchr(a, '=') + 1;
            c->measure = "user shader: nativeres descale";
        } else {
            usage_error("bad argument", a);
        }
    }
    if (!host || !input || !workdir || !copy || num == 0)
        usage_error("need --host, --input, --workdir, --copy and KERNEL=SHADER", NULL);
    if (frames < 12 || frames > 10000)
        usage_error("frames must be in 12..10000 (vo-passes needs a few to report samples)", NULL);
    configs[num++] = (config){ .label = "copy-pass", .shader = copy,
                               .measure = "user shader: nativeres bench copy" };
    configs[num++] = (config){ .label = "mpv-bilinear", .measure = "",
                               .opts = { "scale=bilinear", "dscale=bilinear" } };
    configs[num++] = (config){ .label = "mpv-spline36", .measure = "",
                               .opts = { "scale=spline36", "dscale=spline36" } };

    mkdir(workdir, 0755);
    char err[256], y4m[4096];
    nr_image img;
    snprintf(y4m, sizeof(y4m), "%s/bench-1080p.y4m", workdir);
    if (!nr_pgm_read(input, &img, err, sizeof(err)) ||
        !nr_y4m_gray_write(y4m, &img, 8, 255, 8, err, sizeof(err))) {
        fprintf(stderr, "bench-descale-shaders: %s\n", err);
        return 1;
    }
    nr_image_free(&img);

    const char *gpu = getenv("NR_MPV_GPU");
    printf("descale 1920x1080 -> 1280x720 in mpv vo_gpu (libmpv, %s), %d frames per "
           "configuration, median of vo-passes samples\n",
           gpu && *gpu && strcmp(gpu, "0") ? "EGL device first: NR_MPV_GPU" : "EGL surfaceless",
           frames);
    for (int i = 0; i < num; i++)
        configs[i].ok = run_config(&configs[i], host, y4m, workdir, frames);

    const config *copy_c = &configs[num - 3], *bil = &configs[num - 2], *spl = &configs[num - 1];
    printf("\n%-14s %10s %7s %12s %10s %14s %14s\n", "config", "ms/frame", "passes",
           "frame total", "x copy", "x mpv bilinear", "x mpv spline36");
    for (int i = 0; i < num; i++) {
        const config *c = &configs[i];
        if (!c->ok) {
            printf("%-14s %10s\n", c->label, "failed");
            continue;
        }
        printf("%-14s %10.3f %7d %12.3f", c->label, c->ms, c->passes, c->frame_ms);
        const config *bases[3] = { copy_c, bil, spl };
        for (int b = 0; b < 3; b++) {
            if (bases[b]->ok && bases[b]->ms > 0)
                printf(" %*.2f", b == 0 ? 10 : 14, c->ms / bases[b]->ms);
            else
                printf(" %*s", b == 0 ? 10 : 14, "-");
        }
        printf("\n");
    }
    printf("ms/frame: the measured passes (descale passes / the copy pass / mpv's scaling\n"
           "passes); frame total: every fresh pass. On llvmpipe a GL timer query can book\n"
           "a pass's work to a later pass, so tiny single-pass figures are unreliable;\n"
           "compare frame totals too.\n");
    return 0;
}
