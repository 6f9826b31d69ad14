/*
 * host-selftest: the nr-mpv-host features other tests build on (the plugin
 * tests, the benchmark) beyond the still frames the conformance tests use:
 * playing for N frames and for S seconds, vo-passes timings with samples,
 * RGB output, and its error exits (2 bad usage, 1 unplayable file, no
 * output file left behind, a plugin that does not load).
 *
 * Usage: host-selftest HOST INPUT.pgm WORKDIR
 */
#include "image_io.h"
#include "run_process.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void check(bool ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

static bool run(char **argv, const char *out, nr_process_result *res)
{
    return nr_run_process(argv, out, 120, res);
}

static bool file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

/* Largest sample count over the fresh passes the host printed. */
static int max_fresh_samples(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4096];
    int best = -1;
    while (fgets(line, sizeof(line), f)) {
        double median, last;
        int samples;
        if (sscanf(line, "pass\tfresh\t%lf\t%lf\t%d", &median, &last, &samples) == 3 &&
            samples > best)
            best = samples;
    }
    fclose(f);
    return best;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: host-selftest HOST INPUT.pgm WORKDIR\n");
        return 2;
    }
    char *host = argv[1];
    const char *workdir = argv[3];
    mkdir(workdir, 0755);
    char err[256], y4m[4096], out[4096], pfm[4096], passes[4096];
    nr_image img;
    snprintf(y4m, sizeof(y4m), "%s/selftest.y4m", workdir);
    if (!nr_pgm_read(argv[2], &img, err, sizeof(err)) ||
        !nr_y4m_gray_write(y4m, &img, 8, 255, 6, err, sizeof(err))) {
        fprintf(stderr, "host-selftest: %s\n", err);
        return 1;
    }
    snprintf(out, sizeof(out), "%s/selftest.out", workdir);
    snprintf(pfm, sizeof(pfm), "%s/selftest.pfm", workdir);
    snprintf(passes, sizeof(passes), "%s/selftest.passes.json", workdir);
    nr_process_result res;

    /* 1. play 12 frames (looping a 6-frame file), RGB out, vo-passes */
    remove(pfm);
    char *play[] = { host, "--file", y4m, "--play", "--frames", "12", "--opt", "loop-file=inf",
                     "--size", "640x360", "--out-rgb", pfm, "--passes", passes, NULL };
    check(run(play, out, &res) && res.exited && res.exit_code == 0, "--play --frames 12 exits 0");
    int samples = max_fresh_samples(out);
    printf("      most vo-passes samples of a fresh pass: %d\n", samples);
    check(samples >= 4, "vo-passes has timing samples for fresh frames while playing");
    check(file_contains(passes, "\"fresh\""), "--passes writes the vo-passes JSON");
    nr_image rgb;
    bool have_rgb = nr_pfm_read(pfm, &rgb, err, sizeof(err));
    check(have_rgb && rgb.w == 640 && rgb.h == 360 && rgb.channels == 3,
          "--out-rgb writes a 640x360 RGB PFM");
    if (have_rgb) {
        /* gray full-range input: R = G = B, and not a blank frame */
        double spread = 0, sum = 0;
        for (size_t i = 0; i < (size_t)rgb.w * rgb.h; i++) {
            float *p = rgb.data + 3 * i;
            spread = fmax(spread, fmax(fabs(p[0] - p[1]), fabs(p[0] - p[2])));
            sum += p[0];
        }
        double mean = sum / ((double)rgb.w * rgb.h);
        printf("      R/G/B spread %.2e, mean %.4f\n", spread, mean);
        check(spread < 1e-4 && mean > 0.05 && mean < 0.95, "RGB output is the gray picture");
        nr_image_free(&rgb);
    }

    /* 2. play for a wall-clock duration */
    char *timed[] = { host, "--file", y4m, "--play", "--seconds", "1", "--opt",
                      "loop-file=inf", "--size", "320x180", NULL };
    check(run(timed, out, &res) && res.exited && res.exit_code == 0 && res.seconds >= 1.0,
          "--play --seconds 1 plays at least 1 s and exits 0");
    printf("      took %.2f s\n", res.seconds);

    /* 3. an unplayable file: exit 1, a message, no output */
    char missing[4096];
    snprintf(missing, sizeof(missing), "%s/does-not-exist.mkv", workdir);
    remove(pfm);
    char *bad_file[] = { host, "--file", missing, "--out-gray", pfm, "--timeout", "30", NULL };
    check(run(bad_file, out, &res) && res.exited && res.exit_code == 1,
          "a missing input file exits 1");
    check(file_contains(out, "nr-mpv-host: "), "... with a message");
    check(access(pfm, F_OK) != 0, "... and no output file");

    /* 4. a --script plugin mpv cannot load: exit 1, not a silent success */
    char fake_so[4096];
    snprintf(fake_so, sizeof(fake_so), "%s/not-a-plugin.so", workdir);
    FILE *f = fopen(fake_so, "w");
    if (f) {
        fputs("not an ELF file\n", f);
        fclose(f);
    }
    char *bad_plugin[] = { host, "--file", y4m, "--script", fake_so, "--size", "320x180", NULL };
    check(run(bad_plugin, out, &res) && res.exited && res.exit_code == 1 &&
          file_contains(out, "plugin did not load"), "a plugin that does not load exits 1");

    /* 5. bad command lines: exit 2 */
    char *bad_args[][6] = {
        { host, NULL },
        { host, "--file", y4m, "--frames", "x", NULL },
        { host, "--file", y4m, "--seconds", "2", NULL },   /* --seconds needs --play */
        { host, "--file", y4m, "--opt", "novalue", NULL },
        { host, "--file", y4m, "--script", "relative.so", NULL },
    };
    for (size_t i = 0; i < sizeof(bad_args) / sizeof(bad_args[0]); i++) {
        char what[128];
        snprintf(what, sizeof(what), "bad command line #%zu exits 2", i + 1);
        check(run(bad_args[i], out, &res) && res.exited && res.exit_code == 2, what);
    }

    nr_image_free(&img);
    printf("%s\n", failures ? "host-selftest: FAILED" : "host-selftest: all passed");
    return failures ? 1 : 0;
}
