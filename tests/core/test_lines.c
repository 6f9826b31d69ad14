/*
 * Line enhancement CPU reference (nr_lines): strength 0 is the identity,
 * flat neighbourhoods never change, every output stays within its 3x3
 * min/max, only the core of a dark line moves (down, by the formula), a
 * bright line and the sides of a dark one stay, argument checks.
 */
#include "nativeres_lines.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); printf("\n"); } } while (0)

enum { W = 64, H = 48 };

static float src[H][W], dst[H][W];

static double rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / (double)(1ULL << 53);
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int main(void)
{
    uint64_t s = 99;
    /* random lineart-like content: a noisy field with dark strokes */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            src[y][x] = (float)(0.2 + 0.6 * rnd(&s)) * ((x + 2 * y) % 11 == 0 ? 0.3f : 1.0f);

    CHECK(nr_lines(&src[0][0], W, W, H, &dst[0][0], W, 0) == 0, "strength 0");
    CHECK(!memcmp(src, dst, sizeof(src)), "strength 0 is not the identity");

    /* bounded by the 3x3 min/max, never brighter, at every strength */
    const double strengths[] = {0.5, 1, 2, 4};
    for (int k = 0; k < 4; k++) {
        CHECK(nr_lines(&src[0][0], W, W, H, &dst[0][0], W, strengths[k]) == 0, "run");
        int outside = 0, brighter = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float lo = 1, hi = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        float v = src[clampi(y + dy, 0, H - 1)][clampi(x + dx, 0, W - 1)];
                        lo = fminf(lo, v);
                        hi = fmaxf(hi, v);
                    }
                outside += dst[y][x] < lo || dst[y][x] > hi;
                brighter += dst[y][x] > src[y][x];
            }
        }
        CHECK(!outside && !brighter, "strength %g: %d outside the local min/max, %d brighter",
              strengths[k], outside, brighter);
    }

    /* flat: a smooth gradient plus faint grain (3x3 range < NR_LINES_FLAT)
     * comes back bit for bit */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            src[y][x] = (float)(0.3 + 0.002 * x + 0.004 * rnd(&s));
    nr_lines(&src[0][0], W, W, H, &dst[0][0], W, 4);
    CHECK(!memcmp(src, dst, sizeof(src)), "a flat area changed");

    /* a 1 px dark line (0.2) on 0.8: its core darkens to the local min's
     * bound or by strength x (mean - core); its sides do not move */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            src[y][x] = x == 20 ? 0.2f : 0.8f;
    nr_lines(&src[0][0], W, W, H, &dst[0][0], W, 1);
    /* core: neighbours 2 x 0.2 + 6 x 0.8 -> mean 0.65; range 0.6 -> full
     * weight; 0.2 - 0.45 clamps to the local min 0.2: a line already at
     * its neighbourhood's minimum cannot get darker (no overshoot) */
    CHECK(fabsf(dst[10][20] - 0.2f) < 1e-6f, "1 px line core: %g", dst[10][20]);
    CHECK(dst[10][19] == 0.8f && dst[10][21] == 0.8f && dst[10][30] == 0.8f,
          "the sides of the line moved: %g %g", dst[10][19], dst[10][21]);

    /* an anti-aliased 2 px line: 0.8 | 0.5 0.3 | 0.8 -- the 0.3 core is
     * its neighbourhood's minimum and stays; the 0.5 shoulder is darker
     * than its neighbours' mean (3 x 0.3 + 3 x 0.8 + 2 x 0.5) / 8 = 0.5375,
     * so it darkens by strength x 0.0375 (never below the core's 0.3) */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            src[y][x] = x == 20 ? 0.5f : x == 21 ? 0.3f : 0.8f;
    nr_lines(&src[0][0], W, W, H, &dst[0][0], W, 1);
    CHECK(fabsf(dst[10][20] - (0.5f - 0.0375f)) < 1e-5f, "soft line edge: %g, want %g",
          dst[10][20], 0.5 - 0.0375);
    CHECK(dst[10][19] == 0.8f && dst[10][22] == 0.8f, "the background next to it moved");

    /* a bright line is left alone */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            src[y][x] = x == 20 ? 0.9f : 0.3f;
    nr_lines(&src[0][0], W, W, H, &dst[0][0], W, 2);
    CHECK(!memcmp(src, dst, sizeof(src)), "a bright line changed");

    /* bad arguments */
    CHECK(nr_lines(&src[0][0], W, W, H, &dst[0][0], W, -0.1) < 0, "negative strength");
    CHECK(nr_lines(&src[0][0], W, W, H, &dst[0][0], W, NAN) < 0, "NaN strength");
    CHECK(nr_lines(&src[0][0], W, W, H, &dst[0][0], W, 4.5) < 0, "strength above 4");
    CHECK(nr_lines(NULL, W, W, H, &dst[0][0], W, 1) < 0, "NULL source");
    CHECK(nr_lines(&src[0][0], W - 1, W, H, &dst[0][0], W, 1) < 0, "stride < width");
    CHECK(nr_lines(&src[0][0], W, 0, H, &dst[0][0], W, 1) < 0, "zero width");

    printf("%s: %d failure(s)\n", failures ? "FAIL" : "ok", failures);
    return failures != 0;
}
