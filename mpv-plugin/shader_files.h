/*
 * The shader files the plugin switches in, generated at run time for
 * exactly the scale that was found (any height, fractional, any kernel)
 * with libnativeres' nr_glsl_descale or nr_glsl_rescale, and written once into the shader
 * folder under a name derived from every parameter (so two mpv instances
 * agree on it; files are written to a temporary name and renamed).
 */
#ifndef NP_SHADER_FILES_H
#define NP_SHADER_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "nativeres.h"
#include "nativeres_rescale.h"

typedef enum np_shader_kind {
    NP_SHADER_DESCALE,    /* the descale itself */
    NP_SHADER_RESCALE,    /* the rescale chain (descale, mask, upscale, merge) */
} np_shader_kind;

typedef struct np_shader_spec {
    np_shader_kind kind;
    nr_rescale_preset preset;   /* rescale only */
    bool compare;               /* split screen: source left, our output right */
    double lines;               /* rescale: line enhancement after our upscale, 0 = none */
    bool chroma;                /* rescale: chroma from our restored luma (CHROMA hook) */
    bool chroma_learned;        /*   with its learned residual (nativeres-gen chroma --learned) */
    bool hq_compute;            /* rescale hq: the network as compute passes */
    int hq_ensemble;            /* rescale hq: the self-ensemble's members (1..3) */
    int fit_w, fit_h;           /* rescale at the source size: DPID to this size (the
                                   picture on a smaller screen); 0 = none */
} np_shader_spec;

/* The shader text (malloc'd) or NULL with a reason. */
char *np_shader_text(const nr_scale *s, const np_shader_spec *spec, char *err, size_t err_size);

/* Makes sure the file exists in dir; writes its path. 0 or -1 with a reason. */
int np_shader_file(const char *dir, const nr_scale *s, const np_shader_spec *spec,
                   char *path, size_t path_size, char *err, size_t err_size);

/* Deletes the oldest generated files beyond keep (never `except`). */
void np_shader_prune(const char *dir, int keep, const char *except);

#endif
