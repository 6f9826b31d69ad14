/*
 * What the plugin draws with mpv's `osd-overlay` (ASS events): the
 * `nativeres/info` page and the short message of a change. Both sit on a
 * translucent dark box so they read on bright pictures; while the page is
 * shown, a change is written into the page instead of a separate message,
 * so the two never overlap.
 *
 * The page's graph draws the measure the decision uses: for each candidate
 * height, how deep the residual dips against its neighbours 2..10 steps
 * away (1 - error / median of those), so an upscale shows as one spike at
 * its native height and a native picture as low noise.
 */
#ifndef NP_INFO_PAGE_H
#define NP_INFO_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "nativeres_estimate.h"
#include "timeline.h"

#define NP_INFO_RES_Y 720   /* the overlay's virtual height */
#define NP_INFO_RES_X 1280  /* and width (mpv keeps the aspect: 16:9 screens) */

typedef struct np_info {
    char now[256];           /* what runs, as the OSD says it (without "nativeres: ") */
    char decision[256];      /* the current decision's log line */
    char scene[256];         /* the evidence of the current scene */
    int scene_frames;
    char change[256];        /* the last change message, "" none */
    const char *source;      /* "detect" "cache" "known" "manual" "none" */
    bool running;            /* our shader is in the list */
    bool enabled;            /* toggle state */
    nr_candidate cands[NR_MAX_CANDIDATES];
    int num_cands;
    double grab_ms, est_wall_ms, est_cpu_ms;
    int frames;              /* frames analysed for this file */
    char curve_kernel[32];
    char curve_what[64];     /* "last frame", "pooled over 7 frames" */
    int curve_count;         /* 0: no graph */
    double *curve_sizes, *curve_errors;   /* owned by the caller */
    double *curve_dips;      /* the estimator's dip ratios (1 none, small deep) or NULL */
    double mark;             /* native height to mark, 0 none */
    char extra[2][256];      /* more lines (rescale preset, mask statistics), "" none */
    /* the file's scene timeline, drawn as a bar (NULL: none) */
    const np_timeline *timeline;
    double duration, pos;
} np_info;

/* Depth of the dip at each point of an error curve: 1 - e[i] / median of
 * e[i-10..i-2] and e[i+2..i+10] (those that exist), clamped to [0, 1];
 * 0 where the curve has no usable neighbours. */
void np_dip_depth(const double *errors, int n, double *depth);

/* malloc'd ASS events text (several lines, '\n'-separated). */
char *np_info_ass(const np_info *info);

/* malloc'd ASS for a one-line message on a translucent box, top left. */
char *np_message_ass(const char *text);

/* Width of text in overlay pixels at font size fs (a generous estimate
 * for the box behind it). */
double np_text_width(const char *text, double fs);

#endif
