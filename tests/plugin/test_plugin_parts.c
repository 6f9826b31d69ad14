/*
 * The plugin's parts without mpv: options, pacing, hysteresis, decision
 * text, mpv's renderer errors, scene timelines, the timeline cache (hostile bytes, symlinks,
 * concurrent writers), shader-list editing,
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
#include "render_errors.h"
#include "shader_files.h"
#include "shader_list.h"
#include "timeline.h"

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
    CHECK(o.prefer_ref == 0.25, "prefer-ref 0.25 s by default");
    CHECK(np_options_set(&o, "prefer-ref", "0", NULL, NULL) && o.prefer_ref == 0, "prefer-ref=0");
    CHECK(!np_options_set(&o, "prefer-ref", "-1", NULL, NULL) && o.prefer_ref == 0,
          "negative prefer-ref refused");
    CHECK(o.mode == NP_MODE_RESCALE && o.preset == NP_PRESET_AUTO, "rescale, auto by default");
    CHECK(np_options_set(&o, "mode", "descale", NULL, NULL) && o.mode == NP_MODE_DESCALE, "mode");
    CHECK(!np_options_set(&o, "mode", "upscale", NULL, NULL) && o.mode == NP_MODE_DESCALE,
          "mode=upscale refused");
    CHECK(np_options_set(&o, "preset", "HQ", NULL, NULL) && o.preset == NP_PRESET_HQ, "preset");
    CHECK(!np_options_set(&o, "preset", "ultra", NULL, NULL) && o.preset == NP_PRESET_HQ,
          "preset=ultra refused");
    CHECK(o.lines == 0, "lines off by default");
    CHECK(o.chroma, "chroma on by default");
    CHECK(np_options_set(&o, "chroma", "no", NULL, NULL) && !o.chroma, "chroma=no");
    CHECK(!np_options_set(&o, "chroma", "maybe", NULL, NULL) && !o.chroma, "chroma=maybe refused");
    CHECK(np_options_set(&o, "chroma", "learned", NULL, NULL) && o.chroma && o.chroma_learned,
          "chroma=learned");
    CHECK(np_options_set(&o, "chroma", "yes", NULL, NULL) && o.chroma && !o.chroma_learned,
          "chroma=yes after learned");
    CHECK(o.compute == NP_COMPUTE_AUTO, "compute=auto by default");
    CHECK(np_hq_compute(o.compute, "x11vk", NULL) && np_hq_compute(o.compute, "waylandvk", NULL) &&
          np_hq_compute(o.compute, "winvk", "auto") && np_hq_compute(o.compute, "macvk", NULL) &&
          np_hq_compute(o.compute, NULL, "vulkan"), "auto: compute passes on Vulkan");
    CHECK(!np_hq_compute(o.compute, "cocoa", "vulkan") && !np_hq_compute(o.compute, "angle", NULL),
          "auto: fragment passes on macOS's OpenGL 4.1 and ANGLE");
#ifdef __APPLE__
    CHECK(!np_hq_compute(o.compute, NULL, "opengl") && !np_hq_compute(o.compute, NULL, "auto") &&
          !np_hq_compute(o.compute, "", NULL) && !np_hq_compute(o.compute, "libmpv", NULL),
          "auto on macOS: compute on Vulkan only (cocoa-cb names no context)");
#else
    CHECK(np_hq_compute(o.compute, "x11egl", NULL) &&
          np_hq_compute(o.compute, "wayland", "opengl") &&
          np_hq_compute(o.compute, "d3d11", NULL) && np_hq_compute(o.compute, "win", NULL),
          "auto: compute passes on D3D11 and desktop OpenGL contexts");
    CHECK(np_hq_compute(o.compute, NULL, "opengl") && np_hq_compute(o.compute, NULL, "auto") &&
          np_hq_compute(o.compute, "", NULL) && np_hq_compute(o.compute, NULL, "d3d11"),
          "auto without a context (mpv 0.35): compute, mpv's log corrects a wrong guess");
#endif
    CHECK(np_options_set(&o, "compute", "no", NULL, NULL) && o.compute == NP_COMPUTE_NO &&
          !np_hq_compute(o.compute, "x11vk", "vulkan"), "compute=no");
    CHECK(np_options_set(&o, "compute", "yes", NULL, NULL) && o.compute == NP_COMPUTE_YES &&
          np_hq_compute(o.compute, "x11egl", NULL), "compute=yes");
    CHECK(!np_options_set(&o, "compute", "maybe", NULL, NULL) && o.compute == NP_COMPUTE_YES,
          "compute=maybe refused");
    CHECK(o.ensemble == 0 && np_hq_ensemble(o.ensemble, true) == 3 &&
          np_hq_ensemble(o.ensemble, false) == 1,
          "ensemble=auto: 3 members with compute passes, the network alone with fragment passes");
    CHECK(np_options_set(&o, "ensemble", "2", NULL, NULL) && np_hq_ensemble(o.ensemble, true) == 2 &&
          np_hq_ensemble(o.ensemble, false) == 2, "ensemble=2 in both forms");
    CHECK(!np_options_set(&o, "ensemble", "4", NULL, NULL) &&
          !np_options_set(&o, "ensemble", "many", NULL, NULL) && o.ensemble == 2,
          "ensemble=4 and ensemble=many refused");
    CHECK(np_options_set(&o, "ensemble", "auto", NULL, NULL) && o.ensemble == 0, "ensemble=auto");
    CHECK(np_options_set(&o, "lines", "1.5", NULL, NULL) && o.lines == 1.5, "lines=1.5");
    CHECK(!np_options_set(&o, "lines", "9", NULL, NULL) && o.lines == 1.5, "lines=9 refused");
    CHECK(o.min_realtime == 0.8, "min-realtime default");
    CHECK(np_options_set(&o, "min-realtime", "0", NULL, NULL) && o.min_realtime == 0,
          "min-realtime 0 (never step down)");
    CHECK(!np_options_set(&o, "min-realtime", "-1", NULL, NULL) && o.min_realtime == 0,
          "negative min-realtime refused");
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
    np_pace_init(&p, 3.0, 3, 0.25, 2.0);
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
    np_pace_quick(&p);
    CHECK(np_pace_due(&p, 10.0 + 19 * 3 + 0.25), "quick has no budget");
    np_pace_restart(&p);
    CHECK(np_pace_due(&p, 100.0), "restart grabs at once");

    /* an undecided scene: quick grabs within the window after the load /
     * cut, the steady pace after it, and a cut opens a new window */
    np_pace_init(&p, 3.0, 1, 0.25, 2.0);
    np_pace_grabbed(&p, 0.0, false);
    CHECK(!np_pace_due(&p, 0.25), "one early frame only");
    np_pace_undecided(&p);
    CHECK(np_pace_due(&p, 0.25), "undecided: quick grab in the window");
    double pos = 0.25;
    for (; pos < 5; pos += 0.25) {
        np_pace_grabbed(&p, pos, false);
        np_pace_undecided(&p);
        if (!np_pace_due(&p, pos + 0.25))
            break;
    }
    CHECK(pos >= 1.99 && pos < 2.01, "the window ends 2 s after the load (ended at %.2f)", pos);
    CHECK(!np_pace_due(&p, pos + 2.9) && np_pace_due(&p, pos + 3.0), "then the steady pace");
    np_pace_grabbed(&p, 10.0, true);   /* a cut */
    np_pace_grabbed(&p, 10.25, false);
    np_pace_grabbed(&p, 10.5, false);  /* the follow-ups */
    np_pace_undecided(&p);
    CHECK(np_pace_due(&p, 10.75), "a cut opens a new window");
    np_pace_grabbed(&p, 12.5, false);
    np_pace_undecided(&p);
    CHECK(!np_pace_due(&p, 12.75), "and it closes 2 s after the cut");

    /* the CPU meter: a steady load reads as its share of one core, a
     * burst fades within minutes */
    np_cpu_meter m = {0};
    for (int i = 1; i <= 600; i++)
        np_cpu_meter_add(&m, i, 0.25);   /* 0.25 s of CPU every second */
    double share = np_cpu_meter_share(&m, 600);
    CHECK(share > 0.24 && share < 0.26, "steady quarter of a core reads %.3f", share);
    CHECK(np_cpu_meter_share(&m, 600 + 300) < 0.01 * share + 0.002, "an idle five minutes");
    np_cpu_meter b = {0};
    np_cpu_meter_add(&b, 1000, 1.0);
    CHECK(np_cpu_meter_share(&b, 1000) > 0.016 && np_cpu_meter_share(&b, 1000) < 0.017,
          "one CPU second is 1/60 of a minute");
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

    /* pooled scenes: a decisive pooled answer acts at once */
    np_decider_reset(&d);
    CHECK(np_decider_scene(&d, &a, 1) && np_choice_height(&d.current) == 720, "pooled 720p at once");
    CHECK(!np_decider_scene(&d, &a2, 5), "the same answer again: no change");
    np_choice a_cat = up(720, "catrom", 0.9);
    CHECK(!np_decider_scene(&d, &a_cat, 1) && np_decider_scene(&d, &a_cat, 2) &&
          !strcmp(d.current.kernel_name, "catrom"), "a kernel-only change waits for a second frame");
    CHECK(!np_decider_scene(&d, &uns, 1) && !np_decider_scene(&d, &uns, 2) &&
          np_decider_scene(&d, &uns, 3) && d.current.verdict == NR_VERDICT_UNSURE,
          "an unsure scene switches the descale off after off-frames frames");
    CHECK(np_decider_scene(&d, &nat, 1) && d.current.verdict == NR_VERDICT_NATIVE, "native at once");
    CHECK(!np_decider_scene(&d, &uns, 9) && d.current.verdict == NR_VERDICT_NATIVE,
          "unsure does not replace native");
    CHECK(!np_decider_scene(&d, &low, 1) && d.current.verdict == NR_VERDICT_NATIVE,
          "a pooled answer below the confidence threshold counts as unsure");
    np_decider_reset(&d);
    np_choice weak_native = plain(NR_VERDICT_NATIVE, 0.12);
    CHECK(np_decider_scene(&d, &weak_native, 3) && d.current.verdict == NR_VERDICT_NATIVE,
          "a pooled native answer counts at any confidence (it runs nothing)");
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

static np_span span_of(double start, double end, double height, const char *kernel)
{
    np_span s;
    memset(&s, 0, sizeof(s));
    s.start = start;
    s.end = end;
    s.confidence = 0.9;
    s.verdict = height > 0 ? NR_VERDICT_UPSCALED : NR_VERDICT_NATIVE;
    s.height = height > 0 ? height : 0;
    nr_kernel_parse(kernel ? kernel : "bilinear", &s.kernel);
    return s;
}

static void test_timeline(void)
{
    np_timeline t = {.count = 0};
    np_span nat = span_of(0, 0.5, 0, NULL), up720 = span_of(3.5, 5.75, 720, "bilinear");
    CHECK(np_timeline_where(&t, 1).kind == NP_WHERE_UNKNOWN, "empty: unknown");
    CHECK(np_timeline_put(&t, &nat) && np_timeline_put(&t, &up720) && t.count == 2, "two spans");
    np_where w = np_timeline_where(&t, 0.2);
    CHECK(w.kind == NP_WHERE_SPAN && w.index == 0, "inside the native span");
    w = np_timeline_where(&t, 2.0);
    CHECK(w.kind == NP_WHERE_GAP && w.index == 1, "between different answers: a gap (%d)", w.kind);
    w = np_timeline_where(&t, 4.0);
    CHECK(w.kind == NP_WHERE_SPAN && w.index == 1, "inside the 720p span");
    CHECK(np_timeline_where(&t, 9).kind == NP_WHERE_UNKNOWN, "after the last span");
    /* the same scene seen again: an extension, not a change */
    np_span longer = up720;
    longer.end = 6.5;
    CHECK(!np_timeline_put(&t, &longer) && t.count == 2 && t.spans[1].end == 6.5, "extension");
    /* a cut seen inside the gap narrows it */
    np_timeline_cut_seen(&t, 1, 3.1);
    CHECK(t.spans[1].start == 3.1, "cut narrows the gap: %g", t.spans[1].start);
    np_timeline_cut_seen(&t, 1, 0.2);
    CHECK(t.spans[1].start == 3.1, "a cut inside the previous span is refused");
    /* same answers on both sides: no gap */
    np_timeline u = {.count = 0};
    np_span a = span_of(0, 1, 720, "bilinear"), b = span_of(4, 5, 720.25, "bilinear");
    np_timeline_put(&u, &a);
    np_timeline_put(&u, &b);
    CHECK(np_timeline_where(&u, 2).kind == NP_WHERE_SPAN, "same answer across the gap");
    np_span c = span_of(4, 5, 720, "catrom");
    CHECK(!np_span_same_answer(&a, &c), "another kernel is another answer");
    /* a newer observation splits an older span */
    np_span mid = span_of(0.4, 0.6, 0, NULL);
    CHECK(np_timeline_put(&u, &mid) && u.count == 4, "split: %d spans", u.count);
    CHECK(np_timeline_where(&u, 0.5).kind == NP_WHERE_SPAN &&
          u.spans[np_timeline_where(&u, 0.5).index].verdict == NR_VERDICT_NATIVE, "newer wins");
    CHECK(np_timeline_valid(&u), "still valid after a split");
    /* bounded */
    np_timeline big = {.count = 0};
    for (int i = 0; i < 3 * NP_TIMELINE_MAX; i++) {
        np_span s = span_of(i, i + 0.5, i % 2 ? 720 : 0, "bilinear");
        np_timeline_put(&big, &s);
        CHECK(big.count <= NP_TIMELINE_MAX && np_timeline_valid(&big), "bound at %d", i);
    }
    np_span bad = span_of(5, 4, 0, NULL);
    CHECK(!np_timeline_put(&t, &bad), "start after end refused");
}

static void test_cache(void)
{
    char dir[] = "/tmp/np-test-cache-XXXXXX";
    CHECK(mkdtemp(dir), "mkdtemp");
    char sub[256], err[512];
    snprintf(sub, sizeof(sub), "%s/deeper/cache", dir);
    np_cache_key k = {.path = "/media/a\tb.mkv", .size = 1234, .duration = 1440.5, .w = 1920,
                      .h = 1080};
    np_timeline t = {.count = 0}, got;
    np_span nat = span_of(0, 88.5, 0, NULL), frac = span_of(91, 1400, 873.5, "mitchell");
    frac.width = 1552.889;
    np_span bc = span_of(1401, 1420, 810, "bicubic");
    bc.kernel.b = 0.25;
    bc.kernel.c = 0.45;
    np_timeline_put(&t, &nat);
    np_timeline_put(&t, &frac);
    np_timeline_put(&t, &bc);
    CHECK(np_cache_lookup(sub, &k, &got, err, sizeof(err)) == -1 && !err[0], "miss on an empty cache");
    CHECK(np_cache_store(sub, &k, &t, 10, err, sizeof(err)) == 0, "store: %s", err);
    CHECK(np_cache_lookup(sub, &k, &got, err, sizeof(err)) == 0 && got.count == 3 && !err[0],
          "hit: %s", err);
    CHECK(got.count == 3 && got.spans[0].verdict == NR_VERDICT_NATIVE &&
          fabs(got.spans[1].height - 873.5) < 1e-9 && fabs(got.spans[1].width - 1552.889) < 1e-9 &&
          got.spans[1].kernel.type == frac.kernel.type && fabs(got.spans[1].start - 91) < 1e-9 &&
          fabs(got.spans[2].kernel.b - 0.25) < 1e-9 && fabs(got.spans[2].kernel.c - 0.45) < 1e-9,
          "timeline round trip (bicubic b/c kept)");
    np_cache_key other = k;
    other.size = 1235;
    CHECK(np_cache_lookup(sub, &other, &got, err, sizeof(err)) == -1, "another size is another file");
    t.count = 1;
    CHECK(np_cache_store(sub, &k, &t, 10, err, sizeof(err)) == 0, "replace");
    CHECK(np_cache_lookup(sub, &k, &got, err, sizeof(err)) == 0 && got.count == 1, "replaced");
    CHECK(np_cache_forget(sub, &k, err, sizeof(err)) == 0 &&
          np_cache_lookup(sub, &k, &got, err, sizeof(err)) == -1, "forget");

    /* the parser on hostile bytes: never a hit, never a crash */
    char id[4400];
    np_cache_id(&k, id, sizeof(id));
    static const char *const bad[] = {
        "1\t0 1 upscaled 720 0 bilinear 0 0.5\n",                 /* 8 fields */
        "1\t0 1 upscaled 720 0 nokernel 0 0.5 0.9\n",
        "1\t0 1 upscaled nan 0 bilinear 0 0.5 0.9\n",
        "1\t2 1 native 0 0 none 0 0 0.9\n",                       /* start after end */
        "2\t0 1 native 0 0 none 0 0 0.9\n",                       /* count says 2 */
        "1\t0 1 native 0 0 none 0 0 0.9\textra\n",
        "999999\t0 1 native 0 0 none 0 0 0.9\n",
        "1\t0 1 upscaled 720 0 bilinear 0 0.5 7\n",               /* confidence > 1 */
        "1\t5 9 native 0 0 none 0 0 0.9\t1 2 native 0 0 none 0 0 0.9\n",   /* unsorted */
        "1\t0 1 native 0 0 none 0 0 0.9",                         /* no newline */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char buf[8192];
        int n = snprintf(buf, sizeof(buf), "#nativeres-cache-v2\n%s\t%s", id, bad[i]);
        int badl = 0;
        CHECK(np_cache_find(buf, (size_t)n, id, &got, &badl, err, sizeof(err)) == 0 && badl == 1,
              "damaged line %zu accepted (or not counted)", i);
    }
    {
        char buf[8192];
        int n = snprintf(buf, sizeof(buf), "#nativeres-cache-v2\n%s\t1\t0 1 native 0 0 none 0 0 0.9\n",
                         id);
        CHECK(np_cache_find(buf, (size_t)n, id, &got, NULL, err, sizeof(err)) == 1 && got.count == 1,
              "a good line parses");
        /* every prefix of a good file: no crash, no hit from a cut line */
        for (int cut = 0; cut < n - 1; cut++)
            CHECK(np_cache_find(buf, (size_t)cut, id, &got, NULL, err, sizeof(err)) <= 0,
                  "prefix %d gave a hit", cut);
        CHECK(np_cache_find("#nativeres-cache-v1\nx\n", 22, id, &got, NULL, err, sizeof(err)) < 0 &&
              strstr(err, "older format"), "old format refused: %s", err);
        CHECK(np_cache_find("\x7f" "ELF\1\1\0\0", 8, id, &got, NULL, err, sizeof(err)) < 0,
              "junk refused");
    }

    /* another episode of the folder (np_cache_find_sibling): same folder,
     * same source size, another name, an upscaled scene; the newest wins */
    {
        np_cache_key ep = {.path = "/shows/x/ep02.mkv", .size = 9, .duration = 1400, .w = 1920,
                           .h = 1080};
        static const char *const lines =
            "#nativeres-cache-v2\n"
            "/shows/x/ep01.mkv\t5\t1400.000\t1920x1080\t1\t0 9 upscaled 720 1280 bilinear 0 0.5 0.9\n"
            "/shows/x/sub/ep09.mkv\t5\t1400.000\t1920x1080\t1\t0 9 upscaled 540 960 bilinear 0 0.5 0.9\n"
            "/shows/y/ep01.mkv\t5\t1400.000\t1920x1080\t1\t0 9 upscaled 900 1600 bilinear 0 0.5 0.9\n"
            "/shows/x/ep03.mkv\t5\t1400.000\t1280x720\t1\t0 9 upscaled 540 960 bilinear 0 0.5 0.9\n"
            "/shows/x/ep02.mkv\t9\t1400.000\t1920x1080\t1\t0 9 upscaled 600 1066 bilinear 0 0.5 0.9\n"
            "/shows/x/op.mkv\t5\t90.000\t1920x1080\t1\t0 9 native 0 0 none 0 0 0.9\n"
            "/shows/x/ep04.mkv\t5\t1400.000\t1920x1080\t1\t0 9 upscaled 810 1440 catrom 0 0.5 0.9\n"
            "/shows/x/ep05.mkv\t5\t1400.000\t1920x1080\t1\t0 9 native 0 0 none 0 0 0.9\n";
        CHECK(np_cache_find_sibling(lines, strlen(lines), &ep, &got) == 1 && got.count == 1 &&
              fabs(got.spans[0].height - 810) < 1e-9,
              "sibling: want ep04's 810 (newest upscaled in the folder), got %g",
              got.count ? got.spans[0].height : -1);
        np_cache_key lone = {.path = "/other/ep01.mkv", .size = 1, .duration = 1, .w = 1920, .h = 1080};
        CHECK(np_cache_find_sibling(lines, strlen(lines), &lone, &got) == 0, "sibling in another folder");
        np_cache_key rel = {.path = "ep01.mkv", .size = 1, .duration = 1, .w = 1920, .h = 1080};
        CHECK(np_cache_find_sibling(lines, strlen(lines), &rel, &got) == 0, "no folder, no sibling");
        for (size_t cut = 0; cut < strlen(lines); cut += 7)
            np_cache_find_sibling(lines, cut, &ep, &got);   /* prefixes: no crash (asan) */
        CHECK(np_cache_find_sibling("\x7f" "ELF\1\1\0\0", 8, &ep, &got) < 0, "sibling: junk refused");
    }

    /* a damaged or foreign results file: ignored with a reason, then replaced */
    char file[512];
    snprintf(file, sizeof(file), "%s/results.tsv", sub);
    FILE *junk = fopen(file, "w");
    if (junk) {
        fputs("garbage\x01\x02\n\n\t\t\t", junk);
        fclose(junk);
    }
    CHECK(np_cache_lookup(sub, &k, &got, err, sizeof(err)) == -2 && err[0], "junk file: %s", err);
    t.count = 2;
    CHECK(np_cache_store(sub, &k, &t, 10, err, sizeof(err)) == 0 &&
          np_cache_lookup(sub, &k, &got, err, sizeof(err)) == 0 && got.count == 2,
          "a junk file is replaced on store");
    /* never through a symbolic link: the target stays untouched */
    char target[512], lock[512];
    snprintf(target, sizeof(target), "%s/victim.txt", dir);
    FILE *v = fopen(target, "w");
    if (v) {
        fputs("precious\n", v);
        fclose(v);
    }
    unlink(file);
    CHECK(symlink(target, file) == 0, "symlink");
    CHECK(np_cache_lookup(sub, &k, &got, err, sizeof(err)) == -2 && strstr(err, "symbolic link"),
          "a symlinked results file is not read: %s", err);
    CHECK(np_cache_store(sub, &k, &t, 10, err, sizeof(err)) == 0, "store over a link: %s", err);
    struct stat st;
    CHECK(lstat(file, &st) == 0 && S_ISREG(st.st_mode), "the link was replaced by a file");
    v = fopen(target, "r");
    char content[64] = "";
    if (v) {
        if (!fgets(content, sizeof(content), v))
            content[0] = '\0';
        fclose(v);
    }
    CHECK(!strcmp(content, "precious\n"), "the link's target was written: %s", content);
    snprintf(lock, sizeof(lock), "%s/results.lock", sub);
    unlink(lock);
    CHECK(symlink(target, lock) == 0, "symlink lock");
    CHECK(np_cache_store(sub, &k, &t, 10, err, sizeof(err)) < 0 && strstr(err, "symbolic link"),
          "a symlinked lock file is refused: %s", err);
    unlink(lock);

    /* bounded, and safe with several writers at once */
    enum { WRITERS = 4, EACH = 40, BOUND = 100 };
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            for (int i = 0; i < EACH; i++) {
                char p[64], er[512];
                snprintf(p, sizeof(p), "/w%d/file%d.mkv", w, i);
                np_cache_key kk = {.path = p, .size = i, .duration = 1, .w = 1920, .h = 1080};
                np_timeline tt = {.count = 0}, gg;
                np_span s1 = span_of(0, 1, 0, NULL), s2 = span_of(2, 3 + i, 720, "catrom");
                np_timeline_put(&tt, &s1);
                np_timeline_put(&tt, &s2);
                if (np_cache_store(sub, &kk, &tt, BOUND, er, sizeof(er)) < 0)
                    _exit(1);
                if (np_cache_lookup(sub, &kk, &gg, er, sizeof(er)) < 0 || gg.count != 2 || er[0])
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int st2 = 0;
        waitpid(pids[w], &st2, 0);
        CHECK(WIFEXITED(st2) && WEXITSTATUS(st2) == 0, "writer %d failed", w);
    }
    FILE *f = fopen(file, "r");
    int lines = 0;
    char line[4096];
    while (f && fgets(line, sizeof(line), f)) {
        if (line[0] != '#') {
            lines++;
            CHECK(strchr(line, '\n') && strstr(line, "\t2\t"), "damaged line: %s", line);
        }
    }
    if (f)
        fclose(f);
    CHECK(lines == BOUND, "bounded to %d entries, got %d", BOUND, lines);
    /* the newest entry survives the bound (one stored after the writers: which
     * writer finished last depends on the scheduler, and a loaded machine
     * ran writer 0 to its end before the others began) */
    np_cache_key last = {.path = "/final.mkv", .size = 1, .duration = 1, .w = 1920, .h = 1080};
    CHECK(np_cache_store(sub, &last, &t, BOUND, err, sizeof(err)) == 0, "store: %s", err);
    CHECK(np_cache_lookup(sub, &last, &got, err, sizeof(err)) == 0 && got.count == t.count,
          "newest entry kept");
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
    /* a doubler of the user's, by file name; ours never counts */
    const char *with[] = {"/home/u/.cache/nativeres/shaders/nativeres-rescale-fast-x.glsl",
                          "/home/u/.config/mpv/shaders/CfL_Prediction.glsl",
                          "/home/u/.config/mpv/shaders/ArtCNN_C4F16.glsl"};
    CHECK(np_shader_list_doubler(with, 3, dir) == with[2], "ArtCNN is a doubler");
    const char *names[] = {"FSRCNNX_x2_8-0-4-1.glsl", "ravu-lite-ar-r3.glsl",
                           "Anime4K_Upscale_CNN_x2_M.glsl", "nnedi3-nns32-win8x4.glsl",
                           "superxbr.glsl", "NVScaler.glsl", "FSR.glsl"};
    for (int i = 0; i < 7; i++)
        CHECK(np_shader_list_doubler(&names[i], 1, dir) == names[i], "%s not a doubler", names[i]);
    const char *none[] = {"/x/CfL_Prediction.glsl", "/x/adaptive-sharpen.glsl", "/x/KrigBilateral.glsl",
                          "/home/u/.cache/nativeres/shaders/nativeres-ravu-like-name.glsl"};
    CHECK(np_shader_list_doubler(none, 4, dir) == NULL, "a non-doubler (or ours) taken for one");
}

/* 8-bit limited-range Y'CbCr -> full-range bgr0 as mpv's software
 * conversion does it (the matrix, then each channel rounded and clipped) */
static void ycbcr_to_bgr0(const uint8_t *yp, const uint8_t *cb, const uint8_t *cr, int n,
                          float kr, float kb, uint8_t *out)
{
    float kg = 1 - kr - kb;
    for (int i = 0; i < n; i++) {
        float y = (yp[i] - 16) / 219.0f, u = (cb[i] - 128) / 224.0f, v = (cr[i] - 128) / 224.0f;
        float r = y + 2 * (1 - kr) * v, b = y + 2 * (1 - kb) * u;
        float g = (y - kr * r - kb * b) / kg;
        float c[3] = {b, g, r};
        for (int k = 0; k < 3; k++)
            out[4 * i + k] = (uint8_t)lrintf(fminf(fmaxf(c[k], 0), 1) * 255);
        out[4 * i + 3] = 0;
    }
}

static bool clipped_px(const uint8_t *p)
{
    return p[0] == 0 || p[0] == 255 || p[1] == 0 || p[1] == 255 || p[2] == 0 || p[2] == 255;
}

/* The grab's luma is the coded luma, exactly, for 8-bit limited-range
 * video (the matrix from video-params); anything else stays unsnapped. */
static void test_frame_coded_luma(void)
{
    np_luma_coding c;
    np_luma_coding_from_params(&c, "bt.709", "limited", "yuv420p");
    CHECK(c.limited8 && c.kr == 0.2126f && c.kb == 0.0722f, "bt.709 limited yuv420p");
    np_luma_coding_from_params(&c, "bt.601", "limited", "nv12");
    CHECK(c.limited8 && c.kr == 0.299f && c.kb == 0.114f, "bt.601 limited nv12");
    np_luma_coding_from_params(&c, "bt.709", "limited", "yuv420p10");
    CHECK(!c.limited8, "10-bit video snapped to 8-bit codes");
    np_luma_coding_from_params(&c, "bt.709", "full", "yuv420p");
    CHECK(!c.limited8, "full-range video snapped to limited codes");
    np_luma_coding_from_params(&c, "rgb", "full", "gbrp");
    CHECK(!c.limited8 && c.kr == 0.2126f, "RGB video: BT.709 weights, unsnapped");
    np_luma_coding_from_params(&c, NULL, NULL, NULL);
    CHECK(!c.limited8, "no video-params");

    enum { N = 64 * 64 };
    static uint8_t yp[N], cb[N], cr[N], bgr0[4 * N];
    static float luma[N];
    uint32_t seed = 7;
    for (int i = 0; i < N; i++) {
        seed = seed * 1664525u + 1013904223u;
        yp[i] = 50 + (seed >> 8) % 150;
        cb[i] = 128 - 24 + (seed >> 16) % 48;   /* coloured, seldom out of the gamut */
        cr[i] = 128 - 24 + (seed >> 24) % 48;
    }
    const float mats[2][2] = {{0.2126f, 0.0722f}, {0.299f, 0.114f}};
    const char *names[2] = {"bt.709", "bt.601"};
    for (int m = 0; m < 2; m++) {
        ycbcr_to_bgr0(yp, cb, cr, N, mats[m][0], mats[m][1], bgr0);
        np_luma_coding_from_params(&c, names[m], "limited", "yuv420p");
        CHECK(np_bgr0_to_luma(bgr0, 64, 64, 4 * 64, &c, luma), "%s: snapped", names[m]);
        int off = 0, clipped = 0;
        for (int i = 0; i < N; i++) {
            if (clipped_px(bgr0 + 4 * i)) {
                clipped++;   /* out of the gamut: the grab lost the luma there */
                continue;
            }
            off += fabsf(luma[i] - (yp[i] - 16) / 219.0f) > 1e-6f;
        }
        CHECK(off == 0 && clipped < N / 50, "%s: %d of %d pixels not their coded luma (%d clipped)",
              names[m], off, N, clipped);
        /* the other matrix's weights: the grab does not bear them out */
        np_luma_coding_from_params(&c, names[1 - m], "limited", "yuv420p");
        CHECK(!np_bgr0_to_luma(bgr0, 64, 64, 4 * 64, &c, luma), "%s grab snapped as %s",
              names[m], names[1 - m]);
    }
    /* unsnapped (full range): within RGB rounding of the coded luma */
    np_luma_coding_from_params(&c, "bt.709", "full", "yuv420p");
    ycbcr_to_bgr0(yp, cb, cr, N, 0.2126f, 0.0722f, bgr0);
    CHECK(!np_bgr0_to_luma(bgr0, 64, 64, 4 * 64, &c, luma), "full range snapped");
    double worst = 0;
    for (int i = 0; i < N; i++)
        if (!clipped_px(bgr0 + 4 * i))
            worst = fmax(worst, fabs(16 + 219 * luma[i] - yp[i]));
    CHECK(worst > 0.05 && worst <= 0.5 * 219 / 255 + 1e-3, "unsnapped luma %.3f codes off", worst);
}

/* mpv's own lines (mpv 0.35 vo_gpu and libmpv's renderer on Mesa without
 * compute shaders, libplacebo 4.208 under gpu-next) and lines that must not
 * move the plugin. */
static void test_render_errors(void)
{
    static const struct {
        const char *prefix, *level, *text;
        np_render_error want;
    } cases[] = {
        {"vo/gpu/opengl", "error", "compute shader source:\n", NP_RENDER_COMPUTE_FAILED},
        {"vo/gpu/opengl", "error", "after dispatching compute shader: OpenGL error INVALID_ENUM.\n",
         NP_RENDER_COMPUTE_FAILED},
        {"libmpv_render", "error", "compute shader source:\n", NP_RENDER_COMPUTE_FAILED},
        {"vo/gpu-next/libplacebo", "error", "Failed dispatching COMPUTE shader\n",
         NP_RENDER_COMPUTE_FAILED},
        {"vo/gpu-next/libplacebo", "error", "Failed executing hook, disabling\n",
         NP_RENDER_SHADER_FAILED},
        {"vo/gpu/opengl", "error", "shader link log (status=0): error: no shaders attached\n",
         NP_RENDER_SHADER_FAILED},
        {"vo/gpu/opengl", "error", "fragment shader source:\n", NP_RENDER_SHADER_FAILED},
        {"vo/gpu/opengl", "error", "shader compile log (status=0): 0:12(3): error: x\n",
         NP_RENDER_SHADER_FAILED},
        /* a failed shader's source lines: anybody's words */
        {"vo/gpu/opengl", "error", "[  2] #extension GL_ARB_compute_shader : enable\n",
         NP_RENDER_NONE},
        {"libmpv_render", "error", "[229] // weights recomputed in the loops\n", NP_RENDER_NONE},
        /* not an error, or not the renderer */
        {"vo/gpu", "v", "Disabling HDR peak computation (compute shaders=0, SSBO=1).\n",
         NP_RENDER_NONE},
        {"vo/gpu-next/opengl", "warn", "Suspected software renderer or indirect context.\n",
         NP_RENDER_NONE},
        {"cplayer", "error", "compute shader source:\n", NP_RENDER_NONE},
        {"lua", "error", "Failed executing hook\n", NP_RENDER_NONE},
        {"ffmpeg/video", "error", "error while decoding MB 3 4\n", NP_RENDER_NONE},
        {"vo/gpu", "error", "[x] not a line number\n", NP_RENDER_NONE},
        {NULL, "error", "compute", NP_RENDER_NONE},
        {"vo/gpu", NULL, "compute", NP_RENDER_NONE},
        {"vo/gpu", "error", NULL, NP_RENDER_NONE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        np_render_error got = np_render_error_of(cases[i].prefix, cases[i].level, cases[i].text);
        CHECK(got == cases[i].want, "render error of [%s][%s] '%s': %d, want %d",
              cases[i].prefix ? cases[i].prefix : "(null)",
              cases[i].level ? cases[i].level : "(null)",
              cases[i].text ? cases[i].text : "(null)", got, cases[i].want);
    }
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
    np_bgr0_to_luma(img, W, H, STRIDE, NULL, luma);
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
    const np_shader_spec descale = {.kind = NP_SHADER_DESCALE, .preset = NR_RESCALE_BALANCED,
                                    .compare = false, .lines = 0};
    const np_shader_spec compare = {.kind = NP_SHADER_DESCALE, .preset = NR_RESCALE_BALANCED,
                                    .compare = true, .lines = 0};
    CHECK(np_shader_file(dir, &c.scale, &descale, p1, sizeof(p1), err, sizeof(err)) == 0,
          "descale file: %s", err);
    CHECK(np_shader_file(dir, &c.scale, &descale, p2, sizeof(p2), err, sizeof(err)) == 0 &&
          !strcmp(p1, p2), "same scale, same file");
    CHECK(strstr(p1, "/nativeres-descale-1920x1080-from-873.5p-mitchell-"), "name %s", p1);
    CHECK(np_shader_file(dir, &c.scale, &compare, pc, sizeof(pc), err, sizeof(err)) == 0 &&
          strcmp(p1, pc), "compare file: %s", err);
    char *text = np_shader_text(&c.scale, &compare, err, sizeof(err));
    CHECK(text && strstr(text, "//!SAVE NATIVERES_ORIG") && strstr(text, "//!BIND NATIVERES_ORIG") &&
          strstr(text, "HOOKED.w 1920 == HOOKED.h 1080 == *") &&
          strstr(text, "HOOKED.w 1554 == HOOKED.h 874 == *"), "compare wrapper");
    free(text);
    np_choice d = up(720, "bilinear", 1);
    CHECK(np_shader_file(dir, &d.scale, &descale, p2, sizeof(p2), err, sizeof(err)) == 0 &&
          strcmp(p1, p2), "another scale, another file");
    /* the rescale chain, and its compare view at the chain's own output size */
    char pr[4096], prc[4096];
    const np_shader_spec bal = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_BALANCED,
                                .compare = false, .lines = 0};
    const np_shader_spec bal_cmp = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_BALANCED,
                                    .compare = true, .lines = 0};
    const np_shader_spec fast_cmp = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_FAST,
                                     .compare = true, .lines = 0};
    CHECK(np_shader_file(dir, &d.scale, &bal, pr, sizeof(pr), err, sizeof(err)) == 0 &&
          strstr(pr, "/nativeres-rescale-balanced-1920x1080-from-720p-bilinear-"),
          "rescale file: %s %s", pr, err);
    CHECK(np_shader_file(dir, &d.scale, &bal_cmp, prc, sizeof(prc), err, sizeof(err)) == 0 &&
          strstr(prc, "/nativeres-compare-rescale-balanced-1920x1080-"), "rescale compare file");
    text = np_shader_text(&d.scale, &bal_cmp, err, sizeof(err));
    CHECK(text && strstr(text, "//!SAVE NATIVERES_ORIG") &&
          strstr(text, "source | rescaled") && strstr(text, "NATIVERES_ORIG.w 1920 =="),
          "rescale compare wrapper");
    free(text);
    text = np_shader_text(&d.scale, &fast_cmp, err, sizeof(err));
    CHECK(text && strstr(text, "source | descaled") && strstr(text, "HOOKED.w 1280 =="),
          "fast compare: the native-size plane, as the descale's");
    CHECK(text && strstr(text, "return HOOKED_tex(HOOKED_pos);\n}\n"), "fast compare text cut short");
    free(text);
    /* lines: a pass after the chain, before the compare view; another file */
    char pl[4096];
    const np_shader_spec bal_lines = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_BALANCED,
                                      .compare = true, .lines = 1.5};
    text = np_shader_text(&d.scale, &bal_lines, err, sizeof(err));
    const char *lines_at = text ? strstr(text, "//!DESC nativeres lines (strength 1.5)") : NULL;
    const char *side_at = text ? strstr(text, "//!DESC nativeres compare: source | rescaled") : NULL;
    CHECK(lines_at && side_at && lines_at < side_at, "lines pass missing or after the compare view");
    free(text);
    /* a picture smaller than the source on screen: DPID to its size after
     * lines, before the compare view; another file; never behind fast */
    const np_shader_spec bal_fit = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_BALANCED,
                                    .compare = true, .lines = 1.5, .fit_w = 1280, .fit_h = 720};
    text = np_shader_text(&d.scale, &bal_fit, err, sizeof(err));
    lines_at = text ? strstr(text, "//!DESC nativeres lines (strength 1.5)") : NULL;
    const char *dpid_at = text ? strstr(text, "//!DESC nativeres dpid 1280x720 <- 1920x1080") : NULL;
    side_at = text ? strstr(text, "//!DESC nativeres compare: source | rescaled") : NULL;
    CHECK(lines_at && dpid_at && side_at && lines_at < dpid_at && dpid_at < side_at,
          "DPID pass missing or out of place");
    free(text);
    char pf[4096];
    CHECK(np_shader_file(dir, &d.scale, &bal_fit, pf, sizeof(pf), err, sizeof(err)) == 0 &&
          strstr(pf, "/nativeres-compare-rescale-balanced-dpid-1920x1080-"), "DPID file: %s", pf);
    const np_shader_spec fast_fit = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_FAST,
                                     .fit_w = 1280, .fit_h = 720};
    text = np_shader_text(&d.scale, &fast_fit, err, sizeof(err));
    CHECK(text && !strstr(text, "nativeres dpid 1280x720"), "DPID behind a native-size output");
    free(text);
    const np_shader_spec wide_fit = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_BALANCED,
                                     .fit_w = 1920, .fit_h = 1080};
    text = np_shader_text(&d.scale, &wide_fit, err, sizeof(err));
    CHECK(text && !strstr(text, "nativeres dpid"), "DPID at the source size");
    free(text);
    CHECK(np_shader_file(dir, &d.scale, &bal_lines, pl, sizeof(pl), err, sizeof(err)) == 0 &&
          strcmp(pl, prc), "lines: a file of its own");
    /* chroma from the restored luma: a CHROMA hook after the chain, a file
     * of its own; none without it */
    char pch[4096];
    const np_shader_spec bal_chroma = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_BALANCED,
                                       .chroma = true};
    text = np_shader_text(&d.scale, &bal_chroma, err, sizeof(err));
    const char *chroma_at = text ? strstr(text, "//!HOOK CHROMA") : NULL;
    const char *merge_at = text ? strstr(text, "+ merge with the source") : NULL;
    CHECK(chroma_at && merge_at && merge_at < chroma_at &&
          strstr(chroma_at, "//!DESC nativeres chroma from luma"), "chroma hook missing");
    free(text);
    text = np_shader_text(&d.scale, &bal, err, sizeof(err));
    CHECK(text && !strstr(text, "//!HOOK CHROMA"), "chroma hook without being asked");
    free(text);
    CHECK(np_shader_file(dir, &d.scale, &bal_chroma, pch, sizeof(pch), err, sizeof(err)) == 0 &&
          strcmp(pch, pr), "chroma: a file of its own");
    /* chroma=learned: the fourth pass, and a file of its own */
    const np_shader_spec bal_learned = {.kind = NP_SHADER_RESCALE, .preset = NR_RESCALE_BALANCED,
                                        .chroma = true, .chroma_learned = true};
    text = np_shader_text(&d.scale, &bal_learned, err, sizeof(err));
    CHECK(text && strstr(text, "//!DESC nativeres chroma learned residual") &&
          strstr(text, "//!SAVE NR_CHROMA_BASE"), "chroma=learned: no learned pass");
    free(text);
    char pcl[4096];
    CHECK(np_shader_file(dir, &d.scale, &bal_learned, pcl, sizeof(pcl), err, sizeof(err)) == 0 &&
          strcmp(pcl, pch), "chroma=learned: a file of its own");
    np_shader_prune(dir, 1, p2);
    struct stat st;
    CHECK(stat(p2, &st) == 0, "pruning keeps the current file");
    CHECK(stat(p1, &st) < 0 && stat(pc, &st) < 0 && stat(pr, &st) < 0, "pruning removes the oldest");
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
}

/* Every ASS event (line) holds at most one \pos: libass honours only the
 * first, so labels sharing an event pile up ("5001000error vs height"). */
static bool one_pos_per_event(const char *ass)
{
    const char *line = ass;
    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        int n = 0;
        for (const char *q = line; (q = strstr(q, "\\pos(")) && q < line + len; q++)
            n++;
        if (n > 1)
            return false;
        line = end ? end + 1 : NULL;
    }
    return true;
}

static void test_info_page(void)
{
    /* the dip measure: a falling, noisy error curve with a dip at 720 */
    enum { N = 501 };
    double sizes[N], errors[N], depth[N];
    unsigned seed = 7;
    for (int i = 0; i < N; i++) {
        sizes[i] = 500 + i;
        seed = seed * 1103515245u + 12345u;
        double noise = ((seed >> 16) & 1023) / 1023.0 - 0.5;
        errors[i] = 0.02 * (1.5 - i / (double)N) * (1 + 0.25 * noise);
        if (sizes[i] == 720)
            errors[i] *= 0.05;
    }
    np_dip_depth(errors, N, depth);
    int best = 0;
    double second = 0;
    for (int i = 1; i < N; i++) {
        if (depth[i] > depth[best])
            best = i;
    }
    for (int i = 0; i < N; i++) {
        if (abs(i - best) > 1)
            second = fmax(second, depth[i]);
    }
    CHECK(sizes[best] == 720 && depth[best] > 0.9, "dip at %g depth %.2f", sizes[best], depth[best]);
    CHECK(second < 0.4, "the falling noisy curve stays low elsewhere (%.2f)", second);

    np_info in;
    memset(&in, 0, sizeof(in));
    snprintf(in.now, sizeof(in.now), "1280\u00d7720 bilinear \u2014 descaling");
    snprintf(in.change, sizeof(in.change), "1280\u00d7720 bilinear \u2014 descaling");
    in.source = "detect";
    in.running = in.enabled = true;
    in.curve_sizes = sizes;
    in.curve_errors = errors;
    in.curve_count = N;
    in.mark = 720;
    snprintf(in.curve_kernel, sizeof(in.curve_kernel), "bilinear");
    np_timeline t = {.count = 0};
    np_span a = span_of(0, 30, 0, NULL), b = span_of(35, 80, 720, "bilinear");
    np_timeline_put(&t, &a);
    np_timeline_put(&t, &b);
    in.timeline = &t;
    in.duration = 100;
    in.pos = 50;
    char *ass = np_info_ass(&in);
    CHECK(ass && strstr(ass, "1280\u00d7720 bilinear") && strstr(ass, "dip depth by height (bilinear"),
          "info page text");
    CHECK(ass && one_pos_per_event(ass), "an event with several \\pos");
    CHECK(ass && strstr(ass, "}500\n") && strstr(ass, "}1000\n") && !strstr(ass, "5001000"),
          "axis labels 500 and 1000 each in an event of their own");
    CHECK(ass && strstr(ass, "720p in use"), "the height in use is labelled");
    /* the first event is the translucent box the page sits on */
    const char *nl = ass ? strchr(ass, '\n') : NULL;
    const char *alpha = ass ? strstr(ass, "\\1a&H") : NULL;
    CHECK(ass && !strncmp(ass, "{\\an7\\pos(", 10) && nl && alpha && alpha < nl &&
          strstr(ass, "\\p1}m 0 0 l ") < nl, "no translucent box first");
    CHECK(ass && strstr(ass, "scenes:"), "the timeline bar");
    free(ass);
    in.curve_count = 0;
    in.timeline = NULL;
    ass = np_info_ass(&in);
    CHECK(ass && !strstr(ass, "dip depth") && !strstr(ass, "scenes:"), "no curve, no graph");
    free(ass);
    ass = np_message_ass("nativeres: 1280\u00d7720 bilinear \u2014 descaling");
    CHECK(ass && strstr(ass, "\\1a&H") && strstr(ass, "\\p1}") && strstr(ass, "descaling") &&
          one_pos_per_event(ass), "message on a box");
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
    test_render_errors();
    test_pace();
    test_decide();
    test_choice_text();
    test_timeline();
    test_cache();
    test_shader_list();
    test_frame();
    test_frame_coded_luma();
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
