/*
 * Classifies mpv's log lines about shaders that did not run. The texts are
 * mpv's and libplacebo's (mpv 0.35 / libplacebo 4.208, checked in
 * test_plugin_parts.c and, on an OpenGL without compute shaders, in the
 * plugin's "compute-refused" scenario); only error lines of the video
 * output (or libmpv's renderer) count, so a user's script or a message at
 * another level never moves the plugin.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "render_errors.h"

static bool contains_nocase(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *s = text; *s; s++) {
        size_t i = 0;
        while (i < n && s[i] && tolower((unsigned char)s[i]) == tolower((unsigned char)word[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

np_render_error np_render_error_of(const char *prefix, const char *level, const char *text)
{
    /* the video output ("vo/gpu/opengl", "vo/gpu-next/libplacebo"), or the
     * render API's renderer where an application draws (libmpv) */
    if (!prefix || !level || !text ||
        (strncmp(prefix, "vo/", 3) != 0 && strcmp(prefix, "libmpv_render") != 0))
        return NP_RENDER_NONE;
    if (strcmp(level, "error") != 0 && strcmp(level, "fatal") != 0)
        return NP_RENDER_NONE;
    /* a failed shader's source follows its header line by line ("[ 12]
     * code"): the code is anybody's words, the header says what failed */
    const char *t = text;
    if (*t == '[') {
        t++;
        while (*t == ' ')
            t++;
        if (isdigit((unsigned char)*t)) {
            while (isdigit((unsigned char)*t))
                t++;
            if (*t == ']')
                return NP_RENDER_NONE;
        }
    }
    /* vo_gpu: "compute shader source:" (the dump of one that failed),
     * "after dispatching compute shader: OpenGL error ..."; gpu-next:
     * "Failed dispatching COMPUTE shader" */
    if (contains_nocase(text, "compute"))
        return NP_RENDER_COMPUTE_FAILED;
    /* vo_gpu: "shader compile log (status=0)", "shader link log
     * (status=0)", "... shader source:"; gpu-next: "Failed executing hook,
     * disabling", "Failed compiling ...", "Failed creating ..." */
    static const char *const failed[] = {
        "status=0", "shader source", "failed executing hook", "failed compiling",
        "failed creating", "failed dispatching", "shader compil",
    };
    for (size_t i = 0; i < sizeof(failed) / sizeof(failed[0]); i++) {
        if (contains_nocase(text, failed[i]))
            return NP_RENDER_SHADER_FAILED;
    }
    return NP_RENDER_NONE;
}
