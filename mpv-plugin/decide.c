/* The hysteresis rule; see decide.h. */
#include <string.h>

#include "decide.h"

void np_decider_init(np_decider *d, int switch_frames, int off_frames, double min_confidence)
{
    memset(d, 0, sizeof(*d));
    d->switch_frames = switch_frames;
    d->off_frames = off_frames;
    d->min_confidence = min_confidence;
    np_decider_reset(d);
}

void np_decider_reset(np_decider *d)
{
    d->decided = false;
    d->streak = 0;
    np_choice_plain(&d->current, NR_VERDICT_UNSURE, 0, 0, 0);
    d->candidate = d->current;
}

void np_decider_force(np_decider *d, const np_choice *c)
{
    d->current = *c;
    d->decided = true;
    d->streak = 0;
}

bool np_decider_feed(np_decider *d, const np_choice *in)
{
    np_choice e = *in;
    if (e.verdict != NR_VERDICT_UNSURE && e.confidence < d->min_confidence)
        np_choice_plain(&e, NR_VERDICT_UNSURE, e.scale.full_w, e.scale.full_h, e.confidence);

    /* Once decided, "unsure" only matters against a running descale (native
     * and unsure both run nothing); a confirmation clears any challenger. */
    bool harmless_unsure = d->decided && e.verdict == NR_VERDICT_UNSURE &&
                           d->current.verdict != NR_VERDICT_UPSCALED;
    if (harmless_unsure || (d->decided && np_choice_same(&e, &d->current))) {
        d->streak = 0;
        return false;
    }
    if (d->streak > 0 && np_choice_same(&e, &d->candidate)) {
        d->streak++;
        if (e.confidence > d->candidate.confidence)
            d->candidate = e;   /* keep the clearest frame's parameters */
    } else {
        d->candidate = e;
        d->streak = 1;
    }
    int need = e.verdict == NR_VERDICT_UNSURE ? d->off_frames : d->switch_frames;
    /* Only the kernel differs from a running descale: neighbouring kernels
     * (lanczos3/spline36, catrom/bilinear) can trade places on a few noisy
     * or compressed frames, and a right-size descale with a near kernel is
     * far better than a flicker between two, so ask for twice the evidence. */
    if (d->decided && e.verdict == NR_VERDICT_UPSCALED &&
        d->current.verdict == NR_VERDICT_UPSCALED &&
        e.scale.native_w == d->current.scale.native_w &&
        e.scale.native_h == d->current.scale.native_h &&
        e.scale.win_height == d->current.scale.win_height)
        need *= 2;
    if (d->streak < need)
        return false;
    d->current = d->candidate;
    d->decided = true;
    d->streak = 0;
    return true;
}

bool np_decider_scene(np_decider *d, const np_choice *in, int frames)
{
    np_choice e = *in;
    /* native runs nothing whatever its confidence: only a descale needs it */
    if (e.verdict == NR_VERDICT_UPSCALED && e.confidence < d->min_confidence)
        np_choice_plain(&e, NR_VERDICT_UNSURE, e.scale.full_w, e.scale.full_h, e.confidence);
    if (d->decided && np_choice_same(&e, &d->current))
        return false;
    if (e.verdict == NR_VERDICT_UNSURE) {
        /* unsure only matters against a running descale, or as the first
         * word on a file that never gets clearer */
        bool stop = d->current.verdict == NR_VERDICT_UPSCALED || !d->decided;
        /* as a first word, give the pool twice that long: it needs a few
         * measured frames before it may say native */
        int need = d->decided ? d->off_frames : 2 * d->off_frames;
        if (!stop || frames < need)
            return false;
    } else if (d->decided && e.verdict == NR_VERDICT_UPSCALED &&
               d->current.verdict == NR_VERDICT_UPSCALED &&
               e.scale.native_w == d->current.scale.native_w &&
               e.scale.native_h == d->current.scale.native_h &&
               e.scale.win_height == d->current.scale.win_height && frames < 2) {
        return false;   /* neighbouring kernels trade places on a frame or two */
    }
    d->current = e;
    d->decided = true;
    d->streak = 0;
    return true;
}

bool np_decider_settle(np_decider *d)
{
    if (d->decided || d->streak == 0)
        return false;
    d->current = d->candidate;
    d->decided = true;
    d->streak = 0;
    return true;
}
