/* Scene timelines of a file; see timeline.h. */
#include <math.h>
#include <string.h>

#include "timeline.h"

/* A grab's position and a later poll's position of the same frame differ
 * by a few milliseconds; positions this close count as inside a span. */
#define EDGE_EPS 0.05

static bool kernel_same(const nr_kernel *a, const nr_kernel *b)
{
    if (a->type != b->type)
        return false;
    if (a->type == NR_KERNEL_BICUBIC)
        return fabs(a->b - b->b) < 1e-6 && fabs(a->c - b->c) < 1e-6;
    if (a->type == NR_KERNEL_LANCZOS)
        return a->taps == b->taps;
    return true;
}

bool np_span_same_answer(const np_span *a, const np_span *b)
{
    if (a->verdict != b->verdict)
        return false;
    if (a->verdict != NR_VERDICT_UPSCALED)
        return true;
    return fabs(a->height - b->height) < 0.5 && kernel_same(&a->kernel, &b->kernel);
}

np_where np_timeline_where(const np_timeline *t, double pos)
{
    np_where w = {NP_WHERE_UNKNOWN, -1};
    if (!t || t->count <= 0 || !isfinite(pos))
        return w;
    /* the latest-starting span that holds pos: a newer span that split an
     * older one owns its edges */
    for (int i = 0; i < t->count; i++) {
        if (pos >= t->spans[i].start - EDGE_EPS && pos <= t->spans[i].end + EDGE_EPS) {
            w.kind = NP_WHERE_SPAN;
            w.index = i;
        }
    }
    if (w.kind == NP_WHERE_SPAN)
        return w;
    int next = 0;
    while (next < t->count && t->spans[next].start <= pos)
        next++;
    if (next == 0 || next == t->count)
        return w;
    w.index = next;
    w.kind = np_span_same_answer(&t->spans[next - 1], &t->spans[next]) ? NP_WHERE_SPAN
                                                                      : NP_WHERE_GAP;
    return w;
}

static void remove_at(np_span *a, int *n, int i)
{
    memmove(&a[i], &a[i + 1], sizeof(a[0]) * (*n - i - 1));
    (*n)--;
}

/* Keeps a bound: merge the closest same-answer neighbours, else drop the
 * shortest span. */
static void shrink(np_span *a, int *n, int bound)
{
    while (*n > bound) {
        int best = -1;
        double best_gap = INFINITY;
        for (int i = 0; i + 1 < *n; i++) {
            double gap = a[i + 1].start - a[i].end;
            if (np_span_same_answer(&a[i], &a[i + 1]) && gap < best_gap) {
                best = i;
                best_gap = gap;
            }
        }
        if (best >= 0) {
            a[best].end = fmax(a[best].end, a[best + 1].end);
            remove_at(a, n, best + 1);
            continue;
        }
        int shortest = 0;
        for (int i = 1; i < *n; i++) {
            if (a[i].end - a[i].start < a[shortest].end - a[shortest].start)
                shortest = i;
        }
        remove_at(a, n, shortest);
    }
}

bool np_timeline_put(np_timeline *t, const np_span *s)
{
    if (!isfinite(s->start) || !isfinite(s->end) || !(s->start <= s->end))
        return false;
    /* every old span, one split part, and the new span */
    np_span out[NP_TIMELINE_MAX + 2];
    int n = 0, overlapped = 0;
    bool extended = false;
    for (int i = 0; i < t->count; i++) {
        const np_span *e = &t->spans[i];
        if (e->end < s->start || e->start > s->end) {
            out[n++] = *e;
            continue;
        }
        overlapped++;
        if (np_span_same_answer(e, s) && fabs(e->start - s->start) < 1e-9 && e->end <= s->end)
            extended = true;   /* the same scene seen once more */
        if (e->start < s->start) {
            out[n] = *e;
            out[n++].end = s->start;
        }
        if (e->end > s->end) {
            out[n] = *e;
            out[n++].start = s->end;
        }
    }
    out[n++] = *s;
    /* insertion sort by start, then end (a new span of one instant at an
     * old span's start goes first: [0, 0] then [0, 2.75]); n is small */
    for (int i = 1; i < n; i++) {
        np_span v = out[i];
        int j = i - 1;
        while (j >= 0 && (out[j].start > v.start || (out[j].start == v.start && out[j].end > v.end))) {
            out[j + 1] = out[j];
            j--;
        }
        out[j + 1] = v;
    }
    shrink(out, &n, NP_TIMELINE_MAX);
    memcpy(t->spans, out, sizeof(np_span) * n);
    t->count = n;
    return !(overlapped == 1 && extended);
}

void np_timeline_cut_seen(np_timeline *t, int index, double pos)
{
    if (index <= 0 || index >= t->count || !isfinite(pos))
        return;
    if (pos > t->spans[index - 1].end && pos < t->spans[index].start)
        t->spans[index].start = pos;
}

bool np_timeline_valid(const np_timeline *t)
{
    if (t->count < 0 || t->count > NP_TIMELINE_MAX)
        return false;
    for (int i = 0; i < t->count; i++) {
        const np_span *s = &t->spans[i];
        if (!isfinite(s->start) || !isfinite(s->end) || s->start < 0 || s->end > 1e7 ||
            s->start > s->end || !isfinite(s->confidence) || s->confidence < 0 ||
            s->confidence > 1)
            return false;
        if (i > 0 && s->start < t->spans[i - 1].end)
            return false;
        if (s->verdict == NR_VERDICT_NATIVE || s->verdict == NR_VERDICT_UNSURE)
            continue;
        if (s->verdict != NR_VERDICT_UPSCALED)
            return false;
        if (!isfinite(s->height) || s->height < 1 || s->height > 1e5 ||
            !isfinite(s->width) || s->width < 0 || s->width > 1e5 ||
            !isfinite(s->kernel.b) || !isfinite(s->kernel.c) ||
            s->kernel.taps < 1 || s->kernel.taps > 16)
            return false;
    }
    return true;
}
