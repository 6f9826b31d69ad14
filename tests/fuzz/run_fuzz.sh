#!/bin/sh
# Runs one libFuzzer target for a bounded time and fails on any crash,
# leak, UB report or timeout. New inputs go into WORK/corpus (the committed
# seeds stay untouched); a failing input is saved as WORK/crash-* etc.
#   run_fuzz.sh FUZZER SEEDS_DIR WORK SECONDS [more libFuzzer flags]
# Prints the executions, executions per second and libFuzzer's coverage
# figures (cov: code edges, ft: features) at the end.
set -u
bin=$1 seeds=$2 work=$3 seconds=$4
shift 4
rm -rf "$work"
mkdir -p "$work/corpus"
log="$work/fuzz.log"
# UBSan halts on the first report (the targets are also built with
# -fno-sanitize-recover=all); ASan checks leaks at the end of each input.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:symbolize=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -close_fd_mask=3 -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds" >"$log" 2>&1
rc=$?
name=$(basename "$bin")
done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
cov=$(echo "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(echo "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
corp=$(echo "$done_line" | sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
if [ "$rc" -ne 0 ] || [ -z "$done_line" ]; then
    echo "$name: FAILED (exit $rc); libFuzzer's report:"
    tail -n 60 "$log"
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null
    exit 1
fi
echo "$name: ${seconds}s, ${execs} executions, ${rate} exec/s, cov ${cov}, ft ${ft}, corpus ${corp}, 0 crashes"
