#!/usr/bin/env bash
# Installs what ActorAuth needs beyond the .NET SDK: MIT Kerberos (KDC, kadmin.local, kinit/klist/kvno
# for the dev realm; libgssapi-krb5-2 for System.Net.Security.NegotiateAuthentication) and checks that
# `dotnet` is version 10 or newer. Idempotent: apt only runs when a package is missing. Never prompts,
# so it is safe under CI (CI=true, no stdin).
set -euo pipefail

# faketime: the tests run a client whose clock is off, to see the server's clock-skew KRB-ERROR reach it.
# apache2 + libapache2-mod-auth-gssapi: the HTTP Negotiate anchor (tests/ActorAuth.Testing/ApacheHttpd.cs, scripts/bench-http.sh);
# curl and chromium + chromium-driver: HTTP Negotiate clients to check the server against.
# haproxy: the TCP load balancer (send-proxy-v2) in front of ActorAuth nodes in the PROXY protocol and cluster tests (tests/ActorAuth.Testing/HaProxy.cs).
packages=(krb5-kdc krb5-admin-server krb5-user libgssapi-krb5-2 krb5-gss-samples faketime apache2 libapache2-mod-auth-gssapi curl chromium chromium-driver haproxy)

missing=()
for package in "${packages[@]}"; do
    # dpkg -s also lists removed-but-not-purged packages, so check the status line, not just the exit code.
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        # -n: fail at once instead of waiting for a password nobody can type in CI.
        as_root=(sudo -n)
    else
        echo "install-deps: missing ${missing[*]}; run this script as root or install sudo" >&2
        exit 1
    fi

    # The packages ask for a default realm and admin servers; answer up front so nothing ever prompts.
    # The answers only shape /etc/krb5.conf, which the dev realm ignores (it sets KRB5_CONFIG to its own file).
    "${as_root[@]}" debconf-set-selections <<'SELECTIONS'
krb5-config krb5-config/default_realm string ACTORAUTH.TEST
krb5-config krb5-config/kerberos_servers string 127.0.0.1
krb5-config krb5-config/admin_server string 127.0.0.1
krb5-config krb5-config/add_servers boolean false
krb5-config krb5-config/add_servers_realm string ACTORAUTH.TEST
krb5-config krb5-config/read_conf boolean true
krb5-kdc krb5-kdc/debconf boolean false
krb5-admin-server krb5-admin-server/newrealm note
SELECTIONS

    # Keep the packages from starting system-wide krb5kdc/kadmind: the dev realm runs its own KDC, and on a
    # container without an init system a failing service start could abort the install. A policy-rc.d that
    # exits 101 ("action forbidden") is the Debian way to say so; only add one if none exists, and remove it after.
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
        "${as_root[@]}" chmod 755 "$policy"
        trap '"${as_root[@]}" rm -f "$policy"' EXIT
    fi

    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "install-deps: dotnet not found; install the .NET 10 SDK (https://dot.net) and put dotnet on PATH" >&2
    exit 1
fi
dotnet_version=$(dotnet --version)
if ((${dotnet_version%%.*} < 10)); then
    echo "install-deps: dotnet $dotnet_version is too old; ActorAuth needs the .NET 10 SDK or newer" >&2
    exit 1
fi

if ((${#missing[@]} > 0)); then
    echo "install-deps: installed ${missing[*]}; dotnet $dotnet_version"
else
    echo "install-deps: all present (${packages[*]}); dotnet $dotnet_version"
fi
