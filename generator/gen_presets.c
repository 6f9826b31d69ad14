#include "gen_presets.h"

#include "gen_cli.h"
#include "gen_kernel.h"
#include "nativeres_glsl.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define MAX_TOKENS 64

typedef struct loader {
    const char *path;
    int line;
    gen_pack *p;
    int *height_lines;   /* line of each height, for late checks */
    int source_line;
} loader;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_at(const loader *l, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    gen_error("%s:%d: %s", l->path, line, msg);
    return -1;
}

static bool label_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= GEN_KERNEL_LABEL_MAX)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._+-", *s))
            return false;
    return true;
}

static int add_height(loader *l, double h)
{
    gen_pack *p = l->p;
    for (int i = 0; i < p->n_heights; i++)
        if (p->heights[i] == h)
            return fail_at(l, l->line, "duplicate height %g (first on line %d)", h,
                           l->height_lines[i]);
    double *hs = realloc(p->heights, sizeof(double) * (size_t)(p->n_heights + 1));
    if (!hs)
        return fail_at(l, l->line, "out of memory");
    p->heights = hs;
    int *ls = realloc(l->height_lines, sizeof(int) * (size_t)(p->n_heights + 1));
    if (!ls)
        return fail_at(l, l->line, "out of memory");
    l->height_lines = ls;
    p->heights[p->n_heights] = h;
    l->height_lines[p->n_heights++] = l->line;
    return 0;
}

static int append_kernel(loader *l, gen_pack_kernel **list, int *n, const gen_pack_kernel *k)
{
    gen_pack_kernel *ks = realloc(*list, sizeof(*ks) * (size_t)(*n + 1));
    if (!ks)
        return fail_at(l, l->line, "out of memory");
    *list = ks;
    ks[(*n)++] = *k;
    return 0;
}

/* `kernel NAME BASE [b=B] [c=C] [taps=T] [blur=X]` */
static int parse_kernel_entry(loader *l, char **tok, int n)
{
    if (n < 3)
        return fail_at(l, l->line, "expected 'kernel NAME BASE [b=B] [c=C] [taps=T] [blur=X]'");
    const char *name = tok[1], *base = tok[2];
    nr_kernel probe;
    if (!label_ok(name))
        return fail_at(l, l->line, "kernel name '%s': use up to %d letters, digits or ._+-",
                       name, GEN_KERNEL_LABEL_MAX - 1);
    if (nr_kernel_parse(name, &probe))
        return fail_at(l, l->line, "'%s' is a built-in kernel; give the entry another name", name);
    for (int i = 0; i < l->p->n_defined; i++)
        if (!strcmp(l->p->defined[i].label, name))
            return fail_at(l, l->line, "kernel '%s' is defined twice", name);
    gen_kernel_params kp = {0};
    for (int i = 3; i < n; i++) {
        char *eq = strchr(tok[i], '=');
        if (!eq)
            return fail_at(l, l->line, "'%s': expected key=value (b, c, taps or blur)", tok[i]);
        *eq = '\0';
        const char *key = tok[i], *val = eq + 1;
        bool ok;
        if (!strcmp(key, "b"))
            ok = gen_parse_double(val, &kp.b), kp.has_b = true;
        else if (!strcmp(key, "c"))
            ok = gen_parse_double(val, &kp.c), kp.has_c = true;
        else if (!strcmp(key, "blur"))
            ok = gen_parse_double(val, &kp.blur), kp.has_blur = true;
        else if (!strcmp(key, "taps"))
            ok = gen_parse_int(val, &kp.taps), kp.has_taps = true;
        else
            return fail_at(l, l->line, "unknown kernel parameter '%s' (b, c, taps or blur)", key);
        if (!ok)
            return fail_at(l, l->line, "%s=%s: not a valid %s", key, val,
                           strcmp(key, "taps") ? "finite number" : "integer");
    }
    gen_pack_kernel k = {0};
    snprintf(k.label, sizeof(k.label), "%s", name);
    char err[256];
    if (gen_kernel_build(base, &kp, &k.kernel, err, sizeof(err)) < 0)
        return fail_at(l, l->line, "%s", err);
    return append_kernel(l, &l->p->defined, &l->p->n_defined, &k);
}

static int select_kernel(loader *l, const char *name)
{
    gen_pack *p = l->p;
    for (int i = 0; i < p->n_kernels; i++)
        if (!strcmp(p->kernels[i].label, name))
            return fail_at(l, l->line, "kernel '%s' is listed twice", name);
    for (int i = 0; i < p->n_defined; i++)
        if (!strcmp(p->defined[i].label, name))
            return append_kernel(l, &p->kernels, &p->n_kernels, &p->defined[i]);
    gen_pack_kernel k = {0};
    if (!label_ok(name) || !nr_kernel_parse(name, &k.kernel))
        return fail_at(l, l->line, "unknown kernel '%s' (see --list-kernels, or define it "
                       "with a 'kernel' line above)", name);
    snprintf(k.label, sizeof(k.label), "%s", name);
    return append_kernel(l, &p->kernels, &p->n_kernels, &k);
}

static int parse_line(loader *l, char *text)
{
    char *hash = strchr(text, '#');
    if (hash)
        *hash = '\0';
    char *tok[MAX_TOKENS], *save = NULL;
    int n = 0;
    for (char *t = strtok_r(text, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == MAX_TOKENS)
            return fail_at(l, l->line, "too many values on one line (at most %d)", MAX_TOKENS - 1);
        tok[n++] = t;
    }
    if (n == 0)
        return 0;
    const char *key = tok[0];
    gen_pack *p = l->p;
    if (!strcmp(key, "source")) {
        int w, h;
        char extra;
        if (n != 2 || sscanf(tok[1], "%dx%d%c", &w, &h, &extra) != 2 || w < 8 || h < 8)
            return fail_at(l, l->line, "expected 'source WIDTHxHEIGHT', e.g. 'source 1920x1080'");
        if (l->source_line)
            return fail_at(l, l->line, "second 'source' line (first on line %d)", l->source_line);
        p->source_w = w;
        p->source_h = h;
        l->source_line = l->line;
        return 0;
    }
    if (!strcmp(key, "heights")) {
        if (n < 2)
            return fail_at(l, l->line, "'heights' needs at least one value");
        for (int i = 1; i < n; i++) {
            double h;
            if (!gen_parse_double(tok[i], &h))
                return fail_at(l, l->line, "height '%s' is not a finite number", tok[i]);
            if (add_height(l, h) < 0)
                return -1;
        }
        return 0;
    }
    if (!strcmp(key, "kernels")) {
        if (n < 2)
            return fail_at(l, l->line, "'kernels' needs at least one name");
        for (int i = 1; i < n; i++)
            if (select_kernel(l, tok[i]) < 0)
                return -1;
        return 0;
    }
    if (!strcmp(key, "kernel"))
        return parse_kernel_entry(l, tok, n);
    if (!strcmp(key, "tolerance")) {
        double t;
        if (n != 2 || !gen_parse_double(tok[1], &t) || t < 0 || t >= 1)
            return fail_at(l, l->line, "expected 'tolerance T' with T in [0, 1)");
        p->tolerance = t;
        return 0;
    }
    if (!strcmp(key, "border")) {
        if (n != 2 || !nr_border_parse(tok[1], &p->border))
            return fail_at(l, l->line, "expected 'border mirror|zero|repeat'");
        return 0;
    }
    return fail_at(l, l->line, "unknown key '%s' (source, heights, kernels, kernel, "
                   "tolerance, border)", key);
}

/* Checks that need the whole file: something to generate, heights that fit. */
static int check_complete(loader *l)
{
    gen_pack *p = l->p;
    if (!l->source_line)
        return fail_at(l, l->line, "no 'source WIDTHxHEIGHT' line");
    if (p->n_heights == 0)
        return fail_at(l, l->line, "no 'heights' line");
    if (p->n_kernels == 0)
        return fail_at(l, l->line, "no 'kernels' line");
    for (int i = 0; i < p->n_heights; i++) {
        nr_scale s = { .kernel = p->kernels[0].kernel, .border = p->border };
        char err[256];
        if (nr_scale_for_height(&s, p->source_w, p->source_h, p->heights[i], 0,
                                err, sizeof(err)) < 0 ||
            nr_scale_validate(&s, err, sizeof(err)) < 0)
            return fail_at(l, l->height_lines[i], "height %g: %s", p->heights[i], err);
    }
    return 0;
}

void gen_pack_free(gen_pack *p)
{
    free(p->heights);
    free(p->kernels);
    free(p->defined);
    *p = (gen_pack){0};
}

int gen_pack_read(FILE *f, const char *path, gen_pack *p)
{
    *p = (gen_pack){ .tolerance = NR_GLSL_DEFAULT_TOLERANCE, .border = NR_BORDER_MIRROR };
    loader l = { .path = path, .p = p };
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        l.line++;
        if ((size_t)len != strlen(line)) {
            rc = fail_at(&l, l.line, "NUL byte: not a text file");
            break;
        }
        if ((rc = parse_line(&l, line)) < 0)
            break;
    }
    if (rc == 0 && ferror(f)) {
        gen_error("cannot read '%s': %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0)
        rc = check_complete(&l);
    free(line);
    free(l.height_lines);
    if (rc < 0)
        gen_pack_free(p);
    return rc;
}

int gen_pack_load(const char *path, gen_pack *p)
{
    *p = (gen_pack){0};
    FILE *f = fopen(path, "r");
    if (!f)
        return gen_error("cannot read '%s': %s", path, strerror(errno)), -1;
    int rc = gen_pack_read(f, path, p);
    fclose(f);
    return rc;
}
