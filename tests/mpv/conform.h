/*
 * The shared part of the conformance drivers (nr-mpv-conform, nr-mpv-chroma,
 * nr-rescale-check): their common flags, one checked render through a real
 * renderer, and the comparison of a shader's render with a CPU reference.
 *
 * A good render must exit 0, leave no shader problem in the logs (mpv and
 * libplacebo only log a dropped file or a compile error), run every //!DESC
 * of the shader (but not_run's) and come back at the requested size. The comparison renders
 * the same input again without the shader: that render must fall OUTSIDE
 * the bounds, or the bounds could not tell the shader from the renderer's
 * own scaling.
 */
#ifndef NR_CONFORM_H
#define NR_CONFORM_H

#include "image_io.h"
#include "render_job.h"

#include <stdbool.h>
#include <stddef.h>

#define NR_CONFORM_MAX_MPV_OPTS 8

typedef struct nr_conform {
    const char *prog, *source;        /* for usage messages: name, file to read */
    const char *renderer_name;        /* --renderer as given */
    nr_renderer renderer;             /* set by nr_conform_need_renderer */
    const char *host, *shader, *workdir, *name;
    double max_tol, mean_tol;         /* bounds on |out - ref|, clipped to [0,1] */
    double timeout;                   /* seconds a render may take */
    const char *mpv_opts[NR_CONFORM_MAX_MPV_OPTS];
    int num_mpv_opts;
    const char *not_run;              /* part of the //!DESC of the passes that must not run
                                         (a //!WHEN variant for another screen), or NULL */
} nr_conform;

/* A driver's own flags: returns how many arguments it used (1 for a switch,
 * 2 for a flag and its value, NULL at the end), 0 if the flag is not its. */
typedef int (*nr_conform_flag_fn)(void *ctx, const nr_conform *c, const char *flag,
                                  const char *value);

/* Parses --renderer --host --shader --workdir --name --max --mean --mpv-opt
 * into c (which holds the driver's defaults) and hands every other flag to
 * own. Bad usage exits 2. */
void nr_conform_parse(nr_conform *c, int argc, char **argv, nr_conform_flag_fn own, void *ctx);
_Noreturn void nr_conform_usage(const nr_conform *c, const char *msg, const char *arg);
/* --renderer vo_gpu|gpu-next (with --host for vo_gpu), --shader, --workdir:
 * exits 2 without them; creates the work directory. */
void nr_conform_need_renderer(nr_conform *c);

/* WORKDIR/NAME.RENDERER.SUFFIX */
void nr_conform_path(const nr_conform *c, const char *suffix, char *path, size_t size);

/* One render of input (shader NULL: without) at w x h, gray or RGB; false,
 * with the reason on stderr, unless it passes every check of a good render. */
bool nr_conform_render(const nr_conform *c, const char *input, const char *shader, int w, int h,
                       bool rgb, const char *suffix, nr_render_result *with);

/* Renders input with c->shader and without, compares both with ref (every
 * channel) and prints a RESULT line. True if the shader's render is within
 * the bounds and the plain one is not; with (the shader's render) is left
 * for further checks and must be freed by the caller even on failure. */
bool nr_conform_check(const nr_conform *c, const char *input, const nr_image *ref,
                      nr_render_result *with);

#endif
