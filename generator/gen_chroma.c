/*
 * nativeres-gen chroma: the luma-guided chroma reconstruction hook.
 */
#include "gen_commands.h"

#include "gen_cli.h"
#include "gen_kernel.h"
#include "gen_output.h"
#include "nativeres_chroma.h"

#include <stdbool.h>
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
        "                      output is plain interpolation, above which the fit (default 0 1)\n"
        "  --backproject G     gain of the back-projection residual, 0..2 (default 1; 0: off)\n"
        "  --kernel NAME       the studio's upscale kernel (with --b --c --taps --blur as\n"
        "                      descale takes them): after a descale to the native size\n"
        "                      (default window), luma and back-projection go through the\n"
        "                      operator that made the coded chroma (its 4:2:0 average of\n"
        "                      the studio's upscale); elsewhere the same as without\n"
        "  --learned           add the learned residual (a fourth pass: a tiny MLP on the\n"
        "                      3x3 luma and chroma, presets/chroma-learned-v1.txt)\n"
        "  -o, --output FILE   output file, written atomically; '-' = stdout\n", f);
}

int gen_cmd_chroma(int argc, char **argv)
{
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    const char *output = NULL, *siting = NULL;
    bool learned = false;
    const char *kernel = NULL;
    gen_kernel_params kp = {0};
    nr_kernel studio;
    const gen_option opts[] = {
        { "--kernel", GEN_OPT_STRING, &kernel, NULL },
        { "--b", GEN_OPT_DOUBLE, &kp.b, &kp.has_b },
        { "--c", GEN_OPT_DOUBLE, &kp.c, &kp.has_c },
        { "--taps", GEN_OPT_INT, &kp.taps, &kp.has_taps },
        { "--blur", GEN_OPT_DOUBLE, &kp.blur, &kp.has_blur },
        { "--chroma-location", GEN_OPT_STRING, &siting, NULL },
        { "--corr-lo", GEN_OPT_DOUBLE, &p.corr_lo, NULL },
        { "--corr-hi", GEN_OPT_DOUBLE, &p.corr_hi, NULL },
        { "--backproject", GEN_OPT_DOUBLE, &p.backproject, NULL },
        { "--learned", GEN_OPT_SWITCH, &learned, NULL },
        GEN_OUTPUT_OPTIONS(&output),
    };
    int r = gen_parse_options(argc, argv, opts, "chroma", NULL, NULL);
    if (r != 0)
        return gen_parse_exit(r, gen_chroma_usage);
    if (siting && !strcmp(siting, "left"))
        p.siting = NR_CHROMA_LEFT;
    else if (siting && (!strcmp(siting, "center") || !strcmp(siting, "centre")))
        p.siting = NR_CHROMA_CENTER;
    else if (siting)
        return gen_error("--chroma-location must be left or center, got '%s'", siting);
    if (!output)
        return gen_error("chroma: -o FILE is required ('-' for stdout)");
    if (!(p.corr_lo >= 0 && p.corr_lo < p.corr_hi && p.corr_hi <= 1))
        return gen_error("chroma: need 0 <= --corr-lo < --corr-hi <= 1, got %g and %g",
                         p.corr_lo, p.corr_hi);
    if (!(p.backproject >= 0 && p.backproject <= 2))
        return gen_error("chroma: need 0 <= --backproject <= 2, got %g", p.backproject);
    if (learned && !(p.learned = nr_chroma_learned_builtin()))
        return gen_error("chroma: the built-in learned table does not parse");
    char err[256];
    if (kernel) {
        if (gen_kernel_build(kernel, &kp, &studio, err, sizeof(err)) < 0)
            return gen_error("chroma: %s", err);
        p.studio = &studio;
    } else if (kp.has_b || kp.has_c || kp.has_taps || kp.has_blur)
        return gen_error("chroma: --b --c --taps --blur need --kernel");
    char *text = nr_glsl_chroma(&p, gen_output_name(output), "nativeres-gen", err, sizeof(err));
    return gen_write_shader(output, text, err);
}
