/* Procedural native-resolution content: see known_content.h. */
#include "known_content.h"

#include <math.h>

/* Coverage of a soft edge: 1 inside (d < -0.5), 0 outside, linear across
 * one pixel, like an antialiased drawing. */
static double coverage(double signed_distance)
{
    double c = 0.5 - signed_distance;
    return c < 0 ? 0 : c > 1 ? 1 : c;
}

static double segment_distance(double px, double py, double ax, double ay, double bx, double by)
{
    double vx = bx - ax, vy = by - ay;
    double t = ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double dx = px - (ax + t * vx), dy = py - (ay + t * vy);
    return sqrt(dx * dx + dy * dy);
}

bool nr_known_content_draw(nr_image *img, int w, int h)
{
    if (!nr_image_alloc(img, w, h, 1))
        return false;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            /* pixel centres, in units of the picture height */
            double px = (x + 0.5) / h, py = (y + 0.5) / h, s = 1.0 / h;
            double v = 0.3 + 0.25 * px / ((double)w / h) + 0.05 * sin(9 * py);   /* sky */
            /* disks of flat colour with soft outlines */
            static const double disks[][4] = {
                { 0.35, 0.40, 0.22, 0.78 }, { 0.95, 0.55, 0.30, 0.20 },
                { 1.45, 0.30, 0.12, 0.70 }, { 0.70, 0.80, 0.15, 0.45 },
            };
            for (int i = 0; i < 4; i++) {
                double d = hypot(px - disks[i][0], py - disks[i][1]) - disks[i][2];
                double fill = coverage(d / s);
                double outline = coverage((fabs(d) - 1.5 * s) / s);   /* 3 px line */
                v = v * (1 - fill) + disks[i][3] * fill;
                v = v * (1 - outline) + 0.18 * outline;
            }
            /* thin diagonal lines (1 px) and a hair-thin one (0.6 px) */
            double l1 = coverage(segment_distance(px, py, 0.1, 0.9, 1.6, 0.1) / s - 0.0);
            double l2 = 0.6 * coverage(segment_distance(px, py, 0.2, 0.1, 1.2, 0.95) / s);
            v = v * (1 - l1) + 0.82 * l1;
            v = v * (1 - l2) + 0.2 * l2;
            img->data[(size_t)y * w + x] = (float)v;
        }
    }
    return true;
}
