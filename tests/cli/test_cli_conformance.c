/*
 * Conformance of `nativeres descale|upscale` with the real descale plugin:
 * every case of tests/data/descale/cases.tsv is run through the CLI (its
 * flags built from the TSV row) into a PFM, which must match the
 * reference PFM to 2e-6 (max abs error). The fractional cases are run a
 * second time through `--height <fractional>` (the getfnative rule
 * instead of explicit window flags), and one case is also written as
 * .pgm and .png to check the 16-bit writers against the PFM.
 *
 * usage: test_cli_conformance NATIVERES DATA_DIR
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_run.h"
#include "image_io.h"

#define TOLERANCE 2e-6
#define MAX_COLS 16

static const char *cli_path, *data_dir, *tmp_dir;
static int failures;

typedef struct row {
    char *field[MAX_COLS];
    int n;
} row;

static int split_tabs(char *line, row *r)
{
    r->n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *tok = line; tok && r->n < MAX_COLS;) {
        char *tab = strchr(tok, '\t');
        if (tab)
            *tab = '\0';
        r->field[r->n++] = tok;
        tok = tab ? tab + 1 : NULL;
    }
    return r->n;
}

static int column(const row *header, const char *name)
{
    for (int i = 0; i < header->n; i++)
        if (!strcmp(header->field[i], name))
            return i;
    fprintf(stderr, "cases.tsv: no column '%s'\n", name);
    exit(1);
}

/* Max abs difference of two planes; INFINITY if their sizes differ or a
 * value is not finite. */
static double max_error(const nr_image *a, const nr_image *b)
{
    if (a->width != b->width || a->height != b->height)
        return INFINITY;
    double worst = 0;
    for (size_t i = 0; i < (size_t)a->width * (size_t)a->height; i++) {
        double d = fabs((double)a->data[i] - (double)b->data[i]);
        if (!(d <= worst))
            worst = isnan(d) ? INFINITY : d;
    }
    return worst;
}

typedef struct argv_builder {
    char *argv[40];
    char storage[40][1100];
    int n;
} argv_builder;

static void push(argv_builder *b, const char *s)
{
    if (b->n + 1 >= 40 || strlen(s) >= sizeof(b->storage[0])) {
        fprintf(stderr, "argument list too long\n");
        exit(1);
    }
    snprintf(b->storage[b->n], sizeof(b->storage[b->n]), "%s", s);
    b->argv[b->n] = b->storage[b->n];
    b->n++;
    b->argv[b->n] = NULL;
}

/* "b=1/3 c=1/3" / "taps=3" / "-" -> --b 1/3 --c 1/3 / --taps 3 */
static void push_kernel_params(argv_builder *b, const char *params)
{
    if (!strcmp(params, "-"))
        return;
    char copy[256];
    snprintf(copy, sizeof(copy), "%s", params);
    for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            fprintf(stderr, "cases.tsv: bad kernel parameter '%s'\n", tok);
            exit(1);
        }
        *eq = '\0';
        char flag[64];
        snprintf(flag, sizeof(flag), "--%s", tok);
        push(b, flag);
        push(b, eq + 1);
    }
}

/* Runs the CLI; loads its output (any readable format). */
static bool run_cli(argv_builder *b, const char *out_path, nr_image *out, const char *label)
{
    cli_result res;
    if (cli_run(b->argv, &res) < 0 || res.exit_code != 0) {
        fprintf(stderr, "FAIL %s: exit %d: %s", label, res.exit_code, res.err);
        failures++;
        return false;
    }
    char err[512];
    if (nr_image_load_luma(out_path, out, err, sizeof(err)) < 0) {
        fprintf(stderr, "FAIL %s: cannot read the output: %s\n", label, err);
        failures++;
        return false;
    }
    remove(out_path);
    return true;
}

static void check(const char *label, const nr_image *got, const nr_image *ref, double tol)
{
    double e = max_error(got, ref);
    bool ok = e <= tol;
    printf("%-4s %-48s %dx%d max abs error %.3g\n", ok ? "ok" : "FAIL", label,
           got->width, got->height, e);
    if (!ok)
        failures++;
}

static void run_case(const row *header, const row *r)
{
    const char *op = r->field[column(header, "op")];
    const char *output = r->field[column(header, "output")];
    char in_path[1024], ref_path[1024], out_path[1024];
    snprintf(in_path, sizeof(in_path), "%s/%s", data_dir, r->field[column(header, "input")]);
    snprintf(ref_path, sizeof(ref_path), "%s/%s", data_dir, output);
    snprintf(out_path, sizeof(out_path), "%s/%s", tmp_dir, output);

    nr_image ref = {0};
    char err[512];
    if (nr_image_load_pfm(ref_path, &ref, err, sizeof(err)) < 0) {
        fprintf(stderr, "FAIL %s: reference: %s\n", output, err);
        failures++;
        return;
    }

    argv_builder b = {.n = 0};
    push(&b, cli_path);
    push(&b, op);
    push(&b, in_path);
    push(&b, out_path);
    static const char *const flags[][2] = {
        {"--width", "width"}, {"--height", "height"}, {"--kernel", "kernel"},
        {"--border", "border"},
    };
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        push(&b, flags[i][0]);
        push(&b, r->field[column(header, flags[i][1])]);
    }
    /* window flags; the table lists an upscale's default window (the
     * whole input) as start 0 and the output size: leave those out */
    static const char *const window[2][3] = {
        {"src_left", "src_width", "width"}, {"src_top", "src_height", "height"},
    };
    for (int axis = 0; axis < 2; axis++) {
        const char *start = r->field[column(header, window[axis][0])];
        const char *size = r->field[column(header, window[axis][1])];
        const char *target = r->field[column(header, window[axis][2])];
        if (!strcmp(op, "upscale") && atof(start) == 0 && atof(size) == atof(target))
            continue;
        push(&b, axis ? "--src-top" : "--src-left");
        push(&b, start);
        push(&b, axis ? "--src-height" : "--src-width");
        push(&b, size);
    }
    push_kernel_params(&b, r->field[column(header, "kernel_params")]);

    nr_image got = {0};
    if (run_cli(&b, out_path, &got, output))
        check(output, &got, &ref, TOLERANCE);
    nr_image_free(&got);

    /* a descale with a fractional window: the same through --height H,
     * H = src_height, which must pick the same window by itself */
    double src_h = atof(r->field[column(header, "src_height")]);
    if (!strcmp(op, "descale") && src_h != floor(src_h)) {
        argv_builder f = {.n = 0};
        push(&f, cli_path);
        push(&f, "descale");
        push(&f, in_path);
        push(&f, out_path);
        push(&f, "--height");
        push(&f, r->field[column(header, "src_height")]);
        push(&f, "--kernel");
        push(&f, r->field[column(header, "kernel")]);
        push(&f, "--border");
        push(&f, r->field[column(header, "border")]);
        push_kernel_params(&f, r->field[column(header, "kernel_params")]);
        char label[256];
        snprintf(label, sizeof(label), "%s (--height %s)", output,
                 r->field[column(header, "src_height")]);
        if (run_cli(&f, out_path, &got, label))
            check(label, &got, &ref, TOLERANCE);
        nr_image_free(&got);
    }

    /* the 16-bit writers, on the first case: same image, clipped and
     * quantised to 1/65535 */
    static bool writers_checked;
    if (!writers_checked && !strcmp(op, "descale")) {
        writers_checked = true;
        nr_image clipped = {0};
        if (nr_image_alloc(&clipped, ref.width, ref.height, err, sizeof(err)) == 0) {
            for (size_t i = 0; i < (size_t)ref.width * (size_t)ref.height; i++)
                clipped.data[i] = fminf(fmaxf(ref.data[i], 0.0f), 1.0f);
            const char *exts[] = {"pgm", "png"};
            for (int e = 0; e < 2; e++) {
                char path[1100], label[256];
                snprintf(path, sizeof(path), "%s/out16.%s", tmp_dir, exts[e]);
                snprintf(label, sizeof(label), "%s as 16-bit .%s", output, exts[e]);
                b.argv[3] = path;
                if (run_cli(&b, path, &got, label))
                    check(label, &got, &clipped, 0.5 / 65535 + TOLERANCE);
                nr_image_free(&got);
            }
            nr_image_free(&clipped);
        }
    }
    nr_image_free(&ref);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s NATIVERES DATA_DIR\n", argv[0]);
        return 1;
    }
    cli_path = argv[1];
    data_dir = argv[2];
    tmp_dir = cli_tmpdir_create();
    if (!tmp_dir) {
        perror("mkdtemp");
        return 1;
    }
    char tsv_path[1024];
    snprintf(tsv_path, sizeof(tsv_path), "%s/cases.tsv", data_dir);
    FILE *f = fopen(tsv_path, "r");
    if (!f) {
        perror(tsv_path);
        return 1;
    }
    char header_line[1024], line[1024];
    row header, r;
    if (!fgets(header_line, sizeof(header_line), f) || split_tabs(header_line, &header) < 12) {
        fprintf(stderr, "%s: bad header\n", tsv_path);
        return 1;
    }
    int cases = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '\n' || line[0] == '#')
            continue;
        if (split_tabs(line, &r) != header.n) {
            fprintf(stderr, "FAIL %s: row with %d fields\n", tsv_path, r.n);
            failures++;
            continue;
        }
        run_case(&header, &r);
        cases++;
    }
    fclose(f);
    cli_tmpdir_remove(tmp_dir);
    if (cases == 0) {
        fprintf(stderr, "FAIL: no cases in %s\n", tsv_path);
        return 1;
    }
    printf("%d cases, %d failures\n", cases, failures);
    return failures ? 1 : 0;
}
