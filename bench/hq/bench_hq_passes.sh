#!/bin/sh
# GPU cost of the hq doubler on gpu-next's renderer, by libplacebo's own
# per-pass timers (bench-hq-passes), next to FSRCNNX 8 and ArtCNN C4F16 from
# the git-ignored bench/peers when present, and the plain render (spline36,
# no shader), all in one run per size.
#
#   bench_hq_passes.sh BENCH_HQ_PASSES NATIVERES_GEN PEERS_DIR WORKDIR
#
# NR_BENCH_SIZES: space-separated IN:OUT pairs (default 960x540:1920x1080
# 1280x720:3840x2160): the descaled plane and the screen. hq is written for
# that pair (its final pass resamples the 2x plane to the screen); the peers
# double and libplacebo's spline36 takes their 2x plane to the screen.
# NR_BENCH_DEVICE names a Vulkan device (default: the best one found, a
# software one only if no other); NR_BENCH_FRAMES (default 60).
set -eu
bench=$1 gen=$2 peers=$3 work=$4
sizes=${NR_BENCH_SIZES:-960x540:1920x1080 1280x720:3840x2160}
frames=${NR_BENCH_FRAMES:-60}
mkdir -p "$work"
for pair in $sizes; do
    in=${pair%%:*} out=${pair#*:}
    w=${in%x*} h=${in#*x} ow=${out%x*} oh=${out#*x}
    set -- "$gen" upscale --width "$w" --height "$h" --output-width "$ow" --output-height "$oh"
    "$@" -o "$work/hq-$in-$out.glsl"
    "$@" --compute -o "$work/hq-compute-$in-$out.glsl"
    "$@" --compute --ensemble 3 -o "$work/hq-compute-ens3-$in-$out.glsl"
    set -- "hq=$work/hq-$in-$out.glsl" "hq-compute=$work/hq-compute-$in-$out.glsl" \
        "hq-compute-ens3=$work/hq-compute-ens3-$in-$out.glsl"
    for p in FSRCNNX_x2_8-0-4-1 ArtCNN_C4F16 ArtCNN_C4F16_CMP; do
        if [ -f "$peers/$p.glsl" ]; then set -- "$@" "$p=$peers/$p.glsl"
        else echo "$p: not in $peers, skipped"; fi
    done
    "$bench" ${NR_BENCH_DEVICE:+--device "$NR_BENCH_DEVICE"} --in "$in" --out "$out" \
        --frames "$frames" "$@"
    echo
done
