#include "pool_dump.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC 0x4e52504du   /* "NRPM": with the frames' candidates */

int dump_write_header(FILE *f, const dump_header *h)
{
    unsigned magic = MAGIC;
    return fwrite(&magic, sizeof(magic), 1, f) == 1 && fwrite(h, sizeof(*h), 1, f) == 1 ? 0 : -1;
}

static int write_curves(FILE *f, const nr_curve *c, int n)
{
    if (fwrite(&n, sizeof(n), 1, f) != 1)
        return -1;
    for (int k = 0; k < n; k++) {
        if (fwrite(&c[k].kernel, sizeof(c[k].kernel), 1, f) != 1 ||
            fwrite(&c[k].count, sizeof(int), 1, f) != 1 ||
            fwrite(c[k].sizes, sizeof(double), (size_t)c[k].count, f) != (size_t)c[k].count ||
            fwrite(c[k].errors, sizeof(double), (size_t)c[k].count, f) != (size_t)c[k].count)
            return -1;
    }
    return 0;
}

int dump_write_frame(FILE *f, const nr_estimate *e, int restarted)
{
    int ints[6] = {e->verdict, e->crop_x, e->crop_y, e->crop_w, e->crop_h, restarted};
    double d[2] = {e->confidence, 0};
    if (fwrite(ints, sizeof(ints), 1, f) != 1 || fwrite(d, sizeof(d), 1, f) != 1 ||
        fwrite(&e->scale, sizeof(e->scale), 1, f) != 1 ||
        fwrite(e->codec_grid, sizeof(e->codec_grid), 1, f) != 1 ||
        fwrite(&e->num_height_candidates, sizeof(int), 1, f) != 1 ||
        fwrite(e->height_candidates, sizeof(e->height_candidates), 1, f) != 1 ||
        fwrite(&e->num_width_candidates, sizeof(int), 1, f) != 1 ||
        fwrite(e->width_candidates, sizeof(e->width_candidates), 1, f) != 1)
        return -1;
    if (write_curves(f, e->height_curves, e->num_height_curves) < 0 ||
        write_curves(f, e->width_curves, e->num_width_curves) < 0)
        return -1;
    return 0;
}

int dump_read_header(FILE *f, dump_header *h)
{
    unsigned magic = 0;
    if (fread(&magic, sizeof(magic), 1, f) != 1 || magic != MAGIC ||
        fread(h, sizeof(*h), 1, f) != 1)
        return -1;
    return 0;
}

static int read_curves(FILE *f, nr_curve **out, int *n)
{
    *out = NULL;
    if (fread(n, sizeof(*n), 1, f) != 1 || *n < 0 || *n > 64)
        return -1;
    if (!*n)
        return 0;
    nr_curve *c = calloc((size_t)*n, sizeof(*c));
    if (!c)
        return -1;
    *out = c;
    for (int k = 0; k < *n; k++) {
        if (fread(&c[k].kernel, sizeof(c[k].kernel), 1, f) != 1 ||
            fread(&c[k].count, sizeof(int), 1, f) != 1 || c[k].count < 0 || c[k].count > 100000)
            return -1;
        c[k].sizes = malloc(sizeof(double) * (size_t)(c[k].count + 1));
        c[k].errors = malloc(sizeof(double) * (size_t)(c[k].count + 1));
        if (!c[k].sizes || !c[k].errors ||
            fread(c[k].sizes, sizeof(double), (size_t)c[k].count, f) != (size_t)c[k].count ||
            fread(c[k].errors, sizeof(double), (size_t)c[k].count, f) != (size_t)c[k].count)
            return -1;
    }
    return 0;
}

int dump_read_frame(FILE *f, nr_estimate *e, int *restarted)
{
    memset(e, 0, sizeof(*e));
    int ints[6];
    double d[2];
    size_t got = fread(ints, sizeof(ints), 1, f);
    if (got != 1)
        return feof(f) ? 0 : -1;
    if (fread(d, sizeof(d), 1, f) != 1 || fread(&e->scale, sizeof(e->scale), 1, f) != 1 ||
        fread(e->codec_grid, sizeof(e->codec_grid), 1, f) != 1 ||
        fread(&e->num_height_candidates, sizeof(int), 1, f) != 1 ||
        fread(e->height_candidates, sizeof(e->height_candidates), 1, f) != 1 ||
        fread(&e->num_width_candidates, sizeof(int), 1, f) != 1 ||
        fread(e->width_candidates, sizeof(e->width_candidates), 1, f) != 1)
        return -1;
    e->verdict = (nr_verdict)ints[0];
    e->crop_x = ints[1];
    e->crop_y = ints[2];
    e->crop_w = ints[3];
    e->crop_h = ints[4];
    *restarted = ints[5];
    e->confidence = d[0];
    if (read_curves(f, &e->height_curves, &e->num_height_curves) < 0 ||
        read_curves(f, &e->width_curves, &e->num_width_curves) < 0) {
        dump_free_frame(e);
        return -1;
    }
    return 1;
}

static void free_curves(nr_curve *c, int n)
{
    for (int k = 0; c && k < n; k++) {
        free(c[k].sizes);
        free(c[k].errors);
        free(c[k].dips);
    }
    free(c);
}

void dump_free_frame(nr_estimate *e)
{
    free_curves(e->height_curves, e->num_height_curves);
    free_curves(e->width_curves, e->num_width_curves);
    e->height_curves = e->width_curves = NULL;
}

FILE *dump_open(const char *path, dump_header *h)
{
    FILE *f = fopen(path, "rb");
    if (f && dump_read_header(f, h) == 0)
        return f;
    if (f)
        fclose(f);
    fprintf(stderr, "cannot read %s\n", path);
    return NULL;
}

int dump_read_types(const char *dump_path, char *types, size_t size)
{
    char path[1024];
    size_t n = strlen(dump_path);
    snprintf(path, sizeof(path), "%.*s.types", (int)(n > 4 ? n - 4 : n), dump_path);
    FILE *f = fopen(path, "r");
    bool ok = f && fgets(types, (int)size, f);
    if (f)
        fclose(f);
    if (!ok)
        fprintf(stderr, "%s: no frame types (%s)\n", dump_path, path);
    return ok ? 0 : -1;
}
