/*
 * synth_color — procedural anime-like colour frames (RGB, [0,1]) for the
 * chroma and downscaling tests and benchmarks: a two-colour gradient sky,
 * cel-shaded fills (a base colour and a darker shadow tone split along a
 * hard, anti-aliased terminator) with dark outlines, coloured hair-like
 * strokes, thin coloured lines, text rows (light glyphs with dark borders,
 * coloured glyphs), and isoluminant patches (two colours of equal luma side
 * by side: luma says nothing there, the hard case for luma-guided chroma).
 *
 * Deterministic in (seed, size); the layout is in normalised coordinates, so
 * one seed drawn at 1280x720 and at 1920x1080 shows the same picture.
 */
#ifndef NR_TESTS_SYNTH_COLOR_H
#define NR_TESTS_SYNTH_COLOR_H

#include <stddef.h>
#include <stdint.h>

/* rgb: w*h*3 floats, interleaved, rows top first. */
void synth_color_frame(float *rgb, int w, int h, uint64_t seed);

/* BT.709 full range: Y in [0,1], Cb/Cr in [0,1] with 0.5 = neutral. */
void synth_rgb_to_ycbcr709(const float *rgb, int w, int h, float *y, float *cb, float *cr);

#endif
