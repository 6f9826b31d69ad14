/*
 * Chroma reconstruction (nr_chroma_reconstruct): geometry, exactness where
 * luma explains chroma, no overshoot, no luma-driven detail where luma says
 * nothing, parameter checks, and the quality target on synthetic 4:2:0
 * frames (>= +1.5 dB chroma PSNR over spline36 interpolation, never worse
 * than plain interpolation), and back-projection (the output subsampled
 * again comes closer to the coded chroma, and closer to the truth); the
 * learned residual: its table parser (the built-in table, error paths), the
 * order of its inputs (a hand-made one-unit table), and that the built-in
 * table gains on held-out synthetic frames.
 */
#include "chroma_frames.h"
#include "chroma_operator.h"
#include "cpu_cscale.h"
#include "nativeres.h"
#include "nativeres_chroma.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); printf("\n"); } } while (0)

enum { W = 256, H = 128, CW = W / 2, CH = H / 2 };

/* Two colours (chroma a, b; lumas ya, yb) mixed by a smooth blob mask: chroma
 * is an exact affine function of luma everywhere. */
static void two_colour(float *y, float *c, double ya, double yb, double a, double b)
{
    for (int j = 0; j < H; j++)
        for (int i = 0; i < W; i++) {
            double d = hypot(i + 0.5 - W * 0.4, (j + 0.5 - H * 0.5) * 1.7) - H * 0.3;
            double m = fmin(fmax(0.5 - d / 1.5, 0), 1);   /* ~1.5 px soft edge */
            m = fmax(m, (i / 7 + j / 9) % 5 == 0 ? 1.0 : 0.0);   /* and hard blocks */
            y[j * W + i] = (float)(ya + (yb - ya) * m);
            c[j * W + i] = (float)(a + (b - a) * m);
        }
}

static void test_geometry(void)
{
    /* a chroma ramp survives subsampling and reconstruction at the right
     * positions (left siting), luma flat: pure interpolation path */
    float *y = malloc(sizeof(float) * W * H), *c = malloc(sizeof(float) * W * H);
    float *cs = malloc(sizeof(float) * CW * CH), *o1 = malloc(sizeof(float) * W * H),
          *o2 = malloc(sizeof(float) * W * H);
    for (int j = 0; j < H; j++)
        for (int i = 0; i < W; i++) {
            y[j * W + i] = 0.5f;
            c[j * W + i] = (float)(0.2 + 0.5 * (i + 0.5) / W + 0.2 * (j + 0.5) / H);
        }
    chroma_subsample_left(c, W, H, cs);
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    CHECK(nr_chroma_reconstruct(&p, y, W, W, H, cs, cs, CW, CW, CH, o1, o2, W) == 0,
          "reconstruct failed");
    double worst = 0;
    for (int j = 4; j < H - 4; j++)
        for (int i = 4; i < W - 4; i++)
            worst = fmax(worst, fabs(o1[j * W + i] - c[j * W + i]));
    printf("geometry: ramp max error %.2e\n", worst);
    /* the cubic under the fit (B = 0, C = 0.9: not Catmull-Rom's 0.5, so a
     * ramp gets a small ripple) reproduces this ramp within 2.4e-4; a siting
     * error of a quarter chroma pixel costs ~1e-3 */
    CHECK(worst < 4e-4, "ramp not reproduced (siting wrong?): %.3g", worst);
    free(y); free(c); free(cs); free(o1); free(o2);
}

static void test_two_colours(void)
{
    float *y = malloc(sizeof(float) * W * H), *c = malloc(sizeof(float) * W * H);
    float *cs = malloc(sizeof(float) * CW * CH), *o = malloc(sizeof(float) * W * H),
          *o2 = malloc(sizeof(float) * W * H), *base = malloc(sizeof(float) * W * H);
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    /* luma explains chroma: near exact */
    two_colour(y, c, 0.3, 0.8, 0.7, 0.35);
    chroma_subsample_left(c, W, H, cs);
    nr_chroma_reconstruct(&p, y, W, W, H, cs, cs, CW, CW, CH, o, o2, W);
    cpu_cscale("spline36", &p, cs, CW, CH, base, W, H);
    double ours = chroma_psnr(o, c, W, H), spline = chroma_psnr(base, c, W, H);
    double lo = 1, hi = 0;
    for (int i = 0; i < W * H; i++) {
        lo = fmin(lo, o[i]);
        hi = fmax(hi, o[i]);
    }
    printf("two colours: PSNR ours %.2f dB, spline36 %.2f dB, range [%.4f, %.4f]\n", ours,
           spline, lo, hi);
    CHECK(ours > spline + 10 && ours > 45, "two-colour picture not reconstructed");
    CHECK(lo >= 0.35 - 1e-6 && hi <= 0.7 + 1e-6, "overshoot: [%g, %g]", lo, hi);

    /* isoluminant: luma is flat, so the output is plain (clamped) cubic
     * interpolation: no worse than spline36 */
    two_colour(y, c, 0.5, 0.5, 0.7, 0.35);
    chroma_subsample_left(c, W, H, cs);
    nr_chroma_reconstruct(&p, y, W, W, H, cs, cs, CW, CW, CH, o, o2, W);
    double ours_iso = chroma_psnr(o, c, W, H);
    cpu_cscale("spline36", &p, cs, CW, CH, base, W, H);
    double spline_iso = chroma_psnr(base, c, W, H);
    lo = 1;
    hi = 0;
    for (int i = 0; i < W * H; i++) {
        lo = fmin(lo, o[i]);
        hi = fmax(hi, o[i]);
    }
    printf("isoluminant: PSNR ours %.2f dB, spline36 %.2f dB, range [%.4f, %.4f]\n", ours_iso,
           spline_iso, lo, hi);
    CHECK(ours_iso >= spline_iso - 0.01, "isoluminant edge worse than interpolation");
    CHECK(lo >= 0.35 - 1e-6 && hi <= 0.7 + 1e-6, "isoluminant overshoot: [%g, %g]", lo, hi);
    free(y); free(c); free(cs); free(o); free(o2); free(base);
}

static void test_errors(void)
{
    float buf[64 * 64];
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    CHECK(nr_chroma_reconstruct(NULL, buf, 16, 16, 16, buf, buf, 8, 8, 8, buf, buf, 16) < 0,
          "NULL params accepted");
    p.radius = 0;
    CHECK(nr_chroma_reconstruct(&p, buf, 16, 16, 16, buf, buf, 8, 8, 8, buf, buf, 16) < 0,
          "radius 0 accepted");
    nr_chroma_params_default(&p);
    p.corr_hi = p.corr_lo;
    CHECK(nr_chroma_reconstruct(&p, buf, 16, 16, 16, buf, buf, 8, 8, 8, buf, buf, 16) < 0,
          "empty correlation ramp accepted");
    nr_chroma_params_default(&p);
    CHECK(nr_chroma_reconstruct(&p, buf, 16, 8, 8, buf, buf, 16, 16, 16, buf, buf, 16) < 0,
          "guide smaller than chroma accepted");
    p.backproject = -0.5;
    CHECK(nr_chroma_reconstruct(&p, buf, 16, 16, 16, buf, buf, 8, 8, 8, buf, buf, 16) < 0,
          "negative back-projection gain accepted");
    p.backproject = NAN;
    CHECK(nr_chroma_reconstruct(&p, buf, 16, 16, 16, buf, buf, 8, 8, 8, buf, buf, 16) < 0,
          "NaN back-projection gain accepted");
}

/* Back-projection: with it, the output's own 4:2:0 subsampling is nearer
 * the coded chroma (the residual it adds is what the prediction's footprint
 * averages missed), and the output nearer the truth, than without. */
static void test_backprojection(void)
{
    chroma_frame f;
    if (!chroma_frame_synth(&f, 13, "bilinear")) {
        CHECK(0, "cannot make a synthetic frame");
        return;
    }
    size_t px = (size_t)f.w * f.h, cpx = (size_t)f.cw * f.ch;
    float *a = malloc(px * sizeof(float)), *b = malloc(px * sizeof(float));
    float *sub = malloc(cpx * sizeof(float));
    double resid[2], psnr[2];
    for (int k = 0; k < 2; k++) {
        nr_chroma_params p;
        nr_chroma_params_default(&p);
        p.backproject = k;
        nr_chroma_reconstruct(&p, f.y, f.w, f.w, f.h, f.cb, f.cr, f.cw, f.cw, f.ch, a, b, f.w);
        chroma_subsample_left(a, f.w, f.h, sub);
        double e = 0;
        for (size_t i = 0; i < cpx; i++)
            e += (sub[i] - f.cb[i]) * (double)(sub[i] - f.cb[i]);
        resid[k] = sqrt(e / cpx);
        psnr[k] = (chroma_psnr(a, f.cb_true, f.w, f.h) + chroma_psnr(b, f.cr_true, f.w, f.h)) / 2;
    }
    printf("back-projection: Cb subsampling residual RMS %.2e -> %.2e, PSNR %.2f -> %.2f dB\n",
           resid[0], resid[1], psnr[0], psnr[1]);
    CHECK(resid[1] < 0.8 * resid[0], "back-projection leaves the residual at %.3g of %.3g",
          resid[1], resid[0]);
    CHECK(psnr[1] > psnr[0] + 0.2, "back-projection gains %.2f dB only", psnr[1] - psnr[0]);
    free(a); free(b); free(sub);
    chroma_frame_free(&f);
}

/* The studio operator (p.studio): its rows are the 4:2:0 average of the
 * studio's upscale (exact against nr_upscale + the frames' subsampling),
 * it changes nothing where the guide is the coded frame's own grid, and on
 * a descaled plane it gains over the footprint. */
static void test_studio_operator(void)
{
    chroma_frame f;
    if (!chroma_frame_synth(&f, 13, "catrom")) {
        CHECK(0, "cannot make a synthetic frame");
        return;
    }
    int nw = f.native_w, nh = f.native_h;
    nr_kernel k;
    nr_kernel_parse(f.kernel, &k);
    nr_scale s = { .kernel = k, .full_w = f.w, .full_h = f.h, .native_w = nw, .native_h = nh };
    size_t px = (size_t)f.w * f.h, npx = (size_t)nw * nh, cpx = (size_t)f.cw * f.ch;
    float *up = malloc(px * sizeof(float)), *sub = malloc(cpx * sizeof(float));
    float *op = malloc(cpx * sizeof(float)), *g = malloc(npx * sizeof(float));
    float *a = malloc(px * sizeof(float)), *b = malloc(px * sizeof(float));
    float *a2 = malloc(px * sizeof(float)), *b2 = malloc(px * sizeof(float));
    nr_area_axis ah, av;
    CHECK(nr_chroma_operator_axis(&ah, &k, nw, f.w, f.cw, -0.25) == 0 &&
          nr_chroma_operator_axis(&av, &k, nh, f.h, f.ch, 0) == 0, "operator rows not built");
    nr_upscale(&s, f.ncb, nw, up, f.w);
    chroma_subsample_left(up, f.w, f.h, sub);
    nr_area_apply(&ah, &av, f.ncb, nw, op, f.cw);
    double worst = 0;
    for (size_t i = 0; i < cpx; i++)
        worst = fmax(worst, fabs(op[i] - sub[i]));
    printf("studio operator: max %.2e off the subsampled upscale\n", worst);
    CHECK(worst < 1e-5, "studio operator %.3g off the subsampled upscale", worst);
    nr_area_axis_free(&ah);
    nr_area_axis_free(&av);

    /* the delivered size: the operator is the footprint, bit for bit */
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    nr_chroma_reconstruct(&p, f.y, f.w, f.w, f.h, f.cb, f.cr, f.cw, f.cw, f.ch, a, b, f.w);
    p.studio = &k;
    nr_chroma_reconstruct(&p, f.y, f.w, f.w, f.h, f.cb, f.cr, f.cw, f.cw, f.ch, a2, b2, f.w);
    CHECK(!memcmp(a, a2, px * sizeof(float)) && !memcmp(b, b2, px * sizeof(float)),
          "the studio operator changes the delivered-size output");

    /* the native rows: luma descaled, chroma to it, against the native chroma */
    nr_descale(&s, f.y, f.w, g, nw);
    double psnr[2];
    for (int e = 0; e < 2; e++) {
        p.studio = e ? &k : NULL;
        CHECK(nr_chroma_reconstruct(&p, g, nw, nw, nh, f.cb, f.cr, f.cw, f.cw, f.ch, a, b, nw) == 0,
              "native reconstruction failed");
        psnr[e] = (chroma_psnr(a, f.ncb, nw, nh) + chroma_psnr(b, f.ncr, nw, nh)) / 2;
    }
    printf("studio operator, %s native: %.2f -> %.2f dB\n", f.name, psnr[0], psnr[1]);
    CHECK(psnr[1] > psnr[0] + 0.2, "the studio operator gains %.2f dB only", psnr[1] - psnr[0]);
    free(up); free(sub); free(op); free(g); free(a); free(b); free(a2); free(b2);
    chroma_frame_free(&f);
}

static void test_synthetic_frames(void)
{
    const char *kernels[] = { NULL, "catrom" };
    double gain = 0;
    int n = 0;
    for (int k = 0; k < 2; k++) {
        chroma_frame f;
        if (!chroma_frame_synth(&f, 11 + k, kernels[k])) {
            CHECK(0, "cannot make a synthetic frame");
            continue;
        }
        nr_chroma_params p;
        nr_chroma_params_default(&p);
        size_t px = (size_t)f.w * f.h;
        float *a = malloc(px * sizeof(float)), *b = malloc(px * sizeof(float));
        cpu_cscale("spline36", &p, f.cb, f.cw, f.ch, a, f.w, f.h);
        cpu_cscale("spline36", &p, f.cr, f.cw, f.ch, b, f.w, f.h);
        double s_cb = chroma_psnr(a, f.cb_true, f.w, f.h), s_cr = chroma_psnr(b, f.cr_true, f.w, f.h);
        nr_chroma_reconstruct(&p, f.y, f.w, f.w, f.h, f.cb, f.cr, f.cw, f.cw, f.ch, a, b, f.w);
        double o_cb = chroma_psnr(a, f.cb_true, f.w, f.h), o_cr = chroma_psnr(b, f.cr_true, f.w, f.h);
        printf("%s: Cb %.2f -> %.2f dB, Cr %.2f -> %.2f dB (spline36 -> ours)\n", f.name, s_cb,
               o_cb, s_cr, o_cr);
        CHECK(o_cb > s_cb && o_cr > s_cr, "%s: worse than spline36", f.name);
        gain += (o_cb - s_cb + o_cr - s_cr) / 2;
        n++;
        free(a); free(b);
        chroma_frame_free(&f);
    }
    printf("mean gain over spline36: %.2f dB\n", n ? gain / n : 0);
    CHECK(n == 2 && gain / n >= 1.5, "mean gain %.2f dB < 1.5 dB", n ? gain / n : 0);
}

/* a table text: 3x3 taps, hidden 4, the given first hidden row and output rows */
static void table_text(char *buf, size_t n, const char *row0, const char *out_cb,
                       const char *out_cr, double clip)
{
    const char *zero = "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0";
    snprintf(buf, n,
             "# test table\nnativeres-chroma-learned 1\ntaps 8\n-1 -1\n0 -1\n1 -1\n-1 0\n1 0\n"
             "-1 1\n0 1\n1 1\nhidden 4\n%s\n%s\n%s\n%s\noutput 2\n%s\n%s\nclip %g\n",
             row0, zero, zero, zero, out_cb, out_cr, clip);
}

static void test_learned(void)
{
    const nr_chroma_learned *b = nr_chroma_learned_builtin();
    CHECK(b && b->hidden >= 4 && b->hidden % 4 == 0, "the built-in learned table does not parse");
    nr_chroma_learned m;
    char text[4096], err[256];
    const char *zero = "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0";
    /* one unit: relu(dY of the right neighbour (tap 4, input 12)) x 0.5 into
     * Cb, and the bias 0.01 into Cr */
    char row0[256];
    snprintf(row0, sizeof(row0), "0%s 1%s", " 0 0 0 0 0 0 0 0 0 0 0 0", " 0 0 0 0 0 0 0 0 0 0 0");
    table_text(text, sizeof(text), row0, "0 0.5 0 0 0", "0.01 0 0 0 0", 1);
    CHECK(nr_chroma_learned_parse(text, &m, err, sizeof(err)) == 0, "hand table: %s", err);
    enum { LW = 8, LH = 3 };
    float y[LW * LH], cb[LW * LH], cr[LW * LH];
    for (int j = 0; j < LH; j++)
        for (int i = 0; i < LW; i++) {
            y[j * LW + i] = (float)(i * i) / 64;   /* rising right: dY > 0 */
            cb[j * LW + i] = cr[j * LW + i] = 0.5f;
        }
    CHECK(nr_chroma_learned_apply(&m, y, LW, LW, LH, cb, cr, LW) == 0, "apply failed");
    double worst = 0;
    for (int j = 0; j < LH; j++)
        for (int i = 0; i < LW; i++) {
            /* the last column repeats itself: no right neighbour, no detail */
            double right = i + 1 < LW ? (double)((i + 1) * (i + 1)) / 64 : (double)(i * i) / 64;
            double want = 0.5 + 0.5 * (right - (double)(i * i) / 64);
            worst = fmax(worst, fabs(cb[j * LW + i] - want));
            worst = fmax(worst, fabs(cr[j * LW + i] - 0.51));
        }
    CHECK(worst < 1e-6, "hand table: output off by %.3g (tap or input order?)", worst);
    /* error paths */
    /* the clip bounds the correction: 0.003 leaves Cr's 0.01 at 0.003 */
    table_text(text, sizeof(text), row0, "0 0.5 0 0 0", "0.01 0 0 0 0", 0.003);
    CHECK(nr_chroma_learned_parse(text, &m, err, sizeof(err)) == 0, "clipped table: %s", err);
    for (int i = 0; i < LW * LH; i++)
        cb[i] = cr[i] = 0.5f;
    nr_chroma_learned_apply(&m, y, LW, LW, LH, cb, cr, LW);
    worst = 0;
    for (int i = 0; i < LW * LH; i++)
        worst = fmax(worst, fmax(fabs(cb[i] - 0.5), fabs(cr[i] - 0.503)));
    CHECK(worst < 3.01e-3 && fabs(cr[0] - 0.503) < 1e-6, "clip 0.003 not applied (%.3g)", worst);
    table_text(text, sizeof(text), zero, "0 0 0 0 0", "0 0 0 0 0", 0.002);
    CHECK(nr_chroma_learned_parse(text, &m, err, sizeof(err)) == 0, "zero table: %s", err);
    char bad[sizeof(text) + 8];
    snprintf(bad, sizeof(bad), "%s0\n", text);
    CHECK(nr_chroma_learned_parse(bad, &m, err, sizeof(err)) < 0, "trailing text accepted");
    table_text(bad, sizeof(text), zero, "0 0 0 0", "0 0 0 0 0", 0.002);
    CHECK(nr_chroma_learned_parse(bad, &m, err, sizeof(err)) < 0, "short output row accepted");
    table_text(bad, sizeof(text), "nan 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "0 0 0 0 0",
               "0 0 0 0 0", 0.002);
    CHECK(nr_chroma_learned_parse(bad, &m, err, sizeof(err)) < 0, "NaN weight accepted");
    table_text(bad, sizeof(text), zero, "0 0 0 0 0", "0 0 0 0 0", 0);
    CHECK(nr_chroma_learned_parse(bad, &m, err, sizeof(err)) < 0, "clip 0 accepted");
    CHECK(nr_chroma_learned_parse("nativeres-chroma-learned 2\n", &m, err, sizeof(err)) < 0,
          "version 2 accepted");
    CHECK(nr_chroma_learned_parse(NULL, &m, err, sizeof(err)) < 0, "NULL table accepted");
    /* the built-in table (trained on real frames only) gains on synthetic
     * frames it never saw */
    if (!b)
        return;
    double gain = 0;
    int n = 0;
    for (int k = 0; k < 2; k++) {
        chroma_frame f;
        if (!chroma_frame_synth(&f, 31 + k, k ? "lanczos3" : NULL)) {
            CHECK(0, "cannot make a synthetic frame");
            continue;
        }
        size_t px = (size_t)f.w * f.h;
        float *a = malloc(px * sizeof(float)), *c = malloc(px * sizeof(float));
        double got[2];
        for (int l = 0; l < 2; l++) {
            nr_chroma_params p;
            nr_chroma_params_default(&p);
            p.learned = l ? b : NULL;
            nr_chroma_reconstruct(&p, f.y, f.w, f.w, f.h, f.cb, f.cr, f.cw, f.cw, f.ch, a, c, f.w);
            got[l] = (chroma_psnr(a, f.cb_true, f.w, f.h) + chroma_psnr(c, f.cr_true, f.w, f.h)) / 2;
        }
        printf("%s: %.2f -> %.2f dB with the learned residual\n", f.name, got[0], got[1]);
        gain += got[1] - got[0];
        n++;
        free(a); free(c);
        chroma_frame_free(&f);
    }
    CHECK(n == 2 && gain / n > 0.05, "learned residual: mean gain %.2f dB on synthetic frames",
          n ? gain / n : 0);
}

int main(void)
{
    test_geometry();
    test_two_colours();
    test_errors();
    test_synthetic_frames();
    test_backprojection();
    test_studio_operator();
    test_learned();
    if (failures)
        printf("%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
