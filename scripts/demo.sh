#!/usr/bin/env bash
# Runs the ActorAuth demo on a fresh Debian 12 machine with the .NET 10 SDK: installs the Kerberos
# packages if missing, builds, brings the dev realm up and authenticates alice to an in-process server.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
dotnet build src/ActorAuth.Cli -c Release -nologo -v quiet
dotnet run --project src/ActorAuth.Cli -c Release --no-build -- demo "$@"
