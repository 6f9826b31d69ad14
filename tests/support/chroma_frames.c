/* Test frames for chroma reconstruction: see chroma_frames.h. */
#include "chroma_frames.h"

#include "area.h"
#include "nativeres.h"
#include "synth_color.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void chroma_frame_free(chroma_frame *f)
{
    free(f->y); free(f->cb_true); free(f->cr_true); free(f->cb); free(f->cr);
    free(f->ny); free(f->ncb); free(f->ncr);
    memset(f, 0, sizeof(*f));
}

static void quantise8(float *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double v = p[i] < 0 ? 0 : p[i] > 1 ? 1 : p[i];
        p[i] = (float)(lrint(v * 255) / 255.0);
    }
}

bool chroma_subsample_left(const float *c, int w, int h, float *out)
{
    nr_area_axis ah, av;
    if (nr_area_axis_build(&ah, w, w / 2, -0.25) < 0)
        return false;
    if (nr_area_axis_build(&av, h, h / 2, 0) < 0) {
        nr_area_axis_free(&ah);
        return false;
    }
    int rc = nr_area_apply(&ah, &av, c, w, out, w / 2);
    nr_area_axis_free(&ah);
    nr_area_axis_free(&av);
    return rc == 0;
}

/* Fills the 4:2:0 fields from a w x h RGB picture. */
static bool from_rgb(chroma_frame *f, const float *rgb, int w, int h)
{
    size_t n = (size_t)w * h;
    f->w = w; f->h = h; f->cw = w / 2; f->ch = h / 2;
    f->y = malloc(n * sizeof(float));
    f->cb_true = malloc(n * sizeof(float));
    f->cr_true = malloc(n * sizeof(float));
    f->cb = malloc(n / 4 * sizeof(float) + 16);
    f->cr = malloc(n / 4 * sizeof(float) + 16);
    if (!f->y || !f->cb_true || !f->cr_true || !f->cb || !f->cr)
        return false;
    synth_rgb_to_ycbcr709(rgb, w, h, f->y, f->cb_true, f->cr_true);
    if (!chroma_subsample_left(f->cb_true, w, h, f->cb) ||
        !chroma_subsample_left(f->cr_true, w, h, f->cr))
        return false;
    quantise8(f->y, n);
    quantise8(f->cb, (size_t)f->cw * f->ch);
    quantise8(f->cr, (size_t)f->cw * f->ch);
    return true;
}

/* A native RGB picture (nw x nh) upscaled per channel to w x h with a studio
 * kernel, as the frame's 4:2:0 source; the native picture kept as YCbCr. */
static bool from_native(chroma_frame *f, const float *nat, int nw, int nh, int w, int h,
                        const char *kernel)
{
    snprintf(f->kernel, sizeof(f->kernel), "%s", kernel);
    nr_scale s = {0};
    char err[128];
    float *rgb = malloc(sizeof(float) * w * h * 3);
    float *plane = malloc(sizeof(float) * nw * nh), *up = malloc(sizeof(float) * w * h);
    bool ok = rgb && plane && up && nr_kernel_parse(kernel, &s.kernel) &&
              nr_scale_for_height(&s, w, h, nh, nw, err, sizeof(err)) == 0;
    for (int k = 0; k < 3 && ok; k++) {
        for (int i = 0; i < nw * nh; i++)
            plane[i] = nat[3 * i + k];
        ok = nr_upscale(&s, plane, nw, up, w) == 0;
        for (int i = 0; i < w * h; i++)
            rgb[3 * i + k] = up[i] < 0 ? 0.0f : up[i] > 1 ? 1.0f : up[i];
    }
    f->native_w = nw; f->native_h = nh;
    f->ny = malloc(sizeof(float) * nw * nh);
    f->ncb = malloc(sizeof(float) * nw * nh);
    f->ncr = malloc(sizeof(float) * nw * nh);
    ok = ok && f->ny && f->ncb && f->ncr;
    if (ok)
        synth_rgb_to_ycbcr709(nat, nw, nh, f->ny, f->ncb, f->ncr);
    ok = ok && from_rgb(f, rgb, w, h);
    free(rgb); free(plane); free(up);
    return ok;
}

bool chroma_frame_synth(chroma_frame *f, uint64_t seed, const char *kernel)
{
    memset(f, 0, sizeof(*f));
    const int W = 1920, H = 1080, NW = 1280, NH = 720;
    int pw = kernel ? NW : W, ph = kernel ? NH : H;
    float *rgb = malloc(sizeof(float) * pw * ph * 3);
    if (!rgb)
        return false;
    synth_color_frame(rgb, pw, ph, seed);
    bool ok;
    if (!kernel) {
        snprintf(f->name, sizeof(f->name), "synth%llu-native1080", (unsigned long long)seed);
        ok = from_rgb(f, rgb, W, H);
    } else {
        snprintf(f->name, sizeof(f->name), "synth%llu-720-%s", (unsigned long long)seed, kernel);
        ok = from_native(f, rgb, NW, NH, W, H, kernel);
    }
    free(rgb);
    if (!ok)
        chroma_frame_free(f);
    return ok;
}

bool chroma_frame_png(chroma_frame *f, const char *path, bool half)
{
    return chroma_frame_real(f, path, half ? "half" : NULL);
}

bool chroma_frame_real(chroma_frame *f, const char *path, const char *mode)
{
    return chroma_frame_real_reduced(f, path, mode, 2);
}

bool chroma_frame_real_reduced(chroma_frame *f, const char *path, const char *mode, int reduce)
{
    bool half = mode != NULL;
    if (reduce < 2)
        return false;
    memset(f, 0, sizeof(*f));
    const char *base = strrchr(path, '/');
    snprintf(f->name, sizeof(f->name), "%s", base ? base + 1 : path);
    char *dot = strrchr(f->name, '.');
    if (dot)
        *dot = '\0';
    char cmd[4096];
    snprintf(cmd, sizeof(cmd), "ffmpeg -nostdin -v error -i '%s' -frames:v 1 -f image2pipe "
             "-c:v ppm -pix_fmt rgb24 -", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return false;
    int w = 0, h = 0, maxv = 0;
    bool ok = fscanf(p, "P6 %d %d %d", &w, &h, &maxv) == 3 && maxv == 255 && w >= 16 &&
              h >= 16 && fgetc(p) != EOF;
    unsigned char *bytes = ok ? malloc((size_t)w * h * 3) : NULL;
    ok = ok && bytes && fread(bytes, 1, (size_t)w * h * 3, p) == (size_t)w * h * 3;
    pclose(p);
    int ew = w & ~1, eh = h & ~1;   /* 4:2:0 needs even sizes: crop */
    float *rgb = ok ? malloc(sizeof(float) * (size_t)ew * eh * 3) : NULL;
    ok = ok && rgb;
    for (int y = 0; ok && y < eh; y++)
        for (int x = 0; x < ew * 3; x++)
            rgb[(size_t)y * ew * 3 + x] = bytes[(size_t)y * w * 3 + x] / 255.0f;
    if (ok && half) {
        /* area downscale per channel by `reduce`: at 2 each pixel holds one
         * coded 4:2:0 chroma sample (smoothed by the decoder's upsampling), at
         * 4 the mean of four: full-resolution colour, an honest truth */
        int hw = (ew / reduce) & ~1, hh = (eh / reduce) & ~1;
        float *plane = malloc(sizeof(float) * (size_t)ew * eh);
        float *small = malloc(sizeof(float) * (size_t)hw * hh);
        float *rgb2 = malloc(sizeof(float) * (size_t)hw * hh * 3);
        nr_area_axis ah = {0}, av = {0};
        ok = plane && small && rgb2 && nr_area_axis_build(&ah, hw * reduce, hw, 0) == 0 &&
             nr_area_axis_build(&av, hh * reduce, hh, 0) == 0;
        for (int k = 0; ok && k < 3; k++) {
            for (size_t i = 0; i < (size_t)ew * eh; i++)
                plane[i] = rgb[3 * i + k];
            ok = nr_area_apply(&ah, &av, plane, ew, small, hw) == 0;
            for (size_t i = 0; i < (size_t)hw * hh; i++)
                rgb2[3 * i + k] = small[i];
        }
        nr_area_axis_free(&ah);
        nr_area_axis_free(&av);
        free(plane);
        free(small);
        free(rgb);
        rgb = rgb2;
        ew = hw;
        eh = hh;
        char tag[16];
        snprintf(tag, sizeof(tag), reduce == 2 ? "-half" : "-div%d", reduce);
        strncat(f->name, tag, sizeof(f->name) - strlen(f->name) - 1);
    }
    if (ok && half && strcmp(mode, "half")) {
        /* the halved frame as the native picture, upscaled 1.5x by a studio
         * kernel: luma and chroma go through the chain an upscaled show does */
        int uw = (ew * 3 / 2) & ~1, uh = (eh * 3 / 2) & ~1;
        char tag[48];
        snprintf(tag, sizeof(tag), "-up%d-%s", uh, mode);
        strncat(f->name, tag, sizeof(f->name) - strlen(f->name) - 1);
        ok = from_native(f, rgb, ew, eh, uw, uh, mode);
    } else
        ok = ok && rgb && from_rgb(f, rgb, ew, eh);
    free(rgb);
    free(bytes);
    if (!ok)
        chroma_frame_free(f);
    return ok;
}

double chroma_psnr(const float *a, const float *b, int w, int h)
{
    double se = 0;
    size_t n = (size_t)w * h;
    for (size_t i = 0; i < n; i++) {
        double d = (double)a[i] - b[i];
        se += d * d;
    }
    double mse = se / n;
    return mse > 0 ? 10 * log10(1.0 / mse) : 99.0;
}
