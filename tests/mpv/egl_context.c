/* Headless EGL context: see egl_context.h. */
#include "egl_context.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EGL_PLATFORM_SURFACELESS_MESA
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#endif

struct nr_egl {
    EGLDisplay dpy;
    EGLContext ctx;
    const char *platform;
};

static bool has_extension(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; p && (p = strstr(p, name)); p += len) {
        bool start_ok = p == list || p[-1] == ' ';
        bool end_ok = p[len] == ' ' || p[len] == '\0';
        if (start_ok && end_ok)
            return true;
    }
    return false;
}

static EGLDisplay surfaceless_display(void)
{
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    const char *client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!get_platform_display || !has_extension(client, "EGL_MESA_platform_surfaceless"))
        return EGL_NO_DISPLAY;
    return get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
}

/* The i-th EGL device's display, EGL_NO_DISPLAY past the last one. On a GPU
 * machine the GPUs come first; Mesa may add a software device after them. */
static EGLDisplay device_display(int index)
{
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    PFNEGLQUERYDEVICESEXTPROC query_devices =
        (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
    if (!get_platform_display || !query_devices)
        return EGL_NO_DISPLAY;
    EGLDeviceEXT devices[16];
    EGLint count = 0;
    if (!query_devices(16, devices, &count) || index >= count)
        return EGL_NO_DISPLAY;
    return get_platform_display(EGL_PLATFORM_DEVICE_EXT, devices[index], NULL);
}

static bool make_context(nr_egl *e, char *err, size_t err_size)
{
    EGLint major, minor;
    if (!eglInitialize(e->dpy, &major, &minor)) {
        snprintf(err, err_size, "eglInitialize failed (0x%x)", eglGetError());
        return false;
    }
    const char *exts = eglQueryString(e->dpy, EGL_EXTENSIONS);
    if (!has_extension(exts, "EGL_KHR_surfaceless_context")) {
        snprintf(err, err_size, "EGL display lacks EGL_KHR_surfaceless_context");
        return false;
    }
    if (!eglBindAPI(EGL_OPENGL_API)) {
        snprintf(err, err_size, "eglBindAPI(EGL_OPENGL_API) failed (0x%x)", eglGetError());
        return false;
    }
    const EGLint config_attribs[] = {
        EGL_SURFACE_TYPE, EGL_PBUFFER_BIT,
        EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
        EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8,
        EGL_NONE,
    };
    EGLConfig config;
    EGLint num_configs = 0;
    /* Some device platforms list no pbuffer configs; a config-less context
     * (EGL_KHR_no_config_context) is fine since we never make a surface. */
    EGLConfig chosen = EGL_NO_CONFIG_KHR;
    if (eglChooseConfig(e->dpy, config_attribs, &config, 1, &num_configs) && num_configs > 0)
        chosen = config;
    else if (!has_extension(exts, "EGL_KHR_no_config_context")) {
        snprintf(err, err_size, "no EGL config with EGL_PBUFFER_BIT and EGL_OPENGL_BIT");
        return false;
    }
    const EGLint ctx_attribs[] = {
        EGL_CONTEXT_MAJOR_VERSION, 3,
        EGL_CONTEXT_MINOR_VERSION, 3,
        EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
        EGL_NONE,
    };
    e->ctx = eglCreateContext(e->dpy, chosen, EGL_NO_CONTEXT, ctx_attribs);
    if (e->ctx == EGL_NO_CONTEXT) {
        snprintf(err, err_size, "eglCreateContext (GL 3.3 core) failed (0x%x)", eglGetError());
        return false;
    }
    if (!eglMakeCurrent(e->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, e->ctx)) {
        snprintf(err, err_size, "eglMakeCurrent without surface failed (0x%x)", eglGetError());
        return false;
    }
    return true;
}

/* Tries one display; on failure leaves the reason in err and returns NULL. */
static nr_egl *try_display(EGLDisplay dpy, const char *platform, char *err, size_t err_size)
{
    if (dpy == EGL_NO_DISPLAY) {
        snprintf(err, err_size, "not available");
        return NULL;
    }
    nr_egl *e = calloc(1, sizeof(*e));
    if (!e) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    e->dpy = dpy;
    e->platform = platform;
    if (make_context(e, err, err_size))
        return e;
    nr_egl_destroy(e);
    return NULL;
}

static nr_egl *try_surfaceless(char *err, size_t err_size)
{
    return try_display(surfaceless_display(), "surfaceless", err, err_size);
}

static nr_egl *try_devices(char *err, size_t err_size)
{
    snprintf(err, err_size, "no EGL device");
    for (int i = 0; i < 16; i++) {
        EGLDisplay dpy = device_display(i);
        if (dpy == EGL_NO_DISPLAY)
            break;
        nr_egl *e = try_display(dpy, "device", err, err_size);
        if (e)
            return e;
    }
    return NULL;
}

nr_egl *nr_egl_create(bool prefer_device, char *err, size_t err_size)
{
    char first[256], second[256];
    nr_egl *(*attempts[2])(char *, size_t) = { try_surfaceless, try_devices };
    const char *names[2] = { "surfaceless", "device" };
    if (prefer_device) {
        attempts[0] = try_devices; attempts[1] = try_surfaceless;
        names[0] = "device"; names[1] = "surfaceless";
    }
    nr_egl *e = attempts[0](first, sizeof(first));
    if (!e)
        e = attempts[1](second, sizeof(second));
    if (!e)
        snprintf(err, err_size, "no headless EGL context: %s: %s; %s: %s",
                 names[0], first, names[1], second);
    return e;
}

void nr_egl_destroy(nr_egl *e)
{
    if (!e)
        return;
    if (e->dpy != EGL_NO_DISPLAY) {
        eglMakeCurrent(e->dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        if (e->ctx != EGL_NO_CONTEXT)
            eglDestroyContext(e->dpy, e->ctx);
        eglTerminate(e->dpy);
    }
    free(e);
}

const char *nr_egl_platform_name(const nr_egl *e)
{
    return e->platform;
}

void *nr_egl_get_proc_address(void *ctx, const char *name)
{
    (void)ctx;
    return (void *)eglGetProcAddress(name);
}
