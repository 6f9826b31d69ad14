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

/* Value parsers that report their own error; false after printing. */
static bool gen_opt_double(const gen_args *a, const char *name, double *out)
{
    if (!gen_parse_double(a->value, out)) {
        gen_error("%s: '%s' is not a finite number", name, a->value);
        return false;
    }
    return true;
}

static bool gen_opt_int(const gen_args *a, const char *name, int *out)
{
    if (!gen_parse_int(a->value, out)) {
        gen_error("%s: '%s' is not an integer", name, a->value);
        return false;
    }
    return true;
}

int gen_parse_options(int argc, char **argv, const gen_option *opts, const char *cmd,
                      char **rest, int *nrest)
{
    gen_args g = { .argc = argc, .argv = argv };
    for (g.i = 0; g.i < argc; g.i++) {
        const char *arg = argv[g.i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
            return GEN_PARSE_HELP;
        const gen_option *o = opts;
        while (o->name &&
               !(o->kind == GEN_OPT_SWITCH ? !strcmp(arg, o->name) : gen_opt(&g, o->name)))
            o++;
        if (!o->name) {
            if (!rest) {
                gen_error("%s: unknown option '%s' (see --help)", cmd, arg);
                return -1;
            }
            rest[(*nrest)++] = argv[g.i];
            continue;
        }
        if (o->given)
            *o->given = true;
        if (o->kind == GEN_OPT_SWITCH) {
            *(bool *)o->value = true;
            continue;
        }
        if (g.missing) {
            gen_error("%s needs a value", o->name);
            return -1;
        }
        bool ok = o->kind == GEN_OPT_INT      ? gen_opt_int(&g, o->name, o->value)
                : o->kind == GEN_OPT_DOUBLE   ? gen_opt_double(&g, o->name, o->value)
                : (*(const char **)o->value = g.value, true);
        if (!ok)
            return -1;
    }
    return 0;
}

int gen_parse_exit(int r, void (*usage)(FILE *f))
{
    if (r != GEN_PARSE_HELP)
        return GEN_EXIT_USAGE;
    usage(stdout);
    return 0;
}
