/*
 * nativeres-gen descale: one descale shader from command-line parameters.
 */
#include "gen_commands.h"
#include "gen_descale.h"

#include "gen_cli.h"
#include "gen_kernel.h"
#include "gen_output.h"
#include "nativeres_glsl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void gen_descale_usage(FILE *f)
{
    fputs(
        "usage: nativeres-gen descale --height H --kernel NAME -o FILE.glsl [options]\n"
        "  Writes an mpv user shader that descales SWxSH luma to the native size.\n"
        "  --source-width SW, --source-height SH  video size the shader acts on (1920x1080)\n"
        "  --height H          native height; fractional (873.5) = fractional descale\n"
        "  --width W           native width (default: from the source aspect ratio)\n"
        "  --kernel NAME       studio upscale kernel (see --list-kernels)\n"
        "  --b B --c C         bicubic parameters (override the named kernel's)\n"
        "  --taps T            lanczos taps\n"
        "  --blur X            kernel blur (1 = none)\n"
        "  --border mirror|zero|repeat   edge handling of the upscale model (mirror)\n"
        "  --src-left X --src-top Y --src-width W --src-height H   window, native pixels\n"
        "  --tolerance T       weight truncation, L1 tail per row (1e-4)\n"
        "  -o, --output FILE   output file, written atomically; '-' = stdout\n", f);
}

/* Fills *a from argv; prints an error and returns -1 on bad input, 1 for
 * --help. */
int gen_descale_parse_args(int argc, char **argv, descale_args *a, const char *cmd)
{
    *a = (descale_args){ .source_w = 1920, .source_h = 1080,
                         .tolerance = NR_GLSL_DEFAULT_TOLERANCE };
    if (!cmd)
        cmd = "descale";
    bool has_width = false, has_tolerance = false;
    const gen_option opts[] = {
        { "--source-width", GEN_OPT_INT, &a->source_w, NULL },
        { "--source-height", GEN_OPT_INT, &a->source_h, NULL },
        { "--height", GEN_OPT_DOUBLE, &a->height, &a->has_height },
        { "--width", GEN_OPT_DOUBLE, &a->width, &has_width },
        { "--kernel", GEN_OPT_STRING, &a->kernel, NULL },
        { "--b", GEN_OPT_DOUBLE, &a->kp.b, &a->kp.has_b },
        { "--c", GEN_OPT_DOUBLE, &a->kp.c, &a->kp.has_c },
        { "--taps", GEN_OPT_INT, &a->kp.taps, &a->kp.has_taps },
        { "--blur", GEN_OPT_DOUBLE, &a->kp.blur, &a->kp.has_blur },
        { "--border", GEN_OPT_STRING, &a->border, NULL },
        { "--tolerance", GEN_OPT_DOUBLE, &a->tolerance, &has_tolerance },
        { "--src-left", GEN_OPT_DOUBLE, &a->win[0], &a->has_win[0] },
        { "--src-top", GEN_OPT_DOUBLE, &a->win[1], &a->has_win[1] },
        { "--src-width", GEN_OPT_DOUBLE, &a->win[2], &a->has_win[2] },
        { "--src-height", GEN_OPT_DOUBLE, &a->win[3], &a->has_win[3] },
        GEN_OUTPUT_OPTIONS(&a->output),
    };
    int r = gen_parse_options(argc, argv, opts, cmd, NULL, NULL);
    if (r != 0)
        return r;
    if (a->source_w < 1 || a->source_h < 1)
        return gen_error("%s must be positive, got %d",
                         a->source_w < 1 ? "--source-width" : "--source-height",
                         a->source_w < 1 ? a->source_w : a->source_h), -1;
    if (has_width && a->width <= 0)
        return gen_error("--width must be positive, got %g", a->width), -1;
    if (has_tolerance && (a->tolerance < 0 || a->tolerance >= 1))
        return gen_error("--tolerance must be in [0, 1), got %g", a->tolerance), -1;
    if (!a->has_height)
        return gen_error("%s: --height is required", cmd), -1;
    if (!a->kernel)
        return gen_error("%s: --kernel is required", cmd), -1;
    if (!a->output)
        return gen_error("%s: -o FILE is required ('-' for stdout)", cmd), -1;
    return 0;
}

/* The scale the arguments describe, checked by the core. */
int gen_descale_build_scale(const descale_args *a, nr_scale *s)
{
    char err[256];
    *s = (nr_scale){0};
    if (gen_kernel_build(a->kernel, &a->kp, &s->kernel, err, sizeof(err)) < 0)
        return gen_error("%s", err), -1;
    s->border = NR_BORDER_MIRROR;
    if (a->border && !nr_border_parse(a->border, &s->border))
        return gen_error("unknown border '%s' (mirror, zero or repeat)", a->border), -1;
    bool integer_height = a->height == floor(a->height);
    if (integer_height && a->width > 0 && a->width != floor(a->width))
        return gen_error("--width %g: must be an integer when --height is", a->width), -1;
    if (nr_scale_for_height(s, a->source_w, a->source_h, a->height, a->width,
                            err, sizeof(err)) < 0)
        return gen_error("%s", err), -1;
    if (a->has_win[0])
        s->win_left = a->win[0];
    if (a->has_win[1])
        s->win_top = a->win[1];
    if (a->has_win[2])
        s->win_width = a->win[2];
    if (a->has_win[3])
        s->win_height = a->win[3];
    if (nr_scale_validate(s, err, sizeof(err)) < 0)
        return gen_error("%s", err), -1;
    return 0;
}

int gen_cmd_descale(int argc, char **argv)
{
    descale_args a;
    int r = gen_descale_parse_args(argc, argv, &a, "descale");
    if (r != 0)
        return gen_parse_exit(r, gen_descale_usage);
    nr_scale s;
    if (gen_descale_build_scale(&a, &s) < 0)
        return GEN_EXIT_USAGE;

    nr_glsl_opts o;
    nr_glsl_opts_default(&o);
    o.tolerance = a.tolerance;
    o.generator = "nativeres-gen";
    o.file_name = gen_output_name(a.output);
    char err[256];
    char *text = nr_glsl_descale(&s, &o, err, sizeof(err));
    return gen_write_shader(a.output, text, err);
}
