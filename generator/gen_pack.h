/*
 * nativeres-gen pack: internal pieces shared by the pack command and its
 * README writer.
 */
#ifndef GEN_PACK_H
#define GEN_PACK_H

#include "gen_presets.h"
#include "nativeres_glsl.h"

typedef struct gen_pack_entry {
    char file[128];                /* file name inside the pack directory */
    double height;                 /* native height as written in the table */
    const gen_pack_kernel *kernel;
    nr_glsl_descale_info info;
    char *text;                    /* the shader */
} gen_pack_entry;

/* "nativeres_descale_720p_bilinear.glsl", "..._843.75p_catrom.glsl" */
void gen_pack_file_name(double height, const char *kernel_label, char *buf, size_t size);

/* The pack's README.md (malloc'd), listing every entry. NULL on OOM. */
char *gen_pack_readme(const gen_pack *p, const char *table_name,
                      const gen_pack_entry *e, int n);

#endif
