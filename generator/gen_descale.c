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

static bool parse_size(const gen_args *g, const char *name, int *out)
{
    if (!gen_opt_int(g, name, out))
        return false;
    if (*out < 1) {
        gen_error("%s must be positive, got %d", name, *out);
        return false;
    }
    return true;
}

/* Fills *a from argv; prints an error and returns -1 on bad input, 1 for
 * --help. */
int gen_descale_parse_args(int argc, char **argv, descale_args *a, const char *cmd)
{
    static const char *const win_names[4] = {
        "--src-left", "--src-top", "--src-width", "--src-height" };
    *a = (descale_args){ .source_w = 1920, .source_h = 1080,
                         .tolerance = NR_GLSL_DEFAULT_TOLERANCE };
    if (!cmd)
        cmd = "descale";
    gen_args g = { .argc = argc, .argv = argv };
    for (g.i = 0; g.i < argc; g.i++) {
        const char *arg = argv[g.i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
            return 1;
        const char *name = NULL;
        bool ok = true;
        if (gen_opt(&g, name = "--source-width")) {
            ok = g.missing || parse_size(&g, name, &a->source_w);
        } else if (gen_opt(&g, name = "--source-height")) {
            ok = g.missing || parse_size(&g, name, &a->source_h);
        } else if (gen_opt(&g, name = "--height")) {
            ok = g.missing || gen_opt_double(&g, name, &a->height);
            a->has_height = true;
        } else if (gen_opt(&g, name = "--width")) {
            ok = g.missing || gen_opt_double(&g, name, &a->width);
            if (ok && !g.missing && a->width <= 0) {
                gen_error("--width must be positive, got %g", a->width);
                ok = false;
            }
        } else if (gen_opt(&g, name = "--kernel")) {
            a->kernel = g.value;
        } else if (gen_opt(&g, name = "--b")) {
            ok = g.missing || gen_opt_double(&g, name, &a->kp.b);
            a->kp.has_b = true;
        } else if (gen_opt(&g, name = "--c")) {
            ok = g.missing || gen_opt_double(&g, name, &a->kp.c);
            a->kp.has_c = true;
        } else if (gen_opt(&g, name = "--taps")) {
            ok = g.missing || gen_opt_int(&g, name, &a->kp.taps);
            a->kp.has_taps = true;
        } else if (gen_opt(&g, name = "--blur")) {
            ok = g.missing || gen_opt_double(&g, name, &a->kp.blur);
            a->kp.has_blur = true;
        } else if (gen_opt(&g, name = "--border")) {
            a->border = g.value;
        } else if (gen_opt(&g, name = "--tolerance")) {
            ok = g.missing || gen_opt_double(&g, name, &a->tolerance);
            if (ok && !g.missing && (a->tolerance < 0 || a->tolerance >= 1)) {
                gen_error("--tolerance must be in [0, 1), got %g", a->tolerance);
                ok = false;
            }
        } else if (gen_opt(&g, name = "-o") || gen_opt(&g, name = "--output")) {
            a->output = g.value;
        } else {
            bool matched = false;
            for (int w = 0; w < 4; w++) {
                if (gen_opt(&g, name = win_names[w])) {
                    ok = g.missing || gen_opt_double(&g, name, &a->win[w]);
                    a->has_win[w] = true;
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                gen_error("%s: unknown option '%s' (see --help)", cmd, arg);
                return -1;
            }
        }
        if (g.missing) {
            gen_error("%s needs a value", name);
            return -1;
        }
        if (!ok)
            return -1;
    }
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
    if (r == 1) {
        gen_descale_usage(stdout);
        return 0;
    }
    if (r < 0)
        return GEN_EXIT_USAGE;
    nr_scale s;
    if (gen_descale_build_scale(&a, &s) < 0)
        return GEN_EXIT_USAGE;

    nr_glsl_opts o;
    nr_glsl_opts_default(&o);
    o.tolerance = a.tolerance;
    o.generator = "nativeres-gen";
    const char *base = strrchr(a.output, '/');
    o.file_name = strcmp(a.output, "-") ? (base ? base + 1 : a.output) : NULL;
    char err[256];
    char *text = nr_glsl_descale(&s, &o, err, sizeof(err));
    if (!text)
        return gen_error("%s", err);
    int rc = gen_write_file(a.output, text, strlen(text)) < 0 ? GEN_EXIT_USAGE : 0;
    free(text);
    return rc;
}
