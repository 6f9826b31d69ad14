/*
 * What the plugin runs for a file: nothing (unsure), nothing on purpose
 * (native) or a descale from a native size with a kernel. Built from an
 * estimate, a cache entry, a known-show entry or a manual kernel cycle.
 */
#ifndef NP_CHOICE_H
#define NP_CHOICE_H

#include <stdbool.h>
#include <stddef.h>

#include "nativeres.h"
#include "nativeres_estimate.h"

typedef struct np_choice {
    nr_verdict verdict;
    double confidence;
    nr_scale scale;           /* full size always set; the rest when upscaled */
    char kernel_name[32];     /* "" unless upscaled */
} np_choice;

/* Reported native size (fractional when the window is). */
double np_choice_height(const np_choice *c);
double np_choice_width(const np_choice *c);

/* Verdict-only choice for a full_w x full_h frame. */
void np_choice_plain(np_choice *c, nr_verdict v, int full_w, int full_h, double confidence);
/* An upscaled choice from a native height (width 0 = proportional). -1 if
 * the size does not fit the frame. */
int np_choice_upscaled(np_choice *c, int full_w, int full_h, double height,
                       double width, const nr_kernel *k, double confidence);
/* From an estimator result (crop must be the whole frame for a descale). */
void np_choice_from_estimate(np_choice *c, const nr_estimate *e, int full_w, int full_h);

/* Same decision: verdict, and for upscaled the kernel and a native height
 * within half a pixel. */
bool np_choice_same(const np_choice *a, const np_choice *b);

/* The stable log line (without the "nativeres: " prefix):
 * "verdict=upscaled width=1280 height=720 kernel=bilinear confidence=0.98". */
void np_choice_log_line(const np_choice *c, char *buf, size_t size);
/* The OSD text: "nativeres: 1280×720 bilinear — descaling" etc. */
void np_choice_osd_text(const np_choice *c, char *buf, size_t size);
/* A number with up to 3 decimals, trailing zeros dropped: 720, 873.5. */
void np_format_size(double v, char *buf, size_t size);

#endif
