/*
 * One render through nr-mpv-host (real mpv, vo_gpu renderer) for the
 * restoration benchmarks: the picture (RGB or gray float) of a still, or
 * the per-pass GPU times (vo-passes medians) of a played clip. A user-shader
 * problem in mpv's log fails the run.
 */
#ifndef NR_BENCH_HOST_RUN_H
#define NR_BENCH_HOST_RUN_H

#include "image_io.h"

#include <stdbool.h>

#define HOST_MAX_PASSES 32

typedef struct host_pass {
    char desc[256];
    double median_ms;
    int samples;
} host_pass;

typedef struct host_run_job {
    const char *host, *input, *shaders;   /* shaders: ':'-separated or NULL */
    const char *opts[8];                  /* mpv options key=value, NULL-terminated */
    int w, h;
    bool rgb;                             /* read back RGB (else gray) */
    int play_frames;                      /* > 0: play that many frames, time passes */
    const char *prefix;                   /* work files PREFIX.{out,log,pfm,json} */
} host_run_job;

typedef struct host_run_result {
    nr_image image;                       /* stills only */
    host_pass passes[HOST_MAX_PASSES];    /* played runs: fresh passes */
    int num_passes;
} host_run_result;

bool host_run(const host_run_job *job, host_run_result *res);

/* Sum of the medians of the passes whose desc contains `needle`; count in *n. */
double host_passes_ms(const host_run_result *res, const char *needle, int *n);

/* RGB -> YCbCr, BT.709, chroma centred on 0.5: the inverse of what mpv
 * renders from write_y4m420's files. */
void rgb_to_ycbcr_mpv(const nr_image *rgb, float *y, float *cb, float *cr);

/* 8-bit 4:2:0 Y4M (C420mpeg2 = left siting, full range), frames copies;
 * chroma coded as mpv decodes full range (code 128 + 254 (c - 0.5)), so
 * the only error of the file is 8-bit rounding. */
bool write_y4m420(const char *path, const float *y, const float *cb, const float *cr,
                  int w, int h, int frames);

/* 8-bit gray Y4M (full range), frames copies. */
bool write_y4m_gray(const char *path, const float *y, int w, int h, int frames);

#endif
