/*
 * bench-chroma: chroma reconstruction quality and cost in real mpv.
 *
 * Quality: full-colour frames become 8-bit 4:2:0 (BT.709 full range, left
 * siting); mpv (vo_gpu, float FBO) renders them with cscale=bilinear,
 * spline36, ewa_lanczos, with KrigBilateral and CfL when their shaders are
 * in bench/restore/peers/ (git-ignored; skipped otherwise), and with our
 * chroma shader; the rendered RGB goes back to YCbCr and chroma PSNR (Cb, Cr;
 * peak 1) is taken against the full-resolution truth. Frames: synthetic
 * (synth_color: native 1080p, and 720p upscaled per channel with bilinear /
 * catrom / lanczos3), and real Blu-ray frames from ../shared when present,
 * made the way an upscaled show is: reduced 4x first (area: their 4:2:0
 * chroma is then full-resolution colour), that picture taken as the native
 * one and upscaled 1.5x per channel by a studio kernel (chroma_frame_real).
 * Upscaled frames get a second row: luma descaled back to the native size
 * (nativeres-gen descale), chroma brought to it by each method, against the
 * native chroma: the chain the presets run.
 *
 * Cost (same run): a 1080p 4:2:0 clip played through descale 1080 -> 720
 * (bilinear) followed by the chroma shader, vo-passes medians of both, and
 * mpv's own chroma scaling for comparison; llvmpipe on one thread
 * (LP_NUM_THREADS=1 unless set), the median ratio of the rounds printed.
 *
 * Usage: bench-chroma --host H --gen NATIVERES_GEN --workdir D [--shared DIR]
 *        [--peers DIR] [--shots DIR] [--real-reduce N]   (prints tables; asserts
 *        nothing; --real-reduce: the real frames' area downscale, 4 by default
 *        (full-colour chroma), 2 for the earlier, softer-chroma construction)
 *        --cost-only first: only the vo-passes part; NR_BENCH_SYNTH=N: only N
 *        of the 4 synthetic frames; --against FILE: the cost rounds alternate
 *        our passes with that chroma shader (another version of ours)
 *        instead of the learned form; NR_BENCH_ROUNDS=N: N rounds (4)
 *        NR_BENCH_STUDIO=0: our shaders without the studio operator (native
 *        rows and the cost chain otherwise get `chroma --kernel K`, K the
 *        frame's studio kernel: bilinear for the cost chain)
 */
#include "chroma_frames.h"
#include "host_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_METHODS 8

typedef struct method {
    const char *label, *shader, *opt;
} method;

static const char *real_frames[] = {
    "bocchi_1", "kuzunohonkai_1", "owarimonogatari_1", "nijigasaki_1", "prismaillya_1",
    "unknown-pinkhair_1", NULL,
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* mpv 0.35 has no //!PARAM: a copy of a peer shader with each parameter's
 * default value as a #define in every pass (measurement only). */
static bool inline_params(const char *in_path, const char *out_path)
{
    FILE *in = fopen(in_path, "r");
    if (!in)
        return false;
    char defs[4096] = "", line[4096], *text = NULL;
    size_t len = 0, cap = 0;
    bool in_param = false, in_header = false;
    char name[256] = "";
    while (fgets(line, sizeof(line), in)) {
        if (!strncmp(line, "//!PARAM ", 9)) {
            sscanf(line + 9, "%255s", name);
            in_param = true;
            continue;
        }
        if (in_param) {
            if (!strncmp(line, "//!", 3))
                continue;
            if (line[0] == '\n' || line[0] == '\r') {
                in_param = false;
                continue;
            }
            size_t dl = strlen(defs);
            snprintf(defs + dl, sizeof(defs) - dl, "#define %s %s", name, line);
            continue;
        }
        bool directive = !strncmp(line, "//!", 3);
        /* after a pass's header block: the defines */
        const char *add = in_header && !directive ? defs : "";
        in_header = directive;
        size_t need = strlen(add) + strlen(line) + 1;
        if (len + need > cap) {
            cap = (len + need) * 2;
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(in);
                return false;
            }
            text = t;
        }
        len += (size_t)sprintf(text + len, "%s%s", add, line);
    }
    fclose(in);
    FILE *out = fopen(out_path, "w");
    bool ok = out && text && fputs(text, out) >= 0;
    if (out)
        ok = fclose(out) == 0 && ok;
    free(text);
    return ok;
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

/* One rendered row: every method on the frame's 4:2:0 file, at the
 * delivered size (descale NULL) or after a descale to the native size. */
static void render_row(const char *host, const char *workdir, const char *shots,
                       const chroma_frame *f, const char *y4m, const char *descale,
                       const method *methods, int nm, double got[MAX_METHODS])
{
    int w = descale ? f->native_w : f->w, h = descale ? f->native_h : f->h;
    const float *tcb = descale ? f->ncb : f->cb_true, *tcr = descale ? f->ncr : f->cr_true;
    size_t n = (size_t)w * h;
    float *y = malloc(n * 4), *cb = malloc(n * 4), *cr = malloc(n * 4);
    for (int m = 0; m < nm; m++) {
        char prefix[4096], shaders[8192] = "";
        snprintf(prefix, sizeof(prefix), "%s/%s%s.%s", workdir, f->name, descale ? ".native" : "",
                 methods[m].label);
        if (descale && methods[m].shader)
            snprintf(shaders, sizeof(shaders), "%s:%s", descale, methods[m].shader);
        else
            snprintf(shaders, sizeof(shaders), "%s", descale ? descale
                     : methods[m].shader ? methods[m].shader : "");
        host_run_job job = { .host = host, .input = y4m, .shaders = shaders[0] ? shaders : NULL,
                             /* the file is BT.709 at every size: untagged, mpv takes
                              * frames under 1280x576 as BT.601 */
                             .opts = { methods[m].opt, "vf=format=colormatrix=bt.709" },
                             .w = w, .h = h, .rgb = true,
                             .prefix = prefix };
        host_run_result res;
        got[m] = NAN;
        if (!host_run(&job, &res)) {
            printf(" %13s", "failed");
            continue;
        }
        rgb_to_ycbcr_mpv(&res.image, y, cb, cr);
        size_t bad = 0;
        for (size_t i = 0; i < n; i++)
            bad += !isfinite(cb[i]) || !isfinite(cr[i]);
        if (bad) {
            /* llvmpipe + mpv 0.35 give NaN frames now and then (README) */
            printf(" %13s", "NaN");
            nr_image_free(&res.image);
            continue;
        }
        double a = chroma_psnr(cb, tcb, w, h), b = chroma_psnr(cr, tcr, w, h);
        got[m] = (a + b) / 2;
        printf("   %5.2f/%5.2f", a, b);
        fflush(stdout);
        if (shots) {
            char name[256];
            snprintf(name, sizeof(name), "%s%s", f->name, descale ? "-native" : "");
            save_png(shots, name, methods[m].label, &res.image);
        }
        nr_image_free(&res.image);
    }
    free(y); free(cb); free(cr);
}

int main(int argc, char **argv)
{
    const char *host = NULL, *gen = NULL, *workdir = NULL, *shared = NULL, *peers = NULL,
               *shots = getenv("NR_BENCH_SHOTS"), *against = NULL;
    bool cost_only = false;
    /* 4, not 2: a frame halved holds one coded chroma sample per pixel as the
     * decoder interpolated it, softer than its luma; at 4 each pixel's chroma
     * is the mean of four coded samples, full-colour as a production is */
    int real_reduce = 4;
    for (int i = 1; i < argc && !strcmp(argv[i], "--cost-only"); i++)
        cost_only = true;
    for (int i = 1 + cost_only; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--host")) host = argv[i + 1];
        else if (!strcmp(argv[i], "--gen")) gen = argv[i + 1];
        else if (!strcmp(argv[i], "--workdir")) workdir = argv[i + 1];
        else if (!strcmp(argv[i], "--shared")) shared = argv[i + 1];
        else if (!strcmp(argv[i], "--peers")) peers = argv[i + 1];
        else if (!strcmp(argv[i], "--shots")) shots = argv[i + 1];
        else if (!strcmp(argv[i], "--against")) against = argv[i + 1];
        else if (!strcmp(argv[i], "--real-reduce")) real_reduce = atoi(argv[i + 1]);
    }
    if (!host || !gen || !workdir || real_reduce < 2 || real_reduce > 8) {
        fprintf(stderr, "usage: bench-chroma --host H --gen G --workdir D [--shared DIR] "
                        "[--peers DIR] [--shots DIR] [--against CHROMA.glsl] "
                        "[--real-reduce 2..8]\n");
        return 2;
    }
    mkdir(workdir, 0755);
    const char *env_studio = getenv("NR_BENCH_STUDIO");
    bool studio_on = !env_studio || atoi(env_studio) != 0;
    if (shots)
        mkdir(shots, 0755);
    char ours[4096], learned[4096], cmd[8192], krig[4096] = "", cfl[4096] = "";
    snprintf(ours, sizeof(ours), "%s/chroma.glsl", workdir);
    snprintf(cmd, sizeof(cmd), "'%s' chroma -o '%s'", gen, ours);
    if (system(cmd) != 0)
        return 1;
    /* the same with the learned residual (a fourth pass) */
    snprintf(learned, sizeof(learned), "%s/chroma-learned.glsl", workdir);
    snprintf(cmd, sizeof(cmd), "'%s' chroma --learned -o '%s'", gen, learned);
    if (system(cmd) != 0)
        return 1;
    method methods[MAX_METHODS] = {
        { "bilinear", NULL, "cscale=bilinear" },
        { "spline36", NULL, "cscale=spline36" },
        { "ewa_lanczos", NULL, "cscale=ewa_lanczos" },
    };
    int nm = 3, krig_m = -1;
    if (peers) {
        snprintf(krig, sizeof(krig), "%s/KrigBilateral.glsl", peers);
        snprintf(cfl, sizeof(cfl), "%s/CfL_Prediction.glsl", peers);
        if (exists(krig)) {
            krig_m = nm;
            methods[nm++] = (method){ "KrigBilateral", krig, "cscale=bilinear" };
        } else
            printf("KrigBilateral: %s absent, skipped\n", krig);
        char cfl_inlined[4096];
        snprintf(cfl_inlined, sizeof(cfl_inlined), "%s/CfL_Prediction.inlined.glsl", workdir);
        if (exists(cfl) && inline_params(cfl, cfl_inlined)) {
            snprintf(cfl, sizeof(cfl), "%s", cfl_inlined);
            methods[nm++] = (method){ "CfL", cfl, "cscale=bilinear" };
        }
        else
            printf("CfL: %s absent, skipped\n", cfl);
    }
    const int ours_m = nm;
    methods[nm++] = (method){ "nativeres", ours, "cscale=bilinear" };
    const int learned_m = nm;
    methods[nm++] = (method){ "nr+learned", learned, "cscale=bilinear" };

    printf("\nChroma PSNR (dB, Cb/Cr) against the full-resolution truth, rendered by mpv vo_gpu\n"
           "(rows 'native': the frame's luma descaled to the native size by nativeres-gen\n"
           "descale, chroma brought to it, against the native picture's chroma)\n");
    printf("%-40s", "frame");
    for (int m = 0; m < nm; m++)
        printf(" %13s", methods[m].label);
    printf("\n");
    /* groups: synthetic / real, delivered size / descaled to native */
    enum { GROUPS = 4 };
    static const char *groups[GROUPS] = { "synthetic", "real", "synthetic, native", "real, native" };
    double sum[MAX_METHODS][GROUPS] = {{0}}, gain[GROUPS] = {0}, gain_l[GROUPS] = {0};
    int count[MAX_METHODS][GROUPS] = {{0}}, rows[GROUPS] = {0}, below_ewa = 0, below_krig = 0;
    int below_ewa_l = 0, below_krig_l = 0;
    static const char *kernels[] = { NULL, "bilinear", "catrom", "lanczos3" };
    static const char *studio[] = { "catrom", "lanczos3", "bilinear" };
    /* NR_BENCH_SYNTH=N: N synthetic frames (0..4, default 4) */
    const char *env_synth = getenv("NR_BENCH_SYNTH");
    int nsynth = cost_only ? 0 : env_synth ? atoi(env_synth) : 4, nreal = 0;
    if (nsynth < 0 || nsynth > 4)
        nsynth = 4;
    char paths[16][4096];
    for (int i = 0; shared && !cost_only && real_frames[i]; i++) {
        snprintf(paths[nreal], sizeof(paths[0]), "%s/frames/dev/%s.png", shared, real_frames[i]);
        if (exists(paths[nreal]))
            nreal++;
    }
    if (!nreal && !cost_only)
        printf("(real frames: ../shared not found, skipped)\n");
    for (int fi = 0; fi < nsynth + nreal; fi++) {
        chroma_frame f;
        bool real = fi >= nsynth;
        /* real frames: reduced (full-colour chroma at 4) = the native
         * picture, upscaled 1.5x by a studio kernel, as a show is made */
        bool ok = real ? chroma_frame_real_reduced(&f, paths[fi - nsynth], studio[(fi - nsynth) % 3],
                                                   real_reduce)
                       : chroma_frame_synth(&f, 21 + fi, kernels[fi]);
        if (!ok) {
            fprintf(stderr, "cannot make frame %d\n", fi);
            continue;
        }
        /* the file: 8-bit luma as is, chroma subsampled from the truth
         * (unquantised: write_y4m420 rounds it once, to mpv's code) */
        char y4m[4096], descale[4096] = "";
        snprintf(y4m, sizeof(y4m), "%s/%s.y4m", workdir, f.name);
        float *scb = malloc(sizeof(float) * f.cw * f.ch), *scr = malloc(sizeof(float) * f.cw * f.ch);
        bool written = scb && scr && chroma_subsample_left(f.cb_true, f.w, f.h, scb) &&
                       chroma_subsample_left(f.cr_true, f.w, f.h, scr) &&
                       write_y4m420(y4m, f.y, scb, scr, f.w, f.h, 1);
        free(scb);
        free(scr);
        if (!written) {
            fprintf(stderr, "cannot write %s\n", y4m);
            chroma_frame_free(&f);
            continue;
        }
        for (int pass = 0; pass < (f.native_w ? 2 : 1); pass++) {
            if (pass == 1) {
                snprintf(descale, sizeof(descale), "%s/%s.descale.glsl", workdir, f.name);
                snprintf(cmd, sizeof(cmd), "'%s' descale --source-width %d --source-height %d "
                         "--height %d --width %d --kernel %s -o '%s'", gen, f.w, f.h,
                         f.native_h, f.native_w, f.kernel, descale);
                if (system(cmd) != 0)
                    break;
            }
            /* native rows: ours through the studio operator of this frame */
            char ours_n[4096], learned_n[4096];
            const char *ours_keep = methods[ours_m].shader, *learned_keep = methods[learned_m].shader;
            if (pass == 1 && studio_on) {
                snprintf(ours_n, sizeof(ours_n), "%s/%s.chroma-studio.glsl", workdir, f.name);
                snprintf(learned_n, sizeof(learned_n), "%s/%s.chroma-studio-learned.glsl",
                         workdir, f.name);
                snprintf(cmd, sizeof(cmd), "'%s' chroma --kernel %s -o '%s'", gen, f.kernel, ours_n);
                if (system(cmd) != 0)
                    break;
                snprintf(cmd, sizeof(cmd), "'%s' chroma --learned --kernel %s -o '%s'", gen,
                         f.kernel, learned_n);
                if (system(cmd) != 0)
                    break;
                methods[ours_m].shader = ours_n;
                methods[learned_m].shader = learned_n;
            }
            char label[192];
            if (pass)
                snprintf(label, sizeof(label), "  native %dx%d", f.native_w, f.native_h);
            else
                snprintf(label, sizeof(label), "%s", f.name);
            printf("%-40s", label);
            double got[MAX_METHODS];
            render_row(host, workdir, shots, &f, y4m, pass ? descale : NULL, methods, nm, got);
            methods[ours_m].shader = ours_keep;
            methods[learned_m].shader = learned_keep;
            /* a failed or NaN render leaves that method's cell out of its
             * mean (fmax ignores NaN: the best of those that rendered) */
            double best = fmax(got[0], fmax(got[1], got[2]));
            printf("  %+.2f %+.2f\n", got[ours_m] - best, got[learned_m] - best);
            int g = (real ? 1 : 0) + 2 * pass;
            for (int m = 0; m < nm; m++)
                if (isfinite(got[m])) {
                    sum[m][g] += got[m];
                    count[m][g]++;
                }
            rows[g]++;
            gain[g] += got[ours_m] - best;
            gain_l[g] += got[learned_m] - best;
            below_ewa += got[ours_m] < got[2];
            below_krig += krig_m >= 0 && got[ours_m] < got[krig_m];
            below_ewa_l += got[learned_m] < got[2];
            below_krig_l += krig_m >= 0 && got[learned_m] < got[krig_m];
        }
        chroma_frame_free(&f);
    }
    for (int g = 0; g < GROUPS; g++) {
        if (!rows[g])
            continue;
        char label[64];
        snprintf(label, sizeof(label), "mean, %s (%d)", groups[g], rows[g]);
        printf("%-40s", label);
        for (int m = 0; m < nm; m++)
            printf(" %13.2f", count[m][g] ? sum[m][g] / count[m][g] : NAN);
        printf("  %+.2f / %+.2f (learned) over the best cscale per row\n", gain[g] / rows[g],
               gain_l[g] / rows[g]);
    }
    if (!cost_only) {
        printf("rows where nativeres is below ewa_lanczos (mean of Cb, Cr): %d (learned: %d)\n",
               below_ewa, below_ewa_l);
        if (krig_m >= 0)
            printf("rows where nativeres is below KrigBilateral: %d (learned: %d)\n", below_krig,
                   below_krig_l);
    }

    /* cost: descale 1080 -> 720, then chroma, on a played 1080p 4:2:0 clip */
    chroma_frame f;
    if (!chroma_frame_synth(&f, 21, "bilinear"))
        return 1;
    char clip[4096], descale[4096], shaders[8192];
    snprintf(clip, sizeof(clip), "%s/clip.y4m", workdir);
    write_y4m420(clip, f.y, f.cb, f.cr, f.w, f.h, 8);
    snprintf(descale, sizeof(descale), "%s/descale720.glsl", workdir);
    snprintf(cmd, sizeof(cmd), "'%s' descale --height 720 --kernel bilinear -o '%s'", gen, descale);
    if (system(cmd) != 0)
        return 1;
    char ours_cost[4096];
    snprintf(ours_cost, sizeof(ours_cost), "%s", ours);
    if (studio_on) {
        snprintf(ours_cost, sizeof(ours_cost), "%s/chroma-studio-bilinear.glsl", workdir);
        snprintf(cmd, sizeof(cmd), "'%s' chroma --kernel bilinear -o '%s'", gen, ours_cost);
        if (system(cmd) != 0)
            return 1;
    }
    snprintf(shaders, sizeof(shaders), "%s:%s", descale, ours_cost);
    const char *env_frames = getenv("NR_BENCH_FRAMES");
    int frames = env_frames ? atoi(env_frames) : 16;
    host_run_job job = { .host = host, .input = clip, .shaders = shaders,
                         .opts = { "cscale=ewa_lanczos" }, .w = 1280, .h = 720,
                         .play_frames = frames };
    char prefix[4096];
    snprintf(prefix, sizeof(prefix), "%s/cost-chain", workdir);
    job.prefix = prefix;
    host_run_result res;
    /* llvmpipe on one thread unless told otherwise: a pass's time is then
     * its work, not how two threads shared the machine's cores with other
     * jobs (rounds' spread 0.27-0.29 against 0.28-0.35 threaded) */
    const char *lp_threads = getenv("LP_NUM_THREADS");
    if (!lp_threads || !*lp_threads) {
        setenv("LP_NUM_THREADS", "1", 1);
        lp_threads = "1";
    }
    printf("\nGPU cost, 1080p 4:2:0 clip, descale 1080 -> 720 (bilinear) then chroma, vo-passes medians "
           "(LP_NUM_THREADS=%s):\n", lp_threads);
    const char *env_rounds = getenv("NR_BENCH_ROUNDS");
    int rounds = env_rounds ? atoi(env_rounds) : 4;
    double ratio[2][64];   /* chroma / descale per round: ours, the other */
    int nratio[2] = { 0, 0 };
    for (int round = 0; round < rounds; round++) {
        /* the three-pass form and the learned one (or --against's shader)
         * alternating, in the same run (llvmpipe on a shared machine is noisy) */
        bool l = round % 2;
        snprintf(shaders, sizeof(shaders), "%s:%s", descale,
                 l ? (against ? against : learned) : ours_cost);
        snprintf(prefix, sizeof(prefix), "%s/cost-chain%s", workdir, l ? "-learned" : "");
        if (l && against)
            printf("against %s (round %d):\n", against, round / 2 + 1);
        else
            printf("%s (round %d):\n", l ? "with the learned residual (chroma --learned)"
                                          : "ours", round / 2 + 1);
        if (!host_run(&job, &res))
            continue;
        int nd, nc;
        double d = host_passes_ms(&res, "nativeres descale", &nd);
        double c = host_passes_ms(&res, "nativeres chroma", &nc);
        for (int i = 0; i < res.num_passes; i++)
            printf("  %8.3f ms  %s\n", res.passes[i].median_ms, res.passes[i].desc);
        printf("descale passes (%d): %.3f ms; chroma passes (%d): %.3f ms = %.2fx the descale\n",
               nd, d, nc, c, d > 0 ? c / d : 0);
        if (d > 0 && nratio[l] < 64)
            ratio[l][nratio[l]++] = c / d;
    }
    /* one round is noisy on a shared machine (+-15%): the medians decide */
    for (int l = 0; l < 2; l++) {
        if (!nratio[l])
            continue;
        qsort(ratio[l], (size_t)nratio[l], sizeof(double), cmp_double);
        int n = nratio[l];
        double med = n % 2 ? ratio[l][n / 2] : 0.5 * (ratio[l][n / 2 - 1] + ratio[l][n / 2]);
        printf("%s: chroma / descale median %.3fx over %d rounds (%.2f-%.2f)\n",
               l ? (against ? "against" : "with the learned residual") : "ours", med, n,
               ratio[l][0], ratio[l][n - 1]);
    }
    job.shaders = descale;   /* mpv's own cscale after the descale, for scale */
    snprintf(prefix, sizeof(prefix), "%s/cost-cscale", workdir);
    if (host_run(&job, &res)) {
        printf("without the chroma shader (cscale=ewa_lanczos):\n");
        for (int i = 0; i < res.num_passes; i++)
            printf("  %8.3f ms  %s\n", res.passes[i].median_ms, res.passes[i].desc);
    }
    chroma_frame_free(&f);
    return 0;
}
