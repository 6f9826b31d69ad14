/*
 * bench-chroma: chroma reconstruction quality and cost in real mpv.
 *
 * Quality: full-colour frames become 8-bit 4:2:0 (BT.709 full range, left
 * siting); mpv (vo_gpu, float FBO) renders them with cscale=bilinear,
 * spline36, ewa_lanczos, with KrigBilateral when its shader is in
 * bench/peers/ (git-ignored; skipped otherwise), and with our chroma shader;
 * the rendered RGB goes back to YCbCr and chroma PSNR (Cb, Cr; peak 1) is
 * taken against the full-resolution truth. Frames: synthetic (synth_color:
 * native 1080p, and 720p upscaled per channel with bilinear / catrom /
 * lanczos3), and real Blu-ray frames from ../shared when present, halved
 * first (area) so that their chroma truth is really full resolution (the
 * frames come from 4:2:0 sources: unhalved, their chroma is itself an
 * interpolation; those rows are shown too, marked "soft truth").
 *
 * Cost (same run): a 1080p 4:2:0 clip played through descale 1080 -> 720
 * (bilinear) followed by the chroma shader, vo-passes medians of both, and
 * mpv's own chroma scaling for comparison.
 *
 * Usage: bench-chroma --host H --gen NATIVERES_GEN --workdir D [--shared DIR]
 *        [--peers DIR] [--shots DIR]   (prints tables; asserts nothing)
 *        --cost-only first: only the vo-passes part
 */
#include "chroma_frames.h"
#include "host_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_METHODS 6

typedef struct method {
    const char *label, *shader, *opt;
} method;

static const char *real_frames[] = {
    "bocchi_1", "kuzunohonkai_1", "owarimonogatari_1", "nijigasaki_1", "prismaillya_1",
    "unknown-pinkhair_1", NULL,
};

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static void save_png(const char *dir, const char *frame, const char *label, const nr_image *img)
{
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "ffmpeg -nostdin -v error -y -f rawvideo -pix_fmt rgb24 -s %dx%d "
             "-i - '%s/%s_%s.png'", img->w, img->h, dir, frame, label);
    FILE *p = popen(cmd, "w");
    if (!p)
        return;
    for (size_t i = 0; i < (size_t)img->w * img->h * 3; i++)
        fputc((int)lrint(fmin(fmax(img->data[i], 0), 1) * 255), p);
    pclose(p);
}

int main(int argc, char **argv)
{
    const char *host = NULL, *gen = NULL, *workdir = NULL, *shared = NULL, *peers = NULL,
               *shots = getenv("NR_BENCH_SHOTS");
    bool cost_only = false;
    for (int i = 1; i < argc && !strcmp(argv[i], "--cost-only"); i++)
        cost_only = true;
    for (int i = 1 + cost_only; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--host")) host = argv[i + 1];
        else if (!strcmp(argv[i], "--gen")) gen = argv[i + 1];
        else if (!strcmp(argv[i], "--workdir")) workdir = argv[i + 1];
        else if (!strcmp(argv[i], "--shared")) shared = argv[i + 1];
        else if (!strcmp(argv[i], "--peers")) peers = argv[i + 1];
        else if (!strcmp(argv[i], "--shots")) shots = argv[i + 1];
    }
    if (!host || !gen || !workdir) {
        fprintf(stderr, "usage: bench-chroma --host H --gen G --workdir D [--shared DIR] "
                        "[--peers DIR] [--shots DIR]\n");
        return 2;
    }
    mkdir(workdir, 0755);
    if (shots)
        mkdir(shots, 0755);
    char ours[4096], cmd[8192], krig[4096] = "";
    snprintf(ours, sizeof(ours), "%s/chroma.glsl", workdir);
    snprintf(cmd, sizeof(cmd), "'%s' chroma -o '%s'", gen, ours);
    if (system(cmd) != 0)
        return 1;
    method methods[MAX_METHODS] = {
        { "bilinear", NULL, "cscale=bilinear" },
        { "spline36", NULL, "cscale=spline36" },
        { "ewa_lanczos", NULL, "cscale=ewa_lanczos" },
    };
    int nm = 3;
    if (peers) {
        snprintf(krig, sizeof(krig), "%s/KrigBilateral.glsl", peers);
        if (exists(krig))
            methods[nm++] = (method){ "KrigBilateral", krig, "cscale=bilinear" };
        else
            printf("KrigBilateral: %s absent, skipped\n", krig);
    }
    methods[nm++] = (method){ "nativeres", ours, "cscale=bilinear" };

    printf("\nChroma PSNR (dB, Cb/Cr) against the full-resolution truth, rendered by mpv vo_gpu\n");
    printf("%-32s", "frame");
    for (int m = 0; m < nm; m++)
        printf(" %13s", methods[m].label);
    printf("\n");
    double sum[MAX_METHODS][2] = {{0}};   /* [method][synthetic, real-halved] */
    int count[2] = {0}, worse_than_ewa = 0;
    static const char *kernels[] = { NULL, NULL, "bilinear", "catrom", "lanczos3" };
    int nsynth = cost_only ? 0 : 5, nreal = 0;
    char paths[16][4096];
    for (int i = 0; shared && !cost_only && real_frames[i]; i++) {
        snprintf(paths[nreal], sizeof(paths[0]), "%s/frames/dev/%s.png", shared, real_frames[i]);
        if (exists(paths[nreal]))
            nreal++;
    }
    if (!nreal)
        printf("(real frames: ../shared not found, skipped)\n");
    for (int fi = 0; fi < nsynth + 2 * nreal; fi++) {
        chroma_frame f;
        int group = fi < nsynth ? 0 : fi < nsynth + nreal ? 1 : 2;
        bool ok = group == 0 ? chroma_frame_synth(&f, 21 + fi, kernels[fi])
                             : chroma_frame_png(&f, paths[(fi - nsynth) % nreal], group == 1);
        if (!ok) {
            fprintf(stderr, "cannot make frame %d\n", fi);
            continue;
        }
        /* the file: 8-bit luma as is, chroma subsampled from the truth */
        float *scb = malloc(sizeof(float) * f.cw * f.ch), *scr = malloc(sizeof(float) * f.cw * f.ch);
        chroma_subsample_left(f.cb_true, f.w, f.h, scb);
        chroma_subsample_left(f.cr_true, f.w, f.h, scr);
        char y4m[4096];
        snprintf(y4m, sizeof(y4m), "%s/%s.y4m", workdir, f.name);
        write_y4m420(y4m, f.y, scb, scr, f.w, f.h, 1);
        printf("%-32s", group == 2 ? strcat(f.name, " (soft truth)") : f.name);
        fflush(stdout);
        double ewa_mean = 0;
        size_t n = (size_t)f.w * f.h;
        float *y = malloc(n * 4), *cb = malloc(n * 4), *cr = malloc(n * 4);
        for (int m = 0; m < nm; m++) {
            char prefix[4096];
            snprintf(prefix, sizeof(prefix), "%s/%s.%s", workdir, f.name, methods[m].label);
            host_run_job job = { .host = host, .input = y4m, .shaders = methods[m].shader,
                                 .opts = { methods[m].opt }, .w = f.w, .h = f.h, .rgb = true,
                                 .prefix = prefix };
            host_run_result res;
            if (!host_run(&job, &res)) {
                printf(" %13s", "failed");
                continue;
            }
            rgb_to_ycbcr_mpv(&res.image, y, cb, cr);
            double a = chroma_psnr(cb, f.cb_true, f.w, f.h), b = chroma_psnr(cr, f.cr_true, f.w, f.h);
            printf("   %5.2f/%5.2f", a, b);
            fflush(stdout);
            if (group < 2)
                sum[m][group] += (a + b) / 2;
            if (!strcmp(methods[m].label, "ewa_lanczos"))
                ewa_mean = (a + b) / 2;
            if (!strcmp(methods[m].label, "nativeres") && (a + b) / 2 < ewa_mean && group < 2)
                worse_than_ewa++;
            if (shots && (fi == 0 || fi == 3 || fi == nsynth))
                save_png(shots, f.name, methods[m].label, &res.image);
            nr_image_free(&res.image);
        }
        printf("\n");
        if (group < 2)
            count[group]++;
        free(y); free(cb); free(cr); free(scb); free(scr);
        chroma_frame_free(&f);
    }
    static const char *groups[2] = { "mean, synthetic", "mean, real (halved)" };
    for (int g = 0; g < 2; g++) {
        if (!count[g])
            continue;
        printf("%-32s", groups[g]);
        for (int m = 0; m < nm; m++)
            printf(" %13.2f", sum[m][g] / count[g]);
        printf("\n");
    }
    for (int g = 0; g < 2; g++) {
        if (!count[g])
            continue;
        double best = -1;
        const char *best_label = "";
        for (int m = 0; m < 3; m++)
            if (sum[m][g] > best) {
                best = sum[m][g];
                best_label = methods[m].label;
            }
        printf("%s: nativeres %+.2f dB over mpv's best cscale (%s)\n", groups[g],
               (sum[nm - 1][g] - best) / count[g], best_label);
    }
    printf("frames where nativeres is below ewa_lanczos (mean of Cb, Cr): %d\n", worse_than_ewa);

    /* cost: descale 1080 -> 720, then chroma, on a played 1080p 4:2:0 clip */
    chroma_frame f;
    if (!chroma_frame_synth(&f, 21, "bilinear"))
        return 1;
    float *scb = malloc(sizeof(float) * f.cw * f.ch), *scr = malloc(sizeof(float) * f.cw * f.ch);
    chroma_subsample_left(f.cb_true, f.w, f.h, scb);
    chroma_subsample_left(f.cr_true, f.w, f.h, scr);
    char clip[4096], descale[4096], shaders[8192];
    snprintf(clip, sizeof(clip), "%s/clip.y4m", workdir);
    write_y4m420(clip, f.y, scb, scr, f.w, f.h, 8);
    snprintf(descale, sizeof(descale), "%s/descale720.glsl", workdir);
    snprintf(cmd, sizeof(cmd), "'%s' descale --height 720 --kernel bilinear -o '%s'", gen, descale);
    if (system(cmd) != 0)
        return 1;
    snprintf(shaders, sizeof(shaders), "%s:%s", descale, ours);
    const char *env_frames = getenv("NR_BENCH_FRAMES");
    int frames = env_frames ? atoi(env_frames) : 16;
    host_run_job job = { .host = host, .input = clip, .shaders = shaders,
                         .opts = { "cscale=ewa_lanczos" }, .w = 1280, .h = 720,
                         .play_frames = frames };
    char prefix[4096];
    snprintf(prefix, sizeof(prefix), "%s/cost-chain", workdir);
    job.prefix = prefix;
    host_run_result res;
    printf("\nGPU cost, 1080p 4:2:0 clip, descale 1080 -> 720 (bilinear) then chroma, vo-passes medians:\n");
    if (host_run(&job, &res)) {
        int nd, nc;
        double d = host_passes_ms(&res, "nativeres descale", &nd);
        double c = host_passes_ms(&res, "nativeres chroma", &nc);
        for (int i = 0; i < res.num_passes; i++)
            printf("  %8.3f ms  %s\n", res.passes[i].median_ms, res.passes[i].desc);
        printf("descale passes (%d): %.3f ms; chroma passes (%d): %.3f ms = %.2fx the descale\n",
               nd, d, nc, c, d > 0 ? c / d : 0);
    }
    job.shaders = descale;   /* mpv's own cscale after the descale, for scale */
    snprintf(prefix, sizeof(prefix), "%s/cost-cscale", workdir);
    if (host_run(&job, &res)) {
        printf("without the chroma shader (cscale=ewa_lanczos):\n");
        for (int i = 0; i < res.num_passes; i++)
            printf("  %8.3f ms  %s\n", res.passes[i].median_ms, res.passes[i].desc);
    }
    free(scb);
    free(scr);
    chroma_frame_free(&f);
    return 0;
}
