/* DPID, CPU reference: see nativeres_dpid.h. */
#include "nativeres_dpid.h"

#include "area.h"

#include <math.h>
#include <stdlib.h>

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int nr_dpid(const float *src, ptrdiff_t src_stride, int sw, int sh,
            float *dst, ptrdiff_t dst_stride, int dw, int dh, double lambda)
{
    if (!src || !dst || sw < 1 || sh < 1 || dw < 1 || dh < 1 || dw > sw || dh > sh ||
        !(lambda >= 0 && lambda <= 16))
        return -1;
    nr_area_axis ah = {0}, av = {0};
    float *box = malloc(sizeof(float) * (size_t)dw * dh);
    int rc = -1;
    if (!box || nr_area_axis_build(&ah, sw, dw, 0) < 0 || nr_area_axis_build(&av, sh, dh, 0) < 0 ||
        nr_area_apply(&ah, &av, src, src_stride, box, dw) < 0)
        goto done;
    static const double k[3] = { 0.25, 0.5, 0.25 };
    for (int py = 0; py < dh; py++) {
        for (int px = 0; px < dw; px++) {
            /* guide: the box downscale smoothed by [1 2 1]^2 / 16 */
            double g = 0;
            for (int b = 0; b < 3; b++)
                for (int a = 0; a < 3; a++)
                    g += k[a] * k[b] *
                         box[(size_t)clampi(py + b - 1, 0, dh - 1) * dw + clampi(px + a - 1, 0, dw - 1)];
            const float *wx = ah.w + (size_t)px * ah.taps, *wy = av.w + (size_t)py * av.taps;
            double sum_w = 0, sum_wi = 0;
            for (int ty = 0; ty < av.taps; ty++) {
                if (wy[ty] == 0.0f)
                    continue;
                const float *row = src + (ptrdiff_t)clampi(av.first[py] + ty, 0, sh - 1) * src_stride;
                for (int tx = 0; tx < ah.taps; tx++) {
                    if (wx[tx] == 0.0f)
                        continue;
                    double v = row[clampi(ah.first[px] + tx, 0, sw - 1)];
                    double d = fabs(v - g);
                    double w = (double)wx[tx] * wy[ty] *
                               (lambda == 0 ? 1.0 : d > 0 ? pow(d, lambda) : 0.0);
                    sum_w += w;
                    sum_wi += w * v;
                }
            }
            dst[(ptrdiff_t)py * dst_stride + px] =
                (float)(sum_w > 0 ? sum_wi / sum_w : box[(size_t)py * dw + px]);
        }
    }
    rc = 0;
done:
    nr_area_axis_free(&ah);
    nr_area_axis_free(&av);
    free(box);
    return rc;
}
