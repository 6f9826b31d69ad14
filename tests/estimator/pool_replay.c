/*
 * Pools again the frame estimates that real_corpus wrote with
 * NR_POOL_DUMP=DIR (one file per clip) and prints, per clip, the pooled
 * verdict and what the pool saw at the true height: the pooled dip of
 * both axes there, how far it stands out of the scatter (z), the frames
 * that dip there on their own curves, the frames that found it and the
 * frames whose re-measured dips (4x the lines) include it. Then
 * the pooled confusion table, as real_corpus prints it. A tool for trying
 * the pool's rules on real clips in seconds; no test.
 *
 *   pool_replay [--std N] [-v] DIR/clip*.bin
 *
 * -v: every frame too (its verdict, crop, restarts, its dip at the truth).
 * --prefix: the pooled result after every frame too (the plugin's view):
 * the first frame from which the clip is right, and every frame at which
 * it is pooled to a wrong height (or, native, to any height).
 * --frames N: pool only the first N frames of each clip.
 * --ref-only: pool only the I- and P-frames (the types from DIR/clipNN.types
 * next to each dump, one letter a frame: plugin_replay --prefer-ref).
 * --std N: the first N clips are real_corpus' standard set (16 with the
 * full corpus), the rest --more-clips'; their tables are printed apart.
 * Set NR_POOL_DEBUG=1 for the pool's own account of every dip it weighed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_util.h"
#include "pool_dump.h"

/* the library's own dip measure (est_internal.h) */
void est_curve_fill_dips(nr_curve *c);

static const char *const kernel_names[] = {
    "bilinear", "catrom", "mitchell", "bicubicsharp", "lanczos3", "spline36", "hermite",
    "adobebicubic", "bicubic:0.25:0.45",
};
enum { NK = sizeof(kernel_names) / sizeof(*kernel_names) };

static bool right_height(const nr_estimate *e, double truth)
{
    return e->verdict == NR_VERDICT_UPSCALED && truth > 0 &&
           fabs(corpus_est_height(e) - truth) <= (truth != floor(truth) ? 0.25 : 1e-9);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* the deepest dip measure (any kernel) of the curves within tol of size */
static double dip_near(const nr_curve *c, int nc, double size, double tol)
{
    double best = INFINITY;
    for (int k = 0; k < nc; k++)
        for (int i = 0; c[k].dips && i < c[k].count; i++)
            if (fabs(c[k].sizes[i] - size) <= tol && isfinite(c[k].dips[i]) && c[k].dips[i] < best)
                best = c[k].dips[i];
    return best;
}

/* median and robust spread of every dip measure of the curves */
static void scatter(const nr_curve *c, int nc, double *typical, double *spread)
{
    int n = 0, cap = 0;
    for (int k = 0; k < nc; k++)
        cap += c[k].count;
    double *v = malloc(sizeof(double) * (size_t)(cap + 1));
    for (int k = 0; v && k < nc; k++)
        for (int i = 0; c[k].dips && i < c[k].count; i++)
            if (isfinite(c[k].dips[i]))
                v[n++] = c[k].dips[i];
    *typical = 1;
    *spread = INFINITY;
    if (v && n >= 8) {
        qsort(v, (size_t)n, sizeof(double), cmp_double);
        *typical = v[n / 2];
        for (int i = 0; i < n; i++)
            v[i] = fabs(v[i] - *typical);
        qsort(v, (size_t)n, sizeof(double), cmp_double);
        *spread = fmax(1.4826 * v[n / 2], 1e-3);
    }
    free(v);
}

/* a frame's own dip measure within tol of size (fresh copy of its curves) */
static double frame_dip_near(const nr_curve *c, int nc, double size, double tol)
{
    double best = INFINITY;
    for (int k = 0; k < nc; k++) {
        nr_curve t = c[k];
        t.dips = NULL;
        est_curve_fill_dips(&t);
        double d = dip_near(&t, 1, size, tol);
        best = d < best ? d : best;
        free(t.dips);
    }
    return best;
}

int main(int argc, char **argv)
{
    int std = -1, first = 1, max_frames = 1 << 30;
    bool verbose = false, prefix = false, ref_only = false;
    int ever_wrong = 0;
    for (;;) {
        if (first + 1 < argc && !strcmp(argv[first], "--std")) {
            std = atoi(argv[first + 1]);
            first += 2;
        } else if (first < argc && !strcmp(argv[first], "-v")) {
            verbose = true;
            first++;
        } else if (first + 1 < argc && !strcmp(argv[first], "--frames")) {
            max_frames = atoi(argv[first + 1]);
            first += 2;
        } else if (first < argc && !strcmp(argv[first], "--ref-only")) {
            ref_only = true;
            first++;
        } else if (first < argc && !strcmp(argv[first], "--prefix")) {
            prefix = true;
            first++;
        } else
            break;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: pool_replay [--std N] DIR/clip*.bin\n");
        return 2;
    }
    int t[2][2][4] = {{{0}}};   /* [more][native][right/wrong/native/unsure] */
    for (int a = first; a < argc; a++) {
        dump_header h;
        FILE *f = dump_open(argv[a], &h);
        if (!f)
            return 2;
        static char types[4096];
        types[0] = 0;
        if (ref_only) {
            if (dump_read_types(argv[a], types, sizeof(types)) < 0)
                return 2;
        }
        int decoded = 0;
        nr_pool *pool = nr_pool_new(NULL);
        nr_estimate e;
        int restarted, rc = 0, frames = 0, found = 0, dipping = 0, measured = 0, remeasured = 0;
        double fdips[256];
        int first_right = -1, wrong_frames = 0;
        char wrong_at[160] = "";
        while (frames < max_frames && (rc = dump_read_frame(f, &e, &restarted)) == 1) {
            if (ref_only && decoded < (int)sizeof(types) && types[decoded++] == 'B') {
                dump_free_frame(&e);
                continue;
            }
            if (restarted)
                nr_pool_reset(pool);
            nr_pool_add(pool, &e);
            frames++;
            if (prefix) {
                nr_estimate pr;
                nr_pool_result(pool, &pr);
                bool right = right_height(&pr, h.height);
                if (right && first_right < 0)
                    first_right = frames;
                if (!right && pr.verdict == NR_VERDICT_UPSCALED) {
                    size_t l = strlen(wrong_at);
                    if (!wrong_frames++)
                        ever_wrong++;
                    if (l + 16 < sizeof(wrong_at))
                        snprintf(wrong_at + l, sizeof(wrong_at) - l, " %d:%g", frames,
                                 corpus_est_height(&pr));
                }
                nr_estimate_free(&pr);
            }
            if (verbose)
                printf("  frame %2d: %-8s %7.2f conf %.2f crop %d,%d %dx%d codec %.2f/%.2f%s "
                       "dip at truth %.3f\n", frames - 1,
                       e.verdict == NR_VERDICT_UPSCALED ? "upscaled" :
                       e.verdict == NR_VERDICT_NATIVE ? "native" : "unsure",
                       e.verdict == NR_VERDICT_UPSCALED ? corpus_est_height(&e) : 0.0,
                       e.confidence, e.crop_x, e.crop_y, e.crop_w, e.crop_h, e.codec_grid[0],
                       e.codec_grid[1], restarted ? " RESTART" : "",
                       h.height > 0 && e.num_height_curves ?
                       frame_dip_near(e.height_curves, e.num_height_curves, h.height, 1.01) : NAN);
            if (h.height > 0 && e.num_height_curves) {
                double d = frame_dip_near(e.height_curves, e.num_height_curves, h.height, 1.01);
                if (isfinite(d) && measured < 256)
                    fdips[measured++] = d;
                dipping += d < 0.9;
                found += right_height(&e, h.height);
                /* the frame re-measured the truth (its clearest sweep dips,
                 * on 4x the lines) and it dipped there */
                bool fine = false;
                for (int i = 0; i < e.num_height_candidates; i++)
                    fine |= fabs(e.height_candidates[i].size - h.height) <= 1.01 &&
                            1 - e.height_candidates[i].score < 0.9;
                remeasured += fine;
            }
            dump_free_frame(&e);
        }
        fclose(f);
        if (rc < 0) {
            fprintf(stderr, "short file %s\n", argv[a]);
            return 2;
        }
        nr_estimate r;
        nr_pool_result(pool, &r);
        int more = std >= 0 && a - first >= std, nat = h.height <= 0;
        int col = r.verdict == NR_VERDICT_UPSCALED ? (right_height(&r, h.height) ? 0 : 1)
                  : r.verdict == NR_VERDICT_NATIVE ? 2 : 3;
        t[more][nat][col]++;
        char truth[48];
        if (nat)
            snprintf(truth, sizeof(truth), "native");
        else
            snprintf(truth, sizeof(truth), "%g %s", h.height,
                     h.kernel >= 0 && h.kernel < NK ? kernel_names[h.kernel] : "?");
        char v[64];
        if (r.verdict == NR_VERDICT_UPSCALED)
            snprintf(v, sizeof(v), "%g", corpus_est_height(&r));
        else
            snprintf(v, sizeof(v), "%s", r.verdict == NR_VERDICT_NATIVE ? "native" : "unsure");
        printf("%-32s crf %d %-22s -> %-8s %s\n", h.name, h.crf, truth, v, r.reason);
        if (prefix && (first_right > 0 || wrong_frames))
            printf("    after each frame: right from frame %d%s%s\n", first_right,
                   wrong_frames ? ", pooled wrong at (frame:height)" : "", wrong_at);
        if (!nat && r.num_height_curves) {
            double ty, sp, tyw, spw;
            scatter(r.height_curves, r.num_height_curves, &ty, &sp);
            scatter(r.width_curves, r.num_width_curves, &tyw, &spw);
            double aspect = r.crop_h ? (double)r.crop_w / r.crop_h : 16.0 / 9;
            double dh = dip_near(r.height_curves, r.num_height_curves, h.height, 1.01);
            double dw = dip_near(r.width_curves, r.num_width_curves, h.height * aspect, 2.01);
            qsort(fdips, (size_t)measured, sizeof(double), cmp_double);
            printf("    truth: pooled dip h %.3f (z %.1f) w %.3f (z %.1f); frames dip<0.9 %d/%d, "
                   "found %d, re-measured dipping %d; frame dips median %.3f\n",
                   dh, (ty - dh) / sp, dw, (tyw - dw) / spw, dipping, measured, found, remeasured,
                   measured ? fdips[measured / 2] : NAN);
        }
        nr_estimate_free(&r);
        nr_pool_free(pool);
    }
    for (int m = 0; m < 2; m++) {
        if (m && std < 0)
            break;
        printf("%s: upscaled %d: %d right, %d wrong, %d native, %d unsure; native %d: %d "
               "upscaled, %d native, %d unsure\n", std < 0 ? "all" : m ? "more-clips" : "standard",
               t[m][0][0] + t[m][0][1] + t[m][0][2] + t[m][0][3], t[m][0][0], t[m][0][1],
               t[m][0][2], t[m][0][3], t[m][1][0] + t[m][1][1] + t[m][1][2] + t[m][1][3],
               t[m][1][1] + t[m][1][0], t[m][1][2], t[m][1][3]);
    }
    if (prefix)
        printf("clips pooled to a wrong height (or native to a height) after some frame: %d\n",
               ever_wrong);
    return 0;
}
