/*
 * nr-dpid-ref: the CPU reference DPID of a gray PGM, as PFM (the --ref of
 * nr-mpv-conform). Usage: nr-dpid-ref IN.pgm OUT.pfm WxH LAMBDA
 */
#include "image_io.h"

#include "nativeres_dpid.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int w, h;
    char err[256];
    if (argc != 5 || sscanf(argv[3], "%dx%d", &w, &h) != 2) {
        fprintf(stderr, "usage: nr-dpid-ref IN.pgm OUT.pfm WxH LAMBDA\n");
        return 2;
    }
    nr_image in, out;
    if (!nr_pgm_read(argv[1], &in, err, sizeof(err))) {
        fprintf(stderr, "nr-dpid-ref: %s\n", err);
        return 1;
    }
    if (!nr_image_alloc(&out, w, h, 1) ||
        nr_dpid(in.data, in.w, in.w, in.h, out.data, w, w, h, atof(argv[4])) < 0 ||
        !nr_pfm_write(argv[2], &out, err, sizeof(err))) {
        fprintf(stderr, "nr-dpid-ref: failed\n");
        return 1;
    }
    nr_image_free(&in);
    nr_image_free(&out);
    return 0;
}
