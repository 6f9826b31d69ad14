/*
 * libnativeres line enhancement: darkens dark lines (anime lineart) after
 * an upscale, an optional last pass of the hq chain. An upscaled line is a
 * dark core with soft shoulders; the shoulders move toward the core, so
 * the line reads darker and crisper, and the core, already its
 * neighbourhood's minimum, stays as it is.
 *
 * Per pixel, over its 3x3 neighbourhood (edges repeated):
 *   lo, hi   the minimum and maximum of the 9 samples;
 *   m        the mean of the 8 neighbours;
 *   w        smoothstep(NR_LINES_FLAT, NR_LINES_EDGE, hi - lo): 0 where the
 *            neighbourhood is flat (gradients, grain, soft shading), 1 on
 *            lineart;
 *   out      clamp(y - strength * w * max(m - y, 0), lo, hi).
 * Only pixels darker than their neighbours' mean move, and only down: a
 * line's shoulders get darker, the background beside it (lighter than its
 * neighbours' mean) and flat areas stay as they were
 * (exactly, below NR_LINES_FLAT), and the clamp keeps every output inside
 * the local min/max, so no halo or overshoot is ever added.
 */
#ifndef NATIVERES_LINES_H
#define NATIVERES_LINES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NR_LINES_FLAT 0.03    /* local range (hi - lo) below which nothing changes */
#define NR_LINES_EDGE 0.12    /* local range from which the full strength applies */
#define NR_LINES_MAX_STRENGTH 4.0

/* src and dst (w x h, may not overlap), 0 <= strength <= NR_LINES_MAX_STRENGTH.
 * Returns 0, or -1 on bad arguments. */
int nr_lines(const float *src, ptrdiff_t src_stride, int w, int h,
             float *dst, ptrdiff_t dst_stride, double strength);

/* ------------------------------------------------------------------ */
/* GLSL                                                                 */

/* Appends the one-pass line enhancement on `hook` (it replaces the hooked
 * texture's first component) to b (glsl_buf.h). when: //!WHEN, NULL =
 * always. 0, or -1 with a reason. */
struct nr_glsl_buf;
int nr_glsl_lines_write_pass(struct nr_glsl_buf *b, const char *hook, double strength,
                             const char *when, char *err, size_t err_size);

/* A complete shader file: line enhancement on LUMA (meant to follow an
 * upscaler, ours or another). Malloc'd text, or NULL with a reason. */
char *nr_glsl_lines(double strength, const char *file_name, const char *generator,
                    char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
