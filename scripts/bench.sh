#!/usr/bin/env bash
# Reruns issue 5's comparison in one go (docs/PERFORMANCE.md records the results):
#   1. builds Release, brings the dev realm up and gets alice a TGT (both clients use the ticket cache);
#   2. starts `actorauth server` and the hand-written NegotiateStream baseline server, each its own process;
#   3. at each concurrency (256 and 1,024 by default) runs the same load against both — connect, mutual
#      authentication (Negotiate), one 64-byte encrypted echo, close — and samples each server's CPU;
#   4. measures what sharing one ClientCredential saves the client: the first concurrency again with each
#      connection acquiring its own credential (--credential-per-connection), as the NegotiateStream client does;
#   5. holds HOLD_SESSIONS authenticated sessions on the ActorAuth server (the idle-session scale test);
#   6. runs the BenchmarkDotNet suite: Akka.NET (messages, per-connection actors, the Props forms), and whole
#      handshakes in one process with .NET's NegotiateAuthentication against ActorAuth's GSSAPI provider
#      (KERNEL=0 skips it);
#   7. prints the ratios and issue 5's goals with pass/fail, and writes $OUT/summary.json.
#
# `scripts/bench.sh ab` is issue 10's A/B instead: the server of git revision AB_REV (the last kernel build)
# against the current tree's, both under the current tree's client, ROUNDS alternating rounds at each
# concurrency (handshakes/s, server CPU per connection) and one hold per server (bytes per session); prints the
# per-round values and the ratio of medians new/old, and writes $OUT/ab-summary.json; steps 2-7 do not run.
#
# `scripts/bench.sh dialects` is issue 13's comparison instead (scripts/bench-dialects.sh): one client,
# `actorauth bench --dialect …`, against ActorAuth's negotiate-stream and gss-sample listeners and against the
# stock servers of those dialects (the NegotiateStream baseline, MIT's gss-server), plus the baseline's own client
# once for the change of method; writes $OUT/dialects-summary.json. Knobs: GSS_CONCURRENCY=8 MESSAGE_SIZE=64.
#
# `scripts/bench.sh protection` is issue 15's comparison (scripts/bench-protection.sh): message-protection
# managed against gssapi — the standard workload, 64 KiB and 1 KiB data phases, 19,000 held sessions; writes
# $OUT/protection-summary.json.
#
# `scripts/bench.sh http` is HTTP Negotiate (scripts/bench-http.sh): ActorAuth's HTTP listener against Apache httpd +
# mod_auth_gssapi, same documents, same client (`actorauth bench --http`, a new context per request), requests/s and
# server CPU per authenticated request for both, the goals (>= 2x Apache's requests/s, <= 0.5x its CPU per request);
# writes $OUT/http-summary.json. Knobs: HTTP_CONCURRENCY=64 HTTP_REQUESTS=$HANDSHAKES HTTP_PREEMPTIVE=0
# HTTP_SERVERS="apache actorauth" HTTP_WARMUP=20000 HTTP_PIN=1 (server on CPU 1, client on CPU 0) HTTP_CLIENT_ENV=….
# `scripts/bench.sh proxy` is issue 14's PROXY protocol cost (scripts/bench-proxy.sh): server CPU per connection
# direct with the PROXY protocol off, on, and through HAProxy (send-proxy-v2); writes $OUT/proxy-summary.json.
# Knobs: PROXY_CONCURRENCY=64 PROXY_ROUNDS=2.
#
# `scripts/bench.sh cluster` is issue 14's (scripts/bench-cluster.sh): one node of a 3-node cluster against a single
# node, same load, ROUNDS alternating rounds (node 1's CPU per connection and p99, the other nodes' CPU, the bytes
# between the nodes), then 3 x HOLD_SESSIONS held sessions across the three nodes (registry convergence, sessions list,
# memory per session); writes $OUT/cluster-summary.json. Knobs: CONCURRENCY=64 HOLD_SESSIONS=19000 (per node)
# HOLD_SOURCES=4 HOLD_SINGLE=1 START_TIMEOUT=90 CONVERGE_TIMEOUT=120; ports PORT..PORT+22.
# Loopback only (127.0.0.x). Environment knobs, with their defaults:
#   HANDSHAKES=20000 CONCURRENCY="256 1024" WARMUP=5000 HOLD_SESSIONS=5000 HOLD_TIME=60s SOURCES=8
#   PACKAGE=Negotiate REALM_DIR=.actorauth/realm OUT=.actorauth/bench PORT=24000 KERNEL=1
#   ab and cluster: ROUNDS=3; ab only: AB_REV=22b5040
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-compare}
case "$MODE" in compare | ab | dialects | protection | http | proxy | cluster) ;; *) echo "usage: $0 [ab|dialects|protection|http|proxy|cluster]" >&2; exit 2 ;; esac

HANDSHAKES=${HANDSHAKES:-20000}
CONCURRENCY_SET=${CONCURRENCY:-}
CONCURRENCY=${CONCURRENCY:-"256 1024"}
WARMUP=${WARMUP:-5000}
HOLD_SESSIONS_SET=${HOLD_SESSIONS:-}
HOLD_SESSIONS=${HOLD_SESSIONS:-5000}
HOLD_TIME=${HOLD_TIME:-60s}
SOURCES=${SOURCES:-8}
PACKAGE=${PACKAGE:-Negotiate}
REALM_DIR=${REALM_DIR:-.actorauth/realm}
OUT=${OUT:-.actorauth/bench}
PORT=${PORT:-24000}
KERNEL=${KERNEL:-1}
AB_REV=${AB_REV:-22b5040}
ROUNDS=${ROUNDS:-3}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# Absolute: the A/B mode starts the old server in another directory.
REALM_DIR=$(realpath -m "$REALM_DIR")

command -v jq >/dev/null || apt-get install -y -qq jq >/dev/null
# Each held session is a socket on both ends; 20,000 open files is the default here.
ulimit -n 1048576 2>/dev/null || ulimit -n 200000 2>/dev/null || true
echo "open files: $(ulimit -n)"

echo "building (Release)…"
dotnet build -c Release -nologo -v q src/ActorAuth.Cli >/dev/null
AA=src/ActorAuth.Cli/bin/Release/net10.0/actorauth
NS=tests/ActorAuth.NegotiateStreamBaseline/bin/Release/net10.0/negotiatestream-baseline
[ "$MODE" = ab ] || [ "$MODE" = http ] || [ "$MODE" = cluster ] || dotnet build -c Release -nologo -v q tests/ActorAuth.NegotiateStreamBaseline >/dev/null
[ "$MODE" != dialects ] || CONCURRENCY=${CONCURRENCY_SET:-"64 256"}

eval "$("$AA" realm up --dir "$REALM_DIR")"
export KRB5CCNAME="FILE:$OUT/ccache"
kinit alice <"$REALM_DIR/alice.password" >/dev/null
sources=$(seq -s, -f '127.0.0.%g' 1 "$SOURCES")

pids=()
ab_src=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [ -n "$ab_src" ]; then git worktree remove --force "$ab_src/tree" 2>/dev/null || true; rm -rf "$ab_src"; git worktree prune; fi
}
trap cleanup EXIT

wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; exit 1; }

if [ "$MODE" = ab ]; then
  # shellcheck source=scripts/bench-ab.sh
  . scripts/bench-ab.sh
  exit 0
fi

if [ "$MODE" = cluster ]; then
  # shellcheck source=scripts/bench-cluster.sh
  . scripts/bench-cluster.sh
  exit 0
fi

if [ "$MODE" = protection ]; then
  # shellcheck source=scripts/bench-protection.sh
  . scripts/bench-protection.sh
  exit 0
fi

if [ "$MODE" = http ]; then
  # shellcheck source=scripts/bench-http.sh
  . scripts/bench-http.sh
  exit 0
fi

if [ "$MODE" = proxy ]; then
  # shellcheck source=scripts/bench-proxy.sh
  . scripts/bench-proxy.sh
  exit 0
fi

if [ "$MODE" = dialects ]; then
  # shellcheck source=scripts/bench-dialects.sh
  . scripts/bench-dialects.sh
  exit 0
fi

# ActorAuth at Warning: the per-connection Information lines would otherwise be part of what is measured.
# loadtest.conf lifts the per-address rate limit: every load client here comes from 127.0.0.x.
ACTORAUTH_LOG_LEVEL=${ACTORAUTH_LOG_LEVEL:-Warning} "$AA" server --config config/examples/loadtest.conf --port "$PORT" 2>"$OUT/actorauth-server.log" &
aa_pid=$!; pids+=("$aa_pid")
"$NS" server --port $((PORT + 1)) >"$OUT/baseline-server.log" 2>&1 &
ns_pid=$!; pids+=("$ns_pid")
wait_port "$PORT"; wait_port $((PORT + 1))
echo "servers: actorauth pid $aa_pid on :$PORT, negotiatestream pid $ns_pid on :$((PORT + 1))"

run_aa() { "$AA" bench --port "$PORT" --package "$PACKAGE" --ccache --server-pid "$aa_pid" --allow-errors "$@"; }
run_ns() { "$NS" client --port $((PORT + 1)) --server-pid "$ns_pid" --allow-errors "$@"; }

echo "warm-up ($WARMUP handshakes each)…"
run_aa -c 64 -n "$WARMUP" >/dev/null
run_ns -c 64 -n "$WARMUP" >/dev/null

for c in $CONCURRENCY; do
  echo; echo "=== $c concurrent connections, $HANDSHAKES handshakes ==="
  run_aa -c "$c" -n "$HANDSHAKES" --source-addresses "$sources" --json "$OUT/actorauth-$c.json"
  echo
  run_ns -c "$c" -n "$HANDSHAKES" --source-addresses "$sources" --json "$OUT/baseline-$c.json"
done

first=${CONCURRENCY%% *}
echo; echo "=== client credential: $first concurrent, each connection acquiring its own ==="
run_aa -c "$first" -n "$HANDSHAKES" --source-addresses "$sources" --credential-per-connection --json "$OUT/actorauth-per-connection.json"

if [ "$HOLD_SESSIONS" -gt 0 ]; then
  echo; echo "=== hold: $HOLD_SESSIONS sessions for $HOLD_TIME ==="
  run_aa -c "$HOLD_SESSIONS" --hold "$HOLD_TIME" --source-addresses "$sources" --json "$OUT/hold.json"
fi

kernel_line=""
if [ "$KERNEL" = 1 ]; then
  echo; echo "=== Akka.NET actors and in-process handshakes (BenchmarkDotNet, ShortRun) ==="
  dotnet run -c Release --project tests/ActorAuth.Benchmarks -- --filter '*' >"$OUT/kernel.log" 2>&1
  kernel_line=$(grep '^idle actors:' "$OUT/kernel.log" || true)
  echo "$kernel_line"
  grep -E '^\| (Method|OneActorMessage|PairMessage|ConnectionMessage|CreateActor|NegotiateAuthentication|GssApi)' "$OUT/kernel.log" || true
fi

# Summary: ratios from this one run, and the goals.
jq -n --arg concurrency "$CONCURRENCY" --arg kernel "$kernel_line" --argjson holdTarget 100000 \
  --slurpfile perConnection "$OUT/actorauth-per-connection.json" \
  --slurpfile hold <( [ -f "$OUT/hold.json" ] && [ "$HOLD_SESSIONS" -gt 0 ] && cat "$OUT/hold.json" || echo null ) '
  ($concurrency | split(" ") | map(select(length > 0))) as $cs
  | [inputs] as $all
  | [ range(0; $cs | length) as $i | {
        connections: ($cs[$i] | tonumber),
        actorauth: $all[2 * $i], baseline: $all[2 * $i + 1] } ] as $runs
  | {
      date: (now | strftime("%Y-%m-%dT%H:%M:%SZ")),
      runs: [ $runs[] | {
        connections,
        actorauth: (.actorauth | {handshakes, failures, handshakes_per_second, p99_ms: .latency_ms.p99, server_cpu_us_per_handshake, client_cpu_us_per_handshake}),
        baseline:  (.baseline  | {handshakes, failures, handshakes_per_second, p99_ms: .latency_ms.p99, server_cpu_us_per_handshake, client_cpu_us_per_handshake}),
        ratios: {
          handshakes_per_second: (.actorauth.handshakes_per_second / .baseline.handshakes_per_second),
          p99: (.actorauth.latency_ms.p99 / .baseline.latency_ms.p99),
          server_cpu: (.actorauth.server_cpu_us_per_handshake / .baseline.server_cpu_us_per_handshake) } } ],
      hold: $hold[0],
      kernel: $kernel
    }
  | .client_credential = {
      connections: .runs[0].connections,
      shared_client_cpu_us: .runs[0].actorauth.client_cpu_us_per_handshake,
      per_connection_client_cpu_us: $perConnection[0].client_cpu_us_per_handshake,
      per_connection_handshakes_per_second: $perConnection[0].handshakes_per_second,
      client_cpu_ratio: (.runs[0].actorauth.client_cpu_us_per_handshake / $perConnection[0].client_cpu_us_per_handshake) }
  | .goals = [
      ( .runs[] | {goal: "1. server CPU/connection <= 0.5 x baseline at \(.connections)", value: .ratios.server_cpu, pass: (.ratios.server_cpu <= 0.5)} ),
      ( .runs[] | {goal: "1. server CPU/connection < 130 us (MIT gss-server) at \(.connections)", value: .actorauth.server_cpu_us_per_handshake, pass: (.actorauth.server_cpu_us_per_handshake < 130)} ),
      ( .runs[] | {goal: "2. handshakes/s >= 2 x baseline at \(.connections)", value: .ratios.handshakes_per_second, pass: (.ratios.handshakes_per_second >= 2)} ),
      ( .runs[] | select(.connections == 1024) | {goal: "2. p99 handshake latency <= 0.5 x baseline at 1024", value: .ratios.p99, pass: (.ratios.p99 <= 0.5)} ),
      ( if .hold == null then empty else
          {goal: "3. \($holdTarget) sessions held, zero failures (this run: \(.hold.hold.sessions) held)",
           value: .hold.hold.server_bytes_per_session,
           pass: (.hold.hold.sessions >= $holdTarget and .hold.failures == 0 and .hold.hold.round_trips_failed == 0)} end ),
      ( if $kernel == "" then empty else
          {goal: "4. bytes per idle actor <= 1024", value: ($kernel | capture("(?<b>[0-9,]+) bytes retained").b | gsub(",";"") | tonumber),
           pass: (($kernel | capture("(?<b>[0-9,]+) bytes retained").b | gsub(",";"") | tonumber) <= 1024)} end )
    ]
  ' $(for c in $CONCURRENCY; do echo "$OUT/actorauth-$c.json $OUT/baseline-$c.json"; done) >"$OUT/summary.json"

echo; echo "=== ratios (ActorAuth / NegotiateStream, same run) ==="
jq -r '.runs[] | "\(.connections) concurrent: handshakes/s \(.actorauth.handshakes_per_second) vs \(.baseline.handshakes_per_second) = \(.ratios.handshakes_per_second * 100 | round / 100)x; p99 \(.actorauth.p99_ms) ms vs \(.baseline.p99_ms) ms = \(.ratios.p99 * 100 | round / 100)x; server CPU \(.actorauth.server_cpu_us_per_handshake) us vs \(.baseline.server_cpu_us_per_handshake) us = \(.ratios.server_cpu * 100 | round / 100)x"' "$OUT/summary.json"
jq -r '.client_credential | "client credential at \(.connections): client CPU \(.shared_client_cpu_us) us shared vs \(.per_connection_client_cpu_us) us per connection = \(.client_cpu_ratio * 100 | round / 100)x (per connection: \(.per_connection_handshakes_per_second) handshakes/s)"' "$OUT/summary.json"
jq -r 'if .hold == null then empty else "hold: \(.hold.hold.sessions) sessions held \(.hold.hold.seconds) s, round trips at the end \(.hold.hold.round_trips_ok) ok / \(.hold.hold.round_trips_failed) failed, server \(.hold.hold.server_bytes_per_session) bytes/session" end' "$OUT/summary.json"
echo; echo "=== issue 5 goals ==="
jq -r '.goals[] | "\(if .pass then "PASS" else "FAIL" end)  \(.goal): \(.value)"' "$OUT/summary.json"
echo; echo "summary: $OUT/summary.json"
