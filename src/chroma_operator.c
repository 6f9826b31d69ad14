/* The coded chroma samples' operator along one axis: see chroma_operator.h. */
#include "chroma_operator.h"

#include "matrix.h"

#include <stdlib.h>

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int nr_chroma_operator_axis(nr_area_axis *ax, const nr_kernel *studio, int guide, int full,
                            int chroma, double shift)
{
    if (!nr_chroma_operator_exact(studio, guide, full))
        return nr_area_axis_build(ax, guide, chroma, shift);
    nr_area_axis f;   /* the footprint on the coded grid */
    if (nr_area_axis_build(&f, full, chroma, shift) < 0)
        return -1;
    nr_matrix a;      /* the studio's upscale, guide -> full */
    nr_axis axis = { .full = full, .native = guide };
    if (nr_matrix_build(&a, studio, &axis, NR_BORDER_MIRROR) < 0) {
        nr_area_axis_free(&f);
        return -1;
    }
    /* each row spans the union of its footprint pixels' matrix rows */
    *ax = (nr_area_axis){ .out_size = chroma, .in_size = guide };
    int *lo = malloc(sizeof(int) * (size_t)chroma);
    ax->first = malloc(sizeof(int) * (size_t)chroma);
    int taps = 1;
    for (int i = 0; lo && ax->first && i < chroma; i++) {
        int l = guide, h = -1;
        for (int t = 0; t < f.taps; t++) {
            if (f.w[(size_t)i * f.taps + t] == 0.0f)
                continue;
            int m = clampi(f.first[i] + t, 0, full - 1);
            l = a.first[m] < l ? a.first[m] : l;
            h = a.first[m] + a.width - 1 > h ? a.first[m] + a.width - 1 : h;
        }
        lo[i] = l;
        taps = h - l + 1 > taps ? h - l + 1 : taps;
    }
    ax->taps = taps;
    ax->w = lo && ax->first ? calloc((size_t)chroma * taps, sizeof(float)) : NULL;
    if (!ax->w) {
        free(lo);
        nr_area_axis_free(ax);
        nr_area_axis_free(&f);
        nr_matrix_free(&a);
        return -1;
    }
    for (int i = 0; i < chroma; i++) {
        ax->first[i] = lo[i];
        for (int t = 0; t < f.taps; t++) {
            double wf = f.w[(size_t)i * f.taps + t];
            int m = clampi(f.first[i] + t, 0, full - 1);
            for (int q = 0; q < a.width && wf != 0; q++)
                ax->w[(size_t)i * taps + a.first[m] + q - lo[i]] +=
                    (float)(wf * a.coef[(size_t)m * a.width + q]);
        }
    }
    free(lo);
    nr_area_axis_free(&f);
    nr_matrix_free(&a);
    return 0;
}
