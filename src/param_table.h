/*
 * Reading nativeres' parameter tables (the .txt tables in presets/: the learned hq
 * upscaler's, the chroma hook's learned residual): text lines with '#'
 * comments, keywords and rows of numbers. Internal to libnativeres.
 */
#ifndef NR_PARAM_TABLE_H
#define NR_PARAM_TABLE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct nr_table_reader {
    const char *p;   /* next unread character of the table text */
    int line;        /* number of the line last returned (1-based) */
    char *buf;       /* the caller's buffer for the returned line */
    size_t cap;      /* its size; longer lines are cut */
} nr_table_reader;

/* The next line that is not blank once its comment is removed, without
 * surrounding blanks, in r->buf; NULL at the end of the text. */
const char *nr_table_next_line(nr_table_reader *r);

/* Exactly `count` finite numbers and nothing else on the line. */
bool nr_table_floats(const char *s, float *out, int count);

/* printf into err (may be NULL). */
void nr_table_error(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
