/*
 * The plugin's parts without mpv: options, pacing, hysteresis, decision
 * text, the results cache (with concurrent writers), shader-list editing,
 * frame conversion, shader files and the info page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "choice.h"
#include "decide.h"
#include "frame.h"
#include "info_page.h"
#include "options.h"
#include "pace.h"
#include "shader_files.h"
#include "shader_list.h"

static int failures;

#define CHECK(cond, ...) \
    do { \
        if (!(cond)) { \
            failures++; \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__); \
            fputc('\n', stderr); \
        } \
    } while (0)

static int warnings;
static char last_warning[512];

static void count_warning(void *ctx, const char *msg)
{
    (void)ctx;
    warnings++;
    snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

static void test_options(void)
{
    np_options o;
    np_options_default(&o);
    CHECK(o.autodetect && o.cache && o.osd && o.num_kernels == 0, "defaults");
    double conf = o.confidence;
    warnings = 0;
    CHECK(np_options_set(&o, "confidence", "0.9", count_warning, NULL) && o.confidence == 0.9,
          "confidence=0.9");
    CHECK(!np_options_set(&o, "confidence", "1.5", count_warning, NULL) && o.confidence == 0.9,
          "confidence=1.5 must be refused");
    CHECK(!np_options_set(&o, "confidence", "abc", count_warning, NULL), "confidence=abc");
    CHECK(!np_options_set(&o, "nonsense", "1", count_warning, NULL), "unknown key");
    CHECK(warnings == 3, "3 warnings, got %d", warnings);
    CHECK(strstr(last_warning, "nonsense"), "warning names the key: %s", last_warning);
    (void)conf;

    CHECK(np_options_set(&o, "kernels", "bilinear/catrom,lanczos3 mitchell", count_warning, NULL) &&
          o.num_kernels == 4 && !strcmp(o.kernel_names[2], "lanczos3"), "kernel list");
    CHECK(!np_options_set(&o, "kernels", "bilinear,nope", count_warning, NULL) &&
          o.num_kernels == 4, "a bad kernel keeps the old list");
    CHECK(np_options_set(&o, "auto", "no", NULL, NULL) && !o.autodetect, "auto=no");
    CHECK(!np_options_set(&o, "auto", "maybe", NULL, NULL) && !o.autodetect, "auto=maybe");
    CHECK(np_options_set(&o, "early-frames", "5", NULL, NULL) && o.early_frames == 5, "int");
    CHECK(!np_options_set(&o, "early-frames", "2.5", NULL, NULL) && o.early_frames == 5,
          "non-integer");
    CHECK(!np_options_set(&o, "mode", "rescale", NULL, NULL) && o.mode == NP_MODE_DESCALE, "mode");
    CHECK(np_options_set(&o, "min-height", "900", NULL, NULL), "min-height");
    warnings = 0;
    CHECK(np_options_set(&o, "max-height", "700", count_warning, NULL) &&
          o.min_height == 0 && o.max_height == 0 && warnings == 1, "inverted range reset");

    np_known_show k;
    CHECK(np_known_parse("*Frieren*:873.5:mitchell", &k) && !k.native && k.height == 873.5 &&
          !strcmp(k.kernel_name, "mitchell") && !strcmp(k.pattern, "*Frieren*"), "known parse");
    CHECK(np_known_parse("C:\\x*:native", &k) && k.native && !strcmp(k.pattern, "C:\\x*"),
          "known native, pattern with a colon");
    CHECK(!np_known_parse("*x*:abc:bilinear", &k), "bad height");
    CHECK(!np_known_parse("*x*:720:nokernel", &k), "bad kernel");
    CHECK(!np_known_parse("*x*", &k), "no fields");
    np_options_default(&o);
    CHECK(np_options_set(&o, "known", "*Frieren*:873.5:mitchell; *Bocchi*:native", NULL, NULL) &&
          o.num_known == 2, "known list");
    CHECK(np_options_set(&o, "known", "*Other*:720:bilinear", NULL, NULL) && o.num_known == 3,
          "known entries accumulate");
    const np_known_show *m = np_known_match(&o, "/media/anime/[Grp] Sousou no FRIEREN - 03.mkv");
    CHECK(m && m->height == 873.5, "case-insensitive match on the base name");
    m = np_known_match(&o, "/x/bocchi the rock 01.mkv");
    CHECK(m && m->native, "native entry");
    CHECK(!np_known_match(&o, "/x/unrelated.mkv"), "no match");

    /* the script-opts file: comments, blanks, bad lines */
    char path[] = "/tmp/np-test-opts-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd >= 0) {
        FILE *f = fdopen(fd, "w");
        fprintf(f, "# comment\n\ninterval = 5\nno equals sign\nosd=no\nunknown=3\n"
                   "known=*A*:720:catrom\nknown=*B*:native\n");
        fclose(f);
        np_options_default(&o);
        warnings = 0;
        CHECK(np_options_load_file(&o, path, count_warning, NULL) == 0, "load file");
        CHECK(o.interval == 5 && !o.osd && o.num_known == 2, "file values");
        CHECK(warnings == 2, "file warnings: %d", warnings);
        unlink(path);
    }
    CHECK(np_options_load_file(&o, "/nonexistent/nativeres.conf", count_warning, NULL) == -1,
          "missing file");
}

static void test_pace(void)
{
    np_pace p;
    np_pace_init(&p, 3.0, 3, 0.25);
    CHECK(!np_pace_due(&p, NAN), "no position, no grab");
    CHECK(np_pace_due(&p, 0.0), "first frame at once");
    np_pace_grabbed(&p, 0.0, false);
    CHECK(!np_pace_due(&p, 0.0), "same frame twice");
    CHECK(np_pace_same_frame(&p, 0.0), "same frame");
    CHECK(!np_pace_due(&p, 0.2) && np_pace_due(&p, 0.25), "early burst");
    np_pace_grabbed(&p, 0.25, false);
    np_pace_grabbed(&p, 0.5, false);   /* third of the burst */
    CHECK(!np_pace_due(&p, 0.75) && !np_pace_due(&p, 3.4) && np_pace_due(&p, 3.5),
          "steady interval after the burst");
    np_pace_grabbed(&p, 3.5, true);     /* scene change: quick follow-ups */
    CHECK(np_pace_due(&p, 3.75), "follow-up after a scene change");
    np_pace_grabbed(&p, 3.75, false);
    CHECK(np_pace_due(&p, 4.0), "second follow-up");
    np_pace_grabbed(&p, 4.0, false);
    CHECK(!np_pace_due(&p, 4.25) && np_pace_due(&p, 7.0), "back to steady");
    np_pace_hurry(&p);
    CHECK(np_pace_due(&p, 4.25), "hurry");
    CHECK(np_pace_due(&p, 1.0), "a jump backwards restarts");
    for (int i = 0; i < 20; i++) {
        np_pace_grabbed(&p, 10.0 + i * 3, false);
        np_pace_hurry(&p);
    }
    CHECK(!np_pace_due(&p, 10.0 + 19 * 3 + 0.25), "hurry has a budget");
    np_pace_restart(&p);
    CHECK(np_pace_due(&p, 100.0), "restart grabs at once");
}

static np_choice up(double h, const char *kernel, double conf)
{
    np_choice c;
    nr_kernel k;
    nr_kernel_parse(kernel, &k);
    if (np_choice_upscaled(&c, 1920, 1080, h, 0, &k, conf) < 0)
        fprintf(stderr, "bad test choice %g\n", h);
    return c;
}

static np_choice plain(nr_verdict v, double conf)
{
    np_choice c;
    np_choice_plain(&c, v, 1920, 1080, conf);
    return c;
}

static void test_decide(void)
{
    np_decider d;
    np_decider_init(&d, 2, 3, 0.6);
    np_choice a = up(720, "bilinear", 0.9), a2 = up(720.25, "bilinear", 0.95);
    np_choice b = up(810, "catrom", 0.9), low = up(810, "catrom", 0.3);
    np_choice nat = plain(NR_VERDICT_NATIVE, 0.9), uns = plain(NR_VERDICT_UNSURE, 0);

    CHECK(!np_decider_feed(&d, &a), "one frame does not decide");
    CHECK(np_decider_feed(&d, &a2), "two agreeing frames decide");
    CHECK(d.current.verdict == NR_VERDICT_UPSCALED && np_choice_height(&d.current) == 720.25,
          "the clearer frame's parameters");
    CHECK(!np_decider_feed(&d, &a), "an odd frame then the old state: no change");
    CHECK(!np_decider_feed(&d, &b), "odd frame");
    CHECK(!np_decider_feed(&d, &a), "old state again");
    CHECK(np_choice_height(&d.current) == 720.25, "no flip-flop");
    CHECK(!np_decider_feed(&d, &b) && np_decider_feed(&d, &b), "a real change is followed");
    CHECK(!strcmp(d.current.kernel_name, "catrom"), "now catrom");
    CHECK(!np_decider_feed(&d, &low) && !np_decider_feed(&d, &low) &&
          np_decider_feed(&d, &uns) && d.current.verdict == NR_VERDICT_UNSURE,
          "low confidence counts as unsure; the third unsure switches off");
    np_decider_reset(&d);
    CHECK(!np_decider_feed(&d, &nat) && np_decider_feed(&d, &nat), "native decided");
    CHECK(!np_decider_feed(&d, &uns) && !np_decider_feed(&d, &uns) && !np_decider_feed(&d, &uns) &&
          !np_decider_feed(&d, &uns) && d.current.verdict == NR_VERDICT_NATIVE,
          "unsure does not replace native");
    np_decider_reset(&d);
    CHECK(!np_decider_feed(&d, &a) && np_decider_settle(&d) &&
          d.current.verdict == NR_VERDICT_UPSCALED, "a lone frame settles an undecided file");
    CHECK(!np_decider_settle(&d), "settle only once");
    np_decider_force(&d, &b);
    CHECK(d.decided && !strcmp(d.current.kernel_name, "catrom"), "force");
}

static void test_choice_text(void)
{
    char buf[512];
    np_choice c = up(720, "bilinear", 0.98);
    np_choice_log_line(&c, buf, sizeof(buf));
    CHECK(!strcmp(buf, "verdict=upscaled width=1280 height=720 kernel=bilinear confidence=0.98"),
          "log line: %s", buf);
    np_choice_osd_text(&c, buf, sizeof(buf));
    CHECK(!strcmp(buf, "nativeres: 1280\u00d7720 bilinear \u2014 descaling"), "osd: %s", buf);
    c = up(873.5, "mitchell", 0.9);
    np_choice_log_line(&c, buf, sizeof(buf));
    CHECK(!strcmp(buf, "verdict=upscaled width=1552.889 height=873.5 kernel=mitchell "
                       "confidence=0.90"), "fractional: %s", buf);
    c = plain(NR_VERDICT_NATIVE, 0.9);
    np_choice_log_line(&c, buf, sizeof(buf));
    CHECK(!strcmp(buf, "verdict=native width=1920 height=1080 kernel=none confidence=0.90"),
          "native: %s", buf);
    np_choice_osd_text(&c, buf, sizeof(buf));
    CHECK(!strcmp(buf, "nativeres: native 1080p \u2014 off"), "native osd: %s", buf);
    nr_kernel k;
    nr_kernel_parse("bilinear", &k);
    CHECK(np_choice_upscaled(&c, 1920, 1080, 1080, 0, &k, 1) < 0, "full size is no upscale");
    CHECK(np_choice_upscaled(&c, 1920, 1080, 2000, 0, &k, 1) < 0, "larger than the frame");
    np_format_size(843.75, buf, sizeof(buf));
    CHECK(!strcmp(buf, "843.75"), "format %s", buf);
    np_format_size(720, buf, sizeof(buf));
    CHECK(!strcmp(buf, "720"), "format %s", buf);
}

static void test_cache(void)
{
    char dir[] = "/tmp/np-test-cache-XXXXXX";
    CHECK(mkdtemp(dir), "mkdtemp");
    char sub[256], err[256];
    snprintf(sub, sizeof(sub), "%s/deeper/cache", dir);
    np_cache_key k = {.path = "/media/a\tb.mkv", .size = 1234, .duration = 1440.5, .w = 1920,
                      .h = 1080};
    np_cache_entry e = {.verdict = NR_VERDICT_UPSCALED, .height = 873.5, .width = 1552.889,
                        .confidence = 0.97}, got;
    snprintf(e.kernel, sizeof(e.kernel), "mitchell");
    CHECK(np_cache_lookup(sub, &k, &got) < 0, "miss on an empty cache");
    CHECK(np_cache_store(sub, &k, &e, 10, err, sizeof(err)) == 0, "store: %s", err);
    CHECK(np_cache_lookup(sub, &k, &got) == 0 && got.verdict == NR_VERDICT_UPSCALED &&
          fabs(got.height - 873.5) < 1e-9 && !strcmp(got.kernel, "mitchell"), "hit");
    np_cache_key other = k;
    other.size = 1235;
    CHECK(np_cache_lookup(sub, &other, &got) < 0, "another size is another file");
    e.verdict = NR_VERDICT_NATIVE;
    CHECK(np_cache_store(sub, &k, &e, 10, err, sizeof(err)) == 0, "replace");
    CHECK(np_cache_lookup(sub, &k, &got) == 0 && got.verdict == NR_VERDICT_NATIVE, "replaced");
    CHECK(np_cache_forget(sub, &k, err, sizeof(err)) == 0 && np_cache_lookup(sub, &k, &got) < 0,
          "forget");

    /* bounded, and safe with several writers at once */
    enum { WRITERS = 4, EACH = 40, BOUND = 100 };
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            for (int i = 0; i < EACH; i++) {
                char p[64];
                snprintf(p, sizeof(p), "/w%d/file%d.mkv", w, i);
                np_cache_key kk = {.path = p, .size = i, .duration = 1, .w = 1920, .h = 1080};
                np_cache_entry ee = {.verdict = NR_VERDICT_NATIVE, .confidence = 1};
                char er[256];
                if (np_cache_store(sub, &kk, &ee, BOUND, er, sizeof(er)) < 0)
                    _exit(1);
                if (np_cache_lookup(sub, &kk, &ee) < 0)
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int st = 0;
        waitpid(pids[w], &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer %d failed", w);
    }
    char file[512];
    snprintf(file, sizeof(file), "%s/results.tsv", sub);
    FILE *f = fopen(file, "r");
    int lines = 0;
    char line[1024];
    while (f && fgets(line, sizeof(line), f)) {
        if (line[0] != '#') {
            lines++;
            CHECK(strchr(line, '\n') && strstr(line, "\tnative\t"), "damaged line: %s", line);
        }
    }
    if (f)
        fclose(f);
    CHECK(lines == BOUND, "bounded to %d entries, got %d", BOUND, lines);
    /* the newest entries survive */
    np_cache_key last = {.path = "/w0/file39.mkv", .size = 39, .duration = 1, .w = 1920, .h = 1080};
    CHECK(np_cache_lookup(sub, &last, &got) == 0, "newest entry kept");
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
}

static void test_shader_list(void)
{
    const char *dir = "/home/u/.cache/nativeres/shaders";
    const char *cur[] = {"/home/u/.config/mpv/shaders/ArtCNN.glsl",
                         "/home/u/.cache/nativeres/shaders/nativeres-descale-old.glsl",
                         "/home/u/.config/mpv/shaders/Anime4K.glsl"};
    const char *out[8];
    const char *ours = "/home/u/.cache/nativeres/shaders/nativeres-descale-new.glsl";
    int n = np_shader_list_build(cur, 3, dir, ours, out);
    CHECK(n == 3 && out[0] == ours && out[1] == cur[0] && out[2] == cur[2], "ours first, order kept");
    n = np_shader_list_build(cur, 3, dir, NULL, out);
    CHECK(n == 2 && out[0] == cur[0] && out[1] == cur[2], "ours removed");
    CHECK(!np_shader_is_ours("/home/u/.cache/nativeres/shaders-other/x.glsl", dir), "prefix only");
    CHECK(!np_shader_is_ours("/home/u/.cache/nativeres/shaders/sub/x.glsl", dir), "subfolder");
    CHECK(np_shader_list_equal(cur, 2, cur, 2) && !np_shader_list_equal(cur, 2, out, 2), "equal");
}

static void test_frame(void)
{
    enum { W = 7, H = 5, STRIDE = 32 };
    uint8_t img[STRIDE * H];
    memset(img, 0, sizeof(img));
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            uint8_t *p = img + y * STRIDE + 4 * x;
            p[0] = 10 * x;      /* B */
            p[1] = 20 * y;      /* G */
            p[2] = 255;         /* R */
        }
    }
    float luma[W * H];
    CHECK(np_bgr0_check(W, H, STRIDE, sizeof(img)) == 0, "check");
    CHECK(np_bgr0_check(W, H, STRIDE, sizeof(img) - 1 - (STRIDE - 4 * W)) < 0, "too small");
    CHECK(np_bgr0_check(W, H, 4 * W - 1, sizeof(img)) < 0, "stride too small");
    np_bgr0_to_luma(img, W, H, STRIDE, luma);
    double want = (0.2126 * 255 + 0.7152 * 20 * 2 + 0.0722 * 10 * 3) / 255;
    CHECK(fabs(luma[2 * W + 3] - want) < 1e-5, "BT.709 luma %f vs %f", luma[2 * W + 3], want);
    float t1[NP_THUMB_W * NP_THUMB_H], t2[NP_THUMB_W * NP_THUMB_H];
    np_bgr0_thumbnail(img, W, H, STRIDE, t1);
    np_bgr0_thumbnail(img, W, H, STRIDE, t2);
    CHECK(np_thumb_distance(t1, t2) == 0, "same frame, distance 0");
    for (size_t i = 0; i < sizeof(img); i++)
        img[i] = 255 - img[i];
    np_bgr0_thumbnail(img, W, H, STRIDE, t2);
    CHECK(np_thumb_distance(t1, t2) > 0.2, "inverted frame is a new scene");
}

static void test_shader_files(void)
{
    char dir[] = "/tmp/np-test-shaders-XXXXXX";
    CHECK(mkdtemp(dir), "mkdtemp");
    np_choice c = up(873.5, "mitchell", 1);
    char p1[4096], p2[4096], pc[4096], err[256];
    CHECK(np_shader_file(dir, &c.scale, NP_SHADER_DESCALE, p1, sizeof(p1), err, sizeof(err)) == 0,
          "descale file: %s", err);
    CHECK(np_shader_file(dir, &c.scale, NP_SHADER_DESCALE, p2, sizeof(p2), err, sizeof(err)) == 0 &&
          !strcmp(p1, p2), "same scale, same file");
    CHECK(strstr(p1, "/nativeres-descale-1920x1080-from-873.5p-mitchell-"), "name %s", p1);
    CHECK(np_shader_file(dir, &c.scale, NP_SHADER_COMPARE, pc, sizeof(pc), err, sizeof(err)) == 0 &&
          strcmp(p1, pc), "compare file: %s", err);
    char *text = np_shader_text(&c.scale, NP_SHADER_COMPARE, err, sizeof(err));
    CHECK(text && strstr(text, "//!SAVE NATIVERES_ORIG") && strstr(text, "//!BIND NATIVERES_ORIG") &&
          strstr(text, "HOOKED.w 1920 == HOOKED.h 1080 == *") &&
          strstr(text, "HOOKED.w 1554 == HOOKED.h 874 == *"), "compare wrapper");
    free(text);
    np_choice d = up(720, "bilinear", 1);
    CHECK(np_shader_file(dir, &d.scale, NP_SHADER_DESCALE, p2, sizeof(p2), err, sizeof(err)) == 0 &&
          strcmp(p1, p2), "another scale, another file");
    np_shader_prune(dir, 1, p2);
    struct stat st;
    CHECK(stat(p2, &st) == 0, "pruning keeps the current file");
    CHECK(stat(p1, &st) < 0 && stat(pc, &st) < 0, "pruning removes the oldest");
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
}

static void test_info_page(void)
{
    np_info in;
    memset(&in, 0, sizeof(in));
    snprintf(in.decision, sizeof(in.decision), "verdict=upscaled width=1280 height=720");
    in.source = "detect";
    in.running = in.enabled = true;
    double sizes[50], errors[50];
    for (int i = 0; i < 50; i++) {
        sizes[i] = 700 + i;
        errors[i] = i == 20 ? 0.001 : 0.01 + 0.0001 * i;
    }
    in.curve_sizes = sizes;
    in.curve_errors = errors;
    in.curve_count = 50;
    in.mark = 720;
    snprintf(in.curve_kernel, sizeof(in.curve_kernel), "bilinear");
    char *ass = np_info_ass(&in);
    CHECK(ass && strstr(ass, "verdict=upscaled") && strstr(ass, "\\p1}m ") &&
          strstr(ass, "error vs height (bilinear)"), "info page");
    free(ass);
    in.curve_count = 0;
    ass = np_info_ass(&in);
    CHECK(ass && !strstr(ass, "\\p1"), "no curve, no graph");
    free(ass);
}

/* The documented example config must parse without a single warning. */
static void test_preset_conf(const char *path)
{
    np_options o;
    np_options_default(&o);
    warnings = 0;
    CHECK(np_options_load_file(&o, path, count_warning, NULL) == 0, "cannot read %s", path);
    CHECK(warnings == 0, "%s: %d warning(s), last: %s", path, warnings, last_warning);
    np_options d;
    np_options_default(&d);
    CHECK(o.interval == d.interval && o.confidence == d.confidence &&
          o.switch_frames == d.switch_frames && o.cache_entries == d.cache_entries,
          "%s does not show the defaults", path);
}

int main(int argc, char **argv)
{
    test_options();
    test_pace();
    test_decide();
    test_choice_text();
    test_cache();
    test_shader_list();
    test_frame();
    test_shader_files();
    test_info_page();
    if (argc > 1)
        test_preset_conf(argv[1]);
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    else
        printf("plugin parts: all checks passed\n");
    return failures ? 1 : 0;
}
