// Benchmark baseline: one LUMA pass that outputs 1280x720 and reads one
// source texel per pixel, the cheapest possible single-pass luma hook at the
// descale's output size.
//!HOOK LUMA
//!BIND HOOKED
//!DESC nativeres bench copy 1920x1080 -> 1280x720 (1 tap)
//!WIDTH 1280
//!HEIGHT 720
//!WHEN HOOKED.w 1920 == HOOKED.h 1080 == *
vec4 hook()
{
    return HOOKED_tex(HOOKED_pos);
}
