/*
 * Scene cuts for pooling: a cut is a change of shot, not of brightness
 * (fades), position (pans) or a moving part of the picture. A signature is
 * a block-mean thumbnail normalised to zero mean and unit variance (so a
 * fade, which scales and offsets the picture, leaves it unchanged); two
 * signatures are compared by their best correlation over shifts of up to
 * SHIFT thumbnail cells (a pan moves the picture; the overlap shrinks but
 * stays correlated), and motion of a part of the picture lowers the
 * correlation only by that part's share.
 */
#include <math.h>
#include <string.h>

#include "nativeres_estimate.h"

#define SW NR_SCENE_SIG_W
#define SH NR_SCENE_SIG_H
#define SHIFT 3
/* a thumbnail whose spread is below this (luma units) is flat (black) */
#define FLAT_STD 0.01

void nr_scene_signature(const float *luma, ptrdiff_t stride, int w, int h,
                        float sig[NR_SCENE_SIG_SIZE])
{
    double acc[SW * SH];
    int cnt[SW * SH];
    memset(acc, 0, sizeof(acc));
    memset(cnt, 0, sizeof(cnt));
    /* every fourth line and sample: a cell is ~40x40 pixels at 1080p and
     * its mean needs no more (keeps the signature well under 1 ms) */
    for (int y = 0; y < h; y += 4) {
        const float *row = luma + (ptrdiff_t)y * stride;
        int cy = (int)((long)y * SH / h);
        for (int x = 0; x < w; x += 4) {
            int c = cy * SW + (int)((long)x * SW / w);
            acc[c] += row[x];
            cnt[c]++;
        }
    }
    double mean = 0, var = 0;
    int n = 0;
    for (int i = 0; i < SW * SH; i++)
        if (cnt[i]) {
            acc[i] /= cnt[i];
            mean += acc[i];
            n++;
        }
    mean = n ? mean / n : 0;
    for (int i = 0; i < SW * SH; i++)
        if (cnt[i])
            var += (acc[i] - mean) * (acc[i] - mean);
    double sd = n ? sqrt(var / n) : 0;
    bool flat = sd < FLAT_STD;
    for (int i = 0; i < SW * SH; i++)
        sig[i] = flat || !cnt[i] ? 0.0f : (float)((acc[i] - mean) / sd);
    sig[SW * SH] = flat ? 1.0f : 0.0f;   /* the flat flag */
}

double nr_scene_difference(const float *a, const float *b)
{
    bool fa = a[SW * SH] != 0, fb = b[SW * SH] != 0;
    if (fa || fb)
        return fa && fb ? 0 : 1;
    double best = -1;
    for (int dy = -SHIFT; dy <= SHIFT; dy++)
        for (int dx = -SHIFT; dx <= SHIFT; dx++) {
            double sab = 0, saa = 0, sbb = 0, sa = 0, sb = 0;
            int n = 0;
            for (int y = 0; y < SH; y++) {
                int y2 = y + dy;
                if (y2 < 0 || y2 >= SH)
                    continue;
                for (int x = 0; x < SW; x++) {
                    int x2 = x + dx;
                    if (x2 < 0 || x2 >= SW)
                        continue;
                    double u = a[y * SW + x], v = b[y2 * SW + x2];
                    sa += u;
                    sb += v;
                    sab += u * v;
                    saa += u * u;
                    sbb += v * v;
                    n++;
                }
            }
            /* correlation over the overlap (re-centred there) */
            double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
            double r = va > 0 && vb > 0 ? cov / sqrt(va * vb) : 0;
            if (r > best)
                best = r;
        }
    return 1 - best;
}
