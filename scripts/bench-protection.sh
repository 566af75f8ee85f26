# shellcheck shell=bash
# `scripts/bench.sh protection` (issue 15): sourced by bench.sh after its set-up (knobs, the builds in $AA and $NS,
# the realm, alice's TGT, $sources, cleanup, wait_port); not run on its own.
#
# The same server binary with session.message-protection = managed (RFC 4121 in .NET, MIT's context exported and
# freed) and = gssapi (MIT's gss_wrap/gss_unwrap for the whole session), one server process at a time, each
# started fresh and warmed:
#   1. the standard workload (connect, mutual authentication, one 64-byte encrypted echo, close) at 256 concurrent,
#      and the NegotiateStream baseline under the same client for reference;
#   2. the data phase: DATA_SESSIONS sessions streaming 64 KiB encrypted requests and their echoes
#      (DATA_MESSAGES each), and 1 KiB ones (SMALL_MESSAGES each): MB/s, messages/s, server CPU per MB;
#   3. HOLD_SESSIONS (19,000: the process may open 20,000 files) sessions held HOLD_TIME: server bytes per session.
# Knobs: HANDSHAKES WARMUP HOLD_SESSIONS HOLD_TIME DATA_SESSIONS=2 DATA_MESSAGES=2000 SMALL_MESSAGES=20000.

DATA_SESSIONS=${DATA_SESSIONS:-2}
DATA_MESSAGES=${DATA_MESSAGES:-2000}
SMALL_MESSAGES=${SMALL_MESSAGES:-20000}
HOLD_SESSIONS=${HOLD_SESSIONS_SET:-19000}
server_pid=""

start_server() { # start_server PROTECTION
  ACTORAUTH_MESSAGE_PROTECTION=$1 ACTORAUTH_LOG_LEVEL=${ACTORAUTH_LOG_LEVEL:-Warning} \
    "$AA" server --config config/examples/loadtest.conf --port "$PORT" 2>"$OUT/protection-$1-server.log" &
  server_pid=$!; pids+=("$server_pid")
  wait_port "$PORT"
  "$AA" bench --port "$PORT" --package "$PACKAGE" --ccache --allow-errors -c 32 -n "$WARMUP" >/dev/null
}
stop_server() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; }
run() { # run LABEL ARGS...: one measured run against the server on $PORT, its report in $OUT/protection-LABEL.json
  local label=$1; shift
  echo; echo "=== $label ==="
  "$AA" bench --port "$PORT" --package "$PACKAGE" --ccache --server-pid "$server_pid" --allow-errors \
    --source-addresses "$sources" --json "$OUT/protection-$label.json" "$@"
}

for p in managed gssapi; do
  echo; echo "### message-protection = $p"
  start_server "$p"
  run "$p-standard" -c 256 -n "$HANDSHAKES"
  run "$p-data-64k" -c "$DATA_SESSIONS" -n "$DATA_SESSIONS" --messages-per-session "$DATA_MESSAGES" --message-size 65536
  run "$p-data-1k" -c "$DATA_SESSIONS" -n "$DATA_SESSIONS" --messages-per-session "$SMALL_MESSAGES" --message-size 1024
  stop_server
done

echo; echo "### NegotiateStream baseline under the same client"
"$NS" server --port $((PORT + 1)) >"$OUT/protection-baseline-server.log" 2>&1 &
server_pid=$!; pids+=("$server_pid"); wait_port $((PORT + 1))
"$AA" bench --port $((PORT + 1)) --dialect negotiate-stream --stock --package "$PACKAGE" --ccache --allow-errors -c 32 -n "$WARMUP" >/dev/null
echo; echo "=== baseline-standard ==="
"$AA" bench --port $((PORT + 1)) --dialect negotiate-stream --stock --package "$PACKAGE" --ccache --server-pid "$server_pid" --allow-errors \
  --source-addresses "$sources" --json "$OUT/protection-baseline-standard.json" -c 256 -n "$HANDSHAKES"
stop_server

if [ "$HOLD_SESSIONS" -gt 0 ]; then
  for p in managed gssapi; do
    echo; echo "### hold, message-protection = $p"
    start_server "$p"
    run "$p-hold" -c "$HOLD_SESSIONS" --hold "$HOLD_TIME"
    stop_server
  done
fi

# Per MB of request plaintext (each request is echoed, so the server unwraps and wraps that much each).
jq -n --argjson hold "$HOLD_SESSIONS" '
  def cpu_s: .server_cpu_us_per_handshake * .handshakes / 1e6;
  def mb: .handshakes * .messages_per_session * .message_size / 1e6;
  def data: {mb_per_s: (mb / .duration_s * 100 | round / 100), messages_per_s: (.handshakes * .messages_per_session / .duration_s | round),
             server_cpu_us_per_mb: (cpu_s * 1e6 / mb | round), server_cpu_us_per_message: (cpu_s * 1e6 / (.handshakes * .messages_per_session) * 10 | round / 10)};
  def r(a; b): if b == 0 or b == null then null else (a / b * 100 | round / 100) end;
  [inputs] as [$ms, $m64, $m1, $gs, $g64, $g1, $base, $mh, $gh]
  | { date: (now | strftime("%Y-%m-%dT%H:%M:%SZ")),
      standard: {managed: $ms.server_cpu_us_per_handshake, gssapi: $gs.server_cpu_us_per_handshake, baseline: $base.server_cpu_us_per_handshake,
                 managed_per_second: $ms.handshakes_per_second, gssapi_per_second: $gs.handshakes_per_second, baseline_per_second: $base.handshakes_per_second,
                 managed_vs_gssapi: r($ms.server_cpu_us_per_handshake; $gs.server_cpu_us_per_handshake),
                 managed_vs_baseline: r($ms.server_cpu_us_per_handshake; $base.server_cpu_us_per_handshake)},
      data_64k: {managed: ($m64 | data), gssapi: ($g64 | data)},
      data_1k: {managed: ($m1 | data), gssapi: ($g1 | data)},
      hold: (if $hold > 0 then {managed: $mh.hold, gssapi: $gh.hold} else null end) }
  | .data_64k.cpu_ratio = r(.data_64k.managed.server_cpu_us_per_mb; .data_64k.gssapi.server_cpu_us_per_mb)
  | .data_1k.cpu_ratio = r(.data_1k.managed.server_cpu_us_per_mb; .data_1k.gssapi.server_cpu_us_per_mb)
  | .goals = [
      {goal: "server CPU per MB (64 KiB) managed <= 0.25 x gssapi", value: .data_64k.cpu_ratio, pass: (.data_64k.cpu_ratio <= 0.25)},
      (if .hold == null then empty else {goal: "memory per held session <= 2 KiB (managed)", value: .hold.managed.server_bytes_per_session,
        pass: (.hold.managed.server_bytes_per_session <= 2048 and .hold.managed.round_trips_failed == 0)} end) ]
  ' "$OUT/protection-managed-standard.json" "$OUT/protection-managed-data-64k.json" "$OUT/protection-managed-data-1k.json" \
    "$OUT/protection-gssapi-standard.json" "$OUT/protection-gssapi-data-64k.json" "$OUT/protection-gssapi-data-1k.json" \
    "$OUT/protection-baseline-standard.json" \
    $( [ "$HOLD_SESSIONS" -gt 0 ] && echo "$OUT/protection-managed-hold.json $OUT/protection-gssapi-hold.json" || echo "/dev/null /dev/null" ) \
    >"$OUT/protection-summary.json"

echo; echo "=== managed vs gssapi (same run) ==="
jq -r '.standard | "standard workload at 256: server CPU \(.managed) us/conn managed, \(.gssapi) gssapi, \(.baseline) NegotiateStream baseline (managed/gssapi \(.managed_vs_gssapi)x, managed/baseline \(.managed_vs_baseline)x)"' "$OUT/protection-summary.json"
jq -r '"64 KiB data phase: managed \(.data_64k.managed.mb_per_s) MB/s, \(.data_64k.managed.server_cpu_us_per_mb) us/MB; gssapi \(.data_64k.gssapi.mb_per_s) MB/s, \(.data_64k.gssapi.server_cpu_us_per_mb) us/MB; CPU/MB ratio \(.data_64k.cpu_ratio)x"' "$OUT/protection-summary.json"
jq -r '"1 KiB data phase: managed \(.data_1k.managed.messages_per_s) msg/s, \(.data_1k.managed.server_cpu_us_per_message) us/msg; gssapi \(.data_1k.gssapi.messages_per_s) msg/s, \(.data_1k.gssapi.server_cpu_us_per_message) us/msg; CPU/MB ratio \(.data_1k.cpu_ratio)x"' "$OUT/protection-summary.json"
jq -r 'if .hold == null then empty else "hold: managed \(.hold.managed.sessions) sessions, \(.hold.managed.server_bytes_per_session) B/session; gssapi \(.hold.gssapi.sessions) sessions, \(.hold.gssapi.server_bytes_per_session) B/session" end' "$OUT/protection-summary.json"
jq -r '.goals[] | "\(if .pass then "PASS" else "FAIL" end)  \(.goal): \(.value)"' "$OUT/protection-summary.json"
echo; echo "summary: $OUT/protection-summary.json"
