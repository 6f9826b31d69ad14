#!/bin/sh
# Proves the shader checkers can fail: breaks a good pack shader in ways mpv
# would punish and expects shader_lint / shader_headers to report each one
# at the right line.
# usage: checkers_negative.sh SHADER_LINT SHADER_HEADERS GLSLANG GOOD.glsl
set -u
lint=$1 headers=$2 glslang=$3 good=$4
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# the untouched file passes both (else the cases below prove nothing)
"$lint" --glslang "$glslang" "$good" >/dev/null 2>&1 || fail "good shader fails lint"
"$headers" "$good" >/dev/null 2>&1 || fail "good shader fails header checks"

# 1. a GLSL error in a pass body: reported at the file's own line number
cp "$good" "$tmp/broken.glsl"
line=$(grep -n 'float sum = 0.0;' "$tmp/broken.glsl" | tail -n 1 | cut -d: -f1)
sed -i "${line}s/float sum = 0.0;/float sum = 0.0 + no_such_thing;/" "$tmp/broken.glsl"
if "$lint" --glslang "$glslang" "$tmp/broken.glsl" >"$tmp/out" 2>&1; then
    fail "lint accepted an undeclared identifier"
elif ! grep -q "broken.glsl:$line: error \[glsl450" "$tmp/out" ||
     ! grep -q "broken.glsl:$line: error \[glsl130" "$tmp/out"; then
    fail "lint did not report broken.glsl:$line"; cat "$tmp/out"
fi

# 2. an error only in the no-packHalf2x16 fallback: only old dialects see it
cp "$good" "$tmp/fallback.glsl"
sed -i 's|return floor(v / e + 0.5) \* e;|return floor(v / e + 0.5) * missing_e;|' "$tmp/fallback.glsl"
grep -q missing_e "$tmp/fallback.glsl" || fail "fallback code not found in $good"
if "$lint" --glslang "$glslang" "$tmp/fallback.glsl" >"$tmp/out" 2>&1; then
    fail "lint accepted a broken fallback path"
elif ! grep -q 'error \[glsl330' "$tmp/out" || grep -q 'error \[glsl450' "$tmp/out"; then
    fail "fallback error not confined to the pre-4.20 dialects"; cat "$tmp/out"
fi

# 3. header problems mpv punishes silently
expect_header_problem() { # name sed-expression expected-message
    cp "$good" "$tmp/$1.glsl"
    sed -i "$2" "$tmp/$1.glsl"
    cmp -s "$good" "$tmp/$1.glsl" && { fail "$1: sed changed nothing"; return; }
    if "$headers" "$tmp/$1.glsl" >"$tmp/out" 2>&1; then
        fail "$1: header checks passed"
    elif ! grep -q "$3" "$tmp/out"; then
        fail "$1: expected '$3'"; cat "$tmp/out"
    fi
}
expect_header_problem param '0,/^\/\/!WHEN/s//\/\/!PARAM strength\n\/\/!WHEN/' 'PARAM'
expect_header_problem short_hex '$s/..........$//' 'hex digits'
expect_header_problem no_desc '0,/^\/\/!DESC/{/^\/\/!DESC/d}' 'without //!DESC'
expect_header_problem wrong_when 's/HOOKED.h 1080 ==/HOOKED.h 720 ==/' 'WHEN must be'
expect_header_problem bad_bind 's/^\/\/!BIND NATIVERES_HPASS_/\/\/!BIND NATIVERES_NOPE_/' 'no such TEXTURE'
expect_header_problem not_generated 's/do not edit/edit freely/' 'do not edit'

[ $fails -eq 0 ] && echo "ok: the checkers caught every broken shader"
exit $((fails > 0))
