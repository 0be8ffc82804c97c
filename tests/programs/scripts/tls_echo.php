<?php
// A small TLS client and server on PHP's openssl extension (built into /usr/bin/php8.2, which
// links libssl.so.3), for run_php.sh; the command lines and the one line printed are
// tls_echo.pl's (lib/script_peer.sh):
//   tls_echo.php client PORT CA_FILE HOST_NAME SEND_FILE RECEIVE_FILE RECEIVE_BYTES
//   tls_echo.php server PORT_FILE CERT KEY SEND_FILE RECEIVE_FILE RECEIVE_BYTES
// The client: stream_socket_client("tls://...") with verify_peer and verify_peer_name; sends
// SEND_FILE, then reads RECEIVE_BYTES. The server: stream_socket_server("tls://...") with a
// certificate, one connection; reads RECEIVE_BYTES, then sends SEND_FILE. Both close with
// close_notify (fclose).

// PHP reports TLS failures as warnings: the first one is the error line.
$warnings = [];
set_error_handler(function ($no, $message) use (&$warnings) {
    $warnings[] = $message;
    return true;
});

function finish_error($message) {
    echo "error $message\n";
    exit(1);
}

function first_warning($fallback) {
    global $warnings;
    return count($warnings) ? $warnings[0] : $fallback;
}

// Reads exactly $want bytes into $path.
function receive_into($s, $path, $want) {
    $out = fopen($path, 'wb') or finish_error("open $path");
    $got = 0;
    while ($got < $want) {
        $chunk = fread($s, min(65536, $want - $got));
        if ($chunk === false || $chunk === '') {
            finish_error("read after $got of $want bytes: " . first_warning('end of stream'));
        }
        fwrite($out, $chunk);
        $got += strlen($chunk);
    }
    fclose($out);
}

function send_all($s, $data) {
    $off = 0;
    while ($off < strlen($data)) {
        $n = fwrite($s, substr($data, $off, 65536));
        if ($n === false || $n === 0) {
            finish_error("write after $off bytes: " . first_warning('failed'));
        }
        $off += $n;
    }
}

function summary($s) {
    $crypto = stream_get_meta_data($s)['crypto'];
    return $crypto['protocol'] . ' ' . $crypto['cipher_name'];
}

$role = $argv[1] ?? '';
if ($role === 'client') {
    [, , $port, $ca, $host, $send, $recv, $want] = $argv;
    $data = file_get_contents($send);
    $ctx = stream_context_create(['ssl' => [
        'cafile' => $ca,
        'verify_peer' => true,
        'verify_peer_name' => true,
        'peer_name' => $host,
        'SNI_enabled' => true,
    ]]);
    $s = stream_socket_client("tls://127.0.0.1:$port", $errno, $errstr, 30,
                              STREAM_CLIENT_CONNECT, $ctx);
    if ($s === false) {
        finish_error(str_replace(":$port", ':PORT', first_warning($errstr)));
    }
    stream_set_timeout($s, 30);
    send_all($s, $data);
    receive_into($s, $recv, (int)$want);
    $line = summary($s);
    fclose($s);
    echo "ok $line\n";
} elseif ($role === 'server') {
    [, , $port_file, $cert, $key, $send, $recv, $want] = $argv;
    $data = file_get_contents($send);
    $ctx = stream_context_create(['ssl' => [
        'local_cert' => $cert,
        'local_pk' => $key,
    ]]);
    $server = stream_socket_server('tls://127.0.0.1:0', $errno, $errstr,
                                   STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
    if ($server === false) {
        finish_error(first_warning($errstr));
    }
    $name = stream_socket_get_name($server, false);
    file_put_contents("$port_file.tmp", substr($name, strrpos($name, ':') + 1) . "\n");
    rename("$port_file.tmp", $port_file);
    $s = stream_socket_accept($server, 30);
    if ($s === false) {
        finish_error(first_warning('accept failed'));
    }
    stream_set_timeout($s, 30);
    receive_into($s, $recv, (int)$want);
    send_all($s, $data);
    $line = summary($s);
    fclose($s);
    echo "ok $line\n";
} else {
    fwrite(STDERR, "usage: tls_echo.php client|server ...\n");
    exit(2);
}
