#include "gen_kernel.h"

#include <stdio.h>

int gen_kernel_build(const char *name, const gen_kernel_params *p, nr_kernel *k,
                     char *err, size_t err_size)
{
    if (!nr_kernel_parse(name, k)) {
        snprintf(err, err_size, "unknown kernel '%s' (see --list-kernels)", name);
        return -1;
    }
    if ((p->has_b || p->has_c) && k->type != NR_KERNEL_BICUBIC) {
        snprintf(err, err_size, "b and c apply to bicubic kernels only, not '%s'", name);
        return -1;
    }
    if (p->has_taps && k->type != NR_KERNEL_LANCZOS) {
        snprintf(err, err_size, "taps applies to lanczos only, not '%s'", name);
        return -1;
    }
    if (p->has_b)
        k->b = p->b;
    if (p->has_c)
        k->c = p->c;
    if (p->has_taps)
        k->taps = p->taps;
    if (p->has_blur)
        k->blur = p->blur;
    return nr_kernel_validate(k, err, err_size);
}

void gen_kernel_describe(const nr_kernel *k, char *buf, size_t size)
{
    char name[64];
    nr_kernel_name(k, name, sizeof(name));
    int n;
    if (k->type == NR_KERNEL_BICUBIC)
        n = snprintf(buf, size, "%s (b=%.6g c=%.6g)", name, k->b, k->c);
    else if (k->type == NR_KERNEL_LANCZOS)
        n = snprintf(buf, size, "%s (taps=%d)", name, k->taps);
    else
        n = snprintf(buf, size, "%s", name);
    if (n >= 0 && (size_t)n < size && k->blur != 1.0)
        snprintf(buf + n, size - (size_t)n, " blur=%.6g", k->blur);
}
