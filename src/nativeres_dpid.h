/*
 * libnativeres DPID: "Rapid, Detail-Preserving Image Downscaling" (Weber,
 * Waechter, Amend, Guthe, Goesele, SIGGRAPH Asia 2016), single channel.
 *
 *  1. guide G: the input box-downscaled to the output size (area coverage),
 *     then smoothed with the 3x3 kernel [1 2 1]^T [1 2 1] / 16 (the paper's
 *     approximate Gaussian K_p; edges repeated);
 *  2. output pixel p = sum_q c(q) w(q) I(q) / sum_q c(q) w(q) over the input
 *     pixels q of p's footprint [p*s, (p+1)*s), c(q) the area of q inside the
 *     footprint (fractional footprints), w(q) = (|I(q) - G(p)| / Vmax)^lambda
 *     (Vmax = 1 for one channel in [0,1]); where every weight is 0 (a flat
 *     footprint) the box average.
 * lambda = 0 is a box (area) downscale; larger lambda favours the pixels
 * that differ most from their surroundings: thin lines and small details
 * survive the downscale instead of being averaged away (the paper uses
 * 0.5 and 1).
 */
#ifndef NATIVERES_DPID_H
#define NATIVERES_DPID_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NR_DPID_DEFAULT_LAMBDA 1.0

/* src (sw x sh) -> dst (dw x dh), 1 <= dw <= sw, 1 <= dh <= sh,
 * 0 <= lambda <= 16. Returns 0, or -1 on bad arguments / no memory. */
int nr_dpid(const float *src, ptrdiff_t src_stride, int sw, int sh,
            float *dst, ptrdiff_t dst_stride, int dw, int dh, double lambda);

/* ------------------------------------------------------------------ */
/* GLSL: a two-pass DPID in mpv's hook format                           */

/* Where the passes go. The standalone shader hooks LUMA and replaces it;
 * a chain (e.g. rescale's masked fallback, source -> native size) can
 * write the passes into its own file, reading `src` and saving the result
 * under `save`. */
typedef struct nr_dpid_passes {
    const char *hook;       /* hook point, e.g. "LUMA" */
    const char *src;        /* texture to downscale: "HOOKED" or an earlier SAVE */
    int src_w, src_h;       /* its size */
    int dst_w, dst_h;       /* output size */
    double lambda;
    const char *save;       /* NULL: the result replaces the hooked texture */
    const char *guide_name; /* name for the intermediate guide texture (unique per file) */
    const char *when;       /* //!WHEN of both passes; NULL = always */
} nr_dpid_passes;

/* Appends the two passes (guide, then the weighted average) to b, a
 * nr_glsl_buf (glsl_buf.h; declared opaque here). 0, or -1 with a reason. */
struct nr_glsl_buf;
int nr_glsl_dpid_write_passes(struct nr_glsl_buf *b, const nr_dpid_passes *d,
                              char *err, size_t err_size);

/* A complete shader file: LUMA of exactly src_w x src_h (//!WHEN) becomes
 * dst_w x dst_h by DPID. Malloc'd text, or NULL with a reason in err.
 * file_name / generator only appear in the header comment (NULL: generic). */
char *nr_glsl_dpid(int src_w, int src_h, int dst_w, int dst_h, double lambda,
                   const char *file_name, const char *generator,
                   char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
