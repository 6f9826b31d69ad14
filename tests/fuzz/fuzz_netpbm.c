/*
 * Fuzz target: the CLI's PGM/PPM (P5/P6) and PFM (Pf/PF) readers, fed
 * from memory with the same magic-byte dispatch as nr_image_load_luma.
 * A decoded plane must have the size its header gave and be fully
 * readable (ASan checks every sample we touch).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image_io_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || data[0] != 'P')
        return 0;
    /* a private copy: the parsers must not read past `size` */
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    nr_bytes file = {copy, size};
    nr_image img = {0};
    char err[256];
    int rc = -1;
    if (data[1] == 'f' || data[1] == 'F')
        rc = nr_pfm_decode("fuzz", &file, &img, err, sizeof(err));
    else if (data[1] == '5' || data[1] == '6')
        rc = nr_pnm_decode("fuzz", &file, &img, err, sizeof(err));
    if (rc == 0) {
        if (img.width < 1 || img.height < 1 || !img.data)
            abort();
        /* touch every sample: an unfilled or short plane shows up here */
        volatile float sum = 0;
        for (size_t i = 0; i < (size_t)img.width * (size_t)img.height; i++)
            sum += img.data[i];
        (void)sum;
        /* round trip through both writers */
        nr_bytes out;
        if (nr_pgm16_encode(&img, &out) == 0)
            free(out.data);
        if (nr_pfm_encode(&img, &out) == 0)
            free(out.data);
    } else if (img.data) {
        abort();   /* a failed decode must leave nothing allocated */
    }
    nr_image_free(&img);
    free(copy);
    return 0;
}
