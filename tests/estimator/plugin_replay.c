/*
 * Replays the plugin's sampling on the frame estimates of its benchmark
 * clips (clip_dump: every frame of every clip) at many start phases: which
 * frames the plugin would analyse after a cut, when the scene pool (the
 * plugin's nr_pool_add + nr_pool_result, switched in at the plugin's
 * confidence) first names the right height, and whether it ever names a
 * wrong one. One real play is one phase; this gives the rate over all of
 * them in seconds. A tool for tuning the schedule and the pool; no test.
 *
 *   plugin_replay [-v] [--times T1,T2,...] [--phases N] [--by S] [--latency S]
 *                 [--confidence C] [--agree N] DIR/clip*.bin
 *
 * --times: analysis instants after the cut, seconds (default: what the
 *   plugin's default schedule did in bench-plugin-real: six grabs ~0.27 s
 *   apart, then every 1.5 s); --phases N: start offsets 0, 1/24, ... s
 *   (default 6, up to one early interval); --by: the deadline (2 s);
 *   --latency: grab + estimate time before a verdict acts (0.15 s); -v:
 *   every first wrong decision (when, which frame, the pool's reason);
 *   --agree N: act only on a height pooled N analyses in a row (1);
 *   --prefer-ref S: a grab that falls on a B-frame waits for the next I- or
 *   P-frame, at most S seconds (the plugin's `prefer-ref`; the frame types
 *   from DIR/clipNN.types next to each dump, one letter a frame, as
 *   `ffprobe -show_entries frame=pict_type` gives them).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_util.h"
#include "pool_dump.h"

#define FPS 24.0
#define MAX_TIMES 64
#define MAX_FRAMES 512

static bool right_height(const nr_estimate *e, double truth)
{
    return e->verdict == NR_VERDICT_UPSCALED && truth > 0 &&
           fabs(corpus_est_height(e) - truth) <= (truth != floor(truth) ? 0.25 : 1e-9);
}

int main(int argc, char **argv)
{
    double times[MAX_TIMES] = {0.1, 0.37, 0.64, 0.91, 1.17, 1.44, 2.95, 4.45};
    int ntimes = 8, phases = 6, first = 1;
    bool verbose = false;
    double by = 2.0, latency = 0.15, min_conf = 0.6;
    int agree = 1;
    double prefer_ref = 0;
    for (; first < argc && argv[first][0] == '-'; first += 2) {
        if (!strcmp(argv[first], "-v")) {
            verbose = true;
            first--;
            continue;
        }
        if (first + 1 >= argc)
            break;
        const char *v = argv[first + 1];
        if (!strcmp(argv[first], "--times")) {
            ntimes = 0;
            for (char *end; *v && ntimes < MAX_TIMES; v = *end ? end + 1 : end)
                times[ntimes++] = strtod(v, &end);
        } else if (!strcmp(argv[first], "--phases"))
            phases = atoi(v);
        else if (!strcmp(argv[first], "--by"))
            by = atof(v);
        else if (!strcmp(argv[first], "--latency"))
            latency = atof(v);
        else if (!strcmp(argv[first], "--agree"))
            agree = atoi(v);
        else if (!strcmp(argv[first], "--prefer-ref"))
            prefer_ref = atof(v);
        else if (!strcmp(argv[first], "--confidence"))
            min_conf = atof(v);
        else
            break;
    }
    if (first >= argc || ntimes < 1 || phases < 1) {
        fprintf(stderr, "usage: plugin_replay [--times T1,T2,...] [--phases N] [--by S] "
                        "[--latency S] [--confidence C] DIR/clip*.bin\n");
        return 2;
    }
    static nr_estimate frames[MAX_FRAMES];
    /* [kind: upscaled / native / unknown] totals over clips x phases */
    int runs[3] = {0}, in_time[3] = {0}, later[3] = {0}, wrong[3] = {0}, native_end[3] = {0};
    double when_sum = 0;
    printf("%-34s %-20s %6s %6s %6s %6s  first right (s) per phase\n", "clip", "truth",
           "by", "later", "wrong", "native");
    for (int a = first; a < argc; a++) {
        dump_header h;
        FILE *f = dump_open(argv[a], &h);
        if (!f)
            return 2;
        int n = 0, restarted, rc;
        while (n < MAX_FRAMES && (rc = dump_read_frame(f, &frames[n], &restarted)) == 1)
            n++;
        fclose(f);
        int kind = h.height > 0 ? 0 : h.kernel == -2 ? 2 : 1;
        static char types[MAX_FRAMES + 2];
        types[0] = 0;
        if (prefer_ref > 0) {
            if (dump_read_types(argv[a], types, sizeof(types)) < 0)
                return 2;
        }
        int c_in = 0, c_later = 0, c_wrong = 0, c_native = 0;
        char list[400] = "";
        for (int ph = 0; ph < phases; ph++) {
            nr_pool *pool = nr_pool_new(NULL);
            double right_at = -1;
            bool was_wrong = false, ends_native = false;
            double last_h = 0;
            int same = 0, shift = 0;   /* frames waited for reference frames */
            for (int i = 0; i < ntimes; i++) {
                int idx = (int)floor((times[i] + ph / FPS) * FPS) + shift;
                for (int waited = 0; types[0] && idx < n && types[idx] == 'B' &&
                                     (waited + 1) / FPS <= prefer_ref; waited++) {
                    idx++;
                    shift++;   /* the plugin's pace counts from the grab */
                }
                if (idx >= n)
                    break;
                nr_pool_add(pool, &frames[idx]);
                nr_estimate r;
                nr_pool_result(pool, &r);
                bool up = r.verdict == NR_VERDICT_UPSCALED && r.confidence >= min_conf;
                same = up && fabs(corpus_est_height(&r) - last_h) <= 1 ? same + 1 : up;
                last_h = up ? corpus_est_height(&r) : 0;
                bool acts = up && same >= agree;
                if (acts && right_height(&r, h.height)) {
                    if (right_at < 0)
                        right_at = times[i] + (ph + shift) / FPS + latency;
                } else if (acts) {
                    if (!was_wrong && verbose)
                        printf("  %s phase %d: %.2f s, frame %d, %d analysed: %g conf %.2f: %s\n",
                               h.name, ph, times[i] + (ph + shift) / FPS, idx, i + 1,
                               corpus_est_height(&r), r.confidence, r.reason);
                    was_wrong = true;
                }
                ends_native = r.verdict == NR_VERDICT_NATIVE;
                nr_estimate_free(&r);
            }
            nr_pool_free(pool);
            c_in += right_at >= 0 && right_at <= by;
            c_later += right_at > by;
            c_wrong += was_wrong;
            c_native += ends_native;
            size_t l = strlen(list);
            if (l + 8 < sizeof(list))
                snprintf(list + l, sizeof(list) - l, right_at >= 0 ? " %.2f" : " -", right_at);
            if (right_at >= 0)
                when_sum += right_at;
        }
        for (int i = 0; i < n; i++)
            nr_estimate_free(&frames[i]);
        char truth[40];
        if (kind)
            snprintf(truth, sizeof(truth), "%s", kind == 1 ? "native" : "unknown");
        else
            snprintf(truth, sizeof(truth), "%g", h.height);
        printf("%-34.34s %-20s %6d %6d %6d %6d %s\n", h.name, truth, c_in, c_later, c_wrong,
               c_native, kind ? "" : list);
        runs[kind] += phases;
        in_time[kind] += c_in;
        later[kind] += c_later;
        wrong[kind] += c_wrong;
        native_end[kind] += c_native;
    }
    printf("upscaled: %d plays (clips x phases): right within %.1f s %d, later %d, wrong height %d "
           "(mean time right %.2f s)\n", runs[0], by, in_time[0], later[0], wrong[0],
           in_time[0] + later[0] ? when_sum / (in_time[0] + later[0]) : 0.0);
    printf("native: %d plays: got a height %d, end native %d; unknown: %d plays: got a height %d, "
           "end native %d\n", runs[1], wrong[1], native_end[1], runs[2], wrong[2], native_end[2]);
    return 0;
}
