#include "window.h"

#include <math.h>

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

double nr_window_sum(const float *src, ptrdiff_t stride, int w, int h,
                     int x0, const double *wx, int nx, int y0, const double *wy, int ny)
{
    double sum = 0;
    for (int j = 0; j < ny; j++) {
        const float *row = src + (ptrdiff_t)clampi(y0 + j, 0, h - 1) * stride;
        double r = 0;
        for (int i = 0; i < nx; i++)
            r += wx[i] * row[clampi(x0 + i, 0, w - 1)];
        sum += wy[j] * r;
    }
    return sum;
}

double nr_catrom_kernel(double d)
{
    d = fabs(d);
    if (d < 1)
        return 1.5 * d * d * d - 2.5 * d * d + 1;
    if (d < 2)
        return -0.5 * d * d * d + 2.5 * d * d - 4 * d + 2;
    return 0;
}
