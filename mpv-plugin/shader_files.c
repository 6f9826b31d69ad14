/* Generated shader files: naming, writing, the compare view and line
 * passes around the chain (libnativeres' pass builder), pruning. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_id.h"
#include "cache.h"
#include "choice.h"
#include "glsl_buf.h"
#include "glsl_pass.h"
#include "nativeres_chroma.h"
#include "nativeres_dpid.h"
#include "nativeres_glsl.h"
#include "nativeres_lines.h"
#include "shader_files.h"

#define FILE_PREFIX "nativeres-"
/* Bumped when the plugin's own wrapping (compare view) changes, so that
 * stale generated files are not reused. */
#define WRAPPER_VERSION 4

/* The compare view: the source luma saved before our passes, and a last
 * pass that puts it beside our output, a white line between them. */
static const char keep_source_body[] = "vec4 hook() { return HOOKED_texOff(0); }\n";

/* native-size output (descale, rescale fast): shown at the source size,
 * the native plane scaled back up bilinearly by the sampler */
static const char side_by_side_native_body[] =
    "vec4 hook()\n"
    "{\n"
    "    float x = NATIVERES_ORIG_pos.x * NATIVERES_ORIG_size.x;\n"
    "    float mid = 0.5 * NATIVERES_ORIG_size.x;\n"
    "    if (abs(x - mid) < 1.0)\n"
    "        return vec4(1.0);\n"
    "    if (x < mid)\n"
    "        return NATIVERES_ORIG_tex(NATIVERES_ORIG_pos);\n"
    "    return HOOKED_tex(HOOKED_pos);\n"
    "}\n";

/* the rescale chain's output (source size or the window): shown at its
 * own size, the source resampled to it */
static const char side_by_side_output_body[] =
    "vec4 hook()\n"
    "{\n"
    "    float x = HOOKED_pos.x * HOOKED_size.x;\n"
    "    float mid = 0.5 * HOOKED_size.x;\n"
    "    if (abs(x - mid) < 1.0)\n"
    "        return vec4(1.0);\n"
    "    if (x < mid)\n"
    "        return NATIVERES_ORIG_tex(HOOKED_pos);\n"
    "    return HOOKED_tex(HOOKED_pos);\n"
    "}\n";

char *np_shader_text(const nr_scale *s, const np_shader_spec *spec, char *err, size_t err_size)
{
    char *body;
    bool native_out = true;
    if (spec->kind == NP_SHADER_RESCALE) {
        nr_rescale_opts ro;
        nr_rescale_opts_default(&ro);
        ro.preset = spec->preset;
        ro.hq_compute = spec->hq_compute;
        ro.hq_ensemble = spec->hq_ensemble;
        nr_glsl_rescale_info info;
        body = nr_glsl_rescale(s, &ro, &info, err, err_size);
        native_out = body && info.native_output;
    } else {
        nr_glsl_opts go;
        nr_glsl_opts_default(&go);
        body = nr_glsl_descale(s, &go, err, err_size);
    }
    /* DPID only where the chain outputs the source size and the picture on
     * screen is smaller on both axes (what nr_glsl_dpid accepts) */
    bool fit = !native_out && spec->fit_w > 0 && spec->fit_h > 0 && spec->fit_w <= s->full_w &&
               spec->fit_h <= s->full_h && (spec->fit_w < s->full_w || spec->fit_h < s->full_h) &&
               s->full_w <= 16 * spec->fit_w && s->full_h <= 16 * spec->fit_h;
    if (!body || (!spec->compare && !(spec->lines > 0) && !spec->chroma && !fit))
        return body;
    char source_when[96], out_when[96];
    snprintf(source_when, sizeof(source_when), "HOOKED.w %d == HOOKED.h %d == *", s->full_w,
             s->full_h);
    nr_glsl_buf b;
    nr_glsl_buf_init(&b);
    if (spec->compare) {
        nr_glsl_pass keep = { .hook = "LUMA", .binds = { "HOOKED" }, .save = "NATIVERES_ORIG",
                              .desc = "nativeres compare: keep source luma",
                              .when = source_when, .body = keep_source_body };
        nr_glsl_pass_write(&b, &keep);
        nr_glsl_puts(&b, "\n");
    }
    nr_glsl_puts(&b, body);
    free(body);
    /* after our own upscale (the plugin asks only then), before the compare
     * view so that its right half shows what plays */
    if (spec->lines > 0) {
        nr_glsl_puts(&b, "\n");
        if (nr_glsl_lines_write_pass(&b, "LUMA", spec->lines, NULL, err, err_size) < 0) {
            nr_glsl_buf_free(&b);
            return NULL;
        }
    }
    /* after lines (they work on the full-size picture), before the compare
     * view (it shows what plays) */
    if (fit) {
        nr_dpid_passes d = {
            .hook = "LUMA", .src = "HOOKED", .src_w = s->full_w, .src_h = s->full_h,
            .dst_w = spec->fit_w, .dst_h = spec->fit_h, .lambda = NR_DPID_DEFAULT_LAMBDA,
            .guide_name = "NATIVERES_FIT_GUIDE", .when = source_when,
        };
        nr_glsl_puts(&b, "\n");
        if (nr_glsl_dpid_write_passes(&b, &d, err, err_size) < 0) {
            nr_glsl_buf_free(&b);
            return NULL;
        }
    }
    /* chroma from the luma the chain restored: a CHROMA hook runs after
     * every LUMA hook, so it sees our output whatever the order */
    if (spec->chroma) {
        nr_chroma_params cp;
        nr_chroma_params_default(&cp);
        if (spec->chroma_learned && !(cp.learned = nr_chroma_learned_builtin())) {
            nr_glsl_buf_free(&b);
            if (err && err_size)
                snprintf(err, err_size, "the built-in learned chroma table does not parse");
            return NULL;
        }
        char *chroma = nr_glsl_chroma(&cp, NULL, "nativeres.so", err, err_size);
        if (!chroma) {
            nr_glsl_buf_free(&b);
            return NULL;
        }
        /* its passes only: the chain may end on a //!TEXTURE block, whose
         * hex body runs to the next //! line */
        const char *passes = strstr(chroma, "//!HOOK");
        nr_glsl_puts(&b, passes ? passes : "");
        free(chroma);
    }
    if (spec->compare) {
        nr_glsl_pass side = { .hook = "LUMA", .binds = { "HOOKED", "NATIVERES_ORIG" } };
        if (native_out) {
            snprintf(out_when, sizeof(out_when), "HOOKED.w %d == HOOKED.h %d == *",
                     s->native_w, s->native_h);
            side.width = "NATIVERES_ORIG.w";
            side.height = "NATIVERES_ORIG.h";
            side.desc = "nativeres compare: source | descaled";
            side.body = side_by_side_native_body;
        } else {
            snprintf(out_when, sizeof(out_when), "NATIVERES_ORIG.w %d == NATIVERES_ORIG.h %d == *",
                     s->full_w, s->full_h);
            side.desc = "nativeres compare: source | rescaled";
            side.body = side_by_side_output_body;
        }
        side.when = out_when;
        nr_glsl_puts(&b, "\n");
        nr_glsl_pass_write(&b, &side);
    }
    char *text = nr_glsl_buf_take(&b);
    if (!text)
        snprintf(err, err_size, "out of memory");
    return text;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static void file_name(const nr_scale *s, const np_shader_spec *spec, char *buf, size_t size)
{
    char params[512], kname[32], hs[32];
    const nr_kernel *k = &s->kernel;
    snprintf(params, sizeof(params),
             "%s %s %d %s %d %d %d %d %.17g %.17g %.17g %.17g %d %d %.17g %.17g %d %.17g %g "
             "%.17g %d %d %d %d %d %d",
             NR_VERSION_STRING, NP_BUILD_ID, WRAPPER_VERSION, spec->compare ? "compare" : "plain",
             s->full_w, s->full_h, s->native_w, s->native_h,
             s->win_left, s->win_top, s->win_width, s->win_height, (int)s->border,
             (int)k->type, k->b, k->c, k->taps, k->blur, NR_GLSL_DEFAULT_TOLERANCE,
             spec->lines, spec->chroma, spec->fit_w, spec->fit_h, spec->chroma_learned,
             spec->hq_compute, spec->hq_ensemble);
    nr_kernel_name(k, kname, sizeof(kname));
    np_format_size(s->win_height > 0 ? s->win_height : s->native_h, hs, sizeof(hs));
    /* descale, compare (of the descale), rescale-PRESET, compare-rescale-PRESET */
    char what[64], ens[16] = "";
    if (spec->preset == NR_RESCALE_HQ && spec->hq_ensemble > 1)
        snprintf(ens, sizeof(ens), "-ens%d", spec->hq_ensemble);
    if (spec->kind == NP_SHADER_RESCALE)
        snprintf(what, sizeof(what), "%srescale-%s%s%s%s", spec->compare ? "compare-" : "",
                 nr_rescale_preset_name(spec->preset),
                 spec->hq_compute && spec->preset == NR_RESCALE_HQ ? "-compute" : "", ens,
                 spec->fit_w > 0 ? "-dpid" : "");
    else
        snprintf(what, sizeof(what), "%s", spec->compare ? "compare" : "descale");
    snprintf(buf, size, FILE_PREFIX "%s-%dx%d-from-%sp-%s-%016llx.glsl",
             what, s->full_w, s->full_h,
             hs, kname, (unsigned long long)fnv1a(params));
}

int np_shader_file(const char *dir, const nr_scale *s, const np_shader_spec *spec,
                   char *path, size_t path_size, char *err, size_t err_size)
{
    char name[256];
    file_name(s, spec, name, sizeof(name));
    if (snprintf(path, path_size, "%s/%s", dir, name) >= (int)path_size) {
        snprintf(err, err_size, "shader path too long");
        return -1;
    }
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size > 0)
        return 0;   /* deterministic content: another instance wrote the same */
    if (np_mkdirs(dir) < 0) {
        snprintf(err, err_size, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    char *text = np_shader_text(s, spec, err, err_size);
    if (!text)
        return -1;
    char tmp[4400];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
    unlink(tmp);   /* a stale one of a crashed writer with our pid */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f && fd >= 0)
        close(fd);
    int ret = -1;
    if (!f) {
        snprintf(err, err_size, "cannot write %s: %s", tmp, strerror(errno));
    } else {
        size_t len = strlen(text);
        bool ok = fwrite(text, 1, len, f) == len;
        ok = (fclose(f) == 0) && ok;
        if (ok && rename(tmp, path) == 0) {
            ret = 0;
        } else {
            snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
            unlink(tmp);
        }
    }
    free(text);
    return ret;
}

typedef struct aged_file {
    char name[256];
    double mtime;
} aged_file;

static int by_age(const void *a, const void *b)
{
    double d = ((const aged_file *)a)->mtime - ((const aged_file *)b)->mtime;
    return d < 0 ? -1 : d > 0;
}

void np_shader_prune(const char *dir, int keep, const char *except)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    aged_file *files = NULL;
    int n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, FILE_PREFIX, strlen(FILE_PREFIX)) || len < 5 ||
            strcmp(de->d_name + len - 5, ".glsl") || len >= sizeof(files[0].name))
            continue;
        char p[4400];
        struct stat st;
        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
        if (stat(p, &st) < 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            aged_file *nf = realloc(files, sizeof(*files) * cap);
            if (!nf)
                break;
            files = nf;
        }
        snprintf(files[n].name, sizeof(files[n].name), "%s", de->d_name);
        files[n].mtime = st.st_mtim.tv_sec + st.st_mtim.tv_nsec * 1e-9;
        n++;
    }
    closedir(d);
    if (n > keep) {
        qsort(files, n, sizeof(*files), by_age);
        for (int i = 0; i < n - keep; i++) {
            char p[4400];
            snprintf(p, sizeof(p), "%s/%s", dir, files[i].name);
            if (!except || strcmp(p, except))
                unlink(p);
        }
    }
    free(files);
}
