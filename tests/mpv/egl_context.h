/*
 * A headless OpenGL context for the libmpv render API: no window, no X.
 * Tries Mesa's surfaceless platform first (llvmpipe on CPU-only machines,
 * or the GPU driver behind Mesa), then the first EGL device
 * (EGL_EXT_platform_device: e.g. the NVIDIA EGL vendor). The context is made
 * current with no surface (EGL_KHR_surfaceless_context); callers render into
 * their own FBO.
 */
#ifndef NR_EGL_CONTEXT_H
#define NR_EGL_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct nr_egl nr_egl;

/* prefer_device: try the device platform before the surfaceless one (for a
 * real GPU). Returns NULL with a one-line reason in err on failure. */
nr_egl *nr_egl_create(bool prefer_device, char *err, size_t err_size);
void nr_egl_destroy(nr_egl *e);

/* Which platform was used, and the GL_RENDERER string (for logs). */
const char *nr_egl_platform_name(const nr_egl *e);

/* For MPV_RENDER_PARAM_OPENGL_INIT_PARAMS. */
void *nr_egl_get_proc_address(void *ctx, const char *name);

#endif
