/* Kernel names and values, the fractional-resolution rule and validation. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nativeres.h"

static int failures, checks;

#define CHECK(cond, ...) do { \
    checks++; \
    if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

static void check_fractional(double h, int nw, int nh, double left, double top, double ww, double wh)
{
    nr_scale s = { 0 };
    char err[256];
    int r = nr_scale_for_height(&s, 1920, 1080, h, 0, err, sizeof(err));
    CHECK(r == 0 && s.native_w == nw && s.native_h == nh && fabs(s.win_left - left) < 1e-9 &&
          fabs(s.win_top - top) < 1e-9 && fabs(s.win_width - ww) < 1e-9 &&
          fabs(s.win_height - wh) < 1e-9,
          "height %g -> %dx%d window %.12g,%.12g %.12gx%.12g", h, s.native_w, s.native_h,
          s.win_left, s.win_top, s.win_width, s.win_height);
}

int main(void)
{
    nr_kernel k;
    char name[32];
    /* every listed name parses and prints back a name that parses to the same kernel */
    for (const char *const *n = nr_kernel_names(); *n; n++) {
        nr_kernel again;
        CHECK(nr_kernel_parse(*n, &k), "cannot parse %s", *n);
        nr_kernel_name(&k, name, sizeof(name));
        CHECK(nr_kernel_parse(name, &again) && again.type == k.type && again.b == k.b &&
              again.c == k.c && (k.type != NR_KERNEL_LANCZOS || again.taps == k.taps),
              "%s -> %s does not round-trip", *n, name);
    }
    CHECK(!nr_kernel_parse("bogus", &k) && !nr_kernel_parse("lanczos0", &k) &&
          !nr_kernel_parse("lanczos3x", &k) && !nr_kernel_parse(NULL, &k), "bad names accepted");
    nr_kernel_parse("MITCHELL", &k);
    CHECK(k.type == NR_KERNEL_BICUBIC && fabs(k.b - 1.0 / 3) < 1e-15 && strcmp(nr_kernel_name(&k, name, sizeof(name)), "mitchell") == 0,
          "mitchell parameters");
    nr_kernel_parse("lanczos", &k);
    CHECK(k.taps == 3 && nr_kernel_support(&k) == 3, "lanczos defaults to 3 taps");
    k.blur = 1.5;
    CHECK(nr_kernel_support(&k) == 5, "support = ceil(taps * blur)");
    /* kernel values: interpolating kernels are 1 at 0 and 0 at integers */
    static const char *interp[] = { "bilinear", "catrom", "lanczos3", "spline16", "spline36", "spline64" };
    for (size_t i = 0; i < sizeof(interp) / sizeof(interp[0]); i++) {
        nr_kernel_parse(interp[i], &k);
        CHECK(fabs(nr_kernel_eval(&k, 0) - 1) < 1e-12 && fabs(nr_kernel_eval(&k, 1)) < 1e-12 &&
              fabs(nr_kernel_eval(&k, 2)) < 1e-12, "%s is not interpolating", interp[i]);
    }
    nr_kernel_parse("mitchell", &k);
    CHECK(fabs(nr_kernel_eval(&k, 0) - 8.0 / 9) < 1e-12 && fabs(nr_kernel_eval(&k, 1) - 1.0 / 18) < 1e-12,
          "mitchell values");

    /* the fractional rule (values of the reference cases and getfnative) */
    check_fractional(719.5, 1280, 720, 0.4444444444444444, 0.25, 1279.1111111111111, 719.5);
    check_fractional(873.5, 1554, 874, (1554 - 873.5 * 16 / 9) / 2, 0.25, 873.5 * 16 / 9, 873.5);
    check_fractional(843.75, 1500, 844, 0, 0.125, 1500, 843.75);
    check_fractional(720, 1280, 720, 0, 0, 0, 0);
    check_fractional(844, 1500, 844, 0, 0, 0, 0);   /* 1500.44 -> even 1500 */
    check_fractional(957, 1702, 957, 0, 0, 0, 0);   /* 1701.33 -> 1702 */
    nr_scale s = { 0 };
    char err[256] = "";
    CHECK(nr_scale_for_height(&s, 1920, 1080, 7.5, 0, err, sizeof(err)) < 0 && *err, "height < 8 accepted");
    CHECK(nr_scale_for_height(&s, 1920, 1080, 1081, 0, err, sizeof(err)) < 0, "height > source accepted");
    CHECK(nr_scale_for_height(&s, 1920, 1080, NAN, 0, err, sizeof(err)) < 0, "NaN accepted");

    /* validation */
    nr_scale good = { .full_w = 1920, .full_h = 1080, .native_w = 1280, .native_h = 720 };
    nr_kernel_parse("bilinear", &good.kernel);
    CHECK(nr_scale_validate(&good, err, sizeof(err)) == 0, "valid scale rejected: %s", err);
    struct { const char *what; nr_scale s; } bad[] = {
        { "native > full", good }, { "native < 8", good }, { "window outside", good },
        { "negative window", good }, { "NaN window", good }, { "taps 0", good }, { "blur 0", good },
    };
    bad[0].s.native_w = 1921;
    bad[1].s.native_h = 7;
    bad[2].s.win_left = 1, bad[2].s.win_width = 1280;
    bad[3].s.win_top = -0.5;
    bad[4].s.win_height = NAN;
    bad[5].s.kernel.type = NR_KERNEL_LANCZOS, bad[5].s.kernel.taps = 0;
    bad[6].s.kernel.blur = 0;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = 0;
        CHECK(nr_scale_validate(&bad[i].s, err, sizeof(err)) < 0 && *err, "%s accepted", bad[i].what);
        float dummy[64];
        CHECK(nr_descale(&bad[i].s, dummy, 8, dummy, 8) < 0, "nr_descale ran with %s", bad[i].what);
    }
    printf("%d of %d checks passed\n", checks - failures, checks);
    return failures ? 1 : 0;
}
