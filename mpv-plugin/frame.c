/* bgr0 -> luma conversion and scene thumbnails for the plugin. */
#include <math.h>

#include "frame.h"

#define KR 0.2126f
#define KG 0.7152f
#define KB 0.0722f

int np_bgr0_check(int w, int h, ptrdiff_t stride, size_t size)
{
    if (w <= 0 || h <= 0 || stride < (ptrdiff_t)w * 4)
        return -1;
    if ((size_t)stride * (size_t)(h - 1) + (size_t)w * 4 > size)
        return -1;
    return 0;
}

void np_bgr0_to_luma(const uint8_t *bgr0, int w, int h, ptrdiff_t stride, float *out)
{
    const float s = 1.0f / 255.0f;
    for (int y = 0; y < h; y++) {
        const uint8_t *p = bgr0 + (size_t)y * stride;
        float *o = out + (size_t)y * w;
        for (int x = 0; x < w; x++)
            o[x] = (KB * p[4 * x] + KG * p[4 * x + 1] + KR * p[4 * x + 2]) * s;
    }
}

void np_bgr0_thumbnail(const uint8_t *bgr0, int w, int h, ptrdiff_t stride,
                       float thumb[NP_THUMB_W * NP_THUMB_H])
{
    for (int ty = 0; ty < NP_THUMB_H; ty++) {
        int y0 = (int)((int64_t)ty * h / NP_THUMB_H);
        int y1 = (int)((int64_t)(ty + 1) * h / NP_THUMB_H);
        if (y1 <= y0)
            y1 = y0 + 1;
        for (int tx = 0; tx < NP_THUMB_W; tx++) {
            int x0 = (int)((int64_t)tx * w / NP_THUMB_W);
            int x1 = (int)((int64_t)(tx + 1) * w / NP_THUMB_W);
            if (x1 <= x0)
                x1 = x0 + 1;
            /* at most ~4x4 samples per cell keep a 4K grab under a millisecond */
            int sy = (y1 - y0 + 3) / 4, sx = (x1 - x0 + 3) / 4;
            double sum = 0;
            int n = 0;
            for (int y = y0; y < y1 && y < h; y += sy) {
                const uint8_t *p = bgr0 + (size_t)y * stride;
                for (int x = x0; x < x1 && x < w; x += sx) {
                    sum += KB * p[4 * x] + KG * p[4 * x + 1] + KR * p[4 * x + 2];
                    n++;
                }
            }
            thumb[ty * NP_THUMB_W + tx] = n ? (float)(sum / n / 255.0) : 0.0f;
        }
    }
}

double np_thumb_distance(const float *a, const float *b)
{
    double d = 0;
    for (int i = 0; i < NP_THUMB_W * NP_THUMB_H; i++)
        d += fabs((double)a[i] - b[i]);
    return d / (NP_THUMB_W * NP_THUMB_H);
}
