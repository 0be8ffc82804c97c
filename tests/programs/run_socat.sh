#!/usr/bin/env bash
# socat as TLS client (OPENSSL:) and as TLS server (OPENSSL-LISTEN:), through the shim or natively
#: each moves 12 MiB in both directions at once over one connection, byte-exact, with
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
  [ $rc -ne 0 ] || wait_for_size "$d/at-server.bin" $((12 << 20)) || true
  local label="socat as $role through the shim"
  [ "$MODE" = native ] && label="socat as $role (native)"
  check_two_way_copy "$label" "12 MiB" "$rc" "$d" "$WORK/socat-client-$role.err" \
    "$WORK/socat-server-$role.err"
  check_evidence "$WORK/relay-$role.evidence" "$role" 1
}

run_role client
run_role server
programs_finish "$WORK"/*.err
