# shellcheck shell=bash
# `scripts/bench.sh proxy`: sourced by bench.sh after its set-up (knobs, the build in $AA, the realm and its KRB5_*
# exports, alice's TGT in $KRB5CCNAME, cleanup, wait_port); not run on its own.
#
# What the PROXY protocol costs the server (issue 14): the standard workload (connect, Negotiate, one 64-byte
# encrypted echo, close) at PROXY_CONCURRENCY, server CPU per connection and p99, in three set-ups, one server at a
# time: direct with trusted-proxies empty (off); direct with trusted-proxies = [127.0.0.1] and the clients on
# 127.0.0.2+ (on, nothing to read); through HAProxy (mode tcp, send-proxy-v2, from 127.0.0.1: each connection's
# header read). PROXY_ROUNDS rounds, the set-ups' order reversed each round (a shared machine drifts); a warm-up of
# WARMUP connections per server first, in the same client process. HAProxy's own CPU is not the server's and is
# not counted. Knobs: PROXY_CONCURRENCY=64 PROXY_ROUNDS=2 (HANDSHAKES, WARMUP as bench.sh). Writes
# $OUT/proxy-<set-up>-<round>.json and $OUT/proxy-summary.json.

PROXY_CONCURRENCY=${PROXY_CONCURRENCY:-64}
PROXY_ROUNDS=${PROXY_ROUNDS:-2}
command -v haproxy >/dev/null || { echo "haproxy is not installed (scripts/install-deps.sh)" >&2; exit 1; }
proxy_sources=$(seq -s, -f '127.0.0.%g' 2 "$((SOURCES + 1))")
printf 'include required("%s/config/examples/loadtest.conf")\nactorauth.server.trusted-proxies = [ "127.0.0.1" ]\n' "$PWD" >"$OUT/proxy-on.conf"
printf 'global\n  maxconn 9000\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 1m\n  timeout server 1m\nfrontend fe\n  bind 127.0.0.1:%s\n  default_backend nodes\nbackend nodes\n  server node1 127.0.0.1:%s send-proxy-v2\n' \
  $((PORT + 10)) "$PORT" >"$OUT/proxy-haproxy.cfg"

proxy_run() { # set-up round
  local config=config/examples/loadtest.conf target=$PORT hp=""
  [ "$1" = off ] || config=$OUT/proxy-on.conf
  ACTORAUTH_LOG_LEVEL=Warning "$AA" server --config "$config" --port "$PORT" 2>"$OUT/proxy-$1-$2-server.log" &
  local pid=$!
  wait_port "$PORT"
  if [ "$1" = haproxy ]; then
    haproxy -db -f "$OUT/proxy-haproxy.cfg" & hp=$!
    target=$((PORT + 10)); wait_port "$target"
  fi
  "$AA" bench --port "$target" --ccache -c "$PROXY_CONCURRENCY" -n "$HANDSHAKES" --warmup "$WARMUP" --source-addresses "$proxy_sources" \
    --server-pid "$pid" --allow-errors --json "$OUT/proxy-$1-$2.json" >"$OUT/proxy-$1-$2.txt" 2>&1
  [ -z "$hp" ] || { kill "$hp"; wait "$hp" 2>/dev/null || true; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  jq -r --arg s "$1" --arg r "$2" '"round \($r) \($s): server CPU \(.server_cpu_us_per_handshake|floor) µs/conn, p99 handshake \(.latency_ms.p99) ms, \(.handshakes_per_second|floor)/s, \(.failures) failed"' "$OUT/proxy-$1-$2.json"
}

for round in $(seq "$PROXY_ROUNDS"); do
  setups="off on haproxy"; [ $((round % 2)) = 1 ] || setups="haproxy on off"
  for setup in $setups; do proxy_run "$setup" "$round"; done
done
jq -s 'group_by(.setup) | map({setup: .[0].setup, server_cpu_us_per_conn: (map(.cpu) | sort | .[length / 2 | floor]), rounds: map(.cpu)})' \
  <(for f in "$OUT"/proxy-*-[0-9]*.json; do b=$(basename "$f" .json); jq --arg s "$(echo "$b" | cut -d- -f2)" '{setup: $s, cpu: .server_cpu_us_per_handshake}' "$f"; done) \
  | tee "$OUT/proxy-summary.json"
