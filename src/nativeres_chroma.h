/*
 * libnativeres chroma reconstruction: 4:2:0 chroma brought to the luma grid
 * with luma as a guide (CPU reference of the generated CHROMA hook).
 *
 * Anime colour is mostly flat fills, shading and outlines: inside a small
 * window chroma is close to a linear function of luma. At each low-res
 * chroma sample the reconstruction fits C = a*Y + b over the samples around
 * it against luma brought to the same footprints; per output pixel it adds
 * to the cubic interpolation of chroma the luma detail that interpolation
 * lost (Y - the cubic of the footprint luma) times the slope interpolated
 * between the samples, the slope scaled by how well luma explains chroma
 * there (the squared correlation): where it does not (isoluminant edges,
 * three colours in a window) it stays interpolation. The result stays in
 * the range of the 4x4 low-res chroma samples under the cubic, widened only
 * by the slope times how far the pixel's luma lies outside the range of
 * their footprint luma: no overshoot, no colour carried across an edge,
 * that luma does not explain. Before the clamp it adds the back-projection
 * residual (what the footprint average of the prediction misses of each
 * coded sample), bilinearly.
 *
 * With the studio's kernel (p->studio) and a guide smaller than the coded
 * frame (a descaled native plane), the footprint is the operator that made
 * the coded samples instead: the 4:2:0 average of the guide upscaled by
 * the studio.
 *
 * Planes are float, row-major, stride in elements; chroma values in any
 * consistent unit (offset 0.5 or centred at 0: the fit is affine).
 */
#ifndef NATIVERES_CHROMA_H
#define NATIVERES_CHROMA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The interpolation under the fit: the cubic B = 0, C = this (sharper than
 * Catmull-Rom's 0.5; as good as spline36 here, on 4x4 samples). */
#define NR_CHROMA_CUBIC_C 0.9

/* Where the chroma samples sit (the video's chroma location). */
typedef enum nr_chroma_siting {
    NR_CHROMA_LEFT,     /* MPEG-2 / H.264 default, Blu-ray: co-sited with the even
                           luma column of the source, centred vertically */
    NR_CHROMA_CENTER,   /* JPEG / MPEG-1: centred both ways */
} nr_chroma_siting;

/* The learned residual (optional): a tiny MLP over the 3x3 neighbourhood of
 * each output pixel (neighbour - centre of luma and of the reconstructed
 * Cb, Cr: 8 taps x 3 inputs) -> hidden ReLU units -> (Cb, Cr) added to the
 * reconstruction. Parameters from a versioned table in presets/
 * (chroma-learned-vN.txt, written by generator/train/chroma_learned.py). */
#define NR_CHROMA_LEARNED_TAPS 8
#define NR_CHROMA_LEARNED_MAX_HIDDEN 32
typedef struct nr_chroma_learned {
    int dx[NR_CHROMA_LEARNED_TAPS], dy[NR_CHROMA_LEARNED_TAPS];   /* tap offsets */
    int hidden;
    float b1[NR_CHROMA_LEARNED_MAX_HIDDEN];
    float w1[NR_CHROMA_LEARNED_MAX_HIDDEN][NR_CHROMA_LEARNED_TAPS * 3];  /* [tap][dY dCb dCr] */
    float b2[2];
    float w2[2][NR_CHROMA_LEARNED_MAX_HIDDEN];
    float clip;   /* the correction is clamped to [-clip, clip] */
    char name[64];
} nr_chroma_learned;

/* Parses a table (text); 0, or -1 with a reason in err. */
int nr_chroma_learned_parse(const char *text, nr_chroma_learned *m, char *err, size_t err_size);

/* The table compiled in (presets/chroma-learned-v1.txt); NULL only on a
 * broken build. */
const nr_chroma_learned *nr_chroma_learned_builtin(void);

/* Adds the learned residual to cb, cr (w x h, stride) in place, with guide
 * the luma plane they are aligned with; edge pixels repeated. 0, or -1 on
 * bad arguments / no memory. */
int nr_chroma_learned_apply(const nr_chroma_learned *m, const float *guide,
                            ptrdiff_t guide_stride, int w, int h, float *cb, float *cr,
                            ptrdiff_t stride);

typedef struct nr_chroma_params {
    nr_chroma_siting siting;
    /* Source luma width over chroma width (2 for 4:2:0 / 4:2:2) along x;
     * with a guide of another size (a descaled or rescaled luma plane) the
     * chroma position shift of LEFT siting is this many source pixels / 2. */
    double subsample_x;
    int radius;         /* slope fit at each chroma sample over the samples nearer than
                           radius, tent weights (1..3, default 2: the 3x3 around it) */
    double corr_lo;     /* squared correlation at or below which the output is plain */
    double corr_hi;     /*   interpolation, at or above which the luma detail is added in full */
    double eps;         /* luma variance regulariser of the slope (units²; default
                           3e-3 shrinks it where luma barely varies: grain, noise) */
    double backproject; /* gain (0..2, default 1; 0: off) of the back-projection: the
                           residual of each coded sample against the footprint average of
                           the prediction, added bilinearly */
    const struct nr_kernel *studio;   /* NULL (default): each coded sample taken as its
                           footprint average of the guide. Else the kernel the studio upscaled
                           with (4:2:0, default window): where the guide is smaller than the
                           coded frame (2x chroma: a descaled native plane), back-projection
                           goes through the operator that made the samples, the footprint
                           average on the coded grid of the guide upscaled by it */
    const nr_chroma_learned *learned;   /* NULL (default): none; else its residual is
                                           added last (the shader's fourth pass) */
} nr_chroma_params;

void nr_chroma_params_default(nr_chroma_params *p);

/* Reconstructs both chroma planes at the guide's size.
 *   guide: luma, gw x gh (the plane the output is aligned with: the source
 *          luma, a descaled one or a rescaled one);
 *   cb, cr: cw x ch chroma planes of the source (stride c_stride);
 *   out_cb, out_cr: gw x gh (stride out_stride).
 * Returns 0, or -1 on bad sizes / parameters or no memory. */
int nr_chroma_reconstruct(const nr_chroma_params *p,
                          const float *guide, ptrdiff_t guide_stride, int gw, int gh,
                          const float *cb, const float *cr, ptrdiff_t c_stride,
                          int cw, int ch,
                          float *out_cb, float *out_cr, ptrdiff_t out_stride);

/* The chroma sample grid in guide coordinates, shared by the CPU reference,
 * the shader writer and the tests: chroma sample i (x) sits at guide
 * position (i + 0.5 + shift_x) * scale_x, in guide pixels (pixel k covers
 * [k, k+1)); likewise y. shift is in chroma pixels. */
typedef struct nr_chroma_grid {
    double scale_x, scale_y;   /* guide pixels per chroma pixel */
    double shift_x, shift_y;   /* chroma pixels */
} nr_chroma_grid;

void nr_chroma_grid_make(const nr_chroma_params *p, int gw, int gh, int cw, int ch,
                         nr_chroma_grid *g);

/* Plain interpolation baseline used where luma does not predict chroma:
 * separable Catmull-Rom at the grid positions, edge samples repeated,
 * clamped to the 2x2 nearest samples. out is gw x gh. */
int nr_chroma_interpolate(const nr_chroma_params *p, const float *c, ptrdiff_t c_stride,
                          int cw, int ch, int gw, int gh, float *out, ptrdiff_t out_stride);

/* The generated mpv CHROMA hook (four passes run, five with p->studio after
 * a descale; vo=gpu and gpu-next, mpv 0.35+) computing nr_chroma_reconstruct
 * with LUMA as the guide; p->radius must be 2, p->studio a kernel of support
 * 1..4 (not point). file_name / generator only appear in the header comment (NULL: generic).
 * Returns a malloc'd file, or NULL with a reason in err. */
char *nr_glsl_chroma(const nr_chroma_params *p, const char *file_name, const char *generator,
                     char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
