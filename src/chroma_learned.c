/*
 * The chroma hook's learned residual (nativeres_chroma.h): its parameter
 * table and its CPU reference, the same sums in the same order as the
 * shader's fourth pass (src/glsl/chroma.c).
 *
 * Why a residual on the output: the linear fit explains chroma by luma only
 * up to a slope per 3x3 samples; what it misses (an outline's colour next to
 * a luma edge, shading that luma follows non-linearly) shows up as a pattern
 * of luma and of our own chroma around the pixel. A 3x3 neighbourhood is what
 * a fourth, full-resolution pass reads cheaply (18 texels). The correction
 * is bounded by the table's clip (half an 8-bit code in v1): unbounded, it
 * lost up to 0.26 dB on a held-out frame (nijigasaki, native), bounded it
 * gains on every held-out frame.
 */
#include "nativeres_chroma.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char nr_chroma_learned_builtin_table[];   /* chroma_learned_table.c (generated) */

static void fail(char *err, size_t err_size, const char *fmt, ...)
{
    if (!err || !err_size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
}

/* Next line without comments and surrounding blanks into buf; NULL at the end. */
static const char *next_line(const char **p, int *line, char *buf, size_t cap)
{
    while (**p) {
        const char *start = *p, *end = strchr(start, '\n');
        size_t n = end ? (size_t)(end - start) : strlen(start);
        *p += n + (end != NULL);
        (*line)++;
        const char *hash = memchr(start, '#', n);
        if (hash)
            n = (size_t)(hash - start);
        while (n && strchr(" \t\r", start[n - 1]))
            n--;
        while (n && (*start == ' ' || *start == '\t')) {
            start++;
            n--;
        }
        if (!n)
            continue;
        if (n >= cap)
            n = cap - 1;
        memcpy(buf, start, n);
        buf[n] = '\0';
        return buf;
    }
    return NULL;
}

/* exactly count finite floats on the line */
static bool floats(const char *s, float *out, int count)
{
    for (int i = 0; i < count; i++) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || !isfinite(v) || fabs(v) > 1e30)
            return false;
        out[i] = (float)v;
        s = end;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

int nr_chroma_learned_parse(const char *text, nr_chroma_learned *m, char *err, size_t err_size)
{
    if (!text || !m) {
        fail(err, err_size, "no table given");
        return -1;
    }
    memset(m, 0, sizeof(*m));
    snprintf(m->name, sizeof(m->name), "custom");
    char buf[4096];
    int line = 0, n = 0, version = 0;
    const char *p = text, *l;
    if (!(l = next_line(&p, &line, buf, sizeof(buf))) ||
        sscanf(l, "nativeres-chroma-learned %d", &version) != 1 || version != 1) {
        fail(err, err_size, "line %d: expected 'nativeres-chroma-learned 1'", line);
        return -1;
    }
    if (!(l = next_line(&p, &line, buf, sizeof(buf))) || sscanf(l, "taps %d", &n) != 1 ||
        n != NR_CHROMA_LEARNED_TAPS) {
        fail(err, err_size, "line %d: expected 'taps %d'", line, NR_CHROMA_LEARNED_TAPS);
        return -1;
    }
    for (int t = 0; t < n; t++) {
        char extra;
        if (!(l = next_line(&p, &line, buf, sizeof(buf))) ||
            sscanf(l, "%d %d %c", &m->dx[t], &m->dy[t], &extra) != 2 || abs(m->dx[t]) > 1 ||
            abs(m->dy[t]) > 1 || (m->dx[t] == 0 && m->dy[t] == 0)) {
            fail(err, err_size, "line %d: expected a tap 'dx dy' in -1..1, not the centre", line);
            return -1;
        }
    }
    if (!(l = next_line(&p, &line, buf, sizeof(buf))) || sscanf(l, "hidden %d", &m->hidden) != 1 ||
        m->hidden < 1 || m->hidden > NR_CHROMA_LEARNED_MAX_HIDDEN || m->hidden % 4) {
        fail(err, err_size, "line %d: expected 'hidden H', H a multiple of 4 up to %d", line,
             NR_CHROMA_LEARNED_MAX_HIDDEN);
        return -1;
    }
    float row[1 + NR_CHROMA_LEARNED_TAPS * 3];
    for (int k = 0; k < m->hidden; k++) {
        if (!(l = next_line(&p, &line, buf, sizeof(buf))) || !floats(l, row, 1 + n * 3)) {
            fail(err, err_size, "line %d: expected %d numbers (bias, weights)", line, 1 + n * 3);
            return -1;
        }
        m->b1[k] = row[0];
        memcpy(m->w1[k], row + 1, sizeof(float) * n * 3);
    }
    int outs = 0;
    if (!(l = next_line(&p, &line, buf, sizeof(buf))) || sscanf(l, "output %d", &outs) != 1 ||
        outs != 2) {
        fail(err, err_size, "line %d: expected 'output 2'", line);
        return -1;
    }
    for (int c = 0; c < 2; c++) {
        if (!(l = next_line(&p, &line, buf, sizeof(buf))) || !floats(l, row, 1 + m->hidden)) {
            fail(err, err_size, "line %d: expected %d numbers (bias, weights)", line, 1 + m->hidden);
            return -1;
        }
        m->b2[c] = row[0];
        memcpy(m->w2[c], row + 1, sizeof(float) * m->hidden);
    }
    /* a bound on the correction: larger ones lost on held-out frames */
    if (!(l = next_line(&p, &line, buf, sizeof(buf))) || !(strncmp(l, "clip ", 5) == 0) ||
        !floats(l + 5, &m->clip, 1) || !(m->clip > 0 && m->clip <= 1)) {
        fail(err, err_size, "line %d: expected 'clip C', 0 < C <= 1", line);
        return -1;
    }
    if (next_line(&p, &line, buf, sizeof(buf))) {
        fail(err, err_size, "line %d: unexpected text after the table", line);
        return -1;
    }
    return 0;
}

const nr_chroma_learned *nr_chroma_learned_builtin(void)
{
    static nr_chroma_learned m;
    static int state;   /* 0 unparsed, 1 ok, -1 broken */
    /* parsing is deterministic: concurrent first calls write the same bytes */
    int s = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
    if (!s) {
        nr_chroma_learned t;
        s = nr_chroma_learned_parse(nr_chroma_learned_builtin_table, &t, NULL, 0) == 0 ? 1 : -1;
        snprintf(t.name, sizeof(t.name), "chroma-learned-v1");
        if (s == 1)
            m = t;
        __atomic_store_n(&state, s, __ATOMIC_RELEASE);
    }
    return s == 1 ? &m : NULL;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int nr_chroma_learned_apply(const nr_chroma_learned *m, const float *guide,
                            ptrdiff_t guide_stride, int w, int h, float *cb, float *cr,
                            ptrdiff_t stride)
{
    if (!m || !guide || !cb || !cr || w < 1 || h < 1 || m->hidden < 1 ||
        m->hidden > NR_CHROMA_LEARNED_MAX_HIDDEN)
        return -1;
    /* the input planes, as the correction reads neighbours it changes */
    float *src = malloc(sizeof(float) * (size_t)w * h * 2);
    if (!src)
        return -1;
    float *scb = src, *scr = src + (size_t)w * h;
    for (int y = 0; y < h; y++) {
        memcpy(scb + (size_t)y * w, cb + (ptrdiff_t)y * stride, sizeof(float) * w);
        memcpy(scr + (size_t)y * w, cr + (ptrdiff_t)y * stride, sizeof(float) * w);
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t o = (size_t)y * w + x;
            double yc = guide[(ptrdiff_t)y * guide_stride + x];
            float in[NR_CHROMA_LEARNED_TAPS * 3];
            for (int t = 0; t < NR_CHROMA_LEARNED_TAPS; t++) {
                int sx = clampi(x + m->dx[t], 0, w - 1), sy = clampi(y + m->dy[t], 0, h - 1);
                size_t so = (size_t)sy * w + sx;
                in[t * 3] = (float)(guide[(ptrdiff_t)sy * guide_stride + sx] - yc);
                in[t * 3 + 1] = scb[so] - scb[o];
                in[t * 3 + 2] = scr[so] - scr[o];
            }
            double out[2] = { m->b2[0], m->b2[1] };
            for (int k = 0; k < m->hidden; k++) {
                double a = m->b1[k];
                for (int i = 0; i < NR_CHROMA_LEARNED_TAPS * 3; i++)
                    a += (double)m->w1[k][i] * in[i];
                if (a > 0) {
                    out[0] += m->w2[0][k] * a;
                    out[1] += m->w2[1][k] * a;
                }
            }
            cb[(ptrdiff_t)y * stride + x] = (float)(scb[o] + fmin(fmax(out[0], -m->clip), m->clip));
            cr[(ptrdiff_t)y * stride + x] = (float)(scr[o] + fmin(fmax(out[1], -m->clip), m->clip));
        }
    free(src);
    return 0;
}
