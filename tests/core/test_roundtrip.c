/* Round trips: descale(upscale(x)) == x on random planes for every kernel,
 * border mode and fractional windows (the least-squares inverse of an
 * exact upscale is exact). Also checks that a true-resolution frame does
 * NOT round-trip (descale of noise leaves a residual), so the test can fail. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "nativeres.h"

static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;
static float random_unit(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (float)((rng_state >> 11) * (1.0 / 9007199254740992.0));
}

static double roundtrip_error(const nr_scale *s)
{
    size_t nn = (size_t)s->native_w * s->native_h, nf = (size_t)s->full_w * s->full_h;
    float *x = malloc(nn * sizeof(float)), *y = malloc(nf * sizeof(float));
    float *back = malloc(nn * sizeof(float));
    double err = INFINITY;
    for (size_t i = 0; i < nn; i++)
        x[i] = random_unit();
    if (nr_upscale(s, x, s->native_w, y, s->full_w) == 0 &&
        nr_descale(s, y, s->full_w, back, s->native_w) == 0) {
        err = 0;
        for (size_t i = 0; i < nn; i++)
            err = fmax(err, fabs((double)back[i] - x[i]));
    }
    free(x);
    free(y);
    free(back);
    return err;
}

int main(void)
{
    static const char *kernels[] = {
        "point", "bilinear", "catrom", "mitchell", "hermite", "bicubicsharp", "bspline",
        "ffmpegbicubic", "adobebicubic", "robidoux", "robidouxsharp", "robidouxsoft",
        "lanczos2", "lanczos3", "lanczos4", "spline16", "spline36", "spline64",
    };
    static const double heights[] = { 72, 81, 71.75, 90.5, 59.25 };
    const double tolerance = 2e-4;
    int failures = 0, count = 0;
    char err[256];

    for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
        for (int border = NR_BORDER_MIRROR; border <= NR_BORDER_REPEAT; border++) {
            for (size_t h = 0; h < sizeof(heights) / sizeof(heights[0]); h++) {
                /* a point upscale through a fractional window skips some
                 * native pixels: no inverse exists (nr_descale refuses) */
                if (k == 0 && heights[h] != floor(heights[h]))
                    continue;
                nr_scale s = { 0 };
                if (!nr_kernel_parse(kernels[k], &s.kernel) ||
                    nr_scale_for_height(&s, 192, 108, heights[h], 0, err, sizeof(err)) < 0) {
                    printf("FAIL setup %s %g: %s\n", kernels[k], heights[h], err);
                    failures++;
                    continue;
                }
                s.border = (nr_border)border;
                double e = roundtrip_error(&s);
                bool ok = e <= tolerance;
                failures += !ok;
                count++;
                if (!ok || h == 0)
                    printf("%-4s %-14s %-6s 192x108 <-> %dx%d (window %g,%g %gx%g) max error %.3g\n",
                           ok ? "ok" : "FAIL", kernels[k], nr_border_name(s.border), s.native_w,
                           s.native_h, s.win_left, s.win_top, s.win_width, s.win_height, e);
            }
        }
    }
    /* blur widens the kernel: still an exact inverse */
    nr_scale s = { 0 };
    nr_kernel_parse("catrom", &s.kernel);
    s.kernel.blur = 1.25;
    nr_scale_for_height(&s, 192, 108, 80, 0, err, sizeof(err));
    double e = roundtrip_error(&s);
    printf("%-4s catrom blur=1.25 max error %.3g\n", e <= tolerance ? "ok" : "FAIL", e);
    failures += !(e <= tolerance);
    count++;

    /* negative control: noise at full resolution is not an upscale */
    nr_kernel_parse("bilinear", &s.kernel);
    nr_scale_for_height(&s, 192, 108, 72, 0, err, sizeof(err));
    float *noise = malloc(192 * 108 * sizeof(float)), *low = malloc(128 * 72 * sizeof(float));
    float *again = malloc(192 * 108 * sizeof(float));
    for (int i = 0; i < 192 * 108; i++)
        noise[i] = random_unit();
    nr_descale(&s, noise, 192, low, 128);
    nr_upscale(&s, low, 128, again, 192);
    double residual = 0;
    for (int i = 0; i < 192 * 108; i++)
        residual += fabs((double)again[i] - noise[i]) / (192 * 108);
    printf("%-4s noise is not an upscale: mean residual %.3g (> 0.05)\n",
           residual > 0.05 ? "ok" : "FAIL", residual);
    failures += !(residual > 0.05);
    count++;
    free(noise);
    free(low);
    free(again);

    printf("%d of %d round trips within %g\n", count - failures, count, tolerance);
    return failures ? 1 : 0;
}
