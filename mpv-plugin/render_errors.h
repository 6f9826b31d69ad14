/*
 * What mpv's renderer says about the shaders it runs. mpv reports a pass it
 * cannot run only in its log (vo_gpu: a compile or link error and the source;
 * gpu-next: "Failed dispatching COMPUTE shader", then the hook is disabled)
 * and goes on drawing: the picture is wrong and nothing else tells. The
 * plugin reads mpv's error lines through this and falls back (hq's compute
 * passes -> fragment passes) or says what failed.
 */
#ifndef NP_RENDER_ERRORS_H
#define NP_RENDER_ERRORS_H

typedef enum np_render_error {
    NP_RENDER_NONE,             /* not the renderer, or not about a shader */
    NP_RENDER_COMPUTE_FAILED,   /* a compute pass did not compile or dispatch:
                                 * the GPU or its API has no compute shaders */
    NP_RENDER_SHADER_FAILED,    /* some pass did not compile, link or run */
} np_render_error;

/* One log message as mpv hands it to a client (mpv_event_log_message's
 * prefix, level and text; any of them may be NULL). */
np_render_error np_render_error_of(const char *prefix, const char *level, const char *text);

#endif
