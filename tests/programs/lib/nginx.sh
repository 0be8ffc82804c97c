# shellcheck shell=bash
# write_nginx_conf DIR TLS_PORT PLAIN_PORT PKI_DIR [TLS_DIRECTIVES]: an nginx configuration in DIR
# for the program scenarios (curl's server, and the server under test in run_nginx.sh), with
# TLS_DIRECTIVES (e.g. ssl_conf_command lines) added to the TLS server. Everything nginx writes
# stays in DIR. Sourced after common.sh.
#  - TLS 1.2 and 1.3, HTTP/2 and HTTP/1.1 (ALPN), session cache and tickets, optional client
#    certificates from the test CA;
#  - /whoami answers what nginx saw of the TLS connection;
#  - /upload keeps a POST body in a file (client_body_in_file_only) and answers its path, by way
#    of the plain-HTTP server on PLAIN_PORT, so the test can compare its SHA-256 with what it sent;
#  - /close/... answers with keep-alive off, so the next transfer needs a new connection (and
#    can resume the TLS session).
write_nginx_conf() {
  local d=$1 tls_port=$2 plain_port=$3 pki=$4 tls_directives=${5:-}
  mkdir -p "$d/www" "$d/tmp"
  local user_line=""
  # nginx started by root drops its workers to nobody, who could not read the work dir.
  [ "$(id -u)" -eq 0 ] && user_line="user root root;"
  cat >"$d/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 2;
$user_line
pid $d/nginx.pid;
error_log $d/error.log info;
events { worker_connections 512; }
http {
  log_format tls '\$ssl_protocol reused=\$ssl_session_reused alpn=\$ssl_alpn_protocol '
                 'verify=\$ssl_client_verify \$server_protocol \$request_method \$uri \$status';
  access_log $d/access.log tls;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  keepalive_requests 1000;
  server {
    listen 127.0.0.1:$tls_port ssl http2;
    server_name localhost;
    ssl_certificate $pki/server.pem;
    ssl_certificate_key $pki/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:1m;
    ssl_session_tickets on;
    ssl_client_certificate $pki/ca.pem;
    ssl_verify_client optional;
    $tls_directives
    root $d/www;
    location = /whoami {
      default_type text/plain;
      return 200 "proto=\$server_protocol tls=\$ssl_protocol alpn=\$ssl_alpn_protocol reused=\$ssl_session_reused verify=\$ssl_client_verify dn=\$ssl_client_s_dn\n";
    }
    location /close/ {
      keepalive_timeout 0;
      default_type text/plain;
      return 200 "reused=\$ssl_session_reused\n";
    }
    location = /upload {
      client_max_body_size 256m;
      client_body_in_file_only on;
      proxy_set_header X-Body-File \$request_body_file;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_pass http://127.0.0.1:$plain_port/stored;
    }
  }
  server {
    listen 127.0.0.1:$plain_port;
    location = /stored {
      default_type text/plain;
      return 200 "\$http_x_body_file\n";
    }
  }
}
CONF
}

# start_nginx_under_test DIR TLS_PORT: nginx with DIR's configuration in the mode under test
# (SHIMMED), waited for on TLS_PORT; a driver that cannot get it up finishes there.
start_nginx_under_test() {
  local d=$1 tls_port=$2
  start_bg nginx "${SHIMMED[@]}" nginx -p "$d" -c "$d/nginx.conf"
  if ! wait_port "$tls_port" 10; then
    fail "nginx did not start: $(errors_of "$WORK/nginx.err")"
    programs_finish "$WORK/nginx.err" "$d/error.log"
  fi
}
