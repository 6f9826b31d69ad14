/* Decisions as values: construction, comparison and their user-facing text. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "choice.h"

double np_choice_height(const np_choice *c)
{
    return c->scale.win_height > 0 ? c->scale.win_height : c->scale.native_h;
}

double np_choice_width(const np_choice *c)
{
    return c->scale.win_width > 0 ? c->scale.win_width : c->scale.native_w;
}

void np_choice_plain(np_choice *c, nr_verdict v, int full_w, int full_h, double confidence)
{
    memset(c, 0, sizeof(*c));
    c->verdict = v;
    c->confidence = confidence;
    c->scale.full_w = c->scale.native_w = full_w;
    c->scale.full_h = c->scale.native_h = full_h;
    c->scale.kernel.type = NR_KERNEL_BILINEAR;
    c->scale.kernel.blur = 1;
}

int np_choice_upscaled(np_choice *c, int full_w, int full_h, double height,
                       double width, const nr_kernel *k, double confidence)
{
    np_choice r;
    np_choice_plain(&r, NR_VERDICT_UPSCALED, full_w, full_h, confidence);
    char err[160];
    r.scale.kernel = *k;
    r.scale.border = NR_BORDER_MIRROR;
    if (nr_scale_for_height(&r.scale, full_w, full_h, height, width, err, sizeof(err)) < 0)
        return -1;
    if (r.scale.native_w > full_w || r.scale.native_h > full_h ||
        (r.scale.native_w == full_w && r.scale.native_h == full_h))
        return -1;
    nr_kernel_name(k, r.kernel_name, sizeof(r.kernel_name));
    *c = r;
    return 0;
}

void np_choice_from_estimate(np_choice *c, const nr_estimate *e, int full_w, int full_h)
{
    if (e->verdict == NR_VERDICT_UPSCALED) {
        bool whole = e->crop_w <= 0 || e->crop_h <= 0 ||
                     (e->crop_x == 0 && e->crop_y == 0 &&
                      e->crop_w == full_w && e->crop_h == full_h);
        nr_scale s = e->scale;
        if (whole && s.full_w == full_w && s.full_h == full_h &&
            s.native_h <= full_h && s.native_w <= full_w) {
            np_choice_plain(c, NR_VERDICT_UPSCALED, full_w, full_h, e->confidence);
            c->scale = s;
            nr_kernel_name(&s.kernel, c->kernel_name, sizeof(c->kernel_name));
            return;
        }
        /* letterboxed content: a whole-frame shader cannot descale it */
        np_choice_plain(c, NR_VERDICT_UNSURE, full_w, full_h, 0);
        return;
    }
    np_choice_plain(c, e->verdict, full_w, full_h, e->confidence);
}

bool np_choice_same(const np_choice *a, const np_choice *b)
{
    if (a->verdict != b->verdict)
        return false;
    if (a->scale.full_w != b->scale.full_w || a->scale.full_h != b->scale.full_h)
        return false;
    if (a->verdict != NR_VERDICT_UPSCALED)
        return true;
    return !strcmp(a->kernel_name, b->kernel_name) &&
           fabs(np_choice_height(a) - np_choice_height(b)) <= 0.5 &&
           fabs(np_choice_width(a) - np_choice_width(b)) <= 1.0;
}

void np_format_size(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.3f", v);
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

void np_choice_log_line(const np_choice *c, char *buf, size_t size)
{
    char w[32], h[32];
    bool up = c->verdict == NR_VERDICT_UPSCALED;
    np_format_size(up ? np_choice_width(c) : c->scale.full_w, w, sizeof(w));
    np_format_size(up ? np_choice_height(c) : c->scale.full_h, h, sizeof(h));
    snprintf(buf, size, "verdict=%s width=%s height=%s kernel=%s confidence=%.2f",
             nr_verdict_name(c->verdict), w, h, up ? c->kernel_name : "none",
             c->confidence);
}

void np_choice_osd_text(const np_choice *c, char *buf, size_t size)
{
    char w[32], h[32];
    switch (c->verdict) {
    case NR_VERDICT_UPSCALED:
        np_format_size(np_choice_width(c), w, sizeof(w));
        np_format_size(np_choice_height(c), h, sizeof(h));
        snprintf(buf, size, "nativeres: %s\u00d7%s %s \u2014 descaling", w, h, c->kernel_name);
        break;
    case NR_VERDICT_NATIVE:
        snprintf(buf, size, "nativeres: native %dp \u2014 off", c->scale.full_h);
        break;
    default:
        snprintf(buf, size, "nativeres: unsure \u2014 off");
        break;
    }
}
