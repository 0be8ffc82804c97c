/* negotiated_probe: one side of a TLS connection over an inherited socket, in plain OpenSSL 3
 * API, that prints what the handshake negotiated and what the API answered, one "key=value" line
 * each. negotiated_test.cc runs it under test (natively, preloaded on either backend, stand-in)
 * against a native copy of itself as the peer, and compares:
 *   fact.*    with the peer's line of the same name (the same bytes must come out on both ends:
 *             exported keying material, the hello randoms, the master secret, NPN's protocol);
 *   answer.*  with the native run's line (return values, sizes, error queues, callback counts).
 *
 * usage: negotiated_probe client|server FD SCENARIO VERSION [--peer] [--cert F --key F]
 *   SCENARIO  secrets (exporter, randoms, master key), npn, alpn, sid (session ID contexts and
 *             resumption: four connections one after another on the one socket), ocsp (OCSP
 *             stapling: asked and stapled, not asked, refused with NOACK, and a client callback
 *             that rejects the response), ocsp_fatal (a server callback that fails), tickets and
 *             tickets_hmac (a session ticket key callback, EVP_MAC_CTX or HMAC_CTX: resumed,
 *             key unknown, renewed), tickets_resume (resumption in a new server process with
 *             the same key: the client offers the session tickets wrote to --session),
 *             ticket_keys (the same keys given with SSL_CTX_set_tlsext_ticket_keys: resumed)
 *   VERSION   1.2 or 1.3
 *   --peer    the native peer: it pins the cipher suite (so both libraries' preferences give the
 *             same one, and the same secret sizes) and is the one whose lines are "the peer's".
 */
/* The older ticket key callback takes an HMAC_CTX, deprecated in OpenSSL 3 (and still used). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static SSL* g_ssl; /* the connection the program knows: callbacks must get this one */
static int g_arg;  /* the address callbacks must get as their argument */

static void print_hex(const char* key, const unsigned char* bytes, size_t len) {
  printf("%s=", key);
  for (size_t i = 0; i < len; i++) printf("%02x", bytes[i]);
  printf("\n");
}

static void print_text(const char* key, const unsigned char* bytes, size_t len) {
  if (bytes == NULL) {
    printf("%s=(null) len=%zu\n", key, len);
  } else {
    printf("%s=%.*s\n", key, (int)len, (const char*)bytes);
  }
}

/* The return value and what the call left on the error queue, which is then emptied. */
static void print_answer(const char* key, long ret) {
  unsigned long e = ERR_peek_last_error();
  char text[256] = "empty";
  if (e != 0) ERR_error_string_n(e, text, sizeof text);
  printf("%s=ret %ld queue %s\n", key, ret, text);
  ERR_clear_error();
}

/* --- NPN and ALPN callbacks: they count their calls and check the objects they get ---------- */

static const unsigned char kServerNpn[] = "\x06spdy/3\x08http/1.1";
static const unsigned char kClientNpn[] = "\x08http/1.1\x06spdy/3";
static int g_npn_advertise_calls, g_npn_select_calls, g_callback_objects_ok = 1;
static unsigned char g_offered[256];
static unsigned int g_offered_len;

static void check_objects(SSL* ssl, void* arg) {
  if (ssl != g_ssl || arg != &g_arg) g_callback_objects_ok = 0;
}

static int npn_advertise(SSL* ssl, const unsigned char** out, unsigned int* outlen, void* arg) {
  check_objects(ssl, arg);
  g_npn_advertise_calls++;
  *out = kServerNpn;
  *outlen = sizeof kServerNpn - 1;
  return SSL_TLSEXT_ERR_OK;
}

static int npn_select(SSL* ssl, unsigned char** out, unsigned char* outlen, const unsigned char* in,
                      unsigned int inlen, void* arg) {
  check_objects(ssl, arg);
  g_npn_select_calls++;
  g_offered_len = inlen < sizeof g_offered ? inlen : sizeof g_offered;
  memcpy(g_offered, in, g_offered_len);
  SSL_select_next_proto(out, outlen, in, inlen, kClientNpn, sizeof kClientNpn - 1);
  return SSL_TLSEXT_ERR_OK;
}

static int alpn_select(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                       const unsigned char* in, unsigned int inlen, void* arg) {
  check_objects(ssl, arg);
  g_offered_len = inlen < sizeof g_offered ? inlen : sizeof g_offered;
  memcpy(g_offered, in, g_offered_len);
  if (inlen < 2 || in[0] + 1u > inlen) return SSL_TLSEXT_ERR_NOACK;
  *out = in + 1; /* the client's first protocol */
  *outlen = in[0];
  return SSL_TLSEXT_ERR_OK;
}

/* --- Connections ----------------------------------------------------------------------------- */

/* One byte each way (a TLS 1.3 client thereby reads the server's tickets), then both
 * close_notify alerts, so the next connection starts on a clean stream. */
static int exchange_and_close(SSL* ssl, int server) {
  char byte = 0;
  int ok = server ? SSL_write(ssl, "s", 1) == 1 && SSL_read(ssl, &byte, 1) == 1
                  : SSL_read(ssl, &byte, 1) == 1 && SSL_write(ssl, "c", 1) == 1;
  int shut = SSL_shutdown(ssl);
  if (shut == 0) shut = SSL_shutdown(ssl);
  return ok && shut == 1;
}

static int handshake(SSL* ssl, int server) {
  int ret = server ? SSL_accept(ssl) : SSL_connect(ssl);
  if (ret != 1) {
    printf("answer.handshake=failed err %d\n", SSL_get_error(ssl, ret));
    ERR_print_errors_fp(stderr);
    return 0;
  }
  return 1;
}

static void secrets(SSL* ssl, int server, int tls13) {
  unsigned char out[64];
  print_answer("answer.export_before_handshake",
               SSL_export_keying_material(ssl, out, 32, "EXPORTER-x", 10, NULL, 0, 0));
  unsigned char early[32], zeros[32] = {0};
  memset(early, 0xee, sizeof early);
  printf("answer.client_random_before_handshake=%zu zero %d\n",
         SSL_get_client_random(ssl, early, sizeof early), memcmp(early, zeros, 32) == 0);
  memset(early, 0xee, sizeof early);
  printf("answer.server_random_before_handshake=%zu zero %d\n",
         SSL_get_server_random(ssl, early, sizeof early), memcmp(early, zeros, 32) == 0);
  if (!handshake(ssl, server)) return;
  printf("answer.version=%s\n", SSL_get_version(ssl));

  static const char kLabel[] = "EXPERIMENTAL-sslshim";
  static const unsigned char kContext[] = "sslshim context";
  unsigned char none[64], with[64], empty[64], longer[100];
  print_answer("answer.export_no_context",
               SSL_export_keying_material(ssl, none, 32, kLabel, strlen(kLabel), NULL, 0, 0));
  print_answer("answer.export_context",
               SSL_export_keying_material(ssl, with, 32, kLabel, strlen(kLabel), kContext,
                                          sizeof kContext - 1, 1));
  print_answer("answer.export_empty_context",
               SSL_export_keying_material(ssl, empty, 32, kLabel, strlen(kLabel), kContext, 0, 1));
  print_answer("answer.export_100_bytes",
               SSL_export_keying_material(ssl, longer, sizeof longer, kLabel, strlen(kLabel),
                                          kContext, sizeof kContext - 1, 1));
  print_hex("fact.export_no_context", none, 32);
  print_hex("fact.export_context", with, 32);
  print_hex("fact.export_empty_context", empty, 32);
  print_hex("fact.export_100_bytes", longer, sizeof longer);
  printf("answer.no_context_equals_empty_context=%d\n", memcmp(none, empty, 32) == 0);
  printf("answer.context_changes_output=%d\n", memcmp(none, with, 32) != 0);
  /* TLS <= 1.2 refuses TLS's own PRF labels; TLS 1.3 has no such rule. */
  print_answer("answer.export_master_secret_label",
               SSL_export_keying_material(ssl, out, 32, "master secret", 13, NULL, 0, 0));
  print_answer("answer.export_key_expansion_label",
               SSL_export_keying_material(ssl, out, 32, "key expansionX", 14, NULL, 0, 1));

  unsigned char client[64], server_random[64], five[5];
  memset(client, 0xee, sizeof client);
  printf("answer.client_random_size=%zu\n", SSL_get_client_random(ssl, NULL, 0));
  printf("answer.server_random_size=%zu\n", SSL_get_server_random(ssl, NULL, 0));
  printf("answer.client_random_into_64=%zu\n", SSL_get_client_random(ssl, client, sizeof client));
  printf("answer.client_random_untouched_after_32=%d\n", client[32] == 0xee);
  printf("answer.server_random_into_64=%zu\n",
         SSL_get_server_random(ssl, server_random, sizeof server_random));
  printf("answer.client_random_into_5=%zu\n", SSL_get_client_random(ssl, five, sizeof five));
  printf("answer.client_random_5_is_prefix=%d\n", memcmp(five, client, 5) == 0);
  print_hex("fact.client_random", client, 32);
  print_hex("fact.server_random", server_random, 32);

  SSL_SESSION* session = SSL_get_session(ssl);
  unsigned char key[64];
  const size_t key_size = SSL_SESSION_get_master_key(session, NULL, 0);
  printf("answer.master_key_size=%zu\n", key_size);
  printf("answer.master_key_into_64=%zu\n", SSL_SESSION_get_master_key(session, key, sizeof key));
  printf("answer.master_key_into_5=%zu\n", SSL_SESSION_get_master_key(session, five, sizeof five));
  printf("answer.master_key_5_is_prefix=%d\n",
         key_size == 0 || memcmp(five, key, sizeof five) == 0);
  /* TLS 1.3's session secret is each side's own (the server's ticket PSK; the client has none
   * before a ticket): only TLS 1.2's master secret is shared. */
  if (!tls13 && key_size <= sizeof key) print_hex("fact.master_key", key, key_size);
  exchange_and_close(ssl, server);
}

static void npn(SSL* ssl, int server) {
  const unsigned char* data = (const unsigned char*)"x";
  unsigned int len = 99;
  SSL_get0_next_proto_negotiated(ssl, &data, &len);
  print_text("answer.npn_before_handshake", data, len);
  if (!handshake(ssl, server)) return;
  SSL_get0_next_proto_negotiated(ssl, &data, &len);
  const unsigned char* again = NULL;
  unsigned int again_len = 0;
  SSL_get0_next_proto_negotiated(ssl, &again, &again_len);
  printf("answer.npn_same_pointer_twice=%d\n", again == data && again_len == len);
  print_text("answer.npn", data, len);
  print_text("fact.npn", data, len);
  printf("answer.npn_advertise_calls=%d\n", g_npn_advertise_calls);
  printf("answer.npn_select_calls=%d\n", g_npn_select_calls);
  print_hex("answer.npn_offered", g_offered, g_offered_len);
  printf("answer.callback_objects_ok=%d\n", g_callback_objects_ok);
  exchange_and_close(ssl, server);
}

static void alpn(SSL_CTX* ctx, SSL* ssl, int server) {
  if (!server) {
    /* The connection's list replaces the context's; the bad ones change nothing. */
    print_answer("answer.ctx_alpn",
                 SSL_CTX_set_alpn_protos(ctx, (const unsigned char*)"\x02h2", 3));
    print_answer("answer.alpn_bad_length",
                 SSL_set_alpn_protos(ssl, (const unsigned char*)"\x05h2", 3));
    print_answer("answer.alpn_empty_protocol",
                 SSL_set_alpn_protos(ssl, (const unsigned char*)"\x00\x02h2", 4));
    print_answer("answer.alpn_null_clears", SSL_set_alpn_protos(ssl, NULL, 5));
    print_answer("answer.alpn_set", SSL_set_alpn_protos(ssl,
                                                        (const unsigned char*)"\x06"
                                                                              "acme-1\x08http/1.1",
                                                        16));
  }
  if (!handshake(ssl, server)) return;
  const unsigned char* data = NULL;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl, &data, &len);
  const unsigned char* again = NULL;
  unsigned int again_len = 0;
  SSL_get0_alpn_selected(ssl, &again, &again_len);
  printf("answer.alpn_same_pointer_twice=%d\n", again == data && again_len == len);
  print_text("answer.alpn_selected", data, len);
  print_text("fact.alpn_selected", data, len);
  if (server) print_hex("answer.alpn_offered", g_offered, g_offered_len);
  printf("answer.callback_objects_ok=%d\n", g_callback_objects_ok);
  exchange_and_close(ssl, server);
}

/* Four connections; the server sets each one's session ID context: "app" (a full handshake that
 * the client keeps the session of), "app" again (resumed), "other" (the session is for another
 * context: a full handshake), and "app" once more, on a connection its server name callback
 * moves to another context (SSL_set_SSL_CTX keeps a connection's own session ID context: the
 * session resumes). The client offers its first session every time. */
static SSL_CTX* g_other_ctx;
static int g_switch_ctx;

static int server_name(SSL* ssl, int* alert, void* arg) {
  (void)alert, (void)arg;
  if (g_switch_ctx && SSL_set_SSL_CTX(ssl, g_other_ctx) != g_other_ctx) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  return SSL_TLSEXT_ERR_OK;
}

static int sid(SSL_CTX* ctx, int server, int fd) {
  SSL_SESSION* kept = NULL;
  static const char* const kContexts[] = {"app", "app", "other", "app"};
  for (int i = 0; i < 4; i++) {
    SSL* ssl = SSL_new(ctx);
    g_ssl = ssl;
    g_switch_ctx = i == 3;
    SSL_set_fd(ssl, fd);
    if (server) {
      char key[64];
      snprintf(key, sizeof key, "answer.set_sid_%d", i);
      print_answer(key, SSL_set_session_id_context(ssl, (const unsigned char*)kContexts[i],
                                                   strlen(kContexts[i])));
    } else {
      SSL_set_tlsext_host_name(ssl, "localhost");
      if (kept != NULL) SSL_set_session(ssl, kept);
    }
    if (!handshake(ssl, server)) return 1;
    printf("answer.reused_%d=%d\n", i, SSL_session_reused(ssl));
    printf("fact.reused_%d=%d\n", i, SSL_session_reused(ssl));
    if (!exchange_and_close(ssl, server)) printf("answer.close_%d=failed\n", i);
    if (!server && kept == NULL) kept = SSL_get1_session(ssl);
    SSL_free(ssl);
  }
  SSL_SESSION_free(kept);
  return 0;
}

/* --- OCSP stapling -------------------------------------------------------------------------- */

/* An OCSPResponse with status "unauthorized" and no body: valid DER, nothing to verify. */
static const unsigned char kStaple[] = {0x30, 0x03, 0x0a, 0x01, 0x06};
static int g_conn; /* which connection of the scenario runs */
static int g_server_status_answer = SSL_TLSEXT_ERR_OK;
static int g_status_calls;      /* this connection's status callback calls */
static long g_status_len_in_cb; /* what SSL_get_tlsext_status_ocsp_resp said in the callback */

static int server_status(SSL* ssl, void* arg) {
  check_objects(ssl, arg);
  g_status_calls++;
  unsigned char* copy = OPENSSL_memdup(kStaple, sizeof kStaple);
  if (copy == NULL || SSL_set_tlsext_status_ocsp_resp(ssl, copy, sizeof kStaple) != 1) return -1;
  return g_server_status_answer;
}

static int client_status(SSL* ssl, void* arg) {
  check_objects(ssl, arg);
  g_status_calls++;
  const unsigned char* resp = NULL;
  g_status_len_in_cb = SSL_get_tlsext_status_ocsp_resp(ssl, &resp);
  if ((g_status_len_in_cb > 0) != (resp != NULL)) g_status_len_in_cb = -100;
  return g_conn == 3 ? 0 : 1; /* the last connection's client rejects the response */
}

/* The reason a failed handshake left last on the queue (the peer's alert, or our own reason). */
static void print_failure(const char* key, SSL* ssl, int ret) {
  unsigned long e = ERR_peek_last_error();
  const char* reason = e != 0 ? ERR_reason_error_string(e) : NULL;
  printf("%s=ret %d err %d reason %s\n", key, ret, SSL_get_error(ssl, ret),
         reason != NULL ? reason : "none");
  ERR_clear_error();
}

/* Connection i: 0 asked and stapled; 1 not asked; 2 asked, the server answers NOACK; 3 asked and
 * stapled, the client's callback rejects it (the handshake fails: the last connection). With
 * `fatal`, one connection whose server callback answers ALERT_FATAL. */
static int ocsp(SSL_CTX* ctx, int server, int fd, int fatal, int tls13) {
  if (server) {
    SSL_CTX_set_tlsext_status_cb(ctx, server_status);
  } else {
    SSL_CTX_set_tlsext_status_cb(ctx, client_status);
  }
  SSL_CTX_set_tlsext_status_arg(ctx, &g_arg);
  for (g_conn = fatal ? 4 : 0; g_conn < (fatal ? 5 : 4); g_conn++) {
    SSL* ssl = SSL_new(ctx);
    g_ssl = ssl;
    g_status_calls = 0;
    g_status_len_in_cb = -2;
    g_server_status_answer = g_conn == 2   ? SSL_TLSEXT_ERR_NOACK
                             : g_conn == 4 ? SSL_TLSEXT_ERR_ALERT_FATAL
                                           : SSL_TLSEXT_ERR_OK;
    SSL_set_fd(ssl, fd);
    char key[64];
    if (!server && g_conn != 1) {
      snprintf(key, sizeof key, "answer.set_type_%d", g_conn);
      print_answer(key, SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp));
    }
    if (!server) {
      snprintf(key, sizeof key, "answer.get_type_%d", g_conn);
      printf("%s=%ld\n", key, SSL_get_tlsext_status_type(ssl));
    }
    int ret = server ? SSL_accept(ssl) : SSL_connect(ssl);
    snprintf(key, sizeof key, "answer.status_calls_%d", g_conn);
    printf("%s=%d\n", key, g_status_calls);
    if (!server) printf("answer.len_in_callback_%d=%ld\n", g_conn, g_status_len_in_cb);
    if (ret != 1) {
      /* A TLS 1.3 server whose client rejects the response: on the BoringSSL backend the server
       * fails with "decryption failed or bad record mac" on the alert OpenSSL's client sends at
       * that point, where native OpenSSL names the alert (measured): the failure is compared,
       * its reason only printed. */
      const int reason_differs = server && tls13 && g_conn == 3;
      snprintf(key, sizeof key, "%s.handshake_%d", reason_differs ? "info" : "answer", g_conn);
      if (reason_differs) printf("answer.handshake_%d=ret %d\n", g_conn, ret);
      print_failure(key, ssl, ret);
      printf("fact.handshake_%d=failed\n", g_conn);
      SSL_free(ssl);
      break;
    }
    const unsigned char* resp = NULL;
    long len = SSL_get_tlsext_status_ocsp_resp(ssl, &resp);
    if (server) {
      /* What this side stapled: what it set, when the client asked and the callback said OK. */
      int stapled = g_status_calls > 0 && g_server_status_answer == SSL_TLSEXT_ERR_OK;
      if (stapled) {
        print_hex((snprintf(key, sizeof key, "fact.staple_%d", g_conn), key), resp, (size_t)len);
      } else {
        printf("fact.staple_%d=none\n", g_conn);
      }
    } else {
      printf("answer.get_resp_%d=%ld\n", g_conn, len);
      if (len > 0) {
        print_hex((snprintf(key, sizeof key, "fact.staple_%d", g_conn), key), resp, (size_t)len);
      } else {
        printf("fact.staple_%d=none\n", g_conn);
      }
    }
    if (!exchange_and_close(ssl, server)) printf("answer.close_%d=failed\n", g_conn);
    SSL_free(ssl);
  }
  printf("answer.callback_objects=%d\n", g_callback_objects_ok);
  return 0;
}

/* --- Session ticket keys ------------------------------------------------------------------- */

static const unsigned char kTicketName[16] = "sslshim-ticket-1";
static const unsigned char kTicketAesKey[32] = {
    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11};
static unsigned char kTicketHmacKey[32] = {
    0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21,
    0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21};
static int g_enc_calls;
static char g_dec_answers[32]; /* this connection's decryption answers, in order */

/* What the decrypting callback answers for a known key on connection i: 1 (resume), 0 (the key
 * is unknown: a full handshake), 2 (resume and renew). */
static int decrypt_answer(void) {
  static const int kAnswers[] = {1, 1, 0, 2};
  return g_conn < 4 ? kAnswers[g_conn] : 1;
}

/* The part both callbacks share: the key name, the IV and the cipher; the answer. */
static int ticket_key_common(SSL* ssl, unsigned char* name, unsigned char* iv,
                             EVP_CIPHER_CTX* cipher, int enc) {
  if (ssl != g_ssl) g_callback_objects_ok = 0;
  if (enc) {
    g_enc_calls++;
    memcpy(name, kTicketName, sizeof kTicketName);
    if (RAND_bytes(iv, 16) != 1) return -1;
    return EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), NULL, kTicketAesKey, iv) == 1 ? 1 : -1;
  }
  int answer = memcmp(name, kTicketName, sizeof kTicketName) == 0 ? decrypt_answer() : 0;
  size_t used = strlen(g_dec_answers);
  if (used + 1 < sizeof g_dec_answers) g_dec_answers[used] = (char)('0' + answer);
  if (answer <= 0) return answer;
  return EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), NULL, kTicketAesKey, iv) == 1 ? answer : -1;
}

static int ticket_key_evp(SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                          EVP_MAC_CTX* mac, int enc) {
  int ret = ticket_key_common(ssl, name, iv, cipher, enc);
  if (ret <= 0) return ret;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, kTicketHmacKey, sizeof kTicketHmacKey),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char*)"sha256", 0),
      OSSL_PARAM_construct_end()};
  return EVP_MAC_CTX_set_params(mac, params) == 1 ? ret : -1;
}

static int ticket_key_hmac(SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                           HMAC_CTX* mac, int enc) {
  int ret = ticket_key_common(ssl, name, iv, cipher, enc);
  if (ret <= 0) return ret;
  return HMAC_Init_ex(mac, kTicketHmacKey, sizeof kTicketHmacKey, EVP_sha256(), NULL) == 1 ? ret
                                                                                           : -1;
}

/* Connections 0-3 (tickets): full, resumed, key unknown (full), renewed; the client offers the
 * first connection's session each time and writes it to `session_file`. tickets_resume: one
 * connection offering the session read from `session_file`. */
static int tickets(SSL_CTX* ctx, int server, int fd, const char* scenario, int tls13,
                   const char* session_file) {
  const int resume_only = strcmp(scenario, "tickets_resume") == 0;
  const int keys_only = strcmp(scenario, "ticket_keys") == 0;
  SSL_SESSION* kept = NULL;
  if (server && keys_only) {
    /* The callback's keys as SSL_CTX_set_tlsext_ticket_keys takes them: its tickets are the
     * callback's, so tickets_resume (with the callback) opens them. */
    unsigned char keys[80], read_back[80];
    memcpy(keys, kTicketName, 16);
    memcpy(keys + 16, kTicketHmacKey, 32);
    memcpy(keys + 48, kTicketAesKey, 32);
    printf("answer.keys_length=%ld\n", SSL_CTX_get_tlsext_ticket_keys(ctx, NULL, 0));
    print_answer("answer.get_keys", SSL_CTX_get_tlsext_ticket_keys(ctx, read_back, 80));
    print_answer("answer.set_keys_short", SSL_CTX_set_tlsext_ticket_keys(ctx, keys, 79));
    print_answer("answer.set_keys", SSL_CTX_set_tlsext_ticket_keys(ctx, keys, 80));
    print_answer("answer.get_keys_again", SSL_CTX_get_tlsext_ticket_keys(ctx, read_back, 80));
    printf("answer.read_back_equal=%d\n", memcmp(keys, read_back, 80) == 0);
  } else if (server) {
    if (strcmp(scenario, "tickets_hmac") == 0) {
      print_answer("answer.set_callback", SSL_CTX_set_tlsext_ticket_key_cb(ctx, ticket_key_hmac));
    } else {
      print_answer("answer.set_callback",
                   SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_key_evp));
    }
  } else if (resume_only) {
    unsigned char der[8192];
    FILE* in = session_file != NULL ? fopen(session_file, "rb") : NULL;
    size_t len = in != NULL ? fread(der, 1, sizeof der, in) : 0;
    const unsigned char* cursor = der;
    kept = len > 0 ? d2i_SSL_SESSION(NULL, &cursor, (long)len) : NULL;
    if (in != NULL) fclose(in);
    if (kept == NULL) {
      fprintf(stderr, "negotiated_probe: no session in %s\n", session_file);
      return 1;
    }
  }
  for (g_conn = resume_only ? 1 : 0; g_conn < (resume_only || keys_only ? 2 : 4); g_conn++) {
    SSL* ssl = SSL_new(ctx);
    g_ssl = ssl;
    g_enc_calls = 0;
    memset(g_dec_answers, 0, sizeof g_dec_answers);
    SSL_set_fd(ssl, fd);
    if (!server && kept != NULL) SSL_set_session(ssl, kept);
    if (!handshake(ssl, server)) return 1;
    if (!exchange_and_close(ssl, server)) printf("answer.close_%d=failed\n", g_conn);
    printf("answer.reused_%d=%d\n", g_conn, SSL_session_reused(ssl));
    printf("fact.reused_%d=%d\n", g_conn, SSL_session_reused(ssl));
    if (server) {
      printf("answer.decrypt_%d=%s\n", g_conn, g_dec_answers);
      /* A renewing answer on a TLS 1.2 resumption is where the BoringSSL backend differs (it
       * cannot send a new ticket then): counted, not compared, there. */
      const char* kind = !tls13 && g_conn == 3 ? "info" : "answer";
      printf("%s.encrypted_%d=%d\n", kind, g_conn, g_enc_calls > 0);
      printf("info.encrypt_calls_%d=%d\n", g_conn, g_enc_calls);
    }
    if (!server && kept == NULL) kept = SSL_get1_session(ssl);
    SSL_free(ssl);
  }
  if (!server && !resume_only && session_file != NULL) {
    unsigned char* der = NULL;
    int len = kept != NULL ? i2d_SSL_SESSION(kept, &der) : 0;
    FILE* out = fopen(session_file, "wb");
    if (out == NULL || len <= 0 || fwrite(der, 1, (size_t)len, out) != (size_t)len) return 1;
    fclose(out);
    OPENSSL_free(der);
  }
  if (server) printf("answer.callback_objects=%d\n", g_callback_objects_ok);
  SSL_SESSION_free(kept);
  return 0;
}

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc < 5) {
    fprintf(stderr, "usage: negotiated_probe client|server FD SCENARIO VERSION [options]\n");
    return 2;
  }
  const int server = strcmp(argv[1], "server") == 0;
  const int fd = atoi(argv[2]);
  const char* scenario = argv[3];
  const int tls13 = strcmp(argv[4], "1.3") == 0;
  const char *cert = NULL, *key = NULL, *session_file = NULL;
  int peer = 0;
  for (int i = 5; i < argc; i++) {
    if (strcmp(argv[i], "--peer") == 0) {
      peer = 1;
    } else if (strcmp(argv[i], "--cert") == 0 && i + 1 < argc) {
      cert = argv[++i];
    } else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
      key = argv[++i];
    } else if (strcmp(argv[i], "--session") == 0 && i + 1 < argc) {
      session_file = argv[++i];
    } else {
      fprintf(stderr, "negotiated_probe: unknown option %s\n", argv[i]);
      return 2;
    }
  }

  SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  const int version = tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, version) ||
      !SSL_CTX_set_max_proto_version(ctx, version)) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  if (peer && (SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256") != 1 ||
               SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256") != 1)) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  if (cert != NULL && (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
                       SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  if (strcmp(scenario, "npn") == 0) {
    if (server) {
      SSL_CTX_set_next_protos_advertised_cb(ctx, npn_advertise, &g_arg);
    } else {
      SSL_CTX_set_next_proto_select_cb(ctx, npn_select, &g_arg);
    }
  }
  if (strcmp(scenario, "alpn") == 0 && server) SSL_CTX_set_alpn_select_cb(ctx, alpn_select, &g_arg);
  if (strcmp(scenario, "sid") == 0 && server) {
    g_other_ctx = SSL_CTX_new(TLS_method());
    if (g_other_ctx == NULL || SSL_CTX_use_certificate_chain_file(g_other_ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(g_other_ctx, key, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_set_session_id_context(g_other_ctx, (const unsigned char*)"vhost", 5) != 1) {
      ERR_print_errors_fp(stderr);
      return 1;
    }
    SSL_CTX_set_tlsext_servername_callback(ctx, server_name);
  }

  int status = 0;
  if (strcmp(scenario, "sid") == 0) {
    status = sid(ctx, server, fd);
  } else if (strncmp(scenario, "ocsp", 4) == 0) {
    status = ocsp(ctx, server, fd, strcmp(scenario, "ocsp_fatal") == 0, tls13);
  } else if (strncmp(scenario, "ticket", 6) == 0) {
    status = tickets(ctx, server, fd, scenario, tls13, session_file);
  } else {
    SSL* ssl = SSL_new(ctx);
    g_ssl = ssl;
    SSL_set_fd(ssl, fd);
    if (strcmp(scenario, "secrets") == 0) {
      secrets(ssl, server, tls13);
    } else if (strcmp(scenario, "npn") == 0) {
      npn(ssl, server);
    } else if (strcmp(scenario, "alpn") == 0) {
      alpn(ctx, ssl, server);
    } else {
      fprintf(stderr, "negotiated_probe: unknown scenario %s\n", scenario);
      status = 2;
    }
    SSL_free(ssl);
  }
  fflush(stdout);
  SSL_CTX_free(g_other_ctx);
  SSL_CTX_free(ctx);
  close(fd);
  return status;
}
