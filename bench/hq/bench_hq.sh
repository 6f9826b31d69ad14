#!/bin/sh
# GPU cost of the hq upscaler in real mpv (vo_gpu through nr-mpv-host,
# median of vo-passes samples while playing), next to the descale passes
# in the same run, and the peers (FSRCNNX 8, ArtCNN C4F16) when present
# in bench/peers (git-ignored, fetched by hand for measurement only).
# 1920x1080 source upscaled from 960x540 (bilinear): descale to 960x540,
# then each doubler to 1920x1080. Prints numbers; asserts nothing.
#
# The built-in table runs as fragment passes and as compute passes
# (--compute). With COMPARE_TABLE (e.g. the previous hq table), its passes run too.
#
#   bench_hq.sh NR_MPV_HOST NR_SYNTH NATIVERES_GEN PEERS_DIR WORKDIR [COMPARE_TABLE]
set -eu
host=$1 synth=$2 gen=$3 peers=$4 work=$5 compare=${6:-}
frames=${NR_BENCH_FRAMES:-24}
mkdir -p "$work"
clip=$work/clip-540-bilinear.y4m
"$synth" --width 1920 --height 1080 --native 540 --kernel bilinear --frames 8 \
    --format y4m -o "$clip"
"$gen" descale --height 540 --width 960 --kernel bilinear -o "$work/descale.glsl"
"$gen" upscale --width 960 --height 540 -o "$work/hq-2x.glsl"
"$gen" upscale --width 960 --height 540 --compute -o "$work/hq-2x-compute.glsl"
[ -z "$compare" ] || "$gen" upscale --width 960 --height 540 --model "$compare" \
    -o "$work/hq-compare-2x.glsl"

# run LABEL SHADERS MATCH...: sums the medians of the passes whose desc
# contains MATCH (one figure per MATCH)
run() {
    label=$1 shaders=$2
    shift 2
    if ! "$host" --file "$clip" --size 1920x1080 --play --frames "$frames" \
        --opt loop-file=inf --opt scale=spline36 --shaders "$shaders" \
        --passes "$work/$label.json" --log "$work/$label.log" --timeout 900 \
        > "$work/$label.out" 2>&1; then
        echo "$label: nr-mpv-host failed (see $work/$label.out)"
        return 0
    fi
    for match in "$@"; do
        awk -F '\t' -v m="$match" -v l="$label" '
            $1 == "pass" && $2 == "fresh" && index($6, m) { s += $3; n++ }
            END { if (n) printf "%-28s %-26s %9.3f ms  (%d passes)\n", l, m, s, n;
                  else printf "%-28s %-26s   no passes found\n", l, m }' "$work/$label.out"
    done
}

echo "vo_gpu (libmpv), 1920x1080 <- 960x540 bilinear, $frames frames per configuration"
echo "median of vo-passes samples per pass, summed per group"
run descale+hq "$work/descale.glsl:$work/hq-2x.glsl" "nativeres descale" "nativeres hq"
run descale+hq-compute "$work/descale.glsl:$work/hq-2x-compute.glsl" "nativeres descale" \
    "nativeres hq"
[ -z "$compare" ] || run "descale+$(basename "$compare" .txt)" \
    "$work/descale.glsl:$work/hq-compare-2x.glsl" "nativeres descale" "nativeres hq"
run descale+mpv-spline36 "$work/descale.glsl" "nativeres descale" "scale"
for p in FSRCNNX_x2_8-0-4-1 ArtCNN_C4F16 ArtCNN_C4F16_CMP; do
    [ -f "$peers/$p.glsl" ] || continue
    run "descale+$p" "$work/descale.glsl:$peers/$p.glsl" "nativeres descale" \
        "$(grep -m1 '^//!DESC' "$peers/$p.glsl" | cut -c9- | cut -d' ' -f1)"
done
[ -d "$peers" ] || echo "(peers: $peers absent, skipped)"
