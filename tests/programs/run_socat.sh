#!/usr/bin/env bash
# socat as TLS client (OPENSSL:) and as TLS server (OPENSSL-LISTEN:), through the shim or natively
# (issue #5): each moves 12 MiB in both directions at once over one connection, byte-exact, with
# a native socat on the other end and tls_sniff_relay between them as witness.
# usage: run_socat.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init socat "${1:-}"
require socat socat

make_pki "$WORK/pki"
pki=$WORK/pki
# Each side sends its own payload and saves what arrives: socat's dual address reads the first
# file and writes the second, and ends the TLS stream's sending side when the file is sent.
endpoint() { echo "OPEN:$1,rdonly!!CREATE:$2"; }  # endpoint SEND_FILE RECEIVE_FILE
socat_opts=(-t 30 -T 30)

# run_role ROLE: ROLE=client puts the shimmed socat on the client side, server on the server side.
run_role() {
  local role=$1 d=$WORK/$1
  mkdir -p "$d"
  make_payload "$d/c2s.bin" 12
  make_payload "$d/s2c.bin" 12
  local server=("${NATIVE[@]}") client=("${NATIVE[@]}")
  [ "$role" = server ] && server=("${SHIMMED[@]}") || client=("${SHIMMED[@]}")
  local port
  port=$(free_port)
  start_bg "socat-server-$role" timeout 60 "${server[@]}" socat "${socat_opts[@]}" \
    "OPENSSL-LISTEN:$port,bind=127.0.0.1,reuseaddr,cert=$pki/server.pem,key=$pki/server.key,verify=0" \
    "$(endpoint "$d/s2c.bin" "$d/at-server.bin")"
  wait_port "$port" 10 || { fail "$role: the socat server did not listen: $(cat "$WORK/socat-server-$role.err")"; return; }
  start_relay "relay-$role" "$port"
  local rc=0
  timeout 60 "${client[@]}" socat "${socat_opts[@]}" \
    "OPENSSL:localhost:$RELAY_PORT,cafile=$pki/ca.pem,verify=1" \
    "$(endpoint "$d/c2s.bin" "$d/at-client.bin")" \
    >"$WORK/socat-client-$role.out" 2>"$WORK/socat-client-$role.err" || rc=$?
  # The server exits once both directions are done.
  for _ in $(seq 1 100); do
    [ $rc -eq 0 ] || break
    [ "$(stat -c %s "$d/at-server.bin" 2>/dev/null || echo 0)" -ge $((12 << 20)) ] && break
    sleep 0.1
  done
  local label="socat as $role through the shim"
  [ "$MODE" = native ] && label="socat as $role (native)"
  if [ $rc -eq 0 ] && [ "$(sha256_of "$d/at-server.bin")" = "$(sha256_of "$d/c2s.bin")" ] &&
    [ "$(sha256_of "$d/at-client.bin")" = "$(sha256_of "$d/s2c.bin")" ]; then
    pass "$label: 12 MiB each way, both SHA-256 match"
  else
    fail "$label: client exit $rc; received $(stat -c %s "$d/at-server.bin" 2>/dev/null || echo 0) bytes at the server, $(stat -c %s "$d/at-client.bin" 2>/dev/null || echo 0) at the client; client: $(errors_of "$WORK/socat-client-$role.err"); server: $(errors_of "$WORK/socat-server-$role.err")"
  fi
  check_evidence "$WORK/relay-$role.evidence" "$role" 1
}

run_role client
run_role server
programs_finish "$WORK"/*.err
