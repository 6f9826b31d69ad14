/*
 * nativeres-gen: the descale flags (size, kernel, window, border,
 * tolerance, output), shared by `descale` and `rescale`.
 */
#ifndef GEN_DESCALE_H
#define GEN_DESCALE_H

#include "gen_kernel.h"
#include "nativeres.h"

#include <stdbool.h>

typedef struct descale_args {
    int source_w, source_h;
    double height, width;      /* width 0 = from the aspect ratio */
    bool has_height;
    const char *kernel;
    gen_kernel_params kp;
    const char *border;
    bool has_win[4];           /* src-left, src-top, src-width, src-height */
    double win[4];
    double tolerance;
    const char *output;
} descale_args;

/* Fills *a from argv (cmd names the command in messages); prints an error
 * and returns -1 on bad input, 1 for --help, 0 otherwise. */
int gen_descale_parse_args(int argc, char **argv, descale_args *a, const char *cmd);

/* The scale the arguments describe, checked by the core; -1 after an error. */
int gen_descale_build_scale(const descale_args *a, nr_scale *s);

#endif
