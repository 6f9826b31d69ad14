/* The rescale presets (the table presets/rescale-presets.txt shows; a test
 * keeps the two equal) and the chain's options. */
#include "rescale_internal.h"
#include "nativeres_upscaler.h"

#include <math.h>
#include <stdio.h>
#include <strings.h>

static const nr_rescale_preset_info presets[] = {
    { NR_RESCALE_FAST, "fast", true,
      { { NR_KERNEL_POINT, 0, 0, 0, 1.0 }, 0.0, false }, false, "none",
      "descale; masked areas get a triangle downscale of the source; native size out "
      "(mpv's scaler or your doubler upscales)" },
    { NR_RESCALE_BALANCED, "balanced", false,
      { { NR_KERNEL_SPLINE64, 0, 0, 0, 1.0 }, 0.15, true }, false, "spline64",
      "descale, sigmoidal spline64 upscale, masked areas keep the source; source or "
      "screen size out" },
    { NR_RESCALE_HQ, "hq", false,
      { { NR_KERNEL_POINT, 0, 0, 0, 1.0 }, 0.0, false }, true, "learned-2x",
      "descale, the learned 2x upscaler resampled to screens larger than the source "
      "(balanced's upscaler up to the source size), masked areas keep the source; source "
      "or screen size out" },
};

const nr_rescale_preset_info *nr_rescale_preset_get(nr_rescale_preset p)
{
    for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
        if (presets[i].preset == p)
            return &presets[i];
    return NULL;
}

bool nr_rescale_preset_parse(const char *name, nr_rescale_preset *p)
{
    for (size_t i = 0; name && i < sizeof(presets) / sizeof(presets[0]); i++) {
        if (!strcasecmp(name, presets[i].name)) {
            *p = presets[i].preset;
            return true;
        }
    }
    return false;
}

const char *nr_rescale_preset_name(nr_rescale_preset p)
{
    const nr_rescale_preset_info *info = nr_rescale_preset_get(p);
    return info ? info->name : "unknown";
}

void nr_rescale_opts_default(nr_rescale_opts *o)
{
    *o = (nr_rescale_opts){
        .preset = NR_RESCALE_BALANCED,
        .mask = { NR_RESCALE_DEFAULT_THRESHOLD, NR_RESCALE_DEFAULT_GROW,
                  NR_RESCALE_DEFAULT_FEATHER },
        .tolerance = 1e-4,
    };
}

int nr_rescale_opts_validate(const nr_rescale_opts *o, char *err, size_t err_size)
{
    const char *msg = NULL;
    if (!o)
        msg = "no rescale options given";
    else if (!nr_rescale_preset_get(o->preset))
        msg = "unknown rescale preset";
    else if (!isfinite(o->mask.threshold) || o->mask.threshold <= 0 || o->mask.threshold > 1)
        msg = "mask threshold must be in (0, 1]";
    else if (!isfinite(o->mask.grow) || o->mask.grow < 0 || o->mask.grow > 64)
        msg = "mask grow must be in [0, 64] source pixels";
    else if (!isfinite(o->mask.feather) || o->mask.feather < 0 || o->mask.feather > 64)
        msg = "mask feather must be in [0, 64] source pixels";
    else if (!isfinite(o->tolerance) || o->tolerance < 0 || o->tolerance >= 1)
        msg = "tolerance must be a finite number in [0, 1)";
    else if (o->hq_ensemble < 0 || o->hq_ensemble > NR_UPSCALER_MAX_MEMBERS)
        msg = "the hq ensemble must have 1 to 3 members";
    if (!msg)
        return 0;
    if (err && err_size)
        snprintf(err, err_size, "%s", msg);
    return -1;
}
