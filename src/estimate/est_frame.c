/* Whole-frame facts the estimator needs before fitting anything: where
 * the picture is (letterbox / pillarbox bars), how bright and contrasty it
 * is, how much of it has structure, and how much white noise (grain,
 * quantisation, compression) sits on top. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "est_internal.h"

/* A bar line is black on average and has nothing bright in it; compression
 * ringing next to the picture may wiggle it, so flatness is not required. */
#define BAR_MAX_MEAN 0.09
#define BAR_MAX_PEAK 0.2
#define BAR_MIN 4

static int line_is_bar(const float *p, ptrdiff_t step, int count)
{
    float hi = p[0];
    double sum = 0;
    for (int i = 0; i < count; i++) {
        float v = p[(ptrdiff_t)i * step];
        hi = v > hi ? v : hi;
        sum += v;
    }
    return hi < BAR_MAX_PEAK && sum / count < BAR_MAX_MEAN;
}

void est_find_bars(const float *p, ptrdiff_t stride, int w, int h,
                   int *x, int *y, int *cw, int *ch)
{
    int top = 0, bottom = 0, left = 0, right = 0;
    while (top < h && line_is_bar(p + (ptrdiff_t)top * stride, 1, w))
        top++;
    while (bottom < h - top && line_is_bar(p + (ptrdiff_t)(h - 1 - bottom) * stride, 1, w))
        bottom++;
    /* a mostly black frame is dark, not letterboxed */
    if (top < BAR_MIN)
        top = 0;
    if (bottom < BAR_MIN)
        bottom = 0;
    if (top + bottom > h / 2)
        top = bottom = 0;
    int rows = h - top - bottom;
    const float *base = p + (ptrdiff_t)top * stride;
    while (left < w && line_is_bar(base + left, stride, rows))
        left++;
    while (right < w - left && line_is_bar(base + (w - 1 - right), stride, rows))
        right++;
    if (left < BAR_MIN)
        left = 0;
    if (right < BAR_MIN)
        right = 0;
    if (left + right > w / 2)
        left = right = 0;
    *x = left;
    *y = top;
    *cw = w - left - right;
    *ch = h - top - bottom;
}

#define HIST_BINS 1024
#define NOISE_BINS 4096
#define NOISE_MAX 0.25
/* Detail: pixels whose gradient (over 2 samples) reaches DETAIL_STEP in
 * coded values, and stands DETAIL_NOISE noise sigmas clear of the noise.
 * A step of a few code values is lineart whatever the scene's brightness:
 * a dark scene's lines of 10-15 code values are as visible in the coded
 * picture as a bright one's of 100 (the estimator fits residuals relative
 * to each block's own level). It was 0.03 (7.7 code values) until dark
 * frames full of lineart came out "too little detail". */
#define DETAIL_STEP (4.0 / 255.0)
#define DETAIL_NOISE 6.0
/* histogram of the squared gradient up to GRAD_MAX² (a step above
 * GRAD_MAX, 16 code values: noise that strong, counts from GRAD_MAX) */
#define GRAD_BINS 1024
#define GRAD_MAX 0.0625

/* Histogram bin of x * bins, clamped before the conversion: samples outside
 * [0,1] (a PFM given to `nativeres detect` may hold any float) must not
 * overflow the int. */
static int clamped_bin(double x, int bins)
{
    double b = x * bins;
    return b >= bins ? bins - 1 : b > 0 ? (int)b : 0;
}

void est_frame_stats_compute(const float *p, ptrdiff_t stride, int w, int h,
                             est_frame_stats *st)
{
    memset(st, 0, sizeof(*st));
    static const double quant_floor = 1.0 / 255.0 / 3.4641016;  /* 8-bit rounding */
    unsigned *hist = calloc(HIST_BINS, sizeof(unsigned));
    unsigned *nhist = calloc(NOISE_BINS, sizeof(unsigned));
    unsigned *ghist = calloc(GRAD_BINS, sizeof(unsigned));
    if (!hist || !nhist || !ghist) {
        free(hist);
        free(nhist);
        free(ghist);
        st->noise_sigma = quant_floor;
        return;
    }
    double sum = 0;
    long count = 0, ncount = 0, detailed = 0;
    for (int yy = 0; yy < h; yy += 2) {
        const float *row = p + (ptrdiff_t)yy * stride;
        for (int xx = 0; xx < w; xx += 2) {
            float v = row[xx];
            hist[clamped_bin(v, HIST_BINS)]++;
            sum += v;
            count++;
            if (yy < 1 || yy >= h - 1 || xx < 1 || xx >= w - 1)
                continue;
            const float *u = row - stride, *d = row + stride;
            /* Immerkær's noise operator: blind to linear ramps */
            double lap = u[xx - 1] - 2 * u[xx] + u[xx + 1]
                         - 2 * (row[xx - 1] - 2 * row[xx] + row[xx + 1])
                         + d[xx - 1] - 2 * d[xx] + d[xx + 1];
            nhist[clamped_bin(fabs(lap) / NOISE_MAX, NOISE_BINS)]++;
            ncount++;
            double gx = row[xx + 1] - row[xx - 1], gy = d[xx] - u[xx];
            ghist[clamped_bin((gx * gx + gy * gy) / (GRAD_MAX * GRAD_MAX), GRAD_BINS)]++;
        }
    }
    st->mean = count ? sum / count : 0;
    long acc = 0;
    int lo = -1, hi = HIST_BINS - 1;
    for (int i = 0; i < HIST_BINS; i++) {
        acc += hist[i];
        if (lo < 0 && acc >= count / 100)
            lo = i;
        if (acc >= count - count / 100) {
            hi = i;
            break;
        }
    }
    st->p01 = (lo < 0 ? 0 : lo) / (double)HIST_BINS;
    st->p99 = (hi + 1) / (double)HIST_BINS;
    double sigma = 0;
    if (ncount) {
        long half = ncount / 2, a = 0;
        for (int i = 0; i < NOISE_BINS; i++) {
            a += nhist[i];
            if (a >= half) {
                sigma = (i + 0.5) / NOISE_BINS * NOISE_MAX / (0.6745 * 6.0);
                break;
            }
        }
    }
    st->noise_sigma = sigma > quant_floor ? sigma : quant_floor;
    double step = fmax(DETAIL_STEP, DETAIL_NOISE * st->noise_sigma);
    for (int i = clamped_bin(step * step / (GRAD_MAX * GRAD_MAX), GRAD_BINS); i < GRAD_BINS; i++)
        detailed += ghist[i];
    st->detail = ncount ? (double)detailed / ncount : 0;
    free(hist);
    free(nhist);
    free(ghist);
}
