/*
 * nativeres-gen: shared command-line helpers. Every bad input ends the
 * same way: one line on stderr and exit status GEN_EXIT_USAGE.
 */
#ifndef GEN_CLI_H
#define GEN_CLI_H

#include <stdbool.h>
#include <stdio.h>

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

/* A command's options as a table, parsed by gen_parse_options. */
typedef enum gen_opt_kind {
    GEN_OPT_STRING,   /* value: const char ** */
    GEN_OPT_INT,      /* value: int * */
    GEN_OPT_DOUBLE,   /* value: double * (finite) */
    GEN_OPT_SWITCH,   /* value: bool *, takes no argument */
} gen_opt_kind;

typedef struct gen_option {
    const char *name;   /* "--height"; NULL ends the table */
    gen_opt_kind kind;
    void *value;
    bool *given;        /* optional: set when the option appears */
} gen_option;

#define GEN_PARSE_HELP 1

/* Parses argv against opts ("--name value" or "--name=value"). Returns 0,
 * GEN_PARSE_HELP for -h/--help, or -1 after printing the error (a missing
 * value, a value of the wrong type, an unknown option naming cmd). With
 * rest, options not in the table are appended there, in order, for another
 * parser instead (rest needs room for argc entries). */
int gen_parse_options(int argc, char **argv, const gen_option *opts, const char *cmd,
                      char **rest, int *nrest);

/* The exit status for a result r != 0 of gen_parse_options: prints usage
 * for --help (0), else GEN_EXIT_USAGE (the error is printed already). */
int gen_parse_exit(int r, void (*usage)(FILE *f));

/* -o FILE / --output FILE, the last entries of a shader command's table. */
#define GEN_OUTPUT_OPTIONS(output) \
    { "-o", GEN_OPT_STRING, (output), NULL }, \
    { "--output", GEN_OPT_STRING, (output), NULL }, \
    { NULL, GEN_OPT_STRING, NULL, NULL }

#endif
