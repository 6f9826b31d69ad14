/*
 * nativeres-gen lines: line enhancement after an upscaler, standalone.
 */
#include "gen_commands.h"

#include "gen_cli.h"
#include "gen_output.h"
#include "nativeres_lines.h"

void gen_lines_usage(FILE *f)
{
    fputs(
        "usage: nativeres-gen lines --strength S -o FILE.glsl\n"
        "  Writes an mpv LUMA hook that darkens dark lines' soft shoulders, for after an\n"
        "  upscaler (ours: `upscale --lines S` does the same in one file). Flat areas\n"
        "  never change and no output leaves its 3x3 neighbourhood's min/max.\n"
        "  --strength S        0 (off) .. 4; 0.5 is subtle, 1 clearly darker lines\n"
        "  -o, --output FILE   output file, written atomically; '-' = stdout\n", f);
}

int gen_cmd_lines(int argc, char **argv)
{
    double strength = -1;
    const char *output = NULL;
    const gen_option opts[] = {
        { "--strength", GEN_OPT_DOUBLE, &strength, NULL },
        GEN_OUTPUT_OPTIONS(&output),
    };
    int r = gen_parse_options(argc, argv, opts, "lines", NULL, NULL);
    if (r != 0)
        return gen_parse_exit(r, gen_lines_usage);
    if (!output)
        return gen_error("lines: -o FILE is required ('-' for stdout)");
    if (!(strength >= 0 && strength <= NR_LINES_MAX_STRENGTH))
        return gen_error("lines: --strength S in [0, %g] is required", NR_LINES_MAX_STRENGTH);
    char err[256];
    char *text = nr_glsl_lines(strength, gen_output_name(output), "nativeres-gen", err,
                               sizeof(err));
    return gen_write_shader(output, text, err);
}
