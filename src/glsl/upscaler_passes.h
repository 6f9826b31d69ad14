/*
 * The learned upscaler's shader passes (nativeres_upscaler.h), written into
 * any hook chain: the standalone `nativeres-gen upscale` file and the
 * rescale chain's hq preset both call nr_glsl_upscaler_write.
 *
 * Passes (F = features, L = layers): layer 1 reads the native luma and
 * writes F/4 vec4 textures; each middle layer reads F/4 and writes F/4;
 * the last layer writes the 4 sub-pixel values (plus the input pixel);
 * the final pass shuffles them to the 2x grid, resampling to the output
 * size on the way when that is not 2x. L = 4, F = 8: 8 passes.
 */
#ifndef NR_GLSL_UPSCALER_PASSES_H
#define NR_GLSL_UPSCALER_PASSES_H

#include "glsl_buf.h"
#include "nativeres_upscaler.h"

typedef struct nr_upscaler_chain {
    const char *hook;      /* hooked texture, e.g. "LUMA" */
    const char *input;     /* texture with the native luma: "HOOKED" or a SAVEd name */
    bool input_hi_lo;      /* the input holds each value as .x + .y (a hi/lo pair that
                              keeps float precision in 16-bit textures), else .x */
    const char *prefix;    /* unique prefix for the saved textures, e.g. "NR_HQ_1a2b3c4d" */
    const char *when;      /* //!WHEN of every pass, or NULL */
    /* Output size: NULL/NULL = exactly 2x the input; otherwise RPN expressions
     * for //!WIDTH / //!HEIGHT ("1920", "OUTPUT.w") and the same size as a
     * GLSL vec2 expression the final pass can read ("vec2(1920.0, 1080.0)",
     * "target_size"). */
    const char *out_w, *out_h;
    const char *out_size_glsl;
    /* Largest shrink (2x size / output size) the final pass must handle:
     * it sets the resample's tap radius (ceil(2 * max(1, shrink))). */
    double max_shrink;
    const char *save;      /* NULL: the final pass replaces the hooked texture */
    const char *desc;      /* words after "nativeres hq" in every //!DESC, or NULL */
    bool compute;          /* one compute pass per layer (upscaler_compute.c) instead of
                              one fragment pass per 4 outputs; needs compute shaders */
    /* The self-ensemble (net[0] = m): every member's layers, and the final
     * pass takes their mean; NULL = m alone. */
    const nr_upscaler_ensemble *ensemble;
} nr_upscaler_chain;

/* How many passes nr_glsl_upscaler_write writes for m. */
int nr_upscaler_pass_count(const nr_upscaler *m, bool compute);

/* Appends the passes; 0, or -1 if the chain description is unusable. */
int nr_glsl_upscaler_write(nr_glsl_buf *b, const nr_upscaler *m, const nr_upscaler_chain *c);

/* The convolution layers as compute passes, the last one saving the 4
 * sub-pixels as `sub`, textures named from prefix, tag after "nativeres hq"
 * in //!DESC; *pass counts the passes, passes = the file's count. */
int nr_glsl_upscaler_compute_layers(nr_glsl_buf *b, const nr_upscaler *m,
                                    const nr_upscaler_chain *c, const char *prefix,
                                    const char *tag, const char *sub, int *pass, int passes);

/* Writes `acc += bias; acc += w_t * <tap>` over m's K x K skip filter (K
 * odd); put_tap writes the input sample at offset (dx, dy), as the form
 * reads it (a texture, a shared-memory tile). */
typedef void (*nr_upscaler_tap_fn)(nr_glsl_buf *b, int dx, int dy, const void *ctx);
void nr_glsl_upscaler_skip_filter(nr_glsl_buf *b, const nr_upscaler *m, const char *acc,
                                  nr_upscaler_tap_fn put_tap, const void *ctx);

/* FNV-1a of the weights: a stable name for the model's textures. */
unsigned nr_upscaler_hash(const nr_upscaler *m);

#endif
