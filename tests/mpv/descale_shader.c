/*
 * nr-mpv-descale-shader: writes a descale shader with libnativeres'
 * nr_glsl_descale. Only built while the project's generator (nativeres-gen)
 * is missing from the build, so the end-to-end tests can still run; it takes
 * the same flags as `nativeres-gen descale` that the tests use:
 *   --source-width SW --source-height SH --height H --width W --kernel NAME
 *   [--src-left X --src-top Y --src-width W --src-height H] -o FILE
 */
#include "nativeres_glsl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double number(const char *flag, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end) {
        fprintf(stderr, "nr-mpv-descale-shader: %s: not a number '%s'\n", flag, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    int sw = 1920, sh = 1080;
    double height = 0, width = 0, win[4] = { 0 };
    bool has_win[4] = { false };
    const char *kernel = NULL, *out = NULL;
    static const char *const win_flags[4] = { "--src-left", "--src-top", "--src-width", "--src-height" };
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *f = argv[i], *v = argv[i + 1];
        if (!strcmp(f, "--source-width")) sw = (int)number(f, v);
        else if (!strcmp(f, "--source-height")) sh = (int)number(f, v);
        else if (!strcmp(f, "--height")) height = number(f, v);
        else if (!strcmp(f, "--width")) width = number(f, v);
        else if (!strcmp(f, "--kernel")) kernel = v;
        else if (!strcmp(f, "-o")) out = v;
        else {
            int w = 0;
            while (w < 4 && strcmp(f, win_flags[w]))
                w++;
            if (w == 4) {
                fprintf(stderr, "nr-mpv-descale-shader: unknown flag '%s'\n", f);
                return 2;
            }
            win[w] = number(f, v);
            has_win[w] = true;
        }
    }
    char err[256];
    nr_scale s;
    memset(&s, 0, sizeof(s));
    if (!kernel || !out || !nr_kernel_parse(kernel, &s.kernel)) {
        fprintf(stderr, "nr-mpv-descale-shader: need --kernel (a known name) and -o\n");
        return 2;
    }
    if (nr_scale_for_height(&s, sw, sh, height, width, err, sizeof(err)) < 0) {
        fprintf(stderr, "nr-mpv-descale-shader: %s\n", err);
        return 2;
    }
    double *fields[4] = { &s.win_left, &s.win_top, &s.win_width, &s.win_height };
    for (int w = 0; w < 4; w++) {
        if (has_win[w])
            *fields[w] = win[w];
    }
    char *text = nr_glsl_descale(&s, NULL, err, sizeof(err));
    if (!text) {
        fprintf(stderr, "nr-mpv-descale-shader: %s\n", err);
        return 2;
    }
    FILE *f = fopen(out, "w");
    bool ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = false;
    free(text);
    if (!ok) {
        fprintf(stderr, "nr-mpv-descale-shader: cannot write %s\n", out);
        remove(out);
        return 1;
    }
    return 0;
}
