/* Option parsing for the plugin: defaults, one key at a time, and the
 * script-opts file. Every failure is a warning plus the default, never an
 * error: a typo in a config file must not stop playback. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nativeres_lines.h"
#include "options.h"
#include "nativeres_upscaler.h"

void np_options_default(np_options *o)
{
    memset(o, 0, sizeof(*o));
    o->autodetect = true;
    o->min_height = 0;
    o->max_height = 0;
    o->num_kernels = 0;
    o->confidence = 0.6;
    o->interval = 1.5;
    o->early_frames = 3;
    o->early_interval = 0.1;
    o->early_window = 2;
    o->cpu_budget = 0.08;
    o->prefer_ref = 0.25;
    o->scene_threshold = 0.5;   /* NR_SCENE_CUT: the library's own cut threshold */
    o->switch_frames = 2;
    o->off_frames = 3;
    o->fractional = true;
    o->mode = NP_MODE_RESCALE;
    o->preset = NP_PRESET_AUTO;
    o->min_realtime = 0.8;
    o->lines = 0;
    o->chroma = true;
    o->dpid = true;
    o->cache = true;
    o->cache_entries = 500;
    o->osd = true;
}

/* Compute passes cost a fraction of fragment ones on a real GPU (an H200:
 * 0.15 against 6.2 ms for the network at 640x360) and nearly every API mpv
 * runs has them: Vulkan always, D3D11 from feature level 11, OpenGL from
 * 4.3 / ES 3.1. Not macOS's OpenGL 4.1 (mpv's "cocoa" context, or cocoa-cb,
 * which names none) nor ANGLE's ES 3.0 ("angle"): fragment passes there, so
 * on macOS only a Vulkan context (MoltenVK, "macvk") gets compute passes.
 * mpv 0.35 does not say which context it runs: its gpu-api then. Where the
 * guess is wrong mpv's log says so and the plugin falls back to fragment
 * passes (render_errors.h). */
static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

bool np_hq_compute(np_compute compute, const char *gpu_context, const char *gpu_api)
{
    if (compute != NP_COMPUTE_AUTO)
        return compute == NP_COMPUTE_YES;
    bool vulkan = gpu_context && *gpu_context ? ends_with(gpu_context, "vk")
                                              : gpu_api && !strcmp(gpu_api, "vulkan");
#ifdef __APPLE__
    return vulkan;
#else
    if (vulkan)
        return true;
    return !gpu_context || (strcmp(gpu_context, "cocoa") != 0 && strcmp(gpu_context, "angle") != 0);
#endif
}

int np_hq_ensemble(int ensemble, bool compute)
{
    if (ensemble >= 1 && ensemble <= NR_UPSCALER_MAX_MEMBERS)
        return ensemble;
    return compute ? 3 : 1;
}

static void warnf(np_warn_fn warn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warnf(np_warn_fn warn, void *ctx, const char *fmt, ...)
{
    if (!warn)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    warn(ctx, buf);
}

/* value as one of the NULL-terminated names (any case): its index. */
static bool parse_choice(const char *value, const char *const *names, int *index)
{
    for (int i = 0; names[i]; i++)
        if (!strcasecmp(value, names[i])) {
            *index = i;
            return true;
        }
    return false;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") ||
        !strcasecmp(v, "on")) {
        *out = true;
        return true;
    }
    if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") ||
        !strcasecmp(v, "off")) {
        *out = false;
        return true;
    }
    return false;
}

static bool parse_double(const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || errno || !isfinite(d) || d < lo || d > hi)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return false;
    *out = d;
    return true;
}

static bool parse_int(const char *v, int lo, int hi, int *out)
{
    double d;
    if (!parse_double(v, lo, hi, &d) || d != floor(d))
        return false;
    *out = (int)d;
    return true;
}

/* Kernel lists accept ',' ';' '/' or spaces as separators: commas are
 * awkward inside --script-opts, which is itself comma-separated. */
static bool parse_kernels(np_options *o, const char *v, np_warn_fn warn, void *ctx)
{
    nr_kernel ks[NP_MAX_KERNELS];
    char names[NP_MAX_KERNELS][32];
    int n = 0;
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", v);
    for (char *save = NULL, *tok = strtok_r(buf, ",;/ \t", &save); tok;
         tok = strtok_r(NULL, ",;/ \t", &save)) {
        if (n == NP_MAX_KERNELS) {
            warnf(warn, ctx, "kernels: more than %d kernels", NP_MAX_KERNELS);
            return false;
        }
        if (!nr_kernel_parse(tok, &ks[n]) || ks[n].type == NR_KERNEL_POINT) {
            warnf(warn, ctx, "kernels: unknown kernel '%s'", tok);
            return false;
        }
        nr_kernel_name(&ks[n], names[n], sizeof(names[n]));
        n++;
    }
    if (n == 0) {
        warnf(warn, ctx, "kernels: empty list");
        return false;
    }
    memcpy(o->kernels, ks, sizeof(ks[0]) * n);
    memcpy(o->kernel_names, names, sizeof(names[0]) * n);
    o->num_kernels = n;
    return true;
}

bool np_known_parse(const char *text, np_known_show *out)
{
    np_known_show k;
    memset(&k, 0, sizeof(k));
    char buf[512];
    if (snprintf(buf, sizeof(buf), "%s", text) >= (int)sizeof(buf))
        return false;
    char *last = strrchr(buf, ':');
    if (!last || last == buf)
        return false;
    *last++ = '\0';
    if (!strcasecmp(last, "native")) {
        k.native = true;
    } else {
        char *mid = strrchr(buf, ':');
        if (!mid || mid == buf)
            return false;
        *mid++ = '\0';
        if (!parse_double(mid, 8, 1e5, &k.height))
            return false;
        if (!nr_kernel_parse(last, &k.kernel) || k.kernel.type == NR_KERNEL_POINT)
            return false;
        nr_kernel_name(&k.kernel, k.kernel_name, sizeof(k.kernel_name));
    }
    if (snprintf(k.pattern, sizeof(k.pattern), "%s", buf) >= (int)sizeof(k.pattern))
        return false;
    *out = k;
    return true;
}

static bool parse_known(np_options *o, const char *v, np_warn_fn warn, void *ctx)
{
    np_known_show add[NP_MAX_KNOWN];
    int n = 0;
    char buf[4096];
    if (snprintf(buf, sizeof(buf), "%s", v) >= (int)sizeof(buf)) {
        warnf(warn, ctx, "known: value too long");
        return false;
    }
    for (char *save = NULL, *tok = strtok_r(buf, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        while (isspace((unsigned char)*tok))
            tok++;
        if (!*tok)
            continue;
        if (o->num_known + n >= NP_MAX_KNOWN) {
            warnf(warn, ctx, "known: more than %d entries", NP_MAX_KNOWN);
            return false;
        }
        if (!np_known_parse(tok, &add[n])) {
            warnf(warn, ctx, "known: bad entry '%s' (want pattern:height:kernel "
                  "or pattern:native)", tok);
            return false;
        }
        n++;
    }
    memcpy(o->known + o->num_known, add, sizeof(add[0]) * n);
    o->num_known += n;
    return true;
}

bool np_options_set(np_options *o, const char *key, const char *value,
                    np_warn_fn warn, void *ctx)
{
    bool ok = false;
    bool known_key = true;
    if (!strcmp(key, "auto")) {
        ok = parse_bool(value, &o->autodetect);
    } else if (!strcmp(key, "min-height")) {
        ok = parse_double(value, 0, 1e5, &o->min_height);
    } else if (!strcmp(key, "max-height")) {
        ok = parse_double(value, 0, 1e5, &o->max_height);
    } else if (!strcmp(key, "kernels")) {
        if (!parse_kernels(o, value, warn, ctx))
            return false;
        ok = true;
    } else if (!strcmp(key, "confidence")) {
        ok = parse_double(value, 0, 1, &o->confidence);
    } else if (!strcmp(key, "interval")) {
        ok = parse_double(value, 0.2, 3600, &o->interval);
    } else if (!strcmp(key, "early-frames")) {
        ok = parse_int(value, 1, 50, &o->early_frames);
    } else if (!strcmp(key, "early-interval")) {
        ok = parse_double(value, 0.02, 60, &o->early_interval);
    } else if (!strcmp(key, "early-window")) {
        ok = parse_double(value, 0, 60, &o->early_window);
    } else if (!strcmp(key, "cpu-budget")) {
        ok = parse_double(value, 0, 1, &o->cpu_budget);
    } else if (!strcmp(key, "prefer-ref")) {
        ok = parse_double(value, 0, 5, &o->prefer_ref);
    } else if (!strcmp(key, "scene-threshold")) {
        ok = parse_double(value, 0.01, 2, &o->scene_threshold);
    } else if (!strcmp(key, "switch-frames")) {
        ok = parse_int(value, 1, 50, &o->switch_frames);
    } else if (!strcmp(key, "off-frames")) {
        ok = parse_int(value, 1, 50, &o->off_frames);
    } else if (!strcmp(key, "fractional")) {
        ok = parse_bool(value, &o->fractional);
    } else if (!strcmp(key, "mode")) {
        ok = !strcmp(value, "descale") || !strcmp(value, "rescale");
        if (ok)
            o->mode = value[0] == 'd' ? NP_MODE_DESCALE : NP_MODE_RESCALE;
    } else if (!strcmp(key, "preset")) {
        static const char *const names[] = {"auto", "fast", "balanced", "hq", NULL};
        int i;
        if ((ok = parse_choice(value, names, &i)))
            o->preset = (np_preset)i;
    } else if (!strcmp(key, "chroma")) {
        if (!strcasecmp(value, "learned")) {
            o->chroma = o->chroma_learned = true;
            ok = true;
        } else if ((ok = parse_bool(value, &o->chroma))) {
            o->chroma_learned = false;
        }
    } else if (!strcmp(key, "lines")) {
        ok = parse_double(value, 0, NR_LINES_MAX_STRENGTH, &o->lines);
    } else if (!strcmp(key, "compute")) {
        static const char *const names[] = {"auto", "yes", "no", NULL};
        int i;
        if ((ok = parse_choice(value, names, &i)))
            o->compute = (np_compute)i;
    } else if (!strcmp(key, "ensemble")) {
        if (!strcasecmp(value, "auto")) {
            o->ensemble = 0;
            ok = true;
        } else {
            ok = parse_int(value, 1, NR_UPSCALER_MAX_MEMBERS, &o->ensemble);
        }
    } else if (!strcmp(key, "dpid")) {
        ok = parse_bool(value, &o->dpid);
    } else if (!strcmp(key, "min-realtime")) {
        ok = parse_double(value, 0, 1000, &o->min_realtime);
    } else if (!strcmp(key, "cache")) {
        ok = parse_bool(value, &o->cache);
    } else if (!strcmp(key, "cache-entries")) {
        ok = parse_int(value, 1, 100000, &o->cache_entries);
    } else if (!strcmp(key, "cache-dir")) {
        ok = strlen(value) < sizeof(o->cache_dir);
        if (ok)
            snprintf(o->cache_dir, sizeof(o->cache_dir), "%s", value);
    } else if (!strcmp(key, "osd")) {
        ok = parse_bool(value, &o->osd);
    } else if (!strcmp(key, "verbose")) {
        ok = parse_bool(value, &o->verbose);
    } else if (!strcmp(key, "known")) {
        if (!parse_known(o, value, warn, ctx))
            return false;
        ok = true;
    } else {
        known_key = false;
    }
    if (!known_key) {
        warnf(warn, ctx, "unknown option '%s' ignored", key);
        return false;
    }
    if (!ok) {
        warnf(warn, ctx, "bad value '%s' for option '%s', keeping the default",
              value, key);
        return false;
    }
    if (o->min_height > 0 && o->max_height > 0 && o->min_height > o->max_height) {
        warnf(warn, ctx, "min-height %g > max-height %g, using the estimator's range",
              o->min_height, o->max_height);
        o->min_height = o->max_height = 0;
    }
    return true;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

int np_options_load_file(np_options *o, const char *path,
                         np_warn_fn warn, void *ctx)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4096];
    int lineno = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            warnf(warn, ctx, "%s:%d: expected key=value", path, lineno);
            continue;
        }
        *eq = '\0';
        char *key = trim(s);
        char *value = trim(eq + 1);
        np_options_set(o, key, value, warn, ctx);
    }
    fclose(f);
    return 0;
}

const np_known_show *np_known_match(const np_options *o, const char *path)
{
    if (!path)
        return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (int i = 0; i < o->num_known; i++) {
        const char *p = o->known[i].pattern;
        if (!fnmatch(p, base, FNM_CASEFOLD) || !fnmatch(p, path, FNM_CASEFOLD))
            return &o->known[i];
    }
    return NULL;
}
