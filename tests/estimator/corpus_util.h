/*
 * What the estimator corpora share (test_corpus.c, real_corpus.c,
 * test_pool.c): 1920x1080 gray frames compressed through the ffmpeg CLI
 * (an 8-bit 4:2:0 Y4M with neutral chroma, x264 or x265, decoded back to
 * luma), the estimate's height and kernel family, process CPU time.
 */
#ifndef NR_CORPUS_UTIL_H
#define NR_CORPUS_UTIL_H

#include "nativeres_estimate.h"

#include <stdio.h>

#define CORPUS_W 1920
#define CORPUS_H 1080

/* DIR/in.y4m, opened with its header; NULL on failure. */
FILE *corpus_y4m_open(const char *dir);
/* Appends one frame (values in [0,1], rounded to 8 bits). 0 or -1. */
int corpus_y4m_frame(FILE *f, const float *frame);

/* Encodes DIR/in.y4m (codec 1 x264 -tune animation, 2 x265, 3 x264 with
 * its default tuning; preset fast, crf) to DIR/enc.mkv and decodes its first `frames` frames to DIR/dec.yuv
 * (yuv420p). 0 or -1. */
int corpus_compress(const char *ffmpeg, const char *dir, int codec, int crf, int frames);
/* DIR/dec.yuv for reading; NULL on failure. */
FILE *corpus_decoded_open(const char *dir);
/* The next decoded frame's luma (full range, as written) into frame; yuv
 * is scratch of CORPUS_W * CORPUS_H * 3 / 2 bytes. 0 or -1 (short read). */
int corpus_decoded_frame(FILE *f, unsigned char *yuv, float *frame);

/* The estimate's native height (the window's height when fractional). */
double corpus_est_height(const nr_estimate *e);
/* Kernel family = kernel type: bilinear, bicubic (any b/c: catrom,
 * mitchell, bicubicsharp, bspline... are one family, told apart by the b/c
 * refinement), lanczos (any taps), spline (16/36/64). Lanczos3 and
 * spline36 are different families even though they are close. */
const char *corpus_kernel_family(const nr_kernel *k);
/* Process CPU seconds. */
double corpus_cpu_now(void);

#endif
