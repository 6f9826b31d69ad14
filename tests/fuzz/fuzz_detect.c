/*
 * Fuzz target: the estimator (nr_estimate_plane, what `nativeres detect`
 * and the plugin run) on a tiny in-memory plane. Input bytes:
 *   [0] [1]  width and height, 16..64
 *   [2]      flags: 1 float32 samples (the CLI passes PFM values as they
 *            are: NaN, Inf, huge), 2 fractional, 4 b/c refinement,
 *            8 bar cropping, 16 a height range from [3] [4], 32 a
 *            fuzzer-chosen kernel list from [5]
 *   rest     samples (u8 / 255 or float32), repeated to fill the plane
 * Any verdict is fine; a crash, UB, a leak or an out-of-range answer is not.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nativeres_estimate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size <= HEADER)
        return 0;
    int w = 16 + data[0] % 49, h = 16 + data[1] % 49;
    unsigned flags = data[2];
    const uint8_t *s = data + HEADER;
    size_t n = size - HEADER;
    bool floats = flags & 1;
    if (floats && n < 4)
        return 0;
    float *plane = malloc(sizeof(float) * (size_t)w * (size_t)h);
    if (!plane)
        return 0;
    size_t count = floats ? n / 4 : n;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
        size_t j = i % count;
        if (floats)
            memcpy(&plane[i], s + 4 * j, 4);
        else
            plane[i] = s[j] / 255.0f;
    }

    nr_estimate_opts o;
    nr_estimate_opts_default(&o);
    o.fractional = flags & 2;
    o.refine_bicubic = flags & 4;
    o.crop_bars = flags & 8;
    if (flags & 16) {
        o.min_height = data[3] / 4.0;
        o.max_height = data[4] / 4.0;
    }
    nr_kernel kernels[3];
    if (flags & 32) {
        const char *const *names = nr_kernel_names();
        int num_names = 0;
        while (names[num_names])
            num_names++;
        int k = 1 + data[5] % 3;
        for (int i = 0; i < k; i++)
            if (!nr_kernel_parse(names[(data[5] / 3 + 7 * i) % num_names], &kernels[i]))
                abort();
        o.kernels = kernels;
        o.num_kernels = k;
    }

    nr_estimate e;
    char err[256];
    if (nr_estimate_plane(plane, w, w, h, &o, &e, err, sizeof(err)) == 0) {
        if (e.verdict != NR_VERDICT_UNSURE && e.verdict != NR_VERDICT_NATIVE &&
            e.verdict != NR_VERDICT_UPSCALED)
            abort();
        if (!(e.confidence >= 0 && e.confidence <= 1))
            abort();
        if (e.verdict == NR_VERDICT_UPSCALED &&
            !(e.scale.native_h > 0 && e.scale.native_h <= h &&
              e.scale.native_w > 0 && e.scale.native_w <= w))
            abort();
        nr_vote *v = nr_vote_new();
        if (v) {
            nr_estimate voted;
            nr_vote_add(v, &e);
            nr_vote_add(v, &e);
            nr_vote_result(v, &voted);
            nr_estimate_free(&voted);
            nr_vote_free(v);
        }
        nr_estimate_free(&e);
    }
    free(plane);
    return 0;
}
