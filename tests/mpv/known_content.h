/*
 * "Known native" test content: a procedural cartoon-like picture (flat
 * areas, soft-edged shapes, thin lines, a gradient) drawn at the native
 * resolution, so that an upscale of it is exactly what descale inverts.
 * Values stay inside [0.15, 0.85] so that an upscale with a ringing kernel
 * does not clip at 0 or 1 (clipping would make the upscale non-invertible).
 */
#ifndef NR_KNOWN_CONTENT_H
#define NR_KNOWN_CONTENT_H

#include "image_io.h"

/* Draws into a 1-channel w x h image (allocated here). */
bool nr_known_content_draw(nr_image *img, int w, int h);

#endif
