/*
 * Internal: the descale passes as building blocks, for the descale writer
 * (descale.c) and the rescale writer (rescale.c), which runs the same two
 * passes in front of its mask and upscale.
 */
#ifndef NR_DESCALE_PASSES_H
#define NR_DESCALE_PASSES_H

#include "glsl_buf.h"
#include "nativeres_glsl.h"
#include "weight_table.h"

#include <stdint.h>

/* Names and the pieces of text both passes share. */
typedef struct descale_ctx {
    const nr_scale *s;
    const char *desc_prefix; /* "nativeres descale", "nativeres rescale: descale" */
    char kernel[128];
    char border[32];        /* " border=zero" or "" for the default mirror */
    char win_h[96], win_v[96];
    char tex_h[48], tex_v[48], tex_mid[48];
    int sw, sh, nw, nh;
} descale_ctx;

typedef struct nr_descale_plan {
    descale_ctx c;
    bool do_h, do_v;          /* an identity axis has no pass */
    nr_weights wh, wv;
    nr_table_layout lay_h, lay_v;
    double bound_2d;
    uint32_t hash;            /* of sizes and tables: unique texture names */
} nr_descale_plan;

/* Tables, names and bounds. Texture names start with name_prefix, //!DESC
 * lines with desc_prefix (both kept for the plan's life). -1 with a reason. */
int nr_descale_plan_init(nr_descale_plan *p, const nr_scale *s, double tolerance,
                         const char *name_prefix, const char *desc_prefix,
                         char *err, size_t err_size);
void nr_descale_plan_free(nr_descale_plan *p);

/* A second value the last pass derives from each descaled sample and saves
 * beside it (a later pass's input, e.g. the upscaler's working light): one
 * texture read and one pass fewer than a pass of its own. `functions` is
 * GLSL the expression needs, `expr` a float expression of `sum` (the
 * descaled value), `what` the words //!DESC adds. */
typedef struct nr_descale_extra {
    const char *functions, *expr, *what;
} nr_descale_extra;

/* The passes (one per non-identity axis). final_save NULL: the last pass
 * replaces the hooked plane with one value; else it saves final_save as a
 * hi/lo pair (2 components: read hi + lo), and with `extra` (needs
 * final_save) the extra value as a second pair (.zw, 4 components). */
void nr_descale_plan_write_passes(nr_glsl_buf *b, const nr_descale_plan *p, const char *final_save,
                                  const nr_descale_extra *extra);
int nr_descale_plan_write_textures(nr_glsl_buf *b, const nr_descale_plan *p);
void nr_descale_plan_info(const nr_descale_plan *p, nr_glsl_descale_info *info);

#endif
