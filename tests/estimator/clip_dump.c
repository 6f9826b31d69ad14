/*
 * Frame estimates of every frame of the plugin benchmark's real-frame
 * clips (real_corpus --write-clips DIR: DIR/clipNN.mkv and DIR/clips.tsv),
 * decoded by ffmpeg (the coded luma, as the plugin recovers it from mpv's
 * grab: mpv-plugin/frame.h) and estimated with the plugin's
 * options (crop_grid_only), written as pool_dump files for plugin_replay:
 * the plugin's sampling schedule can then be replayed on the very frames
 * it plays, at every phase, in seconds. Derived numbers only, no pixels.
 *
 *   clip_dump FFMPEG CLIPDIR OUTDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool_dump.h"

#define W 1920
#define H 1080

/* real_corpus' kernel list, in its order (the dump's kernel index) */
static const char *const kernel_names[] = {
    "bilinear", "catrom", "mitchell", "bicubicsharp", "lanczos3", "spline36", "hermite",
    "adobebicubic", "bicubic:0.25:0.45",
};
enum { NK = sizeof(kernel_names) / sizeof(*kernel_names) };

static int dump_clip(const char *ffmpeg, const char *path, const dump_header *h,
                     const char *out, unsigned char *y8, float *luma)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "'%s' -nostdin -loglevel error -i '%s' -f rawvideo -pix_fmt yuv420p -",
             ffmpeg, path);
    FILE *in = popen(cmd, "r");
    FILE *f = fopen(out, "wb");
    if (!in || !f || dump_write_header(f, h) < 0) {
        fprintf(stderr, "cannot decode %s or write %s\n", path, out);
        return -1;
    }
    nr_estimate_opts o;
    nr_estimate_opts_default(&o);
    o.crop_grid_only = true;   /* as the plugin's worker */
    nr_pool *pool = nr_pool_new(&o);
    int frames = 0, rc = 0;
    /* the coded luma, exactly as the plugin recovers it from mpv's grab of
     * 8-bit limited-range video (mpv-plugin/frame.h) */
    while (pool && fread(y8, 1, (size_t)W * H * 3 / 2, in) == (size_t)W * H * 3 / 2) {
        for (size_t i = 0; i < (size_t)W * H; i++)
            luma[i] = (y8[i] - 16) / 219.0f;
        nr_estimate e;
        char err[200];
        int restarted = nr_pool_add_plane(pool, luma, W, W, H, &e, err, sizeof(err));
        if (restarted < 0 || dump_write_frame(f, &e, restarted) < 0) {
            fprintf(stderr, "%s: frame %d: %s\n", path, frames, restarted < 0 ? err : "write");
            rc = -1;
            break;
        }
        nr_estimate_free(&e);
        frames++;
    }
    nr_pool_free(pool);
    if (pclose(in) != 0 || fclose(f) != 0 || !frames)
        rc = -1;
    printf("%s: %d frames\n", path, frames);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: clip_dump FFMPEG CLIPDIR OUTDIR\n");
        return 2;
    }
    char tsv[600];
    snprintf(tsv, sizeof(tsv), "%s/clips.tsv", argv[2]);
    FILE *list = fopen(tsv, "r");
    if (!list) {
        fprintf(stderr, "cannot read %s\n", tsv);
        return 2;
    }
    unsigned char *y8 = malloc((size_t)W * H * 3 / 2);
    float *luma = malloc(sizeof(float) * W * H);
    char line[512];
    int rc = 0;
    while (y8 && luma && fgets(line, sizeof(line), list)) {
        char file[128], source[128], truth[64], kernel[64];
        int crf;
        if (sscanf(line, "%127[^\t]\t%127[^\t]\t%63[^\t]\t%63[^\t]\t%d", file, source, truth,
                   kernel, &crf) != 5)
            continue;
        dump_header h = {.kernel = -1, .crf = crf, .frames = 0};
        snprintf(h.name, sizeof(h.name), "%.63s", source);
        h.height = atof(truth);   /* "native" / "unknown" -> 0 */
        if (!strcmp(truth, "unknown"))
            h.kernel = -2;        /* plugin_replay counts these apart */
        for (int k = 0; k < NK; k++)
            if (!strcmp(kernel, kernel_names[k]))
                h.kernel = k;
        char path[800], out[800];
        snprintf(path, sizeof(path), "%s/%s", argv[2], file);
        snprintf(out, sizeof(out), "%s/%.*s.bin", argv[3], (int)strcspn(file, "."), file);
        if (dump_clip(argv[1], path, &h, out, y8, luma) < 0)
            rc = 1;
    }
    fclose(list);
    free(y8);
    free(luma);
    return rc;
}
