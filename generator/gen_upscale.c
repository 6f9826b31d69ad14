/*
 * nativeres-gen upscale: the learned (hq) upscaler as a standalone mpv
 * shader, from the built-in parameter table or --model FILE.
 */
#include "gen_commands.h"

#include "gen_cli.h"
#include "gen_output.h"
#include "glsl_buf.h"
#include "nativeres_lines.h"
#include "nativeres_upscaler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gen_upscale_usage(FILE *f)
{
    const nr_upscaler *builtin = nr_upscaler_builtin();
    fprintf(f,
        "usage: nativeres-gen upscale -o FILE.glsl [options]\n"
        "  Writes an mpv user shader that doubles the luma plane with nativeres' learned\n"
        "  upscaler (hq); meant to follow a descale shader in glsl-shaders.\n"
        "  --width W --height H   luma size it acts on (the native size; default: any)\n"
        "  --output-width OW --output-height OH   resample to this size (default: 2x)\n"
        "  --model FILE        parameter table (default: the built-in %s)\n"
        "  --lines S           then line enhancement at strength S (0..4; see `lines`)\n"
        "  --compute           the network's layers as compute passes (one per layer;\n"
        "                      gpu-next, or vo=gpu with compute shaders); default:\n"
        "                      fragment passes, which run on every renderer\n"
        "  --ensemble N        the self-ensemble of N networks, averaged (N times the\n"
        "                      cost): 1 the network alone (default), 2 with its left-right\n"
        "                      mirror (the mirror mean), 3 also the mirror of its polarity\n"
        "                      inverse (the mirror and polarity mean; docs/hq.md)\n"
        "  --mirror            the same as --ensemble 2\n"
        "  -o, --output FILE   output file, written atomically; '-' = stdout\n",
        builtin ? builtin->name : "table");
}

/* The line pass after the upscaler's, on the upscaled luma only (its size
 * in //!WHEN when the upscaler's input size is known). Frees text. */
static char *append_lines(char *text, const nr_glsl_upscale_opts *o, double strength,
                          char *err, size_t err_size)
{
    char when[96];
    int ow = o->out_w ? o->out_w : 2 * o->in_w, oh = o->out_h ? o->out_h : 2 * o->in_h;
    snprintf(when, sizeof(when), "HOOKED.w %d == HOOKED.h %d == *", ow, oh);
    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    nr_glsl_puts(&b, text);
    free(text);
    nr_glsl_puts(&b, "\n");
    if (nr_glsl_lines_write_pass(&b, "LUMA", strength, o->in_w ? when : NULL, err,
                                 err_size) < 0) {
        nr_glsl_buf_free(&b);
        return NULL;
    }
    text = nr_glsl_buf_take(&b);
    if (!text)
        snprintf(err, err_size, "out of memory");
    return text;
}

int gen_cmd_upscale(int argc, char **argv)
{
    nr_glsl_upscale_opts o = { .generator = "nativeres-gen" };
    const char *model = NULL, *output = NULL;
    double lines = 0;
    bool given[4] = { false }, mirror = false, ensemble_given = false;
    const gen_option opts[] = {   /* the four sizes first: checked below */
        { "--width", GEN_OPT_INT, &o.in_w, &given[0] },
        { "--height", GEN_OPT_INT, &o.in_h, &given[1] },
        { "--output-width", GEN_OPT_INT, &o.out_w, &given[2] },
        { "--output-height", GEN_OPT_INT, &o.out_h, &given[3] },
        { "--model", GEN_OPT_STRING, &model, NULL },
        { "--lines", GEN_OPT_DOUBLE, &lines, NULL },
        { "--compute", GEN_OPT_SWITCH, &o.compute, NULL },
        { "--ensemble", GEN_OPT_INT, &o.ensemble, &ensemble_given },
        { "--mirror", GEN_OPT_SWITCH, &mirror, NULL },
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
    if (ensemble_given && (o.ensemble < 1 || o.ensemble > NR_UPSCALER_MAX_MEMBERS))
        return gen_error("upscale: --ensemble must be in 1..%d, got %d", NR_UPSCALER_MAX_MEMBERS,
                         o.ensemble);
    if (mirror && ensemble_given && o.ensemble != 2)
        return gen_error("upscale: --mirror is --ensemble 2; give one of them");
    if (mirror)
        o.ensemble = 2;
    if ((!o.in_w) != (!o.in_h))
        return gen_error("upscale: give both --width and --height, or neither");
    if ((!o.out_w) != (!o.out_h))
        return gen_error("upscale: give both --output-width and --output-height, or neither");
    if (o.out_w && !o.in_w)
        return gen_error("upscale: --output-width/--output-height need --width/--height");
    if (!(lines >= 0 && lines <= NR_LINES_MAX_STRENGTH))
        return gen_error("upscale: --lines must be in [0, %g], got %g", NR_LINES_MAX_STRENGTH,
                         lines);

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
    if (text && lines > 0)
        text = append_lines(text, &o, lines, err, sizeof(err));
    return gen_write_shader(output, text, err);
}
