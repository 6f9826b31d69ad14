#!/bin/sh
# bench-hq-passes on this machine's Vulkan device (lavapipe in CI): it reads
# libplacebo's pass timers for our compute passes, and refuses what mpv and
# libplacebo would only log: a file libplacebo rejects, a shader whose
# passes never run (its //!WHEN does not match the frame).
# usage: bench_passes_smoke.sh BENCH_HQ_PASSES NATIVERES_GEN
set -u
bench_exe=$1 gen=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
# lavapipe (Mesa 22.3) with libplacebo 4.208 races: valgrind shows its
# queue thread writing buffers libplacebo freed after pl_gpu_finish. The
# tool finishes rarely (0 crashes in 46 runs here, 1 in 10 when it finished
# every frame); meson's random MALLOC_PERTURB_ made the race crash more
# often, so it is unset here, as for x264 in the estimator's tests
bench() { env -u MALLOC_PERTURB_ "$bench_exe" "$@"; }
"$gen" upscale --width 64 --height 36 --output-width 160 --output-height 90 --compute \
    -o "$tmp/hq.glsl" || fail "generate"
bench --in 64x36 --out 160x90 --frames 8 "hq=$tmp/hq.glsl" > "$tmp/out" 2> "$tmp/err" ||
    fail "exit $?: $(cat "$tmp/err")"
cat "$tmp/out"
# the rows: label, passes, GPU ms, shader ms, wall ms; hq's 8 passes replace
# libplacebo's luma scaling (6 more in all)
awk '$1 == "none" { n = $2 } $1 == "hq" { h = $2; t = $3 }
     END { exit !(n > 0 && h == n + 6 && t > 0) }' "$tmp/out" ||
    fail "want the plain render and hq with 6 more passes, timed"
printf '//!HOOK LUMA\n//!BOGUS 1\n//!DESC bad\n\nvec4 hook() { return vec4(0.0); }\n' > "$tmp/bad.glsl"
bench --in 64x36 --out 160x90 --frames 8 "bad=$tmp/bad.glsl" > /dev/null 2> "$tmp/err" &&
    fail "a file libplacebo rejects was timed"
grep -q "libplacebo rejected" "$tmp/err" || fail "no message for the rejected file: $(cat "$tmp/err")"
bench --in 96x54 --out 160x90 --frames 8 "hq=$tmp/hq.glsl" > /dev/null 2> "$tmp/err" &&
    fail "a shader that never ran was timed"
grep -q "none of the shader.s passes ran" "$tmp/err" || fail "no message for the shader that never ran: $(cat "$tmp/err")"
bench --in 64x36 --frames 3 > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad --frames: want exit 2"
echo "ok"
