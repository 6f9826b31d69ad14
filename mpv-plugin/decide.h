/*
 * Hysteresis between per-frame evidence and what runs: a change needs
 * several agreeing grabs in a row (one odd frame never flips the state),
 * switching off on "unsure" needs more of them (dark or flat stretches do
 * not drop a correct descale), a kernel-only change of a running descale
 * needs twice as many, and a lone frame may decide only when no
 * other frame can come (paused, still image) and nothing is decided yet.
 */
#ifndef NP_DECIDE_H
#define NP_DECIDE_H

#include "choice.h"

typedef struct np_decider {
    int switch_frames, off_frames;
    double min_confidence;
    bool decided;            /* a decision was made for this file */
    np_choice current;       /* what runs (verdict unsure: nothing) */
    np_choice candidate;     /* the challenger and how often it came in a row */
    int streak;
} np_decider;

void np_decider_init(np_decider *d, int switch_frames, int off_frames, double min_confidence);
/* New file or size: nothing runs, nothing decided. */
void np_decider_reset(np_decider *d);
/* Cache hit, known show, manual choice: takes effect now. */
void np_decider_force(np_decider *d, const np_choice *c);
/* One grab's evidence. Returns true when `current` changed. */
bool np_decider_feed(np_decider *d, const np_choice *e);
/* The pooled evidence of the current scene (nr_pool_result as a choice)
 * after `frames` measured frames: a decisive answer takes effect at once (the
 * pool already asks for enough frames and for a majority of them; native
 * counts at any confidence, a descale needs min_confidence; only a
 * kernel-only change of a running descale waits for a second frame), an
 * "unsure" scene switches a running descale off after off_frames frames.
 * True when `current` changed. */
bool np_decider_scene(np_decider *d, const np_choice *pooled, int frames);
/* No other frame will come for now (paused, still image, end of file):
 * if nothing is decided yet, the pending evidence decides. True when
 * `current` changed. */
bool np_decider_settle(np_decider *d);

#endif
