#!/usr/bin/env bash
# The mosquitto MQTT broker with a TLS listener (cafile/certfile/keyfile, require_certificate: its
# clients present certificates) and mosquitto_pub/mosquitto_sub (--cafile, --cert/--key), through
# the shim or natively: the shimmed broker with native clients, then native broker with the shimmed
# clients, tls_sniff_relay in front of the broker as witness. Checked each time: a retained 1 MiB
# message of random bytes, published (-f, QoS 1) before anyone subscribes, then a live 64 KiB one
# published once the subscriber has the first; the subscriber (-C 2 -N) receives both, byte-exact.
# The shimmed broker refuses a client without a certificate; the shimmed subscriber given an
# unrelated CA refuses the broker with its own message.
# usage: run_mosquitto.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init mosquitto "${1:-}"
require /usr/sbin/mosquitto mosquitto
require mosquitto_pub mosquitto-clients
require mosquitto_sub mosquitto-clients

make_pki "$WORK/pki"
pki=$WORK/pki

# start_broker NAME PREFIX...: a broker whose only listener is TLS on 127.0.0.1; sets BROKER_PORT.
start_broker() {
  local name=$1
  shift
  BROKER_PORT=$(free_port)
  printf '%s\n' "per_listener_settings false" "allow_anonymous true" "persistence false" \
    "log_dest stderr" "log_type all" "listener $BROKER_PORT 127.0.0.1" "cafile $pki/ca.pem" \
    "certfile $pki/server.pem" "keyfile $pki/server.key" "require_certificate true" \
    >"$WORK/$name.conf"
  start_bg "$name" timeout 100 "$@" /usr/sbin/mosquitto -c "$WORK/$name.conf"
  wait_port "$BROKER_PORT" 10 || fail "$name did not listen: $(errors_of "$WORK/$name.err")"
}

# exchange ROLE PORT PREFIX...: the clients run with PREFIX (NATIVE or SHIMMED) against PORT.
exchange() {
  local role=$1 port=$2
  shift 2
  local d=$WORK/$role conn=(--cafile "$pki/ca.pem" --cert "$pki/client.pem" --key "$pki/client.key"
    -h localhost -p "$port" -q 1) rc=0
  mkdir -p "$d"
  make_payload "$d/retained.bin" 1
  head -c 65536 /dev/urandom >"$d/live.bin"
  cat "$d/retained.bin" "$d/live.bin" >"$d/expected.bin"
  timeout 30 "$@" mosquitto_pub "${conn[@]}" -t "sslshim/$role" -r -f "$d/retained.bin" \
    >"$WORK/pub-retained-$role.out" 2>"$WORK/pub-retained-$role.err" || rc=$?
  [ $rc -eq 0 ] || fail "$role: publishing the retained message: mosquitto_pub exit $rc:" \
    "$(errors_of "$WORK/pub-retained-$role.err")"
  start_bg "sub-$role" timeout 60 "$@" mosquitto_sub "${conn[@]}" -t "sslshim/$role" -C 2 -N \
    -W 50
  local sub_pid=${PROGRAMS_PIDS[-1]}
  # Subscribed once the retained message has arrived; then the live one.
  wait_for_size "$WORK/sub-$role.out" $((1 << 20)) ||
    fail "$role: the subscriber did not receive the retained message:" \
      "$(errors_of "$WORK/sub-$role.err")"
  rc=0
  timeout 30 "$@" mosquitto_pub "${conn[@]}" -t "sslshim/$role" -f "$d/live.bin" \
    >"$WORK/pub-live-$role.out" 2>"$WORK/pub-live-$role.err" || rc=$?
  [ $rc -eq 0 ] || fail "$role: publishing the live message: mosquitto_pub exit $rc:" \
    "$(errors_of "$WORK/pub-live-$role.err")"
  local sub_rc=0
  wait "$sub_pid" || sub_rc=$?
  local label="mosquitto $role through the shim"
  [ "$MODE" = native ] && label="mosquitto $role (native)"
  if [ $sub_rc -eq 0 ] && cmp -s "$WORK/sub-$role.out" "$d/expected.bin"; then
    pass "$label: the retained 1 MiB message and the live 64 KiB one received byte-exact"
  else
    fail "$label: mosquitto_sub exit $sub_rc, $(size_of "$WORK/sub-$role.out") bytes of" \
      "$(size_of "$d/expected.bin"): $(errors_of "$WORK/sub-$role.err")"
  fi
}

# The shimmed broker, native clients.
start_broker broker-shimmed "${SHIMMED[@]}"
start_relay relay-broker "$BROKER_PORT"
exchange broker "$RELAY_PORT" "${NATIVE[@]}"
# A client without a certificate: the broker refuses it (require_certificate).
rc=0
timeout 30 "${NATIVE[@]}" mosquitto_sub --cafile "$pki/ca.pem" -h localhost -p "$RELAY_PORT" \
  -t sslshim/broker -C 1 -W 20 >"$WORK/no-cert.out" 2>"$WORK/sub-no-cert.err" || rc=$?
refused='OpenSSL Error\[0\]: .*peer did not return a certificate'
for _ in $(seq 1 50); do  # the broker's log line may come a moment after the client's end
  grep -aq "$refused" "$WORK/broker-shimmed.err" && break
  sleep 0.1
done
if [ $rc -ne 0 ] && [ ! -s "$WORK/no-cert.out" ] && grep -aq "$refused" "$WORK/broker-shimmed.err"
then
  pass "broker: a client without a certificate refused (\"peer did not return a certificate\")"
else
  fail "broker: a client without a certificate: mosquitto_sub exit $rc," \
    "$(size_of "$WORK/no-cert.out") bytes; broker: $(grep -a 'OpenSSL Error' \
    "$WORK/broker-shimmed.err" | head -c 300)"
fi
check_evidence "$WORK/relay-broker.evidence" server 4

# The shimmed clients, a native broker.
start_broker broker-native "${NATIVE[@]}"
start_relay relay-clients "$BROKER_PORT"
exchange clients "$RELAY_PORT" "${SHIMMED[@]}"
# Given an unrelated CA, the shimmed subscriber refuses the broker with its own message.
rc=0
timeout 30 "${SHIMMED[@]}" mosquitto_sub --cafile "$pki/other-ca.pem" --cert "$pki/client.pem" \
  --key "$pki/client.key" -h localhost -p "$RELAY_PORT" -t sslshim/clients -C 1 -W 20 \
  >"$WORK/unknown-ca.out" 2>"$WORK/sub-unknown-ca.err" || rc=$?
if [ $rc -ne 0 ] && [ ! -s "$WORK/unknown-ca.out" ] &&
  grep -aq 'A TLS error occurred' "$WORK/sub-unknown-ca.err"; then
  pass "clients: an unrelated CA refused (exit $rc, \"A TLS error occurred\")"
else
  fail "clients: an unrelated CA: mosquitto_sub exit $rc, $(size_of "$WORK/unknown-ca.out")" \
    "bytes: $(errors_of "$WORK/sub-unknown-ca.err")"
fi
check_evidence "$WORK/relay-clients.evidence" client 4

programs_finish "$WORK"/*.err
