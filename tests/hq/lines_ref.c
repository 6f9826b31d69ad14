/*
 * nr-lines-ref: the CPU reference line enhancement (nr_lines) of a gray
 * PGM or PFM, as PFM (the --ref of nr-mpv-conform).
 * Usage: nr-lines-ref IN.pgm|IN.pfm OUT.pfm STRENGTH
 */
#include "image_io.h"

#include "nativeres_lines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char err[256];
    if (argc != 4) {
        fprintf(stderr, "usage: nr-lines-ref IN.pgm|IN.pfm OUT.pfm STRENGTH\n");
        return 2;
    }
    size_t n = strlen(argv[1]);
    bool pfm = n > 4 && !strcmp(argv[1] + n - 4, ".pfm");
    nr_image in, out;
    if (!(pfm ? nr_pfm_read(argv[1], &in, err, sizeof(err))
              : nr_pgm_read(argv[1], &in, err, sizeof(err)))) {
        fprintf(stderr, "nr-lines-ref: %s\n", err);
        return 1;
    }
    if (in.channels != 1 || !nr_image_alloc(&out, in.w, in.h, 1) ||
        nr_lines(in.data, in.w, in.w, in.h, out.data, out.w, atof(argv[3])) < 0 ||
        !nr_pfm_write(argv[2], &out, err, sizeof(err))) {
        fprintf(stderr, "nr-lines-ref: failed (a gray image and a strength in [0, 4])\n");
        return 1;
    }
    nr_image_free(&in);
    nr_image_free(&out);
    return 0;
}
