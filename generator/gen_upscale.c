/*
 * nativeres-gen upscale: the learned (hq) upscaler as a standalone mpv
 * shader, from the built-in parameter table or --model FILE.
 */
#include "gen_commands.h"

#include "gen_cli.h"
#include "gen_output.h"
#include "nativeres_upscaler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gen_upscale_usage(FILE *f)
{
    fputs(
        "usage: nativeres-gen upscale -o FILE.glsl [options]\n"
        "  Writes an mpv user shader that doubles the luma plane with nativeres' learned\n"
        "  upscaler (hq); meant to follow a descale shader in glsl-shaders.\n"
        "  --width W --height H   luma size it acts on (the native size; default: any)\n"
        "  --output-width OW --output-height OH   resample to this size (default: 2x)\n"
        "  --model FILE        parameter table (default: the built-in hq-upscaler-v1)\n"
        "  -o, --output FILE   output file, written atomically; '-' = stdout\n", f);
}

int gen_cmd_upscale(int argc, char **argv)
{
    nr_glsl_upscale_opts o = { .generator = "nativeres-gen" };
    const char *model = NULL, *output = NULL;
    bool given[4] = { false };
    const gen_option opts[] = {   /* the four sizes first: checked below */
        { "--width", GEN_OPT_INT, &o.in_w, &given[0] },
        { "--height", GEN_OPT_INT, &o.in_h, &given[1] },
        { "--output-width", GEN_OPT_INT, &o.out_w, &given[2] },
        { "--output-height", GEN_OPT_INT, &o.out_h, &given[3] },
        { "--model", GEN_OPT_STRING, &model, NULL },
        GEN_OUTPUT_OPTIONS(&output),
    };
    int r = gen_parse_options(argc, argv, opts, "upscale", NULL, NULL);
    if (r != 0)
        return gen_parse_exit(r, gen_upscale_usage);
    for (int i = 0; i < 4; i++) {
        int v = *(int *)opts[i].value;
        if (given[i] && (v < 1 || v > 16384))
            return gen_error("%s must be in 1..16384, got %d", opts[i].name, v);
    }
    if (!output)
        return gen_error("upscale: -o FILE is required ('-' for stdout)");
    if ((!o.in_w) != (!o.in_h))
        return gen_error("upscale: give both --width and --height, or neither");
    if ((!o.out_w) != (!o.out_h))
        return gen_error("upscale: give both --output-width and --output-height, or neither");
    if (o.out_w && !o.in_w)
        return gen_error("upscale: --output-width/--output-height need --width/--height");

    char err[256];
    nr_upscaler *loaded = NULL;
    const nr_upscaler *m;
    if (model) {
        loaded = nr_upscaler_load(model, err, sizeof(err));
        if (!loaded)
            return gen_error("%s", err);
        m = loaded;
    } else {
        m = nr_upscaler_builtin();
        if (!m)
            return gen_error("out of memory");
    }
    o.file_name = gen_output_name(output);
    char *text = nr_glsl_upscale(m, &o, err, sizeof(err));
    nr_upscaler_free(loaded);
    return gen_write_shader(output, text, err);
}
