/*
 * Chroma reconstruction guided by luma (see nativeres_chroma.h).
 *
 * 1. Luma is averaged over each chroma sample's footprint (area coverage,
 *    the same siting as the chroma): a "low-res luma" ylow that went through
 *    the same subsampling as chroma, so a locally linear relation C = a*Y + b
 *    holds between ylow and the chroma samples exactly where it holds at
 *    full resolution.
 * 2. At each chroma sample, weighted moments over the samples nearer than
 *    the radius (tent weights; radius 2: the 3x3 around it, [1 2 1] x
 *    [1 2 1]) give the least-squares slope cov / (var_y + eps), scaled by
 *    the squared correlation r2 mapped linearly from [corr_lo, corr_hi] to
 *    [0, 1]: the slope plane A (reads past the plane clamped).
 * 3. Per output pixel: the cubic (B = 0, C = NR_CHROMA_CUBIC_C)
 *    interpolation of chroma plus the luma detail that interpolation lost,
 *    times A interpolated bilinearly between the two nearest samples per axis,
 *        cubic(c) + bilinear(A) * (Y - cubic(ylow)),
 *    clamped to the range of the 4x4 chroma samples under the cubic, that
 *    range widened by |bilinear(A)| times how far Y lies outside the range
 *    of the same samples' ylow: past the samples only as far as luma itself
 *    goes past its footprint averages (a thin line, the true colour of which
 *    no area-averaged sample holds). Where chroma is exactly linear in luma
 *    this is the fit a*Y + b itself (interpolation is affine), and where
 *    luma says nothing it is the clamped cubic.
 * 4. Back-projection: at each sample, the residual of the coded chroma
 *    against the footprint average of step 3's (unclamped) prediction,
 *    with the slope taken as constant there: (c - DU c) - a (ylow - DU ylow),
 *    DU the footprint average of the cubic (five taps per axis); added
 *    bilinearly before the clamp, times the gain p->backproject.
 *    chroma-explore --synth 0 --real cycle (6 real frames): 56.17 -> 56.34 dB
 *    delivered, 54.31 -> 54.53 dB native; synthetic (--synth 2) +0.7 / +0.57.
 * 5. With p->studio (the studio's kernel), where the guide is smaller than
 *    the coded frame (a descaled native plane), "footprint" in 1. and 4.
 *    is the operator that made the coded samples: the 4:2:0 average of the
 *    guide upscaled by the studio (chroma_operator.h), so ylow is the luma
 *    that went through what chroma went through, and DU projects through
 *    it. chroma-explore --exact --synth 0 --real cycle (6 real frames):
 *    native 54.53 -> 54.97 dB (the operator in DU only: 54.72; DU's taps
 *    past two samples, ~1e-3, changed nothing: 9x9 54.71); synthetic
 *    (--synth 2) native 49.06 -> 49.87. The delivered size is unchanged.
 * Measured (chroma-explore --synth 1 --real cycle on the 6 bench frames)
 * against the previous form (a 4x4 tent fit per output pixel on spline36):
 * the slope fitted at the chroma grid and interpolated is as good or better
 * (+0.05 dB on real frames with spline36 under both), and the cubic with
 * C = 0.9 as the base equals spline36 (synthetic +3.33 / +3.08 dB over
 * spline36 both; real +0.72 / +0.65 against +0.73 / +0.63) where Catmull-Rom
 * lost 0.3 dB; C = 0.75 / 1.0 lose 0.03 dB. The shader then reads 4x4
 * samples where spline36 took 6x6, and fits once per 2x2 samples' worth of
 * output instead of per pixel. Clamping to the plain 4x4 range cost
 * 0.1 to 0.5 dB (no clamp: real +0.86 / +0.80 with spline36, but edges
 * overshoot); the widened range gives synthetic +3.88 / +3.61, real
 * +0.89 / +0.80 (nijigasaki native +0.52 where the plain clamp gave +0.26).
 */
#include "nativeres_chroma.h"

#include "area.h"
#include "chroma_operator.h"
#include "window.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

void nr_chroma_params_default(nr_chroma_params *p)
{
    *p = (nr_chroma_params){
        .siting = NR_CHROMA_LEFT,
        .subsample_x = 2.0,
        .radius = 2,
        .corr_lo = 0.0,
        .corr_hi = 1.0,
        .eps = 3e-3,
        .backproject = 1.0,
    };
}

void nr_chroma_grid_make(const nr_chroma_params *p, int gw, int gh, int cw, int ch,
                         nr_chroma_grid *g)
{
    g->scale_x = (double)gw / cw;
    g->scale_y = (double)gh / ch;
    /* LEFT: the sample sits on the even source column, half a source pixel
     * left of the centre of its two columns */
    g->shift_x = p->siting == NR_CHROMA_LEFT ? -0.5 / p->subsample_x : 0.0;
    g->shift_y = 0.0;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static bool params_ok(const nr_chroma_params *p)
{
    return p && p->radius >= 1 && p->radius <= 3 && isfinite(p->subsample_x) &&
           p->subsample_x >= 1 && isfinite(p->corr_lo) && isfinite(p->corr_hi) &&
           p->corr_lo >= 0 && p->corr_hi > p->corr_lo && p->corr_hi <= 1 &&
           isfinite(p->eps) && p->eps > 0 && isfinite(p->backproject) &&
           p->backproject >= 0 && p->backproject <= 2;
}

/* Catmull-Rom weights for fraction f of samples -1, 0, 1, 2 */
static void catrom(double f, double w[4])
{
    double f2 = f * f, f3 = f2 * f;
    w[0] = 0.5 * (-f3 + 2 * f2 - f);
    w[1] = 0.5 * (3 * f3 - 5 * f2 + 2);
    w[2] = 0.5 * (-3 * f3 + 4 * f2 + f);
    w[3] = 0.5 * (f3 - f2);
}

/* Position of guide pixel k in chroma index space (sample i sits at i). */
static double chroma_pos(int k, double scale, double shift)
{
    return (k + 0.5) / scale - 0.5 - shift;
}

/* Catmull-Rom at (tx, ty), clamped to the 2x2 nearest samples. */
static double interp_at(const float *c, ptrdiff_t cs, int cw, int ch, double tx, double ty)
{
    int ix = (int)floor(tx), iy = (int)floor(ty);
    double wx[4], wy[4];
    catrom(tx - ix, wx);
    catrom(ty - iy, wy);
    double s = 0, lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < 4; j++) {
        const float *row = c + (ptrdiff_t)clampi(iy - 1 + j, 0, ch - 1) * cs;
        double r = 0;
        for (int i = 0; i < 4; i++) {
            double v = row[clampi(ix - 1 + i, 0, cw - 1)];
            r += wx[i] * v;
            if ((i == 1 || i == 2) && (j == 1 || j == 2)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
        s += wy[j] * r;
    }
    return fmin(fmax(s, lo), hi);
}

int nr_chroma_interpolate(const nr_chroma_params *p, const float *c, ptrdiff_t c_stride,
                          int cw, int ch, int gw, int gh, float *out, ptrdiff_t out_stride)
{
    if (!params_ok(p) || !c || !out || cw < 1 || ch < 1 || gw < cw || gh < ch)
        return -1;
    nr_chroma_grid g;
    nr_chroma_grid_make(p, gw, gh, cw, ch, &g);
    for (int y = 0; y < gh; y++) {
        double ty = chroma_pos(y, g.scale_y, g.shift_y);
        for (int x = 0; x < gw; x++)
            out[(ptrdiff_t)y * out_stride + x] =
                (float)interp_at(c, c_stride, cw, ch, chroma_pos(x, g.scale_x, g.shift_x), ty);
    }
    return 0;
}

/* Weights of samples -1 .. 2 of the cubic B = 0, C = NR_CHROMA_CUBIC_C for
 * fraction f, normalised (the shader evaluates the same pieces). */
static void cubic_weights(double f, double w[4])
{
    const double c = NR_CHROMA_CUBIC_C;
    double s = 0;
    for (int k = 0; k < 4; k++) {
        double d = fabs(f - (k - 1));
        w[k] = d < 1 ? ((2 - c) * d - (3 - c)) * d * d + 1
                     : ((-c * d + 5 * c) * d - 8 * c) * d + 4 * c;
        s += w[k];
    }
    for (int k = 0; k < 4; k++)
        w[k] /= s;
}

/* the cubic at (tx, ty), edge samples repeated */
static double cubic_at(const float *c, ptrdiff_t cs, int cw, int ch, double tx, double ty)
{
    int ix = (int)floor(tx), iy = (int)floor(ty);
    double wx[4], wy[4];
    cubic_weights(tx - ix, wx);
    cubic_weights(ty - iy, wy);
    return nr_window_sum(c, cs, cw, ch, ix - 1, wx, 4, iy - 1, wy, 4);
}

/* bilinear at (tx, ty) of a w x h plane, edge samples repeated */
static double bilinear_at(const float *c, int w, int h, double tx, double ty)
{
    int ix = (int)floor(tx), iy = (int)floor(ty);
    double wx[2] = { 1 - (tx - ix), tx - ix }, wy[2] = { 1 - (ty - iy), ty - iy };
    return nr_window_sum(c, w, w, h, ix, wx, 2, iy, wy, 2);
}

/* The fit at each chroma sample, planes of cw x ch: fit[0], fit[1] the
 * slopes of cb, cr on ylow; fit[2], fit[3] their back-projection residuals
 * (below). The slope: weighted moments over the samples nearer than the
 * radius (tent weights, reads past the plane clamped), cov / (var + eps)
 * times the squared correlation mapped from [corr_lo, corr_hi] to [0, 1]. */
static void slope_planes(const nr_chroma_params *p, const float *ylow, const float *planes[2],
                         ptrdiff_t cs, int cw, int ch, float *fit[4])
{
    const int r = p->radius;
    for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++) {
            double s0 = 0, sy = 0, syy = 0, sc[2] = {0}, scc[2] = {0}, syc[2] = {0};
            for (int j = 1 - r; j < r; j++)
                for (int i = 1 - r; i < r; i++) {
                    double w = (1 - fabs((double)i) / r) * (1 - fabs((double)j) / r);
                    int sx = clampi(x + i, 0, cw - 1), sj = clampi(y + j, 0, ch - 1);
                    double yl = ylow[(size_t)sj * cw + sx];
                    s0 += w;
                    sy += w * yl;
                    syy += w * yl * yl;
                    for (int c = 0; c < 2; c++) {
                        double v = planes[c][(ptrdiff_t)sj * cs + sx];
                        sc[c] += w * v;
                        scc[c] += w * v * v;
                        syc[c] += w * yl * v;
                    }
                }
            double my = sy / s0, vy = fmax(syy / s0 - my * my, 0.0);
            for (int c = 0; c < 2; c++) {
                double mc = sc[c] / s0;
                double vc = fmax(scc[c] / s0 - mc * mc, 0.0);
                double cov = syc[c] / s0 - my * mc;
                double r2 = cov * cov / (vy * vc + 1e-12);
                double alpha = fmin(fmax((r2 - p->corr_lo) / (p->corr_hi - p->corr_lo), 0.0), 1.0);
                fit[c][(size_t)y * cw + x] = (float)(alpha * cov / (vy + p->eps));
            }
        }
}

/* DU along one axis: the footprint average (D, the subsampling; with the
 * studio operator, its rows) of the cubic interpolation (U) as five taps
 * over samples i-2 .. i+2. Each covered guide pixel k (unclamped, as the
 * footprint lies; the operator's rows are mirrored into the plane) sits
 * at chroma position t_k; the footprint's lie within (i - 1, i + 1), the
 * operator's a little wider (what falls past i +- 2 is left out). The
 * shader builds the same taps. */
#define DU_R 2
#define DU_TAPS (2 * DU_R + 1)
static void du_axis(const nr_area_axis *ax, double scale, double shift, int n, double (*taps)[DU_TAPS])
{
    for (int i = 0; i < n; i++) {
        for (int o = 0; o < DU_TAPS; o++)
            taps[i][o] = 0;
        for (int t = 0; t < ax->taps; t++) {
            double wt = ax->w[(size_t)i * ax->taps + t];
            if (wt == 0)
                continue;
            double tk = chroma_pos(ax->first[i] + t, scale, shift);
            int ik = (int)floor(tk);
            double w[4];
            cubic_weights(tk - ik, w);
            for (int q = 0; q < 4; q++) {
                int o = ik - 1 + q - i + DU_R;
                if (o >= 0 && o < DU_TAPS)
                    taps[i][o] += wt * w[q];
            }
        }
        /* the centre tap as 1 less the others (the shader stores four):
         * what the studio operator puts past two samples (~1e-3) then
         * counts as the sample's own value */
        taps[i][DU_R] = 1 - (taps[i][0] + taps[i][1] + taps[i][3] + taps[i][4]);
    }
}

/* Back-projection residuals: at sample i, what the prediction's footprint
 * average misses of the coded sample, with the slope taken as constant
 * over the footprint: (c - DU c) - a_i (ylow - DU ylow) at i, times the
 * gain. Added bilinearly, it makes the output's subsampling (nearly) give
 * back the coded chroma. */
static int residual_planes(const nr_chroma_params *p, const nr_chroma_grid *g, int gw, int gh,
                           const float *ylow, const float *planes[2], ptrdiff_t cs, int cw,
                           int ch, float *fit[4])
{
    nr_area_axis ah, av;
    double (*tx)[DU_TAPS] = malloc(sizeof(double) * DU_TAPS * (size_t)cw);
    double (*ty)[DU_TAPS] = malloc(sizeof(double) * DU_TAPS * (size_t)ch);
    if (!tx || !ty ||
        nr_chroma_operator_axis(&ah, p->studio, gw, 2 * cw, cw, g->shift_x) < 0) {
        free(tx);
        free(ty);
        return -1;
    }
    if (nr_chroma_operator_axis(&av, p->studio, gh, 2 * ch, ch, g->shift_y) < 0) {
        nr_area_axis_free(&ah);
        free(tx);
        free(ty);
        return -1;
    }
    du_axis(&ah, g->scale_x, g->shift_x, cw, tx);
    du_axis(&av, g->scale_y, g->shift_y, ch, ty);
    nr_area_axis_free(&ah);
    nr_area_axis_free(&av);
    for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++) {
            /* DU over a plus: the 3x3 around the sample, tx[i] ty[j], and the
             * four samples two away on the axes with their axis's whole
             * outer tap (the rest of the 5x5 weighs 1e-3 of it; dropping it
             * changed no figure at 0.01 dB); applied to the samples less
             * this one's, so the weights need not sum to 1 */
            int di[13], dj[13], nk = 0;
            double w[13];
            for (int j = -1; j <= 1; j++)
                for (int i = -1; i <= 1; i++) {
                    di[nk] = i;
                    dj[nk] = j;
                    w[nk++] = tx[x][i + DU_R] * ty[y][j + DU_R];
                }
            const int ai[4] = { -2, 2, 0, 0 }, aj[4] = { 0, 0, -2, 2 };
            for (int k = 0; k < 4; k++) {
                di[nk] = ai[k];
                dj[nk] = aj[k];
                w[nk++] = k < 2 ? tx[x][ai[k] + DU_R] : ty[y][aj[k] + DU_R];
            }
            size_t o0 = (size_t)y * cw + x;
            double dy = 0, dc[2] = {0};
            for (int k = 0; k < nk; k++) {
                int sx = clampi(x + di[k], 0, cw - 1), sy = clampi(y + dj[k], 0, ch - 1);
                dy += w[k] * (ylow[(size_t)sy * cw + sx] - ylow[o0]);
                for (int c = 0; c < 2; c++)
                    dc[c] += w[k] * (planes[c][(ptrdiff_t)sy * cs + sx] -
                                     planes[c][(ptrdiff_t)y * cs + x]);
            }
            for (int c = 0; c < 2; c++) {
                double a = fit[c][o0];
                fit[2 + c][o0] = (float)(p->backproject * (a * dy - dc[c]));
            }
        }
    free(tx);
    free(ty);
    return 0;
}

int nr_chroma_reconstruct(const nr_chroma_params *p,
                          const float *guide, ptrdiff_t guide_stride, int gw, int gh,
                          const float *cb, const float *cr, ptrdiff_t c_stride,
                          int cw, int ch,
                          float *out_cb, float *out_cr, ptrdiff_t out_stride)
{
    if (!params_ok(p) || !guide || !cb || !cr || !out_cb || !out_cr || cw < 2 || ch < 2 ||
        gw < cw || gh < ch)
        return -1;
    nr_chroma_grid g;
    nr_chroma_grid_make(p, gw, gh, cw, ch, &g);
    nr_area_axis ah, av;
    float *ylow = malloc(sizeof(float) * (size_t)cw * ch * 5);
    /* ylow: luma through the operator that made the chroma samples */
    if (!ylow || nr_chroma_operator_axis(&ah, p->studio, gw, 2 * cw, cw, g.shift_x) < 0) {
        free(ylow);
        return -1;
    }
    if (nr_chroma_operator_axis(&av, p->studio, gh, 2 * ch, ch, g.shift_y) < 0) {
        nr_area_axis_free(&ah);
        free(ylow);
        return -1;
    }
    int rc = nr_area_apply(&ah, &av, guide, guide_stride, ylow, cw);
    nr_area_axis_free(&ah);
    nr_area_axis_free(&av);
    if (rc < 0) {
        free(ylow);
        return -1;
    }
    const float *planes[2] = { cb, cr };
    float *outs[2] = { out_cb, out_cr };
    float *fit[4];   /* slope cb, slope cr, residual cb, residual cr */
    for (int k = 0; k < 4; k++)
        fit[k] = ylow + (size_t)cw * ch * (k + 1);
    slope_planes(p, ylow, planes, c_stride, cw, ch, fit);
    if (residual_planes(p, &g, gw, gh, ylow, planes, c_stride, cw, ch, fit) < 0) {
        free(ylow);
        return -1;
    }
    for (int y = 0; y < gh; y++) {
        double ty = chroma_pos(y, g.scale_y, g.shift_y);
        int iy = (int)floor(ty);
        for (int x = 0; x < gw; x++) {
            double tx = chroma_pos(x, g.scale_x, g.shift_x);
            int ix = (int)floor(tx);
            double yp = guide[(ptrdiff_t)y * guide_stride + x];
            double detail = yp - cubic_at(ylow, cw, cw, ch, tx, ty);
            /* how far this pixel's luma leaves the range of the 4x4 footprint
             * luma: the chroma range below widens by the slope times that */
            double ylo = INFINITY, yhi = -INFINITY;
            for (int j = -1; j <= 2; j++)
                for (int i = -1; i <= 2; i++) {
                    double u = ylow[(size_t)clampi(iy + j, 0, ch - 1) * cw + clampi(ix + i, 0, cw - 1)];
                    ylo = fmin(ylo, u);
                    yhi = fmax(yhi, u);
                }
            double y_out = fmax(0.0, fmax(yp - yhi, ylo - yp));
            for (int c = 0; c < 2; c++) {
                double a = bilinear_at(fit[c], cw, ch, tx, ty);
                double v = cubic_at(planes[c], c_stride, cw, ch, tx, ty) + a * detail +
                           bilinear_at(fit[2 + c], cw, ch, tx, ty);
                /* within the range of the 4x4 samples under the cubic */
                double lo = INFINITY, hi = -INFINITY;
                for (int j = -1; j <= 2; j++)
                    for (int i = -1; i <= 2; i++) {
                        double u = planes[c][(ptrdiff_t)clampi(iy + j, 0, ch - 1) * c_stride +
                                             clampi(ix + i, 0, cw - 1)];
                        lo = fmin(lo, u);
                        hi = fmax(hi, u);
                    }
                lo -= fabs(a) * y_out;
                hi += fabs(a) * y_out;
                outs[c][(ptrdiff_t)y * out_stride + x] = (float)fmin(fmax(v, lo), hi);
            }
        }
    }
    free(ylow);
    if (p->learned)
        return nr_chroma_learned_apply(p->learned, guide, guide_stride, gw, gh, out_cb, out_cr,
                                       out_stride);
    return 0;
}
