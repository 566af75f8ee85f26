# shellcheck shell=bash
# `scripts/bench.sh ab` (issue 10): sourced by bench.sh after its set-up (knobs, the current tree's build in $AA,
# the realm, alice's TGT, $sources, cleanup, wait_port); not run on its own.
#
# The server of git revision AB_REV ("old", by default 22b5040: the last build on the home-made kernel) against
# the current tree's ("new"), both driven by the current tree's `actorauth bench`. Goal: no regression beyond
# noise — server CPU per connection within 5%, as the ratio of medians over ROUNDS alternating rounds.
#
# How the two are kept comparable:
# - One server process at a time, on the same port: both use MIT's per-host replay cache, so running both at
#   once would have each refuse the other's replays, and they would compete for the two cores.
# - Each measurement starts its server fresh and warms it with WARMUP handshakes: old and new start from the same
#   state (no heap grown or JIT done by the previous concurrency), and the two runs at one concurrency are back
#   to back, so the shared machine's drift hits both alike.
# - The order alternates by round (old first in odd rounds, new first in even), so neither is always second.
# - Each server runs from its own tree's config/examples/loadtest.conf (and the HOCON.conf and config/ it
#   includes relatively): a port may change the configuration's keys, and an old server must not be fed new ones.

old_dir="$OUT/ab-old"
old_aa="$old_dir/bin/actorauth"
old_rev=$(git rev-parse --short --verify -q "$AB_REV^{commit}") || { echo "AB_REV $AB_REV is not a commit here" >&2; exit 2; }
new_rev=$(git describe --always --dirty)

# The old revision's server, built from a throwaway worktree that is gone again before the first measurement.
echo "building $old_rev (old) into $old_dir/bin…"
ab_src=$(mktemp -d /tmp/actorauth-ab.XXXXXX)
git worktree add --detach -q "$ab_src/tree" "$old_rev"
rm -rf "$old_dir"
mkdir -p "$old_dir/tree"
dotnet build -c Release -nologo -v q "$ab_src/tree/src/ActorAuth.Cli" -o "$old_dir/bin" >/dev/null
cp -r "$ab_src/tree/HOCON.conf" "$ab_src/tree/config" "$old_dir/tree/"
git worktree remove --force "$ab_src/tree"
rm -rf "$ab_src"
ab_src=""
diff -r -q "$old_dir/tree/config" config >/dev/null && cmp -s "$old_dir/tree/HOCON.conf" HOCON.conf \
  || echo "note: the configuration differs between $old_rev and this tree; each server reads its own"

server_pid=""
# Starts the old or new server (log level Warning, as in the default mode) and waits for its port.
start_server() {
  local log="$OUT/ab-$1-server.log"
  if [ "$1" = old ]; then
    (cd "$old_dir/tree" && ACTORAUTH_LOG_LEVEL=${ACTORAUTH_LOG_LEVEL:-Warning} exec "$old_aa" server --config config/examples/loadtest.conf --port "$PORT") 2>>"$log" &
  else
    ACTORAUTH_LOG_LEVEL=${ACTORAUTH_LOG_LEVEL:-Warning} "$AA" server --config config/examples/loadtest.conf --port "$PORT" 2>>"$log" &
  fi
  server_pid=$!
  pids=("$server_pid") # what bench.sh's cleanup kills: only the one server alive, never a reaped (reusable) pid
  wait_port "$PORT"
}

# Stops it: SIGTERM, up to 10 s to drain and exit (a zombie has exited: kill -0 alone would wait it out), then
# SIGKILL; the port is free once it has exited.
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  for _ in $(seq 100); do ps -o stat= -p "$server_pid" | grep -qv '^Z' || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  pids=()
  server_pid=""
}

# One measurement on a fresh, warmed server: $1 old|new, $2 the JSON file, the rest for the client.
measure() {
  local which=$1 json=$2
  shift 2
  start_server "$which"
  "$AA" bench --port "$PORT" --package "$PACKAGE" --ccache --server-pid "$server_pid" --allow-errors -c 64 -n "$WARMUP" >/dev/null
  "$AA" bench --port "$PORT" --package "$PACKAGE" --ccache --server-pid "$server_pid" --allow-errors "$@" --json "$json" >"${json%.json}.txt"
  stop_server
}

runs="$OUT/ab-runs.jsonl"
: >"$runs"
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="old new"; else order="new old"; fi
  for c in $CONCURRENCY; do
    for which in $order; do
      json="$OUT/ab-r$round-c$c-$which.json"
      echo "round $round/$ROUNDS, $c concurrent, $which…"
      measure "$which" "$json" -c "$c" -n "$HANDSHAKES" --source-addresses "$sources"
      jq -c --argjson round "$round" --arg server "$which" \
        '{round: $round, connections, server: $server, handshakes_per_second, server_cpu_us_per_handshake, failures}' "$json" | tee -a "$runs"
    done
  done
done

holds="$OUT/ab-holds.jsonl"
: >"$holds"
if [ "$HOLD_SESSIONS" -gt 0 ]; then
  for which in old new; do
    echo "hold ($which): $HOLD_SESSIONS sessions for $HOLD_TIME"
    json="$OUT/ab-hold-$which.json"
    measure "$which" "$json" -c "$HOLD_SESSIONS" --hold "$HOLD_TIME" --source-addresses "$sources"
    jq -c --arg server "$which" \
      '{server: $server, sessions: .hold.sessions, failures, round_trips_failed: .hold.round_trips_failed, server_bytes_per_session: .hold.server_bytes_per_session}' "$json" | tee -a "$holds"
  done
fi

jq -n --arg old "$old_rev" --arg new "$new_rev" --argjson rounds "$ROUNDS" \
  --slurpfile runs "$runs" --slurpfile holds "$holds" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def ratio($n; $o): if $n == null or $o == null or $o == 0 then null else $n / $o end;
  def side($rs; $s): [$rs[] | select(.server == $s)] | {
      handshakes_per_second: map(.handshakes_per_second), server_cpu_us_per_handshake: map(.server_cpu_us_per_handshake),
      failures: (map(.failures) | add) }
    | .median = {handshakes_per_second: (.handshakes_per_second | median), server_cpu_us_per_handshake: (.server_cpu_us_per_handshake | median)};
  def hold($s): first($holds[] | select(.server == $s)) // null;
  {
    date: (now | strftime("%Y-%m-%dT%H:%M:%SZ")),
    old: $old, new: $new, rounds: $rounds,
    concurrency: [ $runs | group_by(.connections)[] | . as $rs | {connections: $rs[0].connections, old: side($rs; "old"), new: side($rs; "new")}
      | .ratio = {
          handshakes_per_second: ratio(.new.median.handshakes_per_second; .old.median.handshakes_per_second),
          server_cpu: ratio(.new.median.server_cpu_us_per_handshake; .old.median.server_cpu_us_per_handshake) } ],
    hold: (if ($holds | length) == 0 then null else {old: hold("old"), new: hold("new"),
      ratio: ratio(hold("new").server_bytes_per_session; hold("old").server_bytes_per_session)} end)
  }
  | .goals = [ .concurrency[] | {goal: "server CPU/connection new/old <= 1.05 at \(.connections)", value: .ratio.server_cpu,
      pass: (.ratio.server_cpu != null and .ratio.server_cpu <= 1.05 and .old.failures == 0 and .new.failures == 0)} ]
  ' >"$OUT/ab-summary.json"

echo; echo "=== A/B: $old_rev (old) vs $new_rev (new), ratio of medians over $ROUNDS round(s) ==="
jq -r 'def r2: if . == null then "n/a" else . * 100 | round / 100 end;
  .concurrency[] | "\(.connections) concurrent: handshakes/s old \(.old.handshakes_per_second) new \(.new.handshakes_per_second) = \(.ratio.handshakes_per_second | r2)x; server CPU us/conn old \(.old.server_cpu_us_per_handshake) new \(.new.server_cpu_us_per_handshake) = \(.ratio.server_cpu | r2)x; failures old \(.old.failures) new \(.new.failures)"' "$OUT/ab-summary.json"
jq -r 'def r2: if . == null then "n/a" else . * 100 | round / 100 end;
  if .hold == null then empty else "hold: old \(.hold.old.server_bytes_per_session) new \(.hold.new.server_bytes_per_session) bytes/session = \(.hold.ratio | r2)x (sessions \(.hold.old.sessions) / \(.hold.new.sessions), failures \(.hold.old.failures) / \(.hold.new.failures))" end' "$OUT/ab-summary.json"
jq -r '.goals[] | "\(if .pass then "PASS" else "FAIL" end)  \(.goal): \(.value)"' "$OUT/ab-summary.json"
echo; echo "summary: $OUT/ab-summary.json"
