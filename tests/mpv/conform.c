/* The shared part of the conformance drivers; see conform.h. */
#include "conform.h"
#include "read_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

_Noreturn void nr_conform_usage(const nr_conform *c, const char *msg, const char *arg)
{
    fprintf(stderr, "%s: %s%s%s (see %s)\n", c->prog, msg, arg ? ": " : "", arg ? arg : "",
            c->source);
    exit(2);
}

static double parse_tolerance(const nr_conform *c, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || !(v > 0 && v < 1))
        nr_conform_usage(c, "expected a tolerance in (0, 1)", s);
    return v;
}

/* Returns 2 if flag is a common one (taking value), else 0. */
static int common_flag(nr_conform *c, const char *f, const char *v)
{
    const char **dst = !strcmp(f, "--renderer") ? &c->renderer_name
                     : !strcmp(f, "--host")     ? &c->host
                     : !strcmp(f, "--shader")   ? &c->shader
                     : !strcmp(f, "--workdir")  ? &c->workdir
                     : !strcmp(f, "--name")     ? &c->name
                     : NULL;
    bool tolerance = !strcmp(f, "--max") || !strcmp(f, "--mean");
    bool mpv_opt = !strcmp(f, "--mpv-opt");
    if (!dst && !tolerance && !mpv_opt)
        return 0;
    if (!v)
        nr_conform_usage(c, "missing value", f);
    if (dst)
        *dst = v;
    else if (tolerance)
        *(!strcmp(f, "--max") ? &c->max_tol : &c->mean_tol) = parse_tolerance(c, v);
    else if (c->num_mpv_opts == NR_CONFORM_MAX_MPV_OPTS)
        nr_conform_usage(c, "too many --mpv-opt", v);
    else
        c->mpv_opts[c->num_mpv_opts++] = v;
    return 2;
}

void nr_conform_parse(nr_conform *c, int argc, char **argv, nr_conform_flag_fn own, void *ctx)
{
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int used = common_flag(c, f, v);
        if (!used && own)
            used = own(ctx, c, f, v);
        if (!used)
            nr_conform_usage(c, v ? "unknown flag" : "missing value or unknown flag", f);
        i += used - 1;
    }
}

void nr_conform_need_renderer(nr_conform *c)
{
    if (!c->renderer_name || !nr_renderer_parse(c->renderer_name, &c->renderer))
        nr_conform_usage(c, "--renderer must be vo_gpu or gpu-next", c->renderer_name);
    if (c->renderer == NR_RENDERER_VO_GPU && !c->host)
        nr_conform_usage(c, "--host is required for vo_gpu", NULL);
    if (!c->shader || !c->workdir)
        nr_conform_usage(c, "--shader and --workdir are required", NULL);
    struct stat st;
    if (stat(c->shader, &st) != 0)
        nr_conform_usage(c, "the shader does not exist", c->shader);
    mkdir(c->workdir, 0755);
}

void nr_conform_path(const nr_conform *c, const char *suffix, char *path, size_t size)
{
    snprintf(path, size, "%s/%s.%s.%s", c->workdir, c->name, nr_renderer_name(c->renderer),
             suffix);
}

/* How many of the shader's //!DESC lines contain part: the passes of the
 * variant for the other screen size, none of which may run on vo_gpu. */
static int descs_with(const char *shader, const char *part)
{
    char *text = nr_read_text(shader);
    int n = 0;
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
        n += !strncmp(line, "//!DESC", 7) && strstr(line, part);
    free(text);
    return n;
}

bool nr_conform_render(const nr_conform *c, const char *input, const char *shader, int w, int h,
                       bool rgb, const char *suffix, nr_render_result *res)
{
    char prefix[4096], err[512];
    nr_conform_path(c, suffix, prefix, sizeof(prefix));
    nr_render_job job = {
        .renderer = c->renderer, .host = c->host, .input = input, .shader = shader,
        .w = w, .h = h, .prefix = prefix, .timeout = c->timeout, .rgb = rgb,
        .mpv_opts = c->mpv_opts, .num_mpv_opts = c->num_mpv_opts,
    };
    if (!nr_render_run(&job, res, err, sizeof(err))) {
        fprintf(stderr, "FAIL: %s\n", err);
        return false;
    }
    const char *what = shader ? "with the shader" : "without shader";
    if (res->proc.timed_out || !res->proc.exited || res->proc.exit_code != 0) {
        fprintf(stderr, "FAIL: render %s: %s (exit %d after %.1f s); see %s.*\n", what,
                res->proc.timed_out ? "timed out" : "renderer failed", res->proc.exit_code,
                res->proc.seconds, prefix);
        return false;
    }
    if (res->problem[0]) {
        fprintf(stderr, "FAIL: render %s: shader problem in the log: %s\n", what, res->problem);
        return false;
    }
    int variant = shader && c->not_run ? descs_with(shader, c->not_run) : 0;
    bool variant_absent = variant > 0 && res->descs_seen == res->descs_total - variant &&
                          strstr(res->missing_desc, c->not_run);
    if (shader && (res->descs_total == 0 ||
                   (res->descs_seen != res->descs_total && !variant_absent))) {
        fprintf(stderr, "FAIL: the renderer did not run pass '%s' (%d of %d //!DESC seen)\n",
                res->missing_desc, res->descs_seen, res->descs_total);
        return false;
    }
    /* vo-passes lists the passes run; libplacebo logs every pass it parsed
     * (there the output size tells which variant ran) */
    if (shader && c->not_run && !variant_absent && c->renderer == NR_RENDERER_VO_GPU) {
        fprintf(stderr, "FAIL: the pass for the other screen size ('%s') ran too\n", c->not_run);
        return false;
    }
    if (res->image.w != w || res->image.h != h || res->image.channels != (rgb ? 3 : 1)) {
        fprintf(stderr, "FAIL: render %s: no %dx%d %s output; see %s.*\n", what, w, h,
                rgb ? "RGB" : "gray", prefix);
        return false;
    }
    printf("render %s %s: %.2f s\n", nr_renderer_name(c->renderer), what, res->proc.seconds);
    return true;
}

static bool within(const nr_diff *d, const nr_conform *c)
{
    return d->max <= c->max_tol && d->mean <= c->mean_tol;
}

bool nr_conform_check(const nr_conform *c, const char *input, const nr_image *ref,
                      nr_render_result *with)
{
    char err[512];
    bool rgb = ref->channels == 3;
    nr_render_result without = {0};
    memset(with, 0, sizeof(*with));
    if (!nr_conform_render(c, input, c->shader, ref->w, ref->h, rgb, "shader", with) ||
        !nr_conform_render(c, input, NULL, ref->w, ref->h, rgb, "plain", &without)) {
        nr_render_result_free(&without);
        return false;
    }
    nr_diff d, plain;
    bool ok = nr_image_diff_all(&with->image, ref, true, &d, err, sizeof(err)) &&
              nr_image_diff_all(&without.image, ref, true, &plain, err, sizeof(err));
    nr_render_result_free(&without);
    if (!ok) {
        fprintf(stderr, "FAIL: %s\n", err);
        return false;
    }
    printf("RESULT %s %s max=%.3e mean=%.3e signed_mean=%.3e worst_at=(%d,%d) "
           "bounds max<=%.1e mean<=%.1e\n",
           nr_renderer_name(c->renderer), c->name, d.max, d.mean, d.signed_mean, d.max_x,
           d.max_y, c->max_tol, c->mean_tol);
    printf("       without shader (the renderer's own scaling): max=%.3e mean=%.3e\n",
           plain.max, plain.mean);
    if (within(&plain, c)) {
        fprintf(stderr, "FAIL: the render without shader is within the bounds too: the "
                        "comparison cannot tell the shader ran\n");
        ok = false;
    }
    if (!within(&d, c)) {
        fprintf(stderr, "FAIL: out of bounds against the CPU reference\n");
        ok = false;
    }
    return ok;
}
