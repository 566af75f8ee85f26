#!/usr/bin/env bash
# Runs every test on a fresh Debian 12 machine with the .NET 10 SDK: installs what is missing, builds
# (warnings are errors), runs all test projects. The integration tests start their own throwaway KDC;
# the directory tests provision a Samba AD domain controller on 127.0.0.1 (scripts/samba-ad.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/samba-ad.sh install
dotnet build ActorAuth.sln -c Release -nologo -v quiet
start=$(date +%s)
log=$(mktemp)
status=0
dotnet test ActorAuth.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test assemblies, from dotnet test's per-assembly summaries.
awk '/^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
        gsub(/,/, ""); failed += $4; passed += $6; skipped += $8 }
     END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
echo "test suite took $(( $(date +%s) - start )) s"
rm -f "$log"
exit "$status"
