/*
 * The balanced upscaler: a separable kernel with an anti-ringing clamp, and
 * the Catmull-Rom resample of the source that masked areas use. Both are
 * computed the same way in the shader (src/glsl/rescale.c), weights from
 * the kernel at run time, so the output size can be the screen's.
 */
#include "rescale_internal.h"
#include "window.h"

#include <math.h>
#include <stdlib.h>

void nr_rescale_window(const nr_scale *s, bool horizontal, double *start, double *size)
{
    if (horizontal) {
        *start = s->win_left;
        *size = s->win_width > 0 ? s->win_width : s->native_w;
    } else {
        *start = s->win_top;
        *size = s->win_height > 0 ? s->win_height : s->native_h;
    }
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* One output sample along an axis: in[] has n samples at `step` apart. */
static float upscale_sample(const nr_rescale_upscaler *u, int radius, double c,
                            const float *in, ptrdiff_t step, int n)
{
    double j0 = floor(c);
    double sum = 0, wsum = 0;
    for (int t = -radius + 1; t <= radius; t++) {
        double j = j0 + t;
        double w = nr_kernel_eval(&u->kernel, fabs(c - j) / u->kernel.blur);
        sum += w * in[clampi((int)j, 0, n - 1) * step];
        wsum += w;
    }
    double v = sum / wsum;
    /* anti-ringing: towards the range of the 2 input samples around c (as
     * libplacebo's; in the sigmoid light the wider 4-sample range let more
     * overshoot through on dark frames, measured) */
    double a0 = in[clampi((int)j0, 0, n - 1) * step], a1 = in[clampi((int)j0 + 1, 0, n - 1) * step];
    double lo = a0 < a1 ? a0 : a1, hi = a0 < a1 ? a1 : a0;
    double clamped = v < lo ? lo : v > hi ? hi : v;
    return (float)(v + u->antiring * (clamped - v));
}

/* mpv's sigmoid (video/out/gpu/video.c, libplacebo's pl_shader_sigmoidize):
 * y = c - log(1 / (x * scale + offset) - 1) / slope, offset and scale such
 * that 0 -> 0 and 1 -> 1, on linear light: both linearise first (in the
 * plane's gamma light balanced fell up to 2 dB under libplacebo's own
 * sigmoidal spline36 on a real frame, measured). */
static void sigmoid_consts(double *offset, double *scale)
{
    const double c = NR_RESCALE_SIGMOID_CENTER, k = NR_RESCALE_SIGMOID_SLOPE;
    *offset = 1.0 / (1.0 + exp(k * c));
    *scale = 1.0 / (1.0 + exp(k * (c - 1.0))) - *offset;
}

/* BT.1886 on a display of 1000:1 contrast, as libplacebo linearises SDR:
 * the black offset b keeps the slope of the inverse finite at black (the
 * plain 2.4 power's is infinite there), and values down to -b keep their
 * undershoot. Matched to libplacebo's render of a full-range frame: 65.3 dB
 * against 54.5 for the plain power. */
static void bt1886_consts(double *a, double *b)
{
    double lb = pow(NR_RESCALE_DISPLAY_BLACK, 1.0 / NR_RESCALE_SIGMOID_GAMMA);
    *a = pow(1.0 - lb, NR_RESCALE_SIGMOID_GAMMA);
    *b = lb / (1.0 - lb);
}

static double linearize(double x)
{
    double a, b;
    bt1886_consts(&a, &b);
    double v = x + b > 0 ? x + b : 0;
    double lin = a * pow(v, NR_RESCALE_SIGMOID_GAMMA);
    return lin > 1 ? 1 : lin;
}

static double delinearize(double lin)
{
    double a, b;
    bt1886_consts(&a, &b);
    lin = lin < 0 ? 0 : lin > 1 ? 1 : lin;
    return pow(lin / a, 1.0 / NR_RESCALE_SIGMOID_GAMMA) - b;
}

double nr_rescale_sigmoidize(double x)
{
    double offset, scale;
    sigmoid_consts(&offset, &scale);
    x = linearize(x);
    return NR_RESCALE_SIGMOID_CENTER -
           log(1.0 / (x * scale + offset) - 1.0) / NR_RESCALE_SIGMOID_SLOPE;
}

double nr_rescale_unsigmoidize(double y)
{
    double offset, scale;
    sigmoid_consts(&offset, &scale);
    double lin = (1.0 / (1.0 + exp(NR_RESCALE_SIGMOID_SLOPE * (NR_RESCALE_SIGMOID_CENTER - y))) -
                  offset) / scale;
    return delinearize(lin);   /* clipped to [0,1] light, as libplacebo */
}

int nr_rescale_upscale_plane(const nr_scale *s, const nr_rescale_upscaler *u,
                             const float *x, int nw, int nh,
                             float *dst, ptrdiff_t dst_stride, int out_w, int out_h)
{
    int radius = nr_kernel_support(&u->kernel);
    double hs, hz, vs, vz;
    nr_rescale_window(s, true, &hs, &hz);
    nr_rescale_window(s, false, &vs, &vz);
    float *tmp = malloc(sizeof(float) * (size_t)out_w * nh);
    float *xs = u->sigmoid ? malloc(sizeof(float) * (size_t)nw * nh) : NULL;
    if (!tmp || (u->sigmoid && !xs)) {
        free(tmp);
        free(xs);
        return -1;
    }
    if (xs) {
        for (size_t i = 0; i < (size_t)nw * nh; i++)
            xs[i] = (float)nr_rescale_sigmoidize(x[i]);
        x = xs;
    }
    for (int y = 0; y < nh; y++)
        for (int k = 0; k < out_w; k++) {
            double c = (k + 0.5) * hz / out_w + hs - 0.5;
            tmp[(size_t)y * out_w + k] = upscale_sample(u, radius, c, x + (size_t)y * nw, 1, nw);
        }
    for (int k = 0; k < out_h; k++) {
        double c = (k + 0.5) * vz / out_h + vs - 0.5;
        for (int xx = 0; xx < out_w; xx++) {
            float v = upscale_sample(u, radius, c, tmp + xx, out_w, nh);
            dst[(ptrdiff_t)k * dst_stride + xx] = xs ? (float)nr_rescale_unsigmoidize(v) : v;
        }
    }
    free(tmp);
    free(xs);
    return 0;
}

float nr_source_catrom(const float *src, ptrdiff_t stride, int sw, int sh,
                       int ox, int oy, int out_w, int out_h)
{
    double cx = (ox + 0.5) * sw / out_w - 0.5, cy = (oy + 0.5) * sh / out_h - 0.5;
    int x0 = (int)floor(cx), y0 = (int)floor(cy);
    double wx[4], wy[4], sx = 0, sy = 0;
    for (int t = 0; t < 4; t++) {
        wx[t] = nr_catrom_kernel(cx - (x0 - 1 + t));
        wy[t] = nr_catrom_kernel(cy - (y0 - 1 + t));
        sx += wx[t];
        sy += wy[t];
    }
    double sum = nr_window_sum(src, stride, sw, sh, x0 - 1, wx, 4, y0 - 1, wy, 4);
    return (float)(sum / (sx * sy));
}
