/*
 * DPID CPU reference (nr_dpid): lambda 0 is the area downscale, output is a
 * convex combination of its footprint, flat stays flat, a thin line keeps
 * more contrast than under a box filter and more with a larger lambda,
 * fractional footprints, argument checks.
 */
#include "nativeres_dpid.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); printf("\n"); } } while (0)

enum { SW = 90, SH = 60 };

static float src[SH][SW];

static double line_contrast(double lambda, int dw, int dh)
{
    /* grey background, one dark 1 px vertical line at x = 31 */
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            src[y][x] = x == 31 ? 0.1f : 0.7f;
    float *dst = malloc(sizeof(float) * dw * dh);
    nr_dpid(&src[0][0], SW, SW, SH, dst, dw, dw, dh, lambda);
    double darkest = 1;
    for (int x = 0; x < dw; x++)
        darkest = fmin(darkest, dst[(dh / 2) * dw + x]);
    free(dst);
    return 0.7 - darkest;
}

int main(void)
{
    /* lambda 0 = area average; convex combination of the footprint */
    uint64_t s = 12345;
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            src[y][x] = (float)((s >> 40) / (double)(1 << 24));
        }
    float box[40 * 20], d1[40 * 20];
    CHECK(nr_dpid(&src[0][0], SW, SW, SH, box, 40, 40, 20, 0) == 0, "lambda 0 failed");
    double worst = 0;
    for (int y = 0; y < 20; y++)
        for (int x = 0; x < 40; x++) {
            /* footprint x*2.25 .. (x+1)*2.25, y*3 .. (y+1)*3 */
            double sum = 0, x0 = x * 2.25, x1 = x0 + 2.25;
            for (int j = y * 3; j < y * 3 + 3; j++)
                for (int i = (int)x0; i < SW && i < x1; i++)
                    sum += src[j][i] * (fmin(x1, i + 1.0) - fmax(x0, (double)i));
            worst = fmax(worst, fabs(sum / (2.25 * 3) - box[y * 40 + x]));
        }
    printf("lambda 0 vs area average (fractional 2.25 x 3): max %.2e\n", worst);
    CHECK(worst < 1e-6, "lambda 0 is not the area average");
    CHECK(nr_dpid(&src[0][0], SW, SW, SH, d1, 40, 40, 20, 1) == 0, "lambda 1 failed");
    int outside = 0;
    for (int y = 0; y < 20; y++)
        for (int x = 0; x < 40; x++) {
            double lo = 1, hi = 0;
            for (int j = y * 3; j < y * 3 + 3; j++)
                for (int i = (int)(x * 2.25); i < SW && i < (x + 1) * 2.25; i++) {
                    lo = fmin(lo, src[j][i]);
                    hi = fmax(hi, src[j][i]);
                }
            outside += d1[y * 40 + x] < lo - 1e-6 || d1[y * 40 + x] > hi + 1e-6;
        }
    CHECK(outside == 0, "%d outputs outside their footprint's range", outside);

    /* flat input: exact */
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            src[y][x] = 0.3f;
    nr_dpid(&src[0][0], SW, SW, SH, d1, 40, 40, 20, 1);
    double flat = 0;
    for (int i = 0; i < 800; i++)
        flat = fmax(flat, fabs(d1[i] - 0.3));
    CHECK(flat < 1e-7, "flat input changed by %g", flat);

    /* thin line: contrast kept better than by a box, more with larger lambda */
    double c0 = line_contrast(0, 30, 20), c05 = line_contrast(0.5, 30, 20),
           c1 = line_contrast(1, 30, 20);
    printf("1 px line, 3x downscale: contrast box %.3f, lambda 0.5 %.3f, lambda 1 %.3f (source 0.6)\n",
           c0, c05, c1);
    CHECK(fabs(c0 - 0.2) < 1e-5, "box contrast %.4f, expected 0.2", c0);
    CHECK(c05 > c0 + 0.05 && c1 > c05 + 0.05, "DPID does not preserve the line");

    /* arguments */
    CHECK(nr_dpid(&src[0][0], SW, SW, SH, d1, 40, 100, 20, 1) < 0, "upscale accepted");
    CHECK(nr_dpid(&src[0][0], SW, SW, SH, d1, 40, 40, 20, -1) < 0, "negative lambda accepted");
    CHECK(nr_dpid(&src[0][0], SW, SW, SH, d1, 40, 40, 20, NAN) < 0, "NaN lambda accepted");
    CHECK(nr_dpid(NULL, SW, SW, SH, d1, 40, 40, 20, 1) < 0, "NULL source accepted");
    if (failures)
        printf("%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
