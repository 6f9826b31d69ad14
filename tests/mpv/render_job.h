/*
 * One render of a gray Y4M input through a real renderer, with the checks
 * that catch mpv's silent shader failures:
 *  - vo_gpu:   nr-mpv-host (libmpv render API, EGL, float FBO);
 *  - gpu-next: ffmpeg's libplacebo filter on Vulkan (lavapipe), read back as
 *              grayf32le.
 * Both render at exactly the requested size, so a LUMA hook that outputs
 * that size is the final picture (no main scaling after it).
 */
#ifndef NR_RENDER_JOB_H
#define NR_RENDER_JOB_H

#include "image_io.h"
#include "run_process.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum nr_renderer {
    NR_RENDERER_VO_GPU,
    NR_RENDERER_GPU_NEXT,
} nr_renderer;

bool nr_renderer_parse(const char *name, nr_renderer *r);
const char *nr_renderer_name(nr_renderer r);

typedef struct nr_render_job {
    nr_renderer renderer;
    const char *host;         /* nr-mpv-host (vo_gpu only) */
    const char *input;        /* gray Y4M, full range */
    const char *shader;       /* NULL: render without user shader */
    int w, h;                 /* output size */
    const char *prefix;       /* work files: PREFIX.log, .out, .pfm/.raw, .passes.json */
    const char *const *mpv_opts;   /* vo_gpu: extra mpv options key=value */
    int num_mpv_opts;
    const char *placebo_opts; /* gpu-next: extra libplacebo filter options ("upscaler=spline36") */
    double timeout;
    bool rgb;                 /* read back RGB (3 channels) instead of gray: any
                                 input format, the renderer's YCbCr -> RGB */
} nr_render_job;

typedef struct nr_render_result {
    nr_process_result proc;
    char problem[512];        /* first shader-problem line found in the logs */
    int descs_total;          /* //!DESC lines in the shader */
    int descs_seen;           /* of those, passes the renderer reports running */
    char missing_desc[256];   /* first //!DESC not seen */
    nr_image image;           /* gray (or RGB with job->rgb) output; empty if none */
} nr_render_result;

/* Returns false (with a reason) only if the renderer could not be started;
 * everything else is reported in res for the caller to judge. */
bool nr_render_run(const nr_render_job *job, nr_render_result *res, char *err, size_t err_size);
void nr_render_result_free(nr_render_result *res);

/* Scans a log file for the lines mpv / libplacebo print when a user shader
 * is dropped or does not compile. Writes the first into problem. */
bool nr_log_find_shader_problem(const char *path, char *problem, size_t size);

#endif
