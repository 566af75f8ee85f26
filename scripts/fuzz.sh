#!/usr/bin/env bash
# Runs the fuzz harness (tests/ActorAuth.Fuzz) for longer than the test suite does, or replays one case.
#   scripts/fuzz.sh [--seconds N] [--seed S] [--case I --phase handshake|session]
# --seconds N  time budget (default 120; at most 86400): the FsCheck properties, the AP-REQ reader on mutated
#              real tokens and the network fuzzer (mutated real handshakes and protected frames against the real
#              server, real KDC) run in rounds until their share of it is spent. Every loop is also bounded by a count.
# --seed S     the seed of every generator (default: a new one, printed); a failure prints its seed and case.
# --case I     replay network case I of seed S alone (with --phase, only that phase's test runs).
# Output: each test's log (seed, cases run, close reasons); on failure, the case, its mutations and hex.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=120
seed=$(( $(date +%s) % 1000000000 ))
replay=""
phase=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --case) replay="$2"; shift 2 ;;
    --phase) phase="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: --seconds wants a whole number" >&2; exit 2 ;; esac
case "$seed" in ''|*[!0-9-]*) echo "fuzz.sh: --seed wants a whole number" >&2; exit 2 ;; esac
if [ "$seconds" -gt 86400 ]; then seconds=86400; fi
./scripts/install-deps.sh >/dev/null
dotnet build tests/ActorAuth.Fuzz -c Release -nologo -v quiet
echo "fuzz: seed $seed, budget $seconds s${replay:+, replaying case $replay${phase:+ ($phase)}}"
export FUZZ_SEED="$seed" FUZZ_SECONDS="$seconds" FUZZ_CASE="$replay" FUZZ_PHASE="$phase"
filter="FullyQualifiedName~ActorAuth.Fuzz"
if [ -n "$replay" ]; then filter="FullyQualifiedName~NetworkFuzzTests"; fi
# Bounded: the budget, plus room for the build-free start, the realm, and the last batch to settle.
status=0
timeout --kill-after=30 $(( seconds + 300 )) \
  dotnet test tests/ActorAuth.Fuzz -c Release --no-build -nologo --filter "$filter" \
    --logger "console;verbosity=detailed" || status=$?
echo "fuzz: seed $seed, exit $status (replay a failing network case: scripts/fuzz.sh --seed $seed --case I --phase P)"
exit "$status"
