/*
 * The block grid of a codec, seen from the estimator.
 *
 * A block codec (x264, x265, JPEG) transforms 8x8 (and 4x4, 16x16...)
 * blocks on a fixed grid and quantises their highest frequencies away
 * first. An upscale model whose sampling grid repeats with a period that
 * divides 8 lines (a native size of 7/8, 3/4 or 1/2 of the axis) has its
 * "missing detail" (what the model cannot represent) in nearly the same
 * per-block high frequencies; on a coded native picture it then fits
 * better than its neighbours and shows a dip that is compression alone
 * (measured on the real-frame corpus: x265 CRF 18 leaves dips of 0.24-0.43
 * at 945 of 1080 on frames upscaled from 844-900, x264 at 810 and 540).
 * (Larger transforms, HEVC's 16 and 32, would flag true widths such as
 * 1500 of 1920 for 844p under x264, which has none.) Whether a frame
 * went through such a codec shows directly: the last DCT
 * coefficient of blocks on the grid is much weaker than the same
 * coefficient of blocks half a block off it (the codec never saw those).
 */
#include <math.h>

#include "est_internal.h"

/* cos(pi (2n + 1) 7 / 16), the 8-point DCT-II's last basis vector */
static const float dct7[8] = {
    0.19509032f, -0.55557023f, 0.83146961f, -0.98078528f,
    0.98078528f, -0.83146961f, 0.55557023f, -0.19509032f,
};

/* energy of the last coefficient over blocks starting at off + 8k along
 * lines every `every` samples across; step: distance of samples along */
static double block_energy(const float *p, ptrdiff_t along, ptrdiff_t across, int len,
                           int lines, int every, int off)
{
    double e = 0;
    for (int l = 0; l < lines; l += every) {
        const float *line = p + (ptrdiff_t)l * across;
        for (int b = off; b + 8 <= len; b += 8) {
            float s = 0;
            for (int n = 0; n < 8; n++)
                s += dct7[n] * line[(ptrdiff_t)(b + n) * along];
            e += (double)s * s;
        }
    }
    return e;
}

double est_codec_grid(const float *p, ptrdiff_t stride, int w, int h, int vertical)
{
    if (w < 32 || h < 32)
        return 1;
    /* every 4th line: the ratio of sums is steady long before all lines */
    double on, off;
    if (vertical) {
        on = block_energy(p, stride, 1, h - 4, w, 4, 0);
        off = block_energy(p, stride, 1, h - 4, w, 4, 4);
    } else {
        on = block_energy(p, 1, stride, w - 4, h, 4, 0);
        off = block_energy(p, 1, stride, w - 4, h, 4, 4);
    }
    double r = off > 0 ? on / off : 1;
    return r < 1 ? r : 1;
}

bool est_codec_aligned(int full, double size)
{
    if (size != floor(size) || size < 1 || size >= full)
        return false;
    long a = full, b = (long)size;
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return 8 % (full / a) == 0;
}

bool est_codec_near(int full, double size, double within)
{
    for (double s = ceil(size - within); s <= size + within; s++)
        if (est_codec_aligned(full, s))
            return true;
    return false;
}

double est_codec_near_wide(int full, double size, double within)
{
    /* k/32 of the axis with k not a multiple of 4 (period 16 or 32) */
    double k = floor(size * 32.0 / full + 0.5);
    if ((long)k % 4 == 0 || fabs(full * k / 32.0 - size) > within)
        return 0;
    double s8 = full * floor(size * 8.0 / full + 0.5) / 8.0;
    return s8 > 0 && s8 < full ? s8 : 0;
}
