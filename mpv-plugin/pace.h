/*
 * When to grab the next frame. Positions are playback positions (mpv's
 * time-pos) so that pause costs nothing: a burst of a few grabs right after
 * a load or seek, then one every `interval` seconds of playback, with a
 * couple of quick follow-ups after a scene change. A frame is never grabbed
 * twice (same position), so a paused or still picture is analysed once.
 */
#ifndef NP_PACE_H
#define NP_PACE_H

#include <stdbool.h>

typedef struct np_pace {
    double interval, early_interval;
    int early_frames;
    double window;      /* seconds after a load, seek or cut with quick grabs while undecided */
    double window_end;  /* position where this scene's window ends, NAN before its first grab */
    int early_left;     /* quick grabs still to do */
    double last_pos;    /* position of the last grab, NAN if none since restart */
    double next_pos;    /* the next grab is due at or after this position */
    int hurry_left;     /* quick grabs still allowed on request since restart */
} np_pace;

void np_pace_init(np_pace *p, double interval, int early_frames, double early_interval,
                  double window);
/* A new file, a seek or a rescan: grab now, then a quick burst. */
void np_pace_restart(np_pace *p);
/* True when a grab is due at playback position pos (pos may be NAN: no video position). */
bool np_pace_due(const np_pace *p, double pos);
/* Records a grab at pos; a scene change asks for quick follow-ups. */
void np_pace_grabbed(np_pace *p, double pos, bool scene_change);
/* A decision is pending (nothing decided yet, or a change to confirm):
 * make the next grab a quick one, within a budget per restart so that an
 * undecidable file falls back to the steady pace. */
void np_pace_hurry(np_pace *p);
/* The scene is still undecided: the next grab a quick one while playback
 * is within `window` seconds of the load, seek or cut that began it (the
 * first seconds of a shot are when a user sees the picture change). */
void np_pace_undecided(np_pace *p);
/* The next grab a quick one, without a budget: playback is where a cut
 * is known to come (between two scenes of the timeline). */
void np_pace_quick(np_pace *p);
/* Playback seconds until the next grab is due (0 if due now, large if never). */
double np_pace_wait(const np_pace *p, double pos);
/* True when no further distinct frame can come without playback moving
 * (a grab was made at pos already). */
bool np_pace_same_frame(const np_pace *p, double pos);

/* The analysis' CPU time over about the last minute of wall time (an
 * exponential average, time constant 60 s): the quick grabs of the window
 * stop while it is over the user's budget, so a run of undecidable
 * scenes costs no more than that. */
typedef struct np_cpu_meter {
    double level_s;     /* decayed sum of CPU seconds */
    double at;          /* wall time (monotonic seconds) of level_s */
} np_cpu_meter;

void np_cpu_meter_add(np_cpu_meter *m, double now, double cpu_s);
/* the share of one core used over about the last minute */
double np_cpu_meter_share(const np_cpu_meter *m, double now);

#endif
