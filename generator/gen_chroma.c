/*
 * nativeres-gen chroma: the luma-guided chroma reconstruction hook.
 */
#include "gen_commands.h"

#include "gen_cli.h"
#include "gen_output.h"
#include "nativeres_chroma.h"

#include <stdlib.h>
#include <string.h>

void gen_chroma_usage(FILE *f)
{
    fputs(
        "usage: nativeres-gen chroma -o FILE.glsl [options]\n"
        "  Writes an mpv CHROMA hook that rebuilds 4:2:0 chroma on the luma grid with\n"
        "  luma as the guide (after a descale/rescale shader: the restored luma).\n"
        "  --chroma-location left|center   chroma siting of the video (left: Blu-ray,\n"
        "                      MPEG-2/H.264/HEVC default; center: JPEG/MPEG-1)\n"
        "  --corr-lo X --corr-hi Y   squared luma/chroma correlation below which the\n"
        "                      output is plain interpolation, above which the fit (0.7 0.95)\n"
        "  -o, --output FILE   output file, written atomically; '-' = stdout\n", f);
}

int gen_cmd_chroma(int argc, char **argv)
{
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    const char *output = NULL;
    gen_args g = { .argc = argc, .argv = argv };
    for (g.i = 0; g.i < argc; g.i++) {
        const char *arg = argv[g.i], *name = NULL;
        bool ok = true;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            gen_chroma_usage(stdout);
            return 0;
        }
        if (gen_opt(&g, name = "--chroma-location")) {
            if (g.missing)
                ;
            else if (!strcmp(g.value, "left"))
                p.siting = NR_CHROMA_LEFT;
            else if (!strcmp(g.value, "center") || !strcmp(g.value, "centre"))
                p.siting = NR_CHROMA_CENTER;
            else
                return gen_error("--chroma-location must be left or center, got '%s'", g.value);
        } else if (gen_opt(&g, name = "--corr-lo")) {
            ok = g.missing || gen_opt_double(&g, name, &p.corr_lo);
        } else if (gen_opt(&g, name = "--corr-hi")) {
            ok = g.missing || gen_opt_double(&g, name, &p.corr_hi);
        } else if (gen_opt(&g, name = "-o") || gen_opt(&g, name = "--output")) {
            output = g.value;
        } else {
            return gen_error("chroma: unknown option '%s' (see --help)", arg);
        }
        if (g.missing)
            return gen_error("%s needs a value", name);
        if (!ok)
            return GEN_EXIT_USAGE;
    }
    if (!output)
        return gen_error("chroma: -o FILE is required ('-' for stdout)");
    if (!(p.corr_lo >= 0 && p.corr_lo < p.corr_hi && p.corr_hi <= 1))
        return gen_error("chroma: need 0 <= --corr-lo < --corr-hi <= 1, got %g and %g",
                         p.corr_lo, p.corr_hi);
    const char *base = strrchr(output, '/');
    char err[256];
    char *text = nr_glsl_chroma(&p, strcmp(output, "-") ? (base ? base + 1 : output) : NULL,
                                "nativeres-gen", err, sizeof(err));
    if (!text)
        return gen_error("%s", err);
    int rc = gen_write_file(output, text, strlen(text)) < 0 ? GEN_EXIT_USAGE : 0;
    free(text);
    return rc;
}
