// The OpenSSL backend's optional hooks (backend.h's HookBits): each reaches the observer of its
// connection only while its bit is enabled, with OpenSSL's arguments and answers.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "gtest/gtest.h"
#include "openssl_test_support.h"

namespace sslshim::openssl_test {
namespace {

bool IsHex(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// ---- Key log --------------------------------------------------------------------------------

TEST(OpenSslBackendKeyLog, Tls12GivesOneClientRandomLineToEachEnabledSide) {
  Link link(TLS1_2_VERSION);
  link.Connect();
  link.client->EnableHooks(kHookKeyLog);
  link.server->EnableHooks(kHookKeyLog);
  ASSERT_TRUE(link.Handshake());
  ASSERT_EQ(link.client_observer.keylog_lines.size(), 1u);
  const std::string& line = link.client_observer.keylog_lines[0];
  // "CLIENT_RANDOM <32 bytes hex> <48-byte master secret hex>", no newline.
  ASSERT_EQ(line.size(), std::strlen("CLIENT_RANDOM ") + 64 + 1 + 96) << line;
  EXPECT_EQ(line.compare(0, 14, "CLIENT_RANDOM "), 0);
  EXPECT_TRUE(IsHex(line.substr(14, 64)));
  EXPECT_EQ(line[78], ' ');
  EXPECT_TRUE(IsHex(line.substr(79)));
  EXPECT_EQ(link.server_observer.keylog_lines, link.client_observer.keylog_lines);  // same secret
}

TEST(OpenSslBackendKeyLog, Tls13GivesEveryTrafficSecretOnlyWhereEnabled) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  link.client->EnableHooks(kHookKeyLog);  // the server's bit stays off
  ASSERT_TRUE(link.Handshake());
  const RecordingObserver& seen = link.client_observer;
  EXPECT_EQ(seen.KeyLogLinesWith("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), 1u);
  EXPECT_EQ(seen.KeyLogLinesWith("SERVER_HANDSHAKE_TRAFFIC_SECRET"), 1u);
  EXPECT_EQ(seen.KeyLogLinesWith("CLIENT_TRAFFIC_SECRET_0"), 1u);
  EXPECT_EQ(seen.KeyLogLinesWith("SERVER_TRAFFIC_SECRET_0"), 1u);
  EXPECT_EQ(seen.KeyLogLinesWith("EXPORTER_SECRET"), 1u);
  for (const std::string& line : seen.keylog_lines) {
    EXPECT_EQ(line.find('\n'), std::string::npos);
  }
  EXPECT_TRUE(link.server_observer.keylog_lines.empty());
}

TEST(OpenSslBackendKeyLog, DisabledAgainMeansNoMoreLines) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  link.client->EnableHooks(kHookKeyLog);
  link.client->EnableHooks(0);
  ASSERT_TRUE(link.Handshake());
  EXPECT_TRUE(link.client_observer.keylog_lines.empty());
}

// ---- Message callback -----------------------------------------------------------------------

bool SawHandshakeMessage(const RecordingObserver& observer, int write_p, uint8_t type) {
  for (const RecordingObserver::Message& m : observer.messages) {
    if (m.write_p == write_p && m.content_type == SSL3_RT_HANDSHAKE && !m.bytes.empty() &&
        m.bytes[0] == type) {
      return true;
    }
  }
  return false;
}

TEST(OpenSslBackendMessage, BothDirectionsWithRecordHeadersUntilDisabled) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  link.client->EnableHooks(kHookMessage);
  ASSERT_TRUE(link.Handshake());
  const RecordingObserver& seen = link.client_observer;
  EXPECT_TRUE(SawHandshakeMessage(seen, 1, SSL3_MT_CLIENT_HELLO));
  EXPECT_TRUE(SawHandshakeMessage(seen, 0, SSL3_MT_SERVER_HELLO));
  EXPECT_TRUE(SawHandshakeMessage(seen, 0, SSL3_MT_CERTIFICATE));
  EXPECT_TRUE(SawHandshakeMessage(seen, 1, SSL3_MT_FINISHED));
  const bool saw_header = std::any_of(seen.messages.begin(), seen.messages.end(), [](auto& m) {
    return m.content_type == SSL3_RT_HEADER && m.bytes.size() == SSL3_RT_HEADER_LENGTH;
  });
  EXPECT_TRUE(saw_header);
  for (const RecordingObserver::Message& m : seen.messages) {
    EXPECT_TRUE(m.write_p == 0 || m.write_p == 1);
  }
  EXPECT_TRUE(link.server_observer.messages.empty());  // its bit was never set

  link.client->EnableHooks(0);
  const size_t before = seen.messages.size();
  Transfer t = Send(link.client.get(), link.server.get(), Pattern(1000), false);
  ASSERT_FALSE(t.failed);
  EXPECT_EQ(seen.messages.size(), before);
}

// The names a server sends in its CertificateRequest (SetClientCaNames), seen in the client's
// message callback.
TEST(OpenSslBackendMessage, CertificateRequestCarriesTheClientCaNames) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    Link link(version);
    link.server_ctx->SetVerify(SSL_VERIFY_PEER);
    const Der ca_name = SubjectDer(Pki().ca.cert);
    ASSERT_TRUE(link.server_ctx->SetClientCaNames({ca_name}));
    EXPECT_FALSE(link.server_ctx->SetClientCaNames({Der{0x30, 0x05, 0x01}}));
    DrainErrors();
    link.Connect();
    link.client->EnableHooks(kHookMessage);
    ASSERT_TRUE(link.Handshake());  // no client certificate: the server does not insist
    const RecordingObserver::Message* request = nullptr;
    for (const RecordingObserver::Message& m : link.client_observer.messages) {
      if (m.write_p == 0 && m.content_type == SSL3_RT_HANDSHAKE && !m.bytes.empty() &&
          m.bytes[0] == SSL3_MT_CERTIFICATE_REQUEST) {
        request = &m;
      }
    }
    ASSERT_NE(request, nullptr);
    EXPECT_NE(
        std::search(request->bytes.begin(), request->bytes.end(), ca_name.begin(), ca_name.end()),
        request->bytes.end());
  }
}

// ---- New sessions ---------------------------------------------------------------------------

TEST(OpenSslBackendNewSession, ClientGetsEachTls13TicketAsASession) {
  for (size_t tickets : {size_t{1}, size_t{3}}) {
    SCOPED_TRACE(tickets);
    Link link(TLS1_3_VERSION);
    link.client_ctx->SetSessionCacheMode(SSL_SESS_CACHE_CLIENT);
    ASSERT_TRUE(link.server_ctx->SetNumTickets(tickets));
    link.Connect();
    link.client->EnableHooks(kHookNewSession);
    ASSERT_TRUE(link.Handshake());
    link.ClientReadsPending();
    EXPECT_EQ(link.client_observer.new_session_calls, static_cast<int>(tickets));
    ASSERT_EQ(link.client_observer.sessions.size(), tickets);
    for (const auto& session : link.client_observer.sessions) {
      EXPECT_TRUE(session->IsResumable());
      EXPECT_TRUE(session->HasTicket());
      EXPECT_EQ(session->ProtocolVersion(), TLS1_3_VERSION);
    }
  }
}

// ---- OCSP stapling and ticket keys ----------------------------------------------------------

const Der kStaple = {0x30, 0x03, 0x0a, 0x01, 0x06};

TEST(OpenSslBackendOcsp, StapleReachesOnlyAClientThatAskedAndOnlyWithOk) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const bool ask : {true, false}) {
      for (const int server_answer : {SSL_TLSEXT_ERR_OK, SSL_TLSEXT_ERR_NOACK}) {
        SCOPED_TRACE(std::to_string(version) + " " + std::to_string(ask) + " " +
                     std::to_string(server_answer));
        Link link(version);
        link.Connect();
        if (ask) {
          ASSERT_TRUE(link.client->RequestOcspStatus());
        }
        link.server_observer.on_status = [&](bool server) {
          EXPECT_TRUE(server);
          EXPECT_TRUE(link.server->SetOcspResponse(kStaple.data(), kStaple.size()));
          return server_answer;
        };
        Der seen_in_callback = {1};
        link.client_observer.on_status = [&](bool server) {
          EXPECT_FALSE(server);
          seen_in_callback = link.client->OcspResponse();
          return 1;
        };
        ASSERT_TRUE(link.Handshake());
        EXPECT_EQ(link.server_observer.status_calls, ask ? 1 : 0);
        EXPECT_EQ(link.client_observer.status_calls, ask ? 1 : 0);
        const bool stapled = ask && server_answer == SSL_TLSEXT_ERR_OK;
        EXPECT_EQ(link.client->OcspResponse(), stapled ? kStaple : Der());
        if (ask) {
          EXPECT_EQ(seen_in_callback, link.client->OcspResponse());
        }
      }
    }
  }
}

TEST(OpenSslBackendOcsp, ClientCallbackZeroFailsTheHandshake) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    Link link(version);
    link.Connect();
    ASSERT_TRUE(link.client->RequestOcspStatus());
    link.client_observer.on_status = [](bool) { return 0; };
    EXPECT_FALSE(link.Handshake());
    EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_INVALID_STATUS_RESPONSE));
  }
}

// libssl calls the installed callback with its own contexts of the program's libcrypto, which
// the observer sets up as a program's callback would.
TEST(OpenSslBackendTickets, KeyCallbackSealsAndItsAnswersDecideResumption) {
  static const uint8_t kName[16] = {'k', 'e', 'y'};
  static const uint8_t kAesKey[32] = {1};
  static uint8_t kHmacKey[32] = {2};
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    Link link(version);
    ASSERT_TRUE(link.server_ctx->SetTicketKeyCallback(TicketKeyCallback::kEvpMac));
    int answer = 1, encrypt_calls = 0, decrypt_calls = 0;
    auto callback = [&](uint8_t* name, uint8_t* iv, void* cipher, void* mac, int enc) {
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, kHmacKey, sizeof kHmacKey),
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("sha256"), 0),
          OSSL_PARAM_construct_end()};
      auto* cipher_ctx = static_cast<EVP_CIPHER_CTX*>(cipher);
      if (enc) {
        encrypt_calls++;
        memcpy(name, kName, sizeof kName);
        memset(iv, 7, 16);
        EVP_EncryptInit_ex(cipher_ctx, EVP_aes_256_cbc(), nullptr, kAesKey, iv);
      } else {
        decrypt_calls++;
        if (answer <= 0) return answer;
        EVP_DecryptInit_ex(cipher_ctx, EVP_aes_256_cbc(), nullptr, kAesKey, iv);
      }
      EVP_MAC_CTX_set_params(static_cast<EVP_MAC_CTX*>(mac), params);
      return enc ? 1 : answer;
    };
    link.Connect();
    link.server->EnableHooks(kHookTicketKey);
    link.server_observer.on_ticket_key = callback;
    ASSERT_TRUE(link.Handshake());
    if (version == TLS1_3_VERSION) link.ClientReadsPending();  // the tickets come after
    EXPECT_GT(encrypt_calls, 0);
    std::unique_ptr<BackendSession> session = link.client->Get1Session();
    ASSERT_NE(session, nullptr);
    EXPECT_TRUE(session->HasTicket());
    link.client->Shutdown();  // freed without it, OpenSSL marks the session not resumable
    for (const int next : {1, 2, 0}) {
      SCOPED_TRACE(next);
      answer = next;
      decrypt_calls = 0;
      link.Connect();
      link.server->EnableHooks(kHookTicketKey);
      ASSERT_TRUE(link.client->SetSession(session.get()));
      ASSERT_TRUE(link.Handshake());
      EXPECT_EQ(decrypt_calls, 1);
      EXPECT_EQ(link.server->SessionReused(), next > 0);
      link.client->Shutdown();
    }
  }
}

TEST(OpenSslBackendNewSession, DroppedSessionsAndDisabledHooks) {
  Link link(TLS1_3_VERSION);
  link.client_ctx->SetSessionCacheMode(SSL_SESS_CACHE_CLIENT);
  link.Connect();
  link.client->EnableHooks(kHookNewSession);
  link.client_observer.keep_sessions = false;  // the observer destroys what it is given
  ASSERT_TRUE(link.Handshake());
  link.ClientReadsPending();
  EXPECT_EQ(link.client_observer.new_session_calls, 2);  // OpenSSL's default: two tickets
  EXPECT_TRUE(link.client_observer.sessions.empty());

  link.Connect();  // same contexts, no bit
  ASSERT_TRUE(link.Handshake());
  link.ClientReadsPending();
  EXPECT_EQ(link.client_observer.new_session_calls, 2);
}

// With a TLS 1.2 ticket OpenSSL's server session has no ID and is not cached (no callback); a
// stateful session is.
TEST(OpenSslBackendNewSession, Tls12ServerCachesTheSessionTheClientHas) {
  for (bool tickets : {false, true}) {
    SCOPED_TRACE(tickets);
    Link link(TLS1_2_VERSION);
    if (!tickets) link.server_ctx->SetOptions(SSL_OP_NO_TICKET);
    link.Connect();
    link.server->EnableHooks(kHookNewSession);
    ASSERT_TRUE(link.Handshake());
    if (tickets) {
      EXPECT_EQ(link.server_observer.new_session_calls, 0);
      continue;
    }
    ASSERT_EQ(link.server_observer.sessions.size(), 1u);
    std::unique_ptr<BackendSession> client_session = link.client->Get1Session();
    ASSERT_NE(client_session, nullptr);
    EXPECT_EQ(link.server_observer.sessions[0]->Id().size(), 32u);
    EXPECT_EQ(link.server_observer.sessions[0]->Id(), client_session->Id());
    EXPECT_FALSE(client_session->HasTicket());
  }
}

// ---- ALPN -----------------------------------------------------------------------------------

const uint8_t kClientAlpn[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

TEST(OpenSslBackendAlpn, ServerChoiceIsSeenOnBothSides) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    Link link(version);
    ASSERT_TRUE(link.client_ctx->SetAlpnProtos(kClientAlpn, sizeof kClientAlpn));
    link.server_observer.select_alpn = [](const uint8_t* in, size_t, const uint8_t** out,
                                          uint8_t* outlen) {
      *out = in + 4;  // "http/1.1", inside the client's list
      *outlen = 8;
      return SSL_TLSEXT_ERR_OK;
    };
    link.Connect();
    link.server->EnableHooks(kHookAlpnSelect);
    ASSERT_TRUE(link.Handshake());
    ASSERT_EQ(link.server_observer.alpn_offers.size(), 1u);
    EXPECT_EQ(link.server_observer.alpn_offers[0], Der(kClientAlpn, kClientAlpn + 12));
    const Der http11 = {'h', 't', 't', 'p', '/', '1', '.', '1'};
    EXPECT_EQ(link.client->AlpnSelected(), http11);
    EXPECT_EQ(link.server->AlpnSelected(), http11);
  }
}

TEST(OpenSslBackendAlpn, NoAckAndDisabledHookSelectNothing) {
  for (bool enabled : {true, false}) {
    SCOPED_TRACE(enabled);
    Link link(TLS1_3_VERSION);
    ASSERT_TRUE(link.client_ctx->SetAlpnProtos(kClientAlpn, sizeof kClientAlpn));
    link.Connect();
    if (enabled) link.server->EnableHooks(kHookAlpnSelect);  // default answer: NOACK
    ASSERT_TRUE(link.Handshake());
    EXPECT_EQ(link.server_observer.alpn_offers.size(), enabled ? 1u : 0u);
    EXPECT_TRUE(link.client->AlpnSelected().empty());
    EXPECT_TRUE(link.server->AlpnSelected().empty());
  }
}

TEST(OpenSslBackendAlpn, FatalAnswerEndsTheHandshake) {
  DrainErrors();
  Link link(TLS1_3_VERSION);
  ASSERT_TRUE(link.client_ctx->SetAlpnProtos(kClientAlpn, sizeof kClientAlpn));
  link.server_observer.select_alpn = [](const uint8_t*, size_t, const uint8_t**, uint8_t*) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  };
  link.Connect();
  link.server->EnableHooks(kHookAlpnSelect);
  EXPECT_FALSE(link.Handshake());
  EXPECT_EQ(link.server_result.ssl_error, SSL_ERROR_SSL);
  EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_NO_APPLICATION_PROTOCOL));
}

TEST(OpenSslBackendAlpn, ConnectionListReplacesTheContexts) {
  const uint8_t own[] = {6, 'a', 'c', 'm', 'e', '-', '1'};
  Link link(TLS1_3_VERSION);
  ASSERT_TRUE(link.client_ctx->SetAlpnProtos(kClientAlpn, sizeof kClientAlpn));
  link.Connect();
  ASSERT_TRUE(link.client->SetAlpnProtos(own, sizeof own));
  link.server->EnableHooks(kHookAlpnSelect);
  ASSERT_TRUE(link.Handshake());
  ASSERT_EQ(link.server_observer.alpn_offers.size(), 1u);
  EXPECT_EQ(link.server_observer.alpn_offers[0], Der(own, own + sizeof own));
}

// ---- NPN ------------------------------------------------------------------------------------

TEST(OpenSslBackendNpn, NegotiatedThroughBothObserversInTls12Only) {
  const Der advertised = {6, 's', 'p', 'd', 'y', '/', '3', 2, 'h', '2'};
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    Link link(version);
    link.client_ctx->EnableNextProtoCallbacks(false, true);
    link.server_ctx->EnableNextProtoCallbacks(true, false);
    link.server_observer.npn_advertised = advertised;
    link.client_observer.npn_choice = {'h', '2'};
    link.Connect();
    EXPECT_TRUE(link.client->NextProtoNegotiated().empty());
    ASSERT_TRUE(link.Handshake());
    const Der expected = version == TLS1_2_VERSION ? Der{'h', '2'} : Der{};
    EXPECT_EQ(link.client->NextProtoNegotiated(), expected);
    EXPECT_EQ(link.server->NextProtoNegotiated(), expected);
    EXPECT_EQ(link.client_observer.npn_offers.size(), version == TLS1_2_VERSION ? 1u : 0u);
  }
}

TEST(OpenSslBackendNpn, WithoutTheProgramsCallbacksNothingIsOffered) {
  Link link(TLS1_2_VERSION);
  link.client_ctx->EnableNextProtoCallbacks(false, true);
  link.client_ctx->EnableNextProtoCallbacks(false, false);
  link.server_ctx->EnableNextProtoCallbacks(true, false);
  link.server_observer.npn_advertised = {2, 'h', '2'};
  link.client_observer.npn_choice = {'h', '2'};
  link.Connect();
  ASSERT_TRUE(link.Handshake());
  EXPECT_TRUE(link.client_observer.npn_offers.empty());
  EXPECT_TRUE(link.client->NextProtoNegotiated().empty());
}

// ---- Server name ----------------------------------------------------------------------------

TEST(OpenSslBackendServerName, SwitchingContextServesTheOtherCertificate) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    Link link(version);
    std::unique_ptr<BackendCtx> other = OpenSsl().NewCtx({Endpoint::kServer, 0, 0}, nullptr);
    ASSERT_NE(other, nullptr);
    ASSERT_TRUE(other->UseCertificateChain({Pki().other.cert_der, Pki().ca.cert_der}));
    ASSERT_TRUE(other->UsePrivateKey(Pki().other.key_pkcs8));
    link.Connect();
    ASSERT_TRUE(link.client->SetHostName("other.test"));
    std::string name_in_callback;
    link.server_observer.server_name = [&](int*) {
      name_in_callback = link.server->ServerName();
      return link.server->SwitchCtx(other.get()) ? SSL_TLSEXT_ERR_OK : SSL_TLSEXT_ERR_ALERT_FATAL;
    };
    // The certificate hook too: it must still run after the switch replaced the SSL's settings.
    link.server->EnableHooks(kHookServerName | kHookCert);
    ASSERT_TRUE(link.Handshake());
    EXPECT_EQ(link.server_observer.server_name_calls, 1);
    EXPECT_EQ(name_in_callback, "other.test");
    EXPECT_EQ(link.server_observer.cert_calls, 1);
    EXPECT_EQ(link.client->PeerCertificateDer(), Pki().other.cert_der);
    EXPECT_EQ(link.client->PeerChainDer(), (Chain{Pki().other.cert_der, Pki().ca.cert_der}));
    EXPECT_EQ(link.client->ServerName(), "other.test");
    EXPECT_EQ(link.server->ServerName(), "other.test");
  }
}

TEST(OpenSslBackendServerName, WithoutTheHookTheFirstContextServes) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  ASSERT_TRUE(link.client->SetHostName("other.test"));
  ASSERT_TRUE(link.Handshake());
  EXPECT_EQ(link.server_observer.server_name_calls, 0);
  EXPECT_EQ(link.client->PeerCertificateDer(), Pki().server.cert_der);
}

TEST(OpenSslBackendServerName, FatalAnswerEndsTheHandshake) {
  DrainErrors();
  Link link(TLS1_3_VERSION);
  link.Connect();
  ASSERT_TRUE(link.client->SetHostName("nobody.test"));
  link.server_observer.server_name = [](int* alert) {
    *alert = SSL_AD_UNRECOGNIZED_NAME;
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  };
  link.server->EnableHooks(kHookServerName);
  EXPECT_FALSE(link.Handshake());
  EXPECT_EQ(link.server_result.ssl_error, SSL_ERROR_SSL);
  EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_CALLBACK_FAILED));
}

// ---- Certificate callback -------------------------------------------------------------------

TEST(OpenSslBackendCertCallback, RetryGivesWantX509LookupThenTheHandshakeGoesOn) {
  Link link(TLS1_3_VERSION);
  link.Connect();
  link.server->EnableHooks(kHookCert);
  link.server_observer.cert_answers = {-1};
  IoResult c = link.client->Handshake();  // ClientHello
  ASSERT_EQ(c.ssl_error, SSL_ERROR_WANT_READ);
  IoResult s = link.server->Handshake();
  EXPECT_EQ(s.ret, -1);
  EXPECT_EQ(s.ssl_error, SSL_ERROR_WANT_X509_LOOKUP);
  EXPECT_EQ(link.server_observer.cert_calls, 1);
  ASSERT_TRUE(link.Handshake());
  EXPECT_EQ(link.server_observer.cert_calls, 2);
}

TEST(OpenSslBackendCertCallback, FailureEndsTheHandshake) {
  DrainErrors();
  Link link(TLS1_2_VERSION);
  link.Connect();
  link.server->EnableHooks(kHookCert);
  link.server_observer.cert_answers = {0};
  EXPECT_FALSE(link.Handshake());
  EXPECT_EQ(link.server_result.ssl_error, SSL_ERROR_SSL);
  EXPECT_TRUE(HasSslError(DrainErrors(), SSL_R_CERT_CB_ERROR));
}

// A client that picks its certificate when the server asks (curl, psql do this): the callback sets
// it on the connection, and the server receives it.
TEST(OpenSslBackendCertCallback, ClientSetsItsCertificateFromTheCallback) {
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    Link link(version);
    link.server_ctx->SetVerify(SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
    link.Connect();
    link.client->EnableHooks(kHookCert);
    link.client_observer.cert_answers = {-1};  // first "not yet", as an asynchronous lookup
    BackendConn* client = link.client.get();
    bool set_ok = false;
    // The second call (after WANT_X509_LOOKUP) sets the certificate; Link::Handshake cannot drive
    // the lookup state itself, so the steps are spelled out.
    for (int i = 0; i < 50 && !(link.client_result.ret == 1 && link.server_result.ret == 1); ++i) {
      link.client_result = client->Handshake();
      if (link.client_result.ssl_error == SSL_ERROR_WANT_X509_LOOKUP) {
        set_ok = client->UseCertificateChain({Pki().client.cert_der, Pki().ca.cert_der}) &&
                 client->UsePrivateKey(Pki().client.key_pkcs8);
        continue;
      }
      ASSERT_TRUE(link.client_result.ret == 1 || IsWant(link.client_result))
          << link.client_result.ssl_error;
      link.server_result = link.server->Handshake();
      ASSERT_TRUE(link.server_result.ret == 1 || IsWant(link.server_result))
          << link.server_result.ssl_error;
    }
    EXPECT_TRUE(set_ok);
    EXPECT_EQ(link.client_observer.cert_calls, 2);
    ASSERT_EQ(link.server_observer.chains.size(), 1u);
    EXPECT_EQ(link.server->PeerChainDer(), (Chain{Pki().client.cert_der, Pki().ca.cert_der}));
  }
}

}  // namespace
}  // namespace sslshim::openssl_test
