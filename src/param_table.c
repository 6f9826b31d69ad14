/* Parameter-table text reading shared by the learned models' parsers. */
#include "param_table.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nr_table_next_line(nr_table_reader *r)
{
    while (*r->p) {
        const char *start = r->p, *end = strchr(start, '\n');
        size_t n = end ? (size_t)(end - start) : strlen(start);
        r->p += n + (end != NULL);
        r->line++;
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
        if (n >= r->cap)
            n = r->cap - 1;
        memcpy(r->buf, start, n);
        r->buf[n] = '\0';
        return r->buf;
    }
    return NULL;
}

bool nr_table_floats(const char *s, float *out, int count)
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

void nr_table_error(char *err, size_t err_size, const char *fmt, ...)
{
    if (!err || !err_size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
}
