#!/bin/sh
# `nativeres detect` end to end, run on the AddressSanitizer build of the
# CLI: a synthetic upscale (image and video, text / JSON / SVG plot), then
# bad input of every kind: each must exit 2 with a one-line message and
# no sanitizer report.
#   test_detect_cli.sh NATIVERES NR_SYNTH FFMPEG_OR_EMPTY
set -u
NR=$1
SYNTH=$2
FFMPEG=${3:-}
T=$(mktemp -d /tmp/nr-detect-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99

# ---- a good image -------------------------------------------------------
"$SYNTH" --native 720 --kernel bilinear --seed 3 -o "$T/up720.pgm" || fail "nr-synth"
"$NR" detect "$T/up720.pgm" >"$T/out.txt" 2>"$T/err.txt"
rc=$?
[ $rc -eq 0 ] || fail "detect image exit $rc: $(cat "$T/err.txt")"
grep -q "upscaled from 1280x720, bilinear" "$T/out.txt" || fail "text verdict: $(cat "$T/out.txt")"
"$NR" detect --json --plot "$T/graph.svg" "$T/up720.pgm" >"$T/out.json" 2>"$T/err.txt"
rc=$?
[ $rc -eq 0 ] || fail "detect --json exit $rc: $(cat "$T/err.txt")"
for key in '"verdict": "upscaled"' '"width": 1280' '"height": 720' '"src_left": 0' \
           '"src_top": 0' '"src_width": 1280' '"src_height": 720' '"kernel": "bilinear"' \
           '"b": null' '"c": null' '"taps": null' '"confidence": ' '"candidates": ['; do
    grep -qF "$key" "$T/out.json" || fail "JSON lacks $key: $(cat "$T/out.json")"
done
grep -q "<svg" "$T/graph.svg" && grep -q "<polyline" "$T/graph.svg" &&
    grep -q "upscaled from 720" "$T/graph.svg" || fail "plot is not a graph with the verdict"
ls "$T"/graph.svg.tmp* >/dev/null 2>&1 && fail "temporary plot file left behind"

# fractional height, kernel restricted, JSON shows the window
"$SYNTH" --native 843.75 --kernel catrom --seed 4 -o "$T/up84375.pgm"
"$NR" detect --json --kernels catrom,bilinear "$T/up84375.pgm" >"$T/frac.json" 2>"$T/err.txt" ||
    fail "fractional detect: $(cat "$T/err.txt")"
grep -qF '"height": 843.75' "$T/frac.json" && grep -qF '"src_top": 0.125' "$T/frac.json" &&
    grep -qF '"kernel": "catrom"' "$T/frac.json" || fail "fractional JSON: $(cat "$T/frac.json")"
"$NR" detect --json --no-fractional --kernels catrom "$T/up84375.pgm" >"$T/int.json" 2>/dev/null
grep -qF '"height": 843.75' "$T/int.json" && fail "--no-fractional still gave a fractional height"

# native content is never "upscaled"
"$SYNTH" --native 0 --seed 5 -o "$T/native.pgm"
"$NR" detect --json "$T/native.pgm" >"$T/native.json" 2>"$T/err.txt" || fail "native detect"
grep -qF '"verdict": "upscaled"' "$T/native.json" && fail "native frame judged upscaled"

# --known: a grainy 810p catrom picture the blind search leaves unsure
# (height dip 0.39, no width evidence) confirms 810 when it is given, not
# 720; a grainy native picture confirms nothing
"$SYNTH" --native 810 --kernel catrom --seed 2 --grain 0.03 -o "$T/g810.pgm" || fail "nr-synth g810"
"$SYNTH" --native 0 --seed 23 --grain 0.03 -o "$T/gnat.pgm" || fail "nr-synth gnat"
"$NR" detect --json "$T/g810.pgm" 2>/dev/null | grep -qF '"verdict": "unsure"' ||
    fail "the grainy 810p picture is decided blind: the --known case tests nothing"
"$NR" detect --json --known 810:catrom "$T/g810.pgm" 2>/dev/null |
    grep -q '"verdict": "upscaled", "width": 1440, "height": 810,.*"reason": "confirms the known 810' ||
    fail "--known 810:catrom not confirmed"
"$NR" detect --json --known 720:catrom "$T/g810.pgm" 2>/dev/null | grep -qF '"verdict": "upscaled"' &&
    fail "--known 720 confirmed on an 810p picture"
"$NR" detect --json --known 810:catrom "$T/gnat.pgm" 2>/dev/null | grep -qF '"verdict": "upscaled"' &&
    fail "--known 810 confirmed on a native picture"

# ---- a video: native OP, then an episode upscaled from 360 of 540 -------
if [ -n "$FFMPEG" ]; then
    "$SYNTH" --width 960 --height 540 --native 0,360,360 --kernel catrom --frames 72 \
        --scene-length 24 --format y4m -o "$T/clip.y4m" || fail "nr-synth clip"
    # x264 reads memory it did not set: under meson's random MALLOC_PERTURB_
    # its output varies from run to run; the test wants one fixed clip
    env -u MALLOC_PERTURB_ "$FFMPEG" -nostdin -loglevel error -y -i "$T/clip.y4m" \
        -c:v libx264 -crf 14 -pix_fmt yuv420p "$T/clip.mkv" || fail "ffmpeg encode"
    "$NR" detect --json --frames 9 "$T/clip.mkv" >"$T/clip.json" 2>"$T/err.txt"
    rc=$?
    [ $rc -eq 0 ] || fail "detect video exit $rc: $(cat "$T/err.txt")"
    grep -qF '"verdict": "upscaled", "width": 640, "height": 360' "$T/clip.json" ||
        fail "video overall verdict: $(cat "$T/clip.json")"
    grep -qF '"scenes": [{"start": 0.000' "$T/clip.json" || fail "no scene list"
    grep -qF '"verdict": "native"' "$T/clip.json" || fail "native opening not in the timeline: $(cat "$T/clip.json")"
    "$NR" detect --frames 6 --start 1 --end 2.9 "$T/clip.mkv" >"$T/clip.txt" 2>"$T/err.txt" ||
        fail "detect --start/--end: $(cat "$T/err.txt")"
    grep -q "upscaled from 640x360" "$T/clip.txt" || fail "--start/--end window: $(cat "$T/clip.txt")"
    # the file's answer confirmed: a clean 360p scene, then a grainy one
    # (grain 0.035, CRF 25) whose four frames leave a blind search unsure
    # (dips 0.78 x 0.56 at 360: too shallow among all sizes) but confirm 360
    "$SYNTH" --width 960 --height 540 --native 360 --kernel catrom --frames 24 \
        --scene-length 24 --seed 3 --format y4m -o "$T/a.y4m" || fail "nr-synth a"
    "$SYNTH" --width 960 --height 540 --native 360 --kernel catrom --frames 24 \
        --scene-length 24 --seed 12 --grain 0.035 --format y4m -o "$T/b.y4m" || fail "nr-synth b"
    env -u MALLOC_PERTURB_ "$FFMPEG" -nostdin -loglevel error -y -i "$T/a.y4m" -i "$T/b.y4m" \
        -filter_complex concat=n=2:v=1 -c:v libx264 -crf 25 -pix_fmt yuv420p "$T/ab.mkv" ||
        fail "ffmpeg encode ab"
    "$NR" detect --json --frames 8 "$T/ab.mkv" >"$T/ab.json" 2>"$T/err.txt" ||
        fail "detect ab: $(cat "$T/err.txt")"
    # (the scene starts between two samples: 1.000, or later when the sample
    # after the cut took a reference frame a B-frame or two on)
    grep -q '"start": 1\.0[0-9]*, "end": 2.000, "frames": 4, "verdict": "upscaled", "width": 640, "height": 360,.*"reason": "confirms the known 360' "$T/ab.json" ||
        fail "the grainy scene did not confirm the file's 360: $(cat "$T/ab.json")"
    "$NR" detect --frames 8 "$T/ab.mkv" 2>/dev/null | grep -q "upscaled from 640x360.*(4 frames, confirms the file's answer)" ||
        fail "text output does not say the scene confirmed the file's answer"
    # bad video inputs
    head -c 3000 "$T/clip.mkv" >"$T/truncated.mkv"
    "$FFMPEG" -nostdin -loglevel error -y -f lavfi -i sine=d=1 "$T/audio.wav"
fi

# ---- bad input: exit 2, one line, no sanitizer report -------------------
printf 'P5\n1 1\n255\n\200' >"$T/one.pgm"
printf 'P5\n16 16\n255\n' >"$T/sixteen.pgm"
head -c 256 /dev/zero >>"$T/sixteen.pgm"
: >"$T/empty.png"
head -c 200 "$T/up720.pgm" >"$T/truncated.pgm"
printf 'this is not an image\n' >"$T/text.png"
head -c 5000 /dev/urandom >"$T/garbage.mkv"
bad() {
    "$NR" detect "$@" >"$T/bad.out" 2>"$T/bad.err"
    rc=$?
    lines=$(wc -l <"$T/bad.err")
    if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || grep -q "Sanitizer" "$T/bad.err" || [ -s "$T/bad.out" ]; then
        fail "detect $* -> exit $rc, stderr: $(head -c 300 "$T/bad.err")"
    fi
}
bad "$T/missing.png"
bad "$T/empty.png"
bad "$T/truncated.pgm"
bad "$T/text.png"
bad "$T/garbage.mkv"
bad "$T/one.pgm"
bad "$T/sixteen.pgm"
bad --heights 900:2000 "$T/up720.pgm"
bad --heights 1000:500 "$T/up720.pgm"
bad --heights abc "$T/up720.pgm"
bad --heights 500:900:0 "$T/up720.pgm"
bad --frames 0 "$T/up720.pgm"
bad --frames 2.5 "$T/up720.pgm"
bad --kernels nope "$T/up720.pgm"
bad --kernels "" "$T/up720.pgm"
bad --start 5 --end 2 "$T/up720.pgm"
bad --start -1 "$T/up720.pgm"
bad --bogus "$T/up720.pgm"
bad --plot
bad "$T/up720.pgm" "$T/up720.pgm"
bad
bad --plot /nonexistent-dir/x.svg "$T/up720.pgm"
bad --known abc "$T/up720.pgm"
bad --known 720 "$T/up720.pgm"
bad --known 720:nokernel "$T/up720.pgm"
bad --known 2000:catrom "$T/up720.pgm"
if [ -n "$FFMPEG" ]; then
    bad "$T/truncated.mkv"
    bad "$T/audio.wav"
    bad --start 100 "$T/clip.mkv"
fi
[ -e /nonexistent-dir/x.svg ] && fail "plot written to a bad path"

if [ $fails -ne 0 ]; then
    echo "FAILED ($fails)"
    exit 1
fi
echo OK
