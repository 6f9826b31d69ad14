/*
 * libnativeres — the math behind nativeres: resampling kernels, the
 * upscale model y = A x of a studio upscale, its least-squares inverse
 * ("descale") x = (AᵀA)⁻¹Aᵀy, truncated weight tables for GPU shaders and
 * the fractional-resolution rule.
 *
 * Conventions (identical to the VapourSynth `descale` plugin):
 *  - "full" is the frame we have (e.g. 1920x1080), "native" the resolution
 *    it was produced at (e.g. 1280x720). Descale: full -> native. Upscale:
 *    native -> full (the forward model descale inverts).
 *  - Pixel k covers [k, k+1); its centre is k + 0.5, on both grids.
 *  - The window (descale's src_left/src_top/src_width/src_height) is given
 *    in native pixels: full pixel i maps to native position
 *    (i + 0.5) * window_size / full + window_start.
 *  - 2-D operations run horizontally, then vertically. An axis whose size
 *    does not change and whose window is the default is left untouched.
 *  - Planes are float, row-major, stride in elements (not bytes).
 *
 * Functions returning int return 0 on success and -1 on failure; where they
 * take (char *err, size_t err_size) a one-line reason is written there.
 */
#ifndef NATIVERES_H
#define NATIVERES_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NR_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ */
/* Kernels                                                             */

typedef enum nr_kernel_type {
    NR_KERNEL_POINT,
    NR_KERNEL_BILINEAR,
    NR_KERNEL_BICUBIC,   /* Mitchell–Netravali family, parameters b, c */
    NR_KERNEL_LANCZOS,   /* parameter taps */
    NR_KERNEL_SPLINE16,
    NR_KERNEL_SPLINE36,
    NR_KERNEL_SPLINE64,
} nr_kernel_type;

typedef struct nr_kernel {
    nr_kernel_type type;
    double b, c;   /* bicubic only */
    int taps;      /* lanczos only */
    double blur;   /* > 0; 1 = none. Scales the kernel's support. */
} nr_kernel;

/* Parses a kernel name as the generator and the CLI accept it: "point",
 * "bilinear", "bicubic" (b=0 c=0.5, like descale), the named bicubics
 * "catrom" "mitchell" "hermite" "bicubicsharp" "bspline" "ffmpegbicubic"
 * "adobebicubic" "robidoux" "robidouxsharp" "robidouxsoft", "lanczos"
 * (3 taps) or "lanczosN" (N taps), "spline16" "spline36" "spline64".
 * Case-insensitive. Sets blur = 1. Returns false on an unknown name. */
bool nr_kernel_parse(const char *name, nr_kernel *k);

/* The canonical name of a kernel: a named bicubic when b and c match one
 * (within 1e-9), "bicubic" otherwise; "lanczosN"; never NULL. Writes at most
 * size bytes (NUL included) and returns buf. */
const char *nr_kernel_name(const nr_kernel *k, char *buf, size_t size);

/* NULL-terminated list of every name nr_kernel_parse knows (for --help). */
const char *const *nr_kernel_names(void);

/* Kernel value at distance |x| (already divided by blur). */
double nr_kernel_eval(const nr_kernel *k, double x);

/* Radius of the unblurred kernel in input samples (bilinear 1, bicubic 2,
 * lanczos taps, spline16 2, spline36 3, spline64 4, point 0.5) and the
 * integer support used to build matrices: ceil(radius * blur). */
double nr_kernel_radius(const nr_kernel *k);
int nr_kernel_support(const nr_kernel *k);

/* 0 if the kernel's parameters are usable (finite b/c, taps 1..16, blur
 * finite and in (0, 16]); else -1 with a reason. */
int nr_kernel_validate(const nr_kernel *k, char *err, size_t err_size);

/* ------------------------------------------------------------------ */
/* Scaling descriptions                                                */

typedef enum nr_border {
    NR_BORDER_MIRROR,   /* default, as descale */
    NR_BORDER_ZERO,
    NR_BORDER_REPEAT,
} nr_border;

bool nr_border_parse(const char *name, nr_border *b);
const char *nr_border_name(nr_border b);

/* One axis. window_size == 0 means "native" (the default window). */
typedef struct nr_axis {
    int full;              /* M samples (the frame we have) */
    int native;            /* N samples (the native grid), N <= M for descale */
    double window_start;   /* src_left / src_top, native pixels */
    double window_size;    /* src_width / src_height, native pixels */
} nr_axis;

/* A whole 2-D scaling: full_w x full_h <-> native_w x native_h. */
typedef struct nr_scale {
    nr_kernel kernel;
    nr_border border;
    int full_w, full_h;
    int native_w, native_h;
    double win_left, win_top;      /* src_left, src_top */
    double win_width, win_height;  /* src_width, src_height; 0 = native_w/h */
} nr_scale;

/* Fills the kernel-independent fields of s for a native height that may
 * be fractional (getfnative / vskernels ScalingArgs):
 *  - integer height h: native_h = h, native_w = width if > 0 else h*W/H
 *    rounded to the nearest even integer; default window;
 *  - fractional h: native_h = smallest even integer >= h,
 *    win_height = h, win_top = (native_h - h) / 2; the width w = width if
 *    > 0 else h*W/H, native_w = smallest even integer >= w, win_width = w,
 *    win_left = (native_w - w) / 2.
 * Kernel and border are left as they are. Returns -1 (with a reason) if h
 * is not finite, < 8, or larger than full_h. */
int nr_scale_for_height(nr_scale *s, int full_w, int full_h, double height,
                        double width, char *err, size_t err_size);

/* The axis views of a scale. */
nr_axis nr_scale_axis_h(const nr_scale *s);  /* horizontal */
nr_axis nr_scale_axis_v(const nr_scale *s);  /* vertical */

/* True when the axis is left untouched (same size, default window). */
bool nr_axis_is_identity(const nr_axis *ax);

/* Checks a scale as the generator, the CLI and the CPU functions require:
 * 8 <= native <= full <= 65536 per axis, a valid kernel and border, a
 * finite window with start >= 0, size >= 1 and start + size <= native.
 * -1 with a one-line reason. */
int nr_scale_validate(const nr_scale *s, char *err, size_t err_size);

/* ------------------------------------------------------------------ */
/* CPU reference: descale and upscale of float planes                  */

/* full_w x full_h plane -> native_w x native_h plane (least squares). */
int nr_descale(const nr_scale *s, const float *src, ptrdiff_t src_stride,
               float *dst, ptrdiff_t dst_stride);

/* native_w x native_h plane -> full_w x full_h plane (forward model). */
int nr_upscale(const nr_scale *s, const float *src, ptrdiff_t src_stride,
               float *dst, ptrdiff_t dst_stride);

/* ------------------------------------------------------------------ */
/* Weight tables for shaders: the pseudo-inverse (AᵀA)⁻¹Aᵀ, truncated     */

/* Output sample j = sum_{t < taps} w[j*taps + t] * in[offset[j] + t];
 * offsets keep every index inside [0, in_size), so no clamping is needed. */
typedef struct nr_weights {
    int out_size;      /* N */
    int in_size;       /* M */
    int taps;          /* weights per row, the same for every row */
    int *offset;       /* out_size entries */
    float *w;          /* out_size * taps entries */
    double tolerance;  /* the truncation rule's parameter */
    double dropped_l1; /* worst row: L1 norm of the weights dropped */
    double row_l1;     /* worst row: L1 norm of the weights kept (gain) */
    double bound;      /* worst-case |error| of one pass for input in [0,1] */
} nr_weights;

/* Truncation rule: each row of the exact pseudo-inverse keeps the shortest
 * contiguous window around its largest weight whose dropped L1 tail is
 * <= tolerance; then the row is padded to the common tap count. The
 * dropped weights' sum is added to the largest weight so that flat input
 * stays exact (DC preserved); hence for input in [0,1] the error of one
 * output sample is at most the dropped L1 norm. tolerance 0 keeps the
 * whole exact row. */
int nr_weights_build(nr_weights *wt, const nr_kernel *k, const nr_axis *ax,
                     nr_border border, double tolerance);
void nr_weights_free(nr_weights *wt);

/* Worst-case max abs error of a two-pass (horizontal, vertical) descale
 * with truncated tables against the exact one, for input in [0,1]:
 * eps_v * row_l1_h + row_l1_v * eps_h (pass NULL for an identity axis). */
double nr_weights_bound_2d(const nr_weights *h, const nr_weights *v);

/* Applies a table along one axis of a plane (CPU model of the shader
 * pass): horizontal if horizontal, else vertical. dst has the table's
 * out_size along that axis and the same size along the other. */
void nr_weights_apply(const nr_weights *wt, bool horizontal,
                      const float *src, ptrdiff_t src_stride, int src_w, int src_h,
                      float *dst, ptrdiff_t dst_stride);

#ifdef __cplusplus
}
#endif

#endif
