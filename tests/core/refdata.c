#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refdata.h"

static int read_header_int(FILE *f, int *v)
{
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (c == '#') {
            while ((c = fgetc(f)) != EOF && c != '\n') {}
        } else if (c > ' ') {
            ungetc(c, f);
            return fscanf(f, "%d", v) == 1 ? 0 : -1;
        }
    }
    return -1;
}

int read_pgm(const char *path, plane *p)
{
    FILE *f = fopen(path, "rb");
    int maxval;
    if (!f)
        return -1;
    if (fgetc(f) != 'P' || fgetc(f) != '5' || read_header_int(f, &p->w) ||
        read_header_int(f, &p->h) || read_header_int(f, &maxval) || maxval < 1 || maxval > 65535) {
        fclose(f);
        return -1;
    }
    fgetc(f);
    size_t n = (size_t)p->w * p->h, bps = maxval > 255 ? 2 : 1;
    unsigned char *raw = malloc(n * bps);
    p->data = malloc(n * sizeof(float));
    int ok = raw && p->data && fread(raw, bps, n, f) == n;
    for (size_t i = 0; ok && i < n; i++)
        p->data[i] = (bps == 2 ? (raw[2 * i] << 8 | raw[2 * i + 1]) : raw[i]) / (float)maxval;
    free(raw);
    fclose(f);
    return ok ? 0 : -1;
}

int read_pfm(const char *path, plane *p)
{
    FILE *f = fopen(path, "rb");
    char magic[3] = { 0 };
    double scale;
    if (!f)
        return -1;
    if (fscanf(f, "%2s %d %d %lf", magic, &p->w, &p->h, &scale) != 4 || strcmp(magic, "Pf")) {
        fclose(f);
        return -1;
    }
    fgetc(f);
    size_t n = (size_t)p->w * p->h;
    p->data = malloc(n * sizeof(float));
    /* rows are stored bottom to top; the tests run on little-endian hosts */
    int ok = p->data != NULL && scale < 0;
    for (int y = p->h - 1; ok && y >= 0; y--)
        ok = fread(p->data + (size_t)y * p->w, sizeof(float), p->w, f) == (size_t)p->w;
    fclose(f);
    return ok ? 0 : -1;
}

void plane_free(plane *p)
{
    free(p->data);
    p->data = NULL;
}

static double parse_number(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash ? atof(s) / atof(slash + 1) : atof(s);
}

int read_cases(const char *path, ref_case *cases, int max, const char *datadir)
{
    (void)datadir;
    FILE *f = fopen(path, "r");
    char line[1024];
    int n = 0;
    if (!f)
        return -1;
    if (!fgets(line, sizeof(line), f)) {   /* header */
        fclose(f);
        return -1;
    }
    while (n < max && fgets(line, sizeof(line), f)) {
        char *field[12];
        int nf = 0;
        line[strcspn(line, "\r\n")] = 0;
        for (char *tok = strtok(line, "\t"); tok && nf < 12; tok = strtok(NULL, "\t"))
            field[nf++] = tok;
        if (nf != 12)
            continue;
        ref_case *c = &cases[n];
        memset(c, 0, sizeof(*c));
        snprintf(c->op, sizeof(c->op), "%s", field[0]);
        snprintf(c->input, sizeof(c->input), "%s", field[1]);
        snprintf(c->output, sizeof(c->output), "%s", field[2]);
        nr_scale *s = &c->scale;
        if (!nr_kernel_parse(field[5], &s->kernel) || !nr_border_parse(field[11], &s->border)) {
            fclose(f);
            return -1;
        }
        /* kernel_params: "-", "b=.. c=..", "taps=N" */
        for (char *kv = strtok(field[6], " "); kv; kv = strtok(NULL, " ")) {
            if (!strncmp(kv, "b=", 2)) s->kernel.b = parse_number(kv + 2);
            if (!strncmp(kv, "c=", 2)) s->kernel.c = parse_number(kv + 2);
            if (!strncmp(kv, "taps=", 5)) s->kernel.taps = atoi(kv + 5);
        }
        int w = atoi(field[3]), h = atoi(field[4]);
        s->win_left = atof(field[7]);
        s->win_top = atof(field[8]);
        s->win_width = atof(field[9]);
        s->win_height = atof(field[10]);
        if (!strcmp(c->op, "descale")) {
            s->native_w = w;
            s->native_h = h;
        } else {
            s->full_w = w;
            s->full_h = h;
        }
        n++;
    }
    fclose(f);
    return n;
}
