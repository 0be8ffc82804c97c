#!/usr/bin/env bash
# lighttpd as the HTTPS server, through the shim or natively: lighttpd itself links no TLS
# library, it loads mod_openssl.so (which links libssl.so.3) for ssl.engine; ssl.pemfile and
# ssl.privkey name the test certificate and key. Native curl (--cacert) fetches a 1 MiB static
# file twice on one kept-alive connection, on TLS 1.2 and on TLS 1.3: every copy byte-exact, the
# second transfer on the first's connection (curl's own count of new connections, the relay's
# count of connections, lighttpd's access log). tls_sniff_relay proves who built each ServerHello.
# usage: run_lighttpd.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init lighttpd "${1:-}"
require lighttpd lighttpd
[ -f /usr/lib/lighttpd/mod_openssl.so ] || skip "mod_openssl is missing (Debian package lighttpd-mod-openssl)"
require curl curl

make_pki "$WORK/pki"
d=$WORK/lighttpd
mkdir -p "$d/www"
make_payload "$d/www/file.bin" 1
expected=$(sha256_of "$d/www/file.bin")
port=$(free_port)
cat >"$d/lighttpd.conf" <<CONF
server.modules = ("mod_openssl", "mod_accesslog")
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$d/www"
server.errorlog = "$d/error.log"
accesslog.filename = "$d/access.log"
server.max-keep-alive-requests = 100
mimetype.assign = ("" => "application/octet-stream")
ssl.engine = "enable"
ssl.pemfile = "$WORK/pki/server.pem"
ssl.privkey = "$WORK/pki/server.key"
CONF

start_bg lighttpd timeout 90 "${SHIMMED[@]}" lighttpd -D -f "$d/lighttpd.conf"
lighttpd_pid=${PROGRAMS_PIDS[-1]}
if ! wait_port "$port" 10; then
  fail "lighttpd did not start listening: $(errors_of "$WORK/lighttpd.err") $(tail -3 "$d/error.log" 2>/dev/null)"
  programs_finish "$WORK/lighttpd.err" "$d/error.log"
fi

# fetch TLS_OPTION VERSION: two GETs of file.bin on one connection through a fresh relay.
fetch() {
  local option=$1 tls=$2 c=$WORK/curl-$2
  mkdir -p "$c"
  start_relay "relay-$tls" "$port"
  local rc=0
  timeout 60 "${NATIVE[@]}" curl -sS --http1.1 --cacert "$WORK/pki/ca.pem" $option \
    -w '%{http_code} %{num_connects}\n' \
    "https://localhost:$RELAY_PORT/file.bin" -o "$c/first.bin" \
    "https://localhost:$RELAY_PORT/file.bin" -o "$c/second.bin" \
    >"$c/curl.out" 2>"$c/curl.err" || rc=$?
  local status
  status=$(tr '\n' ';' <"$c/curl.out")
  if [ $rc -eq 0 ] && [ "$(sha256_of "$c/first.bin")" = "$expected" ] &&
    [ "$(sha256_of "$c/second.bin")" = "$expected" ]; then
    pass "TLS $tls: both 1 MiB responses byte-exact"
  else
    fail "TLS $tls: curl exit $rc ($status), got $(size_of "$c/first.bin") and $(size_of "$c/second.bin") bytes: $(errors_of "$c/curl.err")"
  fi
  # curl prints each transfer's status and the connections it opened for it: 1, then 0 (reused).
  [ "$status" = "200 1;200 0;" ] && pass "TLS $tls: the second request went on the first's connection (curl: $status)" ||
    fail "TLS $tls: curl's status and new connections per transfer: '$status', expected '200 1;200 0;'"
  sleep 0.2
  local log=$WORK/relay-$tls.evidence
  local n versions
  n=$(grep -c . "$log" 2>/dev/null || true)
  versions=$(grep -o '"version":"[^"]*"' "$log" 2>/dev/null | sort -u | tr '\n' ' ')
  [ "$n" -eq 1 ] && [ "$versions" = "\"version\":\"$tls\" " ] &&
    pass "TLS $tls: the relay saw one connection, on TLS $tls" ||
    fail "TLS $tls: the relay saw $n connection(s), versions $versions; expected one on TLS $tls"
  check_evidence "$log" server 1
}

fetch "--tlsv1.2 --tls-max 1.2" 1.2
fetch "--tlsv1.3" 1.3

# lighttpd writes its access log out when it stops.
kill -TERM -- "-$lighttpd_pid" 2>/dev/null
for _ in $(seq 1 50); do kill -0 "$lighttpd_pid" 2>/dev/null || break; sleep 0.1; done
served=$(grep -c '"GET /file.bin HTTP/1.1" 200 1048576' "$d/access.log" 2>/dev/null || true)
[ "$served" -eq 4 ] && pass "lighttpd logged 4 requests answered 200 with 1048576 bytes" ||
  fail "lighttpd logged $served requests answered 200 with the whole file, expected 4: $(head -c 300 "$d/access.log" 2>/dev/null)"
programs_finish "$WORK/lighttpd.err" "$d/error.log"
