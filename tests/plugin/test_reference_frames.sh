#!/bin/sh
# prefer-ref in the stock mpv CLI (real-time playback, --vo=null): the
# plugin reads video-frame-info/picture-type and lets a grab due on a
# B-frame wait for the next I- or P-frame. The bundled sample's pattern is
# I B B B P (three of four frames B), so a plugin grabbing any frame would
# analyse B-frames most of the time; with a long wait (2 s: no load on a
# test machine stalls playback that long) every analysed frame must be an
# I- or P-frame, and the verbose log must name each frame's type.
# (PREFER_REF=0 in the environment turns the wait off: the check then
# fails, as it would without the feature.)
set -eu
mpv=$1 plugin=$2 sample=$3 work=$4
mkdir -p "$work"
log="$work/reference_frames.log"
"$mpv" --no-config --vo=null --no-audio --end=6 --msg-level=all=v \
  --script="$plugin" --log-file="$log" \
  --script-opts=nativeres-cache=no,nativeres-verbose=yes,nativeres-prefer-ref=${PREFER_REF:-2},nativeres-interval=0.5 \
  "$sample" >/dev/null 2>&1
frames=$(grep -c 'nativeres: frame pos=' "$log" || true)
typed=$(grep 'nativeres: frame pos=' "$log" | grep -c ' type=[IPB] ' || true)
refs=$(grep 'nativeres: frame pos=' "$log" | grep -c ' type=[IP] ' || true)
echo "frames analysed: $frames, with a picture type: $typed, I or P: $refs"
grep 'nativeres: frame pos=' "$log" | sed 's/ new-scene.*//' || true
[ "$frames" -ge 2 ] || { echo "FAIL: fewer than 2 frames analysed"; exit 1; }
[ "$typed" -eq "$frames" ] || { echo "FAIL: a frame without its picture type"; exit 1; }
[ "$refs" -eq "$frames" ] || { echo "FAIL: a B-frame was analysed"; exit 1; }
echo "ok"
