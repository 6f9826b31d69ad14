/*
 * cli_options: argument scanning, number parsing and the kernel / border /
 * window flag groups shared by the subcommands.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"

int nr_cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("nativeres: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

static bool parse_plain(const char *s, double *v)
{
    char *end;
    if (!*s)
        return false;
    double x = strtod(s, &end);
    if (*end != '\0' || !isfinite(x))
        return false;
    *v = x;
    return true;
}

bool nr_cli_parse_number(const char *s, double *v)
{
    const char *slash = strchr(s, '/');
    if (!slash)
        return parse_plain(s, v);
    /* "a/b", as the descale literature writes b=1/3 */
    char num[64];
    size_t len = (size_t)(slash - s);
    if (len == 0 || len >= sizeof(num))
        return false;
    memcpy(num, s, len);
    num[len] = '\0';
    double a, b;
    if (!parse_plain(num, &a) || !parse_plain(slash + 1, &b) || b == 0.0 || !isfinite(a / b))
        return false;
    *v = a / b;
    return true;
}

int nr_cli_next(nr_cli_args *a, const char **name, const char **value)
{
    if (a->i >= a->argc)
        return -1;
    const char *arg = a->argv[a->i++];
    if (!a->options_done && !strcmp(arg, "--")) {
        a->options_done = true;
        return nr_cli_next(a, name, value);
    }
    if (!a->options_done && arg[0] == '-' && arg[1] != '\0') {
        /* "-h" is the only short option; everything else is "--name" */
        static char buf[64];
        const char *body = arg[1] == '-' ? arg + 2 : arg + 1;
        const char *eq = strchr(body, '=');
        size_t len = eq ? (size_t)(eq - body) : strlen(body);
        if (len >= sizeof(buf))
            len = sizeof(buf) - 1;
        memcpy(buf, body, len);
        buf[len] = '\0';
        *name = buf;
        *value = eq ? eq + 1 : NULL;
        return 1;
    }
    *name = NULL;
    *value = arg;
    return 0;
}

const char *nr_cli_value(nr_cli_args *a, const char *name, const char *inline_value)
{
    if (inline_value)
        return inline_value;
    if (a->i >= a->argc) {
        nr_cli_fail("option --%s needs a value", name);
        return NULL;
    }
    return a->argv[a->i++];
}

static int take_number(nr_cli_args *a, const char *name, const char *inline_value,
                       double *v, bool *has)
{
    const char *s = nr_cli_value(a, name, inline_value);
    if (!s)
        return -1;
    if (!nr_cli_parse_number(s, v)) {
        nr_cli_fail("--%s: '%s' is not a finite number", name, s);
        return -1;
    }
    *has = true;
    return 1;
}

int nr_kernel_opts_take(nr_kernel_opts *ko, nr_cli_args *a, const char *name,
                        const char *inline_value)
{
    if (!strcmp(name, "kernel")) {
        ko->name = nr_cli_value(a, name, inline_value);
        return ko->name ? 1 : -1;
    }
    if (!strcmp(name, "b"))
        return take_number(a, name, inline_value, &ko->b, &ko->has_b);
    if (!strcmp(name, "c"))
        return take_number(a, name, inline_value, &ko->c, &ko->has_c);
    if (!strcmp(name, "taps"))
        return take_number(a, name, inline_value, &ko->taps, &ko->has_taps);
    if (!strcmp(name, "blur"))
        return take_number(a, name, inline_value, &ko->blur, &ko->has_blur);
    return 0;
}

int nr_window_opts_take(nr_window_opts *wo, nr_cli_args *a, const char *name,
                        const char *inline_value)
{
    if (!strcmp(name, "src-left"))
        return take_number(a, name, inline_value, &wo->left, &wo->has_left);
    if (!strcmp(name, "src-top"))
        return take_number(a, name, inline_value, &wo->top, &wo->has_top);
    if (!strcmp(name, "src-width"))
        return take_number(a, name, inline_value, &wo->width, &wo->has_width);
    if (!strcmp(name, "src-height"))
        return take_number(a, name, inline_value, &wo->height, &wo->has_height);
    return 0;
}

int nr_border_opt_take(nr_border *border, nr_cli_args *a, const char *name,
                       const char *inline_value)
{
    if (strcmp(name, "border"))
        return 0;
    const char *s = nr_cli_value(a, name, inline_value);
    if (!s)
        return -1;
    if (!nr_border_parse(s, border)) {
        nr_cli_fail("--border: unknown border mode '%s' (use mirror, zero or repeat)", s);
        return -1;
    }
    return 1;
}

bool nr_window_opts_any(const nr_window_opts *wo)
{
    return wo->has_left || wo->has_top || wo->has_width || wo->has_height;
}

int nr_kernel_opts_resolve(const nr_kernel_opts *ko, nr_kernel *k)
{
    if (!ko->name) {
        nr_cli_fail("missing --kernel (see --help for the names)");
        return -1;
    }
    if (!nr_kernel_parse(ko->name, k)) {
        nr_cli_fail("unknown kernel '%s' (see --help for the names)", ko->name);
        return -1;
    }
    if ((ko->has_b || ko->has_c) && k->type != NR_KERNEL_BICUBIC) {
        nr_cli_fail("--b/--c only apply to bicubic kernels, not '%s'", ko->name);
        return -1;
    }
    if (ko->has_taps && k->type != NR_KERNEL_LANCZOS) {
        nr_cli_fail("--taps only applies to lanczos kernels, not '%s'", ko->name);
        return -1;
    }
    if (ko->has_b)
        k->b = ko->b;
    if (ko->has_c)
        k->c = ko->c;
    if (ko->has_taps) {
        if (ko->taps < 1 || ko->taps != floor(ko->taps)) {
            nr_cli_fail("--taps must be a positive integer, not %g", ko->taps);
            return -1;
        }
        if (ko->taps > 1000) {
            nr_cli_fail("--taps %g is too large", ko->taps);
            return -1;
        }
        k->taps = (int)ko->taps;
    }
    if (ko->has_blur) {
        if (!(ko->blur > 0)) {
            nr_cli_fail("--blur must be positive, not %g", ko->blur);
            return -1;
        }
        k->blur = ko->blur;
    }
    char why[256] = "";
    if (nr_kernel_validate(k, why, sizeof(why)) < 0) {
        nr_cli_fail("kernel '%s': %s", ko->name, why);
        return -1;
    }
    return 0;
}

void nr_cli_print_kernel_help(void)
{
    printf("Kernel flags:\n"
           "  --kernel NAME      studio kernel (required):");
    int col = 100;
    for (const char *const *n = nr_kernel_names(); *n; n++) {
        int len = (int)strlen(*n) + 1;
        if (col + len > 78) {
            printf("\n                    ");
            col = 20;
        }
        printf(" %s", *n);
        col += len;
    }
    printf("\n"
           "  --b B --c C        bicubic parameters (fractions like 1/3 accepted)\n"
           "  --taps T           lanczos taps\n"
           "  --blur X           widen (X > 1) or narrow the kernel (default 1)\n"
           "  --border MODE      mirror (default), zero or repeat\n"
           "Window flags (in native pixels, like descale's src_*):\n"
           "  --src-left X --src-top Y --src-width W --src-height H\n");
}
