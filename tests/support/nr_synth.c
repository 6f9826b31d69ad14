/*
 * nr-synth — writes synthetic anime-like frames (tests/support/synth.h) as
 * a studio would deliver them: drawn at a native resolution, upscaled to
 * the output size with a known kernel (libnativeres' nr_upscale), rounded
 * to 8 bit.
 *
 *   nr-synth [options] -o OUT      (OUT "-" = stdout)
 *     --width W --height H    output size (default 1920x1080)
 *     --native LIST           native heights, comma separated, one per scene
 *                             in turn (fractional allowed; 0 or >= H means
 *                             drawn natively at the output size); default 0
 *     --kernel NAME           upscale kernel (default bilinear)
 *     --seed S                scene seed (default 1); scene k uses S + k
 *     --frames N              frames to write (default 1)
 *     --scene-length N        frames per scene (default: all in one scene)
 *     --grain G[,G...]        grain std dev per scene, cycling like --native (default 0)
 *     --screen                screen content (UI + text) instead of anime
 *     --format pgm|y4m        default: pgm for one frame, y4m otherwise
 *                             (y4m 4:2:0 with neutral chroma, 24 fps)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nativeres.h"
#include "synth.h"

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "nr-synth: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return 2;
}

static int parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return errno || end == s || *end ? -1 : 0;
}

/* renders scene `scene` frame `frame_in_scene` into out (w x h, quantized) */
static int render(float *out, int w, int h, double native, const nr_kernel *k,
                  uint64_t seed, double time, double grain, int screen)
{
    synth_opts o;
    synth_opts_default(&o);
    o.time = time;
    if (native <= 0 || native >= h) {
        if (screen)
            synth_screen(out, w, h, w, seed);
        else {
            o.grain = grain;
            synth_frame(out, w, h, w, seed, &o);
        }
        synth_quantize8(out, w, h, w);
        return 0;
    }
    nr_scale s;
    char err[160];
    memset(&s, 0, sizeof(s));
    s.kernel = *k;
    s.border = NR_BORDER_MIRROR;
    if (nr_scale_for_height(&s, w, h, native, 0, err, sizeof(err)) < 0) {
        fprintf(stderr, "nr-synth: %s\n", err);
        return -1;
    }
    float *low = malloc(sizeof(float) * (size_t)s.native_w * s.native_h);
    if (!low)
        return -1;
    if (screen)
        synth_screen(low, s.native_w, s.native_h, s.native_w, seed);
    else
        synth_frame(low, s.native_w, s.native_h, s.native_w, seed, &o);
    int rc = nr_upscale(&s, low, s.native_w, out, w);
    free(low);
    if (rc < 0) {
        fprintf(stderr, "nr-synth: upscale failed\n");
        return -1;
    }
    if (grain > 0) {   /* grain is added after the upscale, at 1080p */
        uint64_t g = seed ^ 0x1234567ULL ^ (uint64_t)(time * 1000);
        for (size_t i = 0; i < (size_t)w * h; i++)
            out[i] += (float)(grain * synth_rand_gauss(&g));
    }
    synth_quantize8(out, w, h, w);
    return 0;
}

int main(int argc, char **argv)
{
    int w = 1920, h = 1080, frames = 1, scene_len = 0, screen = 0;
    double natives[64] = {0}, grains[64] = {0};
    int num_grains = 1;
    int num_natives = 1;
    uint64_t seed = 1;
    const char *out_path = NULL, *format = NULL, *kernel_name = "bilinear";

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        double d;
        if (!strcmp(a, "--screen")) {
            screen = 1;
            continue;
        }
        if (!v)
            return usage_error("missing value or unknown option", a);
        i++;
        if (!strcmp(a, "--width") || !strcmp(a, "--height") ||
            !strcmp(a, "--frames") || !strcmp(a, "--scene-length")) {
            if (parse_double(v, &d) < 0 || d < 1 || d > 16384 || d != (int)d)
                return usage_error("bad integer", v);
            int n = (int)d;
            if (a[2] == 'w') w = n;
            else if (a[2] == 'h') h = n;
            else if (a[2] == 'f') frames = n;
            else scene_len = n;
        } else if (!strcmp(a, "--native")) {
            char buf[512];
            snprintf(buf, sizeof(buf), "%s", v);
            num_natives = 0;
            for (char *tok = strtok(buf, ","); tok && num_natives < 64; tok = strtok(NULL, ",")) {
                if (parse_double(tok, &natives[num_natives]) < 0)
                    return usage_error("bad native height", tok);
                num_natives++;
            }
            if (!num_natives)
                return usage_error("bad native height list", v);
        } else if (!strcmp(a, "--kernel")) {
            kernel_name = v;
        } else if (!strcmp(a, "--seed")) {
            if (parse_double(v, &d) < 0 || d < 0)
                return usage_error("bad seed", v);
            seed = (uint64_t)d;
        } else if (!strcmp(a, "--grain")) {
            char buf[512];
            snprintf(buf, sizeof(buf), "%s", v);
            num_grains = 0;
            for (char *tok = strtok(buf, ","); tok && num_grains < 64; tok = strtok(NULL, ",")) {
                if (parse_double(tok, &grains[num_grains]) < 0 || grains[num_grains] < 0 ||
                    grains[num_grains] > 1)
                    return usage_error("bad grain", tok);
                num_grains++;
            }
            if (!num_grains)
                return usage_error("bad grain list", v);
        } else if (!strcmp(a, "--format")) {
            format = v;
        } else if (!strcmp(a, "-o")) {
            out_path = v;
        } else {
            return usage_error("unknown option", a);
        }
    }
    if (!out_path)
        return usage_error("no output (-o FILE or -o -)", NULL);
    nr_kernel k;
    if (!nr_kernel_parse(kernel_name, &k))
        return usage_error("unknown kernel", kernel_name);
    if (!format)
        format = frames == 1 ? "pgm" : "y4m";
    int y4m = !strcmp(format, "y4m");
    if (!y4m && strcmp(format, "pgm"))
        return usage_error("unknown format", format);
    if (!y4m && frames != 1)
        return usage_error("pgm holds one frame; use --format y4m", NULL);
    if (scene_len <= 0)
        scene_len = frames;

    FILE *f = strcmp(out_path, "-") ? fopen(out_path, "wb") : stdout;
    if (!f)
        return usage_error("cannot open output", out_path);
    float *plane = malloc(sizeof(float) * (size_t)w * h);
    unsigned char *bytes = malloc((size_t)w * h);
    int chroma = y4m && !(w & 1) && !(h & 1);
    size_t chroma_size = chroma ? (size_t)(w / 2) * (h / 2) * 2 : 0;
    unsigned char *neutral = chroma ? malloc(chroma_size) : NULL;
    if (!plane || !bytes || (chroma && !neutral)) {
        fprintf(stderr, "nr-synth: out of memory\n");
        return 2;
    }
    if (neutral)
        memset(neutral, 128, chroma_size);
    if (y4m)
        fprintf(f, "YUV4MPEG2 W%d H%d F24:1 Ip A1:1 %s\n", w, h,
                chroma ? "C420jpeg" : "Cmono");
    else
        fprintf(f, "P5\n%d %d\n255\n", w, h);

    int rc = 0;
    for (int n = 0; n < frames && !rc; n++) {
        int scene = n / scene_len;
        double native = natives[scene % num_natives];
        double time = (n % scene_len) / 24.0;
        double grain = grains[scene % num_grains];
        if (render(plane, w, h, native, &k, seed + (uint64_t)scene, time, grain, screen) < 0) {
            rc = 2;
            break;
        }
        for (size_t i = 0; i < (size_t)w * h; i++)
            bytes[i] = (unsigned char)(plane[i] * 255.0f + 0.5f);
        if (y4m)
            fputs("FRAME\n", f);
        if (fwrite(bytes, 1, (size_t)w * h, f) != (size_t)w * h ||
            (chroma && fwrite(neutral, 1, chroma_size, f) != chroma_size)) {
            fprintf(stderr, "nr-synth: write failed\n");
            rc = 2;
        }
    }
    if (f != stdout)
        fclose(f);
    else
        fflush(f);
    if (rc && f != stdout)
        remove(out_path);
    free(plane);
    free(bytes);
    free(neutral);
    return rc;
}
