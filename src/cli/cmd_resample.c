/*
 * `nativeres descale` and `nativeres upscale`: the CPU reference
 * descale/upscale of one image's luma, through libnativeres.
 *
 *   descale IN OUT --height H [--width W] --kernel K ...
 *       IN is the full frame; H may be fractional (873.5), which picks
 *       the window by the fractional rule (nr_scale_for_height).
 *   upscale IN OUT --width W --height H --kernel K ...
 *       IN is the native image; the window flags describe the window in
 *       IN, exactly as for the descale it inverts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "commands.h"
#include "image_io.h"
#include "nativeres.h"

typedef enum resample_op { OP_DESCALE, OP_UPSCALE } resample_op;

typedef struct resample_args {
    const char *input, *output;
    double width, height;
    bool has_width, has_height;
    double native_width, native_height;        /* upscale only */
    bool has_native_width, has_native_height;
    nr_kernel_opts kernel;
    nr_window_opts window;
    nr_border border;
    bool help;
} resample_args;

static void print_help(resample_op op)
{
    if (op == OP_DESCALE) {
        printf("Usage: nativeres descale IN OUT --height H [--width W] --kernel NAME [flags]\n"
               "Undoes a studio upscale of IN's luma (least squares), writing the native\n"
               "image. H may be fractional (e.g. 873.5): the output is then the next even\n"
               "size and the window is centred (getfnative's rule). W defaults to H times\n"
               "the aspect ratio of IN.\n");
    } else {
        printf("Usage: nativeres upscale IN OUT --width W --height H --kernel NAME [flags]\n"
               "Upscales IN's luma with the studio kernel (the forward model that descale\n"
               "inverts). The window flags describe the window in IN. W defaults to H times\n"
               "the aspect ratio of IN.\n"
               "  --native-height N [--native-width M]  instead of window flags: the window\n"
               "                     `descale --height N [--width M]` used on a WxH frame\n"
               "                     (for fractional N), so the upscale inverts it\n");
    }
    printf("Inputs: PGM/PPM, PFM, PNG, JPEG and what else FFmpeg reads (colour -> BT.709\n"
           "luma). Outputs by extension: .pfm (float), .pgm and .png (16-bit, clipped).\n");
    nr_cli_print_kernel_help();
}

static int parse_args(resample_op op, int argc, char **argv, resample_args *ra)
{
    *ra = (resample_args){.border = NR_BORDER_MIRROR};
    nr_cli_args a = {argc, argv, 1, false};
    const char *name, *value;
    int kind, positional = 0;
    while ((kind = nr_cli_next(&a, &name, &value)) >= 0) {
        if (kind == 0) {
            if (positional == 0)
                ra->input = value;
            else if (positional == 1)
                ra->output = value;
            else
                return nr_cli_fail("unexpected argument '%s'", value);
            positional++;
            continue;
        }
        if (!strcmp(name, "help") || !strcmp(name, "h")) {
            ra->help = true;
            return 0;
        }
        int r;
        if ((r = nr_kernel_opts_take(&ra->kernel, &a, name, value)) ||
            (r = nr_window_opts_take(&ra->window, &a, name, value)) ||
            (r = nr_border_opt_take(&ra->border, &a, name, value))) {
            if (r < 0)
                return 2;
            continue;
        }
        double *size = NULL;
        bool *has = NULL;
        if (!strcmp(name, "width")) {
            size = &ra->width;
            has = &ra->has_width;
        } else if (!strcmp(name, "height")) {
            size = &ra->height;
            has = &ra->has_height;
        } else if (op == OP_UPSCALE && !strcmp(name, "native-width")) {
            size = &ra->native_width;
            has = &ra->has_native_width;
        } else if (op == OP_UPSCALE && !strcmp(name, "native-height")) {
            size = &ra->native_height;
            has = &ra->has_native_height;
        }
        if (size) {
            const char *s = nr_cli_value(&a, name, value);
            if (!s)
                return 2;
            if (!nr_cli_parse_number(s, size) || !(*size > 0))
                return nr_cli_fail("--%s must be a positive number, not '%s'", name, s);
            *has = true;
            continue;
        }
        return nr_cli_fail("unknown option '%s' for %s (see --help)", argv[a.i - 1],
                           op == OP_DESCALE ? "descale" : "upscale");
    }
    if (!ra->input || !ra->output)
        return nr_cli_fail("missing %s (usage: nativeres %s IN OUT --height H ...)",
                           ra->input ? "output file" : "input and output files",
                           op == OP_DESCALE ? "descale" : "upscale");
    if (!ra->has_height)
        return nr_cli_fail("missing --height");
    if (!nr_image_save_supported(ra->output))
        return nr_cli_fail("%s: unknown output format (use .pfm, .pgm or .png)", ra->output);
    return 0;
}

static bool is_integer(double v)
{
    return v == floor(v);
}

/* Checks a size given as a flag that must be a whole number of pixels. */
static int integer_size(const char *what, double v, int *out)
{
    if (!is_integer(v) || v > NR_IMAGE_MAX_SIDE)
        return nr_cli_fail("%s must be a whole number of pixels up to %d, not %g",
                           what, NR_IMAGE_MAX_SIDE, v);
    *out = (int)v;
    return 0;
}

/* Applies explicit window flags; unset ones keep the default window. */
static void apply_window(nr_scale *s, const nr_window_opts *wo)
{
    double left = s->win_left, top = s->win_top;
    double width = s->win_width > 0 ? s->win_width : s->native_w;
    double height = s->win_height > 0 ? s->win_height : s->native_h;
    if (wo->has_left)
        left = wo->left;
    if (wo->has_top)
        top = wo->top;
    if (wo->has_width)
        width = wo->width;
    if (wo->has_height)
        height = wo->height;
    s->win_left = left;
    s->win_top = top;
    /* the default window is stored as 0 ("native") so that an untouched
     * axis stays untouched, as in descale */
    s->win_width = (left == 0 && width == s->native_w) ? 0 : width;
    s->win_height = (top == 0 && height == s->native_h) ? 0 : height;
}

/* The fractional rule for a width when the height is whole. */
static void fractional_width(nr_scale *s, double w)
{
    int even = (int)ceil(w);
    even += even & 1;
    s->native_w = even;
    s->win_width = w;
    s->win_left = (even - w) / 2;
}

/* The native grid and window `descale --height H [--width W]` uses on a
 * full_w x full_h frame. nr_scale_for_height applies the fractional rule
 * to both axes for a fractional height; a fractional width with a whole
 * height is done here. Prints the error and returns -1 on failure. */
static int native_grid(nr_scale *s, int full_w, int full_h, double height,
                       bool has_width, double width)
{
    char why[256] = "";
    bool frac_width_only = has_width && !is_integer(width) && is_integer(height);
    double w = has_width && !frac_width_only ? width : 0;
    if (nr_scale_for_height(s, full_w, full_h, height, w, why, sizeof(why)) < 0) {
        nr_cli_fail("%s", why);
        return -1;
    }
    if (frac_width_only)
        fractional_width(s, width);
    return 0;
}

static int descale_scale(const resample_args *ra, const nr_image *in, nr_scale *s)
{
    if (ra->height < 8)
        return nr_cli_fail("--height %g is below the minimum of 8", ra->height);
    if (ra->height > in->height)
        return nr_cli_fail("target height %g is larger than the source height %d",
                           ra->height, in->height);
    if (ra->has_width && ra->width > in->width)
        return nr_cli_fail("target width %g is larger than the source width %d",
                           ra->width, in->width);
    bool window = nr_window_opts_any(&ra->window);
    if (window && (!is_integer(ra->height) || (ra->has_width && !is_integer(ra->width))))
        return nr_cli_fail("--width/--height must be whole numbers with --src-* window flags");
    if (native_grid(s, in->width, in->height, ra->height, ra->has_width, ra->width) < 0)
        return 2;
    if (window)
        apply_window(s, &ra->window);
    return 0;
}

static int upscale_scale(const resample_args *ra, const nr_image *in, nr_scale *s)
{
    int full_w = 0, full_h = 0;
    if (integer_size("--height", ra->height, &full_h))
        return 2;
    if (ra->has_width) {
        if (integer_size("--width", ra->width, &full_w))
            return 2;
    } else {
        full_w = (int)lround((double)full_h * in->width / in->height);
    }
    if (full_w < in->width || full_h < in->height)
        return nr_cli_fail("target %dx%d is smaller than the source %dx%d (upscale only)",
                           full_w, full_h, in->width, in->height);
    if (ra->has_native_width && !ra->has_native_height)
        return nr_cli_fail("--native-width needs --native-height");
    if (ra->has_native_height) {
        /* the window of `descale --height H [--width W]` on a full_w x
         * full_h frame, so that upscale re-creates what descale undid */
        if (nr_window_opts_any(&ra->window))
            return nr_cli_fail("--native-height and --src-* window flags exclude each other");
        if (native_grid(s, full_w, full_h, ra->native_height, ra->has_native_width,
                        ra->native_width) < 0)
            return 2;
        if (s->native_w != in->width || s->native_h != in->height)
            return nr_cli_fail("the input is %dx%d, but native height %g on %dx%d "
                               "gives a %dx%d image", in->width, in->height,
                               ra->native_height, full_w, full_h, s->native_w, s->native_h);
        return 0;
    }
    s->full_w = full_w;
    s->full_h = full_h;
    s->native_w = in->width;
    s->native_h = in->height;
    s->win_left = s->win_top = s->win_width = s->win_height = 0;
    apply_window(s, &ra->window);
    return 0;
}

static int check_finite(const nr_image *img, const char *path)
{
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(img->data[i]))
            return nr_cli_fail("%s: contains NaN or infinite values", path);
    return 0;
}

static int run(resample_op op, int argc, char **argv)
{
    resample_args ra;
    int ret = parse_args(op, argc, argv, &ra);
    if (ret)
        return ret;
    if (ra.help) {
        print_help(op);
        return 0;
    }

    nr_scale s = {0};
    if (nr_kernel_opts_resolve(&ra.kernel, &s.kernel) < 0)
        return 2;
    s.border = ra.border;

    char why[512] = "";
    nr_image in = {0}, out = {0};
    if (nr_image_load_luma(ra.input, &in, why, sizeof(why)) < 0)
        return nr_cli_fail("%s", why);
    ret = check_finite(&in, ra.input);
    if (!ret)
        ret = op == OP_DESCALE ? descale_scale(&ra, &in, &s) : upscale_scale(&ra, &in, &s);
    if (!ret && nr_scale_validate(&s, why, sizeof(why)) < 0)
        ret = nr_cli_fail("%s", why);
    int out_w = op == OP_DESCALE ? s.native_w : s.full_w;
    int out_h = op == OP_DESCALE ? s.native_h : s.full_h;
    if (!ret && nr_image_alloc(&out, out_w, out_h, why, sizeof(why)) < 0)
        ret = nr_cli_fail("%s", why);
    if (!ret) {
        int r = op == OP_DESCALE
            ? nr_descale(&s, in.data, in.width, out.data, out.width)
            : nr_upscale(&s, in.data, in.width, out.data, out.width);
        if (r < 0)
            ret = nr_cli_fail("%s failed (invalid scaling or out of memory)",
                              op == OP_DESCALE ? "descale" : "upscale");
    }
    if (!ret && nr_image_save(ra.output, &out, why, sizeof(why)) < 0)
        ret = nr_cli_fail("%s", why);
    nr_image_free(&in);
    nr_image_free(&out);
    return ret;
}

int nr_cmd_descale(int argc, char **argv)
{
    return run(OP_DESCALE, argc, argv);
}

int nr_cmd_upscale(int argc, char **argv)
{
    return run(OP_UPSCALE, argc, argv);
}
