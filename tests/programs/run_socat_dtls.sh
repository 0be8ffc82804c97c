#!/usr/bin/env bash
# socat's DTLS addresses: socat as DTLS client (OPENSSL-DTLS-CLIENT:) and as DTLS server
# (OPENSSL-DTLS-SERVER:), through the shim or natively, each against a native socat. Each role
# moves 256 KiB in both directions at once over one association, byte-exact, with dtls_sniff_relay
# (a UDP relay) between the two as witness of which library built each side.
#
# UDP may drop: DTLS does not resend application data, and socat writes as fast as it reads its
# file (one SSL_write, one datagram, per 8 KiB block). On loopback a datagram is dropped only when
# the receiver's socket buffer is full, so each receiving socket gets a buffer larger than the
# whole payload (socat's rcvbuf=, the relay its own 8 MiB): nothing is dropped, and a difference
# in the received bytes is a real failure.
# usage: run_socat_dtls.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init socat_dtls "${1:-}"
require socat socat
[ -n "${PROGRAMS_DTLS_RELAY:-}" ] && [ -x "$PROGRAMS_DTLS_RELAY" ] || {
  say "PROGRAMS_DTLS_RELAY (dtls_sniff_relay) is not set or not built" >&2
  exit 1
}

make_pki "$WORK/pki"
pki=$WORK/pki
payload_kib=256
rcvbuf=rcvbuf=4194304
endpoint() { echo "OPEN:$1,rdonly!!CREATE:$2"; }  # endpoint SEND_FILE RECEIVE_FILE
socat_opts=(-t 5 -T 20)

# Whether a UDP socket is bound to the loopback or any address on the port (/proc/net/udp).
udp_port_bound() {
  local hex
  hex=$(printf ':%04X' "$1")
  awk -v p="$hex" 'NR > 1 && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
    /proc/net/udp /proc/net/udp6 2>/dev/null
}

free_udp_port() {  # below the ephemeral range, as free_port does for TCP
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 12000))
    udp_port_bound "$p" || port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

# start_dtls_relay NAME TARGET_PORT: sets RELAY_PORT and RELAY_PID; evidence in $WORK/NAME.evidence.
start_dtls_relay() {
  local rc=0
  start_sniff_relay "$PROGRAMS_DTLS_RELAY" "DTLS relay" 100 "$1" "$2" || rc=$?
  RELAY_PID=${PROGRAMS_PIDS[-1]}
  return $rc
}

# The relay logs an association when it ends: stop it, then wait for its line.
stop_dtls_relay() {
  kill -TERM "$RELAY_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$RELAY_PID" 2>/dev/null || break
    sleep 0.1
  done
}

# DTLS facts of the relay's first association, beyond check_evidence's stack verdict.
check_dtls_evidence() {
  local log=$1 line version error
  line=$(head -1 "$log" 2>/dev/null || true)
  version=$(json_field "$line" version)
  error=$(json_field "$line" error)
  if [ "$version" = DTLS1.2 ] && [ -z "$error" ]; then
    pass "evidence: DTLS 1.2 negotiated; $(json_field "$line" datagrams_to_server) datagrams" \
      "to the server (largest $(json_field "$line" largest_datagram_to_server) bytes)," \
      "$(json_field "$line" datagrams_to_client) to the client; ClientHello groups" \
      "$(json_field "$line" client_groups), cookie $(json_field "$line" cookie_len) bytes"
  else
    fail "evidence: the relay saw version '$version' (want DTLS1.2), error '$error': $line"
  fi
}

# run_role ROLE [TAG]: ROLE=client puts the shimmed socat on the client side, server on the
# server side; TAG names a further run's files.
run_role() {
  local role=$1 tag=${2:-$1}
  local d=$WORK/$tag
  mkdir -p "$d"
  head -c $((payload_kib * 1024)) /dev/urandom >"$d/c2s.bin"
  head -c $((payload_kib * 1024)) /dev/urandom >"$d/s2c.bin"
  local server=("${NATIVE[@]}") client=("${NATIVE[@]}")
  [ "$role" = server ] && server=("${SHIMMED[@]}") || client=("${SHIMMED[@]}")
  local port
  port=$(free_udp_port)
  start_bg "socat-server-$tag" timeout 60 "${server[@]}" socat "${socat_opts[@]}" \
    "OPENSSL-DTLS-SERVER:$port,bind=127.0.0.1,$rcvbuf,cert=$pki/server.pem,key=$pki/server.key,verify=0" \
    "$(endpoint "$d/s2c.bin" "$d/at-server.bin")"
  local deadline=$((SECONDS + 10))
  until udp_port_bound "$port"; do
    [ $SECONDS -lt $deadline ] || {
      fail "$role: the socat DTLS server did not bind: $(cat "$WORK/socat-server-$tag.err")"
      return
    }
    sleep 0.1
  done
  start_dtls_relay "relay-$tag" "$port"
  local rc=0 start=$SECONDS
  timeout 60 "${client[@]}" socat "${socat_opts[@]}" \
    "OPENSSL-DTLS-CLIENT:127.0.0.1:$RELAY_PORT,$rcvbuf,cafile=$pki/ca.pem,verify=1,commonname=localhost" \
    "$(endpoint "$d/c2s.bin" "$d/at-client.bin")" \
    >"$WORK/socat-client-$tag.out" 2>"$WORK/socat-client-$tag.err" || rc=$?
  # The server ends once both directions are done.
  [ $rc -ne 0 ] || wait_for_size "$d/at-server.bin" $((payload_kib * 1024)) || true
  stop_dtls_relay
  local label="socat as DTLS $role through the shim ($backend_label)"
  [ "$MODE" = native ] && label="socat as DTLS $role (native)"
  check_two_way_copy "$label" "$payload_kib KiB" "$rc" "$d" "$WORK/socat-client-$tag.err" \
    "$WORK/socat-server-$tag.err" "($((SECONDS - start)) s)"
  check_evidence "$WORK/relay-$tag.evidence" "$role" 1
  check_dtls_evidence "$WORK/relay-$tag.evidence"
}

backend_label="BoringSSL backend"
run_role client
run_role server
if [ "$MODE" = preload ]; then
  # The OpenSSL backend too: the same program, DTLS done by the real libssl behind the shim (the
  # relay then sees OpenSSL's hellos on the shimmed side).
  SHIMMED=("${NATIVE[@]}" LD_PRELOAD="$PROGRAMS_SHIM" SSLSHIM_BACKEND=openssl)
  # shellcheck disable=SC2034 # read by check_evidence (lib/common.sh)
  EXPECT_STACK=OpenSSL
  backend_label="OpenSSL backend"
  run_role client client-openssl-backend
  run_role server server-openssl-backend
fi
programs_finish "$WORK"/*.err
