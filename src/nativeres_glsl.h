/*
 * libnativeres GLSL writers: complete mpv user-shader files (the hook
 * format of mpv's video/out/gpu/user_shaders.c) generated from a scale.
 * Works for vo=gpu and vo=gpu-next on mpv 0.35+: constants are baked (no
 * //!PARAM), weight rows are //!TEXTURE data read with texelFetch.
 */
#ifndef NATIVERES_GLSL_H
#define NATIVERES_GLSL_H

#include "nativeres.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nr_glsl_opts {
    double tolerance;   /* weight-table truncation (nr_weights_build); default NR_GLSL_DEFAULT_TOLERANCE */
} nr_glsl_opts;

#define NR_GLSL_DEFAULT_TOLERANCE 1e-4

void nr_glsl_opts_default(nr_glsl_opts *o);

/* A LUMA hook that turns full_w x full_h luma into native_w x native_h luma
 * (least-squares inverse of s), active only on frames of exactly
 * full_w x full_h (//!WHEN). Returns a malloc'd NUL-terminated file, or
 * NULL with a reason in err. */
char *nr_glsl_descale(const nr_scale *s, const nr_glsl_opts *o,
                      char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
