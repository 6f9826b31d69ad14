/*
 * The CLI's accepted spellings: --help/--version, `--name=value`, "--",
 * fractions, option order, the derived width, and the fractional-width
 * rule (which must equal the same window given explicitly). Equivalent
 * calls must write byte-identical files.
 *
 * usage: test_cli_usage NATIVERES DATA_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "cli_run.h"
#include "image_io.h"

static const char *cli, *data, *tmp;
static int failures, cases;

#define MAX_ARGS 32
#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Runs the CLI with args; "@in" is the 192x108 test PGM, "@small" the
 * 128x72 one, "@N" a file N in the temporary directory. */
static int run(const char *const *args, cli_result *res)
{
    static char storage[MAX_ARGS][1024];
    char *argv[MAX_ARGS + 2];
    int n = 0;
    argv[n++] = (char *)cli;
    for (int i = 0; args[i] && n < MAX_ARGS; i++, n++) {
        if (!strcmp(args[i], "@in"))
            snprintf(storage[n], sizeof(storage[n]), "%s/rand_192x108.pgm", data);
        else if (!strcmp(args[i], "@small"))
            snprintf(storage[n], sizeof(storage[n]), "%s/rand_128x72.pgm", data);
        else if (args[i][0] == '@')
            snprintf(storage[n], sizeof(storage[n]), "%s/%s", tmp, args[i] + 1);
        else
            snprintf(storage[n], sizeof(storage[n]), "%s", args[i]);
        argv[n] = storage[n];
    }
    argv[n] = NULL;
    if (cli_run(argv, res) < 0) {
        perror("cli_run");
        exit(1);
    }
    return res->exit_code;
}

static void expect_success(const char *label, const char *const *args)
{
    cli_result res;
    cases++;
    if (run(args, &res) != 0 || res.err_len != 0) {
        fprintf(stderr, "FAIL %s: exit %d, stderr '%s'\n", label, res.exit_code, res.err);
        failures++;
    } else {
        printf("ok   %s\n", label);
    }
}

static unsigned char *tmp_file(const char *name, size_t *size)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", tmp, name);
    return cli_read_file(path, size);
}

/* Two output files must be identical (and exist). */
static void expect_same(const char *label, const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    unsigned char *fa = tmp_file(a, &na), *fb = tmp_file(b, &nb);
    cases++;
    if (!fa || !fb || na != nb || memcmp(fa, fb, na)) {
        fprintf(stderr, "FAIL %s: %s and %s differ\n", label, a, b);
        failures++;
    } else {
        printf("ok   %s (%zu bytes identical)\n", label, na);
    }
    free(fa);
    free(fb);
}

/* Two images (loaded by the CLI's own reader) agree to tol. */
static void expect_close(const char *label, const char *a_path, const char *b_path, double tol)
{
    nr_image a = {0}, b = {0};
    char err[512];
    cases++;
    if (nr_image_load_luma(a_path, &a, err, sizeof(err)) < 0 ||
        nr_image_load_luma(b_path, &b, err, sizeof(err)) < 0) {
        fprintf(stderr, "FAIL %s: %s\n", label, err);
        failures++;
    } else if (a.width != b.width || a.height != b.height) {
        fprintf(stderr, "FAIL %s: sizes %dx%d and %dx%d\n", label, a.width, a.height,
                b.width, b.height);
        failures++;
    } else {
        double worst = 0;
        for (size_t i = 0; i < (size_t)a.width * (size_t)a.height; i++)
            worst = fmax(worst, fabs((double)a.data[i] - (double)b.data[i]));
        bool ok = worst <= tol;
        printf("%-4s %s: max abs error %.3g (tolerance %.3g)\n", ok ? "ok" : "FAIL", label,
               worst, tol);
        failures += !ok;
    }
    nr_image_free(&a);
    nr_image_free(&b);
}

/* A PFM output must have this header. */
static void expect_header(const char *name, const char *header)
{
    size_t n = 0;
    unsigned char *f = tmp_file(name, &n);
    cases++;
    if (!f || n < strlen(header) || memcmp(f, header, strlen(header))) {
        fprintf(stderr, "FAIL %s: header is not '%s'\n", name, header);
        failures++;
    } else {
        printf("ok   %s has the expected size\n", name);
    }
    free(f);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s NATIVERES DATA_DIR\n", argv[0]);
        return 1;
    }
    cli = argv[1];
    data = argv[2];
    tmp = cli_tmpdir_create();
    if (!tmp) {
        perror("mkdtemp");
        return 1;
    }

    expect_success("--help", ARGS("--help"));
    expect_success("--version", ARGS("--version"));
    expect_success("descale --help", ARGS("descale", "--help"));
    expect_success("upscale -h", ARGS("upscale", "-h"));

    /* spellings of the same call */
    expect_success("descale, plain flags",
                   ARGS("descale", "@in", "@a.pfm", "--height", "72", "--kernel", "mitchell"));
    expect_success("descale, --name=value, options first",
                   ARGS("descale", "--kernel=bicubic", "--b=1/3", "--c", "0.333333333333333333",
                        "--height=72", "--width=128", "@in", "@b.pfm"));
    expect_same("named kernel == bicubic with b/c; derived width", "a.pfm", "b.pfm");
    expect_success("descale, '--' before the file names",
                   ARGS("descale", "--height", "72", "--kernel", "mitchell", "--border", "mirror",
                        "--", "@in", "@c.pfm"));
    expect_same("'--' ends the options", "a.pfm", "c.pfm");

    /* the fractional-width rule equals its window given explicitly */
    expect_success("descale --height 72 --width 127.5",
                   ARGS("descale", "@in", "@d.pfm", "--height", "72", "--width", "127.5",
                        "--kernel", "catrom"));
    expect_success("descale with the explicit window",
                   ARGS("descale", "@in", "@e.pfm", "--height", "72", "--width", "128",
                        "--src-left", "0.25", "--src-width", "127.5", "--kernel", "catrom"));
    expect_header("d.pfm", "Pf\n128 72\n");
    expect_same("fractional width == explicit window", "d.pfm", "e.pfm");

    /* fractional height: explicit window with the getfnative numbers */
    expect_success("descale --height 71.75",
                   ARGS("descale", "@in", "@f.pfm", "--height", "71.75", "--kernel", "lanczos"));
    expect_success("descale with the explicit fractional window",
                   ARGS("descale", "@in", "@g.pfm", "--width", "128", "--height", "72",
                        "--src-left", "2/9", "--src-top", "0.125", "--src-width", "1148/9",
                        "--src-height", "71.75", "--kernel", "lanczos", "--taps", "3"));
    expect_same("fractional height == explicit window", "f.pfm", "g.pfm");

    /* upscale: derived width, and the default window spelled out */
    expect_success("upscale --height 108",
                   ARGS("upscale", "@small", "@h.pfm", "--height", "108", "--kernel", "spline36"));
    expect_success("upscale with the whole window spelled out",
                   ARGS("upscale", "@small", "@i.pfm", "--width", "192", "--height", "108",
                        "--src-left", "0", "--src-top", "0", "--src-width", "128",
                        "--src-height", "72", "--kernel", "spline36"));
    expect_header("h.pfm", "Pf\n192 108\n");
    expect_same("derived width / default window", "h.pfm", "i.pfm");

    /* upscale --native-height: the window descale --height used */
    expect_success("upscale --native-height 71.75",
                   ARGS("upscale", "@small", "@j.pfm", "--height", "108", "--native-height",
                        "71.75", "--kernel", "lanczos"));
    expect_success("upscale with the explicit fractional window",
                   ARGS("upscale", "@small", "@k.pfm", "--width", "192", "--height", "108",
                        "--src-left", "2/9", "--src-top", "0.125", "--src-width", "1148/9",
                        "--src-height", "71.75", "--kernel", "lanczos"));
    expect_same("--native-height == explicit window", "j.pfm", "k.pfm");

    /* round trips through files: a clean fractional upscale descales back
     * to the native image (least squares of a consistent system) */
    char small[1024], path[2][1100];
    snprintf(small, sizeof(small), "%s/rand_128x72.pgm", data);
    expect_success("descale --height 71.75 of that upscale",
                   ARGS("descale", "@j.pfm", "@l.pfm", "--height", "71.75", "--kernel",
                        "lanczos"));
    snprintf(path[0], sizeof(path[0]), "%s/l.pfm", tmp);
    expect_close("fractional upscale -> descale round trip", path[0], small, 1e-5);

    expect_success("upscale --native-height 72 --native-width 127.5",
                   ARGS("upscale", "@small", "@m.pfm", "--height", "108", "--native-height",
                        "72", "--native-width", "127.5", "--kernel", "mitchell"));
    expect_success("descale --height 72 --width 127.5 of that upscale",
                   ARGS("descale", "@m.pfm", "@n.pfm", "--height", "72", "--width", "127.5",
                        "--kernel", "mitchell"));
    snprintf(path[1], sizeof(path[1]), "%s/n.pfm", tmp);
    expect_close("fractional-width round trip", path[1], small, 1e-5);

    cli_tmpdir_remove(tmp);
    printf("%d cases, %d failures\n", cases, failures);
    return failures ? 1 : 0;
}
