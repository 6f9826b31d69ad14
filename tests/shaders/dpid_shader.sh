#!/bin/sh
# nativeres-gen dpid: outputs pass the glslang lint (all dialects), every
# pass has a //!DESC, no //!PARAM; bad options exit 2 with one message and
# leave no file.
# usage: dpid_shader.sh NATIVERES_GEN SHADER_LINT GLSLANG
set -u
gen=$1 lint=$2 glslang=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
"$gen" dpid --height 720 -o "$tmp/a.glsl" || fail "dpid --height 720"
"$gen" dpid --scale 1.5 --lambda 0.5 -o "$tmp/b.glsl" || fail "dpid --scale"
"$gen" dpid --source-width 3840 --source-height 2160 --width 1920 --height 1080 --lambda 0 \
    -o "$tmp/c.glsl" || fail "dpid 4k"
"$gen" dpid --height 873 --width 1552 --lambda 2 -o "$tmp/d.glsl" || fail "dpid fractional"
"$lint" --glslang "$glslang" "$tmp"/[abcd].glsl || fail "lint"
for f in "$tmp"/[abcd].glsl; do
    [ "$(grep -c '^//!DESC nativeres dpid ' "$f")" = 2 ] || fail "$f: not two DESC lines"
    grep -q '^//!PARAM' "$f" && fail "$f: //!PARAM"
done
grep -q '^//!WIDTH 1280$' "$tmp/b.glsl" || fail "--scale 1.5 is not 1280 wide"
bad() {
    rm -f "$tmp/bad.glsl"
    "$gen" dpid "$@" -o "$tmp/bad.glsl" 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] || fail "dpid $*: exit $rc, expected 2"
    [ "$(wc -l <"$tmp/err")" = 1 ] || fail "dpid $*: expected one error line"
    [ -e "$tmp/bad.glsl" ] && fail "dpid $*: left a file"
    return 0
}
bad --height 1440
bad --scale 0.5
bad --height 720 --scale 2
bad
bad --height 720 --lambda -1
bad --height 720 --lambda 17
bad --height 0
bad --height 720 --bogus 1
bad --scale 40
echo "ok: dpid shaders lint clean, headers and error paths"
