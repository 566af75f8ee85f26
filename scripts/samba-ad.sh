#!/usr/bin/env bash
# A throwaway Samba AD domain controller on 127.0.0.1 for the directory tests (LdapDirectoryBackend).
#
#   samba-ad.sh up DIR     provision (first time) and start the DC; idempotent; prints the export lines
#   samba-ad.sh env DIR    prints the export lines again: eval "$(scripts/samba-ad.sh env DIR)"
#   samba-ad.sh down DIR   stops the DC by its pid file; the files stay for the next `up`
#   samba-ad.sh install    installs the Debian packages only (scripts/test.sh calls it before the tests)
#
# Everything lives under DIR: the provisioned domain, its own smb.conf (Debian's /etc/samba/smb.conf never
# leaks in: every samba command gets -s), a krb5.conf for the Samba realm, the service keytab, the account
# passwords and the logs. The DC listens on the fixed ports 88 (Kerberos) and 389 (LDAP), so there is one DC
# per machine; the tests that use it run in one serial collection.
#
# The domain: realm SAMBA.ACTORAUTH.TEST (NetBIOS ACTORAUTHAD), DC dc1, Administrator's password in
# DIR/admin.password; service accounts svc-actorauth and svc-other (passwords in DIR/<name>.password) that may
# write their own servicePrincipalName and create/update/delete serviceConnectionPoint objects under
# CN=Computers; svc-actorauth's keys (AES only) in DIR/service.keytab.
set -euo pipefail

realm=SAMBA.ACTORAUTH.TEST
domain=ACTORAUTHAD
base_dn=DC=samba,DC=actorauth,DC=test
accounts=(svc-actorauth svc-other)
# The class GUID of serviceConnectionPoint and the attribute GUID of servicePrincipalName (MS-ADSC / MS-ADA3).
scp_class=28630ec1-41d5-11d1-a9c1-0000f80367c1
spn_attribute=f3a64788-5306-11d1-a9c5-0000f80367c1

usage() {
    echo "usage: $0 up|down|env DIR, or $0 install" >&2
    exit 2
}

(($# == 2)) || [[ $# == 1 && $1 == install ]] || usage
command=$1
dir=$(realpath -m "${2:-.}")
conf=$dir/etc/smb.conf
pid_file=$dir/samba.pid

log() { echo "samba-ad: $*" >&2; }

install_packages() {
    local packages=(samba samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind krb5-user ldap-utils) missing=() package
    for package in "${packages[@]}"; do
        # dpkg -s also lists removed-but-not-purged packages, so check the status line, not just the exit code.
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
            missing+=("$package")
        fi
    done
    ((${#missing[@]} == 0)) && return
    if [[ $(id -u) -ne 0 ]]; then
        log "missing ${missing[*]}; run as root (apt-get) or install them"
        exit 1
    fi

    log "installing ${missing[*]}"
    # krb5-config asks for a realm; the answers only shape /etc/krb5.conf, which the tests never read (KRB5_CONFIG).
    debconf-set-selections <<'SELECTIONS'
krb5-config krb5-config/default_realm string SAMBA.ACTORAUTH.TEST
krb5-config krb5-config/kerberos_servers string 127.0.0.1
krb5-config krb5-config/admin_server string 127.0.0.1
krb5-config krb5-config/add_servers boolean false
krb5-config krb5-config/read_conf boolean true
SELECTIONS
    # Keep the packages from starting the system-wide smbd/nmbd/winbind/samba-ad-dc (they would take port 88/389
    # or fail without an init system): a policy-rc.d that exits 101 forbids it, removed afterwards if it is ours.
    local policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null >/dev/null
}

running() {
    [[ -f $pid_file ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

password_of() { cat "$dir/$1.password"; }

# 24 random letters and digits plus a fixed tail, so Samba's complexity rule (three character classes) always holds.
new_password() { echo "$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24)a1A!"; }

ldap_admin() {
    local tool=$1
    shift
    "$tool" -x -H ldap://127.0.0.1 -D "Administrator@$realm" -y "$dir/admin.ldappw" "$@"
}

provision() {
    log "provisioning $realm in $dir"
    rm -rf "$dir"
    mkdir -p "$dir"/{etc,log,state,cache,lock,private,pid}
    # The smb.conf given with -s; provisioning writes the real one (etc/smb.conf) from it and the --option values.
    : >"$dir/base.conf"
    new_password >"$dir/admin.password"
    chmod 600 "$dir/admin.password"
    printf '%s' "$(cat "$dir/admin.password")" >"$dir/admin.ldappw"
    chmod 600 "$dir/admin.ldappw"
    samba-tool domain provision -s "$dir/base.conf" --targetdir="$dir" \
        --realm="$realm" --domain="$domain" --server-role=dc --dns-backend=NONE \
        --host-name=dc1 --host-ip=127.0.0.1 --use-rfc2307 --adminpass="$(cat "$dir/admin.password")" \
        --option="interfaces = lo" --option="bind interfaces only = yes" \
        --option="server services = ldap cldap kdc" \
        --option="log file = $dir/log/samba.log" --option="pid directory = $dir/pid" \
        --option="ntp signd socket directory = $dir/ntp_signd" \
        --option="winbindd socket directory = $dir/winbindd" \
        >"$dir/log/provision.log" 2>&1 || {
        tail -20 "$dir/log/provision.log" >&2
        exit 1
    }
    # Provisioning leaves this out, and without it simple binds on plain LDAP (what the tests use) are refused.
    sed -i 's/^\[global\]$/[global]\n\tldap server require strong auth = no/' "$conf"
    samba-tool domain passwordsettings set -s "$conf" --max-pwd-age=0 >/dev/null
    local account
    for account in "${accounts[@]}"; do
        new_password >"$dir/$account.password"
        chmod 600 "$dir/$account.password"
        samba-tool user create "$account" "$(password_of "$account")" -s "$conf" >/dev/null
    done
    touch "$dir/accounts-created"
}

write_krb5_conf() {
    cat >"$dir/krb5.conf" <<EOF
[libdefaults]
    default_realm = $realm
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false

[realms]
    $realm = {
        kdc = 127.0.0.1:88
    }

[domain_realm]
    .samba.actorauth.test = $realm
    localhost = $realm
EOF
}

start() {
    if ss -ltn '( sport = :88 or sport = :389 )' | grep -q LISTEN; then
        log "port 88 or 389 is already taken:"
        ss -ltnp '( sport = :88 or sport = :389 )' >&2
        exit 1
    fi

    # samba exits at start-up unless its ntp_signd directory is 0750.
    mkdir -p "$dir/ntp_signd"
    chmod 0750 "$dir/ntp_signd"
    # -i: stay in the foreground (setsid detaches it from this shell); -M single: one process, quick to start.
    setsid samba -i -M single -s "$conf" </dev/null >"$dir/log/samba.out" 2>&1 &
    echo $! >"$pid_file"
    local deadline=$((SECONDS + 30))
    # An authenticated bind, not just the rootDSE: the rootDSE answers before binds are served.
    until ldap_admin ldapsearch -b "$base_dn" -s base dn >/dev/null 2>&1; do
        if ! running; then
            log "samba exited at start-up:"
            tail -20 "$dir/log/samba.out" >&2
            rm -f "$pid_file"
            exit 1
        fi
        if ((SECONDS > deadline)); then
            log "samba did not answer LDAP within 30 s"
            tail -20 "$dir/log/samba.out" >&2
            exit 1
        fi
        sleep 0.2
    done
}

# Needs the running DC: the changes go over LDAP as Administrator (no ldb tools in Debian's samba packages).
configure_accounts() {
    local account sid
    for account in "${accounts[@]}"; do
        # Without 24 (AES128+AES256) the exported keytab is RC4-only, which MIT krb5 1.20 refuses by default.
        ldap_admin ldapmodify >/dev/null <<EOF
dn: CN=$account,CN=Users,$base_dn
changetype: modify
replace: msDS-SupportedEncryptionTypes
msDS-SupportedEncryptionTypes: 24
EOF
        sid=$(samba-tool user show "$account" -s "$conf" --attributes=objectSid | awk '/^objectSid:/ {print $2}')
        # Write its own servicePrincipalName (a plain account may not, by default).
        samba-tool dsacl set -s "$conf" -H "$dir/private/sam.ldb" --objectdn="CN=$account,CN=Users,$base_dn" \
            --sddl="(OA;;RPWP;$spn_attribute;;$sid)" >/dev/null
        # Create and delete SCPs under CN=Computers, and read/write/delete the SCPs there (inherited to SCP objects only).
        samba-tool dsacl set -s "$conf" -H "$dir/private/sam.ldb" --objectdn="CN=Computers,$base_dn" \
            --sddl="(OA;CI;CCDC;$scp_class;;$sid)(OA;CIIO;RPWPLCLOSDDTRC;;$scp_class;$sid)" >/dev/null
    done
    rm -f "$dir/service.keytab"
    samba-tool domain exportkeytab "$dir/service.keytab" -s "$conf" --principal="svc-actorauth@$realm" >/dev/null
    touch "$dir/configured"
}

print_env() {
    cat <<EOF
export KRB5_CONFIG='$dir/krb5.conf'
export KRB5_KTNAME='FILE:$dir/service.keytab'
export KRB5CCNAME='FILE:$dir/ccache'
export ACTORAUTH_SAMBA_DIR='$dir'
export ACTORAUTH_SAMBA_REALM='$realm'
export ACTORAUTH_SAMBA_BASE_DN='$base_dn'
export ACTORAUTH_SAMBA_LDAP='ldap://127.0.0.1:389'
EOF
}

case $command in
install)
    install_packages
    ;;
up)
    install_packages
    started=$SECONDS
    # sam.ldb, not smb.conf, marks a finished provisioning: a failed one has already written smb.conf.
    [[ -f $dir/private/sam.ldb && -f $dir/accounts-created ]] || provision
    write_krb5_conf
    if running; then
        log "already running (pid $(cat "$pid_file"))"
    else
        start
        [[ -f $dir/configured ]] || configure_accounts
        log "up in $((SECONDS - started)) s (pid $(cat "$pid_file"))"
    fi
    print_env
    ;;
env)
    [[ -f $conf ]] || {
        log "no DC in $dir; run: $0 up $dir"
        exit 1
    }
    print_env
    ;;
down)
    if running; then
        pid=$(cat "$pid_file")
        kill -TERM "$pid"
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
    rm -f "$pid_file"
    ;;
*) usage ;;
esac
