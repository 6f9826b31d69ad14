/*
 * The estimation thread. The plugin thread hands over one grabbed frame at
 * a time and never waits: a newer frame replaces one not yet started, and a
 * finished result is picked up when the plugin thread next looks (the
 * worker calls `wake` so it looks soon). The thread runs at a lower CPU
 * priority than playback.
 */
#ifndef NP_WORKER_H
#define NP_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "nativeres_estimate.h"
#include "nativeres_rescale.h"
#include "options.h"

typedef struct np_job {
    uint64_t generation;          /* file/seek generation, echoed back */
    double pos;                   /* playback position of the frame */
    bool new_scene;               /* the grab started a new scene, echoed back */
    uint64_t scene_serial;        /* the plugin's scene bookkeeping, echoed back */
    int w, h;
    float *luma;                  /* w*h, stride w; malloc'd, owned by the job */
    nr_estimate_opts opts;        /* kernels point into `kernels` */
    bool want_mask;               /* also the credit mask's statistics at mask_scale */
    nr_scale mask_scale;
    nr_kernel kernels[NP_MAX_KERNELS];
} np_job;

typedef struct np_result {
    uint64_t generation;
    double pos;
    bool new_scene;
    uint64_t scene_serial;
    int w, h;
    nr_estimate est;              /* owned: nr_estimate_free */
    int status;                   /* nr_estimate_plane's return */
    bool whole_grid;              /* measured on the whole frame's grid (opts.whole_grid) */
    char err[160];
    double wall_ms, cpu_ms;       /* estimation */
    double mask_fraction;         /* of the source masked (rescale), -1 not computed */
    double mask_ms;
} np_result;

typedef struct np_worker np_worker;

np_worker *np_worker_new(void (*wake)(void *ctx), void *ctx);
/* Takes ownership of job (and job->luma); frees a pending job it replaces. */
void np_worker_submit(np_worker *w, np_job *job);
/* Non-blocking: true and a result (caller frees est) if one is ready. */
bool np_worker_take(np_worker *w, np_result *out);
/* True while a job is pending or running. */
bool np_worker_busy(np_worker *w);
/* Stops after the job in progress, frees everything. */
void np_worker_free(np_worker *w);

void np_job_free(np_job *job);

#endif
