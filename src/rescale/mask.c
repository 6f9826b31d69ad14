/*
 * The error ("credit") mask: where the frame is not the studio's upscale of
 * its descale (credits, text, overlays drawn at the full size), the
 * re-upscale of the descale differs from the frame. See nativeres_rescale.h
 * for the steps; the geometry here is shared with the GLSL writer.
 */
#include "rescale_internal.h"

#include <math.h>
#include <stdlib.h>

/* Weight of a cell at distance d (cells) for a cell size of cs source
 * pixels: 1 up to `grow` source pixels, then a linear fall over `feather`. */
static float grow_weight(int d, double cs, double grow, double feather)
{
    double dist = d * cs;
    if (dist <= grow)
        return 1.0f;
    if (feather <= 0)
        return 0.0f;
    double w = 1.0 - (dist - grow) / feather;
    return (float)(w > 0 ? w : 0);
}

static int grow_radius(double cs, double grow, double feather, float *w)
{
    int r = (int)floor((grow + feather) / cs);
    if (r > NR_MASK_MAX_RADIUS)
        r = NR_MASK_MAX_RADIUS;
    for (int d = 0; d <= NR_MASK_MAX_RADIUS; d++)
        w[d] = d <= r ? grow_weight(d, cs, grow, feather) : 0.0f;
    while (r > 0 && w[r] == 0.0f)
        r--;
    return r;
}

void nr_mask_geometry_init(nr_mask_geometry *g, const nr_scale *s, const nr_rescale_mask_opts *m)
{
    *g = (nr_mask_geometry){ .sw = s->full_w, .sh = s->full_h,
                             .nw = s->native_w, .nh = s->native_h };
    g->cw = (g->nw + NR_MASK_CELL - 1) / NR_MASK_CELL;
    g->ch = (g->nh + NR_MASK_CELL - 1) / NR_MASK_CELL;
    double csx = NR_MASK_CELL * (double)g->sw / g->nw;
    double csy = NR_MASK_CELL * (double)g->sh / g->nh;
    g->span_x = (int)ceil(csx) + 1;
    g->span_y = (int)ceil(csy) + 1;
    g->rx = grow_radius(csx, m->grow, m->feather, g->wx);
    g->ry = grow_radius(csy, m->grow, m->feather, g->wy);
    g->t_hi = m->threshold;
    g->t_lo = m->threshold / 2;
    g->s_hi = NR_MASK_SEED * g->t_hi;
    g->s_lo = NR_MASK_SEED * g->t_lo;
    g->sx = g->rx + NR_MASK_SEED_MARGIN;
    g->sy = g->ry + NR_MASK_SEED_MARGIN;
    if (g->sx > NR_MASK_MAX_RADIUS)
        g->sx = NR_MASK_MAX_RADIUS;
    if (g->sy > NR_MASK_MAX_RADIUS)
        g->sy = NR_MASK_MAX_RADIUS;
}

int nr_mask_cell_of(int i, int full, int native, int cells)
{
    long long c = ((2LL * i + 1) * native) / (2LL * NR_MASK_CELL * full);
    return c < cells - 1 ? (int)c : cells - 1;
}

int nr_mask_cell_first(int X, int full, int native)
{
    /* smallest i with (2i + 1) * native >= 2 * CELL * X * full */
    long long num = 2LL * NR_MASK_CELL * X * full - native;
    if (num <= 0)
        return 0;
    return (int)((num + 2LL * native - 1) / (2LL * native));
}

float nr_mask_sample(const nr_mask_geometry *g, const float *cells, int ox, int oy,
                     int out_w, int out_h)
{
    float u = (float)(ox + 0.5f) * ((float)g->nw / (float)(NR_MASK_CELL * out_w)) - 0.5f;
    float v = (float)(oy + 0.5f) * ((float)g->nh / (float)(NR_MASK_CELL * out_h)) - 0.5f;
    float fx0 = floorf(u), fy0 = floorf(v);
    float fx = u - fx0, fy = v - fy0;
    int x0 = (int)fx0, y0 = (int)fy0;
    int xa = x0 < 0 ? 0 : x0 > g->cw - 1 ? g->cw - 1 : x0;
    int xb = x0 + 1 < 0 ? 0 : x0 + 1 > g->cw - 1 ? g->cw - 1 : x0 + 1;
    int ya = y0 < 0 ? 0 : y0 > g->ch - 1 ? g->ch - 1 : y0;
    int yb = y0 + 1 < 0 ? 0 : y0 + 1 > g->ch - 1 ? g->ch - 1 : y0 + 1;
    float top = cells[(size_t)ya * g->cw + xa] * (1 - fx) + cells[(size_t)ya * g->cw + xb] * fx;
    float bot = cells[(size_t)yb * g->cw + xa] * (1 - fx) + cells[(size_t)yb * g->cw + xb] * fx;
    return top * (1 - fy) + bot * fy;
}

/* cells from the per-pixel errors e (sw x sh): pool the soft mask and the
 * seed by max, grow each (H, then V), then the mask = min of the two */
static int build_cells(const nr_mask_geometry *g, const float *e, float *cells)
{
    size_t nc = (size_t)g->cw * g->ch;
    float *pool = calloc(2 * nc, sizeof(float));
    float *tmp = malloc(sizeof(float) * 2 * nc);
    if (!pool || !tmp) {
        free(pool);
        free(tmp);
        return -1;
    }
    float *seed = pool + nc, *tmp_seed = tmp + nc;
    for (int y = 0; y < g->sh; y++) {
        int cy = nr_mask_cell_of(y, g->sh, g->nh, g->ch);
        for (int x = 0; x < g->sw; x++) {
            size_t c = (size_t)cy * g->cw + nr_mask_cell_of(x, g->sw, g->nw, g->cw);
            double v = e[(size_t)y * g->sw + x];
            float m = nr_mask_soft(g, v), sd = nr_mask_seed(g, v);
            pool[c] = m > pool[c] ? m : pool[c];
            seed[c] = sd > seed[c] ? sd : seed[c];
        }
    }
    for (int y = 0; y < g->ch; y++)
        for (int x = 0; x < g->cw; x++) {
            float best = 0, best_seed = 0;
            int r = g->rx > g->sx ? g->rx : g->sx;
            for (int d = -r; d <= r; d++) {
                int xx = x + d < 0 ? 0 : x + d > g->cw - 1 ? g->cw - 1 : x + d;
                size_t c = (size_t)y * g->cw + xx;
                if (abs(d) <= g->rx && pool[c] * g->wx[abs(d)] > best)
                    best = pool[c] * g->wx[abs(d)];
                if (abs(d) <= g->sx && seed[c] > best_seed)
                    best_seed = seed[c];
            }
            tmp[(size_t)y * g->cw + x] = best;
            tmp_seed[(size_t)y * g->cw + x] = best_seed;
        }
    for (int y = 0; y < g->ch; y++)
        for (int x = 0; x < g->cw; x++) {
            float best = 0, best_seed = 0;
            int r = g->ry > g->sy ? g->ry : g->sy;
            for (int d = -r; d <= r; d++) {
                int yy = y + d < 0 ? 0 : y + d > g->ch - 1 ? g->ch - 1 : y + d;
                size_t c = (size_t)yy * g->cw + x;
                if (abs(d) <= g->ry && tmp[c] * g->wy[abs(d)] > best)
                    best = tmp[c] * g->wy[abs(d)];
                if (abs(d) <= g->sy && tmp_seed[c] > best_seed)
                    best_seed = tmp_seed[c];
            }
            cells[(size_t)y * g->cw + x] = best < best_seed ? best : best_seed;
        }
    free(pool);
    free(tmp);
    return 0;
}

/* Descale, re-upscale, per-pixel soft mask, cells. *x_out (if not NULL)
 * receives the descaled plane (nw x nh, malloc'd) for the chain. */
int nr_rescale_mask_cells(const nr_scale *s, const nr_rescale_mask_opts *mo,
                          const float *src, ptrdiff_t stride, nr_mask_geometry *g,
                          float **cells_out, float **x_out)
{
    nr_mask_geometry_init(g, s, mo);
    size_t nn = (size_t)g->nw * g->nh, ns = (size_t)g->sw * g->sh;
    float *x = malloc(sizeof(float) * nn);
    float *r = malloc(sizeof(float) * ns);
    float *cells = malloc(sizeof(float) * (size_t)g->cw * g->ch);
    int ret = -1;
    if (!x || !r || !cells)
        goto out;
    if (nr_descale(s, src, stride, x, g->nw) < 0 || nr_upscale(s, x, g->nw, r, g->sw) < 0)
        goto out;
    for (int y = 0; y < g->sh; y++)
        for (int i = 0; i < g->sw; i++) {
            size_t k = (size_t)y * g->sw + i;
            /* the studio stored its upscale clipped to [0,1]: so is the model */
            double up = r[k] < 0 ? 0 : r[k] > 1 ? 1 : r[k];
            r[k] = (float)fabs((double)src[(ptrdiff_t)y * stride + i] - up);
        }
    if (build_cells(g, r, cells) < 0)
        goto out;
    *cells_out = cells;
    cells = NULL;
    if (x_out) {
        *x_out = x;
        x = NULL;
    }
    ret = 0;
out:
    free(x);
    free(r);
    free(cells);
    return ret;
}

int nr_rescale_mask(const nr_scale *s, const nr_rescale_mask_opts *mask,
                    const float *src, ptrdiff_t src_stride,
                    float **cells, int *cells_w, int *cells_h, double *fraction)
{
    nr_rescale_opts o;
    nr_rescale_opts_default(&o);
    if (mask)
        o.mask = *mask;
    char err[8];
    if (!s || !src || nr_scale_validate(s, err, sizeof(err)) < 0 ||
        nr_rescale_opts_validate(&o, err, sizeof(err)) < 0)
        return -1;
    nr_mask_geometry g;
    float *c = NULL;
    if (nr_rescale_mask_cells(s, &o.mask, src, src_stride, &g, &c, NULL) < 0)
        return -1;
    if (fraction) {
        size_t set = 0;
        for (int y = 0; y < g.sh; y++)
            for (int x = 0; x < g.sw; x++)
                set += nr_mask_sample(&g, c, x, y, g.sw, g.sh) >= 0.5f;
        *fraction = (double)set / ((double)g.sw * g.sh);
    }
    if (cells_w)
        *cells_w = g.cw;
    if (cells_h)
        *cells_h = g.ch;
    if (cells)
        *cells = c;
    else
        free(c);
    return 0;
}
