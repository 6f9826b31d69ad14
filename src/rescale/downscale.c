/*
 * The fast preset's conventional downscale of the source, used where the
 * mask says the frame is not an upscale: a triangle filter as wide as the
 * scale ratio (an area-like average, no ringing), on the descale's native
 * grid and window. The shader computes it only where the mask is set.
 */
#include "rescale_internal.h"

#include <math.h>

/* Taps i0 = floor(f - r) .. i0 + ceil(2r) cover every source pixel whose
 * centre is within r of f: the weight is 0 outside. */
int nr_triangle_taps(int full, double win_size)
{
    return (int)ceil(2.0 * full / win_size) + 1;
}

/* weights of one axis: taps i0 .. i0 + n - 1 */
static int triangle_weights(int X, int full, double start, double size, double *w, int *i0)
{
    double r = (double)full / size;
    double f = (X + 0.5 - start) * r;
    int n = nr_triangle_taps(full, size);
    *i0 = (int)floor(f - r);
    double sum = 0;
    for (int t = 0; t < n; t++) {
        double d = fabs(*i0 + t + 0.5 - f) / r;
        w[t] = d < 1 ? 1 - d : 0;
        sum += w[t];
    }
    for (int t = 0; t < n; t++)
        w[t] /= sum;
    return n;
}

float nr_source_triangle(const nr_scale *s, const float *src, ptrdiff_t stride, int X, int Y)
{
    double hs, hz, vs, vz, wx[160], wy[160];
    nr_rescale_window(s, true, &hs, &hz);
    nr_rescale_window(s, false, &vs, &vz);
    int ix, iy;
    int nx = triangle_weights(X, s->full_w, hs, hz, wx, &ix);
    int ny = triangle_weights(Y, s->full_h, vs, vz, wy, &iy);
    double sum = 0;
    for (int ty = 0; ty < ny; ty++) {
        if (wy[ty] == 0)
            continue;
        int y = iy + ty < 0 ? 0 : iy + ty > s->full_h - 1 ? s->full_h - 1 : iy + ty;
        double r = 0;
        for (int tx = 0; tx < nx; tx++) {
            int x = ix + tx < 0 ? 0 : ix + tx > s->full_w - 1 ? s->full_w - 1 : ix + tx;
            r += wx[tx] * src[(ptrdiff_t)y * stride + x];
        }
        sum += wy[ty] * r;
    }
    return (float)sum;
}
