/*
 * Fuzz target: nativeres-gen's pack table parser (gen_pack_read, the
 * same code as `nativeres-gen pack TABLE`). When a table parses and its
 * source is small, the first shader and the pack README are generated
 * too, so that every value the parser accepted reaches the writers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gen_pack.h"
#include "gen_presets.h"
#include "nativeres_glsl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Shaders for sources up to this size are cheap enough to generate on
 * every input; bigger ones are only parsed. */
#define MAX_GENERATE_SIDE 256

static void generate_first(const gen_pack *p)
{
    if (p->source_w > MAX_GENERATE_SIDE || p->source_h > MAX_GENERATE_SIDE)
        return;
    char err[256];
    gen_pack_entry e = { .height = p->heights[0], .kernel = &p->kernels[0] };
    nr_scale s = { .kernel = p->kernels[0].kernel, .border = p->border };
    if (nr_scale_for_height(&s, p->source_w, p->source_h, e.height, 0, err, sizeof(err)) < 0)
        abort();   /* check_complete accepted this height */
    gen_pack_file_name(e.height, e.kernel->label, e.file, sizeof(e.file));
    nr_glsl_opts o;
    nr_glsl_opts_default(&o);
    o.tolerance = p->tolerance;
    o.file_name = e.file;
    e.text = nr_glsl_descale_ex(&s, &o, &e.info, err, sizeof(err));
    char *readme = gen_pack_readme(p, "fuzz.txt", &e, e.text ? 1 : 0);
    free(readme);
    free(e.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f)
        return 0;
    gen_pack p;
    if (gen_pack_read(f, "fuzz.txt", &p) == 0) {
        if (p.n_heights < 1 || p.n_kernels < 1)
            abort();
        generate_first(&p);
        gen_pack_free(&p);
    }
    fclose(f);
    return 0;
}
