/*
 * nativeres-gen pack: a whole shader pack from a pack table. Every shader
 * is generated in memory first; files are written only when all of them
 * succeeded, and then all or none (gen_output).
 */
#include "gen_commands.h"

#include "gen_cli.h"
#include "gen_output.h"
#include "gen_pack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void gen_pack_usage(FILE *f)
{
    fputs(
        "usage: nativeres-gen pack TABLE -o DIR\n"
        "  Writes one descale shader per (height, kernel) of the pack table TABLE\n"
        "  (format: see presets/pack-1080p.txt) into DIR, named\n"
        "  nativeres_descale_<height>p_<kernel>.glsl, plus DIR/README.md listing them.\n"
        "  DIR is created if missing (its parent must exist).\n", f);
}

static int generate(const gen_pack *p, gen_pack_entry *e, double height,
                    const gen_pack_kernel *k)
{
    char err[256];
    nr_scale s = { .kernel = k->kernel, .border = p->border };
    if (nr_scale_for_height(&s, p->source_w, p->source_h, height, 0, err, sizeof(err)) < 0)
        return gen_error("height %g: %s", height, err), -1;
    *e = (gen_pack_entry){ .height = height, .kernel = k };
    gen_pack_file_name(height, k->label, e->file, sizeof(e->file));
    nr_glsl_opts o;
    nr_glsl_opts_default(&o);
    o.tolerance = p->tolerance;
    o.file_name = e->file;
    o.generator = "nativeres-gen";
    e->text = nr_glsl_descale_ex(&s, &o, &e->info, err, sizeof(err));
    if (!e->text)
        return gen_error("%s: %s", e->file, err), -1;
    return 0;
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s", dir, name);
    return path;
}

/* Stages every file of the pack; -1 (error printed) on the first failure. */
static int stage_all(gen_fileset *fs, const char *dir, const gen_pack_entry *e, int n,
                     const char *readme)
{
    for (int i = 0; i <= n; i++) {
        const char *name = i < n ? e[i].file : "README.md";
        const char *text = i < n ? e[i].text : readme;
        char *path = join_path(dir, name);
        if (!path)
            return gen_error("out of memory"), -1;
        int rc = gen_fileset_stage(fs, path, text, strlen(text));
        free(path);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int write_pack(const char *dir, const gen_pack_entry *e, int n, const char *readme)
{
    struct stat st;
    bool created = false;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return gen_error("'%s' exists and is not a directory", dir), -1;
    } else if (mkdir(dir, 0777) == 0) {
        created = true;
    } else {
        return gen_error("cannot create directory '%s': %s", dir, strerror(errno)), -1;
    }
    gen_fileset fs = {0};
    if (stage_all(&fs, dir, e, n, readme) < 0 || gen_fileset_commit(&fs) < 0) {
        gen_fileset_abort(&fs);   /* no-op after a failed commit */
        if (created)
            rmdir(dir);
        return -1;
    }
    return 0;
}

int gen_cmd_pack(int argc, char **argv)
{
    const char *table = NULL, *out = NULL;
    gen_args g = { .argc = argc, .argv = argv };
    for (g.i = 0; g.i < argc; g.i++) {
        const char *arg = argv[g.i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            gen_pack_usage(stdout);
            return 0;
        }
        if (gen_opt(&g, "-o") || gen_opt(&g, "--output")) {
            if (g.missing)
                return gen_error("%s needs a value", arg);
            out = g.value;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return gen_error("pack: unknown option '%s' (see --help)", arg);
        } else if (!table) {
            table = arg;
        } else {
            return gen_error("pack: one table only, got '%s' and '%s'", table, arg);
        }
    }
    if (!table)
        return gen_error("pack: no table given (usage: nativeres-gen pack TABLE -o DIR)");
    if (!out)
        return gen_error("pack: -o DIR is required");

    gen_pack p;
    if (gen_pack_load(table, &p) < 0)
        return GEN_EXIT_USAGE;
    int n = p.n_heights * p.n_kernels, done = 0, rc = GEN_EXIT_USAGE;
    gen_pack_entry *e = calloc((size_t)n, sizeof(*e));
    char *readme = NULL;
    if (!e) {
        gen_error("out of memory");
        goto out;
    }
    for (int h = 0; h < p.n_heights; h++)
        for (int k = 0; k < p.n_kernels; k++, done++)
            if (generate(&p, &e[done], p.heights[h], &p.kernels[k]) < 0)
                goto out;
    const char *table_name = strrchr(table, '/');
    readme = gen_pack_readme(&p, table_name ? table_name + 1 : table, e, n);
    if (!readme) {
        gen_error("out of memory");
        goto out;
    }
    if (write_pack(out, e, n, readme) == 0)
        rc = 0;
out:
    for (int i = 0; i < done && e; i++)
        free(e[i].text);
    free(e);
    free(readme);
    gen_pack_free(&p);
    return rc;
}
