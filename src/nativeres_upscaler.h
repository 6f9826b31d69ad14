/*
 * libnativeres learned upscaler ("hq"): a compact CNN that doubles
 * native-resolution luma (what the descale returns), with a final resample
 * to any output size. The network comes from a readable parameter table
 * (presets/hq-upscaler-vN.txt, written by generator/train/train.py;
 * src/meson.build names the built-in one); this is the CPU reference the
 * generated shaders are tested against.
 *
 * Network: L 3x3 convolutions, ReLU between them, edges replicated (a GPU
 * texture clamps); the last layer has 4 outputs, one per sub-pixel of the
 * 2x grid, to which a linear KxK filter of the input ("skip", 1 -> 4) and
 * the input pixel are added; then a pixel shuffle:
 * out(2x + dx, 2y + dy) = last[s](x, y) + skip[s](x, y) + in(x, y),
 * s = dx + 2 dy.
 *
 * Final resample (nr_upscaler_run, when the output is not exactly 2x):
 * spline36 when enlarging, Catmull-Rom widened by the ratio when shrinking
 * (anti-aliased), weights normalised per axis, taps clamped to the plane;
 * pixel centres at k + 0.5.
 */
#ifndef NATIVERES_UPSCALER_H
#define NATIVERES_UPSCALER_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NR_UPSCALER_MAX_LAYERS 16
#define NR_UPSCALER_MAX_CHANNELS 64

typedef struct nr_upscaler_layer {
    int in, out;        /* channels */
    int relu;           /* 1: ReLU after this layer */
    float *weight;      /* [out][in][3][3] */
    float *bias;        /* [out] */
} nr_upscaler_layer;

typedef struct nr_upscaler {
    int layers;
    nr_upscaler_layer layer[NR_UPSCALER_MAX_LAYERS];
    int skip_size;      /* K, odd */
    float *skip_weight; /* [4][K][K] */
    float skip_bias[4];
    char name[64];      /* from the table's first comment line's file, or "custom" */
} nr_upscaler;

/* Parses a table (the format of presets/hq-upscaler-vN.txt: '#' comments,
 * "nativeres-upscaler 1", "layers L", "output residual-skip-pixelshuffle2",
 * per layer "conv IN OUT relu|none" and OUT rows of 1 + IN*9 numbers, then
 * "skip K" and 4 rows of 1 + K*K numbers).
 * Checks shapes (first layer 1 input, last 4 outputs, chained channels, a
 * multiple of 4 between layers). NULL with a one-line reason on error. */
nr_upscaler *nr_upscaler_parse(const char *text, char *err, size_t err_size);

/* nr_upscaler_parse of a file. */
nr_upscaler *nr_upscaler_load(const char *path, char *err, size_t err_size);

/* The built-in hq table (the one src/meson.build names, compiled in). Owned
 * by the library; never free it. NULL only if out of memory. */
const nr_upscaler *nr_upscaler_builtin(void);

void nr_upscaler_free(nr_upscaler *m);

/* Number of parameters (weights and biases). */
size_t nr_upscaler_params(const nr_upscaler *m);

/* w x h plane -> 2w x 2h plane. 0, or -1 (bad arguments / out of memory). */
int nr_upscaler_run2x(const nr_upscaler *m, const float *src, ptrdiff_t src_stride,
                      int w, int h, float *dst, ptrdiff_t dst_stride);

/* The same network mirrored left-right: every 3x3 and skip filter mirrored,
 * the sub-pixel outputs swapped (s = dx + 2 dy -> (1 - dx) + 2 dy), so that
 * run2x(mirror(m), x) = flip(run2x(m, flip(x))) exactly. NULL if out of
 * memory; free with nr_upscaler_free. */
nr_upscaler *nr_upscaler_mirror(const nr_upscaler *m);

/* The polarity inverse: run2x(invert(m), x) = 1 - run2x(m, 1 - x) exactly
 * (the first layer's weights negated and its biases shifted by their sum,
 * the last layer and the skip filter's bias turned round), so a network that
 * learnt that lines are dark on a light ground sees light lines on dark the
 * same way. NULL if out of memory; free with nr_upscaler_free. */
nr_upscaler *nr_upscaler_invert(const nr_upscaler *m);

/* The self-ensemble (docs/hq.md, "The self-ensemble"): members of m's
 * ensemble of n (1..NR_UPSCALER_MAX_MEMBERS): 1 the network alone; 2 the
 * mirror mean (m and its mirror); 3 the mirror and polarity mean (m, its
 * mirror and the mirror of its polarity inverse). Member k >= 1 as a new
 * table (k = 1 the mirror, k = 2 the mirrored inverse), NULL for a bad k or
 * out of memory. */
#define NR_UPSCALER_MAX_MEMBERS 3
nr_upscaler *nr_upscaler_member(const nr_upscaler *m, int k);

/* An ensemble ready to run: net[0] = m (borrowed), the others built. */
typedef struct nr_upscaler_ensemble {
    int n;
    const nr_upscaler *net[NR_UPSCALER_MAX_MEMBERS];
    nr_upscaler *owned[NR_UPSCALER_MAX_MEMBERS];
} nr_upscaler_ensemble;

/* n members of m's ensemble (0 counts as 1). 0, or -1 (bad n, out of
 * memory: e is then empty). Free with nr_upscaler_ensemble_free. */
int nr_upscaler_ensemble_init(nr_upscaler_ensemble *e, const nr_upscaler *m, int n);
void nr_upscaler_ensemble_free(nr_upscaler_ensemble *e);

/* The n members' run2x (nets[0..n-1], from nr_upscaler_member), averaged
 * sample by sample. 0 or -1. */
int nr_upscaler_run2x_mean(const nr_upscaler *const *nets, int n, const float *src,
                           ptrdiff_t src_stride, int w, int h, float *dst, ptrdiff_t dst_stride);

/* w x h -> out_w x out_h: 2x, then the final resample (above) unless the
 * output is exactly 2w x 2h. */
int nr_upscaler_run(const nr_upscaler *m, const float *src, ptrdiff_t src_stride,
                    int w, int h, float *dst, ptrdiff_t dst_stride, int out_w, int out_h);

/* nr_upscaler_run with an ensemble's mean (nr_upscaler_run2x_mean). */
int nr_upscaler_run_mean(const nr_upscaler *const *nets, int n, const float *src,
                         ptrdiff_t src_stride, int w, int h, float *dst, ptrdiff_t dst_stride,
                         int out_w, int out_h);

/* The final resample alone: in_w x in_h -> out_w x out_h (see above). */
int nr_upscaler_resample(const float *src, ptrdiff_t src_stride, int in_w, int in_h,
                         float *dst, ptrdiff_t dst_stride, int out_w, int out_h);

/* ------------------------------------------------------------------ */
/* The standalone shader: a LUMA hook that doubles the luma plane       */

typedef struct nr_glsl_upscale_opts {
    int in_w, in_h;           /* luma size the shader acts on (//!WHEN); 0 = any size */
    int out_w, out_h;         /* output size; 0 = exactly 2x (mpv scales the rest) */
    const char *file_name;    /* shown in the header's mpv.conf line, or NULL */
    const char *generator;    /* "generated by" program, or NULL (libnativeres) */
    int ensemble;             /* the self-ensemble's size (nr_upscaler_member): 0 or 1
                                 the network alone, 2 the mirror mean, 3 the mirror and
                                 polarity mean; n times the passes and cost */
    bool compute;             /* the layers as compute passes (one per layer; needs
                                 compute shaders: gpu-next, or vo=gpu on GL 4.3+ /
                                 Vulkan); false: fragment passes, run everywhere */
} nr_glsl_upscale_opts;

/* A complete mpv user-shader file running m on the luma plane. malloc'd
 * text, or NULL with a reason in err. */
char *nr_glsl_upscale(const nr_upscaler *m, const nr_glsl_upscale_opts *o,
                      char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
