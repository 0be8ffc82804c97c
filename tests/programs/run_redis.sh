#!/usr/bin/env bash
# redis-server with only a TLS port (--port 0 --tls-port, --tls-cert-file/--tls-key-file, clients
# authenticated against --tls-ca-cert-file) and redis-cli --tls --cacert (with its own client
# certificate), through the shim or natively, with the other one native and tls_sniff_relay between
# them as witness. Checked, with the shimmed server and native clients, then the shimmed client and
# a native server: SET of 1 MiB of random bytes (-x, from stdin), GET of it byte-exact (--raw: the
# value and a newline), STRLEN; the shimmed client given an unrelated CA refuses the server with
# redis-cli's message, and the shimmed server refuses a client without a certificate.
# usage: run_redis.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init redis "${1:-}"
require redis-server redis-server
require redis-cli redis-tools

make_pki "$WORK/pki"
pki=$WORK/pki

# start_redis NAME PREFIX...: a redis-server with only its TLS port, on 127.0.0.1; sets REDIS_PORT.
start_redis() {
  local name=$1
  shift
  REDIS_PORT=$(free_port)
  mkdir -p "$WORK/$name.dir"
  start_bg "$name" timeout 100 "$@" redis-server --port 0 --tls-port "$REDIS_PORT" \
    --bind 127.0.0.1 --tls-cert-file "$pki/server.pem" --tls-key-file "$pki/server.key" \
    --tls-ca-cert-file "$pki/ca.pem" --tls-auth-clients yes --save '' --appendonly no \
    --dir "$WORK/$name.dir" --daemonize no
  wait_port "$REDIS_PORT" 10 || fail "$name did not listen: $(errors_of "$WORK/$name.out")"
}

# cli LABEL PORT PREFIX... -- ARGS...: redis-cli over TLS, output in $WORK/LABEL.out (stderr .err).
cli() {
  local label=$1 port=$2 prefix=()
  shift 2
  while [ "$1" != -- ]; do prefix+=("$1"); shift; done
  shift
  timeout 30 "${prefix[@]}" redis-cli --tls --cacert "$pki/ca.pem" --cert "$pki/client.pem" \
    --key "$pki/client.key" -h localhost -p "$port" "$@" >"$WORK/$label.out" 2>"$WORK/cli-$label.err"
}

# set_get ROLE PORT SETTER GETTER: SET a fresh 1 MiB value with SETTER's redis-cli and GET it back
# with GETTER's (each a prefix: NATIVE or SHIMMED).
set_get() {
  local role=$1 port=$2 rc=0
  local -n setter=$3 getter=$4
  make_payload "$WORK/value-$role.bin" 1
  cli "set-$role" "$port" "${setter[@]}" -- -x SET "value-$role" <"$WORK/value-$role.bin" || rc=$?
  if [ $rc -eq 0 ] && [ "$(cat "$WORK/set-$role.out")" = OK ]; then
    pass "$role: SET of 1 MiB answered OK"
  else
    fail "$role: SET: redis-cli exit $rc, answer $(head -c 100 "$WORK/set-$role.out"):" \
      "$(errors_of "$WORK/cli-set-$role.err")"
  fi
  rc=0
  cli "get-$role" "$port" "${getter[@]}" -- --raw GET "value-$role" || rc=$?
  # --raw prints the value and a newline.
  printf '\n' | cat "$WORK/value-$role.bin" - >"$WORK/value-$role.expected"
  if [ $rc -eq 0 ] && cmp -s "$WORK/get-$role.out" "$WORK/value-$role.expected"; then
    pass "$role: GET returned the 1 MiB value byte-exact"
  else
    fail "$role: GET: redis-cli exit $rc, $(size_of "$WORK/get-$role.out") bytes:" \
      "$(errors_of "$WORK/cli-get-$role.err")"
  fi
  rc=0
  cli "strlen-$role" "$port" "${getter[@]}" -- STRLEN "value-$role" || rc=$?
  if [ $rc -eq 0 ] && [ "$(cat "$WORK/strlen-$role.out")" = 1048576 ]; then
    pass "$role: STRLEN 1048576"
  else
    fail "$role: STRLEN: redis-cli exit $rc, answer $(head -c 100 "$WORK/strlen-$role.out")"
  fi
}

# The shimmed server, native clients.
start_redis redis-server-shimmed "${SHIMMED[@]}"
start_relay relay-server "$REDIS_PORT"
set_get server "$RELAY_PORT" NATIVE NATIVE
# A client without a certificate: the server refuses it (tls-auth-clients yes).
rc=0
timeout 30 "${NATIVE[@]}" redis-cli --tls --cacert "$pki/ca.pem" -h localhost -p "$RELAY_PORT" \
  PING >"$WORK/no-cert.out" 2>"$WORK/cli-no-cert.err" || rc=$?
refused='Error accepting a client connection: .*peer did not return a certificate'
for _ in $(seq 1 50); do  # the server's log line may come a moment after the client's end
  grep -aq "$refused" "$WORK/redis-server-shimmed.out" && break
  sleep 0.1
done
if [ $rc -ne 0 ] && ! grep -q PONG "$WORK/no-cert.out" &&
  grep -aq "$refused" "$WORK/redis-server-shimmed.out"; then
  pass "server: a client without a certificate refused (\"peer did not return a certificate\")"
else
  fail "server: a client without a certificate: redis-cli exit $rc," \
    "$(head -c 100 "$WORK/no-cert.out"); server: $(grep -a 'Error accepting' \
    "$WORK/redis-server-shimmed.out" | head -c 300)"
fi
check_evidence "$WORK/relay-server.evidence" server 4

# The shimmed client, a native server.
start_redis redis-server-native "${NATIVE[@]}"
start_relay relay-client "$REDIS_PORT"
set_get client "$RELAY_PORT" SHIMMED SHIMMED
# Given an unrelated CA, the shimmed client refuses the server with redis-cli's own message.
rc=0
timeout 30 "${SHIMMED[@]}" redis-cli --tls --cacert "$pki/other-ca.pem" --cert "$pki/client.pem" \
  --key "$pki/client.key" -h localhost -p "$RELAY_PORT" PING >"$WORK/unknown-ca.out" \
  2>"$WORK/cli-unknown-ca.err" || rc=$?
if [ $rc -ne 0 ] && ! grep -q PONG "$WORK/unknown-ca.out" &&
  grep -aq 'SSL_connect failed: certificate verify failed' "$WORK/unknown-ca.out" \
    "$WORK/cli-unknown-ca.err"; then
  pass "client: an unrelated CA refused (\"SSL_connect failed: certificate verify failed\")"
else
  fail "client: an unrelated CA: redis-cli exit $rc, $(head -c 200 "$WORK/unknown-ca.out")" \
    "$(errors_of "$WORK/cli-unknown-ca.err")"
fi
check_evidence "$WORK/relay-client.evidence" client 4

programs_finish "$WORK"/*.err "$WORK"/redis-server-*.out
