#!/bin/bash
# Playback health with and without the plugin: the same 1080p clip (720p
# bilinear art, x264) played in real time by the mpv CLI with --vo=null,
# and with --vo=gpu (OpenGL, llvmpipe) and --vo=gpu-next (Vulkan, lavapipe)
# under Xvfb, --framedrop=decoder+vo. Prints mpv's frame-drop-count,
# decoder-frame-drop-count and vo-delayed-frame-count per run, and how long
# each grab held mpv's core (the screenshot-raw round trip the plugin logs
# as grab-ms; median and max) at 1080p and 4K. Asserts nothing.
#   bench_playback.sh PLUGIN NR_SYNTH HEALTH_LUA WORK [SECONDS]
# (environment: ONLY="NAME ..." runs only those runs, e.g. "gpu gpu+plugin")
set -u
plugin=$1 synth=$2 health=$3 work=$4 seconds=${5:-8}
mkdir -p "$work"
clip() { # clip NAME W H NATIVE FRAMES
    [ -s "$work/$1.mkv" ] && return 0
    "$synth" --width "$2" --height "$3" --native "$4" --kernel bilinear --frames "$5" --seed 3 \
        --format y4m -o - | ffmpeg -nostdin -loglevel error -y -f yuv4mpegpipe -r 24 -i - \
        -c:v libx264 -preset veryfast -crf 16 -pix_fmt yuv420p "$work/$1.mkv"
}
clip hd 1920 1080 720 24 || exit 1
clip uhd 3840 2160 1080 24 || exit 1
loops=$((seconds - 1))

dfile=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$dfile" >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -f "$dfile"' EXIT
i=0
while [ ! -s "$dfile" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
display=$(cat "$dfile")

# run NAME CLIP VO-ARGS... ; with the plugin when NAME ends in "+plugin"
run() {
    local name=$1 file=$2; shift 2
    # ONLY="gpu gpu+plugin" runs just those
    [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $name "* ]] || return 0
    local extra=()
    case "$name" in *+plugin) extra=(--script="$plugin"
        --script-opts="nativeres-cache=no,nativeres-verbose=yes,nativeres-cache-dir=$work/cache") ;;
    esac
    DISPLAY=":$display" timeout -k 5 $((seconds * 3 + 10)) mpv --no-config --no-audio \
        --framedrop=decoder+vo --loop-file="$loops" --msg-level=all=v --script="$health" \
        "${extra[@]}" "$@" --log-file="$work/$name.log" "$work/$file.mkv" >/dev/null 2>&1
    local rc=$?
    local h
    h=$(grep -h 'health: ' "$work/$name.log" | tail -n 1 | sed 's/.*health: //')
    local g
    g=$(grep -o 'grab-ms=[0-9.]*' "$work/$name.log" | sed 's/grab-ms=//' | sort -g |
        awk '{ v[NR] = $1 } END { if (NR) printf "%d grabs, median %.1f ms, max %.1f ms",
             NR, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR]; }')
    local verdict
    verdict=$(grep -o 'nativeres: verdict=[a-z]* width=[0-9.]* height=[0-9.]*' "$work/$name.log" |
              head -n 1 | sed 's/nativeres: //')
    local status="exit $rc"
    [ "$rc" -eq 124 ] && status="stopped after $((seconds * 3 + 10)) s: not real time"
    printf '%-18s %s %s\n%-18s %s %s\n' "$name" "${h:-no health line}" "($status)" "" \
        "${g:-no grabs}" "${verdict:-}"
}

echo "playback health, ${seconds} s of 1080p at 24 fps per run (load: $(cut -d' ' -f1-3 /proc/loadavg))"
gl=(--vo=gpu --gpu-api=opengl --gpu-sw --geometry=960x540 --dither-depth=no)
vk=(--vo=gpu-next --gpu-api=vulkan --gpu-sw "--vulkan-device=llvmpipe (LLVM 15.0.6, 256 bits)"
    --geometry=960x540 --dither-depth=no)
for pass in ${PASSES:-1}; do
    run "null" hd --vo=null
    run "null+plugin" hd --vo=null
    run "gpu" hd "${gl[@]}"
    run "gpu+plugin" hd "${gl[@]}"
    run "gpu-next" hd "${vk[@]}"
    run "gpu-next+plugin" hd "${vk[@]}"
done
echo "the grab's hold on mpv's core at 4K (3840x2160 from 1080p), --vo=null:"
run "4k-null+plugin" uhd --vo=null
