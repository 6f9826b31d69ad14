/*
 * Choosing what to fit: bands along the axis and, inside each, the lines
 * with the most detail along the axis (flat lines fit every candidate and
 * tell nothing). Detail is the capped sum of |second difference| along the
 * line: capping keeps a few razor-sharp native glyphs from outranking the
 * softer lineart of the upscaled picture around them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "est_internal.h"

#define DETAIL_CAP 0.08f

typedef struct ranked {
    float score;
    int index;
} ranked;

static int by_score_desc(const void *a, const void *b)
{
    float x = ((const ranked *)a)->score, y = ((const ranked *)b)->score;
    if (x != y)
        return x < y ? 1 : -1;
    return ((const ranked *)a)->index - ((const ranked *)b)->index;
}

/* sample r along the axis, lane c across it */
static inline float at(const float *p, ptrdiff_t stride, int vertical, int r, int c)
{
    return vertical ? p[(ptrdiff_t)r * stride + c] : p[(ptrdiff_t)c * stride + r];
}

/* detail[c] for every lane of the band [start, start + len) */
static void band_detail(const float *p, ptrdiff_t stride, int vertical, int cross,
                        int start, int len, float *detail)
{
    memset(detail, 0, sizeof(float) * (size_t)cross);
    if (vertical) {
        for (int r = start; r < start + len; r++) {
            const float *u = p + (ptrdiff_t)(r - 1) * stride;
            const float *m = u + stride, *d = m + stride;
            for (int c = 0; c < cross; c++) {
                float v = fabsf(u[c] - 2 * m[c] + d[c]);
                detail[c] += v < DETAIL_CAP ? v : DETAIL_CAP;
            }
        }
    } else {
        for (int c = 0; c < cross; c++) {
            const float *row = p + (ptrdiff_t)c * stride;
            float acc = 0;
            for (int r = start; r < start + len; r++) {
                float v = fabsf(row[r - 1] - 2 * row[r] + row[r + 1]);
                acc += v < DETAIL_CAP ? v : DETAIL_CAP;
            }
            detail[c] = acc;
        }
    }
}

void est_lines_free(est_lines *l)
{
    for (int b = 0; b < l->num_bands; b++) {
        free(l->bands[b].data);
        free(l->bands[b].lane_pos);
    }
    free(l->bands);
    memset(l, 0, sizeof(*l));
}

void est_detail_free(est_detail *d)
{
    free(d->detail);
    memset(d, 0, sizeof(*d));
}

int est_lines_pick(est_lines *out, const float *p, ptrdiff_t stride, int w, int h,
                   int vertical, int max_bands, int lanes_per_band, int band_len,
                   const int *roi, est_detail *cache)
{
    memset(out, 0, sizeof(*out));
    const int full = vertical ? h : w, cross = vertical ? w : h;
    out->full = full;
    /* the lines come from the region only; the axis (and so the model's
     * grid) stays the whole plane's */
    const int a_lo = roi ? (vertical ? roi[1] : roi[0]) : 0;
    const int a_len = roi ? (vertical ? roi[3] : roi[2]) : full;
    const int c_lo = roi ? (vertical ? roi[0] : roi[1]) : 0;
    const int c_len = roi ? (vertical ? roi[2] : roi[3]) : cross;
    int len = band_len < a_len - 2 * EST_MARGIN ? band_len : a_len - 2 * EST_MARGIN;
    int lanes = lanes_per_band < c_len ? lanes_per_band : c_len;
    lanes -= lanes % EST_LANES;
    if (len < 24 || lanes < EST_LANES || max_bands < 1)
        return 0;

    /* candidate bands every half band */
    int step = len / 2 > 1 ? len / 2 : 1;
    int num_cand = (a_len - 2 * EST_MARGIN - len) / step + 1;
    const int first_start = a_lo + EST_MARGIN;
    int last_start = a_lo + a_len - EST_MARGIN - len;
    if (first_start + (num_cand - 1) * step < last_start)
        num_cand++;
    /* the detail map depends only on the band geometry: the coarse and the
     * fine pick of an axis share it through `cache` */
    bool reuse = cache && cache->detail && cache->len == len && cache->full == full &&
                 cache->cross == cross && cache->vertical == vertical &&
                 cache->first == first_start;
    float *detail = reuse ? cache->detail : malloc(sizeof(float) * (size_t)num_cand * cross);
    ranked *bands = malloc(sizeof(ranked) * (size_t)num_cand);
    ranked *cols = malloc(sizeof(ranked) * (size_t)cross);
    unsigned char *taken = malloc((size_t)cross);
    out->bands = calloc((size_t)max_bands, sizeof(est_band));
    if (!detail || !bands || !cols || !taken || !out->bands)
        goto fail;

    /* Bands overlap by half: measure each half-band segment once and add
     * pairs (a clamped last band, or an odd length, is measured whole). */
    const int halves = len == 2 * step;
    float *seg = halves && !reuse ? malloc(sizeof(float) * (size_t)(num_cand + 1) * cross) : NULL;
    if (halves && !reuse && !seg)
        goto fail;
    for (int b = 0; b < num_cand; b++) {
        int start = first_start + b * step;
        if (start > last_start)
            start = last_start;
        float *d = detail + (size_t)b * cross;
        if (reuse) {
        } else if (halves && start == first_start + b * step) {
            float *s0 = seg + (size_t)b * cross, *s1 = s0 + cross;
            if (b == 0)
                band_detail(p, stride, vertical, cross, start, step, s0);
            band_detail(p, stride, vertical, cross, start + step, step, s1);
            for (int c = 0; c < cross; c++)
                d[c] = s0[c] + s1[c];
        } else {
            band_detail(p, stride, vertical, cross, start, len, d);
        }
        double score = 0;   /* total detail: cheap, and ranks bands well */
        for (int c = c_lo; c < c_lo + c_len; c++)
            score += d[c];
        bands[b] = (ranked){(float)score, b};
    }
    free(seg);
    qsort(bands, (size_t)num_cand, sizeof(ranked), by_score_desc);

    const int spacing = cross >= 6 * lanes ? 3 : 1;
    for (int k = 0; k < num_cand && out->num_bands < max_bands; k++) {
        int bi = bands[k].index;
        int start = first_start + bi * step;
        if (start > last_start)
            start = last_start;
        int overlaps = 0;
        for (int j = 0; j < out->num_bands; j++)
            if (abs(out->bands[j].start - start) < len)
                overlaps = 1;
        if (overlaps)
            continue;
        const float *d = detail + (size_t)bi * cross;
        for (int c = 0; c < c_len; c++)
            cols[c] = (ranked){d[c_lo + c], c_lo + c};
        qsort(cols, (size_t)c_len, sizeof(ranked), by_score_desc);
        memset(taken, 0, (size_t)cross);
        est_band *band = &out->bands[out->num_bands];
        band->start = start;
        band->len = len;
        band->lanes = lanes;
        band->lane_pos = malloc(sizeof(int) * (size_t)lanes);
        band->data = aligned_alloc(64, sizeof(float) * (size_t)lanes * len);
        if (!band->lane_pos || !band->data) {
            free(band->lane_pos);
            free(band->data);
            goto fail;
        }
        out->num_bands++;
        int got = 0;
        for (int pass = 0; pass < 2 && got < lanes; pass++) {
            int sp = pass == 0 ? spacing : 1;
            for (int c = 0; c < c_len && got < lanes; c++) {
                int pos = cols[c].index, ok = !taken[pos];
                for (int q = pos - sp + 1; ok && q < pos + sp; q++)
                    if (q >= 0 && q < cross && taken[q])
                        ok = 0;
                if (ok) {
                    taken[pos] = 1;
                    band->lane_pos[got++] = pos;
                }
            }
        }
        for (int l = 0; l < lanes; l++) {
            float *chunk = band->data + (size_t)(l / EST_LANES) * len * EST_LANES;
            int pos = band->lane_pos[l];
            for (int r = 0; r < len; r++)
                chunk[(size_t)r * EST_LANES + l % EST_LANES] =
                    at(p, stride, vertical, start + r, pos);
        }
        out->num_blocks += lanes;
    }
    if (cache && !reuse) {
        est_detail_free(cache);
        *cache = (est_detail){detail, len, full, cross, vertical, first_start};
    } else if (!cache) {
        free(detail);
    }
    free(bands);
    free(cols);
    free(taken);
    return 0;

fail:
    if (!reuse)
        free(detail);
    free(bands);
    free(cols);
    free(taken);
    est_lines_free(out);
    return -1;
}
