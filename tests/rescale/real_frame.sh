#!/bin/sh
# A rescale conformance case on a real frame: its luma (ffmpeg, 16-bit PGM
# in the work folder, never in the tree) is the truth nr-rescale-check
# builds the studio upscale from. The frames are third-party and live in
# ../shared, which users do not have: without it (or ffmpeg) the case is
# skipped (exit 77), never failed.
#   real_frame.sh FFMPEG NR_RESCALE_CHECK FRAME.png WORKDIR NAME [check args...]
set -u
ffmpeg=$1 check=$2 frame=$3 work=$4 name=$5
shift 5
if [ -z "$ffmpeg" ] || [ ! -x "$ffmpeg" ]; then
    echo "SKIP: no ffmpeg"
    exit 77
fi
if [ ! -r "$frame" ]; then
    echo "SKIP: $frame not present (the real frames live in ../shared)"
    exit 77
fi
mkdir -p "$work" || exit 1
pgm="$work/$name-truth.pgm"
"$ffmpeg" -nostdin -loglevel error -y -i "$frame" \
    -vf "scale=1920:1080:flags=lanczos,format=gray16be" -frames:v 1 "$pgm" || {
    echo "FAIL: ffmpeg could not read $frame"
    exit 1
}
exec "$check" --workdir "$work" --name "$name" --truth "$pgm" "$@"
