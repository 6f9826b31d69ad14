/* Colour anime-like frames: see synth_color.h. */
#include "synth_color.h"

#include "synth.h"

#include <math.h>
#include <string.h>

typedef struct rgb_canvas {
    float *p;
    int w, h;
} rgb_canvas;

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static double uni(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * synth_rand_unit(s);
}

static void blend(rgb_canvas *cv, int x, int y, const double c[3], double cov)
{
    if (cov <= 0)
        return;
    float *px = cv->p + ((size_t)y * cv->w + x) * 3;
    for (int k = 0; k < 3; k++)
        px[k] = (float)(px[k] * (1 - cov) + c[k] * cov);
}

static double luma709(const double c[3])
{
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* a saturated-ish anime palette colour: hue, saturation, value */
static void random_colour(uint64_t *rng, double c[3], double vlo, double vhi)
{
    double h = uni(rng, 0, 6), s = uni(rng, 0.25, 0.85), v = uni(rng, vlo, vhi);
    int i = (int)h;
    double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    double tab[6][3] = { {v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q} };
    memcpy(c, tab[i % 6], sizeof(double) * 3);
}

/* signed distance to an ellipse (approximate) or a rounded box, local frame */
static double shape_distance(int box, double lx, double ly, double rx, double ry, double corner)
{
    if (box) {
        double qx = fabs(lx) - (rx - corner), qy = fabs(ly) - (ry - corner);
        double ox = fmax(qx, 0), oy = fmax(qy, 0);
        return sqrt(ox * ox + oy * oy) + fmin(fmax(qx, qy), 0) - corner;
    }
    double ux = lx / rx, uy = ly / ry, k0 = sqrt(ux * ux + uy * uy);
    double vx = lx / (rx * rx), vy = ly / (ry * ry), k1 = sqrt(vx * vx + vy * vy);
    return k1 < 1e-12 ? -fmin(rx, ry) : k0 * (k0 - 1) / k1;
}

static void draw_cel_shape(rgb_canvas *cv, uint64_t *rng)
{
    int box = synth_rand_unit(rng) < 0.4;
    double cx = uni(rng, -0.05, 1.05) * cv->w, cy = uni(rng, -0.05, 1.05) * cv->h;
    double size = cv->h * uni(rng, 0.04, 0.22);
    double rx = size * uni(rng, 0.5, 1), ry = size * uni(rng, 0.5, 1);
    double corner = fmin(rx, ry) * uni(rng, 0.1, 0.6), ang = uni(rng, 0, M_PI);
    double fill[3], shadow[3], ink[3];
    random_colour(rng, fill, 0.55, 1.0);
    double dark = uni(rng, 0.6, 0.85);
    for (int k = 0; k < 3; k++) {
        shadow[k] = fill[k] * dark;
        ink[k] = fill[k] * uni(rng, 0.05, 0.25);   /* dark, tinted outline */
    }
    double line = uni(rng, 1.0, 3.5) * cv->h / 1080.0 * 1.2;
    double ta = uni(rng, 0, 2 * M_PI), toff = uni(rng, -0.3, 0.5) * size;
    double tnx = cos(ta), tny = sin(ta);
    double ca = cos(ang), sa = sin(ang);
    int x0 = (int)fmax(floor(cx - size - line - 2), 0), x1 = (int)fmin(ceil(cx + size + line + 2), cv->w);
    int y0 = (int)fmax(floor(cy - size - line - 2), 0), y1 = (int)fmin(ceil(cy + size + line + 2), cv->h);
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            double px = x + 0.5 - cx, py = y + 0.5 - cy;
            double d = shape_distance(box, ca * px + sa * py, -sa * px + ca * py, rx, ry, corner);
            double cov = clamp01(0.5 - d);
            if (cov > 0) {
                double s = clamp01(0.5 + (px * tnx + py * tny - toff));   /* terminator */
                double c[3];
                for (int k = 0; k < 3; k++)
                    c[k] = fill[k] * (1 - s) + shadow[k] * s;
                blend(cv, x, y, c, cov);
            }
            blend(cv, x, y, ink, clamp01(line * 0.5 + 0.5 - fabs(d)));
        }
}

/* a quadratic Bezier stroke of constant width, flattened */
static void draw_stroke(rgb_canvas *cv, const double p[6], double width, const double c[3])
{
    enum { SEGS = 16 };
    double pts[SEGS + 1][2];
    for (int i = 0; i <= SEGS; i++) {
        double t = (double)i / SEGS, u = 1 - t;
        pts[i][0] = u * u * p[0] + 2 * u * t * p[2] + t * t * p[4];
        pts[i][1] = u * u * p[1] + 2 * u * t * p[3] + t * t * p[5];
    }
    double minx = fmin(fmin(p[0], p[2]), p[4]), maxx = fmax(fmax(p[0], p[2]), p[4]);
    double miny = fmin(fmin(p[1], p[3]), p[5]), maxy = fmax(fmax(p[1], p[3]), p[5]);
    int x0 = (int)fmax(floor(minx - width - 2), 0), x1 = (int)fmin(ceil(maxx + width + 2), cv->w);
    int y0 = (int)fmax(floor(miny - width - 2), 0), y1 = (int)fmin(ceil(maxy + width + 2), cv->h);
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            double qx = x + 0.5, qy = y + 0.5, best = 1e30;
            for (int i = 0; i < SEGS; i++) {
                double ax = pts[i][0], ay = pts[i][1];
                double bx = pts[i + 1][0] - ax, by = pts[i + 1][1] - ay, l2 = bx * bx + by * by;
                double t = l2 > 0 ? clamp01(((qx - ax) * bx + (qy - ay) * by) / l2) : 0;
                double dx = qx - ax - t * bx, dy = qy - ay - t * by;
                best = fmin(best, dx * dx + dy * dy);
            }
            blend(cv, x, y, c, clamp01(width * 0.5 + 0.5 - sqrt(best)));
        }
}

static void draw_rect(rgb_canvas *cv, double rx0, double ry0, double rx1, double ry1,
                      const double c[3])
{
    int x0 = (int)fmax(floor(rx0), 0), x1 = (int)fmin(ceil(rx1), cv->w);
    int y0 = (int)fmax(floor(ry0), 0), y1 = (int)fmin(ceil(ry1), cv->h);
    for (int y = y0; y < y1; y++) {
        double oy = fmin(y + 1.0, ry1) - fmax((double)y, ry0);
        for (int x = x0; x < x1 && oy > 0; x++) {
            double ox = fmin(x + 1.0, rx1) - fmax((double)x, rx0);
            if (ox > 0)
                blend(cv, x, y, c, ox * oy);
        }
    }
}

/* glyph rows: 5x7 random glyphs; bordered (a dark copy offset around) or plain */
static void draw_text_row(rgb_canvas *cv, uint64_t *rng)
{
    double cell = cv->h / 1080.0 * uni(rng, 1.6, 3.0);
    double x = uni(rng, 0.03, 0.55) * cv->w, y = uni(rng, 0.05, 0.9) * cv->h;
    int count = 8 + (int)(synth_rand_unit(rng) * 16);
    double face[3], border[3];
    int bordered = synth_rand_unit(rng) < 0.6;
    if (bordered) {
        random_colour(rng, face, 0.9, 1.0);
        random_colour(rng, border, 0.1, 0.35);
    } else {
        random_colour(rng, face, 0.5, 0.95);
    }
    uint64_t glyphs[32];
    for (int g = 0; g < count; g++)
        glyphs[g] = synth_rand_u64(rng);
    for (int pass = bordered ? 0 : 1; pass < 2; pass++) {
        double grow = pass == 0 ? cell * 0.6 : 0;
        for (int g = 0; g < count; g++) {
            if (glyphs[g] % 7 == 0)
                continue;
            double gx = x + g * 6 * cell;
            for (int r = 0; r < 7; r++)
                for (int c = 0; c < 5; c++)
                    if ((glyphs[g] >> (r * 5 + c)) & 1)
                        draw_rect(cv, gx + c * cell - grow, y + r * cell - grow,
                                  gx + (c + 1) * cell + grow, y + (r + 1) * cell + grow,
                                  pass == 0 ? border : face);
        }
    }
}

/* two colours of the same luma side by side, in stripes */
static void draw_isoluminant(rgb_canvas *cv, uint64_t *rng)
{
    double a[3], b[3];
    random_colour(rng, a, 0.6, 0.9);
    random_colour(rng, b, 0.6, 0.9);
    double la = luma709(a), lb = luma709(b);
    for (int k = 0; k < 3; k++)   /* scale b to a's luma, keep it in range */
        b[k] = fmin(b[k] * la / fmax(lb, 1e-3), 1.0);
    double x0 = uni(rng, 0.05, 0.8) * cv->w, y0 = uni(rng, 0.05, 0.8) * cv->h;
    double sw = cv->h * uni(rng, 0.01, 0.04), bw = cv->h * 0.15;
    for (int i = 0; i < 6; i++)
        draw_rect(cv, x0 + i * sw, y0, x0 + (i + 1) * sw, y0 + bw, i % 2 ? a : b);
}

void synth_color_frame(float *rgb, int w, int h, uint64_t seed)
{
    rgb_canvas cv = { rgb, w, h };
    uint64_t rng = seed * 0x9e3779b97f4a7c15ULL + 7;
    double top[3], bottom[3];
    random_colour(&rng, top, 0.7, 1.0);
    random_colour(&rng, bottom, 0.5, 0.95);
    for (int y = 0; y < h; y++) {
        double f = (y + 0.5) / h;
        for (int x = 0; x < w; x++)
            for (int k = 0; k < 3; k++)
                rgb[((size_t)y * w + x) * 3 + k] = (float)(top[k] + (bottom[k] - top[k]) * f);
    }
    for (int i = 0; i < 26; i++)
        draw_cel_shape(&cv, &rng);
    for (int i = 0; i < 3; i++)
        draw_isoluminant(&cv, &rng);
    for (int i = 0; i < 14; i++) {
        double p[6], ox = uni(&rng, 0, 1), oy = uni(&rng, 0, 1), c[3];
        for (int k = 0; k < 3; k++) {
            p[2 * k] = (ox + uni(&rng, -0.12, 0.12)) * w;
            p[2 * k + 1] = (oy + uni(&rng, -0.15, 0.15)) * h;
        }
        random_colour(&rng, c, 0.1, 0.9);
        draw_stroke(&cv, p, uni(&rng, 0.8, 3.0) * h / 1080.0, c);
    }
    int rows = 2 + (int)(synth_rand_unit(&rng) * 3);
    for (int r = 0; r < rows; r++)
        draw_text_row(&cv, &rng);
    for (size_t i = 0; i < (size_t)w * h * 3; i++)
        rgb[i] = (float)clamp01(rgb[i]);
}

void synth_rgb_to_ycbcr709(const float *rgb, int w, int h, float *y, float *cb, float *cr)
{
    for (size_t i = 0; i < (size_t)w * h; i++) {
        double r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
        double l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        y[i] = (float)l;
        cb[i] = (float)((b - l) / 1.8556 + 0.5);
        cr[i] = (float)((r - l) / 1.5748 + 0.5);
    }
}
