#!/usr/bin/env bash
# psql (libpq, whose TLS goes through a custom BIO_METHOD) as a TLS client, through the shim or
# natively: a private PostgreSQL cluster made by the test (own data dir, loopback port,
# run as an unprivileged user), sslmode=verify-full with a private CA, a query answering 1.25 MiB
# compared with the same query over the cluster's Unix socket, and verify-full against a wrong
# host name refused with libpq's own message. tls_sniff_relay passes PostgreSQL's SSLRequest
# (8 bytes) and answer ('S') through and reads the ClientHello after them.
# usage: run_psql.sh native|preload|standin
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"
programs_init psql "${1:-}"
require psql postgresql-client
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || skip "the PostgreSQL server is missing (Debian package postgresql)"

# PostgreSQL refuses to run as root: the cluster belongs to an unprivileged user.
as_db_user=()
if [ "$(id -u)" -eq 0 ]; then
  db_user=postgres
  id "$db_user" >/dev/null 2>&1 || db_user=nobody
  as_db_user=(setpriv --reuid="$db_user" --regid="$(id -g "$db_user")" --init-groups)
fi

make_pki "$WORK/pki"
pg=$WORK/pg
mkdir -p "$pg"
cp "$WORK/pki/server.pem" "$WORK/pki/server.key" "$WORK/pki/ca.pem" "$pg/"
chmod 600 "$pg/server.key"
[ ${#as_db_user[@]} -eq 0 ] || chown -R "$db_user" "$pg"
"${as_db_user[@]}" "${NATIVE[@]}" "$pgbin/initdb" -D "$pg/data" -U test --auth=trust \
  --no-sync >"$WORK/initdb.out" 2>"$WORK/initdb.err" || {
  fail "initdb failed: $(tail -3 "$WORK/initdb.err")"
  programs_finish
}
db_port=$(free_port)
cat >>"$pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $db_port
unix_socket_directories = '$pg'
ssl = on
ssl_cert_file = '$pg/server.pem'
ssl_key_file = '$pg/server.key'
ssl_ca_file = '$pg/ca.pem'
fsync = off
CONF
echo "hostssl all all 127.0.0.1/32 trust" >"$pg/data/pg_hba.conf"
echo "local all all trust" >>"$pg/data/pg_hba.conf"
start_bg postgres timeout 90 "${as_db_user[@]}" "${NATIVE[@]}" "$pgbin/postgres" -D "$pg/data"
wait_port "$db_port" 20 || {
  fail "postgres did not start: $(tail -3 "$WORK/postgres.err")"
  programs_finish
}
start_relay relay "$db_port" --client-prefix 8 --server-prefix 1

export PGGSSENCMODE=disable PGCONNECT_TIMEOUT=10
query="select string_agg(md5(g::text), '') from generate_series(1, 40000) g"
psql_tls() {  # psql_tls NAME HOST: the query over TLS in the mode under test; sets rc
  rc=0
  timeout 30 "${SHIMMED[@]}" PGGSSENCMODE=disable psql -X -At \
    "host=$2 hostaddr=127.0.0.1 port=$RELAY_PORT user=test dbname=postgres sslmode=verify-full sslrootcert=$WORK/pki/ca.pem" \
    -c "$query" -c "select ssl, version from pg_stat_ssl where pid = pg_backend_pid()" \
    >"$WORK/$1.out" 2>"$WORK/$1.err" || rc=$?
}

# The reference answer, over the Unix socket (no TLS), natively.
"${NATIVE[@]}" psql -X -At "host=$pg port=$db_port user=test dbname=postgres" -c "$query" \
  >"$WORK/reference.out" 2>"$WORK/reference.err"
size=$(stat -c %s "$WORK/reference.out")

psql_tls verified localhost
if [ $rc -eq 0 ] && [ "$(head -1 "$WORK/verified.out" | sha256sum)" = "$(sha256sum <"$WORK/reference.out")" ] &&
  [ "$size" -ge $((1 << 20)) ] && sed -n 2p "$WORK/verified.out" | grep -q '^t|TLSv1.3$'; then
  pass "verify-full: a $size-byte answer identical to the Unix-socket one; the server saw $(sed -n 2p "$WORK/verified.out")"
else
  fail "verify-full: psql exit $rc, answer $(head -1 "$WORK/verified.out" | wc -c) bytes (expected $size), pg_stat_ssl '$(sed -n 2p "$WORK/verified.out")'; $(errors_of "$WORK/verified.err")"
fi

psql_tls wronghost wronghost.test
expected='server certificate for "localhost" (and 1 other name) does not match host name "wronghost.test"'
if [ $rc -eq 2 ] && grep -qF "$expected" "$WORK/wronghost.err"; then
  pass "verify-full, wrong host name refused: $(grep -aF "$expected" "$WORK/wronghost.err")"
else
  fail "verify-full, wrong host name: expected exit 2 and '$expected', got exit $rc: $(errors_of "$WORK/wronghost.err")"
fi
sleep 0.2
check_evidence "$WORK/relay.evidence" client 2
programs_finish "$WORK"/verified.err "$WORK"/wronghost.err
