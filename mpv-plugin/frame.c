/* bgr0 -> luma conversion and scene thumbnails for the plugin. */
#include <math.h>
#include <string.h>

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

void np_luma_coding_from_params(np_luma_coding *c, const char *matrix, const char *levels,
                                const char *pixfmt)
{
    static const struct {
        const char *name;
        float kr, kb;
    } matrices[] = {
        {"bt.709", 0.2126f, 0.0722f},      {"bt.601", 0.299f, 0.114f},
        {"bt.2020-ncl", 0.2627f, 0.0593f}, {"smpte-240m", 0.212f, 0.087f},
    };
    /* 8-bit Y'CbCr layouts (mpv's names, the same as FFmpeg's) */
    static const char *const eight_bit[] = {
        "yuv420p", "yuv422p", "yuv444p", "yuv411p", "yuv410p", "yuv440p",
        "nv12",    "nv21",    "yuyv422", "uyvy422", "yuva420p",
    };
    *c = (np_luma_coding){KR, KB, false};
    bool known = false;
    for (size_t i = 0; matrix && i < sizeof(matrices) / sizeof(matrices[0]); i++) {
        if (!strcmp(matrix, matrices[i].name)) {
            c->kr = matrices[i].kr;
            c->kb = matrices[i].kb;
            known = true;
        }
    }
    bool eight = false;
    for (size_t i = 0; pixfmt && i < sizeof(eight_bit) / sizeof(eight_bit[0]); i++)
        eight |= !strcmp(pixfmt, eight_bit[i]);
    c->limited8 = known && eight && levels && !strcmp(levels, "limited");
}

/* the largest distance of a grab's luma from its code: each of R, G, B is
 * rounded by at most 1/2, in limited-range steps of 219/255 */
#define SNAP_REACH (0.5f * 219.0f / 255.0f)

bool np_bgr0_to_luma(const uint8_t *bgr0, int w, int h, ptrdiff_t stride,
                     const np_luma_coding *c, float *out)
{
    np_luma_coding bt709 = {KR, KB, false};
    if (!c)
        c = &bt709;
    const float kr = c->kr / 255.0f, kb = c->kb / 255.0f, kg = (1.0f - c->kr - c->kb) / 255.0f;
    size_t near = 0;
    for (int y = 0; y < h; y++) {
        const uint8_t *p = bgr0 + (size_t)y * stride;
        float *o = out + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            o[x] = kb * p[4 * x] + kg * p[4 * x + 1] + kr * p[4 * x + 2];
            if (c->limited8) {
                float code = 16.0f + 219.0f * o[x];
                near += fabsf(code - rintf(code)) <= SNAP_REACH + 1e-3f;
            }
        }
    }
    size_t n = (size_t)w * h;
    if (!c->limited8 || near < n - n * 3 / 100)
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (rintf(16.0f + 219.0f * out[i]) - 16.0f) / 219.0f;
    return true;
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
