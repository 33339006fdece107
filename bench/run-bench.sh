#!/usr/bin/env bash
# bench/run-bench.sh: one media-path benchmark run — mock-agent + patchbay + callsim on loopback, gateway CPU and RSS sampled from /proc.
#
# usage: bench/run-bench.sh CALLS [DURATION_S] [RAMP_MS]
# Prints one Markdown table row and writes the raw callsim report to bench/out/.
# Measures, for the patchbay process only:
#   cpu_ms_per_call_s  = (utime+stime during the steady window) / (CALLS × window seconds)
#   rss_per_call_kb    = (VmRSS in the steady window − VmRSS idle before the calls) / CALLS
# and from callsim: RTT p50/p99 (frame sent → its echo back), frames lost after each call's first second.
set -euo pipefail

CALLS="${1:?usage: run-bench.sh CALLS [DURATION_S] [RAMP_MS]}"
DURATION_S="${2:-20}"
RAMP_MS="${3:-$((CALLS * 4))}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${PATCHBAY_BUILD_DIR:-$ROOT/build}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
PORT="${PATCHBAY_BENCH_PORT:-18181}"
TICK=$(getconf CLK_TCK)
cleanup() { kill "${PB_PID:-}" "${MOCK_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

ulimit -n 65536 2>/dev/null || ulimit -n 8192

"$BUILD/bin/patchbay-mock-agent" --listen 127.0.0.1:0 --loops 1 > "$WORK/mock.out" 2> "$WORK/mock.err" &
MOCK_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/mock.out" 2>/dev/null && break; sleep 0.05; done
MOCK_PORT=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$WORK/mock.out" | head -1)

# The demo config, with the number of media loops from PATCHBAY_BENCH_LOOPS (default 0 = one per core).
sed "s/\"loops\": 0/\"loops\": ${PATCHBAY_BENCH_LOOPS:-0}/" "$ROOT/config/demo.json" > "$WORK/bench.json"
# Without SSL_CERT_FILE, as a service runs on Debian (some shells export it): the gateway then finds
# roots on demand in the hashed directory instead of loading the whole bundle (see RESULTS.md).
env -u SSL_CERT_FILE PATCHBAY_PORT=$PORT PATCHBAY_DB="$WORK/bench.db" PATCHBAY_AGENT_URL="ws://127.0.0.1:$MOCK_PORT" \
PATCHBAY_PLUGIN_DIR="$BUILD/plugins" PATCHBAY_LOG_LEVEL=warn \
  "$BUILD/bin/patchbay" --config "$WORK/bench.json" 2> "$WORK/patchbay.log" &
PB_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$PB_PID/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$PB_PID/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$PB_PID/status"; }
RSS_IDLE=$(rss_kb)

"$BUILD/bin/patchbay-callsim" --gateway "http://127.0.0.1:$PORT" --public-url https://gw.example.test \
  --account AC00000000000000000000000000000001 --auth-token demo-auth-token-0123456789abcdef \
  --to +15005550006 --calls "$CALLS" --ramp-ms "$RAMP_MS" --duration-ms $((DURATION_S * 1000)) --loops 1 --json \
  > "$OUT/callsim-$CALLS.json" 2> "$WORK/callsim.err" &
SIM_PID=$!

# Steady window: after the ramp plus one second, until two seconds before the calls end.
START_DELAY=$(awk -v r="$RAMP_MS" 'BEGIN { printf "%.2f", r / 1000 + 1.5 }')
WINDOW=$(awk -v d="$DURATION_S" 'BEGIN { w = d - 4; if (w < 2) w = 2; print w }')
sleep "$START_DELAY"
C1=$(cpu_ticks); S1=$(sys_ticks); T1=$(date +%s.%N)
RSS_PEAK=0
END=$(awk -v now="$(date +%s.%N)" -v w="$WINDOW" 'BEGIN { printf "%.3f", now + w }')
while awk -v e="$END" -v now="$(date +%s.%N)" 'BEGIN { exit !(now < e) }'; do
  r=$(rss_kb); [ "$r" -gt "$RSS_PEAK" ] && RSS_PEAK=$r
  sleep 0.25
done
C2=$(cpu_ticks); S2=$(sys_ticks); T2=$(date +%s.%N)
wait "$SIM_PID" || true

ACTIVE_CHECK=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^patchbay_calls_total/ {s += $2} END {print s + 0}')
awk -v calls="$CALLS" -v c1="$C1" -v c2="$C2" -v s1="$S1" -v s2="$S2" -v t1="$T1" -v t2="$T2" -v tick="$TICK" \
    -v idle="$RSS_IDLE" -v peak="$RSS_PEAK" -v ended="$ACTIVE_CHECK" -v report="$OUT/callsim-$CALLS.json" '
  BEGIN {
    cpu_ms = (c2 - c1) * 1000 / tick; secs = t2 - t1;
    sys_ms = (s2 - s1) * 1000 / tick;
    printf "| %d | %.3f (%.0f%% kernel) | %.1f | %.1f | %.1f |", calls, cpu_ms / (calls * secs), 100 * sys_ms / (cpu_ms > 0 ? cpu_ms : 1),
           (peak - idle) / calls, idle / 1024, peak / 1024;
    printf " see %s (calls ended: %d) |\n", report, ended;
  }'
cat "$OUT/callsim-$CALLS.json"
