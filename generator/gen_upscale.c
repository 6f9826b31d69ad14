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
    gen_args g = { .argc = argc, .argv = argv };
    for (g.i = 0; g.i < argc; g.i++) {
        const char *arg = argv[g.i], *name = NULL;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            gen_upscale_usage(stdout);
            return 0;
        }
        int *target = NULL;
        if (gen_opt(&g, name = "--width"))
            target = &o.in_w;
        else if (gen_opt(&g, name = "--height"))
            target = &o.in_h;
        else if (gen_opt(&g, name = "--output-width"))
            target = &o.out_w;
        else if (gen_opt(&g, name = "--output-height"))
            target = &o.out_h;
        else if (gen_opt(&g, name = "--model"))
            model = g.value;
        else if (gen_opt(&g, name = "-o") || gen_opt(&g, name = "--output"))
            output = g.value;
        else
            return gen_error("upscale: unknown option '%s' (see --help)", arg);
        if (g.missing)
            return gen_error("%s needs a value", name);
        if (target && (!gen_opt_int(&g, name, target)))
            return GEN_EXIT_USAGE;
        if (target && (*target < 1 || *target > 16384))
            return gen_error("%s must be in 1..16384, got %d", name, *target);
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
    const char *base = strrchr(output, '/');
    o.file_name = strcmp(output, "-") ? (base ? base + 1 : output) : NULL;
    char *text = nr_glsl_upscale(m, &o, err, sizeof(err));
    nr_upscaler_free(loaded);
    if (!text)
        return gen_error("%s", err);
    int rc = gen_write_file(output, text, strlen(text)) < 0 ? GEN_EXIT_USAGE : 0;
    free(text);
    return rc;
}
