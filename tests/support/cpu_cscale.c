/* CPU cscale models: see cpu_cscale.h. */
#include "cpu_cscale.h"

#include "nativeres.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static double jinc(double x)
{
    if (fabs(x) < 1e-9)
        return 1.0;
    double px = M_PI * x;
    return 2.0 * j1(px) / px;
}

static bool ewa(const nr_chroma_grid *g, const float *c, int cw, int ch, float *out, int gw,
                int gh)
{
    const double radius = 3.2383154841662362, zero1 = 1.2196698912665045;
    int ir = (int)ceil(radius);
    for (int y = 0; y < gh; y++) {
        double ty = (y + 0.5) / g->scale_y - 0.5 - g->shift_y;
        for (int x = 0; x < gw; x++) {
            double tx = (x + 0.5) / g->scale_x - 0.5 - g->shift_x;
            int ix = (int)floor(tx), iy = (int)floor(ty);
            double s = 0, ws = 0;
            for (int j = iy - ir + 1; j <= iy + ir; j++)
                for (int i = ix - ir + 1; i <= ix + ir; i++) {
                    double d = hypot(tx - i, ty - j);
                    if (d >= radius)
                        continue;
                    double w = jinc(d) * jinc(d * zero1 / radius);
                    s += w * c[(size_t)clampi(j, 0, ch - 1) * cw + clampi(i, 0, cw - 1)];
                    ws += w;
                }
            out[(size_t)y * gw + x] = (float)(s / ws);
        }
    }
    return true;
}

static bool separable(const nr_kernel *k, const nr_chroma_grid *g, const float *c, int cw,
                      int ch, float *out, int gw, int gh)
{
    int support = (int)ceil(nr_kernel_radius(k));
    double *tmp = malloc(sizeof(double) * (size_t)gw * ch);
    if (!tmp)
        return false;
    for (int x = 0; x < gw; x++) {
        double tx = (x + 0.5) / g->scale_x - 0.5 - g->shift_x;
        int ix = (int)floor(tx);
        double w[16], ws = 0;
        for (int t = 0; t < 2 * support; t++)
            ws += w[t] = nr_kernel_eval(k, fabs(tx - (ix - support + 1 + t)));
        for (int y = 0; y < ch; y++) {
            double s = 0;
            for (int t = 0; t < 2 * support; t++)
                s += w[t] * c[(size_t)y * cw + clampi(ix - support + 1 + t, 0, cw - 1)];
            tmp[(size_t)y * gw + x] = s / ws;
        }
    }
    for (int y = 0; y < gh; y++) {
        double ty = (y + 0.5) / g->scale_y - 0.5 - g->shift_y;
        int iy = (int)floor(ty);
        double w[16], ws = 0;
        for (int t = 0; t < 2 * support; t++)
            ws += w[t] = nr_kernel_eval(k, fabs(ty - (iy - support + 1 + t)));
        for (int x = 0; x < gw; x++) {
            double s = 0;
            for (int t = 0; t < 2 * support; t++)
                s += w[t] * tmp[(size_t)clampi(iy - support + 1 + t, 0, ch - 1) * gw + x];
            out[(size_t)y * gw + x] = (float)(s / ws);
        }
    }
    free(tmp);
    return true;
}

bool cpu_cscale(const char *kernel, const nr_chroma_params *p, const float *c, int cw, int ch,
                float *out, int gw, int gh)
{
    nr_chroma_grid g;
    nr_chroma_grid_make(p, gw, gh, cw, ch, &g);
    if (!strcmp(kernel, "ewa_lanczos"))
        return ewa(&g, c, cw, ch, out, gw, gh);
    nr_kernel k;
    if (!nr_kernel_parse(kernel, &k))
        return false;
    return separable(&k, &g, c, cw, ch, out, gw, gh);
}
