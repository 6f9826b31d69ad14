/* Builds the info page's ASS text: a text block and a line graph. */
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

#define GRAPH_W 560.0
#define GRAPH_H 180.0

static void draw_graph(sbuf *b, const np_info *in, double x0, double y0)
{
    int n = in->curve_count;
    double lo = INFINITY, hi = -INFINITY, emax = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(in->curve_sizes[i]) || !isfinite(in->curve_errors[i]))
            continue;
        lo = fmin(lo, in->curve_sizes[i]);
        hi = fmax(hi, in->curve_sizes[i]);
        emax = fmax(emax, in->curve_errors[i]);
    }
    if (!(hi > lo) || !(emax > 0))
        return;
    /* frame */
    sb_printf(b, "{\\an7\\pos(%.0f,%.0f)\\bord0\\shad0\\1c&H404040&\\1a&H60&\\p1}"
              "m 0 0 l %.0f 0 %.0f %.0f 0 %.0f{\\p0}\n",
              x0, y0, GRAPH_W, GRAPH_W, GRAPH_H, GRAPH_H);
    /* the curve as a thin polygon (out along the points, back 2 px lower) */
    sb_printf(b, "{\\an7\\pos(%.0f,%.0f)\\bord0\\shad0\\1c&H00FFFF&\\p1}", x0, y0);
    bool first = true;
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < n; k++) {
            int i = pass == 0 ? k : n - 1 - k;
            if (!isfinite(in->curve_sizes[i]) || !isfinite(in->curve_errors[i]))
                continue;
            double x = (in->curve_sizes[i] - lo) / (hi - lo) * GRAPH_W;
            double y = GRAPH_H - in->curve_errors[i] / emax * (GRAPH_H - 4) + (pass ? 0 : -2);
            sb_printf(b, first ? "m %.1f %.1f" : " l %.1f %.1f", x, y);
            first = false;
        }
    }
    sb_printf(b, "{\\p0}\n");
    if (in->mark >= lo && in->mark <= hi) {
        double x = (in->mark - lo) / (hi - lo) * GRAPH_W;
        sb_printf(b, "{\\an7\\pos(%.0f,%.0f)\\bord0\\shad0\\1c&H0000FF&\\p1}"
                  "m %.1f 0 l %.1f 0 %.1f %.0f %.1f %.0f{\\p0}\n",
                  x0, y0, x - 1, x + 1, x + 1, GRAPH_H, x - 1, GRAPH_H);
    }
    sb_printf(b, "{\\an7\\pos(%.0f,%.0f)\\fs16\\bord1}%.0f{\\an9\\pos(%.0f,%.0f)}%.0f"
              "{\\an8\\pos(%.0f,%.0f)}error vs height (%s)\n",
              x0, y0 + GRAPH_H + 2, lo, x0 + GRAPH_W, y0 + GRAPH_H + 2, hi,
              x0 + GRAPH_W / 2, y0 + GRAPH_H + 2, in->curve_kernel);
}

char *np_info_ass(const np_info *in)
{
    sbuf b = {0};
    double x0 = 20, y0 = 20;
    sb_printf(&b, "{\\an7\\pos(%.0f,%.0f)\\fs22\\bord1.5}{\\b1}nativeres{\\b0}\\N"
              "%s\\Nsource: %s, shader %s%s\\N",
              x0, y0, in->decision[0] ? in->decision : "no decision yet",
              in->source ? in->source : "none", in->running ? "on" : "off",
              in->enabled ? "" : " (toggled off)");
    if (in->scene[0])
        sb_printf(&b, "this scene: %s\\N", in->scene);
    sb_printf(&b, "frames analysed: %d, last grab %.1f ms, estimate %.0f ms (cpu %.0f ms)\\N",
              in->frames, in->grab_ms, in->est_wall_ms, in->est_cpu_ms);
    if (in->num_cands > 0)
        sb_printf(&b, "top candidates:\\N");
    for (int i = 0; i < in->num_cands && i < 5; i++) {
        char kname[32], h[32];
        nr_kernel_name(&in->cands[i].kernel, kname, sizeof(kname));
        np_format_size(in->cands[i].size, h, sizeof(h));
        sb_printf(&b, "  %sp %s  error %.2e  score %.2f\\N", h, kname,
                  in->cands[i].error, in->cands[i].score);
    }
    sb_printf(&b, "\n");
    if (in->curve_count > 1)
        draw_graph(&b, in, x0, NP_INFO_RES_Y - GRAPH_H - 60);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
