/*
 * chroma-explore: CPU chroma PSNR (Cb, Cr) of interpolation filters and of
 * nr_chroma_reconstruct on synthetic and real 4:2:0 frames, for choosing
 * parameters. Usage: chroma-explore [--radius R] [--lo L] [--hi H]
 * [--eps E] [--native-guide] [PNG...]
 */
#include "chroma_frames.h"
#include "cpu_cscale.h"
#include "nativeres.h"
#include "nativeres_chroma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    nr_chroma_params p;
    nr_chroma_params_default(&p);
    const char *pngs[64];
    int npng = 0, nsynth = 4;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--radius") && i + 1 < argc) p.radius = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--lo") && i + 1 < argc) p.corr_lo = atof(argv[++i]);
        else if (!strcmp(argv[i], "--hi") && i + 1 < argc) p.corr_hi = atof(argv[++i]);
        else if (!strcmp(argv[i], "--eps") && i + 1 < argc) p.eps = atof(argv[++i]);
        else if (!strcmp(argv[i], "--synth") && i + 1 < argc) nsynth = atoi(argv[++i]);
        else if (npng < 64) pngs[npng++] = argv[i];
    }
    const char *methods[] = { "bilinear", "spline36", "ewa_lanczos", "interp", "ours" };
    enum { NM = 5 };
    double sum[NM] = {0};
    int frames = 0;
    static const char *kernels[] = { NULL, "bilinear", "catrom", "lanczos3" };
    int total = nsynth * 4 + npng;
    printf("%-34s", "frame (Cb/Cr PSNR dB)");
    for (int m = 0; m < NM; m++)
        printf(" %13s", methods[m]);
    printf("\n");
    for (int fi = 0; fi < total; fi++) {
        chroma_frame f;
        bool ok = fi < nsynth * 4 ? chroma_frame_synth(&f, 1 + fi / 4, kernels[fi % 4])
                                  : chroma_frame_png(&f, pngs[fi - nsynth * 4], getenv("HALF") != NULL);
        if (!ok) {
            fprintf(stderr, "cannot make frame %d\n", fi);
            continue;
        }
        size_t n = (size_t)f.w * f.h;
        float *ocb = malloc(n * 4), *ocr = malloc(n * 4);
        printf("%-34s", f.name);
        for (int m = 0; m < NM; m++) {
            if (m == 2 && getenv("NO_EWA")) { memcpy(ocb, f.cb_true, n * 4); memcpy(ocr, f.cr_true, n * 4); } else if (m < 3) {
                cpu_cscale(methods[m], &p, f.cb, f.cw, f.ch, ocb, f.w, f.h);
                cpu_cscale(methods[m], &p, f.cr, f.cw, f.ch, ocr, f.w, f.h);
            } else if (m == 3) {
                nr_chroma_interpolate(&p, f.cb, f.cw, f.cw, f.ch, f.w, f.h, ocb, f.w);
                nr_chroma_interpolate(&p, f.cr, f.cw, f.cw, f.ch, f.w, f.h, ocr, f.w);
            } else {
                if (nr_chroma_reconstruct(&p, f.y, f.w, f.w, f.h, f.cb, f.cr, f.cw, f.cw, f.ch,
                                          ocb, ocr, f.w) < 0)
                    fprintf(stderr, "reconstruct failed\n");
            }
            double a = chroma_psnr(ocb, f.cb_true, f.w, f.h), b = chroma_psnr(ocr, f.cr_true, f.w, f.h);
            sum[m] += (a + b) / 2;
            printf("   %5.2f/%5.2f", a, b);
        }
        printf("\n");
        if (f.native_w && getenv("NATIVE_GUIDE")) {
            /* descale mode: guide = the descaled luma, output and truth at native size */
            int nw = f.native_w, nh = f.native_h;
            nr_scale s = {0};
            char err[128];
            float *g = malloc(sizeof(float) * nw * nh), *a = malloc(sizeof(float) * nw * nh),
                  *b = malloc(sizeof(float) * nw * nh);
            nr_kernel_parse(f.kernel, &s.kernel);
            nr_scale_for_height(&s, f.w, f.h, nh, nw, err, sizeof(err));
            nr_descale(&s, f.y, f.w, g, nw);
            printf("%-34s", "  native guide 1280x720");
            cpu_cscale("spline36", &p, f.cb, f.cw, f.ch, a, nw, nh);
            cpu_cscale("spline36", &p, f.cr, f.cw, f.ch, b, nw, nh);
            printf("   spline36 %5.2f/%5.2f", chroma_psnr(a, f.ncb, nw, nh), chroma_psnr(b, f.ncr, nw, nh));
            nr_chroma_reconstruct(&p, g, nw, nw, nh, f.cb, f.cr, f.cw, f.cw, f.ch, a, b, nw);
            printf("   ours %5.2f/%5.2f\n", chroma_psnr(a, f.ncb, nw, nh), chroma_psnr(b, f.ncr, nw, nh));
            free(g); free(a); free(b);
        }
        frames++;
        free(ocb); free(ocr);
        chroma_frame_free(&f);
    }
    printf("%-34s", "mean (Cb+Cr)/2");
    for (int m = 0; m < NM; m++)
        printf(" %13.2f", sum[m] / frames);
    printf("\n");
    return 0;
}
