// SSL_trace, the message callback a program installs (SSL_set_msg_callback, with the BIO as its
// argument) to have each record and handshake message printed. The shim prints what OpenSSL 3
// prints for record headers, the TLS 1.3 inner content type, ChangeCipherSpec and alerts, and the
// first line of each handshake message (its type and length, and DTLS's fragment line); it does
// not decode the message bodies that OpenSSL's printer goes on to show (hellos, extensions,
// certificates, key exchanges).
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <cstddef>

#include "core/handle_table.h"
#include "core/objects.h"
#include "exports/dispatch.h"

namespace sslshim {
namespace {

struct Name {
  int value;
  const char* name;
};

constexpr Name kVersions[] = {
    {SSL3_VERSION, "SSL 3.0"},     {TLS1_VERSION, "TLS 1.0"},         {TLS1_1_VERSION, "TLS 1.1"},
    {TLS1_2_VERSION, "TLS 1.2"},   {TLS1_3_VERSION, "TLS 1.3"},       {DTLS1_VERSION, "DTLS 1.0"},
    {DTLS1_2_VERSION, "DTLS 1.2"}, {DTLS1_BAD_VER, "DTLS 1.0 (bad)"},
};

constexpr Name kContentTypes[] = {
    {SSL3_RT_CHANGE_CIPHER_SPEC, "ChangeCipherSpec"},
    {SSL3_RT_ALERT, "Alert"},
    {SSL3_RT_HANDSHAKE, "Handshake"},
    {SSL3_RT_APPLICATION_DATA, "ApplicationData"},
};

constexpr Name kHandshakeTypes[] = {
    {SSL3_MT_HELLO_REQUEST, "HelloRequest"},
    {SSL3_MT_CLIENT_HELLO, "ClientHello"},
    {SSL3_MT_SERVER_HELLO, "ServerHello"},
    {DTLS1_MT_HELLO_VERIFY_REQUEST, "HelloVerifyRequest"},
    {SSL3_MT_NEWSESSION_TICKET, "NewSessionTicket"},
    {SSL3_MT_END_OF_EARLY_DATA, "EndOfEarlyData"},
    {SSL3_MT_ENCRYPTED_EXTENSIONS, "EncryptedExtensions"},
    {SSL3_MT_CERTIFICATE, "Certificate"},
    {SSL3_MT_SERVER_KEY_EXCHANGE, "ServerKeyExchange"},
    {SSL3_MT_CERTIFICATE_REQUEST, "CertificateRequest"},
    {SSL3_MT_SERVER_DONE, "ServerHelloDone"},
    {SSL3_MT_CERTIFICATE_VERIFY, "CertificateVerify"},
    {SSL3_MT_CLIENT_KEY_EXCHANGE, "ClientKeyExchange"},
    {SSL3_MT_FINISHED, "Finished"},
    {SSL3_MT_CERTIFICATE_URL, "CertificateUrl"},
    {SSL3_MT_CERTIFICATE_STATUS, "CertificateStatus"},
    {SSL3_MT_SUPPLEMENTAL_DATA, "SupplementalData"},
    {SSL3_MT_KEY_UPDATE, "KeyUpdate"},
    {SSL3_MT_NEXT_PROTO, "NextProto"},
    {SSL3_MT_MESSAGE_HASH, "MessageHash"},
};

template <size_t N>
const char* NameOf(int value, const Name (&table)[N]) {
  for (const Name& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "UNKNOWN";
}

// "<name> (len=N): <hex>", as OpenSSL prints what it cannot decode.
void PrintHex(BIO* bio, int indent, const char* name, const unsigned char* msg, size_t len) {
  BIO_indent(bio, indent, 80);
  BIO_printf(bio, "%s (len=%d): ", name, static_cast<int>(len));
  for (size_t i = 0; i < len; i++) BIO_printf(bio, "%02X", msg[i]);
  BIO_puts(bio, "\n");
}

// A handshake message's first lines; false where OpenSSL reports a length it cannot parse.
bool PrintHandshakeHeader(BIO* bio, bool dtls, const unsigned char* msg, size_t len) {
  constexpr int kIndent = 4;
  if (len < 4) return false;
  const size_t body_len = static_cast<size_t>(msg[1] << 16 | msg[2] << 8 | msg[3]);
  BIO_indent(bio, kIndent, 80);
  BIO_printf(bio, "%s, Length=%d\n", NameOf(msg[0], kHandshakeTypes), static_cast<int>(body_len));
  msg += 4;
  len -= 4;
  if (dtls) {
    if (len < 8) return false;
    BIO_indent(bio, kIndent, 80);
    BIO_printf(bio, "message_seq=%d, fragment_offset=%d, fragment_length=%d\n",
               msg[0] << 8 | msg[1], msg[2] << 16 | msg[3] << 8 | msg[4],
               msg[5] << 16 | msg[6] << 8 | msg[7]);
    len -= 8;
  }
  return len >= body_len;
}

void Trace(int write_p, int content_type, const unsigned char* msg, size_t len, SSL* ssl,
           BIO* bio) {
  const bool dtls = SSL_is_dtls(ssl) == 1;
  switch (content_type) {
    case SSL3_RT_HEADER: {
      BIO_puts(bio, write_p ? "Sent" : "Received");
      if (len < static_cast<size_t>(dtls ? DTLS1_RT_HEADER_LENGTH : SSL3_RT_HEADER_LENGTH)) {
        PrintHex(bio, 0, " too short message", msg, len);
        break;
      }
      const int version = msg[1] << 8 | msg[2];
      BIO_printf(bio, " Record\nHeader:\n  Version = %s (0x%x)\n", NameOf(version, kVersions),
                 version);
      if (dtls) {
        BIO_printf(bio, "  epoch=%d, sequence_number=%04x%04x%04x\n", msg[3] << 8 | msg[4],
                   msg[5] << 8 | msg[6], msg[7] << 8 | msg[8], msg[9] << 8 | msg[10]);
      }
      BIO_printf(bio, "  Content Type = %s (%d)\n  Length = %d", NameOf(msg[0], kContentTypes),
                 msg[0], msg[len - 2] << 8 | msg[len - 1]);
      break;
    }
    case SSL3_RT_INNER_CONTENT_TYPE:
      BIO_printf(bio, "  Inner Content Type = %s (%d)", NameOf(msg[0], kContentTypes), msg[0]);
      break;
    case SSL3_RT_HANDSHAKE:
      if (!PrintHandshakeHeader(bio, dtls, msg, len)) {
        BIO_printf(bio, "Message length parse error!\n");
      }
      break;
    case SSL3_RT_CHANGE_CIPHER_SPEC:
      if (len == 1 && msg[0] == 1) {
        BIO_puts(bio, "    change_cipher_spec (1)\n");
      } else {
        PrintHex(bio, 4, "unknown value", msg, len);
      }
      break;
    case SSL3_RT_ALERT:
      if (len != 2) {
        BIO_puts(bio, "    Illegal Alert Length\n");
      } else {
        BIO_printf(bio, "    Level=%s(%d), description=%s(%d)\n",
                   SSL_alert_type_string_long(msg[0] << 8), msg[0],
                   SSL_alert_desc_string_long(msg[1]), msg[1]);
      }
      break;
    default:
      break;
  }
  BIO_puts(bio, "\n");
}

}  // namespace
}  // namespace sslshim

// The connection is the sixth argument: the shim prints for its own, the real libssl for its own
// (preloaded beside it).
extern "C" void SSL_trace(int write_p, int version, int content_type, const void* buf, size_t len,
                          SSL* ssl, void* arg) {
  static constexpr char kFunc[] = "SSL_trace";
  auto resolved = sslshim::Resolve<sslshim::Ssl>(ssl, sslshim::HandleKind::kSsl);
  if (resolved.state == sslshim::HandleState::kLive) {
    sslshim::Trace(write_p, content_type, static_cast<const unsigned char*>(buf), len, ssl,
                   static_cast<BIO*>(arg));
  } else if (resolved.state == sslshim::HandleState::kInvalid) {
    sslshim::ReportInvalidHandle(kFunc);
  } else if (ssl == nullptr) {
    sslshim::ReportNullHandle(kFunc);
  } else {
    static const auto next = reinterpret_cast<decltype(&SSL_trace)>(sslshim::NextSymbol(kFunc));
    if (next != nullptr) {
      next(write_p, version, content_type, buf, len, ssl, arg);
    } else {
      sslshim::ReportNoRealLibssl(kFunc);
    }
  }
}
