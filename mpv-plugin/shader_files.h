/*
 * The shader files the plugin switches in, generated at run time for
 * exactly the scale that was found (any height, fractional, any kernel)
 * with libnativeres' nr_glsl_descale, and written once into the shader
 * folder under a name derived from every parameter (so two mpv instances
 * agree on it; files are written to a temporary name and renamed).
 */
#ifndef NP_SHADER_FILES_H
#define NP_SHADER_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "nativeres.h"

typedef enum np_shader_kind {
    NP_SHADER_DESCALE,    /* the descale itself */
    NP_SHADER_COMPARE,    /* split screen: original left, descaled right */
} np_shader_kind;

/* The shader text (malloc'd) or NULL with a reason. */
char *np_shader_text(const nr_scale *s, np_shader_kind kind, char *err, size_t err_size);

/* Makes sure the file exists in dir; writes its path. 0 or -1 with a reason. */
int np_shader_file(const char *dir, const nr_scale *s, np_shader_kind kind,
                   char *path, size_t path_size, char *err, size_t err_size);

/* Deletes the oldest generated files beyond keep (never `except`). */
void np_shader_prune(const char *dir, int keep, const char *except);

#endif
