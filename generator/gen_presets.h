/*
 * nativeres-gen: the pack table, a plain-text file users edit (see
 * presets/pack-1080p.txt for the format):
 *
 *   # comment (also after values)
 *   source 1920x1080                 the video size the pack is for
 *   heights 720 810 843.75 ...       native heights (fractional allowed)
 *   kernels bilinear catrom ...      kernel names, built in or defined below
 *   kernel NAME BASE [b=B] [c=C] [taps=T] [blur=X]   a named kernel entry
 *   tolerance 1e-4                   optional, weight truncation
 *   border mirror                    optional, mirror | zero | repeat
 *
 * `heights` and `kernels` may repeat (values add up); a `kernel` entry must
 * come before a `kernels` line that uses it.
 */
#ifndef GEN_PRESETS_H
#define GEN_PRESETS_H

#include "nativeres.h"

#include <stdio.h>

#define GEN_KERNEL_LABEL_MAX 32

typedef struct gen_pack_kernel {
    char label[GEN_KERNEL_LABEL_MAX];   /* as written; used in file names */
    nr_kernel kernel;
} gen_pack_kernel;

typedef struct gen_pack {
    int source_w, source_h;
    double tolerance;
    nr_border border;
    double *heights;
    int n_heights;
    gen_pack_kernel *kernels;   /* selected by `kernels`, in order */
    int n_kernels;
    gen_pack_kernel *defined;   /* `kernel` entries */
    int n_defined;
} gen_pack;

/* Reads and checks the table. On error prints "PATH:LINE: reason" (one
 * line) and returns -1; *p is then empty. */
int gen_pack_load(const char *path, gen_pack *p);
/* The same from an open stream (path names it in messages): the fuzz
 * target feeds it a memory buffer. */
int gen_pack_read(FILE *f, const char *path, gen_pack *p);
void gen_pack_free(gen_pack *p);

#endif
