#include "glsl_buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nr_glsl_buf_init(nr_glsl_buf *b)
{
    *b = (nr_glsl_buf){0};
}

void nr_glsl_buf_free(nr_glsl_buf *b)
{
    free(b->data);
    nr_glsl_buf_init(b);
}

/* Makes room for `extra` more bytes plus the terminating NUL. */
static bool reserve(nr_glsl_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void nr_glsl_printf(nr_glsl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void nr_glsl_puts(nr_glsl_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

void nr_glsl_put_float(nr_glsl_buf *b, float v)
{
    char s[32];
    snprintf(s, sizeof(s), "%.9g", v);
    if (!strpbrk(s, ".eEn"))
        strcat(s, ".0");
    nr_glsl_puts(b, s);
}

void nr_glsl_put_vec4(nr_glsl_buf *b, const float *v, size_t stride)
{
    nr_glsl_puts(b, "vec4(");
    for (int o = 0; o < 4; o++) {
        nr_glsl_put_float(b, v[o * stride]);
        nr_glsl_puts(b, o < 3 ? ", " : ")");
    }
}

void nr_glsl_hex_floats(nr_glsl_buf *b, const float *v, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    if (n > (SIZE_MAX - 1) / 8 || !reserve(b, n * 8))
        return;
    char *out = b->data + b->len;
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &v[i], sizeof(bits));
        /* little-endian byte order, independent of the host's */
        for (int byte = 0; byte < 4; byte++) {
            unsigned x = (bits >> (8 * byte)) & 0xffu;
            *out++ = digits[x >> 4];
            *out++ = digits[x & 0xf];
        }
    }
    *out = '\0';
    b->len += n * 8;
}

char *nr_glsl_buf_take(nr_glsl_buf *b)
{
    if (b->failed || !reserve(b, 0)) {
        nr_glsl_buf_free(b);
        return NULL;
    }
    b->data[b->len] = '\0';
    char *text = b->data;
    nr_glsl_buf_init(b);
    return text;
}

char *nr_glsl_buf_finish(nr_glsl_buf *b, char *err, size_t err_size)
{
    char *text = nr_glsl_buf_take(b);
    if (!text && err && err_size)
        snprintf(err, err_size, "out of memory");
    return text;
}
