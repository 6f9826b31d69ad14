/* Area-coverage footprints: see area.h. */
#include "area.h"

#include <math.h>
#include <stdlib.h>

void nr_area_axis_free(nr_area_axis *ax)
{
    free(ax->first);
    free(ax->w);
    ax->first = NULL;
    ax->w = NULL;
}

int nr_area_axis_build(nr_area_axis *ax, int in_size, int out_size, double shift)
{
    *ax = (nr_area_axis){ .out_size = out_size, .in_size = in_size };
    if (in_size < 1 || out_size < 1 || !isfinite(shift))
        return -1;
    double width = (double)in_size / out_size;
    /* an interval of this width touches at most ceil(width) + 1 pixels */
    ax->taps = (int)ceil(width) + 1;
    ax->first = malloc(sizeof(int) * (size_t)out_size);
    ax->w = calloc((size_t)out_size * ax->taps, sizeof(float));
    if (!ax->first || !ax->w) {
        nr_area_axis_free(ax);
        return -1;
    }
    for (int j = 0; j < out_size; j++) {
        double centre = (j + 0.5 + shift) * width;
        double lo = centre - width / 2, hi = centre + width / 2;
        int k0 = (int)floor(lo);
        ax->first[j] = k0;
        float *row = ax->w + (size_t)j * ax->taps;
        for (int t = 0; t < ax->taps; t++) {
            double a = fmax(lo, k0 + t), b = fmin(hi, k0 + t + 1.0);
            row[t] = b > a ? (float)((b - a) / width) : 0.0f;
        }
    }
    return 0;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int nr_area_apply(const nr_area_axis *h, const nr_area_axis *v,
                  const float *src, ptrdiff_t src_stride,
                  float *dst, ptrdiff_t dst_stride)
{
    int in_w = h->in_size, in_h = v->in_size, out_w = h->out_size, out_h = v->out_size;
    double *tmp = malloc(sizeof(double) * (size_t)out_w * in_h);
    if (!tmp)
        return -1;
    for (int y = 0; y < in_h; y++) {
        const float *in = src + (ptrdiff_t)y * src_stride;
        for (int j = 0; j < out_w; j++) {
            const float *w = h->w + (size_t)j * h->taps;
            double s = 0;
            for (int t = 0; t < h->taps; t++)
                if (w[t] != 0.0f)
                    s += w[t] * (double)in[clampi(h->first[j] + t, 0, in_w - 1)];
            tmp[(size_t)y * out_w + j] = s;
        }
    }
    for (int i = 0; i < out_h; i++) {
        const float *w = v->w + (size_t)i * v->taps;
        float *out = dst + (ptrdiff_t)i * dst_stride;
        for (int j = 0; j < out_w; j++) {
            double s = 0;
            for (int t = 0; t < v->taps; t++)
                if (w[t] != 0.0f)
                    s += w[t] * tmp[(size_t)clampi(v->first[i] + t, 0, in_h - 1) * out_w + j];
            out[j] = (float)s;
        }
    }
    free(tmp);
    return 0;
}
