# shellcheck shell=bash
# `scripts/bench.sh http`: sourced by bench.sh after its set-up (knobs, the build in $AA, the realm and its KRB5_*
# exports, alice's TGT in $KRB5CCNAME, cleanup, wait_port); not run on its own.
#
# HTTP Negotiate (RFC 4559): ActorAuth's HTTP listener (`actorauth server --http-port P --http-root DIR`) against the
# anchor a user would pick, Apache httpd + mod_auth_gssapi, serving the same documents under the same load — ONE
# client, `actorauth bench --http URL`: each request a new Negotiate context from alice's shared credential,
# HTTP_CONCURRENCY kept-alive connections, HTTP_REQUESTS requests, 401 first as curl does (HTTP_PREEMPTIVE=1 sends
# the token at once). Each server's CPU (Apache: the parent and every worker) is sampled over the run.
# One server at a time (they would compete for the cores), each warmed with HTTP_WARMUP requests.
# Apache is tuned as a deployment would be: mpm_event, two processes with threads for the whole concurrency started
# up front, KeepAlive on with no request limit, an access log to a file; each server its own replay cache file.
# The httpd.conf is the one tests/ActorAuth.Testing/ApacheHttpd.cs writes: change both together.
# Knobs: HTTP_CONCURRENCY=64 HTTP_REQUESTS=$HANDSHAKES HTTP_WARMUP=2000 HTTP_PREEMPTIVE=0 HTTP_SERVERS="apache actorauth"
# Writes $OUT/http-apache.json, $OUT/http-actorauth.json and $OUT/http-summary.json.

HTTP_CONCURRENCY=${HTTP_CONCURRENCY:-64}
HTTP_REQUESTS=${HTTP_REQUESTS:-$HANDSHAKES}
HTTP_WARMUP=${HTTP_WARMUP:-2000}
HTTP_PREEMPTIVE=${HTTP_PREEMPTIVE:-0}
HTTP_SERVERS=${HTTP_SERVERS:-"apache actorauth"}
apache_port=$((PORT + 10)); aa_http_port=$((PORT + 11))
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
cat >"$web/httpd.conf" <<EOF
ServerRoot $web
PidFile $web/httpd.pid
ErrorLog $web/error.log
LogLevel warn
Listen 127.0.0.1:$apache_port
ServerName localhost
$user_lines
$(for m in mpm_event authn_core authz_core authz_user auth_gssapi mime dir; do echo "LoadModule ${m}_module /usr/lib/apache2/modules/mod_$m.so"; done)
StartServers 2
ServerLimit 2
ThreadsPerChild $threads
ThreadLimit $threads
MaxRequestWorkers $((2 * threads))
MinSpareThreads 1
MaxSpareThreads $((2 * threads))
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 30
TypesConfig /etc/mime.types
LogFormat "%h %l %u %t \"%r\" %>s %b" common
CustomLog $web/access.log common
DocumentRoot $web/docs
DirectoryIndex index.html
<Directory $web/docs>
  Options None
  AllowOverride None
</Directory>
<Location />
  AuthType GSSAPI
  AuthName "ActorAuth"
  GssapiCredStore keytab:$web/http.keytab
  Require valid-user
</Location>
EOF

http_pid=""
stop_http() { [ -z "$http_pid" ] || { kill -TERM "$http_pid" 2>/dev/null || true; wait "$http_pid" 2>/dev/null || true; http_pid=""; }; }
trap 'stop_http; cleanup; rm -rf "$web"' EXIT
bench_http() { # bench_http LABEL PORT: warm-up, then the measured run into $OUT/http-LABEL.json
  local label=$1 url="http://localhost:$2/index.html" pre=()
  [ "$HTTP_PREEMPTIVE" = 1 ] && pre=(--preemptive)
  "$AA" bench --http "$url" "${pre[@]}" --ccache -c 16 -n "$HTTP_WARMUP" --allow-errors >/dev/null
  echo; echo "=== $label: $HTTP_CONCURRENCY concurrent, $HTTP_REQUESTS authenticated GETs of $url ==="
  "$AA" bench --http "$url" "${pre[@]}" --ccache --server-pid "$http_pid" --allow-errors \
    -c "$HTTP_CONCURRENCY" -n "$HTTP_REQUESTS" --json "$OUT/http-$label.json"
}

rm -f "$OUT/http-apache.json" "$OUT/http-actorauth.json"
for server in $HTTP_SERVERS; do
  case "$server" in
    apache)
      echo; echo "### Apache $(apache2 -v | sed -n 's/^Server version: //p') + mod_auth_gssapi on :$apache_port ($((2 * threads)) workers)"
      KRB5_CONFIG="$web/krb5.conf" KRB5_KTNAME="FILE:$web/http.keytab" KRB5RCACHENAME="file2:$web/run/apache.rcache" \
        apache2 -f "$web/httpd.conf" -DFOREGROUND &
      http_pid=$!; wait_port "$apache_port"
      bench_http apache "$apache_port"
      stop_http
      echo "apache error log: $(grep -c 'error' "$web/error.log" || true) error lines ($web/error.log)" ;;
    actorauth)
      echo; echo "### ActorAuth HTTP listener on :$aa_http_port"
      KRB5RCACHENAME="file2:$web/run/actorauth.rcache" ACTORAUTH_LOG_LEVEL=${ACTORAUTH_LOG_LEVEL:-Warning} \
        "$AA" server --config config/examples/loadtest.conf --port "$PORT" --http-port "$aa_http_port" --http-root "$web/docs" \
        2>"$OUT/http-actorauth-server.log" &
      http_pid=$!; wait_port "$aa_http_port"
      bench_http actorauth "$aa_http_port"
      stop_http ;;
    *) echo "HTTP_SERVERS: unknown server '$server' (apache, actorauth)" >&2; exit 2 ;;
  esac
done

# Ratios from this one run, and the goals (ActorAuth >= 2x Apache's requests/s, <= 0.5x its CPU per request).
jq -n --arg c "$HTTP_CONCURRENCY" --arg preemptive "$HTTP_PREEMPTIVE" \
  --slurpfile apache <( [ -f "$OUT/http-apache.json" ] && cat "$OUT/http-apache.json" || echo null ) \
  --slurpfile actorauth <( [ -f "$OUT/http-actorauth.json" ] && cat "$OUT/http-actorauth.json" || echo null ) '
  def figures: if . == null then null else {requests: .handshakes, failures, requests_per_second: .handshakes_per_second,
    p50_ms: .latency_ms.p50, p99_ms: .latency_ms.p99, server_cpu_us_per_request: .server_cpu_us_per_handshake,
    client_cpu_us_per_request: .client_cpu_us_per_handshake, errors} end;
  def ratio(a; b): if a == null or b == null or b == 0 then null else (a / b * 100 | round / 100) end;
  ($apache[0] | figures) as $ap | ($actorauth[0] | figures) as $aa
  | { date: (now | strftime("%Y-%m-%dT%H:%M:%SZ")), concurrency: ($c | tonumber), preemptive: ($preemptive == "1"),
      apache: $ap, actorauth: $aa,
      ratios: { requests_per_second: ratio($aa.requests_per_second; $ap.requests_per_second),
                server_cpu_per_request: ratio($aa.server_cpu_us_per_request; $ap.server_cpu_us_per_request) } }
  | .goals = [
      {goal: "requests/s >= 2 x Apache", value: .ratios.requests_per_second,
       pass: (.ratios.requests_per_second != null and .ratios.requests_per_second >= 2)},
      {goal: "server CPU/request <= 0.5 x Apache", value: .ratios.server_cpu_per_request,
       pass: (.ratios.server_cpu_per_request != null and .ratios.server_cpu_per_request <= 0.5)} ]
  ' >"$OUT/http-summary.json"

echo; echo "=== HTTP Negotiate, $HTTP_CONCURRENCY concurrent (ActorAuth / Apache, same run) ==="
jq -r '("apache", "actorauth") as $k | .[$k] | select(. != null)
  | "\($k): \(.requests) GETs, \(.failures) failed: \(.requests_per_second)/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, server CPU \(.server_cpu_us_per_request) us/request, client CPU \(.client_cpu_us_per_request) us/request"' \
  "$OUT/http-summary.json"
jq -r '.goals[] | "\(if .pass then "PASS" else "FAIL" end)  \(.goal): \(.value)"' "$OUT/http-summary.json"
echo; echo "summary: $OUT/http-summary.json"
