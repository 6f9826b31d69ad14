/* Estimation thread with a one-slot mailbox each way; see worker.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

struct np_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool quit;
    bool running;             /* a job is being processed */
    np_job *pending;
    np_result result;
    bool have_result;
    void (*wake)(void *ctx);
    void *wake_ctx;
};

void np_job_free(np_job *job)
{
    if (!job)
        return;
    free(job->luma);
    free(job);
}

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void run_job(const np_job *job, np_result *r)
{
    memset(r, 0, sizeof(*r));
    r->generation = job->generation;
    r->pos = job->pos;
    r->new_scene = job->new_scene;
    r->scene_serial = job->scene_serial;
    r->whole_grid = job->opts.whole_grid;
    r->w = job->w;
    r->h = job->h;
    double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
    nr_estimate_opts opts = job->opts;
    if (opts.kernels)
        opts.kernels = job->kernels;
    opts.crop_grid_only = true;   /* the scene pool takes one grid */
    r->status = nr_estimate_plane(job->luma, job->w, job->w, job->h, &opts, &r->est,
                                  r->err, sizeof(r->err));
    r->wall_ms = now_ms(CLOCK_MONOTONIC) - t0;
    r->cpu_ms = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
    r->mask_fraction = -1;
    if (job->want_mask && job->mask_scale.full_w == job->w && job->mask_scale.full_h == job->h) {
        /* the chain's own mask on this frame, for the info page */
        nr_rescale_mask_opts mo = {NR_RESCALE_DEFAULT_THRESHOLD, NR_RESCALE_DEFAULT_GROW,
                                   NR_RESCALE_DEFAULT_FEATHER};
        double f, m0 = now_ms(CLOCK_MONOTONIC);
        if (nr_rescale_mask(&job->mask_scale, &mo, job->luma, job->w, NULL, NULL, NULL, &f) == 0)
            r->mask_fraction = f;
        r->mask_ms = now_ms(CLOCK_MONOTONIC) - m0;
    }
}

static void *worker_main(void *arg)
{
    np_worker *w = arg;
    /* Detection may lag a little; playback must not: yield the CPU. */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->quit && !w->pending)
            pthread_cond_wait(&w->cond, &w->lock);
        if (w->quit)
            break;
        np_job *job = w->pending;
        w->pending = NULL;
        w->running = true;
        pthread_mutex_unlock(&w->lock);

        np_result r;
        run_job(job, &r);
        np_job_free(job);

        pthread_mutex_lock(&w->lock);
        w->running = false;
        if (w->have_result)  /* est is zeroed on failure, so freeing is safe */
            nr_estimate_free(&w->result.est);   /* an unread older result */
        w->result = r;
        w->have_result = true;
        if (w->wake)
            w->wake(w->wake_ctx);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

np_worker *np_worker_new(void (*wake)(void *ctx), void *ctx)
{
    np_worker *w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    w->wake = wake;
    w->wake_ctx = ctx;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w)) {
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void np_worker_submit(np_worker *w, np_job *job)
{
    pthread_mutex_lock(&w->lock);
    np_job *old = w->pending;
    if (old && old->new_scene)
        job->new_scene = true;   /* the dropped frame opened the scene */
    w->pending = job;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    np_job_free(old);
}

bool np_worker_take(np_worker *w, np_result *out)
{
    pthread_mutex_lock(&w->lock);
    bool have = w->have_result;
    if (have) {
        *out = w->result;
        w->have_result = false;
    }
    pthread_mutex_unlock(&w->lock);
    return have;
}

bool np_worker_busy(np_worker *w)
{
    pthread_mutex_lock(&w->lock);
    bool busy = w->running || w->pending;
    pthread_mutex_unlock(&w->lock);
    return busy;
}

void np_worker_free(np_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->quit = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    np_job_free(w->pending);
    if (w->have_result)  /* est is zeroed on failure, so freeing is safe */
        nr_estimate_free(&w->result.est);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
