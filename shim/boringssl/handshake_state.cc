#include "boringssl/handshake_state.h"

namespace sslshim::boringssl {
namespace {

using S = HandshakeState;

struct Entry {
  std::string_view boringssl;
  HandshakeState openssl;
};

// OpenSSL 3 reports the last message its state machine wrote or read; BoringSSL names the step it
// is about to take. So a BoringSSL step maps to the message before it. Measured natively (OpenSSL
// 3.0, non-blocking BIO pair, both versions): a client waiting for the ServerHello is in
// CW_CLNT_HELLO; a TLS 1.2 server waiting for the client's second flight in SW_SRVR_DONE; a TLS 1.2
// client waiting for the server's Finished in CW_FINISHED; a TLS 1.3 server waiting for the
// client's Finished in EARLY_DATA (OpenSSL's server state while early data may still come).
constexpr Entry kStates[] = {
    // TLS client, both versions up to the ServerHello, then TLS 1.2.
    {"TLS client start_connect", S::kBefore},
    {"TLS client enter_early_data", S::kCwClntHello},
    {"TLS client early_reverify_server_certificate", S::kCwClntHello},
    {"TLS client read_hello_verify_request", S::kCwClntHello},
    {"TLS client read_server_hello", S::kCwClntHello},
    {"TLS client read_server_certificate", S::kCrSrvrHello},
    {"TLS client read_certificate_status", S::kCrCert},
    {"TLS client verify_server_certificate", S::kCrCert},
    {"TLS client reverify_server_certificate", S::kCrCert},
    {"TLS client read_server_key_exchange", S::kCrCert},
    {"TLS client read_certificate_request", S::kCrKeyExch},
    {"TLS client read_server_hello_done", S::kCrKeyExch},
    {"TLS client send_client_certificate", S::kCrSrvrDone},
    {"TLS client send_client_key_exchange", S::kCrSrvrDone},
    {"TLS client send_client_certificate_verify", S::kCwKeyExch},
    {"TLS client send_client_finished", S::kCwChange},
    {"TLS client finish_flight", S::kCwFinished},
    {"TLS client read_session_ticket", S::kCwFinished},
    {"TLS client process_change_cipher_spec", S::kCwFinished},
    {"TLS client read_server_finished", S::kCrChange},
    {"TLS client finish_client_handshake", S::kCrFinished},
    {"TLS client done", S::kOk},
    // TLS 1.3 client, after the ServerHello.
    {"TLS 1.3 client read_hello_retry_request", S::kCwClntHello},
    {"TLS 1.3 client send_second_client_hello", S::kCrSrvrHello},
    {"TLS 1.3 client read_server_hello", S::kCwClntHello},
    {"TLS 1.3 client read_encrypted_extensions", S::kCrSrvrHello},
    {"TLS 1.3 client read_certificate_request", S::kCrEncryptedExtensions},
    {"TLS 1.3 client read_server_certificate", S::kCrEncryptedExtensions},
    {"TLS 1.3 client read_server_certificate_verify", S::kCrCert},
    {"TLS 1.3 client server_certificate_reverify", S::kCrCert},
    {"TLS 1.3 client read_server_finished", S::kCrCertVrfy},
    {"TLS 1.3 client send_end_of_early_data", S::kCrFinished},
    {"TLS 1.3 client send_client_encrypted_extensions", S::kCrFinished},
    {"TLS 1.3 client send_client_certificate", S::kCrFinished},
    {"TLS 1.3 client send_client_certificate_verify", S::kCwCert},
    {"TLS 1.3 client complete_second_flight", S::kCrFinished},
    {"TLS 1.3 client done", S::kOk},
    // TLS server, both versions up to the ClientHello, then TLS 1.2.
    {"TLS server start_accept", S::kBefore},
    {"TLS server read_client_hello", S::kBefore},
    {"TLS server read_client_hello_after_ech", S::kBefore},
    {"TLS server select_certificate", S::kSrClntHello},
    {"TLS server select_parameters", S::kSrClntHello},
    {"TLS server send_server_hello", S::kSrClntHello},
    {"TLS server send_server_certificate", S::kSwSrvrHello},
    {"TLS server send_server_key_exchange", S::kSwCert},
    {"TLS server send_server_hello_done", S::kSwKeyExch},
    {"TLS server read_client_certificate", S::kSwSrvrDone},
    {"TLS server verify_client_certificate", S::kSrCert},
    {"TLS server read_client_key_exchange", S::kSwSrvrDone},
    {"TLS server read_client_certificate_verify", S::kSrKeyExch},
    {"TLS server read_change_cipher_spec", S::kSrKeyExch},
    {"TLS server process_change_cipher_spec", S::kSrKeyExch},
    {"TLS server read_next_proto", S::kSrChange},
    {"TLS server read_channel_id", S::kSrChange},
    {"TLS server read_client_finished", S::kSrChange},
    {"TLS server send_server_finished", S::kSrFinished},
    {"TLS server finish_server_handshake", S::kSwFinished},
    {"TLS server done", S::kOk},
    // TLS 1.3 server, after the ClientHello.
    {"TLS 1.3 server select_parameters", S::kSrClntHello},
    {"TLS 1.3 server select_session", S::kSrClntHello},
    {"TLS 1.3 server send_hello_retry_request", S::kSrClntHello},
    {"TLS 1.3 server read_second_client_hello", S::kSwSrvrHello},
    {"TLS 1.3 server send_server_hello", S::kSrClntHello},
    {"TLS 1.3 server send_server_certificate_verify", S::kSwCert},
    {"TLS 1.3 server send_half_rtt_ticket", S::kSwFinished},
    {"TLS 1.3 server send_server_finished", S::kSwCertVrfy},
    {"TLS 1.3 server read_second_client_flight", S::kEarlyData},
    {"TLS 1.3 server process_end_of_early_data", S::kEarlyData},
    {"TLS 1.3 server read_client_encrypted_extensions", S::kEarlyData},
    {"TLS 1.3 server read_client_certificate", S::kEarlyData},
    {"TLS 1.3 server read_client_certificate_verify", S::kSrCert},
    {"TLS 1.3 server read_channel_id", S::kEarlyData},
    {"TLS 1.3 server read_client_finished", S::kEarlyData},
    {"TLS 1.3 server send_new_session_ticket", S::kSrFinished},
    {"TLS 1.3 server done", S::kOk},
};

// A TLS 1.2 server resuming a session writes its Finished first and then waits for the client's:
// measured natively, SW_FINISHED there.
constexpr Entry kResumedStates[] = {
    {"TLS server read_change_cipher_spec", S::kSwFinished},
    {"TLS server process_change_cipher_spec", S::kSwFinished},
};

}  // namespace

std::optional<HandshakeState> OpenSslHandshakeState(std::string_view boringssl_state,
                                                    bool resuming) {
  if (resuming) {
    for (const Entry& entry : kResumedStates) {
      if (entry.boringssl == boringssl_state) return entry.openssl;
    }
  }
  for (const Entry& entry : kStates) {
    if (entry.boringssl == boringssl_state) return entry.openssl;
  }
  return std::nullopt;
}

std::vector<std::string_view> KnownBoringSslStates() {
  std::vector<std::string_view> names;
  for (const Entry& entry : kStates) names.push_back(entry.boringssl);
  return names;
}

}  // namespace sslshim::boringssl
