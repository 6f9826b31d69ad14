/* Sampling schedule of the plugin: cheap by default, dense only where a
 * decision is being made (just after load/seek, around scene changes). */
#include <math.h>

#include "pace.h"

/* Two positions closer than this are the same frame (mpv reports the same
 * time-pos for a paused frame; 1 ms is far below any frame duration). */
#define SAME_FRAME_EPS 1e-3
/* A backwards jump larger than this without a seek event (looping, A-B
 * repeat) restarts the schedule at the new position. */
#define BACKWARDS_JUMP 0.5
/* Quick grabs on request per restart (np_pace_hurry). */
#define HURRY_BUDGET 8

void np_pace_init(np_pace *p, double interval, int early_frames, double early_interval,
                  double window)
{
    p->interval = interval;
    p->window = window;
    p->early_frames = early_frames;
    p->early_interval = early_interval;
    np_pace_restart(p);
}

void np_pace_restart(np_pace *p)
{
    p->early_left = p->early_frames > 1 ? p->early_frames - 1 : 0;
    p->last_pos = NAN;
    p->next_pos = -INFINITY;
    p->hurry_left = HURRY_BUDGET;
    p->window_end = NAN;
}

void np_pace_hurry(np_pace *p)
{
    if (p->hurry_left <= 0 || !isfinite(p->last_pos))
        return;
    double quick = p->last_pos + p->early_interval;
    if (quick < p->next_pos) {
        p->next_pos = quick;
        p->hurry_left--;
    }
}

void np_pace_undecided(np_pace *p)
{
    if (!isfinite(p->last_pos) || !(p->last_pos < p->window_end))
        return;
    double quick = p->last_pos + p->early_interval;
    if (quick < p->next_pos)
        p->next_pos = quick;
}

void np_pace_quick(np_pace *p)
{
    if (!isfinite(p->last_pos)) {
        p->next_pos = -INFINITY;
        return;
    }
    double quick = p->last_pos + p->early_interval;
    if (quick < p->next_pos)
        p->next_pos = quick;
}

bool np_pace_same_frame(const np_pace *p, double pos)
{
    return isfinite(p->last_pos) && isfinite(pos) &&
           fabs(pos - p->last_pos) < SAME_FRAME_EPS;
}

bool np_pace_due(const np_pace *p, double pos)
{
    if (!isfinite(pos))
        return false;
    if (np_pace_same_frame(p, pos))
        return false;
    if (isfinite(p->last_pos) && pos < p->last_pos - BACKWARDS_JUMP)
        return true;
    return pos >= p->next_pos - SAME_FRAME_EPS;
}

void np_pace_grabbed(np_pace *p, double pos, bool scene_change)
{
    if (scene_change && p->early_left < 2)
        p->early_left = 2;
    /* a cut, or the first grab since a load or seek, opens the window */
    if (scene_change || !isfinite(p->window_end) ||
        (isfinite(p->last_pos) && pos < p->last_pos - BACKWARDS_JUMP))
        p->window_end = pos + p->window;
    p->last_pos = pos;
    if (p->early_left > 0) {
        p->early_left--;
        p->next_pos = pos + p->early_interval;
    } else {
        p->next_pos = pos + p->interval;
    }
}

double np_pace_wait(const np_pace *p, double pos)
{
    if (!isfinite(pos))
        return 1e9;
    if (np_pace_due(p, pos))
        return 0;
    double w = p->next_pos - pos;
    return w > 0 ? w : 0;
}

#define CPU_TAU 60.0

static double cpu_decayed(const np_cpu_meter *m, double now)
{
    if (now <= m->at)
        return m->level_s;
    return m->level_s * exp(-(now - m->at) / CPU_TAU);
}

void np_cpu_meter_add(np_cpu_meter *m, double now, double cpu_s)
{
    m->level_s = cpu_decayed(m, now) + cpu_s;
    m->at = m->at > now ? m->at : now;
}

double np_cpu_meter_share(const np_cpu_meter *m, double now)
{
    return cpu_decayed(m, now) / CPU_TAU;
}
