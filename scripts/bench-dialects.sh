# shellcheck shell=bash
# `scripts/bench.sh dialects` (issue 13): sourced by bench.sh after its set-up (knobs, the builds in $AA and $NS,
# the realm and its KRB5_* exports, alice's TGT, $sources, cleanup, wait_port); not run on its own.
#
# Compares servers, not clients: ONE client, `actorauth bench`, drives every server in its own dialect —
#   ActorAuth's negotiate-stream listener  vs  the hand-written NegotiateStream baseline server (--stock)
#   ActorAuth's gss-sample listener        vs  MIT's gss-server (single-threaded C; --stock)
# with the same work per connection (connect, mutual authentication, one MESSAGE_SIZE-byte protected round trip:
# an echo on NegotiateStream, a wrapped message answered with its MIC on gss-sample, close) and the same shared
# credential. The baseline's own client is run once more against its server at each concurrency, so the change of
# method (its figures before, with its own client) stays visible beside the new ones.
# One server process at a time (they would compete for the two cores), each warmed with WARMUP connections.
# Knobs: CONCURRENCY (NegotiateStream pair, default "64 256"), GSS_CONCURRENCY (default 8: gss-server serves one
# connection at a time), GSS_HANDSHAKES (default 1000), HANDSHAKES, WARMUP, MESSAGE_SIZE (default 64), PORT.

GSS_CONCURRENCY=${GSS_CONCURRENCY:-8}
# gss-server writes each token in several write()s without TCP_NODELAY: ~40 ms Nagle/delayed-ACK stalls per token
# at any client, so it serves ~20 connections/s here; its pair runs fewer connections.
GSS_HANDSHAKES=${GSS_HANDSHAKES:-1000}
MESSAGE_SIZE=${MESSAGE_SIZE:-64}
nns_port=$((PORT + 2)); gss_port=$((PORT + 3)); stock_nns_port=$((PORT + 1)); stock_gss_port=$((PORT + 4))
command -v gss-server >/dev/null || { echo "gss-server not found: apt-get install krb5-gss-samples (scripts/install-deps.sh)" >&2; exit 2; }

server_pid=""
start() { # start PORT-TO-WAIT-FOR COMMAND...: one server, its pid in $server_pid
  local port=$1; shift
  "$@" &
  server_pid=$!; pids+=("$server_pid")
  wait_port "$port"
}
stop() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; }
bench() { # bench LABEL PORT CONCURRENCY CONNECTIONS ARGS...: one measured run, its report in $OUT/dialect-LABEL.json
  local label=$1 port=$2 c=$3 n=$4; shift 4
  echo; echo "=== $label: $c concurrent, $n connections ==="
  "$AA" bench --port "$port" --package "$PACKAGE" --ccache --server-pid "$server_pid" --allow-errors \
    -c "$c" -n "$n" --message-size "$MESSAGE_SIZE" --source-addresses "$sources" --json "$OUT/dialect-$label.json" "$@"
}
warm() { # warm PORT CONNECTIONS ARGS...
  "$AA" bench --port "$1" --package "$PACKAGE" --ccache --allow-errors -c 8 -n "$2" "${@:3}" >/dev/null; }

echo; echo "### ActorAuth: sockauth :$PORT, negotiate-stream :$nns_port, gss-sample :$gss_port"
ACTORAUTH_LOG_LEVEL=${ACTORAUTH_LOG_LEVEL:-Warning} start "$gss_port" "$AA" server --config config/examples/loadtest.conf \
  --port "$PORT" --nns-port "$nns_port" --gss-sample-port "$gss_port" 2>"$OUT/dialect-actorauth-server.log"
warm "$nns_port" "$WARMUP" --dialect negotiate-stream; warm "$PORT" "$WARMUP"; warm "$gss_port" "$WARMUP" --dialect gss-sample
for c in $CONCURRENCY; do
  bench "actorauth-nns-$c" "$nns_port" "$c" "$HANDSHAKES" --dialect negotiate-stream
  bench "actorauth-sockauth-$c" "$PORT" "$c" "$HANDSHAKES"
done
bench "actorauth-gss-$GSS_CONCURRENCY" "$gss_port" "$GSS_CONCURRENCY" "$GSS_HANDSHAKES" --dialect gss-sample
stop

echo; echo "### NegotiateStream baseline server :$stock_nns_port"
start "$stock_nns_port" "$NS" server --port "$stock_nns_port" >"$OUT/dialect-baseline-server.log" 2>&1
warm "$stock_nns_port" "$WARMUP" --dialect negotiate-stream --stock
for c in $CONCURRENCY; do
  bench "baseline-nns-$c" "$stock_nns_port" "$c" "$HANDSHAKES" --dialect negotiate-stream --stock
  echo; echo "=== baseline-own-client-$c: the baseline's own client, as before issue 13 ==="
  "$NS" client --port "$stock_nns_port" --server-pid "$server_pid" --allow-errors -c "$c" -n "$HANDSHAKES" \
    --message-size "$MESSAGE_SIZE" --source-addresses "$sources" --json "$OUT/dialect-baseline-own-client-$c.json"
done
stop

echo; echo "### MIT gss-server :$stock_gss_port (keytab $KRB5_KTNAME)"
# Its per-connection lines go to /dev/null by redirection: `-logfile /dev/null` makes MIT 1.20's gss-server
# write through a NULL FILE* and segfault on the first client.
start "$stock_gss_port" gss-server -port "$stock_gss_port" actorauth@localhost >/dev/null 2>"$OUT/dialect-gss-server.log"
warm "$stock_gss_port" 50 --dialect gss-sample --stock
bench "gss-server-$GSS_CONCURRENCY" "$stock_gss_port" "$GSS_CONCURRENCY" "$GSS_HANDSHAKES" --dialect gss-sample --stock
stop

# Ratios from this one run: ActorAuth's listener over the stock server, same client; and the two baseline clients.
jq -n --arg concurrency "$CONCURRENCY" --arg gss "$GSS_CONCURRENCY" '
  def figures: {connections: .handshakes, failures, per_second: .handshakes_per_second, p99_ms: .latency_ms.p99,
                server_cpu_us: .server_cpu_us_per_handshake, client_cpu_us: .client_cpu_us_per_handshake};
  def ratio(a; b): if b == 0 or b == null then null else (a / b * 100 | round / 100) end;
  [inputs] as $r
  | ($concurrency | split(" ") | map(select(length > 0))) as $cs
  | { date: (now | strftime("%Y-%m-%dT%H:%M:%SZ")),
      negotiate_stream: [ range(0; $cs | length) as $i | $r[4 * $i: 4 * $i + 4] as [$aa, $sock, $ns, $own] | {
          concurrency: ($cs[$i] | tonumber),
          actorauth: ($aa | figures), actorauth_sockauth: ($sock | figures), baseline: ($ns | figures), baseline_own_client: ($own | figures),
          ratios: { per_second: ratio($aa.handshakes_per_second; $ns.handshakes_per_second),
                    server_cpu: ratio($aa.server_cpu_us_per_handshake; $ns.server_cpu_us_per_handshake),
                    p99: ratio($aa.latency_ms.p99; $ns.latency_ms.p99),
                    client_change_per_second: ratio($ns.handshakes_per_second; $own.handshakes_per_second),
                    client_change_server_cpu: ratio($ns.server_cpu_us_per_handshake; $own.server_cpu_us_per_handshake) } } ],
      gss_sample: ($r[4 * ($cs | length): 4 * ($cs | length) + 2] as [$aa, $mit] | {
          concurrency: ($gss | tonumber), actorauth: ($aa | figures), gss_server: ($mit | figures),
          ratios: { per_second: ratio($aa.handshakes_per_second; $mit.handshakes_per_second),
                    server_cpu: ratio($aa.server_cpu_us_per_handshake; $mit.server_cpu_us_per_handshake),
                    p99: ratio($aa.latency_ms.p99; $mit.latency_ms.p99) } }) }
  ' $(for c in $CONCURRENCY; do echo "$OUT/dialect-actorauth-nns-$c.json $OUT/dialect-actorauth-sockauth-$c.json $OUT/dialect-baseline-nns-$c.json $OUT/dialect-baseline-own-client-$c.json"; done) \
    "$OUT/dialect-actorauth-gss-$GSS_CONCURRENCY.json" "$OUT/dialect-gss-server-$GSS_CONCURRENCY.json" >"$OUT/dialects-summary.json"

echo; echo "=== servers compared with one client (ActorAuth / stock, same run) ==="
jq -r '.negotiate_stream[] | "negotiate-stream at \(.concurrency): \(.actorauth.per_second) vs \(.baseline.per_second) conn/s = \(.ratios.per_second)x; server CPU \(.actorauth.server_cpu_us) vs \(.baseline.server_cpu_us) us/conn = \(.ratios.server_cpu)x; p99 \(.actorauth.p99_ms) vs \(.baseline.p99_ms) ms = \(.ratios.p99)x (ActorAuth sockauth: \(.actorauth_sockauth.per_second) conn/s, \(.actorauth_sockauth.server_cpu_us) us)"' "$OUT/dialects-summary.json"
jq -r '.gss_sample | "gss-sample at \(.concurrency): \(.actorauth.per_second) vs gss-server \(.gss_server.per_second) conn/s = \(.ratios.per_second)x; server CPU \(.actorauth.server_cpu_us) vs \(.gss_server.server_cpu_us) us/conn = \(.ratios.server_cpu)x; p99 \(.actorauth.p99_ms) vs \(.gss_server.p99_ms) ms = \(.ratios.p99)x"' "$OUT/dialects-summary.json"
echo; echo "=== the change of method: the baseline server under actorauth bench vs under its own client ==="
jq -r '.negotiate_stream[] | "at \(.concurrency): \(.baseline.per_second) vs \(.baseline_own_client.per_second) conn/s; server CPU \(.baseline.server_cpu_us) vs \(.baseline_own_client.server_cpu_us) us/conn; client CPU \(.baseline.client_cpu_us) vs \(.baseline_own_client.client_cpu_us) us/conn"' "$OUT/dialects-summary.json"
echo; echo "summary: $OUT/dialects-summary.json"
