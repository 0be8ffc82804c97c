#!/usr/bin/env bash
# TLS 1.3 early data: early_data_app runs a server and a client in one process over a
# socketpair and checks OpenSSL 3's semantics (SSL_read_early_data's SUCCESS/FINISH boundary with
# 1-RTT data in the same burst, half-RTT writes, REJECTED for a server limit of 0, a ticket from
# another context and a server that never reads early data, shutdown during early data,
# SSL_sendfile without kernel TLS, a replayed ticket refused unless SSL_OP_NO_ANTI_REPLAY). Then the same program as two processes, shim server with a
# native client and native server with a shim client. Natively, preload (both backends), standin.
# Evidence of which library served the TLS: the ticket's max_early_data is the server's setting
# (16384) with OpenSSL and BoringSSL's fixed 14336 when BoringSSL issued it.
# usage: run_early_data_app.sh native|preload|standin
source "$(dirname "$0")/lib/common.sh"
programs_init early_data_app "${1:-}"
app=${PROGRAMS_EARLY_DATA_APP:-}
[ -n "$app" ] && [ -x "$app" ] || { say "PROGRAMS_EARLY_DATA_APP is not built" >&2; exit 1; }

# run_app LABEL EXPECTED_TICKET_MAX PREFIX...
run_app() {
  local label=$1 expected_max=$2
  shift 2
  local out="$WORK/$label.out"
  if timeout 30 "$@" "$app" >"$out" 2>&1; then
    pass "$label: every early-data check holds"
  else
    fail "$label: early_data_app failed"
    sed 's/^/    /' "$out"
  fi
  local max
  max=$(sed -n 's/^session_max_early_data=//p' "$out")
  if [ "$max" = "$expected_max" ]; then
    pass "$label: ticket max_early_data $max (the expected library issued it)"
  else
    fail "$label: ticket max_early_data '$max', expected $expected_max"
  fi
  # OpenSSL's anti-replay (docs/design-notes.md, "Early data", Replay): a ticket's second use is
  # a full handshake without early data; with SSL_OP_NO_ANTI_REPLAY its early data is accepted.
  local replayed resumed unguarded
  replayed=$(sed -n 's/^replayed_early_data_accepted=//p' "$out")
  resumed=$(sed -n 's/^replayed_ticket_resumed=//p' "$out")
  unguarded=$(sed -n 's/^no_anti_replay_replayed_early_data_accepted=//p' "$out")
  if [ "$replayed" = 0 ] && [ "$resumed" = 0 ] && [ "$unguarded" = 1 ]; then
    pass "$label: a replayed ticket gets a full handshake; with SSL_OP_NO_ANTI_REPLAY it is accepted"
  else
    fail "$label: replay: early data accepted '$replayed', resumed '$resumed' (expected 0, 0);" \
      "with SSL_OP_NO_ANTI_REPLAY accepted '$unguarded' (expected 1)"
  fi
  if grep -qx 'ktls_send=0' "$out"; then
    pass "$label: BIO_get_ktls_send on the write BIO is 0 (nginx keeps off SSL_sendfile)"
  else
    fail "$label: BIO_get_ktls_send: $(grep ktls_send "$out" || echo missing)"
  fi
}

# run_pair LABEL EXPECTED_TICKET_MAX SIDE STACK SERVER_PREFIX -- CLIENT_PREFIX: the server and
# the client in two processes (one under the shim, one native), blocking sockets on loopback,
# through tls_sniff_relay, which must see SIDE ("client"/"server") built by STACK on both
# connections; the client sends early data and, without waiting, 1-RTT data; the server answers
# what it read as which.
run_pair() {
  local label=$1 expected_max=$2 side=$3 stack=$4
  shift 4
  local server=() client=()
  while [ "$1" != -- ]; do server+=("$1"); shift; done
  shift
  client=("$@")
  local port_file="$WORK/$label.port"
  start_bg "$label-server" timeout 30 "${server[@]}" "$app" server "$port_file"
  for _ in $(seq 1 100); do [ -s "$port_file" ] && break; sleep 0.1; done
  if [ ! -s "$port_file" ]; then
    fail "$label: the server did not start: $(cat "$WORK/$label-server.out" "$WORK/$label-server.err")"
    return
  fi
  start_relay "$label-relay" "$(cat "$port_file")"
  local out="$WORK/$label-client.out"
  if timeout 30 "${client[@]}" "$app" client "$RELAY_PORT" >"$out" 2>&1 &&
    grep -qx 'server answered early=EARLY;late=LATE;status=2' "$out"; then
    pass "$label: early data accepted, the server read it up to FINISH and the 1-RTT data after"
  else
    fail "$label: $(cat "$out" "$WORK/$label-server.out" | grep -v '^session' | head -8)"
  fi
  local max
  max=$(sed -n 's/^session_max_early_data=//p' "$out")
  [ "$max" = "$expected_max" ] && pass "$label: ticket max_early_data $max" ||
    fail "$label: ticket max_early_data '$max', expected $expected_max"
  sleep 0.2
  local seen
  seen=$(grep -c "\"${side}_stack\":\"$stack\"" "$WORK/$label-relay.evidence" 2>/dev/null || true)
  [ "$seen" -eq 2 ] && pass "$label: the relay saw the $side built by $stack on both connections" ||
    fail "$label: the relay saw the $side built by $stack on $seen of 2 connections"
}

case "$MODE" in
  native)
    run_app native 16384 "${SHIMMED[@]}"
    run_pair native-pair 16384 server OpenSSL "${NATIVE[@]}" -- "${NATIVE[@]}"
    ;;
  preload)
    run_app preload-boringssl 14336 "${SHIMMED[@]}"
    run_app preload-openssl 16384 "${NATIVE[@]}" LD_PRELOAD="$PROGRAMS_SHIM" SSLSHIM_BACKEND=openssl
    run_pair shim-server-native-client 14336 server BoringSSL "${SHIMMED[@]}" -- "${NATIVE[@]}"
    run_pair native-server-shim-client 16384 client BoringSSL "${NATIVE[@]}" -- "${SHIMMED[@]}"
    run_pair shim-openssl-server-native-client 16384 server OpenSSL \
      "${NATIVE[@]}" LD_PRELOAD="$PROGRAMS_SHIM" SSLSHIM_BACKEND=openssl -- "${NATIVE[@]}"
    ;;
  standin)
    run_app standin-boringssl 14336 "${SHIMMED[@]}"
    run_pair shim-server-native-client 14336 server BoringSSL "${SHIMMED[@]}" -- "${NATIVE[@]}"
    run_pair native-server-shim-client 16384 client BoringSSL "${NATIVE[@]}" -- "${SHIMMED[@]}"
    ;;
esac
programs_finish
