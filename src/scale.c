/* Scale descriptions: the per-axis views, the fractional-resolution rule
 * and the validation every front end shares. */
#include <math.h>
#include <stdio.h>
#include <strings.h>

#include "nativeres.h"

static const char *const border_names[] = { "mirror", "zero", "repeat" };

bool nr_border_parse(const char *name, nr_border *b)
{
    for (int i = 0; i < 3; i++) {
        if (name && !strcasecmp(name, border_names[i])) {
            *b = (nr_border)i;
            return true;
        }
    }
    return false;
}

const char *nr_border_name(nr_border b)
{
    return (unsigned)b < 3 ? border_names[b] : "unknown";
}

nr_axis nr_scale_axis_h(const nr_scale *s)
{
    return (nr_axis) {
        .full = s->full_w, .native = s->native_w,
        .window_start = s->win_left,
        .window_size = s->win_width > 0 ? s->win_width : s->native_w,
    };
}

nr_axis nr_scale_axis_v(const nr_scale *s)
{
    return (nr_axis) {
        .full = s->full_h, .native = s->native_h,
        .window_start = s->win_top,
        .window_size = s->win_height > 0 ? s->win_height : s->native_h,
    };
}

bool nr_axis_is_identity(const nr_axis *ax)
{
    double size = ax->window_size > 0 ? ax->window_size : ax->native;
    return ax->full == ax->native && ax->window_start == 0 && size == ax->native;
}

/* Smallest even integer >= x (the base grid of a fractional descale). */
static int ceil_even(double x)
{
    int n = (int)ceil(x - 1e-9);
    return n + (n & 1);
}

int nr_scale_for_height(nr_scale *s, int full_w, int full_h, double height,
                        double width, char *err, size_t err_size)
{
    if (full_w < 1 || full_h < 1) {
        snprintf(err, err_size, "source size %dx%d is invalid", full_w, full_h);
        return -1;
    }
    if (!isfinite(height) || height < 8 || height > full_h) {
        snprintf(err, err_size, "height %g must be a number in [8, %d] (the source height)",
                 height, full_h);
        return -1;
    }
    if (!isfinite(width) || width < 0 || (width > 0 && (width < 8 || width > full_w))) {
        snprintf(err, err_size, "width %g must be a number in [8, %d] (the source width)",
                 width, full_w);
        return -1;
    }
    bool fractional_h = height != floor(height);
    double w = width > 0 ? width : height * full_w / full_h;
    bool fractional_w = w != floor(w);

    s->full_w = full_w;
    s->full_h = full_h;
    s->win_left = s->win_top = 0;
    s->win_width = s->win_height = 0;

    if (fractional_h) {
        s->native_h = ceil_even(height);
        s->win_height = height;
        s->win_top = (s->native_h - height) / 2;
    } else {
        s->native_h = (int)height;
    }

    if (width > 0 && !fractional_w) {
        s->native_w = (int)width;
    } else if (fractional_h || (width > 0 && fractional_w)) {
        /* a fractional descale keeps the exact aspect through the window */
        s->native_w = ceil_even(w);
        s->win_width = w;
        s->win_left = (s->native_w - w) / 2;
    } else {
        /* integer height: the usual even-rounded width (getnative's getw) */
        s->native_w = 2 * (int)floor(w / 2 + 0.5);
    }
    if (s->native_w > full_w) {
        /* an aspect rounding past the source: keep the source width */
        s->native_w = full_w;
        s->win_left = 0;
        s->win_width = 0;
    }
    return 0;
}

static int check_axis(const char *what, const char *start_name, const char *size_name,
                      int full, int native, double start, double size,
                      char *err, size_t err_size)
{
    if (full < 1 || full > 65536) {
        snprintf(err, err_size, "source %s %d is out of range (1..65536)", what, full);
        return -1;
    }
    if (native < 8) {
        snprintf(err, err_size, "target %s %d is too small (at least 8)", what, native);
        return -1;
    }
    if (native > full) {
        snprintf(err, err_size, "target %s %d is larger than the source %s %d",
                 what, native, what, full);
        return -1;
    }
    if (!isfinite(start) || !isfinite(size)) {
        snprintf(err, err_size, "%s and %s must be finite numbers", start_name, size_name);
        return -1;
    }
    if (size < 0) {
        snprintf(err, err_size, "%s must be positive, got %g", size_name, size);
        return -1;
    }
    double effective = size > 0 ? size : native;
    if (start < 0 || start + effective > native + 1e-9) {
        snprintf(err, err_size,
                 "window %s=%g %s=%g lies outside the %d-pixel target %s",
                 start_name, start, size_name, effective, native, what);
        return -1;
    }
    if (effective < 1) {
        snprintf(err, err_size, "%s %g is too small (at least 1)", size_name, effective);
        return -1;
    }
    return 0;
}

int nr_scale_validate(const nr_scale *s, char *err, size_t err_size)
{
    if (nr_kernel_validate(&s->kernel, err, err_size) < 0)
        return -1;
    if ((unsigned)s->border > NR_BORDER_REPEAT) {
        snprintf(err, err_size, "unknown border mode %d", (int)s->border);
        return -1;
    }
    if (check_axis("width", "src_left", "src_width", s->full_w, s->native_w,
                   s->win_left, s->win_width, err, err_size) < 0)
        return -1;
    return check_axis("height", "src_top", "src_height", s->full_h, s->native_h,
                      s->win_top, s->win_height, err, err_size);
}
