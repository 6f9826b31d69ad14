/*
 * Credits drawn at the full size over a picture: rows of glyph-like white
 * strokes with a dark outline, as OP/ED credits and signs are. Used by the
 * rescale tests and the quality benchmark.
 */
#ifndef NR_TESTS_CREDITS_H
#define NR_TESTS_CREDITS_H

#include <stddef.h>
#include <stdint.h>

/* Draws onto plane p (w x h). cover (w x h, may be NULL) receives the
 * overlay's coverage (0 = untouched picture). Text occupies a band in the
 * lower quarter of the frame, glyphs glyph_h pixels tall. */
void credits_draw(float *p, float *cover, int w, int h, int glyph_h, uint64_t seed);

/* Region masks from the coverage: text = within `near` pixels of any
 * covered pixel, picture = farther than `far` pixels (1 byte per pixel). */
void credits_regions(const float *cover, int w, int h, int near, int far,
                     unsigned char *text, unsigned char *picture);

#endif
