/*
 * Line enhancement, the CPU reference of the shader (nativeres_lines.h).
 */
#include "nativeres_lines.h"

#include <math.h>

static float smoothstep(float e0, float e1, float x)
{
    float t = (x - e0) / (e1 - e0);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return t * t * (3 - 2 * t);
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int nr_lines(const float *src, ptrdiff_t src_stride, int w, int h,
             float *dst, ptrdiff_t dst_stride, double strength)
{
    if (!src || !dst || w < 1 || h < 1 || src_stride < w || dst_stride < w ||
        !(strength >= 0 && strength <= NR_LINES_MAX_STRENGTH))
        return -1;
    float k = (float)strength;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            float c = src[y * src_stride + x];
            float lo = c, hi = c, sum = 0;
            for (int dy = -1; dy <= 1; dy++) {
                const float *row = src + clampi(y + dy, 0, h - 1) * src_stride;
                for (int dx = -1; dx <= 1; dx++) {
                    if (!dx && !dy)
                        continue;
                    float v = row[clampi(x + dx, 0, w - 1)];
                    lo = fminf(lo, v);
                    hi = fmaxf(hi, v);
                    sum += v;
                }
            }
            float weight = smoothstep((float)NR_LINES_FLAT, (float)NR_LINES_EDGE, hi - lo);
            float out = c - k * weight * fmaxf(sum / 8 - c, 0);
            dst[y * dst_stride + x] = fminf(fmaxf(out, lo), hi);
        }
    }
    return 0;
}
