/*
 * A tiny text builder for generated shader files: printf-style appends into
 * a growable buffer. An allocation failure is sticky (every later append is
 * a no-op) so writers append freely and check once at the end.
 */
#ifndef NR_GLSL_BUF_H
#define NR_GLSL_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct nr_glsl_buf {
    char *data;     /* always NUL-terminated while !failed */
    size_t len;
    size_t cap;
    bool failed;    /* an allocation failed: the text is incomplete */
} nr_glsl_buf;

void nr_glsl_buf_init(nr_glsl_buf *b);
void nr_glsl_buf_free(nr_glsl_buf *b);

/* Appends formatted text. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void nr_glsl_printf(nr_glsl_buf *b, const char *fmt, ...);

/* Appends a plain string. */
void nr_glsl_puts(nr_glsl_buf *b, const char *s);

/* Appends v as a GLSL float literal with float32's full precision ("%.9g",
 * with ".0" added where that reads as an int). */
void nr_glsl_put_float(nr_glsl_buf *b, float v);

/* Appends "vec4(v[0], v[stride], v[2 stride], v[3 stride])" (nr_glsl_put_float
 * literals): a filter tap of 4 outputs, read across an output-major array. */
void nr_glsl_put_vec4(nr_glsl_buf *b, const float *v, size_t stride);

/* Appends floats as the bytes of IEEE-754 float32 little-endian values in
 * lowercase hex, the data format of an mpv //!TEXTURE section. */
void nr_glsl_hex_floats(nr_glsl_buf *b, const float *v, size_t n);

/* Hands the text over to the caller (malloc'd) and resets b; NULL if an
 * allocation failed at any point. */
char *nr_glsl_buf_take(nr_glsl_buf *b);

/* A writer's end: nr_glsl_buf_take, and "out of memory" in err (when
 * given) if that failed. */
char *nr_glsl_buf_finish(nr_glsl_buf *b, char *err, size_t err_size);

#endif
