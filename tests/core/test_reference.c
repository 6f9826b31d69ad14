/* Conformance with the real descale plugin: every case of
 * tests/data/descale/cases.tsv through nr_descale / nr_upscale, max abs
 * error <= 2e-6 against the plugin's float output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "refdata.h"

#define TOLERANCE 2e-6

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATADIR\n", argv[0]);
        return 2;
    }
    char path[1024];
    ref_case cases[64];
    snprintf(path, sizeof(path), "%s/cases.tsv", argv[1]);
    int n = read_cases(path, cases, 64, argv[1]);
    if (n <= 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    int failures = 0;
    for (int i = 0; i < n; i++) {
        ref_case *c = &cases[i];
        plane in, ref;
        snprintf(path, sizeof(path), "%s/%s", argv[1], c->input);
        if (read_pgm(path, &in) < 0) {
            fprintf(stderr, "cannot read %s\n", path);
            return 1;
        }
        snprintf(path, sizeof(path), "%s/%s", argv[1], c->output);
        if (read_pfm(path, &ref) < 0) {
            fprintf(stderr, "cannot read %s\n", path);
            return 1;
        }
        nr_scale s = c->scale;
        bool descale = c->op[0] == 'd';
        if (descale) {
            s.full_w = in.w;
            s.full_h = in.h;
        } else {
            s.native_w = in.w;
            s.native_h = in.h;
            /* the table lists the default upscale window as the output
             * size; the plugin's default is the whole input image */
            if (s.win_width == s.full_w && s.win_left == 0)
                s.win_width = 0;
            if (s.win_height == s.full_h && s.win_top == 0)
                s.win_height = 0;
        }
        float *out = malloc(sizeof(float) * (size_t)ref.w * ref.h);
        int r = descale ? nr_descale(&s, in.data, in.w, out, ref.w)
                        : nr_upscale(&s, in.data, in.w, out, ref.w);
        double max_err = INFINITY;
        if (r == 0 && (descale ? s.native_w : s.full_w) == ref.w &&
            (descale ? s.native_h : s.full_h) == ref.h) {
            max_err = 0;
            for (size_t k = 0; k < (size_t)ref.w * ref.h; k++)
                max_err = fmax(max_err, fabs((double)out[k] - ref.data[k]));
        }
        bool ok = max_err <= TOLERANCE;
        failures += !ok;
        printf("%-4s %-8s %-40s max abs error %.3g\n", ok ? "ok" : "FAIL", c->op, c->output, max_err);
        free(out);
        plane_free(&in);
        plane_free(&ref);
    }
    printf("%d of %d reference cases within %g\n", n - failures, n, TOLERANCE);
    return failures ? 1 : 0;
}
