#include "credits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t next_random(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static double seg_dist(double px, double py, const double *a, const double *b)
{
    double vx = b[0] - a[0], vy = b[1] - a[1];
    double len2 = vx * vx + vy * vy;
    double t = len2 > 0 ? ((px - a[0]) * vx + (py - a[1]) * vy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double dx = px - (a[0] + t * vx), dy = py - (a[1] + t * vy);
    return sqrt(dx * dx + dy * dy);
}

static double cov(double d, double r)
{
    double c = r + 0.5 - d;
    return c < 0 ? 0 : c > 1 ? 1 : c;
}

void credits_draw(float *p, float *cover, int w, int h, int glyph_h, uint64_t seed)
{
    uint64_t rs = seed * 2654435761u + 12345;
    if (cover)
        memset(cover, 0, sizeof(float) * (size_t)w * h);
    const int gw = glyph_h * 2 / 3, gap = glyph_h / 4, line = glyph_h * 3 / 2;
    const double stroke = glyph_h / 12.0, outline = stroke + glyph_h / 12.0 + 0.5;
    int y0 = h * 3 / 4, rows = 2;
    for (int row = 0; row < rows; row++) {
        int gy = y0 + row * line;
        for (int gx = w / 8; gx + gw < w * 7 / 8; gx += gw + gap) {
            if (next_random(&rs) % 7 == 0)
                continue;   /* a space between words */
            /* 2-4 strokes between anchors of a 3x3 grid in the glyph box */
            double seg[4][2][2];
            int n = 2 + (int)(next_random(&rs) % 3);
            for (int s = 0; s < n; s++)
                for (int e = 0; e < 2; e++) {
                    seg[s][e][0] = gx + (double)(next_random(&rs) % 3) * gw / 2;
                    seg[s][e][1] = gy + (double)(next_random(&rs) % 3) * glyph_h / 2;
                }
            int pad = (int)outline + 2;
            for (int y = gy - pad; y <= gy + glyph_h + pad; y++) {
                if (y < 0 || y >= h)
                    continue;
                for (int x = gx - pad; x <= gx + gw + pad; x++) {
                    if (x < 0 || x >= w)
                        continue;
                    double d = 1e9;
                    for (int s = 0; s < n; s++) {
                        double v = seg_dist(x + 0.5, y + 0.5, seg[s][0], seg[s][1]);
                        d = v < d ? v : d;
                    }
                    double fill = cov(d, stroke), edge = cov(d, outline);
                    if (edge <= 0)
                        continue;
                    float *px = &p[(size_t)y * w + x];
                    float under = *px * (float)(1 - edge) + 0.05f * (float)edge; /* outline */
                    *px = under * (float)(1 - fill) + 0.97f * (float)fill;       /* white fill */
                    if (cover && edge > cover[(size_t)y * w + x])
                        cover[(size_t)y * w + x] = (float)edge;
                }
            }
        }
    }
}

/* distance transform by repeated 3x3 dilation (small radii only) */
static void dilate(unsigned char *m, int w, int h, int r)
{
    unsigned char *t = malloc((size_t)w * h);
    if (!t)
        return;
    for (int it = 0; it < r; it++) {
        memcpy(t, m, (size_t)w * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                if (t[(size_t)y * w + x])
                    continue;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx, yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < w && yy < h && t[(size_t)yy * w + xx])
                            m[(size_t)y * w + x] = 1;
                    }
            }
    }
    free(t);
}

void credits_regions(const float *cover, int w, int h, int near, int far,
                     unsigned char *text, unsigned char *picture)
{
    size_t n = (size_t)w * h;
    for (size_t i = 0; i < n; i++)
        text[i] = cover[i] > 0;
    memcpy(picture, text, n);
    dilate(text, w, h, near);
    dilate(picture, w, h, far);
    for (size_t i = 0; i < n; i++)
        picture[i] = !picture[i];
}
