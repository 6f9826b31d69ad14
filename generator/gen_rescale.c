/*
 * nativeres-gen rescale: the rescale chain (descale, error mask, upscale,
 * merge) from the descale flags plus a preset and mask options.
 */
#include "gen_commands.h"

#include "gen_cli.h"
#include "gen_descale.h"
#include "gen_output.h"
#include "nativeres_glsl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gen_rescale_usage(FILE *f)
{
    fputs(
        "usage: nativeres-gen rescale --height H --kernel NAME -o FILE.glsl [options]\n"
        "  Writes an mpv user shader that descales SWxSH luma, masks what is not an\n"
        "  upscale (credits, text) and, per preset, upscales with our own upscaler.\n"
        "  Every descale option (see `descale --help`), plus:\n"
        "  --preset fast|balanced|hq   fast: native-size output, masked areas\n"
        "                      downscaled; balanced/hq: our upscaler to the source size\n"
        "                      (the screen when larger), masked areas keep the source\n"
        "                      (default balanced; table: presets/rescale-presets.txt)\n"
        "                      (hq: the learned 2x on screens larger than the source,\n"
        "                      balanced's upscaler on the others)\n"
        "  --hq-dpid           hq: the learned 2x and DPID (lambda 1) to the source size\n"
        "                      instead of balanced's upscaler there (measured worse)\n"
        "  --hq-compute        hq: the network's layers as compute passes (3x cheaper\n"
        "                      on lavapipe; needs compute shaders: Vulkan, or GL 4.3+)\n"
        "  --hq-ensemble N     hq: the self-ensemble of N networks, averaged (N times the\n"
        "                      cost): 1 alone (default), 2 with its mirror, 3 also the\n"
        "                      mirror of its polarity inverse (docs/hq.md)\n"
        "  --hq-mirror         the same as --hq-ensemble 2\n"
        "  --mask-threshold T  |frame - re-upscale| at which the mask is full, on [0,1]\n"
        "                      luma (0.06; zero below half of it)\n"
        "  --mask-grow PX      source pixels of full mask around a detection (8)\n"
        "  --mask-feather PX   source pixels over which it then falls to 0 (4)\n"
        "  --print-presets     print the preset table and exit\n", f);
}

static void print_presets(void)
{
    nr_rescale_opts d;
    nr_rescale_opts_default(&d);
    printf("%-10s %-7s %-10s %-8s %-9s %-15s %-10s %s\n", "# preset", "output", "upscaler",
           "light", "antiring", "mask-threshold", "mask-grow", "mask-feather");
    for (int p = NR_RESCALE_FAST; p <= NR_RESCALE_HQ; p++) {
        const nr_rescale_preset_info *i = nr_rescale_preset_get((nr_rescale_preset)p);
        printf("%-10s %-7s %-10s %-8s %-9g %-15g %-10g %g\n", i->name,
               i->native_output ? "native" : "screen", i->upscaler_name,
               i->native_output || i->learned ? "-" : i->upscaler.sigmoid ? "sigmoid" : "gamma",
               i->native_output || i->learned ? 0.0 : i->upscaler.antiring, d.mask.threshold,
               d.mask.grow,
               d.mask.feather);
    }
}

int gen_cmd_rescale(int argc, char **argv)
{
    nr_rescale_opts o;
    nr_rescale_opts_default(&o);
    /* our own flags first; the rest goes to the descale parser */
    char **rest = calloc((size_t)argc + 1, sizeof(char *));
    if (!rest)
        return gen_error("out of memory");
    int nrest = 0, rc = GEN_EXIT_USAGE;
    const char *preset = NULL;
    bool list_presets = false, hq_mirror = false, ensemble_given = false;
    const gen_option opts[] = {
        { "--print-presets", GEN_OPT_SWITCH, &list_presets, NULL },
        { "--preset", GEN_OPT_STRING, &preset, NULL },
        { "--hq-dpid", GEN_OPT_SWITCH, &o.hq_dpid, NULL },
        { "--hq-compute", GEN_OPT_SWITCH, &o.hq_compute, NULL },
        { "--hq-ensemble", GEN_OPT_INT, &o.hq_ensemble, &ensemble_given },
        { "--hq-mirror", GEN_OPT_SWITCH, &hq_mirror, NULL },
        { "--mask-threshold", GEN_OPT_DOUBLE, &o.mask.threshold, NULL },
        { "--mask-grow", GEN_OPT_DOUBLE, &o.mask.grow, NULL },
        { "--mask-feather", GEN_OPT_DOUBLE, &o.mask.feather, NULL },
        { NULL, GEN_OPT_STRING, NULL, NULL },
    };
    int r = gen_parse_options(argc, argv, opts, "rescale", rest, &nrest);
    if (r == GEN_PARSE_HELP || list_presets) {
        if (list_presets)
            print_presets();
        else
            gen_rescale_usage(stdout);
        rc = 0;
        goto out;
    }
    if (r < 0)
        goto out;
    if (preset && !nr_rescale_preset_parse(preset, &o.preset)) {
        gen_error("unknown preset '%s' (fast, balanced or hq)", preset);
        goto out;
    }
    if (hq_mirror && ensemble_given && o.hq_ensemble != 2) {
        gen_error("--hq-mirror is --hq-ensemble 2; give one of them");
        goto out;
    }
    if (hq_mirror)
        o.hq_ensemble = 2;
    if (ensemble_given && o.hq_ensemble < 1) {
        gen_error("--hq-ensemble must be in 1..3, got %d", o.hq_ensemble);
        goto out;
    }
    char err[256];
    if (nr_rescale_opts_validate(&o, err, sizeof(err)) < 0) {
        gen_error("%s", err);
        goto out;
    }
    descale_args a;
    if (gen_descale_parse_args(nrest, rest, &a, "rescale") != 0)
        goto out;
    nr_scale s;
    if (gen_descale_build_scale(&a, &s) < 0)
        goto out;
    o.tolerance = a.tolerance;
    o.generator = "nativeres-gen";
    o.file_name = gen_output_name(a.output);
    rc = gen_write_shader(a.output, nr_glsl_rescale(&s, &o, NULL, err, sizeof(err)), err);
out:
    free(rest);
    return rc;
}
