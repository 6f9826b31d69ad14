/*
 * libnativeres rescale: descale, a credit / error mask, our own upscale and
 * a merge, as one chain. This header holds the chain's parameters, its
 * presets and the CPU reference; nativeres_glsl.h writes it as an mpv
 * shader (nr_glsl_rescale).
 *
 * The chain, on the luma plane S (full_w x full_h) of a scale s:
 *   1. x = descale(S) (native_w x native_h), as nr_descale;
 *   2. mask: R = nr_upscale(x) (the studio's forward operator) clipped to
 *      [0,1] as the studio stored it, e = |S - R|;
 *      m0 = clamp((e - threshold/2) / (threshold/2), 0, 1) (0 below half the
 *      threshold, 1 at the threshold); pooled by max into mask cells of
 *      2x2 native pixels; grown by `grow` and feathered over `feather`
 *      source pixels (a separable max of m0 times a weight that is 1 up to
 *      the grow distance and falls linearly to 0 over the feather); seeds
 *      (the same soft threshold at twice the levels, pooled alike, grown
 *      flat 2 cells further) cap it: mask = min(grown m0, grown seed); read
 *      at any pixel by bilinear interpolation between cell centres;
 *   3. upscale: balanced upscales x to the output size with the preset's
 *      upscaler (a separable kernel with an anti-ringing clamp, see
 *      nr_rescale_upscaler); hq, on a screen larger than the source,
 *      doubles x with the learned upscaler (nativeres_upscaler.h), then
 *      resamples to the output size (spline36; Catmull-Rom widened when
 *      shrinking),
 *      and at the source size runs balanced's upscaler (the network loses
 *      there on real frames; with hq_dpid: the learned 2x and DPID to the
 *      source size); fast keeps x at the native size;
 *   4. merge: out = mix(restored, source, m), the source resampled to the
 *      output grid (Catmull-Rom; exact at the source size) for balanced /
 *      hq, or downscaled to the native grid (a triangle filter as wide as
 *      the scale ratio) for fast.
 * Output size: fast -> native; balanced / hq -> the source size, or the
 * screen (mpv's OUTPUT) when that is larger on an axis.
 */
#ifndef NATIVERES_RESCALE_H
#define NATIVERES_RESCALE_H

#include "nativeres.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nr_rescale_preset {
    NR_RESCALE_FAST,       /* descale; masked areas get a downscale of the source; native size out */
    NR_RESCALE_BALANCED,   /* descale, our upscaler, merge: source / screen size out */
    NR_RESCALE_HQ,         /* as balanced with the learned 2x upscaler */
} nr_rescale_preset;

/* "fast", "balanced", "hq" (case-insensitive). */
bool nr_rescale_preset_parse(const char *name, nr_rescale_preset *p);
const char *nr_rescale_preset_name(nr_rescale_preset p);

/* Mask parameters. Defaults (NR_RESCALE_DEFAULT_*): threshold 0.06 on
 * [0,1] luma, grow 8 and feather 4 source pixels. Hysteresis: errors at the
 * threshold count only within reach of a seed, an error at twice the
 * threshold (see rescale_internal.h), so an encode's scattered errors
 * around lineart mostly stay unmasked while text (far above) is masked
 * with its faint edges. With seeds (CPU reference, bench-rescale's frames,
 * 720p bilinear + x264 crf 18): balanced 37.49 -> 38.49 dB on
 * kimetsunoyaiba (descale + spline36 38.13), masked share 1.7% -> 0.03%;
 * credits 810p catrom text p99 3.16 -> 0.26/255 with grow 8 (3.69 with
 * grow 6). Earlier measurements, without seeds: Measured (synthetic
 * 1080p frames, tests/rescale and bench/rescale): 8-bit rounding of a clean
 * upscale masks nothing; x264 crf 18 of a 720p bilinear upscale masks 7.5%
 * of the frame at threshold 0.04, 0.9% at 0.06, 0.1% at 0.08; glyph rows
 * drawn at 1080p over 720p bilinear / 810p catrom / 873p mitchell upscales
 * keep their text region within p99 0.9/255 of the source at 0.06 / grow 6,
 * but 3-9/255 with grow 4 (the outline's outer edge escapes). */
typedef struct nr_rescale_mask_opts {
    double threshold;   /* |S - R| at which the mask is fully set; (0, 1] */
    double grow;        /* source pixels of full mask around a detection; [0, 64] */
    double feather;     /* source pixels over which it then falls to 0; [0, 64] */
} nr_rescale_mask_opts;

#define NR_RESCALE_DEFAULT_THRESHOLD 0.06
#define NR_RESCALE_DEFAULT_GROW 8.0
#define NR_RESCALE_DEFAULT_FEATHER 4.0

/* An upscaler of the balanced kind: kernel K (separable, normalised, the
 * plane's border repeated), then per axis an anti-ringing clamp: the value
 * moves by `antiring` (0..1) of the way to [min, max] of the two input
 * samples around it. sigmoid: the kernel works on nr_rescale_sigmoidize(x)
 * (x linearised by BT.1886 on a 1000:1 display, clipped to [0,1], then
 * the sigmoid) and the result goes back through nr_rescale_unsigmoidize:
 * libplacebo's sigmoidal upscaling (centre 0.75, slope 6.5, on linear
 * light as it makes it); it bends overshoot next to lineart back in
 * instead of clipping it. */
typedef struct nr_rescale_upscaler {
    nr_kernel kernel;
    double antiring;
    bool sigmoid;
} nr_rescale_upscaler;

#define NR_RESCALE_SIGMOID_CENTER 0.75
#define NR_RESCALE_SIGMOID_SLOPE 6.5
/* the transfer libplacebo linearises SDR video with before the sigmoid:
 * BT.1886 for a display of 1000:1 contrast, L = a (V + b)^2.4 with L 1/1000
 * at V = 0 and 1 at V = 1 */
#define NR_RESCALE_SIGMOID_GAMMA 2.4
#define NR_RESCALE_DISPLAY_BLACK 0.001

double nr_rescale_sigmoidize(double x);    /* x: the plane's (gamma) value */
double nr_rescale_unsigmoidize(double y);

/* A preset as the table presets/rescale-presets.txt describes it. */
typedef struct nr_rescale_preset_info {
    nr_rescale_preset preset;
    const char *name;
    bool native_output;          /* fast: output stays at the native size */
    nr_rescale_upscaler upscaler; /* unused when native_output or learned */
    bool learned;                /* hq: the learned 2x upscaler (nativeres_upscaler.h's
                                    built-in table), then the step to the output size */
    const char *upscaler_name;   /* e.g. "lanczos3" */
    const char *summary;         /* one line for listings */
} nr_rescale_preset_info;

const nr_rescale_preset_info *nr_rescale_preset_get(nr_rescale_preset p);

typedef struct nr_rescale_opts {
    nr_rescale_preset preset;
    nr_rescale_mask_opts mask;
    double tolerance;    /* descale weight truncation (shader only); default 1e-4 */
    /* hq only: the step from the learned 2x grid to the source size by DPID
     * (nativeres_dpid.h, lambda 1) instead of Catmull-Rom, where the output is
     * the source size, at most 2x native and the window the whole plane.
     * Default off: measured on the synthetic credits frames (720p bilinear,
     * 810p catrom, 873p mitchell) picture PSNR -0.05 / +0.03 / +0.06 dB against
     * Catmull-Rom, but the text region's p99 rises (810p: 2.55 -> 5.60/255), as
     * DPID favours the pixels that differ from their surroundings. */
    bool hq_dpid;
    /* hq only: the network's layers as compute passes, one per layer (3x
     * cheaper than the fragment form on lavapipe; docs/hq.md). Needs compute
     * shaders: gpu-next or vo=gpu on Vulkan, or on OpenGL 4.3+. Default off:
     * fragment passes run on every renderer. */
    bool hq_compute;
    /* hq only: the self-ensemble's size (nr_upscaler_member): 0 or 1 the
     * network alone (the default), 2 the mirror mean, 3 the mirror and
     * polarity mean; n times the network's passes and cost (docs/hq.md, "The
     * self-ensemble"). The plugin runs 3 with compute passes, where the three
     * cost about 0.8x ArtCNN C4F16. */
    int hq_ensemble;
    /* Optional, shader header comment only (as nr_glsl_opts). */
    const char *file_name;
    const char *generator;
} nr_rescale_opts;

/* Balanced preset, default mask, default tolerance. */
void nr_rescale_opts_default(nr_rescale_opts *o);

/* 0 if the options are usable, else -1 with a one-line reason. */
int nr_rescale_opts_validate(const nr_rescale_opts *o, char *err, size_t err_size);

/* ------------------------------------------------------------------ */
/* CPU reference                                                       */

/* The error mask of a luma plane (full_w x full_h, values in [0,1]):
 * descales it with s, re-upscales with s (the studio's forward operator)
 * and builds the mask as described at the top of this file.
 *   cells:  if not NULL, receives a malloc'd grid of cells_w x cells_h
 *           mask values (cells of 2x2 native pixels), the chain's mask;
 *   fraction: receives the fraction of source pixels whose interpolated
 *           mask is >= 0.5 (what "masked" means on the plugin's info page).
 * Stable API: the plugin calls it for its info page. 0 or -1 (invalid
 * scale or options, out of memory). Cost: one CPU descale and upscale
 * (~50-100 ms for 1080p on one core). */
int nr_rescale_mask(const nr_scale *s, const nr_rescale_mask_opts *mask,
                    const float *src, ptrdiff_t src_stride,
                    float **cells, int *cells_w, int *cells_h, double *fraction);

/* Output size of the chain for a screen (window) of screen_w x screen_h
 * (0 = the source size): fast -> native size; otherwise the source size,
 * or the screen size on an axis where it is larger. */
void nr_rescale_output_size(const nr_scale *s, nr_rescale_preset preset,
                            int screen_w, int screen_h, int *out_w, int *out_h);

/* The whole chain on the CPU, as the generated shader computes it, for an
 * output of out_w x out_h (from nr_rescale_output_size). dst has out_w
 * columns. 0 or -1. */
int nr_rescale(const nr_scale *s, const nr_rescale_opts *o,
               const float *src, ptrdiff_t src_stride,
               float *dst, ptrdiff_t dst_stride, int out_w, int out_h);

#ifdef __cplusplus
}
#endif

#endif
