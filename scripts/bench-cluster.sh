# shellcheck shell=bash
# `scripts/bench.sh cluster` (issue 14): sourced by bench.sh after its set-up (knobs, the build in $AA, the realm,
# alice's TGT, cleanup, wait_port); not run on its own.
#
# What the cluster costs, on loopback, three node processes each with its own MIT replay cache (as on three hosts):
#   1. CPU and p99: the same client load (connect, mutual authentication, one 64-byte encrypted echo, close; -c
#      CONCURRENCY -n HANDSHAKES after WARMUP) against node 1 of a 3-node cluster and against the same node with the
#      cluster off, ROUNDS alternating rounds (single first in odd rounds, cluster first in even), every node started
#      fresh per measurement and warmed in the measuring process (--warmup). Per round: node 1's CPU per handshake
#      (--server-pid), nodes 2 and 3's over the same interval (--peer-pid: they answer the replay checks and take the
#      registry's gossip) per handshake node 1 served, the cluster-wide total, and the bytes the nodes sent each
#      other (ss's bytes_sent on every socket of the cluster ports) per handshake. Goal: node 1's CPU per connection,
#      cluster / single (ratio of medians) <= 1.15.
#   2. Held sessions: HOLD_PER_NODE on each of the three nodes at once (3 x 19,000 = 57,000: a process may open
#      20,000 files here), one bench process per node, each from its own HOLD_SOURCES 127.0.0.x addresses; all of
#      them open together for at least HOLD_TIME (each bench holds HOLD_TIME + HOLD_SLACK after its own last session
#      opened, since the three finish opening at different times, and the script measures how long the nodes' live
#      sessions stayed at the total), a protected round trip on every session at the end; zero failures; how long after the last session
#      opened every node's registry counts all of them (each node's /metrics, polled every 0.2 s); `actorauth
#      sessions list` on node 1 must list them all; RSS growth per node. With HOLD_SINGLE=1 first the same
#      HOLD_PER_NODE on one node with the cluster off: the difference is what the registry's remote entries cost.
# Writes $OUT/cluster-runs.jsonl, $OUT/cluster-hold.json and $OUT/cluster-summary.json; node logs in $OUT/cluster/.
# Knobs (bench.sh's where they exist): HANDSHAKES=20000 WARMUP=5000 CONCURRENCY=64 ROUNDS=3 PORT=24000 (node i
# listens on PORT+i-1, its Akka.Remote on PORT+10+i-1, its metrics on PORT+20+i-1) HOLD_SESSIONS=19000 (per node;
# 0 skips step 2) HOLD_TIME=60s HOLD_SLACK=60 (s) HOLD_SOURCES=4 HOLD_SINGLE=1 START_TIMEOUT=90 (s for a node to serve)
# CONVERGE_TIMEOUT=120 (s for the registries after the last session opened).

CONCURRENCY=${CONCURRENCY_SET:-64}
HOLD_PER_NODE=${HOLD_SESSIONS_SET:-19000}
HOLD_SOURCES=${HOLD_SOURCES:-4}
HOLD_SLACK=${HOLD_SLACK:-60}
hold_s=${HOLD_TIME%s} # seconds, as a number
HOLD_SINGLE=${HOLD_SINGLE:-1}
START_TIMEOUT=${START_TIMEOUT:-90}
CONVERGE_TIMEOUT=${CONVERGE_TIMEOUT:-120}
NODES=3
dir="$OUT/cluster"
mkdir -p "$dir"
command -v curl >/dev/null || apt-get install -y -qq curl >/dev/null
command -v ss >/dev/null || apt-get install -y -qq iproute2 >/dev/null

node_port() { echo $((PORT + $1 - 1)); }
cluster_port() { echo $((PORT + 10 + $1 - 1)); }
metrics_port() { echo $((PORT + 20 + $1 - 1)); }

# One configuration per node, the same for both modes (the cluster is switched on by --cluster-port/--seed alone):
# loadtest.conf's limits, a metrics-only http listener for the probes, the node's own replay cache file, and a
# max-message large enough for a sessions-list reply of every held session (~170 bytes of JSON each).
for i in $(seq "$NODES"); do
  cat >"$dir/node$i.conf" <<EOF
include required("$PWD/config/examples/loadtest.conf")
actorauth {
  server.port = $(node_port "$i")
  server.session.max-message = 64MiB
  listeners = [
    { kind = sockauth }
    { name = scrape, kind = http, port = $(metrics_port "$i"), http { endpoints = [metrics] } }
  ]
  kerberos.replay-cache = "$dir/node$i.rcache"
}
EOF
done

node_pids=()
seeds=()
for i in $(seq "$NODES"); do seeds+=(--seed "127.0.0.1:$(cluster_port "$i")"); done

# wait_port with START_TIMEOUT: a cluster node serves only once it is Up and its replay cache votes.
wait_serving() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "node on :$1 did not serve within ${START_TIMEOUT}s; logs in $dir" >&2; exit 1; }
    sleep 0.2
  done
}

# One metric of node $1, summed over its series (0 if absent); empty if the scrape failed (a busy node may take seconds).
metric() {
  local text
  text=$(curl -sf --max-time 10 "http://127.0.0.1:$(metrics_port "$1")/metrics") || return 0
  awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $NF } END { print s + 0 }' <<<"$text"
}

# start_nodes single|cluster LABEL: node 1 alone with the cluster off, or all three (node 1 first: the first seed
# forms the cluster, the others join it); returns once every node serves and, in a cluster, sees all three members.
start_nodes() {
  local mode=$1 label=$2 count=1 i
  [ "$mode" = single ] || count=$NODES
  node_pids=()
  for i in $(seq "$count"); do
    rm -f "$dir/node$i.rcache"
    local args=(server --config "$dir/node$i.conf")
    [ "$mode" = single ] || args+=(--cluster-port "$(cluster_port "$i")" "${seeds[@]}")
    ACTORAUTH_LOG_LEVEL=${ACTORAUTH_LOG_LEVEL:-Warning} "$AA" "${args[@]}" 2>"$dir/$label-node$i.log" &
    node_pids+=($!)
    [ "$i" != 1 ] || wait_serving "$(node_port 1)"
  done
  pids=("${node_pids[@]}") # what bench.sh's cleanup kills: only live nodes, never a reaped (reusable) pid
  for i in $(seq "$count"); do wait_serving "$(node_port "$i")"; done
  if [ "$mode" = cluster ]; then
    local deadline=$((SECONDS + START_TIMEOUT))
    for i in $(seq "$count"); do
      until [ "$(metric "$i" actorauth_server_actorauth_cluster_members)" = "$NODES" ]; do
        [ $SECONDS -lt $deadline ] || { echo "node $i does not see $NODES members; logs in $dir" >&2; exit 1; }
        sleep 0.2
      done
    done
  fi
}

# SIGTERM, up to 15 s each to drain (a zombie has exited), then SIGKILL.
stop_nodes() {
  local p
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do
    for _ in $(seq 150); do ps -o stat= -p "$p" | grep -qv '^Z' || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  node_pids=()
  pids=()
}

# A process's resident memory, bytes.
rss() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"; }
# Arithmetic on the fractional seconds of date +%s.%N (awk: bc is not always installed).
calc() { awk "BEGIN { print $* }"; }
cluster_ports_filter() {
  local f="" i
  for i in $(seq "$NODES"); do f="$f${f:+ or }sport = :$(cluster_port "$i") or dport = :$(cluster_port "$i")"; done
  echo "( $f )"
}
# Bytes the nodes have sent each other: each loopback connection shows up at both ends, each end counting what it sent.
cluster_bytes() {
  ss -tinH state established "$(cluster_ports_filter)" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^bytes_sent:/) { split($i, a, ":"); s += a[2] } } END { print s + 0 }'
}

bench_node() { "$AA" bench --port "$(node_port "$1")" --package "$PACKAGE" --ccache --allow-errors "${@:2}"; }

# ---- 1. CPU per connection and p99: single node against node 1 of three, alternating ----
runs="$OUT/cluster-runs.jsonl"
: >"$runs"
src=$(seq -s, -f '127.0.0.%g' 1 "$SOURCES")
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="single cluster"; else order="cluster single"; fi
  for mode in $order; do
    echo "round $round/$ROUNDS, $mode: $HANDSHAKES handshakes at $CONCURRENCY concurrent on node 1…"
    label="r$round-$mode"
    start_nodes "$mode" "$label"
    peers=(); for p in "${node_pids[@]:1}"; do peers+=(--peer-pid "$p"); done
    # The warm-up runs in the measuring process (--warmup), outside its samples; the bytes between the nodes are
    # read around the whole process, warm-up included, and divided by all its handshakes.
    bytes_before=$(cluster_bytes)
    bench_node 1 -c "$CONCURRENCY" -n "$HANDSHAKES" --warmup "$WARMUP" --source-addresses "$src" \
      --server-pid "${node_pids[0]}" "${peers[@]}" --json "$OUT/cluster-$label.json" >"$OUT/cluster-$label.txt"
    bytes_after=$(cluster_bytes)
    stop_nodes
    jq -c --argjson round "$round" --arg mode "$mode" --argjson bytes $((bytes_after - bytes_before)) '
      {round: $round, mode: $mode, handshakes, failures, handshakes_per_second, p99_ms: .latency_ms.p99,
       node1_cpu_us: .server_cpu_us_per_handshake,
       nodes_cpu_us: [.server_cpu_us_per_handshake, (.peers // [] | .[].cpu_us_per_handshake)],
       total_cpu_us: ([.server_cpu_us_per_handshake, (.peers // [] | .[].cpu_us_per_handshake)] | add),
       cluster_bytes_per_handshake: ($bytes / ([.handshakes + .warmup, 1] | max) | round)}' "$OUT/cluster-$label.json" | tee -a "$runs"
  done
done

# ---- 2. Held sessions across the three nodes ----
hold_json=null
if [ "$HOLD_PER_NODE" -gt 0 ]; then
  # Bench process i on node i from its own HOLD_SOURCES addresses (127.0.0.21 up: clear of the 127.0.0.1 others use).
  hold_sources() { seq -s, -f '127.0.0.%g' $((21 + ($1 - 1) * HOLD_SOURCES)) $((20 + $1 * HOLD_SOURCES)); }
  single_rss=null
  if [ "$HOLD_SINGLE" = 1 ]; then
    echo "hold, single node: $HOLD_PER_NODE sessions…"
    start_nodes single hold-single
    bench_node 1 -c 256 -n "$WARMUP" >/dev/null
    r0=$(rss "${node_pids[0]}")
    bench_node 1 -c "$HOLD_PER_NODE" --hold 10s --source-addresses "$(hold_sources 1)" --server-pid "${node_pids[0]}" \
      --json "$OUT/cluster-hold-single.json" >"$OUT/cluster-hold-single.txt" &
    b=$!
    deadline=$((SECONDS + CONVERGE_TIMEOUT + 600))
    until [ "$(metric 1 actorauth_server_actorauth_sessions_live)" -ge "$HOLD_PER_NODE" ] || ! kill -0 "$b" 2>/dev/null || [ $SECONDS -ge $deadline ]; do sleep 0.2; done
    sleep 2 # the last sessions' buffers settle
    single_rss=$(( $(rss "${node_pids[0]}") - r0 ))
    wait "$b" || true
    stop_nodes
  fi

  echo "hold, cluster: $NODES x $HOLD_PER_NODE sessions for $HOLD_TIME…"
  total=$((NODES * HOLD_PER_NODE))
  start_nodes cluster hold-cluster
  # The warm-up from 127.0.0.1, so the list below can tell the held sessions (from the hold sources) from any other.
  for i in $(seq "$NODES"); do bench_node "$i" -c 256 -n "$((WARMUP / NODES))" >/dev/null; done
  sleep 1 # the warm-up's sessions leave every registry (one gossip interval)
  # What each registry still counts now, with no session open, is stale (a session that opened and closed within one
  # gossip interval stays in the other nodes' registries: SessionRegistryActor applies a delta's removals before its
  # additions); convergence below is every registry at the total plus its own stale count.
  stale=(); for i in $(seq "$NODES"); do v=$(metric "$i" actorauth_server_actorauth_cluster_sessions); stale+=("${v:-0}"); done
  echo "stale registry entries after the warm-up: [${stale[*]}]"
  rss0=(); for p in "${node_pids[@]}"; do rss0+=("$(rss "$p")"); done
  benches=()
  t0=$(date +%s.%N)
  for i in $(seq "$NODES"); do
    bench_node "$i" -c "$HOLD_PER_NODE" --hold "$((hold_s + HOLD_SLACK))s" --source-addresses "$(hold_sources "$i")" --server-pid "${node_pids[$((i - 1))]}" \
      --json "$OUT/cluster-hold-node$i.json" >"$OUT/cluster-hold-node$i.txt" &
    benches+=($!)
  done
  # Poll: when the last session opened (the nodes' own sessions add up to all), when every registry counts them all.
  opened_at="" converged_at="" known=() deadline=$((SECONDS + CONVERGE_TIMEOUT + 900))
  while [ -z "$converged_at" ] && [ $SECONDS -lt $deadline ]; do
    live=0 known=() failed=0
    for i in $(seq "$NODES"); do
      l=$(metric "$i" actorauth_server_actorauth_sessions_live); k=$(metric "$i" actorauth_server_actorauth_cluster_sessions)
      [ -n "$l" ] && [ -n "$k" ] || failed=1
      live=$((live + ${l:-0})); known+=("$(( ${k:-0} - ${stale[$((i - 1))]:-0} ))")
    done
    now=$(date +%s.%N)
    if [ "$failed" = 1 ]; then sleep 0.2; continue; fi
    [ -n "$opened_at" ] || [ "$live" -lt "$total" ] || opened_at=$now
    if [ -n "$opened_at" ] && [ "$(printf '%s\n' "${known[@]}" | sort -n | head -1)" -ge "$total" ]; then converged_at=$now; fi
    if [ -n "$opened_at" ] && [ "$(calc "($now - $opened_at > $CONVERGE_TIMEOUT) ? 1 : 0")" = 1 ]; then break; fi
    alive=0; for b in "${benches[@]}"; do kill -0 "$b" 2>/dev/null && alive=1; done
    [ "$alive" = 1 ] || break
    sleep 0.2
  done
  echo "registries (less their stale entries): [${known[*]}] of $total; opened $(calc "${opened_at:-$t0} - $t0") s after the start, converged $( [ -n "$converged_at" ] && calc "$converged_at - $opened_at" || echo never) s after (polls of all three every 0.2 s + their time)"
  # While every session is held: the memory (before the list's reply is built), then the list: the held sessions
  # are those from the hold sources (127.0.0.21 up); anything else listed is the list's own session or a stale entry.
  sleep 2
  rss1=(); for k in "${!node_pids[@]}"; do rss1+=($(( $(rss "${node_pids[$k]}") - rss0[k] ))); done
  list_start=$(date +%s.%N)
  "$AA" sessions list --port "$(node_port 1)" --json --max-reply $((64 << 20)) >"$OUT/cluster-sessions-list.json" 2>"$OUT/cluster-sessions-list.err" || true
  list_s=$(calc "$(date +%s.%N) - $list_start")
  held_re="^127\\.0\\.0\\.($(seq -s'|' 21 $((20 + NODES * HOLD_SOURCES)))):"
  listed=$(jq --arg re "$held_re" '[.sessions[] | select(.remote | test($re))] | length' "$OUT/cluster-sessions-list.json" 2>/dev/null || echo 0)
  listed_other=$(jq --arg re "$held_re" '[.sessions[] | select(.remote | test($re) | not)] | length' "$OUT/cluster-sessions-list.json" 2>/dev/null || echo 0)
  echo "sessions list on node 1: $listed held sessions listed and $listed_other others (its own is one), in $list_s s (the command's whole run)"
  # How long all of them stayed open: until the nodes' live sessions first fall below the total (a bench ends its hold).
  held_s=0
  if [ -n "$opened_at" ]; then
    while :; do
      live=0 failed=0
      for i in $(seq "$NODES"); do l=$(metric "$i" actorauth_server_actorauth_sessions_live); [ -n "$l" ] || failed=1; live=$((live + ${l:-0})); done
      now=$(date +%s.%N)
      [ "$failed" = 1 ] || [ "$live" -ge "$total" ] || break
      [ "$(calc "($now - $opened_at > $hold_s + $HOLD_SLACK + 60) ? 1 : 0")" = 0 ] || break
      sleep 0.2
    done
    held_s=$(calc "$now - $opened_at")
  fi
  echo "all $total sessions open together for $held_s s"
  for b in "${benches[@]}"; do wait "$b" || true; done
  stop_nodes
  hold_json=$(jq -n --argjson total "$total" --argjson listed "${listed:-0}" --argjson listed_other "${listed_other:-0}" --arg list_s "$list_s" \
    --arg opened "$( [ -n "$opened_at" ] && calc "$opened_at - $t0" || echo)" \
    --arg converged "$( [ -n "$converged_at" ] && calc "$converged_at - $opened_at" || echo)" \
    --argjson held "$held_s" --argjson stale "[$(IFS=,; echo "${stale[*]}")]" --argjson hold_time "$hold_s" --argjson rss "[$(IFS=,; echo "${rss1[*]}")]" --argjson single_rss "$single_rss" --argjson per "$HOLD_PER_NODE" \
    --slurpfile n1 "$OUT/cluster-hold-node1.json" --slurpfile n2 "$OUT/cluster-hold-node2.json" --slurpfile n3 "$OUT/cluster-hold-node3.json" '
    [$n1[0], $n2[0], $n3[0]] as $b
    | {sessions_target: $total,
       sessions_held: ([$b[].hold.sessions] | add),
       failures: ([$b[].failures] | add),
       round_trips_ok: ([$b[].hold.round_trips_ok] | add), round_trips_failed: ([$b[].hold.round_trips_failed] | add),
       errors: ([$b[].errors] | add),
       all_open_seconds: $held, hold_time_seconds: $hold_time,
       open_seconds: ($opened | if . == "" then null else tonumber end),
       converge_seconds: ($converged | if . == "" then null else tonumber end),
       stale_registry_entries_after_warmup: $stale, listed_by_node1: $listed, listed_others: $listed_other, sessions_list_seconds: ($list_s | tonumber),
       rss_growth_bytes: $rss,
       bytes_per_local_session: [$rss[] | . / $per | round],
       cluster_bytes_per_session: ($rss | add / $total | round),
       single_bytes_per_session: (if $single_rss == null then null else $single_rss / $per | round end),
       registry_bytes_per_remote_entry: (if $single_rss == null then null
         else [$rss[] | (. - $single_rss) / ($total - $per) | round] end)}')
  echo "$hold_json" >"$OUT/cluster-hold.json"
fi

jq -n --slurpfile runs "$runs" --argjson hold "$hold_json" --arg machine "nproc $(nproc), $(free -g | awk '/^Mem:/ { print $2 " GiB total, " $7 " GiB available" }'), load $(cut -d' ' -f1-3 /proc/loadavg)" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def side($m): [$runs[] | select(.mode == $m)] | {
      node1_cpu_us: map(.node1_cpu_us), p99_ms: map(.p99_ms), handshakes_per_second: map(.handshakes_per_second),
      nodes_cpu_us: map(.nodes_cpu_us), total_cpu_us: map(.total_cpu_us), cluster_bytes_per_handshake: map(.cluster_bytes_per_handshake),
      failures: (map(.failures) | add) }
    | .median = {node1_cpu_us: (.node1_cpu_us | median), p99_ms: (.p99_ms | median), handshakes_per_second: (.handshakes_per_second | median),
        node2_cpu_us: ([.nodes_cpu_us[][1] // empty] | median), node3_cpu_us: ([.nodes_cpu_us[][2] // empty] | median),
        total_cpu_us: (.total_cpu_us | median), cluster_bytes_per_handshake: (.cluster_bytes_per_handshake | median)};
  def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
  def spread: if length < 2 then null else (max - min) / (add / length) end;
  {date: (now | strftime("%Y-%m-%dT%H:%M:%SZ")), machine: $machine, single: side("single"), cluster: side("cluster"), hold: $hold}
  | .ratio = {node1_cpu: ratio(.cluster.median.node1_cpu_us; .single.median.node1_cpu_us),
              total_cpu: ratio(.cluster.median.total_cpu_us; .single.median.total_cpu_us),
              p99: ratio(.cluster.median.p99_ms; .single.median.p99_ms),
              handshakes_per_second: ratio(.cluster.median.handshakes_per_second; .single.median.handshakes_per_second)}
  | .noise = {single_node1_cpu_spread: (.single.node1_cpu_us | spread), cluster_node1_cpu_spread: (.cluster.node1_cpu_us | spread)}
  | .goals = [
      {goal: "node 1 CPU/connection in a 3-node cluster <= 1.15 x single node (ratio of medians)", value: .ratio.node1_cpu,
       pass: (.ratio.node1_cpu != null and .ratio.node1_cpu <= 1.15 and .single.failures == 0 and .cluster.failures == 0)},
      ( if $hold == null then empty else
        {goal: "\($hold.sessions_target) sessions held across 3 nodes, zero failures, round trip ok on each", value: $hold.sessions_held,
         pass: ($hold.sessions_held == $hold.sessions_target and $hold.failures == 0 and $hold.round_trips_ok == $hold.sessions_target)},
        {goal: "all \($hold.sessions_target) open together for >= \($hold.hold_time_seconds) s", value: $hold.all_open_seconds,
         pass: ($hold.all_open_seconds >= $hold.hold_time_seconds)},
        {goal: "sessions list on node 1 reports all \($hold.sessions_target)", value: $hold.listed_by_node1, pass: ($hold.listed_by_node1 == $hold.sessions_target)}
        end ) ]
  ' >"$OUT/cluster-summary.json"

echo; echo "=== one node of three against a single node: ratio of medians over $ROUNDS round(s) ==="
jq -r 'def r2: if . == null then "n/a" else . * 100 | round / 100 end;
  "node 1 CPU us/conn: single \(.single.node1_cpu_us) cluster \(.cluster.node1_cpu_us) = \(.ratio.node1_cpu | r2)x (spread of the rounds: single \(.noise.single_node1_cpu_spread | r2), cluster \(.noise.cluster_node1_cpu_spread | r2) of the mean)",
  "nodes 2 and 3 CPU us per handshake node 1 served: \(.cluster.nodes_cpu_us | map(.[1:]))",
  "cluster-wide CPU us/conn: single \(.single.total_cpu_us) cluster \(.cluster.total_cpu_us) = \(.ratio.total_cpu | r2)x",
  "p99 ms: single \(.single.p99_ms) cluster \(.cluster.p99_ms) = \(.ratio.p99 | r2)x; handshakes/s = \(.ratio.handshakes_per_second | r2)x",
  "bytes between the nodes per handshake: \(.cluster.cluster_bytes_per_handshake) (single: \(.single.cluster_bytes_per_handshake))",
  "failures: single \(.single.failures), cluster \(.cluster.failures)"' "$OUT/cluster-summary.json"
jq -r 'if .hold == null then empty else .hold |
  "hold: \(.sessions_held) of \(.sessions_target) held (all open together \(.all_open_seconds) s), \(.failures) failures, round trips \(.round_trips_ok) ok / \(.round_trips_failed) failed; opened in \(.open_seconds) s, registries converged \(.converge_seconds) s after the last; sessions list on node 1: \(.listed_by_node1) held + \(.listed_others) others (its own is one) in \(.sessions_list_seconds) s",
  "memory: RSS growth per node \(.rss_growth_bytes) = \(.bytes_per_local_session) bytes per own session (with the registry of all), \(.cluster_bytes_per_session) cluster-wide per session; single node \(.single_bytes_per_session) bytes/session; registry per remote entry \(.registry_bytes_per_remote_entry)" end' "$OUT/cluster-summary.json"
echo; echo "=== issue 14 goals ==="
jq -r '.goals[] | "\(if .pass then "PASS" else "FAIL" end)  \(.goal): \(.value)"' "$OUT/cluster-summary.json"
echo; echo "summary: $OUT/cluster-summary.json"
