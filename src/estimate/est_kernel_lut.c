/* Tabulated kernels: the sweep builds thousands of small matrices, and
 * evaluating lanczos (two sines a tap) directly would cost more than the
 * fits themselves. A table at 1/2048 px with linear interpolation is within
 * ~1e-7 of the kernel: far below 8-bit quantisation, so residuals are
 * unchanged for the purpose of ranking candidates. */
#include <math.h>
#include <stdlib.h>

#include "est_internal.h"

#define LUT_RES 2048.0

int est_lut_init(est_lut *lut, const nr_kernel *k)
{
    lut->kernel = *k;
    int support = nr_kernel_support(k);
    if (support < 1)
        support = 1;
    lut->fs = 2 * support;
    if (lut->fs > EST_MAX_FS)
        return -1;
    double blur = k->blur > 0 ? k->blur : 1.0;
    lut->radius = support + 1.0;   /* taps reach |d| <= support + 0.5 */
    lut->res = LUT_RES;
    lut->size = (int)(lut->radius * LUT_RES) + 2;
    lut->v = malloc(sizeof(float) * (size_t)lut->size);
    if (!lut->v)
        return -1;
    for (int i = 0; i < lut->size; i++)
        lut->v[i] = (float)nr_kernel_eval(k, (i / LUT_RES) / blur);
    return 0;
}

void est_lut_free(est_lut *lut)
{
    free(lut->v);
    lut->v = NULL;
}
