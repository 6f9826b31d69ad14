/* GPU time per frame of user shaders on gpu-next's renderer, measured the
 * way mpv's vo-passes measures it there: libplacebo's per-pass timer
 * queries (pl_render_params.info_callback), here without mpv or a display,
 * so that it runs on any Vulkan device: a real GPU (where the ratios
 * between doublers are the ones users see) or lavapipe.
 *
 *   bench-hq-passes [--device NAME] [--in WxH] [--out WxH] [--frames N]
 *                   [--verbose] LABEL=SHADER.glsl[,SHADER.glsl...]...
 *
 * The source is an 8-bit 4:2:0 BT.709 frame of IN size (a procedural
 * anime-like picture: flat fills, dark lines, gradients), rendered to an
 * RGBA8 target of OUT size with spline36 as the main scaler, no dithering
 * or debanding, as mpv's gpu-next does with `--scale=spline36
 * --dither-depth=no`. Every LABEL is rendered FRAMES times after the same
 * number of warm-up frames; the plain render (no shader) is always timed
 * first in the same run. Per pass, the median of libplacebo's timer samples;
 * per configuration, the sum over passes and that sum minus the plain
 * render's: what the shader adds. Also the wall time per frame over the
 * timed frames (CPU overhead included). Exits non-zero when a shader
 * does not parse or none of its passes runs (libplacebo only logs those), or when the
 * device gives no timer samples. Prints numbers; asserts nothing else. */
#define _POSIX_C_SOURCE 200809L /* strdup, strtok_r, clock_gettime */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libplacebo/log.h>
#include <libplacebo/renderer.h>
#include <libplacebo/shaders/custom.h>
#include <libplacebo/vulkan.h>

#include "read_text.h"

#define MAX_PASSES 128
#define MAX_CONFIGS 32

struct pass_stats {
    char desc[96];
    uint64_t samples[256];
    int num_samples;
};

struct frame_passes {
    struct pass_stats pass[MAX_PASSES];
    int count;
};

struct config {
    const char *label;
    const char *paths;           /* one or more files, comma-separated: a chain */
    const struct pl_hook *hooks[8];
    int num_hooks;
    char descs[MAX_PASSES][96];  /* the files' //!DESC lines, as pass_stats.desc keeps them */
    int num_descs;
    double gpu_ms, wall_ms;
    int passes, ran;             /* ran: passes whose description is one of descs */
};

/* Keeps text's //!DESC lines in c: a pass that carries one is the shader's
 * own (libplacebo names a hook pass by it), which is how a dropped or never
 * run shader is told from one that replaces libplacebo's scaling passes. */
static void keep_descs(struct config *c, const char *text)
{
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, "//!DESC ", 8) || c->num_descs >= MAX_PASSES)
            continue;
        size_t n = strcspn(l + 8, "\r\n");
        snprintf(c->descs[c->num_descs++], sizeof(c->descs[0]), "%.*s", (int)n, l + 8);
    }
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench-hq-passes [--device NAME] [--in WxH] [--out WxH] [--frames N]\n"
               "                       [--verbose] LABEL=SHADER.glsl[,SHADER.glsl...]...\n");
}

static int parse_size(const char *s, int *w, int *h)
{
    char end;
    return sscanf(s, "%dx%d%c", w, h, &end) == 2 && *w >= 16 && *h >= 16 &&
           *w <= 16384 && *h <= 16384;
}

/* Flat cel fills, soft gradients and dark lines: what a descaled anime
 * plane looks like, so that nothing data-dependent runs on a blank frame. */
static void fill_source(uint8_t *y, uint8_t *u, uint8_t *v, int w, int h)
{
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++) {
            double fx = (double)c / w, fy = (double)r / h;
            int cell = ((int)(fx * 7) + 3 * (int)(fy * 5)) % 4;
            double value = 60 + 40 * cell + 30 * fy;
            double ring = hypot(fx - 0.5, (fy - 0.5) * h / w);
            if (fabs(ring - 0.3) < 1.5 / w || fabs(fx - fy) < 1.0 / w)
                value = 24;
            y[(size_t)r * w + c] = (uint8_t)value;
        }
    for (int r = 0; r < h / 2; r++)
        for (int c = 0; c < w / 2; c++) {
            u[(size_t)r * (w / 2) + c] = (uint8_t)(128 + 30 * sin(c * 0.02));
            v[(size_t)r * (w / 2) + c] = (uint8_t)(128 + 30 * cos(r * 0.03));
        }
}

static pl_tex plane_texture(pl_gpu gpu, int w, int h, const uint8_t *data)
{
    return pl_tex_create(gpu, &(struct pl_tex_params) {
        .w = w, .h = h,
        .format = pl_find_named_fmt(gpu, "r8"),
        .sampleable = true,
        .initial_data = data,
    });
}

static void on_pass(void *priv, const struct pl_render_info *info)
{
    struct frame_passes *fp = priv;
    if (info->stage != PL_RENDER_STAGE_FRAME || fp->count >= MAX_PASSES)
        return;
    struct pass_stats *p = &fp->pass[fp->count++];
    const char *desc = info->pass->shader && info->pass->shader->description
                       ? info->pass->shader->description : "(unnamed)";
    snprintf(p->desc, sizeof(p->desc), "%s", desc);
    p->num_samples = info->pass->num_samples;
    memcpy(p->samples, info->pass->samples, sizeof(uint64_t) * (size_t)p->num_samples);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double median_ns(uint64_t *s, int n)
{
    qsort(s, (size_t)n, sizeof(*s), cmp_u64);
    return n % 2 ? (double)s[n / 2] : 0.5 * ((double)s[n / 2 - 1] + (double)s[n / 2]);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Renders FRAMES warm-up frames, then FRAMES timed ones; fills c->gpu_ms
 * (sum of the per-pass medians of the last frame's timer history) and
 * c->wall_ms. Returns false when no pass gave a timer sample. */
static bool time_config(pl_gpu gpu, pl_renderer rr, const struct pl_frame *img,
                        const struct pl_frame *target, struct config *c,
                        int frames, bool verbose)
{
    static struct frame_passes fp;
    struct pl_render_params params = pl_render_default_params;
    params.upscaler = &pl_filter_spline36;
    params.downscaler = &pl_filter_mitchell;
    params.dither_params = NULL;
    params.deband_params = NULL;
    params.sigmoid_params = NULL;
    params.info_callback = on_pass;
    params.info_priv = &fp;
    params.hooks = c->hooks;
    params.num_hooks = c->num_hooks;
    /* No pl_gpu_finish per frame: after one, libplacebo frees buffers that
     * lavapipe's queue thread still writes (valgrind: use after free; here
     * a crash in about one run in ten). Wall time is the timed frames'
     * throughput, one finish at their end. */
    double t0 = 0;
    for (int i = 0; i < 2 * frames + 1; i++) {
        if (i == frames) {
            pl_gpu_finish(gpu);
            t0 = now_ms();
        }
        fp.count = 0;   /* the last frame's callbacks carry every pass's timer history */
        if (!pl_render_image(rr, img, target, &params)) {
            fprintf(stderr, "bench-hq-passes: %s: pl_render_image failed\n", c->label);
            return false;
        }
        pl_gpu_flush(gpu);
        if (i == 2 * frames - 1) {
            pl_gpu_finish(gpu);
            c->wall_ms = (now_ms() - t0) / frames;
        }
    }
    pl_gpu_finish(gpu);
    c->passes = fp.count;
    c->gpu_ms = 0;
    c->ran = 0;
    bool timed = false;
    for (int i = 0; i < fp.count; i++) {
        struct pass_stats *p = &fp.pass[i];
        for (int k = 0; k < c->num_descs; k++)
            if (!strcmp(p->desc, c->descs[k])) {
                c->ran++;
                break;
            }
        double ms = p->num_samples ? median_ns(p->samples, p->num_samples) / 1e6 : 0;
        timed |= p->num_samples > 0;
        c->gpu_ms += ms;
        if (verbose)
            printf("    %-60.60s %8.4f ms (%d samples)\n", p->desc, ms, p->num_samples);
    }
    if (!timed)
        fprintf(stderr, "bench-hq-passes: %s: no timer samples (the device has no timestamp "
                "queries?)\n", c->label);
    return timed;
}

int main(int argc, char **argv)
{
    const char *device = NULL;
    int in_w = 960, in_h = 540, out_w = 1920, out_h = 1080, frames = 60;
    bool verbose = false;
    struct config configs[MAX_CONFIGS] = { { .label = "none" } };
    int num_configs = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--device") && has_value) {
            device = argv[++i];
        } else if (!strcmp(a, "--in") && has_value) {
            if (!parse_size(argv[++i], &in_w, &in_h) || in_w % 2 || in_h % 2) {
                fprintf(stderr, "bench-hq-passes: --in wants WxH, even, 16..16384: %s\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--out") && has_value) {
            if (!parse_size(argv[++i], &out_w, &out_h)) {
                fprintf(stderr, "bench-hq-passes: --out wants WxH, 16..16384: %s\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--frames") && has_value) {
            char *end;
            errno = 0;
            long n = strtol(argv[++i], &end, 10);
            if (errno || *end || n < 8 || n > 256) {
                fprintf(stderr, "bench-hq-passes: --frames wants 8..256 (the timer keeps 256 samples): %s\n",
                        argv[i]);
                return 2;
            }
            frames = (int)n;
        } else if (!strcmp(a, "--verbose")) {
            verbose = true;
        } else if (a[0] != '-' && strchr(a, '=') && num_configs < MAX_CONFIGS) {
            char *label = strdup(a);
            char *eq = strchr(label, '=');
            *eq = '\0';
            configs[num_configs++] = (struct config) { .label = label, .paths = eq + 1 };
        } else {
            usage(stderr);
            return 2;
        }
    }

    pl_log log = pl_log_create(PL_API_VER, &(struct pl_log_params) {
        .log_cb = pl_log_color,
        .log_level = verbose ? PL_LOG_INFO : PL_LOG_WARN,
    });
    /* one queue: with libplacebo's async transfer / compute queues lavapipe
     * (Mesa 22.3) hung in 1 of 12 runs; none in 42 without */
    pl_vulkan vk = pl_vulkan_create(log, &(struct pl_vulkan_params) {
        .device_name = device,
        .allow_software = true,
    });
    if (!vk) {
        fprintf(stderr, "bench-hq-passes: no Vulkan device%s%s\n", device ? " named " : "",
                device ? device : "");
        return 1;
    }
    pl_gpu gpu = vk->gpu;
    int status = 0;

    for (int i = 1; i < num_configs; i++) {
        struct config *c = &configs[i];
        char *list = strdup(c->paths);
        for (char *save = NULL, *path = strtok_r(list, ",", &save); path;
             path = strtok_r(NULL, ",", &save)) {
            size_t len;
            if (c->num_hooks == 8) {
                fprintf(stderr, "bench-hq-passes: %s: more than 8 files\n", c->label);
                free(list);
                status = 1;
                goto done;
            }
            char *text = nr_read_file(path, &len);
            if (!text) {
                fprintf(stderr, "bench-hq-passes: %s: cannot read %s\n", c->label, path);
                free(list);
                status = 1;
                goto done;
            }
            keep_descs(c, text);
            c->hooks[c->num_hooks] = pl_mpv_user_shader_parse(gpu, text, len);
            free(text);
            if (!c->hooks[c->num_hooks]) {
                fprintf(stderr, "bench-hq-passes: %s: libplacebo rejected %s\n", c->label, path);
                free(list);
                status = 1;
                goto done;
            }
            c->num_hooks++;
        }
        free(list);
    }

    size_t luma = (size_t)in_w * in_h, chroma = luma / 4;
    uint8_t *pixels = malloc(luma + 2 * chroma);
    if (!pixels) {
        status = 1;
        goto done;
    }
    fill_source(pixels, pixels + luma, pixels + luma + chroma, in_w, in_h);
    pl_tex y = plane_texture(gpu, in_w, in_h, pixels);
    pl_tex u = plane_texture(gpu, in_w / 2, in_h / 2, pixels + luma);
    pl_tex v = plane_texture(gpu, in_w / 2, in_h / 2, pixels + luma + chroma);
    free(pixels);
    pl_tex out = pl_tex_create(gpu, &(struct pl_tex_params) {
        .w = out_w, .h = out_h,
        .format = pl_find_named_fmt(gpu, "rgba8"),
        .renderable = true,
    });
    if (!y || !u || !v || !out) {
        fprintf(stderr, "bench-hq-passes: cannot create the textures\n");
        status = 1;
        goto textures;
    }
    struct pl_frame img = {
        .num_planes = 3,
        .planes = {
            { .texture = y, .components = 1, .component_mapping = { PL_CHANNEL_Y } },
            { .texture = u, .components = 1, .component_mapping = { PL_CHANNEL_CB } },
            { .texture = v, .components = 1, .component_mapping = { PL_CHANNEL_CR } },
        },
        .repr = pl_color_repr_hdtv,
        .color = pl_color_space_bt709,
    };
    pl_frame_set_chroma_location(&img, PL_CHROMA_LEFT);
    struct pl_frame target = {
        .num_planes = 1,
        .planes = { { .texture = out, .components = 4, .component_mapping = { 0, 1, 2, 3 } } },
        .repr = pl_color_repr_rgb,
        .color = pl_color_space_bt709,
    };

    pl_renderer rr = pl_renderer_create(log, gpu);
    printf("bench-hq-passes: %s, %dx%d 4:2:0 -> %dx%d, spline36, %d frames (median of libplacebo's "
           "pass timers)\n", gpu->glsl.vulkan ? "Vulkan" : "?", in_w, in_h, out_w, out_h, frames);
    printf("%-28s %6s %10s %10s %10s\n", "", "passes", "GPU ms", "shader ms", "wall ms");
    for (int i = 0; i < num_configs; i++) {
        struct config *c = &configs[i];
        if (verbose)
            printf("  %s:\n", c->label);
        if (!time_config(gpu, rr, &img, &target, c, frames, verbose)) {
            status = 1;
            break;
        }
        if (i > 0 && !c->ran) {
            fprintf(stderr, "bench-hq-passes: %s: none of the shader's passes ran\n", c->label);
            status = 1;
        }
        printf("%-28s %6d %10.4f %10.4f %10.3f\n", c->label, c->passes, c->gpu_ms,
               c->gpu_ms - configs[0].gpu_ms, c->wall_ms);
        fflush(stdout);
    }
    pl_renderer_destroy(&rr);
textures:
    pl_tex_destroy(gpu, &y);
    pl_tex_destroy(gpu, &u);
    pl_tex_destroy(gpu, &v);
    pl_tex_destroy(gpu, &out);
done:
    for (int i = 1; i < num_configs; i++) {
        for (int k = 0; k < configs[i].num_hooks; k++)
            pl_mpv_user_shader_destroy(&configs[i].hooks[k]);
        free((char *)configs[i].label);
    }
    pl_vulkan_destroy(&vk);
    pl_log_destroy(&log);
    return status;
}
