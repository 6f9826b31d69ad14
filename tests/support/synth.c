/*
 * synth — procedural anime-like frames (see synth.h).
 *
 * Everything is drawn with analytic anti-aliasing: a pixel's coverage of an
 * edge is clamp(0.5 - d) with d the signed distance (pixels) from the pixel
 * centre, which is what a box filter gives for a straight edge. That keeps
 * renders cheap and, more importantly, free of the aliasing that would make
 * "native" frames look unlike real drawings.
 */
#include "synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ------------------------------------------------------------------ */
/* random numbers                                                      */

uint64_t synth_rand_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double synth_rand_unit(uint64_t *s)
{
    return (double)(synth_rand_u64(s) >> 11) * (1.0 / 9007199254740992.0);
}

double synth_rand_gauss(uint64_t *s)
{
    double u = synth_rand_unit(s), v = synth_rand_unit(s);
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

static double uni(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * synth_rand_unit(s);
}

void synth_opts_default(synth_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->shapes = 28;
    o->strokes = 14;
    o->line_min = 1.2;
    o->line_max = 3.5;
    o->gradients = true;
    o->hatching = true;
    o->text = true;
    o->glyph_px = 12.0;
    o->grain = 0.0;
    o->time = 0.0;
    o->brightness = 1.0;
    o->contrast = 1.0;
}

/* ------------------------------------------------------------------ */
/* drawing helpers                                                     */

typedef struct canvas {
    float *p;
    int w, h;
    ptrdiff_t stride;
} canvas;

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static void blend(canvas *cv, int x, int y, double colour, double cov)
{
    if (cov <= 0)
        return;
    float *px = &cv->p[(ptrdiff_t)y * cv->stride + x];
    *px = (float)(*px * (1.0 - cov) + colour * cov);
}

/* pixel bounding box of a centre +- radius, clipped to the canvas */
static int bbox(const canvas *cv, double cx, double cy, double r,
                int *x0, int *y0, int *x1, int *y1)
{
    *x0 = (int)floor(cx - r - 1);
    *y0 = (int)floor(cy - r - 1);
    *x1 = (int)ceil(cx + r + 1);
    *y1 = (int)ceil(cy + r + 1);
    if (*x0 < 0) *x0 = 0;
    if (*y0 < 0) *y0 = 0;
    if (*x1 > cv->w) *x1 = cv->w;
    if (*y1 > cv->h) *y1 = cv->h;
    return *x0 < *x1 && *y0 < *y1;
}

/* one filled, outlined, optionally shaded and hatched shape */
typedef struct shape {
    int round_box;           /* 0 ellipse, 1 rounded box */
    double cx, cy;           /* pixels */
    double rx, ry, corner;   /* pixels */
    double angle;
    double fill, shade;      /* base colour, gradient amount */
    double gdx, gdy;         /* gradient direction */
    double line, ink;        /* outline width (px) and colour */
    int hatch;
    double hatch_pitch, hatch_nx, hatch_ny, hatch_ink;
} shape;

static double shape_distance(const shape *s, double px, double py)
{
    double ca = cos(s->angle), sa = sin(s->angle);
    double lx = ca * px + sa * py, ly = -sa * px + ca * py;
    if (s->round_box) {
        double qx = fabs(lx) - (s->rx - s->corner);
        double qy = fabs(ly) - (s->ry - s->corner);
        double ox = qx > 0 ? qx : 0, oy = qy > 0 ? qy : 0;
        double in = qx > qy ? qx : qy;
        return sqrt(ox * ox + oy * oy) + (in < 0 ? in : 0) - s->corner;
    }
    double ux = lx / s->rx, uy = ly / s->ry;
    double k0 = sqrt(ux * ux + uy * uy);
    double vx = lx / (s->rx * s->rx), vy = ly / (s->ry * s->ry);
    double k1 = sqrt(vx * vx + vy * vy);
    if (k1 < 1e-12)
        return -(s->rx < s->ry ? s->rx : s->ry);
    return k0 * (k0 - 1.0) / k1;
}

static void draw_shape(canvas *cv, const shape *s)
{
    int x0, y0, x1, y1;
    double r = sqrt(s->rx * s->rx + s->ry * s->ry) + s->line;
    if (!bbox(cv, s->cx, s->cy, r, &x0, &y0, &x1, &y1))
        return;
    double size = s->rx > s->ry ? s->rx : s->ry;
    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            double px = x + 0.5 - s->cx, py = y + 0.5 - s->cy;
            double d = shape_distance(s, px, py);
            double cov = clamp01(0.5 - d);
            if (cov > 0) {
                double c = s->fill + s->shade * (px * s->gdx + py * s->gdy) / size;
                blend(cv, x, y, clamp01(c), cov);
                if (s->hatch) {
                    double t = (px * s->hatch_nx + py * s->hatch_ny) / s->hatch_pitch;
                    double dist = fabs(t - floor(t + 0.5)) * s->hatch_pitch;
                    blend(cv, x, y, s->hatch_ink, cov * clamp01(0.45 + 0.5 - dist));
                }
            }
            blend(cv, x, y, s->ink, clamp01(s->line * 0.5 + 0.5 - fabs(d)));
        }
    }
}

/* a tapered quadratic Bezier stroke, flattened to segments */
#define STROKE_SEGS 16
static void draw_stroke(canvas *cv, const double p[6], double width, double ink)
{
    double pts[STROKE_SEGS + 1][2];
    double minx = 1e30, miny = 1e30, maxx = -1e30, maxy = -1e30;
    for (int i = 0; i <= STROKE_SEGS; i++) {
        double t = (double)i / STROKE_SEGS, u = 1 - t;
        pts[i][0] = u * u * p[0] + 2 * u * t * p[2] + t * t * p[4];
        pts[i][1] = u * u * p[1] + 2 * u * t * p[3] + t * t * p[5];
        if (pts[i][0] < minx) minx = pts[i][0];
        if (pts[i][0] > maxx) maxx = pts[i][0];
        if (pts[i][1] < miny) miny = pts[i][1];
        if (pts[i][1] > maxy) maxy = pts[i][1];
    }
    int x0 = (int)floor(minx - width - 2), x1 = (int)ceil(maxx + width + 2);
    int y0 = (int)floor(miny - width - 2), y1 = (int)ceil(maxy + width + 2);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > cv->w) x1 = cv->w;
    if (y1 > cv->h) y1 = cv->h;
    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            double qx = x + 0.5, qy = y + 0.5;
            double best = 1e30, best_t = 0;
            for (int i = 0; i < STROKE_SEGS; i++) {
                double ax = pts[i][0], ay = pts[i][1];
                double bx = pts[i + 1][0] - ax, by = pts[i + 1][1] - ay;
                double len2 = bx * bx + by * by;
                double t = len2 > 0 ? ((qx - ax) * bx + (qy - ay) * by) / len2 : 0;
                t = clamp01(t);
                double dx = qx - ax - t * bx, dy = qy - ay - t * by;
                double d2 = dx * dx + dy * dy;
                if (d2 < best) {
                    best = d2;
                    best_t = (i + t) / STROKE_SEGS;
                }
            }
            /* taper towards both ends like a brush stroke */
            double wt = width * (0.35 + 0.65 * sin(M_PI * best_t));
            blend(cv, x, y, ink, clamp01(wt * 0.5 + 0.5 - sqrt(best)));
        }
    }
}

/* exact coverage of the pixel [x, x+1) x [y, y+1) by a rectangle */
static void draw_rect(canvas *cv, double rx0, double ry0, double rx1, double ry1,
                      double ink)
{
    int x0 = (int)floor(rx0), x1 = (int)ceil(rx1);
    int y0 = (int)floor(ry0), y1 = (int)ceil(ry1);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > cv->w) x1 = cv->w;
    if (y1 > cv->h) y1 = cv->h;
    for (int y = y0; y < y1; y++) {
        double oy = fmin(y + 1.0, ry1) - fmax((double)y, ry0);
        if (oy <= 0)
            continue;
        for (int x = x0; x < x1; x++) {
            double ox = fmin(x + 1.0, rx1) - fmax((double)x, rx0);
            if (ox > 0)
                blend(cv, x, y, ink, ox * oy);
        }
    }
}

/* a row of random 5x7 glyphs starting at (x, y), cell size `cell` px */
static void draw_glyph_row(canvas *cv, uint64_t *rng, double x, double y,
                           int count, double cell, double ink)
{
    for (int g = 0; g < count; g++) {
        uint64_t bits = synth_rand_u64(rng);
        double gx = x + g * 6 * cell;
        if (bits % 7 == 0)      /* a word gap now and then */
            continue;
        for (int r = 0; r < 7; r++)
            for (int c = 0; c < 5; c++)
                if ((bits >> (r * 5 + c)) & 1)
                    draw_rect(cv, gx + c * cell, y + r * cell,
                              gx + (c + 1) * cell, y + (r + 1) * cell, ink);
    }
}

/* ------------------------------------------------------------------ */
/* scenes                                                              */

void synth_frame(float *dst, int w, int h, ptrdiff_t stride, uint64_t seed,
                 const synth_opts *opts)
{
    synth_opts def;
    if (!opts) {
        synth_opts_default(&def);
        opts = &def;
    }
    canvas cv = {dst, w, h, stride};
    uint64_t rng = seed * 0x2545f4914f6cdd1dULL + 1;

    /* sky: a vertical gradient with a slight horizontal tilt */
    double top = uni(&rng, 0.45, 0.95), bottom = uni(&rng, 0.2, 0.7);
    double tilt = uni(&rng, -0.15, 0.15);
    for (int y = 0; y < h; y++) {
        double fy = (y + 0.5) / h;
        for (int x = 0; x < w; x++) {
            double fx = (x + 0.5) / w;
            dst[(ptrdiff_t)y * stride + x] =
                (float)clamp01(top + (bottom - top) * fy + tilt * (fx - 0.5));
        }
    }

    double t = opts->time;
    double line_span = opts->line_max - opts->line_min;
    for (int i = 0; i < opts->shapes; i++) {
        shape s;
        memset(&s, 0, sizeof(s));
        s.round_box = synth_rand_unit(&rng) < 0.4;
        double vx = uni(&rng, -0.02, 0.02), vy = uni(&rng, -0.01, 0.01);
        s.cx = (uni(&rng, -0.05, 1.05) + vx * t) * w;
        s.cy = (uni(&rng, -0.05, 1.05) + vy * t) * h;
        double size = h * uni(&rng, 0.03, 0.22);
        s.rx = size * uni(&rng, 0.5, 1.0);
        s.ry = size * uni(&rng, 0.5, 1.0);
        s.corner = fmin(s.rx, s.ry) * uni(&rng, 0.1, 0.6);
        s.angle = uni(&rng, 0, M_PI);
        s.fill = uni(&rng, 0.25, 0.98);
        s.shade = opts->gradients ? uni(&rng, -0.18, 0.18) : 0;
        double ga = uni(&rng, 0, 2 * M_PI);
        s.gdx = cos(ga);
        s.gdy = sin(ga);
        s.line = opts->line_min + line_span * synth_rand_unit(&rng);
        s.ink = uni(&rng, 0.02, 0.18);
        s.hatch = opts->hatching && synth_rand_unit(&rng) < 0.2;
        s.hatch_pitch = uni(&rng, 3.0, 7.0);
        double ha = uni(&rng, 0.2, 1.3);
        s.hatch_nx = cos(ha);
        s.hatch_ny = sin(ha);
        s.hatch_ink = s.fill * 0.6;
        draw_shape(&cv, &s);
    }

    for (int i = 0; i < opts->strokes; i++) {
        double p[6];
        double ox = uni(&rng, 0, 1), oy = uni(&rng, 0, 1);
        double vx = uni(&rng, -0.02, 0.02);
        for (int k = 0; k < 3; k++) {
            p[2 * k] = (ox + vx * t + uni(&rng, -0.12, 0.12)) * w;
            p[2 * k + 1] = (oy + uni(&rng, -0.15, 0.15)) * h;
        }
        double width = opts->line_min + line_span * synth_rand_unit(&rng);
        draw_stroke(&cv, p, width, uni(&rng, 0.02, 0.2));
    }

    if (opts->text) {
        int rows = 2 + (int)(synth_rand_unit(&rng) * 3);
        double cell = opts->glyph_px / 7.0;
        for (int r = 0; r < rows; r++) {
            double x = uni(&rng, 0.05, 0.6) * w, y = uni(&rng, 0.05, 0.9) * h;
            int count = 8 + (int)(synth_rand_unit(&rng) * 20);
            double ink = synth_rand_unit(&rng) < 0.5 ? 0.05 : 0.95;
            draw_glyph_row(&cv, &rng, x, y, count, cell, ink);
        }
    }

    uint64_t grain_rng = seed ^ ((uint64_t)(t * 1000.0 + 0.5) * 0x9e3779b97f4a7c15ULL);
    for (int y = 0; y < h; y++) {
        float *row = dst + (ptrdiff_t)y * stride;
        for (int x = 0; x < w; x++) {
            double v = 0.5 + (row[x] - 0.5) * opts->contrast;
            v *= opts->brightness;
            if (opts->grain > 0)
                v += opts->grain * synth_rand_gauss(&grain_rng);
            row[x] = (float)clamp01(v);
        }
    }
}

void synth_screen(float *dst, int w, int h, ptrdiff_t stride, uint64_t seed)
{
    canvas cv = {dst, w, h, stride};
    uint64_t rng = seed * 0x2545f4914f6cdd1dULL + 7;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            dst[(ptrdiff_t)y * stride + x] = 0.96f;
    /* UI panels with 1-px borders, pixel aligned like a desktop */
    int panels = 6 + (int)(synth_rand_unit(&rng) * 6);
    for (int i = 0; i < panels; i++) {
        int px0 = (int)(uni(&rng, 0, 0.8) * w), py0 = (int)(uni(&rng, 0, 0.8) * h);
        int pw = (int)(uni(&rng, 0.1, 0.4) * w), ph = (int)(uni(&rng, 0.05, 0.3) * h);
        double fill = uni(&rng, 0.6, 1.0);
        draw_rect(&cv, px0, py0, px0 + pw, py0 + ph, fill);
        draw_rect(&cv, px0, py0, px0 + pw, py0 + 1, 0.3);
        draw_rect(&cv, px0, py0 + ph - 1, px0 + pw, py0 + ph, 0.3);
        draw_rect(&cv, px0, py0, px0 + 1, py0 + ph, 0.3);
        draw_rect(&cv, px0 + pw - 1, py0, px0 + pw, py0 + ph, 0.3);
    }
    /* text: whole-pixel glyph cells (hinted UI text) */
    int rows = h / 16;
    for (int r = 0; r < rows; r++) {
        if (synth_rand_unit(&rng) < 0.35)
            continue;
        int x = (int)(uni(&rng, 0.02, 0.3) * w);
        int count = 10 + (int)(synth_rand_unit(&rng) * 60);
        draw_glyph_row(&cv, &rng, x, r * 16 + 4, count, 1.0, 0.1);
    }
}

void synth_noise(float *dst, int w, int h, ptrdiff_t stride, uint64_t seed)
{
    uint64_t rng = seed ^ 0x5bd1e995ULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            dst[(ptrdiff_t)y * stride + x] = (float)synth_rand_unit(&rng);
}

void synth_downscale_box(const float *src, int w, int h, ptrdiff_t src_stride,
                         int f, float *dst, ptrdiff_t dst_stride)
{
    int ow = w / f, oh = h / f;
    double norm = 1.0 / ((double)f * f);
    for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
            double acc = 0;
            for (int j = 0; j < f; j++)
                for (int i = 0; i < f; i++)
                    acc += src[(ptrdiff_t)(y * f + j) * src_stride + x * f + i];
            dst[(ptrdiff_t)y * dst_stride + x] = (float)(acc * norm);
        }
    }
}

void synth_quantize8(float *p, int w, int h, ptrdiff_t stride)
{
    for (int y = 0; y < h; y++) {
        float *row = p + (ptrdiff_t)y * stride;
        for (int x = 0; x < w; x++) {
            double v = floor(clamp01(row[x]) * 255.0 + 0.5);
            row[x] = (float)(v / 255.0);
        }
    }
}
