/*
 * nativeres-gen: a kernel from a name plus optional parameter overrides,
 * as both the descale options and the pack table's named entries give it.
 */
#ifndef GEN_KERNEL_H
#define GEN_KERNEL_H

#include "nativeres.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct gen_kernel_params {
    bool has_b, has_c, has_taps, has_blur;
    double b, c, blur;
    int taps;
} gen_kernel_params;

/* Parses `name` (nr_kernel_parse) and applies the overrides: b/c only on a
 * bicubic, taps only on a lanczos; then nr_kernel_validate. 0, or -1 with a
 * one-line reason in err. */
int gen_kernel_build(const char *name, const gen_kernel_params *p, nr_kernel *k,
                     char *err, size_t err_size);

/* "catrom (bicubic b=0 c=0.5)", "lanczos3 (taps=3)", "bilinear". */
void gen_kernel_describe(const nr_kernel *k, char *buf, size_t size);

#endif
