#!/usr/bin/env bash
# bench/run-prewarm.sh: time from a Twilio media stream's `start` to the first agent audio the caller
# receives, with and without agent pre-warm (routing.prewarmAgent) — mock-agent + patchbay + callsim on loopback.
#
# usage: bench/run-prewarm.sh [options]        (every option also has an environment variable)
#   --calls N                PREWARM_CALLS              calls per run (default 30)
#   --ring-ms MS             PREWARM_RING_MS            callsim --ring-ms: webhook answered → stream opens (default 1500)
#   --ramp-ms MS             PREWARM_RAMP_MS            spread of the call starts (default CALLS × 1000, so calls overlap little)
#   --connect-delay-ms MS    PREWARM_CONNECT_DELAY_MS   mock: delay before the WebSocket upgrade answer (default 200)
#   --metadata-delay-ms MS   PREWARM_METADATA_DELAY_MS  mock: first client message → metadata (default 300)
#   --greeting-delay-ms MS   PREWARM_GREETING_DELAY_MS  mock: metadata → greeting audio, i.e. TTS latency (default 400;
#                                                       skipped with a note if the mock has no --greeting-delay-ms)
#   --greeting-ms MS         PREWARM_GREETING_MS        mock: length of the greeting audio (default 3000)
#   --duration-ms MS         PREWARM_DURATION_MS        caller audio per call (default 0: the mock echoes caller audio as
#                                                       soon as its metadata is out, so caller audio would make the first
#                                                       media an echo instead of the greeting)
#   --grace-ms MS            PREWARM_GRACE_MS           callsim --grace-ms: how long a call waits for audio before `stop`
#                                                       (default connect + metadata + greeting delay + 1500)
#   --modes "off on"         PREWARM_MODES              which runs, in order (default "off on")
#   --no-key                 PREWARM_NO_KEY=1           leave routing.prewarmAgent out of the config (builds from before
#                                                       the key existed, which never pre-warm); only with --modes off
# Writes the raw callsim reports (--json --per-call) to bench/out/prewarm-{off,on}.json and prints a Markdown
# table of firstAudioMs (callsim: `start` sent → first `media` message from the gateway, steady clock).
# Binaries come from PATCHBAY_BUILD_DIR (default build/); the gateway listens on PATCHBAY_BENCH_PORT (default 18182).
set -euo pipefail

CALLS="${PREWARM_CALLS:-30}"
RING_MS="${PREWARM_RING_MS:-1500}"
RAMP_MS="${PREWARM_RAMP_MS:-}"
CONNECT_DELAY_MS="${PREWARM_CONNECT_DELAY_MS:-200}"
METADATA_DELAY_MS="${PREWARM_METADATA_DELAY_MS:-300}"
GREETING_DELAY_MS="${PREWARM_GREETING_DELAY_MS:-400}"
GREETING_MS="${PREWARM_GREETING_MS:-3000}"
DURATION_MS="${PREWARM_DURATION_MS:-0}"
GRACE_MS="${PREWARM_GRACE_MS:-}"
MODES="${PREWARM_MODES:-off on}"
NO_KEY="${PREWARM_NO_KEY:-0}"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) CALLS="$2"; shift 2 ;;
    --ring-ms) RING_MS="$2"; shift 2 ;;
    --ramp-ms) RAMP_MS="$2"; shift 2 ;;
    --connect-delay-ms) CONNECT_DELAY_MS="$2"; shift 2 ;;
    --metadata-delay-ms) METADATA_DELAY_MS="$2"; shift 2 ;;
    --greeting-delay-ms) GREETING_DELAY_MS="$2"; shift 2 ;;
    --greeting-ms) GREETING_MS="$2"; shift 2 ;;
    --duration-ms) DURATION_MS="$2"; shift 2 ;;
    --grace-ms) GRACE_MS="$2"; shift 2 ;;
    --modes) MODES="$2"; shift 2 ;;
    --no-key) NO_KEY=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run-prewarm.sh: unknown argument $1" >&2; usage 2 >&2 ;;
  esac
done
for v in CALLS RING_MS CONNECT_DELAY_MS METADATA_DELAY_MS GREETING_DELAY_MS GREETING_MS DURATION_MS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "run-prewarm.sh: $v must be a non-negative integer, not '${!v}'" >&2; exit 2; }
done
[ "$CALLS" -ge 1 ] || { echo "run-prewarm.sh: --calls must be at least 1" >&2; exit 2; }
RAMP_MS="${RAMP_MS:-$((CALLS * 1000))}"
GRACE_MS="${GRACE_MS:-$((CONNECT_DELAY_MS + METADATA_DELAY_MS + GREETING_DELAY_MS + 1500))}"
for m in $MODES; do
  case "$m" in off|on) ;; *) echo "run-prewarm.sh: --modes takes off and/or on, not '$m'" >&2; exit 2 ;; esac
  if [ "$NO_KEY" = 1 ] && [ "$m" = on ]; then echo "run-prewarm.sh: --no-key only with --modes off" >&2; exit 2; fi
done
command -v jq >/dev/null || { echo "run-prewarm.sh: needs jq" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${PATCHBAY_BUILD_DIR:-$ROOT/build}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
PORT="${PATCHBAY_BENCH_PORT:-18182}"
PB_PID=""
MOCK_PID=""
stop_patchbay() {
  if [ -n "$PB_PID" ]; then kill "$PB_PID" 2>/dev/null || true; wait "$PB_PID" 2>/dev/null || true; PB_PID=""; fi
}
cleanup() {
  stop_patchbay
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ulimit -n 65536 2>/dev/null || ulimit -n 8192

# The mock agent plays ElevenLabs' own latencies: the WebSocket upgrade, the conversation metadata
# after the gateway's first message, and (if this mock has the option) text-to-speech before the greeting.
MOCK_ARGS=(--listen 127.0.0.1:0 --loops 1 --connect-delay-ms "$CONNECT_DELAY_MS" --metadata-delay-ms "$METADATA_DELAY_MS"
  --greeting-ms "$GREETING_MS")
if "$BUILD/bin/patchbay-mock-agent" --help 2>&1 | grep -q -- '--greeting-delay-ms'; then
  MOCK_ARGS+=(--greeting-delay-ms "$GREETING_DELAY_MS")
  TTS_NOTE="greeting delay (TTS) ${GREETING_DELAY_MS} ms"
else
  TTS_NOTE="no greeting delay (this patchbay-mock-agent has no --greeting-delay-ms; greeting right after the metadata)"
  GREETING_DELAY_MS=0
fi
"$BUILD/bin/patchbay-mock-agent" "${MOCK_ARGS[@]}" > "$WORK/mock.out" 2> "$WORK/mock.err" &
MOCK_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/mock.out" 2>/dev/null && break; sleep 0.05; done
MOCK_PORT=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$WORK/mock.out" | head -1)
[ -n "$MOCK_PORT" ] || { echo "run-prewarm.sh: mock agent did not start:" >&2; cat "$WORK/mock.err" >&2; exit 1; }

# One run: patchbay with routing.prewarmAgent = $1 (on/off), then callsim; the report goes to bench/out/prewarm-$1.json.
run_mode() {
  local mode="$1" flag config="$WORK/prewarm-$1.json" report="$OUT/prewarm-$1.json"
  flag=$([ "$mode" = on ] && echo true || echo false)
  # The demo config (both media loops unless PATCHBAY_BENCH_LOOPS), routing.prewarmAgent added.
  sed "s/\"loops\": 0/\"loops\": ${PATCHBAY_BENCH_LOOPS:-0}/" "$ROOT/config/demo.json" > "$config"
  if [ "$NO_KEY" != 1 ]; then
    sed -i "s/\"defaultAgent\": \"elevenlabs\" }/\"defaultAgent\": \"elevenlabs\", \"prewarmAgent\": $flag }/" "$config"
    grep -q "\"prewarmAgent\": $flag" "$config" ||
      { echo "run-prewarm.sh: could not add routing.prewarmAgent to config/demo.json's routing section" >&2; exit 1; }
  fi
  rm -f "$WORK/bench-$mode.db"
  PATCHBAY_PORT=$PORT PATCHBAY_DB="$WORK/bench-$mode.db" PATCHBAY_AGENT_URL="ws://127.0.0.1:$MOCK_PORT" \
  PATCHBAY_PLUGIN_DIR="$BUILD/plugins" PATCHBAY_LOG_LEVEL=warn \
    "$BUILD/bin/patchbay" --config "$config" 2> "$WORK/patchbay-$mode.log" &
  PB_PID=$!
  local ready=0
  for _ in $(seq 150); do
    if curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
    kill -0 "$PB_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$ready" != 1 ]; then
    echo "run-prewarm.sh: patchbay (prewarmAgent=$flag) did not become ready; does this build know routing.prewarmAgent?" >&2
    tail -20 "$WORK/patchbay-$mode.log" >&2
    exit 1
  fi
  local rc=0
  "$BUILD/bin/patchbay-callsim" --gateway "http://127.0.0.1:$PORT" --public-url https://gw.example.test \
    --account AC00000000000000000000000000000001 --auth-token demo-auth-token-0123456789abcdef \
    --to +15005550006 --calls "$CALLS" --ramp-ms "$RAMP_MS" --ring-ms "$RING_MS" --duration-ms "$DURATION_MS" \
    --grace-ms "$GRACE_MS" --loops 1 --json --per-call > "$report" 2> "$WORK/callsim-$mode.err" || rc=$?
  stop_patchbay
  if [ "$rc" -ne 0 ] || ! jq -e .firstAudioMs "$report" >/dev/null 2>&1; then
    echo "run-prewarm.sh: callsim (prewarmAgent=$flag) exited $rc without a report with firstAudioMs:" >&2
    cat "$WORK/callsim-$mode.err" >&2
    tail -20 "$WORK/patchbay-$mode.log" >&2
    exit 1
  fi
  local completed got
  completed=$(jq .calls.completed "$report")
  got=$(jq .firstAudioMs.count "$report")
  if [ "$completed" != "$CALLS" ] || [ "$got" != "$CALLS" ]; then
    echo "run-prewarm.sh: warning (prewarmAgent=$flag): $completed of $CALLS calls completed, $got got agent audio; see $report" >&2
    jq -c .reasons "$report" >&2
  fi
  local label=""
  if [ "$NO_KEY" = 1 ]; then label=" (key absent)"; fi
  ROWS+=("$(jq -r --arg mode "$mode" --arg key "$label" \
    '"| \($mode)\($key) | \(.firstAudioMs.count) / \(.calls.attempted) | \(.firstAudioMs.p50) | \(.firstAudioMs.p95) | \(.firstAudioMs.max) | \(.firstAudioMs.mean) |"' \
    "$report")")
}

ROWS=()
for mode in $MODES; do run_mode "$mode"; done

echo "Time from \`start\` to the first agent audio: $CALLS calls, ring ${RING_MS} ms, ramp ${RAMP_MS} ms, caller audio ${DURATION_MS} ms;"
echo "mock agent: connect delay ${CONNECT_DELAY_MS} ms, metadata delay ${METADATA_DELAY_MS} ms, $TTS_NOTE, greeting ${GREETING_MS} ms."
echo "Setup the agent needs before its first audio: $((CONNECT_DELAY_MS + METADATA_DELAY_MS + GREETING_DELAY_MS)) ms."
echo
echo "| pre-warm | calls with agent audio | p50 (ms) | p95 (ms) | max (ms) | mean (ms) |"
echo "| --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${ROWS[@]}"
echo
echo "Raw reports: $(for m in $MODES; do printf '%s ' "bench/out/prewarm-$m.json"; done)"
