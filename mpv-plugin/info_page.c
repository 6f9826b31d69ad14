/* Builds the info page's and the change message's ASS; see info_page.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choice.h"
#include "info_page.h"

typedef struct sbuf {
    char *s;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if (b->s && (size_t)n < room) {
            b->len += n;
            return;
        }
        size_t cap = (b->cap + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
}

static char *sb_finish(sbuf *b)
{
    if (b->oom || !b->s) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

/* ASS colours are &HBBGGRR&, alpha 00 opaque .. FF invisible */
#define BOX_STYLE "\\bord0\\shad0\\1c&H101010&\\1a&H48&"
#define TEXT_STYLE "\\bord1.2\\shad0\\3c&H000000&\\1c&HFFFFFF&"
#define FS 18.0
#define LINE_H 19.0
#define PANEL_X 16.0
/* below the line where mpv's own OSD messages (seek, pause, screenshot) go */
#define PANEL_Y 72.0
#define MESSAGE_Y 16.0
#define PANEL_W 700.0
#define PAD 12.0
#define GRAPH_W (PANEL_W - 2 * PAD)
#define GRAPH_H 140.0
#define BAR_H 12.0

double np_text_width(const char *text, double fs)
{
    int glyphs = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if ((*s & 0xC0) != 0x80)   /* count UTF-8 lead bytes only */
            glyphs++;
    }
    return glyphs * fs * 0.56;
}

/* A filled rectangle at (x, y). */
static void rect(sbuf *b, double x, double y, double w, double h, const char *style)
{
    sb_printf(b, "{\\an7\\pos(%.1f,%.1f)%s\\p1}m 0 0 l %.1f 0 %.1f %.1f 0 %.1f{\\p0}\n",
              x, y, style, w, w, h, h);
}

/* One line of text; every positioned piece is an event of its own (ASS
 * honours one \pos per event). */
static void label(sbuf *b, double x, double y, int an, double fs, const char *color,
                  const char *text)
{
    sb_printf(b, "{\\an%d\\pos(%.1f,%.1f)\\fs%.0f" TEXT_STYLE "\\1c&H%s&}%s\n", an, x, y, fs,
              color, text);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void np_dip_depth(const double *e, int n, double *depth)
{
    double nb[18];
    for (int i = 0; i < n; i++) {
        int m = 0;
        for (int d = 2; d <= 10; d++) {
            if (i - d >= 0 && isfinite(e[i - d]))
                nb[m++] = e[i - d];
            if (i + d < n && isfinite(e[i + d]))
                nb[m++] = e[i + d];
        }
        depth[i] = 0;
        if (m < 3 || !isfinite(e[i]))
            continue;
        qsort(nb, m, sizeof(nb[0]), cmp_double);
        double med = m % 2 ? nb[m / 2] : 0.5 * (nb[m / 2 - 1] + nb[m / 2]);
        if (med > 0)
            depth[i] = fmin(1, fmax(0, 1 - e[i] / med));
    }
}

/* A tick step giving 4..8 labels over span. */
static double tick_step(double span)
{
    static const double steps[] = {10, 20, 25, 50, 100, 200, 250, 500, 1000};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        if (span / steps[i] <= 8)
            return steps[i];
    }
    return 1000;
}

static void draw_graph(sbuf *b, const np_info *in, double x0, double y0)
{
    int n = in->curve_count;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (isfinite(in->curve_sizes[i])) {
            lo = fmin(lo, in->curve_sizes[i]);
            hi = fmax(hi, in->curve_sizes[i]);
        }
    }
    double *depth = malloc(sizeof(double) * n);
    if (!depth || !(hi > lo)) {
        free(depth);
        return;
    }
    if (in->curve_dips) {
        /* the estimator's measure itself: error / median of the neighbours */
        for (int i = 0; i < n; i++)
            depth[i] = isfinite(in->curve_dips[i]) ? fmin(1, fmax(0, 1 - in->curve_dips[i])) : 0;
    } else {
        np_dip_depth(in->curve_errors, n, depth);
    }
    char title[160];
    snprintf(title, sizeof(title), "dip depth by height (%s, %s)", in->curve_kernel,
             in->curve_what[0] ? in->curve_what : "last frame");
    label(b, x0, y0, 7, FS, "FFFFFF", title);
    double gy = y0 + LINE_H + 2;
    rect(b, x0, gy, GRAPH_W, GRAPH_H, "\\bord0\\shad0\\1c&H303030&\\1a&H30&");
    /* half-depth guide */
    rect(b, x0, gy + GRAPH_H / 2, GRAPH_W, 1, "\\bord0\\shad0\\1c&H707070&\\1a&H40&");
    label(b, x0 + GRAPH_W - 4, gy + 2, 9, 14, "B0B0B0", "1");
    label(b, x0 + GRAPH_W - 4, gy + GRAPH_H / 2 + 2, 9, 14, "B0B0B0", "0.5");
    /* the height in use: a translucent band behind the curve (the spike
     * stays visible) and a label */
    if (in->mark >= lo && in->mark <= hi) {
        double x = x0 + (in->mark - lo) / (hi - lo) * GRAPH_W;
        rect(b, x - 3, gy, 6, GRAPH_H, "\\bord0\\shad0\\1c&H3030FF&\\1a&H90&");
        char t[48], h[32];
        np_format_size(in->mark, h, sizeof(h));
        snprintf(t, sizeof(t), "%sp in use", h);
        bool right_room = x + np_text_width(t, 15) + 8 < x0 + GRAPH_W - 30;
        label(b, right_room ? x + 6 : x - 6, gy + 2, right_room ? 7 : 9, 15, "8080FF", t);
    }
    /* the curve as a filled area down to the baseline: a dip is a spike */
    sb_printf(b, "{\\an7\\pos(%.1f,%.1f)\\bord0\\shad0\\1c&H00D8FF&\\1a&H10&\\p1}m 0 %.1f",
              x0, gy, GRAPH_H);
    for (int i = 0; i < n; i++) {
        if (!isfinite(in->curve_sizes[i]))
            continue;
        double x = (in->curve_sizes[i] - lo) / (hi - lo) * GRAPH_W;
        double y = GRAPH_H - depth[i] * (GRAPH_H - 2);
        sb_printf(b, " l %.1f %.1f", x, y);
    }
    sb_printf(b, " l %.1f %.1f{\\p0}\n", GRAPH_W, GRAPH_H);
    /* x ticks: labels each in its own event, on a row below the graph */
    double step = tick_step(hi - lo);
    for (double v = ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
        double x = x0 + (v - lo) / (hi - lo) * GRAPH_W;
        rect(b, x, gy + GRAPH_H, 1, 4, "\\bord0\\shad0\\1c&HB0B0B0&\\1a&H00&");
        char t[32];
        snprintf(t, sizeof(t), "%.0f", v);
        int an = v - lo < step / 4 ? 7 : hi - v < step / 4 ? 9 : 8;
        label(b, x, gy + GRAPH_H + 4, an, 14, "D0D0D0", t);
    }
    free(depth);
}

static void draw_timeline(sbuf *b, const np_info *in, double x0, double y0)
{
    label(b, x0, y0, 7, 14, "D0D0D0",
          "scenes: {\\1c&H3090FF&}upscaled {\\1c&H50C050&}native {\\1c&H909090&}unsure"
          "{\\1c&HD0D0D0&}  (white: now)");
    double by = y0 + 18;
    rect(b, x0, by, GRAPH_W, BAR_H, "\\bord0\\shad0\\1c&H303030&\\1a&H30&");
    const np_timeline *t = in->timeline;
    for (int i = 0; i < t->count; i++) {
        const np_span *s = &t->spans[i];
        double a = fmax(0, s->start / in->duration), e = fmin(1, s->end / in->duration);
        if (e < a)
            continue;
        const char *style = s->verdict == NR_VERDICT_UPSCALED ?
                            "\\bord0\\shad0\\1c&H3090FF&\\1a&H00&" :
                            s->verdict == NR_VERDICT_NATIVE ?
                            "\\bord0\\shad0\\1c&H50C050&\\1a&H00&" :
                            "\\bord0\\shad0\\1c&H909090&\\1a&H00&";
        rect(b, x0 + a * GRAPH_W, by, fmax(2, (e - a) * GRAPH_W), BAR_H, style);
    }
    if (isfinite(in->pos) && in->pos >= 0) {
        double x = x0 + fmin(1, in->pos / in->duration) * GRAPH_W;
        rect(b, x - 1, by - 3, 2, BAR_H + 6, "\\bord0\\shad0\\1c&HFFFFFF&\\1a&H00&");
    }
}

char *np_info_ass(const np_info *in)
{
    sbuf text = {0}, b = {0};
    /* the text block first, to know the panel's height */
    int lines = 0;
    sb_printf(&text, "{\\b1}nativeres{\\b0}  %s\\N", in->now[0] ? in->now : "no decision yet");
    lines++;
    sb_printf(&text, "from %s, shader %s%s\\N", in->source ? in->source : "none",
              in->running ? "on" : "off", in->enabled ? "" : " (toggled off with n)");
    lines++;
    if (in->scene[0]) {
        sb_printf(&text, "this scene: %s (%d frame%s)\\N", in->scene, in->scene_frames,
                  in->scene_frames == 1 ? "" : "s");
        lines++;
    }
    if (in->change[0]) {
        sb_printf(&text, "{\\1c&H60E0FF&}changed: %s{\\1c&HFFFFFF&}\\N", in->change);
        lines++;
    }
    for (int i = 0; i < 2; i++) {
        if (in->extra[i][0]) {
            sb_printf(&text, "%s\\N", in->extra[i]);
            lines++;
        }
    }
    sb_printf(&text, "%d frame%s analysed, grab %.0f ms, estimate %.0f ms (cpu %.0f ms)\\N",
              in->frames, in->frames == 1 ? "" : "s", in->grab_ms, in->est_wall_ms,
              in->est_cpu_ms);
    lines++;
    if (in->num_cands > 0) {
        sb_printf(&text, "candidates:");
        for (int i = 0; i < in->num_cands && i < 3; i++) {
            char kname[32], h[32];
            nr_kernel_name(&in->cands[i].kernel, kname, sizeof(kname));
            np_format_size(in->cands[i].size, h, sizeof(h));
            sb_printf(&text, "%s %sp %s %.2f", i ? "," : "", h, kname, in->cands[i].score);
        }
        sb_printf(&text, "\\N");
        lines++;
    }
    bool graph = in->curve_count > 1;
    bool bar = in->timeline && in->timeline->count > 0 && isfinite(in->duration) &&
               in->duration > 0;
    double text_h = lines * LINE_H;
    double h = PAD + text_h + (graph ? 8 + LINE_H + GRAPH_H + 22 : 0) +
               (bar ? 8 + 18 + BAR_H + 4 : 0) + PAD;
    rect(&b, PANEL_X, PANEL_Y, PANEL_W, h, BOX_STYLE);
    sb_printf(&b, "{\\an7\\pos(%.1f,%.1f)\\fs%.0f\\q2" TEXT_STYLE "}%s\n", PANEL_X + PAD,
              PANEL_Y + PAD, FS, text.s ? text.s : "");
    double y = PANEL_Y + PAD + text_h;
    if (graph) {
        draw_graph(&b, in, PANEL_X + PAD, y + 8);
        y += 8 + LINE_H + GRAPH_H + 22;
    }
    if (bar)
        draw_timeline(&b, in, PANEL_X + PAD, y + 8);
    if (text.oom)
        b.oom = true;
    free(text.s);
    return sb_finish(&b);
}

char *np_message_ass(const char *msg)
{
    sbuf b = {0};
    double fs = 22;
    rect(&b, PANEL_X, MESSAGE_Y, np_text_width(msg, fs) + 2 * PAD, fs + 14, BOX_STYLE);
    sb_printf(&b, "{\\an7\\pos(%.1f,%.1f)\\fs%.0f\\q2" TEXT_STYLE "}%s\n", PANEL_X + PAD,
              MESSAGE_Y + 7, fs, msg);
    return sb_finish(&b);
}
