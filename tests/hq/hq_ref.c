/*
 * nr-hq-ref: the learned upscaler's CPU reference on one image, the
 * reference output the real-mpv conformance of the generated passes is
 * compared with.
 *
 *   nr-hq-ref IN.pgm OUT.pfm [--size WxH] [--model TABLE] [--ensemble N]
 *
 * IN is the native luma (8/16-bit PGM), OUT its upscale: 2x, or WxH via
 * the final resample. Without --model: the built-in table.
 */
#include "image_io.h"

#include "nativeres_upscaler.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *model = NULL;
    int members = 1;
    int ow = 0, oh = 0;
    if (argc < 3)
        goto usage;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--size") && i + 1 < argc) {
            char extra;
            if (sscanf(argv[++i], "%dx%d%c", &ow, &oh, &extra) != 2 || ow < 1 || oh < 1)
                goto usage;
        } else if (!strcmp(argv[i], "--model") && i + 1 < argc) {
            model = argv[++i];
        } else if (!strcmp(argv[i], "--ensemble") && i + 1 < argc) {
            if (sscanf(argv[++i], "%d", &members) != 1)
                goto usage;
        } else {
            goto usage;
        }
    }
    char err[256];
    nr_image in, out;
    if (!nr_pgm_read(argv[1], &in, err, sizeof(err))) {
        fprintf(stderr, "nr-hq-ref: %s\n", err);
        return 1;
    }
    nr_upscaler *loaded = model ? nr_upscaler_load(model, err, sizeof(err)) : NULL;
    const nr_upscaler *m = model ? loaded : nr_upscaler_builtin();
    if (!m) {
        fprintf(stderr, "nr-hq-ref: %s\n", model ? err : "out of memory");
        return 1;
    }
    if (!ow) {
        ow = 2 * in.w;
        oh = 2 * in.h;
    }
    nr_upscaler_ensemble ens;
    if (nr_upscaler_ensemble_init(&ens, m, members) < 0 || !nr_image_alloc(&out, ow, oh, 1) ||
        nr_upscaler_run_mean(ens.net, ens.n, in.data, in.w, in.w, in.h, out.data, ow, ow,
                             oh) < 0 ||
        !nr_pfm_write(argv[2], &out, err, sizeof(err))) {
        fprintf(stderr, "nr-hq-ref: upscale or write failed %s\n", err);
        return 1;
    }
    printf("nr-hq-ref: %dx%d -> %dx%d with %s\n", in.w, in.h, ow, oh, m->name);
    nr_upscaler_free(loaded);
    nr_upscaler_ensemble_free(&ens);
    nr_image_free(&in);
    nr_image_free(&out);
    return 0;
usage:
    fprintf(stderr, "usage: nr-hq-ref IN.pgm OUT.pfm [--size WxH] [--model TABLE] [--ensemble N]\n");
    return 2;
}
