#!/bin/sh
# nativeres-gen upscale: generated variants pass the glslang lint (every
# dialect) and the header checks; bad input gives exit 2, one message and
# no file.
# usage: gen_upscale.sh NATIVERES_GEN SHADER_LINT GLSLANG TABLE
set -u
gen=$1 lint=$2 glslang=$3 table=$4
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
"$gen" upscale -o "$tmp/any.glsl" || fail "upscale (any size)"
"$gen" upscale --width 1280 --height 720 -o "$tmp/2x.glsl" || fail "2x"
"$gen" upscale --width 1280 --height 720 --output-width 1920 --output-height 1080 \
    -o "$tmp/shrink.glsl" || fail "resample to 1080p"
"$gen" upscale --width 640 --height 360 --output-width 1920 --output-height 1080 \
    --model "$table" -o "$tmp/grow.glsl" || fail "resample to 3x with --model"
"$gen" upscale --width 640 --height 360 --output-width 1920 --output-height 1080 --compute \
    -o "$tmp/compute.glsl" || fail "--compute"
"$gen" upscale --width 640 --height 360 --compute --mirror -o "$tmp/mirror.glsl" ||
    fail "--compute --mirror"
"$gen" upscale --width 640 --height 360 --ensemble 3 -o "$tmp/ens3.glsl" || fail "--ensemble 3"
"$gen" rescale --height 720 --width 1280 --kernel bilinear --preset hq --hq-compute \
    --hq-ensemble 3 -o "$tmp/rescale-ens3.glsl" || fail "rescale --hq-ensemble 3"
mkdir -p "$tmp/l"   # line variants and the rescale chain: their other passes are not hq passes
"$gen" rescale --height 720 --width 1280 --kernel bilinear --preset hq --hq-compute \
    -o "$tmp/l/rescale-compute.glsl" || fail "rescale --hq-compute"
"$gen" upscale --width 640 --height 360 --lines 1.5 -o "$tmp/l/lines.glsl" || fail "--lines"
"$gen" lines --strength 0.5 -o "$tmp/l/alone.glsl" || fail "lines alone"
if [ "$glslang" != none ]; then
    "$lint" --glslang "$glslang" "$tmp"/*.glsl "$tmp"/l/*.glsl || fail "lint"
fi
# the line pass comes last, named, on the upscaled size only
[ "$(grep '^//!DESC' "$tmp/l/lines.glsl" | tail -n 1)" = "//!DESC nativeres lines (strength 1.5)" ] ||
    fail "--lines: the last pass is not the line pass"
grep -q '^//!WHEN HOOKED.w 1280 == HOOKED.h 720 == \*$' "$tmp/l/lines.glsl" ||
    fail "--lines: no //!WHEN for the 1280x720 output"
[ "$(grep -c '^//!HOOK' "$tmp/l/alone.glsl")" -eq 1 ] || fail "lines: want one pass"
# --compute: one compute pass per layer, then the shuffle and the resample
# from the stored 2x plane (by gathers; no per-tap re-read of the network's
# outputs), compute passes too
layers=$(sed -n 's/^layers \([0-9]*\)$/\1/p' "$table")
[ "$(grep -c '^//!COMPUTE' "$tmp/compute.glsl")" -eq $((layers + 2)) ] ||
    fail "--compute: want $((layers + 2)) compute passes"
[ "$(grep -c '^//!HOOK' "$tmp/compute.glsl")" -eq $((layers + 2)) ] ||
    fail "--compute: want $((layers + 2)) passes"
[ "$(grep '^//!DESC' "$tmp/compute.glsl" | tail -n 1)" = \
  "//!DESC nativeres hq resample of the 2x plane to the output size (pass $((layers + 2))/$((layers + 2)))" ] ||
    fail "--compute: the last pass is not the resample"
grep -q '_FINE_gather(' "$tmp/compute.glsl" || fail "--compute: the resample does not gather"
# exactly 2x asked for: no resample pass (it would be the identity)
"$gen" upscale --width 640 --height 360 --output-width 1280 --output-height 720 --compute \
    -o "$tmp/exact.glsl" || fail "--output-width at exactly 2x"
[ "$(grep -c '^//!HOOK' "$tmp/exact.glsl")" -eq $((layers + 1)) ] ||
    fail "exactly 2x: want $((layers + 1)) passes"
# the chain: the layers, the shuffle and the merge on larger screens
[ "$(grep -c '^//!COMPUTE' "$tmp/l/rescale-compute.glsl")" -eq $((layers + 2)) ] ||
    fail "rescale --hq-compute: want $((layers + 2)) compute passes"
! grep -q '^//!COMPUTE' "$tmp/2x.glsl" || fail "fragment passes by default"
# --mirror: the mirrored network's layers too, one final pass taking the mean
[ "$(grep -c '^//!COMPUTE' "$tmp/mirror.glsl")" -eq $((2 * layers + 1)) ] ||
    fail "--mirror: want $((2 * layers + 1)) compute passes"
grep -q '^//!DESC nativeres hq mirrored conv 1/' "$tmp/mirror.glsl" || fail "--mirror: no mirrored layers"
grep -q '^//!DESC nativeres hq 2x pixel shuffle, mean with the mirrored network' "$tmp/mirror.glsl" ||
    fail "--mirror: the final pass does not take the mean"
# --ensemble 3: three networks' layers, the third the mirrored inverse
grep -q '^//!DESC nativeres hq mirrored inverse conv 1/' "$tmp/ens3.glsl" ||
    fail "--ensemble 3: no mirrored inverse layers"
grep -q '^//!DESC nativeres hq 2x pixel shuffle, mean with the mirrored and inverse networks' \
    "$tmp/ens3.glsl" || fail "--ensemble 3: the final pass does not take the mean"
grep -q 'return (NR_HQ_[0-9a-f]*_SUB_tex(pos) + NR_HQ_[0-9a-f]*_M_SUB_tex(pos) + NR_HQ_[0-9a-f]*_MI_SUB_tex(pos)) \* (1.0 / 3.0);' \
    "$tmp/ens3.glsl" || fail "--ensemble 3: not the mean of the three"
[ "$(grep -c '^//!COMPUTE' "$tmp/rescale-ens3.glsl")" -eq $((3 * layers + 2)) ] ||
    fail "rescale --hq-ensemble 3: want $((3 * layers + 2)) compute passes"
mv "$tmp/rescale-ens3.glsl" "$tmp/l/"
for f in "$tmp"/*.glsl; do   # every pass named for vo-passes, no //!PARAM (mpv 0.35 drops the file)
    [ "$(grep -c '^//!HOOK' "$f")" -eq "$(grep -c '^//!DESC nativeres hq' "$f")" ] || fail "$f: a pass without DESC"
    ! grep -q '^//!PARAM' "$f" || fail "$f: PARAM"
done

bad() { # DESCRIPTION ARGS...
    what=$1
    shift
    rm -f "$tmp/bad.glsl"
    "$gen" upscale "$@" -o "$tmp/bad.glsl" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 2 ] || fail "$what: exit $rc, want 2"
    [ ! -e "$tmp/bad.glsl" ] || fail "$what: file written"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: want one line on stderr, got: $(cat "$tmp/err")"
    echo "ok ($what): $(cat "$tmp/err")"
}
printf 'nativeres-upscaler 1\nlayers 2\n' >"$tmp/short.txt"
bad "missing table" --model "$tmp/none.txt"
bad "truncated table" --model "$tmp/short.txt"
bad "width without height" --width 640
bad "output without input size" --output-width 1920 --output-height 1080
bad "zero size" --width 0 --height 360
bad "output too small" --width 1280 --height 720 --output-width 320 --output-height 180
bad "unknown option" --width 640 --height 360 --sharpen 2
bad "lines out of range" --width 640 --height 360 --lines 5
bad "lines not a number" --lines strong
bad "ensemble of 4" --width 640 --height 360 --ensemble 4
bad "ensemble of 0" --width 640 --height 360 --ensemble 0
bad "mirror and another ensemble" --width 640 --height 360 --mirror --ensemble 3
rm -f "$tmp/bad.glsl"
"$gen" lines -o "$tmp/bad.glsl" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/bad.glsl" ] || fail "lines without --strength: exit $rc"
"$gen" lines --strength -1 -o "$tmp/bad.glsl" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/bad.glsl" ] || fail "lines --strength -1: exit $rc"
echo "ok: generated variants lint, bad input refused"
