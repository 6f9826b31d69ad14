#!/bin/sh
# Under vo_gpu (libmpv render API), "video" screenshots are rendered through
# the pipeline, user shaders included. The plugin must analyse the decoded
# frame, not its own descale re-upscaled by mpv's scaler: with
# scale=ewa_lanczossharp such a feedback reads as a lanczos upscale and
# flips the kernel. Plays the bundled 720p-bilinear sample and checks that
# every frame analysed after the switch still says bilinear, and that the
# plugin decided exactly once. The sample is 8-bit limited-range 4:2:0: the
# plugin must recover its coded luma from mpv's RGB grab exactly
# (mpv-plugin/frame.h), which it does only when every pixel bears it out.
set -eu
host=$1 plugin=$2 sample=$3 work=$4
mkdir -p "$work"
log="$work/no_feedback.log"
"$host" --file "$sample" --script "$plugin" --play --seconds 12 --size 960x540 \
  --opt start=1 --opt scale=ewa_lanczossharp \
  --opt "script-opts=nativeres-cache=no,nativeres-verbose=yes,nativeres-mode=descale" --log "$log" >/dev/null
frames=$(grep -c 'nativeres: frame pos=' "$log" || true)
decisions=$(grep -c 'nativeres: verdict=' "$log" || true)
bilinear=$(grep 'nativeres: frame pos=' "$log" | grep -c 'height=720 kernel=bilinear' || true)
echo "frames analysed: $frames, bilinear 720p: $bilinear, decisions: $decisions"
grep 'nativeres: verdict=' "$log" || true
[ "$frames" -ge 3 ] || { echo "FAIL: fewer than 3 frames analysed"; exit 1; }
[ "$bilinear" -eq "$frames" ] || { echo "FAIL: a frame was not read as 720p bilinear"; exit 1; }
[ "$decisions" -eq 1 ] || { echo "FAIL: expected exactly one decision"; exit 1; }
grep -q 'nativeres: luma: the coded 8-bit values' "$log" ||
  { echo "FAIL: the grab's luma was not recovered as the coded values"; exit 1; }
grep -q 'nativeres-descale-1920x1080-from-720p-bilinear' "$log" || { echo "FAIL: shader not switched in"; exit 1; }
echo "ok"
