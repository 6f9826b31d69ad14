/*
 * The hq preset's upscale: the learned 2x upscaler (nativeres_upscaler.h)
 * on the whole native plane where the output is larger than the source
 * (balanced's upscaler at the source size, see nr_rescale_learned_runs),
 * then the step from its 2x grid to the output:
 * DPID (nativeres_dpid.h) where that is a plain downscale of the whole
 * plane to the source size and the options ask for it (hq_dpid), otherwise
 * a resample on the scale's window (spline36 enlarging, Catmull-Rom widened
 * when shrinking: nr_chain_resample_weight). The shader (src/glsl/rescale.c) writes
 * the same steps.
 */
#include "rescale_internal.h"
#include "nativeres_dpid.h"
#include "nativeres_upscaler.h"
#include "window.h"

#include <math.h>
#include <stdlib.h>

static bool trivial_window(const nr_scale *s)
{
    double hs, hz, vs, vz;
    nr_rescale_window(s, true, &hs, &hz);
    nr_rescale_window(s, false, &vs, &vz);
    return hs == 0 && vs == 0 && hz == s->native_w && vz == s->native_h;
}

bool nr_rescale_learned_dpid(const nr_scale *s, const nr_rescale_opts *o, int out_w, int out_h)
{
    const nr_rescale_preset_info *p = nr_rescale_preset_get(o->preset);
    return p && p->learned && o->hq_dpid && out_w == s->full_w && out_h == s->full_h &&
           2 * s->native_w >= out_w && 2 * s->native_h >= out_h && trivial_window(s);
}

bool nr_rescale_learned_runs(const nr_scale *s, const nr_rescale_opts *o, int out_w, int out_h)
{
    const nr_rescale_preset_info *p = nr_rescale_preset_get(o->preset);
    return p && p->learned && (out_w > s->full_w || out_h > s->full_h ||
                               nr_rescale_learned_dpid(s, o, out_w, out_h));
}

const nr_rescale_upscaler *nr_rescale_hq_source_upscaler(void)
{
    return &nr_rescale_preset_get(NR_RESCALE_BALANCED)->upscaler;
}

int nr_fine_radius(double widen)
{
    return nr_chain_resample_radius(widen);
}

/* Taps of output sample k along an axis (see rescale_internal.h). */
static int fine_taps(int k, int out, double start, double size, double *w, int *first)
{
    double widen = 2 * size / out;
    widen = widen > 1 ? widen : 1;
    int r = nr_fine_radius(widen);
    double c = 2 * ((k + 0.5) * size / out + start);
    int base = (int)floor(c - 0.5) - r + 1;
    double sum = 0;
    for (int t = 0; t < 2 * r; t++) {
        w[t] = nr_chain_resample_weight(base + t + 0.5 - c, widen);
        sum += w[t];
    }
    for (int t = 0; t < 2 * r; t++)
        w[t] /= sum;
    *first = base;
    return 2 * r;
}

int nr_rescale_resample_fine(const nr_scale *s, const float *fine, int fw, int fh,
                             float *dst, ptrdiff_t dst_stride, int out_w, int out_h)
{
    double hs, hz, vs, vz;
    nr_rescale_window(s, true, &hs, &hz);
    nr_rescale_window(s, false, &vs, &vz);
    if (2 * hz > 8.0 * out_w || 2 * vz > 8.0 * out_h)
        return -1;
    double wx[64], wy[64];
    for (int oy = 0; oy < out_h; oy++) {
        int fy, ny = fine_taps(oy, out_h, vs, vz, wy, &fy);
        for (int ox = 0; ox < out_w; ox++) {
            int fx, nx = fine_taps(ox, out_w, hs, hz, wx, &fx);
            dst[oy * dst_stride + ox] =
                (float)nr_window_sum(fine, fw, fw, fh, fx, wx, nx, fy, wy, ny);
        }
    }
    return 0;
}

int nr_rescale_learned_upscale(const nr_scale *s, const nr_rescale_opts *o, const float *x,
                               float *dst, ptrdiff_t dst_stride, int out_w, int out_h)
{
    const nr_upscaler *m = nr_upscaler_builtin();
    int fw = 2 * s->native_w, fh = 2 * s->native_h;
    float *fine = m ? malloc(sizeof(float) * (size_t)fw * fh) : NULL;
    if (!fine)
        return -1;
    nr_upscaler_ensemble ens;
    int rc = nr_upscaler_ensemble_init(&ens, m, o->hq_ensemble);
    if (rc == 0)
        rc = nr_upscaler_run2x_mean(ens.net, ens.n, x, s->native_w, s->native_w, s->native_h,
                                    fine, fw);
    nr_upscaler_ensemble_free(&ens);
    if (rc == 0)
        rc = nr_rescale_learned_dpid(s, o, out_w, out_h)
                 ? nr_dpid(fine, fw, fw, fh, dst, dst_stride, out_w, out_h, NR_DPID_DEFAULT_LAMBDA)
                 : nr_rescale_resample_fine(s, fine, fw, fh, dst, dst_stride, out_w, out_h);
    free(fine);
    return rc;
}
