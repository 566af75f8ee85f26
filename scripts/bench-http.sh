# shellcheck shell=bash
# `scripts/bench.sh http`: sourced by bench.sh after its set-up (knobs, the build in $AA, the realm and its KRB5_*
# exports, alice's TGT in $KRB5CCNAME, cleanup, wait_port); not run on its own.
#
# HTTP Negotiate (RFC 4559): ActorAuth's HTTP listener (`actorauth server --http-port P --http-root DIR`) against the
# anchor a user would pick, Apache httpd + mod_auth_gssapi, serving the same documents under the same load — ONE
# client, `actorauth bench --http URL`: each request a new Negotiate context from alice's shared credential,
# HTTP_CONCURRENCY kept-alive connections, HTTP_REQUESTS requests, 401 first as curl does (HTTP_PREEMPTIVE=1 sends
# the token at once). Each server's CPU (Apache: the parent and every worker) is sampled over the run.
# One server at a time (they would compete for the cores). The client warms itself and the server with HTTP_WARMUP
# requests in the same process before timing starts (--warmup: none of them is in any figure); 20,000 take a JIT
# server to tier 1. HTTP_PIN=1 (on 2+ cores): the server (Apache's parent and workers, or ActorAuth) on CPU 1, the
# client on CPU 0, so each server's requests/s is its capacity on one core while the client has a core of its own;
# a run whose client filled its core before the server filled its own is flagged CLIENT-BOUND, its requests/s
# ratio not the servers'. The client runs with HTTP_CLIENT_ENV (tiering without the instrumented PGO tier and
# without the call-counting delay, so it reaches tier 1 within the warm-up even on a saturated core; no thread-pool
# spinning, which on one core only burns it): its own CPU, not the servers', is what that changes.
# Apache is tuned as a deployment would be: mpm_event, two processes with threads for the whole concurrency started
# up front, KeepAlive on with no request limit, an access log to a file; each server its own replay cache file.
# The httpd.conf is tests/ActorAuth.Testing/apache-httpd.conf, the one the HTTP tests' ApacheHttpd fixture fills in too.
# Knobs: HTTP_CONCURRENCY=64 HTTP_REQUESTS=$HANDSHAKES HTTP_WARMUP=20000 HTTP_PREEMPTIVE=0 HTTP_SERVERS="apache actorauth"
#   HTTP_PIN=1 HTTP_CLIENT_ENV="DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"
# Writes $OUT/http-apache.json, $OUT/http-actorauth.json and $OUT/http-summary.json.

HTTP_CONCURRENCY=${HTTP_CONCURRENCY:-64}
HTTP_REQUESTS=${HTTP_REQUESTS:-$HANDSHAKES}
HTTP_WARMUP=${HTTP_WARMUP:-20000}
HTTP_PIN=${HTTP_PIN:-1}
HTTP_CLIENT_ENV=${HTTP_CLIENT_ENV-"DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"}
HTTP_PREEMPTIVE=${HTTP_PREEMPTIVE:-0}
HTTP_SERVERS=${HTTP_SERVERS:-"apache actorauth"}
apache_port=$((PORT + 10)); aa_http_port=$((PORT + 11))
cores=$(nproc)
if [ "$HTTP_PIN" = 1 ] && [ "$cores" -lt 2 ]; then echo "HTTP_PIN=1 needs 2 cores, this machine has $cores: running unpinned" >&2; HTTP_PIN=0; fi
if [ "$HTTP_PIN" = 1 ]; then
  server_pin=(taskset -c 1); client_pin=(taskset -c 0); pinning="server on CPU 1, client on CPU 0"
else
  server_pin=(); client_pin=(); pinning="unpinned: server and client share $cores cores"
fi
read -r -a client_env <<<"$HTTP_CLIENT_ENV"
command -v apache2 >/dev/null && [ -f /usr/lib/apache2/modules/mod_auth_gssapi.so ] ||
  { echo "apache2 or mod_auth_gssapi missing: apt-get install apache2 libapache2-mod-auth-gssapi (scripts/install-deps.sh)" >&2; exit 2; }

# A world-traversable directory: Apache's workers run as www-data, and the realm directory is 0700.
web=$(mktemp -d /tmp/actorauth-bench-http.XXXXXX); chmod 755 "$web"
mkdir -p "$web/docs" "$web/run"
head -c 1024 /dev/zero | tr '\0' 'a' | sed 's/^/<html><body>/; s/$/<\/body><\/html>/' >"$web/docs/index.html"
chmod -R a+rX "$web/docs"
cp "$REALM_DIR/service.keytab" "$web/http.keytab"; cp "$KRB5_CONFIG" "$web/krb5.conf"; chmod 644 "$web/krb5.conf"
if [ "$(id -u)" = 0 ]; then
  chown root:www-data "$web/http.keytab"; chmod 640 "$web/http.keytab"; chown www-data:www-data "$web/run"
  user_lines=$'User www-data\nGroup www-data'
else
  user_lines=""
fi
threads=$(( (HTTP_CONCURRENCY + 1) / 2 + 16 ))
# The same httpd.conf as the HTTP tests' ApacheHttpd fixture: one template, filled in here.
sed -e "s|@DIR@|$web|g" -e "s|@PORT@|$apache_port|g" -e "s|@THREADS@|$threads|g" -e "s|@WORKERS@|$((2 * threads))|g" \
    -e "s|@KEYTAB@|$web/http.keytab|g" -e "s|@USER_LINES@|${user_lines//$'\n'/\\n}|" tests/ActorAuth.Testing/apache-httpd.conf >"$web/httpd.conf"

http_pid=""
stop_http() { [ -z "$http_pid" ] || { kill -TERM "$http_pid" 2>/dev/null || true; wait "$http_pid" 2>/dev/null || true; http_pid=""; }; }
trap 'stop_http; cleanup; rm -rf "$web"' EXIT
bench_http() { # bench_http LABEL PORT: the warm-up and the measured run, in one client process, into $OUT/http-LABEL.json
  local label=$1 url="http://localhost:$2/index.html" pre=()
  [ "$HTTP_PREEMPTIVE" = 1 ] && pre=(--preemptive)
  echo; echo "=== $label: $HTTP_CONCURRENCY concurrent, $HTTP_WARMUP GETs of warm-up, then $HTTP_REQUESTS authenticated GETs of $url ($pinning) ==="
  env "${client_env[@]}" "${client_pin[@]}" "$AA" bench --http "$url" "${pre[@]}" --ccache --server-pid "$http_pid" --allow-errors \
    -c "$HTTP_CONCURRENCY" --warmup "$HTTP_WARMUP" -n "$HTTP_REQUESTS" --json "$OUT/http-$label.json"
}

rm -f "$OUT/http-apache.json" "$OUT/http-actorauth.json"
for server in $HTTP_SERVERS; do
  case "$server" in
    apache)
      echo; echo "### Apache $(apache2 -v | sed -n 's/^Server version: //p') + mod_auth_gssapi on :$apache_port ($((2 * threads)) workers)"
      KRB5_CONFIG="$web/krb5.conf" KRB5_KTNAME="FILE:$web/http.keytab" KRB5RCACHENAME="file2:$web/run/apache.rcache" \
        "${server_pin[@]}" apache2 -f "$web/httpd.conf" -DFOREGROUND &
      http_pid=$!; wait_port "$apache_port"
      bench_http apache "$apache_port"
      stop_http
      echo "apache error log: $(grep -c 'error' "$web/error.log" || true) error lines ($web/error.log)" ;;
    actorauth)
      echo; echo "### ActorAuth HTTP listener on :$aa_http_port"
      KRB5RCACHENAME="file2:$web/run/actorauth.rcache" ACTORAUTH_LOG_LEVEL=${ACTORAUTH_LOG_LEVEL:-Warning} \
        "${server_pin[@]}" "$AA" server --config config/examples/loadtest.conf --port "$PORT" --http-port "$aa_http_port" --http-root "$web/docs" \
        2>"$OUT/http-actorauth-server.log" &
      http_pid=$!; wait_port "$aa_http_port"
      bench_http actorauth "$aa_http_port"
      stop_http ;;
    *) echo "HTTP_SERVERS: unknown server '$server' (apache, actorauth)" >&2; exit 2 ;;
  esac
done

# Ratios from this one run, and the goals (ActorAuth >= 2x Apache's requests/s, <= 0.5x its CPU per request).
# Cores busy = CPU per request x requests/s. Pinned, the client has one core: a client at >= 90% of it with the server
# under 90% of its own measured the client (CLIENT-BOUND). Unpinned, a machine >= 90% busy is flagged the same way.
jq -n --arg c "$HTTP_CONCURRENCY" --arg preemptive "$HTTP_PREEMPTIVE" --arg pin "$HTTP_PIN" --arg cores "$cores" \
  --arg warmup "$HTTP_WARMUP" --arg client_env "$HTTP_CLIENT_ENV" \
  --slurpfile apache <( [ -f "$OUT/http-apache.json" ] && cat "$OUT/http-apache.json" || echo null ) \
  --slurpfile actorauth <( [ -f "$OUT/http-actorauth.json" ] && cat "$OUT/http-actorauth.json" || echo null ) '
  ($pin == "1") as $pinned | ($cores | tonumber) as $n
  | def busy(us; rate): if us == null then null else (us * rate / 1e6 * 100 | round / 100) end;
  def figures: if . == null then null else {requests: .handshakes, failures, requests_per_second: .handshakes_per_second,
    p50_ms: .latency_ms.p50, p99_ms: .latency_ms.p99, server_cpu_us_per_request: .server_cpu_us_per_handshake,
    client_cpu_us_per_request: .client_cpu_us_per_handshake, client_jit_methods, warmup, warmup_failures, errors,
    server_cores_busy: busy(.server_cpu_us_per_handshake; .handshakes_per_second),
    client_cores_busy: busy(.client_cpu_us_per_handshake; .handshakes_per_second)}
    | .client_bound = (if $pinned then .client_cores_busy >= 0.9 and (.server_cores_busy // 0) < 0.9
                       else (.client_cores_busy + (.server_cores_busy // 0)) >= 0.9 * $n end) end;
  def ratio(a; b): if a == null or b == null or b == 0 then null else (a / b * 100 | round / 100) end;
  ($apache[0] | figures) as $ap | ($actorauth[0] | figures) as $aa
  | ([$ap, $aa] | map(select(. != null) | .client_bound) | any) as $bound
  | { date: (now | strftime("%Y-%m-%dT%H:%M:%SZ")), concurrency: ($c | tonumber), preemptive: ($preemptive == "1"),
      warmup: ($warmup | tonumber), client_env: $client_env,
      pinning: (if $pinned then {pinned: true, server_cpus: "1", client_cpus: "0"} else {pinned: false, shared_cores: $n} end),
      apache: $ap, actorauth: $aa,
      ratios: { requests_per_second: ratio($aa.requests_per_second; $ap.requests_per_second),
                requests_per_second_client_bound: $bound,
                server_cpu_per_request: ratio($aa.server_cpu_us_per_request; $ap.server_cpu_us_per_request) } }
  | .goals = [
      {goal: "requests/s >= 2 x Apache", value: .ratios.requests_per_second, client_bound: $bound,
       pass: (if $bound then null else (.ratios.requests_per_second != null and .ratios.requests_per_second >= 2) end)},
      {goal: "server CPU/request <= 0.5 x Apache", value: .ratios.server_cpu_per_request,
       pass: (.ratios.server_cpu_per_request != null and .ratios.server_cpu_per_request <= 0.5)} ]
  ' >"$OUT/http-summary.json"

echo; echo "=== HTTP Negotiate, $HTTP_CONCURRENCY concurrent (ActorAuth / Apache, same run; $pinning) ==="
jq -r '("apache", "actorauth") as $k | .[$k] | select(. != null)
  | "\($k): \(.requests) GETs, \(.failures) failed: \(.requests_per_second)/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, server CPU \(.server_cpu_us_per_request) us/request, client CPU \(.client_cpu_us_per_request) us/request (\(.client_jit_methods) methods JIT-compiled); cores busy: server \(.server_cores_busy), client \(.client_cores_busy)\(if .client_bound then "  CLIENT-BOUND: this requests/s is the client'"'"'s, not the server'"'"'s capacity" else "" end)"' \
  "$OUT/http-summary.json"
jq -r '.goals[] | "\(if .pass == null and .client_bound then "n/a (CLIENT-BOUND)" elif .pass then "PASS" else "FAIL" end)  \(.goal): \(.value)"' "$OUT/http-summary.json"
echo; echo "summary: $OUT/http-summary.json"
