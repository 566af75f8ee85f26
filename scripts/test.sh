#!/usr/bin/env bash
# Runs every test on a fresh Debian 12 machine with the .NET 10 SDK: installs what is missing, builds
# (warnings are errors), runs all test projects. The integration tests start their own throwaway KDC.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
dotnet build ActorAuth.sln -c Release -nologo -v quiet
start=$(date +%s)
dotnet test ActorAuth.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@"
echo "test suite took $(( $(date +%s) - start )) s"
