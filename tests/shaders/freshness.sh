#!/bin/sh
# Pack freshness: regenerates the pack with the built nativeres-gen into a
# temp dir and fails on any byte difference with the committed shaders/,
# naming each stale, missing or extra file.
# usage: freshness.sh NATIVERES_GEN TABLE SHADERS_DIR
set -u
gen=$1 table=$2 dir=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! "$gen" pack "$table" -o "$tmp/pack"; then
    echo "FAIL: nativeres-gen pack $table failed"
    exit 1
fi
status=0 count=0
for f in "$tmp/pack"/*; do
    name=${f##*/}
    count=$((count + 1))
    if [ ! -f "$dir/$name" ]; then
        echo "missing: shaders/$name is made by the table but not committed"
        status=1
    elif ! cmp -s "$f" "$dir/$name"; then
        echo "stale: shaders/$name differs from what nativeres-gen makes now"
        cmp "$f" "$dir/$name" | head -n 1
        status=1
    fi
    case $name in
    *.glsl)
        if ! grep -q "'$name'" "$dir/meson.build"; then
            echo "stale: shaders/meson.build does not install $name"
            status=1
        fi ;;
    esac
done
for f in "$dir"/*; do
    name=${f##*/}
    [ "$name" = meson.build ] && continue
    if [ ! -e "$tmp/pack/$name" ]; then
        echo "extra: shaders/$name is not made by ${table##*/} (remove it)"
        status=1
    fi
done
if [ $status -ne 0 ]; then
    echo "FAIL: shaders/ is stale; regenerate with"
    echo "  nativeres-gen pack presets/${table##*/} -o shaders"
    echo "and update shaders/meson.build if the file list changed"
    exit 1
fi
echo "ok: $count generated files identical to shaders/"
