# shellcheck shell=bash
# Shared by the program scenarios (run_*.sh): load modes, temp dir and clean-up, private PKI,
# ports, the evidence relay, and pass/fail bookkeeping. Sourced, never run.
#
# Environment (set by programs_tests.cmake):
#   PROGRAMS_RELAY          tls_sniff_relay (required)
#   PROGRAMS_KEYLOG_CHECK   tls13_keylog_check (curl's key-log check)
#   PROGRAMS_SHIM           libsslshim.so (preload mode; empty: that mode skips)
#   PROGRAMS_STANDIN_DIR    directory holding the stand-in libssl.so.3 (standin mode)
#   PROGRAMS_LAZY           libsslshim-lazy.so (lazy mode: preloaded, loads the shim on the
#                           first libssl call)
#   PROGRAMS_KEEP=1         keep the temp dir for inspection
# Exit codes: 0 all checks passed, 1 a check failed, 77 skipped (program or shim missing).

set -euo pipefail

PROGRAMS_FAILURES=0
PROGRAMS_PIDS=()
PROGRAMS_CLEANUPS=()

say() { printf '%s\n' "$*"; }
pass() { say "ok: $*"; }
fail() {
  say "FAIL: $*"
  PROGRAMS_FAILURES=$((PROGRAMS_FAILURES + 1))
}
skip() {
  say "SKIP: $*"
  exit 77
}

# Everything the test itself runs (servers, relay, openssl) gets no trace of the shim.
NATIVE=(env -u LD_PRELOAD -u LD_LIBRARY_PATH -u SSLSHIM_BACKEND -u SSLKEYLOGFILE)

# programs_init NAME MODE: sets WORK, SHIMMED (the prefix that runs the program under test in
# MODE) and EXPECT_STACK (the TLS library the peer must see).
programs_init() {
  local name=$1
  MODE=${2:-}
  case "$MODE" in
    native)
      SHIMMED=("${NATIVE[@]}")
      EXPECT_STACK=OpenSSL
      ;;
    preload)
      [ -n "${PROGRAMS_SHIM:-}" ] && [ -f "$PROGRAMS_SHIM" ] || skip "libsslshim.so is not built"
      SHIMMED=("${NATIVE[@]}" LD_PRELOAD="$PROGRAMS_SHIM" SSLSHIM_BACKEND=boringssl)
      EXPECT_STACK=BoringSSL
      ;;
    lazy)
      [ -n "${PROGRAMS_LAZY:-}" ] && [ -f "$PROGRAMS_LAZY" ] || skip "libsslshim-lazy.so is not built"
      SHIMMED=("${NATIVE[@]}" LD_PRELOAD="$PROGRAMS_LAZY" SSLSHIM_BACKEND=boringssl)
      EXPECT_STACK=BoringSSL
      ;;
    standin)
      [ -n "${PROGRAMS_STANDIN_DIR:-}" ] && [ -f "$PROGRAMS_STANDIN_DIR/libssl.so.3" ] ||
        skip "the stand-in libssl.so.3 is not built"
      SHIMMED=("${NATIVE[@]}" LD_LIBRARY_PATH="$PROGRAMS_STANDIN_DIR" SSLSHIM_BACKEND=boringssl)
      EXPECT_STACK=BoringSSL
      ;;
    *)
      say "usage: run_$name.sh native|preload|standin|lazy" >&2
      exit 2
      ;;
  esac
  [ -n "${PROGRAMS_RELAY:-}" ] && [ -x "$PROGRAMS_RELAY" ] || {
    say "PROGRAMS_RELAY (tls_sniff_relay) is not set or not built" >&2
    exit 1
  }
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/sslshim-programs-$name-$MODE-XXXXXX")
  chmod 755 "$WORK"
  trap programs_cleanup EXIT
  trap 'exit 130' INT TERM
  say "== $name, mode $MODE (expecting the peer to see $EXPECT_STACK); work dir $WORK"
}

# Runs the commands registered with on_cleanup, stops every background process we started (each
# in its own process group, so workers and children go too), then removes the work dir.
programs_cleanup() {
  local rc=$?
  set +e
  local i
  for ((i = ${#PROGRAMS_CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${PROGRAMS_CLEANUPS[i]}"; done
  for pid in "${PROGRAMS_PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for pid in "${PROGRAMS_PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ "${PROGRAMS_KEEP:-0}" = 1 ]; then
    say "(kept $WORK)"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}

on_cleanup() { PROGRAMS_CLEANUPS+=("$*"); }

# start_bg NAME CMD...: runs CMD in the background in a new process group, output in
# $WORK/NAME.out and $WORK/NAME.err.
start_bg() {
  local name=$1
  shift
  setsid "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
  PROGRAMS_PIDS+=($!)
}

require() {  # require COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || skip "$1 is missing (Debian package $2)"
}

# Whether something listens on the TCP port, read from /proc/net/tcp{,6} rather than by
# connecting: a server that accepts one connection (socat without fork) must not lose it to a probe.
port_in_use() {
  local hex
  hex=$(printf ':%04X ' "$1")
  awk -v p="$hex" '$2 ~ p"$" || index($2 " ", p) { if ($4 == "0A") found = 1 } END { exit !found }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# A free loopback port (nothing listens there now; the server started on it right after).
free_port() {
  # Below the kernel's ephemeral range (ip_local_port_range, 32768 and up by default), so the
  # local end of another test's outgoing connection never holds the port we are about to bind.
  local p low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$low" -gt 21000 ] 2>/dev/null || low=32768
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % (low - 20000)))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

wait_port() {  # wait_port PORT SECONDS
  local deadline=$((SECONDS + ${2:-10}))
  until port_in_use "$1"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

# start_sniff_relay RELAY WHAT LIFETIME_S NAME TARGET_PORT [relay options]: the evidence relay
# RELAY (tls_sniff_relay or dtls_sniff_relay) in front of TARGET_PORT, for at most LIFETIME_S;
# sets RELAY_PORT to the port it took (not a $(...) call: the pid must stay in PROGRAMS_PIDS).
# Its evidence goes to $WORK/NAME.evidence, one JSON line per connection. WHAT names it in errors.
start_sniff_relay() {
  local relay=$1 what=$2 lifetime=$3 name=$4 target=$5
  shift 5
  start_bg "$name" "${NATIVE[@]}" "$relay" --target "127.0.0.1:$target" \
    --port-file "$WORK/$name.port" --log "$WORK/$name.evidence" --lifetime-s "$lifetime" "$@"
  for _ in $(seq 1 50); do
    [ -s "$WORK/$name.port" ] && { RELAY_PORT=$(cat "$WORK/$name.port"); return 0; }
    sleep 0.1
  done
  say "the $what did not start: $(cat "$WORK/$name.err")" >&2
  return 1
}

# start_relay NAME TARGET_PORT [relay options]: a tls_sniff_relay in front of TARGET_PORT.
start_relay() { start_sniff_relay "$PROGRAMS_RELAY" relay 300 "$@"; }

# make_pki DIR: ca.pem (+ key), server.pem/key for localhost and 127.0.0.1, client.pem/key
# (CN=sslshim-client), and other-ca.pem, a CA nobody's certificate chains to.
make_pki() {
  local d=$1 o=("${NATIVE[@]}" openssl)
  mkdir -p "$d"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  {
    "${o[@]}" req -x509 "${ec[@]}" -keyout "$d/ca.key" -out "$d/ca.pem" -days 2 \
      -subj "/CN=sslshim programs test CA" -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign
    "${o[@]}" req -x509 "${ec[@]}" -keyout "$d/other-ca.key" -out "$d/other-ca.pem" -days 2 \
      -subj "/CN=unrelated CA" -addext basicConstraints=critical,CA:TRUE
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
      "extendedKeyUsage=serverAuth" >"$d/server.ext"
    printf '%s\n' "basicConstraints=CA:FALSE" "extendedKeyUsage=clientAuth" >"$d/client.ext"
    local who
    for who in server client; do
      "${o[@]}" req "${ec[@]}" -keyout "$d/$who.key" -out "$d/$who.csr" \
        -subj "/CN=$([ $who = server ] && echo localhost || echo sslshim-client)"
      "${o[@]}" x509 -req -in "$d/$who.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
        -CAcreateserial -out "$d/$who.pem" -days 2 -extfile "$d/$who.ext"
    done
  } >"$d/pki.log" 2>&1 || {
    cat "$d/pki.log" >&2
    return 1
  }
  chmod 644 "$d"/*
}

# The program's own error lines, without the shim's (those are listed once at the end).
errors_of() { grep -av '^sslshim: ' "$1" 2>/dev/null | head -c 300 || true; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }

# wait_for_size FILE BYTES: up to 10 s for FILE to hold BYTES (a receiver that is still writing).
wait_for_size() {
  for _ in $(seq 1 100); do
    [ "$(size_of "$1")" -ge "$2" ] && return 0
    sleep 0.1
  done
  return 1
}

# check_two_way_copy LABEL AMOUNT RC DIR CLIENT_ERR SERVER_ERR [NOTE]: a client that exited with
# RC sent DIR/c2s.bin while the server sent DIR/s2c.bin; passes if the client exited 0 and
# DIR/at-server.bin and DIR/at-client.bin are byte-exact copies. AMOUNT (e.g. "12 MiB") and NOTE
# only word the message; the program's errors come from CLIENT_ERR and SERVER_ERR.
check_two_way_copy() {
  local label=$1 amount=$2 rc=$3 d=$4 client_err=$5 server_err=$6 note=${7:+ $7}
  if [ "$rc" -eq 0 ] && [ "$(sha256_of "$d/at-server.bin")" = "$(sha256_of "$d/c2s.bin")" ] &&
    [ "$(sha256_of "$d/at-client.bin")" = "$(sha256_of "$d/s2c.bin")" ]; then
    pass "$label: $amount each way, both SHA-256 match$note"
  else
    fail "$label: client exit $rc; received $(size_of "$d/at-server.bin") bytes at the server," \
      "$(size_of "$d/at-client.bin") at the client; client: $(errors_of "$client_err");" \
      "server: $(errors_of "$server_err")"
  fi
}

# make_payload FILE MiB: random bytes (a fresh payload per run, compared by SHA-256).
make_payload() { head -c "$(($2 * 1024 * 1024))" /dev/urandom >"$1"; }

# start_http_files: a native plain-HTTP server (python3's http.server) for $WORK/www, holding
# payload.bin (1 MiB of fresh random bytes); sets HTTP_PORT. For programs that proxy to a backend.
start_http_files() {
  mkdir -p "$WORK/www"
  make_payload "$WORK/www/payload.bin" 1
  HTTP_PORT=$(free_port)
  start_bg http "${NATIVE[@]}" python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 \
    --directory "$WORK/www"
  wait_port "$HTTP_PORT" 10 || fail "the HTTP server did not listen: $(cat "$WORK/http.err")"
}

# check_evidence LOG SIDE MIN: every connection the relay logged had its SIDE ("client" or
# "server") built by EXPECT_STACK, and there were at least MIN connections.
check_evidence() {
  local log=$1 side=$2 min=$3 total matching
  total=$(grep -c . "$log" 2>/dev/null || true)
  matching=$(grep -c "\"${side}_stack\":\"$EXPECT_STACK\"" "$log" 2>/dev/null || true)
  if [ "$total" -lt "$min" ]; then
    fail "evidence: the relay saw $total connection(s), expected at least $min"
  elif [ "$matching" -ne "$total" ]; then
    fail "evidence: $((total - matching)) of $total connection(s) not built by $EXPECT_STACK:"
    grep -v "\"${side}_stack\":\"$EXPECT_STACK\"" "$log" |
      grep -o "\"${side}_reason\":\"[^\"]*\"" | sort | uniq -c | head -5
  else
    pass "evidence: all $total connection(s) through the relay had the $side built by" \
      "$EXPECT_STACK ($(head -1 "$log" | grep -o "\"${side}_reason\":\"[^\"]*\"" | cut -d'"' -f4))"
  fi
}

# json_field LINE KEY: a scalar or array field of one relay line, as text.
json_field() {
  printf '%s' "$1" | grep -o "\"$2\":\(\"[^\"]*\"\|\[[^]]*\]\|[^,}]*\)" | head -1 | cut -d: -f2- |
    sed 's/^"//; s/"$//'
}

# What the shim said on the program's stderr (refused functions name themselves).
shim_messages() { cat "$@" 2>/dev/null | grep -a 'sslshim' | sort | uniq -c | sort -rn | head -20; }

# programs_finish [STDERR FILES...]: the verdict, with the shim's messages when something failed.
programs_finish() {
  if [ "$PROGRAMS_FAILURES" -ne 0 ]; then
    if [ "$MODE" != native ] && [ $# -gt 0 ]; then
      say "-- what sslshim reported on the program's stderr:"
      shim_messages "$@" || true
    fi
    say "== $PROGRAMS_FAILURES check(s) failed"
    exit 1
  fi
  say "== all checks passed"
  exit 0
}
