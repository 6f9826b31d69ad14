/*
 * chroma-explore: CPU chroma PSNR (Cb, Cr) of interpolation filters and of
 * nr_chroma_reconstruct, for choosing parameters. Frames: synthetic (native
 * 1080p, 720p upscaled by bilinear / catrom / lanczos3), and real PNGs
 * (--real MODE: "half", or a kernel: the halved frame upscaled 1.5x by it,
 * see chroma_frame_real; "cycle": bilinear, catrom, lanczos3 in turn).
 * Frames with a native picture get a second row, "native": the chain's
 * case, luma descaled back to the native grid (exactly, with the kernel),
 * chroma brought to it, against the native chroma. The last column: ours
 * minus mpv's best cscale on that frame.
 * Usage: chroma-explore [--exact] [--radius R] [--lo L] [--hi H] [--eps E] [--bp G] [--synth N]
 *        [--learned] [--real MODE] [--real-reduce N] [PNG...]      (NO_EWA=1 skips the slow ewa_lanczos)
 */
#include "chroma_frames.h"
#include "cpu_cscale.h"
#include "nativeres.h"
#include "nativeres_chroma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NM = 4 };
static const char *methods[NM] = { "bilinear", "spline36", "ewa_lanczos", "ours" };

/* one row: methods on chroma (cw x ch) brought to gw x gh against the truth */
static double worst[2] = { 99, 99 }, worst_real[2] = { 99, 99 };

static void row(const char *name, const nr_chroma_params *p, const chroma_frame *f,
                const float *guide, int gw, int gh, const float *tcb, const float *tcr,
                double sum[NM], int *count, int group)
{
    double got[NM] = {0};
    size_t n = (size_t)gw * gh;
    float *ocb = malloc(n * 4), *ocr = malloc(n * 4);
    printf("%-40s", name);
    for (int m = 0; m < NM; m++) {
        if (m == 2 && getenv("NO_EWA")) {
            printf(" %13s", "-");
            continue;
        }
        if (m < 3) {
            cpu_cscale(methods[m], p, f->cb, f->cw, f->ch, ocb, gw, gh);
            cpu_cscale(methods[m], p, f->cr, f->cw, f->ch, ocr, gw, gh);
        } else if (m == 3) {
            nr_chroma_reconstruct(p, guide, gw, gw, gh, f->cb, f->cr, f->cw, f->cw, f->ch,
                                  ocb, ocr, gw);
            /* CHROMA_DUMP=DIR: raw float32 planes for offline experiments
             * (derived pictures: never commit them) */
            const char *dump = getenv("CHROMA_DUMP");
            if (dump) {
                char path[512];
                snprintf(path, sizeof(path), "%s/%s%s.f32", dump, f->name, group ? ".native" : "");
                FILE *o = fopen(path, "wb");
                if (o) {
                    int hdr[4] = { gw, gh, f->cw, f->ch };
                    fwrite(hdr, sizeof(int), 4, o);
                    fwrite(guide, sizeof(float), n, o);
                    fwrite(tcb, sizeof(float), n, o);
                    fwrite(tcr, sizeof(float), n, o);
                    fwrite(ocb, sizeof(float), n, o);
                    fwrite(ocr, sizeof(float), n, o);
                    fwrite(f->cb, sizeof(float), (size_t)f->cw * f->ch, o);
                    fwrite(f->cr, sizeof(float), (size_t)f->cw * f->ch, o);
                    fclose(o);
                }
            }
        }
        double a = chroma_psnr(ocb, tcb, gw, gh), b = chroma_psnr(ocr, tcr, gw, gh);
        sum[m] += (a + b) / 2;
        count[m]++;
        got[m] = (a + b) / 2;
        printf("   %5.2f/%5.2f", a, b);
    }
    /* ours against mpv's best cscale on this frame */
    double best = got[1] > got[2] || getenv("NO_EWA") ? got[1] : got[2];
    printf("  %+.2f\n", got[3] - best);
    if (got[3] - best < worst[group])
        worst[group] = got[3] - best;
    if (strncmp(f->name, "synth", 5) && got[3] - best < worst_real[group])
        worst_real[group] = got[3] - best;
    fflush(stdout);
    free(ocb);
    free(ocr);
}

int main(int argc, char **argv)
{
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    const char *pngs[64], *real_mode = "half";
    int real_reduce = 2;
    int npng = 0, nsynth = 4;
    bool exact = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--radius") && i + 1 < argc) p.radius = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--lo") && i + 1 < argc) p.corr_lo = atof(argv[++i]);
        else if (!strcmp(argv[i], "--hi") && i + 1 < argc) p.corr_hi = atof(argv[++i]);
        else if (!strcmp(argv[i], "--eps") && i + 1 < argc) p.eps = atof(argv[++i]);
        else if (!strcmp(argv[i], "--bp") && i + 1 < argc) p.backproject = atof(argv[++i]);
        else if (!strcmp(argv[i], "--synth") && i + 1 < argc) nsynth = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--exact")) exact = true;
        else if (!strcmp(argv[i], "--learned")) p.learned = nr_chroma_learned_builtin();
        else if (!strcmp(argv[i], "--real") && i + 1 < argc) real_mode = argv[++i];
        else if (!strcmp(argv[i], "--real-reduce") && i + 1 < argc) real_reduce = atoi(argv[++i]);
        else if (npng < 64) pngs[npng++] = argv[i];
    }
    /* [0]: frames at their delivered size; [1]: native rows */
    double sum[2][NM] = {{0}};
    int count[2][NM] = {{0}};
    static const char *kernels[] = { NULL, "bilinear", "catrom", "lanczos3" };
    static const char *cycle[] = { "bilinear", "catrom", "lanczos3" };
    int total = nsynth * 4 + npng;
    printf("%-40s", "frame (Cb/Cr PSNR dB)");
    for (int m = 0; m < NM; m++)
        printf(" %13s", methods[m]);
    printf("\n");
    for (int fi = 0; fi < total; fi++) {
        chroma_frame f;
        const char *mode = !strcmp(real_mode, "cycle") ? cycle[fi % 3] : real_mode;
        bool ok = fi < nsynth * 4 ? chroma_frame_synth(&f, 1 + fi / 4, kernels[fi % 4])
                                  : chroma_frame_real_reduced(&f, pngs[fi - nsynth * 4], mode, real_reduce);
        if (!ok) {
            fprintf(stderr, "cannot make frame %d\n", fi);
            continue;
        }
        row(f.name, &p, &f, f.y, f.w, f.h, f.cb_true, f.cr_true, sum[0], count[0], 0);
        if (f.native_w) {
            int nw = f.native_w, nh = f.native_h;
            nr_scale s = {0};
            char err[128];
            float *g = malloc(sizeof(float) * nw * nh);
            nr_kernel_parse(f.kernel, &s.kernel);
            nr_scale_for_height(&s, f.w, f.h, nh, nw, err, sizeof(err));
            nr_descale(&s, f.y, f.w, g, nw);
            char name[160];
            snprintf(name, sizeof(name), "  native %dx%d", nw, nh);
            /* --exact: back-projection through the studio's operator */
            nr_chroma_params pn = p;
            if (exact)
                pn.studio = &s.kernel;
            row(name, &pn, &f, g, nw, nh, f.ncb, f.ncr, sum[1], count[1], 1);
            free(g);
        }
        chroma_frame_free(&f);
    }
    static const char *labels[2] = { "mean, delivered size", "mean, native (descaled chain)" };
    for (int k = 0; k < 2; k++) {
        printf("%-40s", labels[k]);
        for (int m = 0; m < NM; m++)
            printf(" %13.2f", count[k][m] ? sum[k][m] / count[k][m] : 0.0);
        printf("   worst %+.2f (real %+.2f)\n", worst[k], worst_real[k]);
    }
    return 0;
}
