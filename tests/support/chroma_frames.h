/*
 * Test material for chroma reconstruction: full-colour frames turned into
 * 8-bit 4:2:0 (BT.709 full range, MPEG-2 "left" chroma siting, chroma
 * averaged over each sample's footprint), with the full-resolution chroma
 * kept as the truth. Frames are synthetic (synth_color, drawn natively at
 * 1080p or drawn at 720p and upscaled per RGB channel with a studio kernel)
 * or real PNGs read through ffmpeg.
 */
#ifndef NR_CHROMA_FRAMES_H
#define NR_CHROMA_FRAMES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct chroma_frame {
    char name[128];
    int w, h;                 /* full size (luma) */
    float *y;                 /* w*h, 8-bit quantised luma as delivered */
    float *cb_true, *cr_true; /* w*h truth (unquantised) */
    int cw, ch;               /* chroma size (w/2, h/2) */
    float *cb, *cr;           /* cw*ch, 8-bit quantised 4:2:0 chroma */
    /* upscaled synthetic frames only (else native_w == 0): the native
     * picture the studio upscaled, as YCbCr at native size */
    int native_w, native_h;
    char kernel[32];
    float *ny, *ncb, *ncr;
} chroma_frame;

void chroma_frame_free(chroma_frame *f);

/* Synthetic: native 1080p when kernel is NULL, else drawn at 1280x720 and
 * upscaled to 1920x1080 with that kernel. */
bool chroma_frame_synth(chroma_frame *f, uint64_t seed, const char *kernel);

/* A PNG through ffmpeg as 8-bit RGB (cropped to even sizes). Real frames
 * come from 4:2:0 sources, so their chroma is itself interpolated (a soft
 * truth); half: downscale by 2 (area) first, which brings the chroma to
 * the coded plane's resolution, still a little softer than the luma (see
 * chroma_frame_real_reduced for full-colour frames). */
bool chroma_frame_png(chroma_frame *f, const char *path, bool half);

/* A real frame as the native picture of an upscaled show: mode NULL or
 * "half" as chroma_frame_png; a kernel name (bilinear, catrom, lanczos3...):
 * halved, then upscaled 1.5x per RGB channel with that kernel (as a studio
 * upscales 720p to 1080p), the halved picture kept as the native truth
 * (native_w, ny, ncb, ncr). The luma the chain restores (a descale) and the
 * chroma the Blu-ray carries then both come from a full-colour native
 * picture whose chroma is honest. */
bool chroma_frame_real(chroma_frame *f, const char *path, const char *mode);
/* The same with the area downscale by `reduce` (>= 2) instead of 2: at 4
 * every pixel's chroma is the mean of four coded samples, where at 2 it is
 * one sample as the decoder interpolated it (softer than the luma). */
bool chroma_frame_real_reduced(chroma_frame *f, const char *path, const char *mode, int reduce);

/* 4:2:0 subsampling as the frames use it: area average over each chroma
 * sample's footprint, left siting. c is w x h, out (w/2) x (h/2). */
bool chroma_subsample_left(const float *c, int w, int h, float *out);

/* PSNR (peak 1) of a against b, w*h values */
double chroma_psnr(const float *a, const float *b, int w, int h);

#endif
