#!/bin/sh
# GPU cost of the hq upscaler on gpu-next's renderer (libplacebo, through
# ffmpeg's libplacebo filter on Vulkan), next to FSRCNNX 8 and ArtCNN C4F16
# from the git-ignored bench/peers when present, all in one run. ArtCNN
# C4F16 (compute passes) aborts mpv 0.35's vo_gpu, so bench_hq.sh cannot
# time it; here it runs. libplacebo gives no per-pass timer through the
# filter, so the figure is the CPU time of the whole ffmpeg process on a
# software Vulkan driver (lavapipe, where the GPU work is CPU work, pinned
# to one thread: LP_NUM_THREADS=0 so another job's load does not change
# it): per frame, (time for FRAMES frames - time for 2 frames) / (FRAMES - 2),
# minus the same for libplacebo's own spline36 (no shader). On a real GPU
# the ratios can differ. Prints numbers; asserts nothing.
#
#   bench_hq_gpunext.sh NR_SYNTH NATIVERES_GEN PEERS_DIR WORKDIR [TABLE...]
#
# 960x540 (a synthetic anime-like plane, as the descale returns it) ->
# 1920x1080: each doubler's output is the output size, nothing scales after.
# Every TABLE is written with nativeres-gen upscale --model and timed too;
# the built-in table is timed as fragment passes, as compute passes
# (--compute), and as compute passes with the mirror mean (--ensemble 2) and
# with the mirror and polarity mean (--ensemble 3, what the plugin runs there).
set -eu
synth=$1 gen=$2 peers=$3 work=$4
shift 4
frames=${NR_BENCH_FRAMES:-8}
repeats=${NR_BENCH_REPEATS:-3}
mkdir -p "$work"
"$synth" --width 960 --height 540 --frames 4 --format y4m -o "$work/plane.y4m"
"$gen" upscale --width 960 --height 540 -o "$work/hq-builtin.glsl"
"$gen" upscale --width 960 --height 540 --compute -o "$work/hq-builtin-compute.glsl"
"$gen" upscale --width 960 --height 540 --compute --ensemble 2 -o "$work/hq-builtin-compute-ens2.glsl"
"$gen" upscale --width 960 --height 540 --compute --ensemble 3 -o "$work/hq-builtin-compute-ens3.glsl"
n=0
for t in "$@"; do
    n=$((n + 1))
    "$gen" upscale --width 960 --height 540 --model "$t" -o "$work/hq-table$n.glsl"
done

# cpu LABEL FRAMES [SHADER]: user+system seconds of one ffmpeg run
cpu() {
    vf="hwupload,libplacebo=w=1920:h=1080:format=grayf32le:dithering=none"
    [ -z "${3:-}" ] || vf="$vf:custom_shader_path=$3"
    vf="$vf,hwdownload,format=grayf32le"
    LP_NUM_THREADS=0 ffmpeg -nostdin -hide_banner -loglevel verbose -benchmark -y \
        -init_hw_device vulkan=vk:0 -filter_hw_device vk -stream_loop -1 \
        -i "$work/plane.y4m" -vf "$vf" -frames:v "$2" -f null - > "$work/$1-$2.log" 2>&1 || {
        echo "$1: ffmpeg failed (see $work/$1-$2.log)" >&2; echo nan; return 0; }
    if [ -n "${3:-}" ] && ! grep -q "Registering hook pass" "$work/$1-$2.log"; then
        echo "$1: the shader did not run (see $work/$1-$2.log)" >&2; echo nan; return 0
    fi
    sed -n 's/.*bench: utime=\([0-9.]*\)s stime=\([0-9.]*\)s.*/\1 \2/p' "$work/$1-$2.log" |
        awk '{ print $1 + $2 }'
}

# per LABEL [SHADER]: the smallest per-frame CPU time over the repeats
per() {
    best=
    i=0
    while [ $i -lt "$repeats" ]; do
        a=$(cpu "$1" 2 "${2:-}") b=$(cpu "$1" "$frames" "${2:-}")
        f=$(awk -v a="$a" -v b="$b" -v n="$frames" 'BEGIN { printf "%.4f", (b - a) / (n - 2) }')
        best=$(awk -v x="$f" -v y="${best:-$f}" 'BEGIN { print (x < y ? x : y) }')
        i=$((i + 1))
    done
    echo "$best"
}

echo "gpu-next (ffmpeg libplacebo filter, lavapipe, one thread): 960x540 -> 1920x1080,"
echo "CPU seconds per frame ((${frames} frames - 2 frames) / $((frames - 2)), best of $repeats)"
base=$(per spline36)
printf '%-34s %8.4f s/frame\n' "libplacebo spline36 (no shader)" "$base"
report() {
    t=$(per "$1" "$2")
    printf '%-34s %8.4f s/frame  shader alone %8.4f s  passes %s\n' "$1" "$t" \
        "$(awk -v t="$t" -v b="$base" 'BEGIN { print t - b }')" \
        "$(grep -c '^//!HOOK' "$2")"
}
report hq-builtin "$work/hq-builtin.glsl"
report hq-builtin-compute "$work/hq-builtin-compute.glsl"
report hq-builtin-compute-ens2 "$work/hq-builtin-compute-ens2.glsl"
report hq-builtin-compute-ens3 "$work/hq-builtin-compute-ens3.glsl"
n=0
for t in "$@"; do
    n=$((n + 1))
    report "hq-$(basename "$t" .txt)" "$work/hq-table$n.glsl"
done
for p in FSRCNNX_x2_8-0-4-1 ArtCNN_C4F16; do
    if [ -f "$peers/$p.glsl" ]; then report "$p" "$peers/$p.glsl"
    else echo "$p: not in $peers, skipped"; fi
done
