/* Test data readers: binary PGM (P5, 8/16-bit) and single-channel PFM, and
 * the reference cases table of the descale plugin (tests/data/descale). */
#ifndef NR_TEST_REFDATA_H
#define NR_TEST_REFDATA_H

#include "nativeres.h"

typedef struct plane {
    int w, h;
    float *data;    /* top row first */
} plane;

int read_pgm(const char *path, plane *p);
int read_pfm(const char *path, plane *p);
void plane_free(plane *p);

typedef struct ref_case {
    char op[16], input[128], output[128];
    nr_scale scale;       /* native = width/height columns for descale, full for upscale */
} ref_case;

/* Reads cases.tsv; returns the number of cases (<= max) or -1. For upscale
 * rows, full_w/h are the output size and native_w/h the input size. */
int read_cases(const char *path, ref_case *cases, int max, const char *datadir);

#endif
