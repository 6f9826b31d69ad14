/*
 * One mpv user-shader pass, described as data, and the writer that turns it
 * into the hook format of mpv's video/out/gpu/user_shaders.c (the same
 * format libplacebo parses for gpu-next).
 *
 * Every GLSL writer in libnativeres (descale, rescale, and the chroma,
 * DPID and learned-upscaler writers) fills an nr_glsl_pass and calls
 * nr_glsl_pass_write instead of printing its own //! headers, as libplacebo
 * builds its shaders from pass descriptions. The writer owns the header
 * order and syntax; a writer owns only what its pass computes.
 *
 * Emitted, in this order (absent fields are skipped):
 *     //!HOOK <hook>
 *     //!BIND <binds[0]>  ... one line per bind, in order
 *     //!SAVE <save>
 *     //!DESC <desc>
 *     //!WIDTH <width>
 *     //!HEIGHT <height>
 *     //!OFFSET <offset>
 *     //!COMPONENTS <components>
 *     //!WHEN <when>
 *     //!COMPUTE <bw> <bh> [<tw> <th>]
 *     <blank line>
 *     <body>            must define `vec4 hook()` (or `void hook()` for
 *                       compute passes); written as given
 * width/height/when are mpv's RPN expressions ("HOOKED.w 2 /", "OUTPUT.h",
 * "HOOKED.w 1920 == HOOKED.h 1080 == *") or plain numbers.
 *
 * Textures (//!TEXTURE sections) follow the passes of a file: describe them
 * with nr_glsl_texture and write them with nr_glsl_texture_write (or
 * _begin, nr_glsl_hex_floats rows, _end when the data is produced row by
 * row). mpv 0.35 / libplacebo 4.208 accept float data as float32 hex only.
 */
#ifndef NR_GLSL_PASS_H
#define NR_GLSL_PASS_H

#include "glsl_buf.h"

#include <stddef.h>

#define NR_GLSL_MAX_BINDS 8

typedef struct nr_glsl_pass {
    const char *hook;                     /* "LUMA", "MAIN", "CHROMA", ...; required */
    const char *binds[NR_GLSL_MAX_BINDS]; /* textures read; NULL-terminated list */
    const char *save;                     /* NULL: the output replaces the hooked texture */
    const char *desc;                     /* shown by mpv's stats / vo-passes; required */
    const char *width, *height;           /* output size expressions; NULL = hooked size */
    const char *offset;                   /* "ALIGN" (output aligned with the reference
                                             plane, e.g. chroma brought to the luma grid)
                                             or "ox oy"; NULL = none */
    int components;                       /* 0 = the hooked texture's count */
    const char *when;                     /* NULL = always */
    int compute_bw, compute_bh;           /* > 0: a compute pass with this block size */
    int compute_tw, compute_th;           /* > 0: its thread count (else the block size) */
    const char *body;                     /* GLSL; required */
} nr_glsl_pass;

/* Appends the pass (headers, a blank line, the body). */
void nr_glsl_pass_write(nr_glsl_buf *b, const nr_glsl_pass *p);

/* The pass with body's text as its body, then a blank line; body is freed.
 * 0, or -1 if building body ran out of memory (nothing written). */
int nr_glsl_pass_write_built(nr_glsl_buf *b, nr_glsl_pass *p, nr_glsl_buf *body);

typedef struct nr_glsl_texture {
    const char *name;       /* a unique name: mpv's vo_gpu keeps one global list */
    int w, h;               /* h = 0: a 1-D texture of w texels */
    const char *format;     /* "r32f", "rgba32f", ... */
    const char *filter;     /* "NEAREST" or "LINEAR"; NULL = NEAREST */
    const char *border;     /* "CLAMP", "REPEAT", "MIRROR"; NULL = renderer default */
} nr_glsl_texture;

/* Appends the //!TEXTURE headers; the float32 hex data follows with
 * nr_glsl_hex_floats, then nr_glsl_texture_end closes the line. */
void nr_glsl_texture_begin(nr_glsl_buf *b, const nr_glsl_texture *t);
void nr_glsl_texture_end(nr_glsl_buf *b);

/* The whole section from n floats (w * h * channels of the format). */
void nr_glsl_texture_write(nr_glsl_buf *b, const nr_glsl_texture *t,
                           const float *data, size_t n);

/* Appends the GLSL function `float nr_fp16(float v)`: v rounded to the
 * nearest value a 16-bit float stores exactly, for every pass whose output
 * must not be truncated by the renderer's fp16 store. */
void nr_glsl_write_fp16_function(nr_glsl_buf *b);

/* Opens `void hook()` for a compute pass that writes one output pixel per
 * invocation: nr_p (returns outside out_image, of size n), and its
 * normalised centre in `vec2 pos`, as HOOKED_pos gives a fragment pass. */
void nr_glsl_write_compute_pixel_head(nr_glsl_buf *b);

#endif
