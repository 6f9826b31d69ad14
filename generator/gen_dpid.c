/*
 * nativeres-gen dpid: a detail-preserving downscale (DPID) of luma.
 */
#include "gen_commands.h"

#include "gen_cli.h"
#include "gen_output.h"
#include "nativeres_dpid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gen_dpid_usage(FILE *f)
{
    fputs(
        "usage: nativeres-gen dpid (--height H [--width W] | --scale F) -o FILE.glsl [options]\n"
        "  Writes an mpv LUMA hook that downscales SWxSH luma by DPID (Weber et al.\n"
        "  2016, detail-preserving: thin lines and small text survive).\n"
        "  --source-width SW, --source-height SH  video size the shader acts on (1920x1080)\n"
        "  --height H [--width W]   output size (width from the aspect ratio, rounded)\n"
        "  --scale F           output = source / F (F >= 1)\n"
        "  --lambda L          detail weight exponent, 0 (box) .. 16 (1)\n"
        "  -o, --output FILE   output file, written atomically; '-' = stdout\n", f);
}

int gen_cmd_dpid(int argc, char **argv)
{
    int sw = 1920, sh = 1080, w = 0, h = 0;
    double scale = 0, lambda = NR_DPID_DEFAULT_LAMBDA;
    const char *output = NULL;
    const gen_option opts[] = {
        { "--source-width", GEN_OPT_INT, &sw, NULL },
        { "--source-height", GEN_OPT_INT, &sh, NULL },
        { "--width", GEN_OPT_INT, &w, NULL },
        { "--height", GEN_OPT_INT, &h, NULL },
        { "--scale", GEN_OPT_DOUBLE, &scale, NULL },
        { "--lambda", GEN_OPT_DOUBLE, &lambda, NULL },
        GEN_OUTPUT_OPTIONS(&output),
    };
    int r = gen_parse_options(argc, argv, opts, "dpid", NULL, NULL);
    if (r != 0)
        return gen_parse_exit(r, gen_dpid_usage);
    if (!output)
        return gen_error("dpid: -o FILE is required ('-' for stdout)");
    if (sw < 1 || sh < 1 || sw > 65536 || sh > 65536)
        return gen_error("dpid: source size must be 1..65536, got %dx%d", sw, sh);
    if ((scale != 0) == (h != 0))
        return gen_error("dpid: give either --height (and --width) or --scale");
    if (scale != 0) {
        if (!(scale >= 1 && scale <= 16))
            return gen_error("dpid: --scale must be in [1, 16], got %g", scale);
        w = (int)lrint(sw / scale);
        h = (int)lrint(sh / scale);
    } else if (w == 0) {
        w = (int)lrint((double)h * sw / sh);
    }
    if (w < 1 || h < 1 || w > sw || h > sh)
        return gen_error("dpid: output %dx%d must be between 1x1 and the source %dx%d", w, h,
                         sw, sh);
    if (!(lambda >= 0 && lambda <= 16))
        return gen_error("dpid: --lambda must be in [0, 16], got %g", lambda);
    char err[256];
    char *text = nr_glsl_dpid(sw, sh, w, h, lambda, gen_output_name(output), "nativeres-gen",
                              err, sizeof(err));
    return gen_write_shader(output, text, err);
}
