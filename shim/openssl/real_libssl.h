// The real libssl.so.3, reached by address. Inside a process where sslshim is preloaded, every
// exported libssl name (SSL_write, SSL_ctrl, TLS_method, ...) resolves to the shim itself, so the
// OpenSSL backend never calls a libssl function by name (nor through OpenSSL's header macros, which
// expand to SSL_ctrl/SSL_CTX_ctrl): it calls these pointers, found once with
// dlvsym(RTLD_NEXT, name, "OPENSSL_3.0.0"). Each pointer is typed from OpenSSL's own declaration so
// the compiler checks every call. libcrypto functions are called directly: the program's
// libcrypto.so.3 is the one the real libssl uses.
#pragma once

#include <openssl/ssl.h>

#include <string>

namespace sslshim::openssl_backend {

// Every libssl function the backend uses. Adding a use means adding the name here.
#define SSLSHIM_REAL_LIBSSL_FUNCTIONS(X)       \
  X(TLS_method)                                \
  X(TLS_client_method)                         \
  X(TLS_server_method)                         \
  X(DTLS_method)                               \
  X(DTLS_client_method)                        \
  X(DTLS_server_method)                        \
  X(TLSv1_method)                              \
  X(TLSv1_client_method)                       \
  X(TLSv1_server_method)                       \
  X(TLSv1_1_method)                            \
  X(TLSv1_1_client_method)                     \
  X(TLSv1_1_server_method)                     \
  X(TLSv1_2_method)                            \
  X(TLSv1_2_client_method)                     \
  X(TLSv1_2_server_method)                     \
  X(DTLSv1_method)                             \
  X(DTLSv1_client_method)                      \
  X(DTLSv1_server_method)                      \
  X(DTLSv1_2_method)                           \
  X(DTLSv1_2_client_method)                    \
  X(DTLSv1_2_server_method)                    \
  X(SSL_CTX_set_ssl_version)                   \
  X(SSL_client_version)                        \
  X(DTLS_get_data_mtu)                         \
  X(SSL_CTX_new)                               \
  X(SSL_CTX_free)                              \
  X(SSL_CTX_ctrl)                              \
  X(SSL_CTX_set_options)                       \
  X(SSL_CTX_clear_options)                     \
  X(SSL_CTX_set_cipher_list)                   \
  X(SSL_CTX_set_ciphersuites)                  \
  X(SSL_CTX_use_certificate)                   \
  X(SSL_CTX_use_PrivateKey)                    \
  X(SSL_CTX_set_verify)                        \
  X(SSL_CTX_set_alpn_protos)                   \
  X(SSL_CTX_set_cert_verify_callback)          \
  X(SSL_CTX_set_info_callback)                 \
  X(SSL_new)                                   \
  X(SSL_free)                                  \
  X(SSL_ctrl)                                  \
  X(SSL_callback_ctrl)                         \
  X(SSL_set_connect_state)                     \
  X(SSL_set_accept_state)                      \
  X(SSL_is_server)                             \
  X(SSL_set_bio)                               \
  X(SSL_get_rbio)                              \
  X(SSL_get_wbio)                              \
  X(SSL_do_handshake)                          \
  X(SSL_write)                                 \
  X(SSL_read)                                  \
  X(SSL_peek)                                  \
  X(SSL_shutdown)                              \
  X(SSL_pending)                               \
  X(SSL_has_pending)                           \
  X(SSL_set_read_ahead)                        \
  X(SSL_get_error)                             \
  X(SSL_is_init_finished)                      \
  X(SSL_get_shutdown)                          \
  X(SSL_set_shutdown)                          \
  X(SSL_renegotiate)                           \
  X(SSL_key_update)                            \
  X(SSL_set_verify)                            \
  X(SSL_get_version)                           \
  X(SSL_version)                               \
  X(SSL_get_current_cipher)                    \
  X(SSL_CIPHER_get_name)                       \
  X(SSL_CIPHER_get_bits)                       \
  X(SSL_get_finished)                          \
  X(SSL_get_peer_finished)                     \
  X(SSL_get1_peer_certificate)                 \
  X(SSL_set_ex_data)                           \
  X(SSL_get_ex_data)                           \
  X(SSL_get_ex_data_X509_STORE_CTX_idx)        \
  X(SSL_CTX_set_keylog_callback)               \
  X(SSL_CTX_sess_set_new_cb)                   \
  X(SSL_CTX_sess_set_get_cb)                   \
  X(SSL_CTX_set_alpn_select_cb)                \
  X(SSL_CTX_callback_ctrl)                     \
  X(SSL_CTX_set_client_CA_list)                \
  X(SSL_set_client_CA_list)                    \
  X(SSL_CTX_set_client_hello_cb)               \
  X(SSL_client_hello_isv2)                     \
  X(SSL_client_hello_get0_legacy_version)      \
  X(SSL_client_hello_get0_random)              \
  X(SSL_client_hello_get0_session_id)          \
  X(SSL_client_hello_get0_ciphers)             \
  X(SSL_client_hello_get0_compression_methods) \
  X(SSL_client_hello_get1_extensions_present)  \
  X(SSL_client_hello_get0_ext)                 \
  X(SSL_CTX_new_ex)                            \
  X(SSL_CTX_set_session_id_context)            \
  X(SSL_CTX_set_timeout)                       \
  X(SSL_CTX_set_num_tickets)                   \
  X(SSL_set_msg_callback)                      \
  X(SSL_set_cert_cb)                           \
  X(SSL_set_options)                           \
  X(SSL_clear_options)                         \
  X(SSL_set_cipher_list)                       \
  X(SSL_set_ciphersuites)                      \
  X(SSL_CTX_set_security_level)                \
  X(SSL_set_security_level)                    \
  X(SSL_clear)                                 \
  X(SSL_use_certificate)                       \
  X(SSL_use_PrivateKey)                        \
  X(SSL_set_SSL_CTX)                           \
  X(SSL_set_quiet_shutdown)                    \
  X(SSL_get_peer_cert_chain)                   \
  X(SSL_get_ciphers)                           \
  X(SSL_get0_alpn_selected)                    \
  X(SSL_get_servername)                        \
  X(SSL_get_state)                             \
  X(SSL_state_string)                          \
  X(SSL_state_string_long)                     \
  X(SSL_get1_session)                          \
  X(SSL_set_session)                           \
  X(SSL_session_reused)                        \
  X(SSL_has_matching_session_id)               \
  X(SSL_CIPHER_standard_name)                  \
  X(SSL_CIPHER_get_id)                         \
  X(SSL_CIPHER_find)                           \
  X(SSL_CIPHER_get_version)                    \
  X(SSL_CIPHER_get_kx_nid)                     \
  X(SSL_CIPHER_get_auth_nid)                   \
  X(SSL_CIPHER_get_cipher_nid)                 \
  X(SSL_CIPHER_get_digest_nid)                 \
  X(SSL_CIPHER_is_aead)                        \
  X(SSL_SESSION_up_ref)                        \
  X(SSL_SESSION_free)                          \
  X(SSL_SESSION_new)                           \
  X(i2d_SSL_SESSION)                           \
  X(d2i_SSL_SESSION)                           \
  X(SSL_SESSION_get_id)                        \
  X(SSL_SESSION_set1_id)                       \
  X(SSL_CTX_add_session)                       \
  X(SSL_CTX_remove_session)                    \
  X(SSL_SESSION_set1_id_context)               \
  X(SSL_SESSION_set_protocol_version)          \
  X(SSL_SESSION_set_cipher)                    \
  X(SSL_enable_ct)                             \
  X(SSL_get0_peer_scts)                        \
  X(SSL_SESSION_set1_master_key)               \
  X(SSL_SESSION_set1_hostname)                 \
  X(SSL_SESSION_get_time)                      \
  X(SSL_SESSION_get_timeout)                   \
  X(SSL_SESSION_set_time)                      \
  X(SSL_SESSION_set_timeout)                   \
  X(SSL_CTX_flush_sessions)                    \
  X(SSL_CTX_sessions)                          \
  X(SSL_CTX_sess_set_remove_cb)                \
  X(SSL_SESSION_has_ticket)                    \
  X(SSL_SESSION_get_ticket_lifetime_hint)      \
  X(SSL_SESSION_get_protocol_version)          \
  X(SSL_SESSION_get0_hostname)                 \
  X(SSL_SESSION_get0_alpn_selected)            \
  X(SSL_SESSION_set1_alpn_selected)            \
  X(SSL_SESSION_is_resumable)                  \
  X(SSL_CTX_set_max_early_data)                \
  X(SSL_CTX_get_max_early_data)                \
  X(SSL_CTX_set_recv_max_early_data)           \
  X(SSL_CTX_get_recv_max_early_data)           \
  X(SSL_set_max_early_data)                    \
  X(SSL_get_max_early_data)                    \
  X(SSL_set_recv_max_early_data)               \
  X(SSL_get_recv_max_early_data)               \
  X(SSL_read_early_data)                       \
  X(SSL_write_early_data)                      \
  X(SSL_get_early_data_status)                 \
  X(SSL_SESSION_get_max_early_data)            \
  X(SSL_SESSION_set_max_early_data)            \
  X(SSL_sendfile)                              \
  X(SSL_in_init)                               \
  X(SSL_in_before)                             \
  X(SSL_get_client_ciphers)                    \
  X(SSL_set_psk_client_callback)               \
  X(SSL_set_psk_server_callback)               \
  X(SSL_use_psk_identity_hint)                 \
  X(SSL_get_psk_identity)                      \
  X(SSL_get_psk_identity_hint)                 \
  X(SSL_set_alpn_protos)                       \
  X(SSL_get0_next_proto_negotiated)            \
  X(SSL_CTX_set_next_protos_advertised_cb)     \
  X(SSL_CTX_set_next_proto_select_cb)          \
  X(SSL_export_keying_material)                \
  X(SSL_get_client_random)                     \
  X(SSL_get_server_random)                     \
  X(SSL_SESSION_get_master_key)                \
  X(SSL_set_session_id_context)                \
  X(SSL_copy_session_id)                       \
  X(SSL_get_sigalgs)                           \
  X(SSL_SESSION_get0_cipher)                   \
  X(SSL_SESSION_get0_peer)                     \
  X(SSL_SESSION_get0_id_context)               \
  X(SSL_SESSION_get0_ticket)                   \
  X(SSL_SESSION_print)                         \
  X(SSL_get_peer_signature_type_nid)           \
  X(SSL_CTX_set0_CA_list)                      \
  X(SSL_set0_CA_list)                          \
  X(SSL_set_num_tickets)                       \
  X(SSL_certs_clear)                           \
  X(SSL_get_signature_type_nid)                \
  X(SSL_get_pending_cipher)                    \
  X(SSL_rstate_string)                         \
  X(SSL_alloc_buffers)                         \
  X(SSL_free_buffers)                          \
  X(SSL_set_default_read_buffer_len)           \
  X(SSL_CTX_set_default_read_buffer_len)       \
  X(SSL_get0_peer_CA_list)                     \
  X(SSL_CTX_set_tlsext_ticket_key_evp_cb)      \
  X(SSL_CTX_set_tlsext_use_srtp)               \
  X(SSL_set_tlsext_use_srtp)                   \
  X(SSL_get_selected_srtp_profile)             \
  X(SSL_export_keying_material_early)          \
  X(SSL_renegotiate_abbreviated)               \
  X(SSL_CTX_set_block_padding)                 \
  X(SSL_set_block_padding)

// The version-specific methods (TLSv1_2_method...) are deprecated, and still what pins a real
// libssl context or connection to one version: their types are taken without a warning.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
struct RealLibssl {
#define SSLSHIM_DECLARE_REAL_POINTER(name) decltype(&::name) name = nullptr;
  SSLSHIM_REAL_LIBSSL_FUNCTIONS(SSLSHIM_DECLARE_REAL_POINTER)
#undef SSLSHIM_DECLARE_REAL_POINTER
};
#pragma GCC diagnostic pop

// Finds one libssl symbol; nullptr when there is none.
using SymbolResolver = void* (*)(const char* name);

// The real libssl's `name` at OPENSSL_3.0.0 (core/real_libssl_lookup.h says where it looks).
void* ResolveNextOpenSsl3(const char* name);

// Fills every pointer of *out with `resolve`. On the first name it cannot find, returns false and
// puts that name in *missing.
bool ResolveRealLibssl(SymbolResolver resolve, RealLibssl* out, std::string* missing);

// The process's table, resolved once with ResolveNextOpenSsl3. nullptr, with the reason in *why
// (may be null), when a name is missing, e.g. when the shim stands in as libssl.so.3 and there is
// no real libssl after it.
const RealLibssl* ProcessRealLibssl(std::string* why);

}  // namespace sslshim::openssl_backend
