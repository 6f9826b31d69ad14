#!/bin/sh
# Every bad input of nativeres-gen: exit status 2, exactly one line on
# stderr saying what is wrong, nothing on stdout, and no output file (nor
# temp file) left behind; an existing target stays untouched.
# usage: gen_errors.sh NATIVERES_GEN
set -u
gen=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/out
fails=0 cases=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect_error DESCRIPTION EXPECTED-TEXT ARGS... (run with $out empty)
expect_error() {
    desc=$1 want=$2
    shift 2
    cases=$((cases + 1))
    rm -rf "$out" && mkdir "$out"
    "$gen" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    [ $rc -eq 2 ] || fail "$desc: exit status $rc, want 2"
    [ "$(wc -l <"$tmp/stderr")" -eq 1 ] || { fail "$desc: stderr is not one line:"; cat "$tmp/stderr"; }
    grep -qF -- "$want" "$tmp/stderr" || fail "$desc: stderr lacks '$want': $(cat "$tmp/stderr")"
    [ -s "$tmp/stdout" ] && fail "$desc: wrote to stdout"
    [ -z "$(ls -A "$out")" ] || fail "$desc: left files behind: $(ls -A "$out")"
    [ -z "$(ls -A "$tmp" | grep '^\.')" ] || fail "$desc: left temp files in $tmp"
}
x=$out/x.glsl
d="descale --height 720 --kernel bilinear"

expect_error "unknown kernel" "unknown kernel 'nosuch'" descale --height 720 --kernel nosuch -o "$x"
expect_error "height above source" "1200" descale --height 1200 --kernel bilinear -o "$x"
expect_error "width above source" "2000" $d --width 2000 -o "$x"
expect_error "height < 8" "height 4" descale --height 4 --kernel bilinear -o "$x"
expect_error "height NaN" "'nan' is not a finite number" descale --height nan --kernel bilinear -o "$x"
expect_error "height negative" "-720" descale --height -720 --kernel bilinear -o "$x"
expect_error "height inf" "'inf' is not a finite number" descale --height inf --kernel bilinear -o "$x"
expect_error "b NaN" "--b: 'nan'" descale --height 720 --kernel bicubic --b nan -o "$x"
expect_error "c inf" "--c: '-inf'" descale --height 720 --kernel bicubic --c -inf -o "$x"
expect_error "blur negative" "blur" $d --blur -1 -o "$x"
expect_error "blur zero" "blur" $d --blur 0 -o "$x"
expect_error "tolerance negative" "--tolerance" $d --tolerance -1e-4 -o "$x"
expect_error "tolerance NaN" "--tolerance: 'NaN'" $d --tolerance NaN -o "$x"
expect_error "taps 0" "taps" descale --height 720 --kernel lanczos --taps 0 -o "$x"
expect_error "taps on a bicubic" "taps applies to lanczos only" descale --height 720 --kernel catrom --taps 3 -o "$x"
expect_error "b on lanczos" "bicubic kernels only" descale --height 720 --kernel lanczos3 --b 0 -o "$x"
expect_error "window left outside" "window" $d --src-left 2000 -o "$x"
expect_error "window width outside" "window" $d --src-width 5000 -o "$x"
expect_error "window top negative" "window" $d --src-top -3 -o "$x"
expect_error "nothing to descale" "nothing to descale" descale --height 1080 --width 1920 --kernel bilinear -o "$x"
expect_error "fractional width, integer height" "--width 1280.5" $d --width 1280.5 -o "$x"
expect_error "source size not an integer" "--source-width: '19x'" $d --source-width 19x -o "$x"
expect_error "source size zero" "--source-height must be positive" $d --source-height 0 -o "$x"
expect_error "unknown border" "unknown border 'wrap'" $d --border wrap -o "$x"
expect_error "unwritable output dir" "cannot write '$tmp/nope/x.glsl'" $d -o "$tmp/nope/x.glsl"
expect_error "output is a directory" "cannot write '$out'" $d -o "$out"
expect_error "unknown option" "unknown option '--bogus'" $d --bogus 1 -o "$x"
expect_error "missing value at the end" "--kernel needs a value" descale --height 720 -o "$x" --kernel
expect_error "missing -o value" "-o needs a value" $d -o
expect_error "empty value" "--height needs a value" descale --height= --kernel bilinear -o "$x"
expect_error "no height" "--height is required" descale --kernel bilinear -o "$x"
expect_error "no output" "-o FILE is required" $d
expect_error "unknown command" "unknown command 'frobnicate'" frobnicate

# a failed run leaves an existing target as it was
cases=$((cases + 1))
rm -rf "$out" && mkdir "$out" && echo old >"$x"
"$gen" descale --height 4 --kernel bilinear -o "$x" 2>/dev/null
[ $? -eq 2 ] && [ "$(cat "$x")" = old ] && [ "$(ls -A "$out")" = x.glsl ] ||
    fail "failed run changed an existing target"

# pack: malformed tables name their line, and nothing is written
table() { printf '%s\n' "$@" >"$tmp/table.txt"; }
pk() { expect_error "$1" "$2" pack "$tmp/table.txt" -o "$out/pack"; }
ok1="source 1920x1080"; ok2="heights 720"; ok3="kernels bilinear"
table "$ok1" "$ok2" "colour red";                 pk "unknown key" "table.txt:3: unknown key 'colour'"
table "source 1920" "$ok2" "$ok3";                pk "bad source" "table.txt:1: expected 'source WIDTHxHEIGHT'"
table "$ok1" "# comment" "heights 720 nan" "$ok3"; pk "height NaN" "table.txt:3: height 'nan'"
table "$ok1" "heights 720 1200" "$ok3";           pk "height above source" "table.txt:2: height 1200"
table "$ok1" "heights 4" "$ok3";                  pk "height < 8" "table.txt:2: height 4"
table "$ok1" "$ok2" "kernels bilinear nosuch";    pk "unknown kernel" "table.txt:3: unknown kernel 'nosuch'"
table "$ok1" "heights 720 810" "heights 720" "$ok3"; pk "duplicate height" "table.txt:3: duplicate height 720"
table "$ok1" "$ok2" "kernel soft bicubic q=1" "kernels soft"; pk "bad kernel parameter" "table.txt:3: unknown kernel parameter 'q'"
table "$ok1" "$ok2" "kernel l0 lanczos taps=0" "kernels l0"; pk "taps 0 in a table" "table.txt:3: lanczos taps"
table "$ok1" "$ok2" "kernel catrom bicubic b=0" "kernels catrom"; pk "entry shadows a built-in" "table.txt:3: 'catrom' is a built-in"
table "$ok1" "$ok2" "kernel s bicubic b=inf";     pk "inf parameter" "table.txt:3: b=inf"
table "$ok1" "$ok2" "tolerance -1" "$ok3";        pk "negative tolerance" "table.txt:3: expected 'tolerance T'"
table "$ok1" "$ok2";                              pk "no kernels" "table.txt:2: no 'kernels' line"
table "$ok1" "$ok2" "$ok3" "source 1280x720";     pk "second source" "table.txt:4: second 'source'"
table "$ok1" "$ok2" "$ok3"   # valid: only the option or path is wrong below
expect_error "missing table" "cannot read '$tmp/none.txt'" pack "$tmp/none.txt" -o "$out/pack"
expect_error "pack unknown option" "unknown option '--fast'" pack "$tmp/table.txt" --fast -o "$out/pack"
expect_error "pack without -o" "-o DIR is required" pack "$tmp/table.txt"
expect_error "pack dir parent missing" "cannot create directory" pack "$tmp/table.txt" -o "$out/a/b"

# a pack that fails while writing leaves none of its files
cases=$((cases + 1))
table "$ok1" "heights 720 810" "kernels bilinear catrom"
rm -rf "$out" && mkdir -p "$out/nativeres_descale_810p_bilinear.glsl"
"$gen" pack "$tmp/table.txt" -o "$out" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 2 ] && grep -q "is a directory" "$tmp/stderr" || fail "pack onto a directory: rc $rc, $(cat "$tmp/stderr")"
[ "$(ls -A "$out")" = nativeres_descale_810p_bilinear.glsl ] ||
    fail "failed pack left files: $(ls -A "$out")"

# the same inputs, made valid, succeed (the harness can tell success apart)
cases=$((cases + 1))
rm -rf "$out" && mkdir "$out"
"$gen" $d -o "$x" && [ -s "$x" ] || fail "valid descale failed"
"$gen" pack "$tmp/table.txt" -o "$out/pack" && [ "$(ls "$out/pack" | wc -l)" -eq 5 ] ||
    fail "valid pack failed"

echo "$cases cases, $fails failures"
[ $fails -eq 0 ]
