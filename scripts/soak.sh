#!/usr/bin/env bash
# Soak: runs `actorauth server` (Release, dev realm) as its own process under a mixed honest-plus-hostile
# load for a configurable time, then reports honest-client success rate, handshake p99, and the server's
# memory and live contexts at start and end.
#   scripts/soak.sh [--minutes N] [--honest C] [--hostile-per-second R]
# Defaults: 10 minutes, 8 honest clients (authenticate + echo, in a loop), 20 hostile connections/s (at most
# 64 open). Loopback only; every loop is bounded by time and count. The realm lives in a temporary
# directory and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=10
honest=8
hostile=20
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --honest) honest="$2"; shift 2 ;;
    --hostile-per-second) hostile="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$minutes$honest$hostile" in ''|*[!0-9]*) echo "soak.sh: numbers only" >&2; exit 2 ;; esac
seconds=$(( minutes * 60 ))

./scripts/install-deps.sh >/dev/null
dotnet build src/ActorAuth.Cli -c Release -nologo -v quiet
dotnet build tests/ActorAuth.SoakDriver -c Release -nologo -v quiet
cli=src/ActorAuth.Cli/bin/Release/net10.0/actorauth
driver=tests/ActorAuth.SoakDriver/bin/Release/net10.0/ActorAuth.SoakDriver

work=$(mktemp -d /tmp/actorauth-soak.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  "$cli" realm down --dir "$work/realm" >/dev/null 2>&1 || true
}
trap cleanup EXIT

eval "$("$cli" realm up --dir "$work/realm")"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$cli" server --port "$port" --stats-interval 60s 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  if grep -q "listening on" "$work/server.log" 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "soak: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; fi
  sleep 0.2
done

echo "soak: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), server pid $server_pid on 127.0.0.1:$port, log $work/server.log"
# Once a minute: the server's RSS and its live gauges (from its --stats-interval line), to show whether memory
# and contexts level off after warm-up.
(
  minute=0
  while sleep 60 && kill -0 "$server_pid" 2>/dev/null; do
    minute=$((minute + 1))
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo "?")
    gauges=$(grep -o "stats: connections [0-9]*, handshakes in progress [0-9]*, sessions [0-9]*, contexts [0-9]*" "$work/server.log" | tail -1)
    echo "minute $minute: RSS $rss kB; ${gauges:-no stats line yet}"
  done
) &
sampler_pid=$!
status=0
timeout --kill-after=30 $(( seconds + 120 )) "$driver" --port "$port" --password-file "$work/realm/alice.password" \
  --seconds "$seconds" --honest "$honest" --hostile-per-second "$hostile" --server-pid "$server_pid" || status=$?

kill "$sampler_pid" 2>/dev/null || true
# The server reports its live contexts as it stops: stop it gracefully.
sleep 2
rss_end=$(awk '/^VmRSS/ {print $2, $3}' "/proc/$server_pid/status" 2>/dev/null || echo "?")
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
echo "server before stop: RSS $rss_end"
grep -o "ActorAuth stopped:.*" "$work/server.log" | tail -1 | sed 's/^/server: /' || echo "server: no stop line in the log"
echo "server closes by reason: $(grep -o 'closed in [a-z]*: [a-z-]*' "$work/server.log" | sort | uniq -c | sort -rn | awk '{printf "%s%s %s", sep, $4"/"$5, $1; sep=", "}' | sed 's/://g')"
echo "soak: exit $status (0: every honest attempt succeeded)"
exit "$status"
