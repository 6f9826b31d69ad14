/* Resampling kernels: the functions the studios upscaled with, and their
 * names as vskernels / the descale plugin spell them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nativeres.h"

/* Named members of the Mitchell–Netravali family (vskernels' values). */
typedef struct named_bicubic {
    const char *name;
    double b, c;
} named_bicubic;

#define SQRT2 1.4142135623730951
static const named_bicubic named_bicubics[] = {
    { "catrom",        0.0,       0.5 },
    { "mitchell",      1.0 / 3,   1.0 / 3 },
    { "hermite",       0.0,       0.0 },
    { "bicubicsharp",  0.0,       1.0 },
    { "bspline",       1.0,       0.0 },
    { "ffmpegbicubic", 0.0,       0.6 },
    { "adobebicubic",  0.0,       0.75 },
    { "robidoux",      12.0 / (19 + 9 * SQRT2),  113.0 / (58 + 216 * SQRT2) },
    { "robidouxsharp", 6.0 / (13 + 7 * SQRT2),   7.0 / (2 + 12 * SQRT2) },
    { "robidouxsoft",  (9 - 3 * SQRT2) / 7,      (1 - (9 - 3 * SQRT2) / 7) / 2 },
};
#define NUM_NAMED_BICUBICS (sizeof(named_bicubics) / sizeof(named_bicubics[0]))

static const char *const kernel_names[] = {
    "point", "bilinear", "bicubic",
    "catrom", "mitchell", "hermite", "bicubicsharp", "bspline",
    "ffmpegbicubic", "adobebicubic", "robidoux", "robidouxsharp", "robidouxsoft",
    "lanczos", "lanczos2", "lanczos3", "lanczos4",
    "spline16", "spline36", "spline64",
    NULL,
};

const char *const *nr_kernel_names(void)
{
    return kernel_names;
}

bool nr_kernel_parse(const char *name, nr_kernel *k)
{
    if (!name)
        return false;
    nr_kernel out = { .type = NR_KERNEL_BICUBIC, .b = 0, .c = 0.5, .taps = 3, .blur = 1 };
    if (!strcasecmp(name, "point") || !strcasecmp(name, "nearest")) {
        out.type = NR_KERNEL_POINT;
    } else if (!strcasecmp(name, "bilinear")) {
        out.type = NR_KERNEL_BILINEAR;
    } else if (!strcasecmp(name, "bicubic")) {
        /* descale's default bicubic is Catmull-Rom */
    } else if (!strncasecmp(name, "lanczos", 7)) {
        out.type = NR_KERNEL_LANCZOS;
        const char *digits = name + 7;
        if (*digits) {
            char *end;
            long taps = strtol(digits, &end, 10);
            if (*end || taps < 1 || taps > 16)
                return false;
            out.taps = (int)taps;
        }
    } else if (!strcasecmp(name, "spline16")) {
        out.type = NR_KERNEL_SPLINE16;
    } else if (!strcasecmp(name, "spline36")) {
        out.type = NR_KERNEL_SPLINE36;
    } else if (!strcasecmp(name, "spline64")) {
        out.type = NR_KERNEL_SPLINE64;
    } else {
        size_t i;
        for (i = 0; i < NUM_NAMED_BICUBICS; i++) {
            if (!strcasecmp(name, named_bicubics[i].name)) {
                out.b = named_bicubics[i].b;
                out.c = named_bicubics[i].c;
                break;
            }
        }
        if (i == NUM_NAMED_BICUBICS)
            return false;
    }
    *k = out;
    return true;
}

const char *nr_kernel_name(const nr_kernel *k, char *buf, size_t size)
{
    if (!size)
        return buf;
    switch (k->type) {
    case NR_KERNEL_POINT:    snprintf(buf, size, "point"); break;
    case NR_KERNEL_BILINEAR: snprintf(buf, size, "bilinear"); break;
    case NR_KERNEL_LANCZOS:  snprintf(buf, size, "lanczos%d", k->taps); break;
    case NR_KERNEL_SPLINE16: snprintf(buf, size, "spline16"); break;
    case NR_KERNEL_SPLINE36: snprintf(buf, size, "spline36"); break;
    case NR_KERNEL_SPLINE64: snprintf(buf, size, "spline64"); break;
    case NR_KERNEL_BICUBIC:
        snprintf(buf, size, "bicubic");
        for (size_t i = 0; i < NUM_NAMED_BICUBICS; i++) {
            if (fabs(k->b - named_bicubics[i].b) < 1e-9 &&
                fabs(k->c - named_bicubics[i].c) < 1e-9) {
                snprintf(buf, size, "%s", named_bicubics[i].name);
                break;
            }
        }
        break;
    default: snprintf(buf, size, "unknown"); break;
    }
    return buf;
}

static double sinc(double x)
{
    if (x == 0)
        return 1;
    x *= M_PI;
    return sin(x) / x;
}

static double mitchell_netravali(double x, double b, double c)
{
    if (x < 1)
        return ((12 - 9 * b - 6 * c) * x * x * x + (-18 + 12 * b + 6 * c) * x * x
                + (6 - 2 * b)) / 6;
    if (x < 2)
        return ((-b - 6 * c) * x * x * x + (6 * b + 30 * c) * x * x
                + (-12 * b - 48 * c) * x + (8 * b + 24 * c)) / 6;
    return 0;
}

/* The spline16/36/64 kernels: piecewise cubics, one polynomial per unit
 * interval, written in the local variable t = x - interval. */
static double spline16(double x)
{
    if (x < 1)
        return ((x - 9.0 / 5) * x - 1.0 / 5) * x + 1;
    if (x < 2) {
        x -= 1;
        return ((-1.0 / 3 * x + 4.0 / 5) * x - 7.0 / 15) * x;
    }
    return 0;
}

static double spline36(double x)
{
    if (x < 1)
        return ((13.0 / 11 * x - 453.0 / 209) * x - 3.0 / 209) * x + 1;
    if (x < 2) {
        x -= 1;
        return ((-6.0 / 11 * x + 270.0 / 209) * x - 156.0 / 209) * x;
    }
    if (x < 3) {
        x -= 2;
        return ((1.0 / 11 * x - 45.0 / 209) * x + 26.0 / 209) * x;
    }
    return 0;
}

static double spline64(double x)
{
    if (x < 1)
        return ((49.0 / 41 * x - 6387.0 / 2911) * x - 3.0 / 2911) * x + 1;
    if (x < 2) {
        x -= 1;
        return ((-24.0 / 41 * x + 4032.0 / 2911) * x - 2328.0 / 2911) * x;
    }
    if (x < 3) {
        x -= 2;
        return ((6.0 / 41 * x - 1008.0 / 2911) * x + 582.0 / 2911) * x;
    }
    if (x < 4) {
        x -= 3;
        return ((-1.0 / 41 * x + 168.0 / 2911) * x - 97.0 / 2911) * x;
    }
    return 0;
}

double nr_kernel_eval(const nr_kernel *k, double x)
{
    x = fabs(x);
    switch (k->type) {
    case NR_KERNEL_POINT:    return x <= 0.5 ? 1 : 0;
    case NR_KERNEL_BILINEAR: return x < 1 ? 1 - x : 0;
    case NR_KERNEL_BICUBIC:  return mitchell_netravali(x, k->b, k->c);
    case NR_KERNEL_LANCZOS:  return x < k->taps ? sinc(x) * sinc(x / k->taps) : 0;
    case NR_KERNEL_SPLINE16: return spline16(x);
    case NR_KERNEL_SPLINE36: return spline36(x);
    case NR_KERNEL_SPLINE64: return spline64(x);
    }
    return 0;
}

double nr_kernel_radius(const nr_kernel *k)
{
    switch (k->type) {
    case NR_KERNEL_POINT:    return 0.5;
    case NR_KERNEL_BILINEAR: return 1;
    case NR_KERNEL_BICUBIC:  return 2;
    case NR_KERNEL_LANCZOS:  return k->taps;
    case NR_KERNEL_SPLINE16: return 2;
    case NR_KERNEL_SPLINE36: return 3;
    case NR_KERNEL_SPLINE64: return 4;
    }
    return 1;
}

int nr_kernel_support(const nr_kernel *k)
{
    return (int)ceil(nr_kernel_radius(k) * k->blur);
}

int nr_kernel_validate(const nr_kernel *k, char *err, size_t err_size)
{
    if ((unsigned)k->type > NR_KERNEL_SPLINE64) {
        snprintf(err, err_size, "unknown kernel type %d", (int)k->type);
        return -1;
    }
    if (!isfinite(k->blur) || k->blur <= 0 || k->blur > 16) {
        snprintf(err, err_size, "blur must be a number in (0, 16], got %g", k->blur);
        return -1;
    }
    if (k->type == NR_KERNEL_BICUBIC && (!isfinite(k->b) || !isfinite(k->c) ||
                                         fabs(k->b) > 10 || fabs(k->c) > 10)) {
        snprintf(err, err_size, "bicubic b and c must be finite numbers in [-10, 10], got b=%g c=%g",
                 k->b, k->c);
        return -1;
    }
    if (k->type == NR_KERNEL_LANCZOS && (k->taps < 1 || k->taps > 16)) {
        snprintf(err, err_size, "lanczos taps must be 1..16, got %d", k->taps);
        return -1;
    }
    return 0;
}
