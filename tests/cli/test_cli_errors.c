/*
 * Every way to call `nativeres` wrongly: each must exit with code 2, print
 * exactly one line "nativeres: ..." on stderr that names the problem (a
 * keyword is checked), and leave no output file and no temporary file
 * behind. A correct call on the same fixtures must succeed, so that the
 * failures are the ones intended.
 *
 * usage: test_cli_errors NATIVERES DATA_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_run.h"

static const char *cli, *tmp;
static int failures, cases;

#define MAX_ARGS 24

/* Placeholders in case argument lists. */
#define IN "@in"     /* a valid 192x108 PGM */
#define SMALL "@small" /* a valid 128x72 PGM */
#define OUT "@out"   /* tmp/out.pfm */
#define TMP "@tmp/"  /* prefix: a file in the temporary directory */

static char data_dir[512];

static const char *expand(const char *arg, char *buf, size_t size)
{
    if (!strcmp(arg, IN))
        snprintf(buf, size, "%s/rand_192x108.pgm", data_dir);
    else if (!strcmp(arg, SMALL))
        snprintf(buf, size, "%s/rand_128x72.pgm", data_dir);
    else if (!strcmp(arg, OUT))
        snprintf(buf, size, "%s/out.pfm", tmp);
    else if (!strncmp(arg, TMP, strlen(TMP)))
        snprintf(buf, size, "%s/%s", tmp, arg + strlen(TMP));
    else
        snprintf(buf, size, "%s", arg);
    return buf;
}

static void run(const char *const *args, cli_result *res)
{
    static char storage[MAX_ARGS][1024];
    char *argv[MAX_ARGS + 2];
    int n = 0;
    argv[n++] = (char *)cli;
    for (; args[n - 1] && n < MAX_ARGS; n++)
        argv[n] = (char *)expand(args[n - 1], storage[n], sizeof(storage[n]));
    argv[n] = NULL;
    if (cli_run(argv, res) < 0) {
        perror("cli_run");
        exit(1);
    }
}

/* One bad call: exit 2, one "nativeres: " line containing keyword, and
 * the temporary directory unchanged (no output, no temp file). */
static void expect_error(const char *keyword, const char *const *args)
{
    cases++;
    int before = cli_dir_count(tmp);
    cli_result res;
    run(args, &res);
    char desc[512] = "";
    for (int i = 0; args[i]; i++) {
        strncat(desc, args[i], sizeof(desc) - strlen(desc) - 2);
        strncat(desc, " ", sizeof(desc) - strlen(desc) - 1);
    }
    const char *nl = strchr(res.err, '\n');
    bool one_line = nl && nl[1] == '\0';
    bool prefixed = !strncmp(res.err, "nativeres: ", 11);
    bool named = strstr(res.err, keyword) != NULL;
    int after = cli_dir_count(tmp);
    if (res.exit_code != 2 || !one_line || !prefixed || !named || after != before) {
        fprintf(stderr, "FAIL %s\n     exit %d, stderr '%s', expected keyword '%s', "
                "files %d -> %d\n", desc, res.exit_code, res.err, keyword, before, after);
        failures++;
        return;
    }
    printf("ok   %-60.60s %s", desc, res.err);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void make_fixtures(void)
{
    char path[1024], src[1024];
    size_t size;

    /* a truncated copy of a valid PGM */
    snprintf(src, sizeof(src), "%s/rand_192x108.pgm", data_dir);
    unsigned char *pgm = cli_read_file(src, &size);
    snprintf(path, sizeof(path), "%s/truncated.pgm", tmp);
    if (!pgm || !cli_write_file(path, pgm, size - 100)) {
        fprintf(stderr, "cannot make %s\n", path);
        exit(1);
    }
    free(pgm);

    /* a valid PNG made by the CLI itself, then cut in half */
    cli_result res;
    run(ARGS("upscale", SMALL, TMP "valid.png", "--height", "108", "--kernel", "bilinear"), &res);
    snprintf(path, sizeof(path), "%s/valid.png", tmp);
    unsigned char *png = cli_read_file(path, &size);
    if (res.exit_code != 0 || !png) {
        fprintf(stderr, "FAIL: a valid upscale to PNG failed: %s\n", res.err);
        exit(1);
    }
    snprintf(path, sizeof(path), "%s/half.png", tmp);
    cli_write_file(path, png, size / 2);
    free(png);

    /* not an image, named like one */
    snprintf(path, sizeof(path), "%s/text.png", tmp);
    cli_write_file(path, "hello", 5);

    /* a PFM holding a NaN */
    unsigned char pfm[64 + 16 * 16 * 4];
    int n = snprintf((char *)pfm, 64, "Pf\n16 16\n-1.0\n");
    memset(pfm + n, 0, 16 * 16 * 4);
    memcpy(pfm + n + 4 * 37, "\x00\x00\xc0\x7f", 4);   /* quiet NaN, little-endian */
    snprintf(path, sizeof(path), "%s/nan.pfm", tmp);
    cli_write_file(path, pfm, (size_t)n + 16 * 16 * 4);

    /* a directory with an image name: writing onto it must fail */
    snprintf(path, sizeof(path), "%s/isdir.pfm", tmp);
    mkdir(path, 0755);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s NATIVERES DATA_DIR\n", argv[0]);
        return 1;
    }
    cli = argv[1];
    snprintf(data_dir, sizeof(data_dir), "%s", argv[2]);
    tmp = cli_tmpdir_create();
    if (!tmp) {
        perror("mkdtemp");
        return 1;
    }
    make_fixtures();

    /* the fixtures and flags are right: a correct call succeeds */
    cli_result res;
    run(ARGS("descale", IN, OUT, "--height", "72", "--kernel", "bilinear"), &res);
    char out[1024];
    snprintf(out, sizeof(out), "%s/out.pfm", tmp);
    if (res.exit_code != 0 || !cli_file_exists(out)) {
        fprintf(stderr, "FAIL: a correct descale failed (exit %d): %s\n", res.exit_code, res.err);
        return 1;
    }
    remove(out);

    /* kernels */
    expect_error("unknown kernel", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "nosuch"));
    expect_error("--kernel", ARGS("descale", IN, OUT, "--height", "72"));
    expect_error("taps", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "lanczos",
                              "--taps", "0"));
    expect_error("taps", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "lanczos",
                              "--taps", "2.5"));
    expect_error("taps", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "bilinear",
                              "--taps", "3"));
    expect_error("--b/--c", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "spline36",
                                 "--b", "0"));
    expect_error("finite", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "bicubic",
                                "--b", "nan"));
    expect_error("finite", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "bicubic",
                                "--c", "1/0"));
    expect_error("blur", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "bilinear",
                              "--blur", "-1"));
    expect_error("blur", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "bilinear",
                              "--blur", "inf"));
    expect_error("border", ARGS("descale", IN, OUT, "--height", "72", "--kernel", "bilinear",
                                "--border", "wrap"));

    /* sizes */
    expect_error("larger", ARGS("descale", IN, OUT, "--height", "200", "--kernel", "bilinear"));
    expect_error("larger", ARGS("descale", IN, OUT, "--height", "72", "--width", "300",
                                "--kernel", "bilinear"));
    expect_error("8", ARGS("descale", IN, OUT, "--height", "4", "--kernel", "bilinear"));
    expect_error("height", ARGS("descale", IN, OUT, "--height", "nan", "--kernel", "bilinear"));
    expect_error("height", ARGS("descale", IN, OUT, "--height", "inf", "--kernel", "bilinear"));
    expect_error("height", ARGS("descale", IN, OUT, "--height", "-72", "--kernel", "bilinear"));
    expect_error("height", ARGS("descale", IN, OUT, "--height", "0", "--kernel", "bilinear"));
    expect_error("width", ARGS("descale", IN, OUT, "--height", "72", "--width", "-128",
                               "--kernel", "bilinear"));
    expect_error("smaller", ARGS("upscale", IN, OUT, "--width", "100", "--height", "56",
                                 "--kernel", "bilinear"));
    expect_error("whole number", ARGS("upscale", SMALL, OUT, "--height", "108.5",
                                      "--kernel", "bilinear"));

    /* windows */
    expect_error("outside", ARGS("descale", IN, OUT, "--width", "128", "--height", "72",
                                 "--kernel", "bilinear", "--src-left", "100"));
    expect_error("outside", ARGS("descale", IN, OUT, "--width", "128", "--height", "72",
                                 "--kernel", "bilinear", "--src-top", "-1"));
    expect_error("outside", ARGS("upscale", SMALL, OUT, "--width", "192", "--height", "108",
                                 "--kernel", "bilinear", "--src-height", "80"));
    expect_error("src_width", ARGS("descale", IN, OUT, "--width", "128", "--height", "72",
                                   "--kernel", "bilinear", "--src-width", "-3"));
    expect_error("finite", ARGS("descale", IN, OUT, "--width", "128", "--height", "72",
                                "--kernel", "bilinear", "--src-top", "nan"));
    expect_error("whole numbers", ARGS("descale", IN, OUT, "--height", "71.5",
                                       "--kernel", "bilinear", "--src-left", "0.5"));

    expect_error("gives a 124x70", ARGS("upscale", SMALL, OUT, "--height", "108",
                                        "--native-height", "70", "--kernel", "bilinear"));
    expect_error("exclude", ARGS("upscale", SMALL, OUT, "--height", "108", "--native-height",
                                 "71.75", "--src-top", "0", "--kernel", "bilinear"));
    expect_error("unknown option", ARGS("descale", IN, OUT, "--height", "72",
                                        "--native-height", "72", "--kernel", "bilinear"));

    /* inputs */
    expect_error("cannot open", ARGS("descale", TMP "missing.pgm", OUT, "--height", "72",
                                     "--kernel", "bilinear"));
    expect_error("not a regular file", ARGS("descale", TMP "isdir.pfm", OUT, "--height", "72",
                                            "--kernel", "bilinear"));
    expect_error("truncated", ARGS("descale", TMP "truncated.pgm", OUT, "--height", "72",
                                   "--kernel", "bilinear"));
    expect_error("half.png", ARGS("descale", TMP "half.png", OUT, "--height", "72",
                                  "--kernel", "bilinear"));
    expect_error("text.png", ARGS("descale", TMP "text.png", OUT, "--height", "72",
                                  "--kernel", "bilinear"));
    expect_error("NaN", ARGS("descale", TMP "nan.pfm", OUT, "--height", "8",
                             "--kernel", "bilinear"));

    /* outputs */
    expect_error("unknown output format", ARGS("descale", IN, TMP "out.bmp", "--height", "72",
                                               "--kernel", "bilinear"));
    expect_error("unknown output format", ARGS("descale", IN, TMP "out", "--height", "72",
                                               "--kernel", "bilinear"));
    expect_error("cannot write", ARGS("descale", IN, TMP "no-such-dir/out.pfm", "--height", "72",
                                      "--kernel", "bilinear"));
    expect_error("cannot write", ARGS("descale", IN, TMP "isdir.pfm", "--height", "72",
                                      "--kernel", "bilinear"));

    /* usage */
    expect_error("missing command", ARGS(NULL));
    expect_error("unknown command", ARGS("frobnicate"));
    expect_error("missing", ARGS("descale"));
    expect_error("missing output", ARGS("descale", IN, "--height", "72", "--kernel", "bilinear"));
    expect_error("missing --height", ARGS("descale", IN, OUT, "--kernel", "bilinear"));
    expect_error("needs a value", ARGS("descale", IN, OUT, "--kernel", "bilinear", "--height"));
    expect_error("unknown option", ARGS("descale", IN, OUT, "--height", "72",
                                        "--kernel", "bilinear", "--frobnicate", "1"));
    expect_error("unexpected argument", ARGS("descale", IN, OUT, "extra", "--height", "72",
                                             "--kernel", "bilinear"));

    /* an existing output survives a failed run untouched */
    cases++;
    char keep[1024];
    snprintf(keep, sizeof(keep), "%s/keep.pfm", tmp);
    cli_write_file(keep, "old", 3);
    run(ARGS("descale", TMP "truncated.pgm", TMP "keep.pfm", "--height", "72",
             "--kernel", "bilinear"), &res);
    size_t size = 0;
    unsigned char *kept = cli_read_file(keep, &size);
    if (res.exit_code != 2 || !kept || size != 3 || memcmp(kept, "old", 3)) {
        fprintf(stderr, "FAIL: a failed run changed an existing output file\n");
        failures++;
    } else {
        printf("ok   existing output untouched by a failed run\n");
    }
    free(kept);

    cli_tmpdir_remove(tmp);
    printf("%d cases, %d failures\n", cases, failures);
    return failures ? 1 : 0;
}
