#!/usr/bin/perl
# A small TLS client and server on IO::Socket::SSL (Net::SSLeay, libssl.so.3), for run_perl.sh.
#   tls_echo.pl client PORT CA_FILE HOST_NAME SEND_FILE RECEIVE_FILE RECEIVE_BYTES
#     connects to 127.0.0.1:PORT, verifies the chain against CA_FILE and the name HOST_NAME (also
#     sent as SNI), sends SEND_FILE, then reads RECEIVE_BYTES into RECEIVE_FILE and closes
#     (close_notify).
#   tls_echo.pl server PORT_FILE CERT KEY SEND_FILE RECEIVE_FILE RECEIVE_BYTES
#     listens on 127.0.0.1 (a free port, written to PORT_FILE), accepts one connection, reads
#     RECEIVE_BYTES into RECEIVE_FILE, then sends SEND_FILE and closes (close_notify).
# Prints one line: "ok VERSION CIPHER" or "error MESSAGE"; exits 0 or 1.
use strict;
use warnings;
use IO::Socket::SSL;

sub finish_error { print "error $_[0]\n"; exit 1; }

sub slurp {
    my ($path) = @_;
    open(my $fh, '<:raw', $path) or finish_error("open $path: $!");
    local $/;
    my $data = <$fh>;
    close($fh);
    return $data;
}

# Reads exactly $want bytes (or fails) into $path.
sub receive_into {
    my ($sock, $path, $want) = @_;
    open(my $out, '>:raw', $path) or finish_error("open $path: $!");
    my $got = 0;
    while ($got < $want) {
        my $n = $sock->sysread(my $buf, 65536);
        finish_error("read after $got of $want bytes: " . ($n // "undef") . " ($!; $SSL_ERROR)")
          unless $n;
        print $out $buf;
        $got += $n;
    }
    close($out) or finish_error("close $path: $!");
}

sub send_all {
    my ($sock, $data) = @_;
    my $off = 0;
    while ($off < length($data)) {
        my $n = $sock->syswrite($data, 65536, $off);
        finish_error("write after $off bytes: $!, $SSL_ERROR") unless $n;
        $off += $n;
    }
}

my $role = shift @ARGV // '';
if ($role eq 'client') {
    my ($port, $ca, $host, $send, $recv, $want) = @ARGV;
    my $data = slurp($send);
    my $sock = IO::Socket::SSL->new(
        PeerAddr            => '127.0.0.1',
        PeerPort            => $port,
        Timeout             => 30,
        SSL_ca_file         => $ca,
        SSL_verify_mode     => SSL_VERIFY_PEER,
        SSL_hostname        => $host,
        SSL_verifycn_name   => $host,
        SSL_verifycn_scheme => 'http',
    ) or finish_error($SSL_ERROR || $!);
    send_all($sock, $data);
    receive_into($sock, $recv, $want);
    my $summary = $sock->get_sslversion() . ' ' . $sock->get_cipher();
    $sock->close(SSL_fast_shutdown => 0) or finish_error("close: $SSL_ERROR");
    print "ok $summary\n";
} elsif ($role eq 'server') {
    my ($port_file, $cert, $key, $send, $recv, $want) = @ARGV;
    my $data = slurp($send);
    my $listener = IO::Socket::SSL->new(
        LocalAddr     => '127.0.0.1',
        LocalPort     => 0,
        Listen        => 1,
        ReuseAddr     => 1,
        SSL_server    => 1,
        SSL_cert_file => $cert,
        SSL_key_file  => $key,
    ) or finish_error($SSL_ERROR || $!);
    open(my $pf, '>', "$port_file.tmp") or finish_error("open $port_file: $!");
    print $pf $listener->sockport(), "\n";
    close($pf);
    rename("$port_file.tmp", $port_file) or finish_error("rename: $!");
    my $sock = $listener->accept() or finish_error("accept: " . ($SSL_ERROR || $!));
    receive_into($sock, $recv, $want);
    send_all($sock, $data);
    my $summary = $sock->get_sslversion() . ' ' . $sock->get_cipher();
    $sock->close(SSL_fast_shutdown => 0) or finish_error("close: $SSL_ERROR");
    print "ok $summary\n";
} else {
    print STDERR "usage: tls_echo.pl client|server ...\n";
    exit 2;
}
