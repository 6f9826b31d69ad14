#include "gen_cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gen_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("nativeres-gen: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return GEN_EXIT_USAGE;
}

bool gen_parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool gen_parse_int(const char *s, int *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno == ERANGE || v < INT_MIN || v > INT_MAX)
        return false;
    *out = (int)v;
    return true;
}

bool gen_opt(gen_args *a, const char *name)
{
    const char *arg = a->argv[a->i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return false;
    a->missing = false;
    if (arg[n] == '=') {
        a->value = arg + n + 1;
        a->missing = !*a->value;
        return true;
    }
    if (arg[n] != '\0')
        return false;
    if (a->i + 1 >= a->argc) {
        a->value = NULL;
        a->missing = true;
        return true;
    }
    a->value = a->argv[++a->i];
    return true;
}

bool gen_opt_double(const gen_args *a, const char *name, double *out)
{
    if (!gen_parse_double(a->value, out)) {
        gen_error("%s: '%s' is not a finite number", name, a->value);
        return false;
    }
    return true;
}

bool gen_opt_int(const gen_args *a, const char *name, int *out)
{
    if (!gen_parse_int(a->value, out)) {
        gen_error("%s: '%s' is not an integer", name, a->value);
        return false;
    }
    return true;
}
