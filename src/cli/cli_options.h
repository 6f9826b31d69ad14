/*
 * cli_options — the option syntax every `nativeres` subcommand shares:
 * `--name value` or `--name=value`, numbers (finite, "a/b" fractions such
 * as 1/3 accepted), and the kernel, border and window flag groups.
 *
 * Errors are printed by the caller as "nativeres: <reason>" (exit code 2).
 */
#ifndef NR_CLI_OPTIONS_H
#define NR_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "nativeres.h"

/* Prints "nativeres: <formatted message>\n" on stderr; returns 2 (the
 * exit code for bad input). */
int nr_cli_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Parses a finite number: a decimal/scientific literal or "a/b". */
bool nr_cli_parse_number(const char *s, double *v);

/* An argument scanner. Options may come in any order among positionals;
 * "--" ends the options. */
typedef struct nr_cli_args {
    int argc;
    char **argv;
    int i;              /* next argument */
    bool options_done;  /* after "--" */
} nr_cli_args;

/* Next argument: returns 1 for an option (*name without the leading
 * dashes, valid until the next call; *value its inline "=value" or NULL),
 * 0 for a positional (*value), -1 at the end. */
int nr_cli_next(nr_cli_args *a, const char **name, const char **value);

/* The value of the current option: the inline one, else the next
 * argument. Returns NULL (after printing the error) when missing. */
const char *nr_cli_value(nr_cli_args *a, const char *name, const char *inline_value);

/* Kernel flags: --kernel NAME, --b B, --c C, --taps T, --blur X. */
typedef struct nr_kernel_opts {
    const char *name;
    double b, c, blur;
    double taps;
    bool has_b, has_c, has_taps, has_blur;
} nr_kernel_opts;

/* Window flags: --src-left, --src-top, --src-width, --src-height. */
typedef struct nr_window_opts {
    double left, top, width, height;
    bool has_left, has_top, has_width, has_height;
} nr_window_opts;

/* If name is one of the group's flags, consumes its value and returns 1;
 * returns 0 if the flag is not in the group, -1 on a bad value (the
 * error was printed). */
int nr_kernel_opts_take(nr_kernel_opts *ko, nr_cli_args *a, const char *name,
                        const char *inline_value);
int nr_window_opts_take(nr_window_opts *wo, nr_cli_args *a, const char *name,
                        const char *inline_value);
int nr_border_opt_take(nr_border *border, nr_cli_args *a, const char *name,
                       const char *inline_value);

/* Turns the kernel flags into a validated kernel; prints the error and
 * returns -1 on an unknown name, flags that do not fit the kernel, or bad
 * parameters. */
int nr_kernel_opts_resolve(const nr_kernel_opts *ko, nr_kernel *k);

bool nr_window_opts_any(const nr_window_opts *wo);

/* Help text for the shared flags. */
void nr_cli_print_kernel_help(void);

#endif
