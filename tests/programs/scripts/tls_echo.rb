# A small TLS client and server on ruby's openssl extension (openssl.so links libssl.so.3), for
# run_ruby.sh; the command lines and the one line printed are tls_echo.pl's
# (lib/script_peer.sh):
#   tls_echo.rb client PORT CA_FILE HOST_NAME SEND_FILE RECEIVE_FILE RECEIVE_BYTES
#   tls_echo.rb server PORT_FILE CERT KEY SEND_FILE RECEIVE_FILE RECEIVE_BYTES
# The client: OpenSSL::SSL::SSLSocket with VERIFY_PEER and host-name checking; sends SEND_FILE,
# then reads RECEIVE_BYTES. The server: one connection; reads RECEIVE_BYTES, then sends SEND_FILE.
# Both close with close_notify.
require 'socket'
require 'openssl'

def finish_error(message)
  puts "error #{message}"
  exit 1
end

# Reads exactly want bytes into path.
def receive_into(ssl, path, want)
  got = 0
  File.open(path, 'wb') do |out|
    while got < want
      chunk = ssl.readpartial([65536, want - got].min)
      out.write(chunk)
      got += chunk.bytesize
    end
  end
rescue EOFError, SystemCallError, OpenSSL::SSL::SSLError => e
  finish_error("read after #{got} of #{want} bytes: #{e.class}: #{e.message}")
end

def summary(ssl)
  "#{ssl.ssl_version} #{ssl.cipher[0]}"
end

role = ARGV.shift
case role
when 'client'
  port, ca, host, send, recv, want = ARGV
  data = File.binread(send)
  ctx = OpenSSL::SSL::SSLContext.new
  ctx.verify_mode = OpenSSL::SSL::VERIFY_PEER
  ctx.verify_hostname = true
  ctx.ca_file = ca
  begin
    tcp = Socket.tcp('127.0.0.1', port.to_i, connect_timeout: 30)
    ssl = OpenSSL::SSL::SSLSocket.new(tcp, ctx)
    ssl.hostname = host
    ssl.sync_close = true
    ssl.connect
  rescue StandardError => e
    # The message names the peer's address (peeraddr=127.0.0.1:PORT): the port changes per run.
    finish_error("#{e.class}: #{e.message.gsub(":#{port}", ':PORT')}")
  end
  ssl.write(data)
  receive_into(ssl, recv, want.to_i)
  line = summary(ssl)
  ssl.close
  puts "ok #{line}"
when 'server'
  port_file, cert, key, send, recv, want = ARGV
  data = File.binread(send)
  ctx = OpenSSL::SSL::SSLContext.new
  ctx.cert = OpenSSL::X509::Certificate.new(File.read(cert))
  ctx.key = OpenSSL::PKey.read(File.read(key))
  tcp_server = TCPServer.new('127.0.0.1', 0)
  File.write("#{port_file}.tmp", "#{tcp_server.addr[1]}\n")
  File.rename("#{port_file}.tmp", port_file)
  begin
    ssl = OpenSSL::SSL::SSLSocket.new(tcp_server.accept, ctx)
    ssl.sync_close = true
    ssl.accept
  rescue StandardError => e
    finish_error("#{e.class}: #{e.message}")
  end
  receive_into(ssl, recv, want.to_i)
  ssl.write(data)
  line = summary(ssl)
  ssl.close
  puts "ok #{line}"
else
  warn 'usage: tls_echo.rb client|server ...'
  exit 2
end
