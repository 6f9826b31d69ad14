#!/bin/sh
# The generator's outputs beyond the pack: fractional windows, other
# borders, single-axis descales, custom kernels and source sizes. Each must
# pass the glslang lint (all dialects) and the header checks.
# usage: lint_generated.sh NATIVERES_GEN SHADER_LINT SHADER_HEADERS GLSLANG
set -u
gen=$1 lint=$2 headers=$3 glslang=$4
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
make() { # NAME ARGS...
    name=$1
    shift
    n=$((n + 1))
    "$gen" descale "$@" -o "$tmp/$name.glsl" || { echo "FAIL: nativeres-gen descale $*"; exit 1; }
}
make frac_catrom    --height 873.5 --kernel catrom
make frac_width     --height 719.5 --width 1279.1111111111111 --kernel mitchell
make zero_lanczos4  --height 810 --kernel lanczos4 --border zero
make repeat_spline  --height 720 --kernel spline36 --border repeat
make vertical_only  --height 720 --width 1920 --kernel bilinear
make horizontal_only --height 1080 --width 1440 --kernel spline64
make window         --height 720 --kernel bicubic --b 0.25 --c 0.45 --src-left 0.5 --src-top 0.25 --src-width 1279 --src-height 719.5
make blur_hermite   --height 900 --kernel hermite --blur 1.1
make src_720p       --source-width 1280 --source-height 720 --height 540 --kernel lanczos2
make loose_tol      --height 864 --kernel bicubicsharp --tolerance 1e-3
"$lint" --glslang "$glslang" "$tmp"/*.glsl || exit 1
"$headers" "$tmp"/*.glsl || exit 1
echo "ok: $n generated variants pass lint and header checks"
