/*
 * The `nativeres/info` OSD page: what was decided and why (top candidates,
 * timings) and the error-vs-height curve of the last analysed frame, drawn
 * with ASS vector drawing for mpv's `osd-overlay` command.
 */
#ifndef NP_INFO_PAGE_H
#define NP_INFO_PAGE_H

#include <stdbool.h>

#include "nativeres_estimate.h"

#define NP_INFO_RES_Y 720   /* the overlay's virtual height; width follows the aspect */

typedef struct np_info {
    char decision[256];      /* the current decision's log line */
    char scene[256];         /* the estimator's vote over the current scene */
    const char *source;      /* "detect" "cache" "known" "manual" "none" */
    bool running;            /* our shader is in the list */
    bool enabled;            /* toggle state */
    nr_candidate cands[NR_MAX_CANDIDATES];
    int num_cands;
    double grab_ms, est_wall_ms, est_cpu_ms;
    int frames;              /* frames analysed for this file */
    char curve_kernel[32];
    int curve_count;         /* 0: no graph */
    double *curve_sizes, *curve_errors;   /* owned by the caller */
    double mark;             /* native height to mark, 0 none */
} np_info;

/* malloc'd ASS events text (several lines, '\n'-separated). */
char *np_info_ass(const np_info *info);

#endif
