#define _POSIX_C_SOURCE 200809L /* strndup */
/*
 * test-hq-table: the upscaler's parameter table and CPU reference.
 *  - the table's "# check-out" line (what the training code's network
 *    outputs on a fixed pattern) equals nr_upscaler_run2x within 2e-5;
 *  - the built-in table is the file in presets/ (same outputs);
 *  - broken tables are refused with a reason (no crash, no partial model).
 *
 *   test-hq-table presets/hq-upscaler-v6.txt
 */
#include "nativeres_upscaler.h"
#include "read_text.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } } while (0)

/* Compares run2x on the check pattern with the table's check-out line. */
static void check_outputs(const nr_upscaler *m, const char *text, const char *what)
{
    const char *sz = strstr(text, "# check-size ");
    const char *out = strstr(text, "# check-out ");
    int w = 0, h = 0;
    CHECK(sz && out && sscanf(sz, "# check-size %d %d", &w, &h) == 2 && w > 0 && h > 0,
          "%s: no check lines in the table", what);
    if (failures)
        return;
    float *in = malloc(sizeof(float) * w * h), *got = malloc(sizeof(float) * 4 * w * h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            in[y * w + x] = (float)((37 * x + 61 * y) % 97) / 96.0f;
    CHECK(nr_upscaler_run2x(m, in, w, w, h, got, 2 * w) == 0, "%s: run2x failed", what);
    const char *p = out + strlen("# check-out ");
    double worst = 0;
    for (int i = 0; i < 4 * w * h; i++) {
        char *end;
        double want = strtod(p, &end);
        CHECK(end != p, "%s: check-out has too few values", what);
        if (end == p)
            break;
        p = end;
        worst = fmax(worst, fabs(want - got[i]));
    }
    printf("%s: C reference vs training code on the check pattern: max |diff| %.3g\n", what, worst);
    CHECK(worst <= 2e-5, "%s: C reference differs from the training code by %.3g", what, worst);
    free(in);
    free(got);
}

/* The mirrored network is the network run on the mirrored plane: on an
 * asymmetric pattern, run2x(mirror(m), x) = flip(run2x(m, flip(x))); and
 * the mirror mean is their mean. */
static void check_mirror(const nr_upscaler *m)
{
    enum { W = 23, H = 17 };
    static float in[W * H], flipped[W * H], a[4 * W * H], b[4 * W * H], mean[4 * W * H];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            in[y * W + x] = (float)(0.5 + 0.4 * sin(0.7 * x + 0.3 * y * y) * (x < 9 ? 1.0 : 0.3));
            flipped[y * W + (W - 1 - x)] = in[y * W + x];
        }
    nr_upscaler *mm = nr_upscaler_mirror(m);
    CHECK(mm != NULL, "nr_upscaler_mirror failed");
    if (!mm)
        return;
    CHECK(nr_upscaler_run2x(mm, in, W, W, H, a, 2 * W) == 0 &&
          nr_upscaler_run2x(m, flipped, W, W, H, b, 2 * W) == 0, "run2x failed");
    double worst = 0, differs = 0;
    for (int y = 0; y < 2 * H; y++)
        for (int x = 0; x < 2 * W; x++) {
            double d = fabs(a[y * 2 * W + x] - b[y * 2 * W + (2 * W - 1 - x)]);
            worst = d > worst ? d : worst;
            differs = fmax(differs, fabs(a[y * 2 * W + x] - b[y * 2 * W + x]));
        }
    CHECK(worst <= 1e-5, "mirrored network differs from the flipped run by %.3g", worst);
    CHECK(differs > 1e-3, "the test pattern is too symmetric to tell (%.3g)", differs);
    double flip_worst = worst;
    const nr_upscaler *pair[2] = { m, mm };
    CHECK(nr_upscaler_run2x_mean(pair, 2, in, W, W, H, mean, 2 * W) == 0 &&
          nr_upscaler_run2x(m, in, W, W, H, b, 2 * W) == 0, "mirror mean failed");
    worst = 0;
    for (int i = 0; i < 4 * W * H; i++)
        worst = fmax(worst, fabs(mean[i] - 0.5 * (a[i] + b[i])));
    CHECK(worst <= 1e-6, "mirror mean is not the mean (%.3g)", worst);
    printf("mirror: the mirrored network equals the flipped run to %.2g\n", flip_worst);
    nr_upscaler_free(mm);
}

/* The polarity inverse is the network seen through 1 - x on both sides:
 * run2x(invert(m), x) = 1 - run2x(m, 1 - x); the ensemble's third member is
 * the mirror of it, and the ensemble of 3 is the mean of the three runs. */
static void check_invert(const nr_upscaler *m)
{
    enum { W = 23, H = 17 };
    static float in[W * H], neg[W * H], a[4 * W * H], b[4 * W * H], c[4 * W * H],
        mean[4 * W * H];
    for (int i = 0; i < W * H; i++) {
        int x = i % W, y = i / W;
        in[i] = (float)(0.3 + 0.6 * (((x / 3 + y / 4) & 1) ? 1.0 : 0.0) * (y < 11 ? 1.0 : 0.4));
        neg[i] = 1.0f - in[i];
    }
    nr_upscaler *inv = nr_upscaler_invert(m);
    CHECK(inv != NULL, "nr_upscaler_invert failed");
    if (!inv)
        return;
    CHECK(nr_upscaler_run2x(inv, in, W, W, H, a, 2 * W) == 0 &&
          nr_upscaler_run2x(m, neg, W, W, H, b, 2 * W) == 0 &&
          nr_upscaler_run2x(m, in, W, W, H, c, 2 * W) == 0, "run2x failed");
    double worst = 0, differs = 0;
    for (int i = 0; i < 4 * W * H; i++) {
        worst = fmax(worst, fabs(a[i] - (1.0 - b[i])));
        differs = fmax(differs, fabs(a[i] - c[i]));
    }
    CHECK(worst <= 1e-5, "the inverse network differs from 1 - run(1 - x) by %.3g", worst);
    CHECK(differs > 1e-3, "the network is polarity-symmetric on the pattern (%.3g): "
          "the check cannot tell", differs);
    printf("invert: the inverse network equals 1 - run(1 - x) to %.2g "
           "(and differs from the network by up to %.3g)\n", worst, differs);
    nr_upscaler_ensemble e;
    CHECK(nr_upscaler_ensemble_init(&e, m, 3) == 0 && e.n == 3, "ensemble of 3 failed");
    CHECK(nr_upscaler_ensemble_init(&e, m, 4) < 0 && e.n == 0, "an ensemble of 4 was accepted");
    CHECK(nr_upscaler_ensemble_init(&e, m, 3) == 0, "ensemble of 3 failed");
    nr_upscaler *mi = nr_upscaler_mirror(inv);
    CHECK(mi && nr_upscaler_run2x(e.net[1], in, W, W, H, a, 2 * W) == 0 &&
          nr_upscaler_run2x(mi, in, W, W, H, b, 2 * W) == 0 &&
          nr_upscaler_run_mean(e.net, e.n, in, W, W, H, mean, 2 * W, 2 * W, 2 * H) == 0,
          "ensemble run failed");
    worst = 0;
    for (int i = 0; i < 4 * W * H; i++)
        worst = fmax(worst, fabs(mean[i] - (c[i] + a[i] + b[i]) / 3.0));
    CHECK(worst <= 1e-6, "the ensemble of 3 is not the mean of m, its mirror and its mirrored "
          "inverse (%.3g)", worst);
    nr_upscaler_free(mi);
    nr_upscaler_ensemble_free(&e);
    nr_upscaler_free(inv);
}

static bool same_model(const nr_upscaler *a, const nr_upscaler *b)
{
    if (a->layers != b->layers || a->skip_size != b->skip_size ||
        memcmp(a->skip_bias, b->skip_bias, sizeof(a->skip_bias)) ||
        memcmp(a->skip_weight, b->skip_weight, sizeof(float) * 4 * a->skip_size * a->skip_size))
        return false;
    for (int i = 0; i < a->layers; i++) {
        const nr_upscaler_layer *x = &a->layer[i], *y = &b->layer[i];
        if (x->in != y->in || x->out != y->out || x->relu != y->relu ||
            memcmp(x->weight, y->weight, sizeof(float) * 9 * x->in * x->out) ||
            memcmp(x->bias, y->bias, sizeof(float) * x->out))
            return false;
    }
    return true;
}

/* A broken variant of the table must be refused with a reason. */
static void expect_refused(const char *text, const char *what)
{
    char err[256] = "";
    nr_upscaler *m = nr_upscaler_parse(text, err, sizeof(err));
    CHECK(!m && err[0], "broken table accepted: %s", what);
    printf("refused (%s): %s\n", what, err);
    nr_upscaler_free(m);
}

static char *replace_first(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        return NULL;
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *r = malloc(n);
    snprintf(r, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return r;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test-hq-table TABLE\n");
        return 2;
    }
    char *text = nr_read_text(argv[1]);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    char err[256];
    nr_upscaler *m = nr_upscaler_load(argv[1], err, sizeof(err));
    CHECK(m != NULL, "table refused: %s", err);
    if (!m)
        return 1;
    printf("%s: %d layers, %d features, %zu parameters\n", m->name, m->layers,
           m->layer[0].out, nr_upscaler_params(m));
    check_outputs(m, text, "file");
    const nr_upscaler *b = nr_upscaler_builtin();
    CHECK(b && same_model(b, m), "the built-in table is not %s", argv[1]);
    if (b)
        check_outputs(b, text, "built-in");
    check_mirror(m);
    check_invert(m);

    /* broken tables */
    expect_refused("", "empty");
    expect_refused("nativeres-upscaler 2\n", "unknown version");
    char *t;
    if ((t = replace_first(text, "\nlayers ", "\nlayers 1"))) { expect_refused(t, "layers 1x"); free(t); }
    if ((t = replace_first(text, "conv 1 ", "conv 2 "))) { expect_refused(t, "first layer 2 inputs"); free(t); }
    if ((t = replace_first(text, "skip 5", "skip 4"))) { expect_refused(t, "even skip size"); free(t); }
    if ((t = replace_first(text, "relu\n", "relu\n1 2 3\n"))) { expect_refused(t, "short row"); free(t); }
    if ((t = replace_first(text, "relu\n", "relu\nnan "))) { expect_refused(t, "nan weight"); free(t); }
    const char *skip = strstr(text, "skip ");
    if (skip) {
        t = strndup(text, (size_t)(skip - text));
        expect_refused(t, "no skip filter");
        free(t);
    }
    size_t n = strlen(text);
    t = malloc(n + 16);
    snprintf(t, n + 16, "%sconv 4 4 none\n", text);
    expect_refused(t, "text after the end");
    free(t);
    char err2[256] = "";
    CHECK(!nr_upscaler_load("/nonexistent/table.txt", err2, sizeof(err2)) && err2[0],
          "missing file accepted");
    printf("refused (missing file): %s\n", err2);

    nr_upscaler_free(m);
    free(text);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
