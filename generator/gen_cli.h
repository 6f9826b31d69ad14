/*
 * nativeres-gen: shared command-line helpers. Every bad input ends the
 * same way: one line on stderr and exit status GEN_EXIT_USAGE.
 */
#ifndef GEN_CLI_H
#define GEN_CLI_H

#include <stdbool.h>

#define GEN_EXIT_USAGE 2

/* Prints "nativeres-gen: error: <message>" on stderr; returns GEN_EXIT_USAGE. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
int gen_error(const char *fmt, ...);

/* Whole-string numbers. Doubles must be finite (no nan, inf). */
bool gen_parse_double(const char *s, double *out);
bool gen_parse_int(const char *s, int *out);

/* Option scanner over argv: "--name value" or "--name=value". */
typedef struct gen_args {
    int argc;
    char **argv;
    int i;              /* current index */
    const char *value;  /* value of the option just matched */
    bool missing;       /* the option just matched has no value */
} gen_args;

/* True if argv[i] is option `name` taking a value; sets a->value (or
 * a->missing) and advances past the value. */
bool gen_opt(gen_args *a, const char *name);

/* Value parsers that report their own error; return false after printing. */
bool gen_opt_double(const gen_args *a, const char *name, double *out);
bool gen_opt_int(const gen_args *a, const char *name, int *out);

#endif
