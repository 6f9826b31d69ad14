#!/bin/sh
# nativeres-gen rescale: the preset table in presets/ equals the library's,
# generated chains (every preset, fractional windows, other borders, single
# axes, bicubic, other source sizes, mask options) pass the glslang lint in
# every dialect and the header checks, and every bad input exits 2 with one
# line on stderr and no file.
# usage: rescale_shaders.sh NATIVERES_GEN SHADER_LINT SHADER_HEADERS GLSLANG PRESETS_TXT
set -u
gen=$1 lint=$2 headers=$3 glslang=$4 table=$5
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

grep -v '^#' "$table" | grep -v '^$' >"$tmp/table"
"$gen" rescale --print-presets | grep -v '^#' >"$tmp/lib"
if ! cmp -s "$tmp/table" "$tmp/lib"; then
    echo "FAIL: presets/rescale-presets.txt differs from the library's table:"
    diff "$tmp/table" "$tmp/lib"
    status=1
fi

n=0
make() { # NAME ARGS...
    name=$1
    shift
    n=$((n + 1))
    "$gen" rescale "$@" -o "$tmp/$name.glsl" || { echo "FAIL: nativeres-gen rescale $*"; exit 1; }
}
make fast_bilinear      --height 720 --kernel bilinear --preset fast
make balanced_catrom    --height 810 --kernel catrom --preset balanced
make hq_mitchell        --height 873 --kernel mitchell --preset hq
make frac_bicubicsharp  --height 873.5 --kernel bicubicsharp
make frac_hq           --height 873.5 --kernel mitchell --preset hq
make hq_dpid_catrom    --height 810 --kernel catrom --preset hq --hq-dpid
make frac_fast          --height 719.5 --width 1279.1111111111111 --kernel catrom --preset fast
make zero_lanczos       --height 810 --kernel lanczos3 --border zero
make vertical_only      --height 720 --width 1920 --kernel bilinear
make horizontal_only    --height 1080 --width 1440 --kernel spline36 --preset fast
make custom_bicubic     --height 844 --kernel bicubic --b 0.25 --c 0.45 --mask-threshold 0.02 --mask-grow 8 --mask-feather 0
make src_720p           --source-width 1280 --source-height 720 --height 540 --kernel lanczos2
"$lint" --glslang "$glslang" "$tmp"/*.glsl || status=1
"$headers" "$tmp"/*.glsl || status=1

# error paths
out=$tmp/out
expect_error() { # DESCRIPTION EXPECTED-TEXT ARGS...
    desc=$1 want=$2
    shift 2
    rm -rf "$out" && mkdir "$out"
    "$gen" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    [ $rc -eq 2 ] || { echo "FAIL: $desc: exit status $rc, want 2"; status=1; }
    [ "$(wc -l <"$tmp/stderr")" -eq 1 ] || { echo "FAIL: $desc: stderr is not one line:"; cat "$tmp/stderr"; status=1; }
    grep -qF -- "$want" "$tmp/stderr" || { echo "FAIL: $desc: stderr lacks '$want': $(cat "$tmp/stderr")"; status=1; }
    [ -s "$tmp/stdout" ] && { echo "FAIL: $desc: wrote to stdout"; status=1; }
    [ -z "$(ls -A "$out")" ] || { echo "FAIL: $desc: left files behind"; status=1; }
}
x=$out/x.glsl
r="rescale --height 720 --kernel bilinear"
expect_error "unknown preset" "unknown preset 'turbo'" $r --preset turbo -o "$x"
expect_error "preset without value" "--preset needs a value" $r -o "$x" --preset
expect_error "threshold zero" "mask threshold must be in (0, 1]" $r --mask-threshold 0 -o "$x"
expect_error "threshold NaN" "'nan' is not a finite number" $r --mask-threshold nan -o "$x"
expect_error "grow negative" "mask grow must be in [0, 64]" $r --mask-grow -1 -o "$x"
expect_error "feather huge" "mask feather must be in [0, 64]" $r --mask-feather 100 -o "$x"
expect_error "no height" "rescale: --height is required" rescale --kernel bilinear -o "$x"
expect_error "no output" "rescale: -o FILE is required" $r
expect_error "unknown flag" "rescale: unknown option '--bogus'" $r --bogus 1 -o "$x"
expect_error "unknown kernel" "unknown kernel 'nosuch'" rescale --height 720 --kernel nosuch -o "$x"
expect_error "nothing to descale" "nothing to descale" rescale --height 1080 --kernel bilinear -o "$x"
expect_error "upscaler-less kernel ok, height too big" "1200" rescale --height 1200 --kernel bilinear -o "$x"
[ $status -eq 0 ] && echo "ok: preset table, $n generated chains lint-clean, error paths"
exit $status
