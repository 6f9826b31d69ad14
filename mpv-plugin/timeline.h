/*
 * What was found per scene of a file, on the playback time axis: spans of
 * playback time (from the first to the last analysed frame of a scene) with
 * the scene's answer. Kept in memory while a file plays, stored in the
 * per-file cache, and followed on the next play: inside a span its answer
 * applies at once (also right after a seek; an "unsure" scene runs nothing
 * and is looked at again); between two spans whose
 * answers differ the cut lies somewhere in the gap, so nothing runs there
 * until a cut is seen (a descale never reaches into the other scene).
 */
#ifndef NP_TIMELINE_H
#define NP_TIMELINE_H

#include <stdbool.h>

#include "nativeres.h"
#include "nativeres_estimate.h"

#define NP_TIMELINE_MAX 128   /* spans per file: an episode has a handful of distinct stretches */

typedef struct np_span {
    double start, end;        /* playback seconds, first and last analysed frame */
    nr_verdict verdict;       /* unsure: nothing runs there, but detection goes on */
    double height, width;     /* native size when upscaled (fractional allowed) */
    nr_kernel kernel;         /* when upscaled */
    double confidence;
} np_span;

typedef struct np_timeline {
    np_span spans[NP_TIMELINE_MAX];   /* sorted by start, not overlapping */
    int count;
} np_timeline;

typedef enum np_where_kind {
    NP_WHERE_UNKNOWN,   /* before the first span, after the last, or no timeline */
    NP_WHERE_SPAN,      /* inside a span, or between two spans with the same answer */
    NP_WHERE_GAP,       /* between two spans with different answers: the cut is in here */
} np_where_kind;

typedef struct np_where {
    np_where_kind kind;
    int index;          /* SPAN: the span; GAP: the span after the gap; else -1 */
} np_where;

/* Same answer: same verdict and, when upscaled, the same kernel and a
 * native height within half a pixel. */
bool np_span_same_answer(const np_span *a, const np_span *b);

/* Where playback position pos falls. */
np_where np_timeline_where(const np_timeline *t, double pos);

/* Records an observation: the newer span wins over the parts of older
 * spans it overlaps (those are trimmed or split). Over NP_TIMELINE_MAX,
 * the two closest neighbours with the same answer merge, else the
 * shortest span goes. Returns true when an answer or a span was added,
 * removed or changed beyond extending the end of the same span. */
bool np_timeline_put(np_timeline *t, const np_span *s);

/* A cut was seen at pos in the gap before span `index`: that span's answer
 * starts there (a narrower gap for the next play). */
void np_timeline_cut_seen(np_timeline *t, int index, double pos);

/* Checks a timeline read from outside (cache file): sorted, finite,
 * sensible sizes and verdicts. */
bool np_timeline_valid(const np_timeline *t);

#endif
