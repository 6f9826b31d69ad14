/* nr-mpv-host runs for the benchmarks: see host_run.h. */
#include "host_run.h"

#include "render_job.h"
#include "run_process.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool host_run_once(const host_run_job *job, host_run_result *res)
{
    memset(res, 0, sizeof(*res));
    char out[4096], log[4096], pfm[4096], json[4096], size[32], frames[16];
    snprintf(out, sizeof(out), "%s.out", job->prefix);
    snprintf(log, sizeof(log), "%s.log", job->prefix);
    snprintf(pfm, sizeof(pfm), "%s.pfm", job->prefix);
    snprintf(json, sizeof(json), "%s.passes.json", job->prefix);
    snprintf(size, sizeof(size), "%dx%d", job->w, job->h);
    snprintf(frames, sizeof(frames), "%d", job->play_frames);
    char *argv[48];
    int n = 0;
    argv[n++] = (char *)job->host;
    argv[n++] = "--file"; argv[n++] = (char *)job->input;
    argv[n++] = "--size"; argv[n++] = size;
    argv[n++] = "--log"; argv[n++] = log;
    argv[n++] = "--timeout"; argv[n++] = "300";
    if (job->play_frames > 0) {
        argv[n++] = "--play"; argv[n++] = "--frames"; argv[n++] = frames;
        argv[n++] = "--opt"; argv[n++] = "loop-file=inf";
        argv[n++] = "--passes"; argv[n++] = json;
    } else {
        argv[n++] = job->rgb ? "--out-rgb" : "--out-gray"; argv[n++] = pfm;
    }
    if (job->shaders) {
        argv[n++] = "--shaders"; argv[n++] = (char *)job->shaders;
    }
    argv[n++] = "--opt"; argv[n++] = "fbo-format=rgba32f";
    for (int i = 0; i < 8 && job->opts[i] && n < 44; i++) {
        argv[n++] = "--opt"; argv[n++] = (char *)job->opts[i];
    }
    argv[n] = NULL;
    nr_process_result pr;
    char problem[512];
    if (!nr_run_process(argv, out, 320, &pr) || !pr.exited || pr.exit_code != 0) {
        fprintf(stderr, "bench: nr-mpv-host failed (exit %d), see %s\n", pr.exit_code, out);
        return false;
    }
    if (nr_log_find_shader_problem(log, problem, sizeof(problem))) {
        fprintf(stderr, "bench: shader problem: %s\n", problem);
        return false;
    }
    if (job->play_frames <= 0) {
        char err[256];
        if (!nr_pfm_read(pfm, &res->image, err, sizeof(err))) {
            fprintf(stderr, "bench: %s\n", err);
            return false;
        }
        return true;
    }
    FILE *f = fopen(out, "r");
    char line[2048];
    while (f && fgets(line, sizeof(line), f) && res->num_passes < HOST_MAX_PASSES) {
        char kind[16], desc[256];
        double median, last;
        int samples;
        if (sscanf(line, "pass\t%15[^\t]\t%lf\t%lf\t%d\t%255[^\n]", kind, &median, &last,
                   &samples, desc) != 5 || strcmp(kind, "fresh"))
            continue;
        host_pass *p = &res->passes[res->num_passes++];
        snprintf(p->desc, sizeof(p->desc), "%s", desc);
        p->median_ms = median;
        p->samples = samples;
    }
    if (f)
        fclose(f);
    return res->num_passes > 0;
}

double host_passes_ms(const host_run_result *res, const char *needle, int *n)
{
    double ms = 0;
    int count = 0;
    for (int i = 0; i < res->num_passes; i++)
        if (strstr(res->passes[i].desc, needle)) {
            ms += res->passes[i].median_ms;
            count++;
        }
    if (n)
        *n = count;
    return ms;
}

void rgb_to_ycbcr_mpv(const nr_image *rgb, float *y, float *cb, float *cr)
{
    for (size_t i = 0; i < (size_t)rgb->w * rgb->h; i++) {
        double r = rgb->data[3 * i], g = rgb->data[3 * i + 1], b = rgb->data[3 * i + 2];
        double l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        y[i] = (float)l;
        cb[i] = (float)((b - l) / 1.8556 + 0.5);
        cr[i] = (float)((r - l) / 1.5748 + 0.5);
    }
}

static void put8(FILE *f, const float *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc((int)lrint(fmin(fmax(p[i], 0), 1) * 255), f);
}

/* chroma as mpv decodes 8-bit full range: value = (code - 128) / 254 */
static void put8_chroma(FILE *f, const float *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc((int)fmin(fmax(lrint(128 + (p[i] - 0.5) * 254), 1), 255), f);
}

bool write_y4m420(const char *path, const float *y, const float *cb, const float *cr,
                  int w, int h, int frames)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    fprintf(f, "YUV4MPEG2 W%d H%d F24:1 Ip A1:1 C420mpeg2 XCOLORRANGE=FULL\n", w, h);
    for (int k = 0; k < frames; k++) {
        fputs("FRAME\n", f);
        put8(f, y, (size_t)w * h);
        put8_chroma(f, cb, (size_t)(w / 2) * (h / 2));
        put8_chroma(f, cr, (size_t)(w / 2) * (h / 2));
    }
    return fclose(f) == 0;
}

bool write_y4m_gray(const char *path, const float *y, int w, int h, int frames)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    fprintf(f, "YUV4MPEG2 W%d H%d F24:1 Ip A1:1 Cmono XCOLORRANGE=FULL\n", w, h);
    for (int k = 0; k < frames; k++) {
        fputs("FRAME\n", f);
        put8(f, y, (size_t)w * h);
    }
    return fclose(f) == 0;
}

static size_t count_nan(const nr_image *im)
{
    size_t n = 0, total = (size_t)im->w * im->h * im->channels;
    for (size_t i = 0; i < total; i++)
        n += isnan(im->data[i]);
    return n;
}

/* llvmpipe now and then renders a whole frame of NaN through mpv's own
 * polar-free scalers (seen with dscale=mitchell and correct-downscaling, a
 * different frame each run): render again rather than score garbage. */
bool host_run(const host_run_job *job, host_run_result *res)
{
    for (int attempt = 1;; attempt++) {
        if (!host_run_once(job, res))
            return false;
        if (job->play_frames > 0)
            return true;
        size_t nan = count_nan(&res->image);
        if (!nan)
            return true;
        fprintf(stderr, "bench: %s: %zu NaN samples in the rendered frame (attempt %d)\n",
                job->prefix, nan, attempt);
        nr_image_free(&res->image);
        if (attempt == 5)
            return false;
    }
}
