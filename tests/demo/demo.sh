#!/bin/sh
# The nativeres demo: a bundled 1080p sample (drawn at 1280x720, upscaled
# bilinear, H.264) through real mpv with the nativeres plugin, headless.
# Shows what nativeres detected, what it switched in, the GPU passes that
# ran, and writes before/after pictures. Run by `meson compile -C build demo`.
set -eu
cli=$1 host=$2 plugin=$3 sample=$4 out=$5
mkdir -p "$out"
rm -f "$out"/*.pfm "$out"/*.png "$out"/*.log

say() { printf '\n== %s\n' "$*"; }

say "Sample: $sample"
ffprobe -v error -show_entries stream=codec_name,width,height,pix_fmt:format=duration \
  -of default=nw=1 "$sample" 2>/dev/null | tr '\n' ' '; echo

say "1. What the encoders' tool says: nativeres detect"
"$cli" detect "$sample"

say "2. Plain mpv (no nativeres): render the last frame"
"$host" --file "$sample" --opt start=2.95 --size 1920x1080 --out-rgb "$out/before.pfm" --log "$out/before.log" >/dev/null
echo "rendered $out/before.pfm"

say "3. mpv with the nativeres plugin: play the last two seconds, let it detect and switch"
"$host" --file "$sample" --script "$plugin" --play --seconds 15 --size 1920x1080 --opt start=1 \
  --opt "script-opts=nativeres-cache=no,nativeres-verbose=yes" --opt scale=ewa_lanczossharp --opt "msg-level=all=warn,nativeres=v" \
  --out-rgb "$out/after.pfm" --log "$out/after.log" > /dev/null
echo "plugin log (decisions and shader switches):"
grep -i 'nativeres' "$out/after.log" | grep -iv 'debug' | sed 's/^/  /' | head -20
shader=$(sed -n 's/.*Set property: glsl-shaders=\["\([^"]*\)".*/\1/p' "$out/after.log" | tail -n 1)
if [ -n "$shader" ]; then
  echo "the shader it generated and switched in: $shader"
  echo "GPU cost per frame of its passes (vo-passes over 12 played frames, median ms; llvmpipe"
  echo "is a software renderer, a real GPU is orders of magnitude faster):"
  "$host" --file "$sample" --shaders "$shader" --play --frames 12 --size 1920x1080 \
    --passes "$out/passes.json" > "$out/passes.txt"
  awk -F '\t' '$2 == "fresh" && $5 > 0 { printf "  %8.1f ms  %s\n", $3, $6 }' "$out/passes.txt"
fi

say "4. Before / after"
# a 320x180 region around lineart and text, magnified 3x (nearest) side by side
ffmpeg -v error -y -i "$out/before.pfm" -i "$out/after.pfm" -filter_complex \
  "[0]format=rgb24,crop=320:180:540:660,scale=960:540:flags=neighbor[a];\
   [1]format=rgb24,crop=320:180:540:660,scale=960:540:flags=neighbor[b];[a][b]hstack" \
  "$out/compare.png"
ffmpeg -v error -y -i "$out/before.pfm" -vf format=rgb24 "$out/before.png"
ffmpeg -v error -y -i "$out/after.pfm" -vf format=rgb24 "$out/after.png"
echo "  $out/before.png  plain mpv"
echo "  $out/after.png   mpv + nativeres"
echo "  $out/compare.png left: plain, right: nativeres (3x zoom)"
if grep -q 'verdict=upscaled' "$out/after.log"; then
  echo "nativeres detected the upscale and descaled it while playing."
else
  echo "nativeres did not switch in a descale (see $out/after.log)." >&2
  exit 1
fi
echo
echo "On a desktop: mpv --script=$plugin $sample"
