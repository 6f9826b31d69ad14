/* The rescale chain on the CPU: descale, mask, upscale, merge. */
#include "rescale_internal.h"

#include <stdlib.h>

void nr_rescale_output_size(const nr_scale *s, nr_rescale_preset preset,
                            int screen_w, int screen_h, int *out_w, int *out_h)
{
    const nr_rescale_preset_info *p = nr_rescale_preset_get(preset);
    if (p && p->native_output) {
        *out_w = s->native_w;
        *out_h = s->native_h;
        return;
    }
    *out_w = screen_w > s->full_w ? screen_w : s->full_w;
    *out_h = screen_h > s->full_h ? screen_h : s->full_h;
}

int nr_rescale(const nr_scale *s, const nr_rescale_opts *o,
               const float *src, ptrdiff_t src_stride,
               float *dst, ptrdiff_t dst_stride, int out_w, int out_h)
{
    char err[8];
    if (!s || !o || !src || !dst || out_w < 1 || out_h < 1 ||
        nr_scale_validate(s, err, sizeof(err)) < 0 ||
        nr_rescale_opts_validate(o, err, sizeof(err)) < 0)
        return -1;
    const nr_rescale_preset_info *p = nr_rescale_preset_get(o->preset);
    if (p->native_output && (out_w != s->native_w || out_h != s->native_h))
        return -1;
    nr_mask_geometry g;
    float *cells = NULL, *x = NULL;
    if (nr_rescale_mask_cells(s, &o->mask, src, src_stride, &g, &cells, &x) < 0)
        return -1;
    int ret = -1;
    if (p->native_output) {
        for (int y = 0; y < out_h; y++)
            for (int i = 0; i < out_w; i++) {
                float m = nr_mask_sample(&g, cells, i, y, out_w, out_h);
                float v = x[(size_t)y * g.nw + i];
                if (m > 0)
                    v += m * (nr_source_triangle(s, src, src_stride, i, y) - v);
                dst[(ptrdiff_t)y * dst_stride + i] = v;
            }
        ret = 0;
    } else if ((nr_rescale_learned_runs(s, o, out_w, out_h)
                    ? nr_rescale_learned_upscale(s, o, x, dst, dst_stride, out_w, out_h)
                    : nr_rescale_upscale_plane(s, p->learned ? nr_rescale_hq_source_upscaler()
                                                             : &p->upscaler,
                                               x, g.nw, g.nh, dst, dst_stride, out_w,
                                               out_h)) == 0) {
        for (int y = 0; y < out_h; y++)
            for (int i = 0; i < out_w; i++) {
                float m = nr_mask_sample(&g, cells, i, y, out_w, out_h);
                float *v = &dst[(ptrdiff_t)y * dst_stride + i];
                if (m > 0)
                    *v += m * (nr_source_catrom(src, src_stride, g.sw, g.sh, i, y, out_w, out_h) - *v);
            }
        ret = 0;
    }
    free(cells);
    free(x);
    return ret;
}
