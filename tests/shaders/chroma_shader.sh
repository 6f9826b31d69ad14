#!/bin/sh
# nativeres-gen chroma: both sitings pass the glslang lint (all dialects);
# every pass has a //!DESC, nothing mpv 0.35 drops (//!PARAM); bad options
# exit 2 with one message and leave no file.
# usage: chroma_shader.sh NATIVERES_GEN SHADER_LINT GLSLANG
set -u
gen=$1 lint=$2 glslang=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
"$gen" chroma -o "$tmp/left.glsl" || fail "chroma (left)"
"$gen" chroma --chroma-location center --corr-lo 0.5 --corr-hi 0.9 --backproject 0.5 -o "$tmp/center.glsl" ||
    fail "chroma (center)"
"$gen" chroma --learned -o "$tmp/learned.glsl" || fail "chroma --learned"
# --kernel: the studio operator's form (its taps pass first, its own pass 1)
for k in catrom lanczos3 bilinear spline64; do
    "$gen" chroma --kernel $k -o "$tmp/studio-$k.glsl" || fail "chroma --kernel $k"
    [ "$(grep -c '^//!HOOK CHROMA$' "$tmp/studio-$k.glsl")" = 7 ] || fail "--kernel $k: not 7 CHROMA hooks"
    grep -q '^//!DESC nativeres chroma studio-operator luma (siting left, pass 2/5)$' "$tmp/studio-$k.glsl" ||
        fail "--kernel $k: no studio-operator pass"
done
"$gen" chroma --kernel bicubic --b 0.3 --c 0.3 --learned --chroma-location center -o "$tmp/studio-b.glsl" ||
    fail "chroma --kernel bicubic --b --c --learned"
grep -q 'NR_E_TAPS 10 ' "$tmp/studio-spline64.glsl" || fail "spline64: operator rows not 10 taps"
"$lint" --glslang "$glslang" "$tmp/left.glsl" "$tmp/center.glsl" "$tmp/learned.glsl" \
    "$tmp"/studio-*.glsl || fail "lint"
# --learned: a sixth pass replaces CHROMA, the unpack pass saves its output for it
[ "$(grep -c '^//!HOOK CHROMA$' "$tmp/learned.glsl")" = 7 ] || fail "learned: not 7 CHROMA hooks"
grep -q '^//!SAVE NR_CHROMA_BASE$' "$tmp/learned.glsl" || fail "learned: the unpack pass does not save NR_CHROMA_BASE"
[ "$(grep -c '^//!OFFSET ALIGN$' "$tmp/learned.glsl")" = 2 ] || fail "learned: OFFSET ALIGN not on both luma-size passes"
grep -q '^//!DESC nativeres chroma learned residual (chroma-learned-v1, 3x3, 8 hidden' "$tmp/learned.glsl" ||
    fail "learned: no DESC of the table"
grep -q 'NR_CHROMA_BASE' "$tmp/left.glsl" && fail "plain shader saves NR_CHROMA_BASE"
for f in "$tmp/left.glsl" "$tmp/center.glsl"; do
    hooks=$(grep -c '^//!HOOK CHROMA$' "$f")
    descs=$(grep -c '^//!DESC nativeres chroma ' "$f")
    [ "$hooks" = 6 ] && [ "$descs" = 6 ] || fail "$f: $hooks CHROMA hooks, $descs DESC lines"
    # the pairs pass: exactly ceil(LUMA.w / 2) wide (mpv rounds a half up)
    grep -q '^//!WIDTH LUMA.w 1 + 2 / LUMA.w 1 + 2 % 2 / -$' "$f" || fail "$f: pairs pass width"
    grep -q '^//!PARAM' "$f" && fail "$f: //!PARAM (mpv 0.35 drops the file)"
    grep -q '^//!OFFSET ALIGN$' "$f" || fail "$f: no //!OFFSET ALIGN on the luma-size pass"
done
grep -q 'NR_SHIFT vec2(-0.25, 0)' "$tmp/left.glsl" || fail "left siting shift"
grep -q 'NR_SHIFT vec2(0, 0)' "$tmp/center.glsl" || fail "center siting shift"
grep -q 'NR_BACKPROJECT float(1)' "$tmp/left.glsl" || fail "default back-projection gain"
grep -q 'NR_BACKPROJECT float(0.5)' "$tmp/center.glsl" || fail "--backproject 0.5"
bad() { # expected failure: exit 2, one line on stderr, no file
    rm -f "$tmp/bad.glsl"
    "$gen" chroma "$@" -o "$tmp/bad.glsl" 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] || fail "chroma $*: exit $rc, expected 2"
    [ "$(wc -l <"$tmp/err")" = 1 ] || fail "chroma $*: expected one error line"
    [ -e "$tmp/bad.glsl" ] && fail "chroma $*: left a file"
    return 0
}
bad --chroma-location top
bad --corr-lo 0.9 --corr-hi 0.5
bad --corr-hi 1.5
bad --corr-lo nan
bad --backproject 3
bad --backproject nan
bad --bogus 1
bad --learned 1
bad --kernel point
bad --kernel lanczos8
bad --kernel nosuch
bad --b 0.3
"$gen" chroma 2>/dev/null && fail "no -o accepted"
echo "ok: chroma shaders lint clean, headers and error paths"
