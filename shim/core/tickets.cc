// Session tickets sealed with the program's ticket key callback (SSL_CTX_set_tlsext_ticket_key_cb,
// SSL_CTX_set_tlsext_ticket_key_evp_cb). The callback picks or finds the keys by setting up an
// EVP_CIPHER_CTX and an HMAC_CTX / EVP_MAC_CTX of the program's libcrypto, whose keys cannot be
// read back out; so the core runs the callback and does the sealing with those contexts, exactly
// as OpenSSL 3 does (construct_stateless_ticket, tls_decrypt_ticket): key name (16) | IV |
// encrypted session | HMAC of all before it. A backend that seals tickets itself hands the
// session's bytes through SealTicket/OpenTicket; one whose library calls the callback with the
// program's contexts uses OnTicketKey.
//
// HMAC_CTX is deprecated in OpenSSL 3's headers, but it is what the older callback hands over.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>
#include <vector>

#include "core/objects.h"

namespace sslshim {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct HmacCtxFree {
  void operator()(HMAC_CTX* c) const { HMAC_CTX_free(c); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

// OpenSSL's ssl_hmac: an EVP_MAC_CTX for HMAC when the EVP callback is set, else an HMAC_CTX.
class TicketMac {
 public:
  explicit TicketMac(bool evp) {
    if (evp) {
      UniquePtr<EVP_MAC> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
      if (mac != nullptr) mac_.reset(EVP_MAC_CTX_new(mac.get()));  // which keeps its own reference
    } else {
      hmac_.reset(HMAC_CTX_new());
    }
  }
  bool ok() const { return mac_ != nullptr || hmac_ != nullptr; }
  void* raw() const {
    return mac_ != nullptr ? static_cast<void*>(mac_.get()) : static_cast<void*>(hmac_.get());
  }
  size_t Size() const {
    return mac_ != nullptr ? EVP_MAC_CTX_get_mac_size(mac_.get()) : HMAC_size(hmac_.get());
  }
  bool Update(const uint8_t* data, size_t len) {
    return mac_ != nullptr ? EVP_MAC_update(mac_.get(), data, len) > 0
                           : HMAC_Update(hmac_.get(), data, len) > 0;
  }
  bool Final(uint8_t* out, size_t* out_len) {
    if (mac_ != nullptr) return EVP_MAC_final(mac_.get(), out, out_len, EVP_MAX_MD_SIZE) > 0;
    unsigned int len = 0;
    if (HMAC_Final(hmac_.get(), out, &len) <= 0) return false;
    *out_len = len;
    return true;
  }

 private:
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> mac_;
  std::unique_ptr<HMAC_CTX, HmacCtxFree> hmac_;
};

// SSL_CTX_set_tlsext_ticket_keys' keys, used as OpenSSL uses its own: AES-256-CBC and
// HMAC-SHA256, a random IV, and a ticket under another key name not opened (a full handshake).
int TicketKeysCallback(const std::vector<uint8_t>& keys, uint8_t* key_name, uint8_t* iv,
                       EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac, int enc) {
  const uint8_t* hmac_key = keys.data() + kTicketKeyNameLength;
  const uint8_t* aes_key = hmac_key + 32;
  if (enc) {
    memcpy(key_name, keys.data(), kTicketKeyNameLength);
    if (RAND_bytes(iv, 16) != 1 ||
        EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, aes_key, iv) != 1) {
      return -1;
    }
  } else {
    if (memcmp(key_name, keys.data(), kTicketKeyNameLength) != 0) return 0;
    if (EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, aes_key, iv) != 1) return -1;
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, const_cast<uint8_t*>(hmac_key), 32),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_end()};
  return EVP_MAC_CTX_set_params(mac, params) == 1 ? 1 : -1;
}

}  // namespace

int Ssl::OnTicketKey(uint8_t* key_name, uint8_t* iv, void* cipher_ctx, void* mac_ctx, int enc) {
  Ctx* tctx = session_ctx();
  auto* cipher = static_cast<EVP_CIPHER_CTX*>(cipher_ctx);
  if (tctx->ticket_key_evp_callback != nullptr) {
    return tctx->ticket_key_evp_callback(api(), key_name, iv, cipher,
                                         static_cast<EVP_MAC_CTX*>(mac_ctx), enc);
  }
  if (tctx->ticket_key_callback != nullptr) {
    return tctx->ticket_key_callback(api(), key_name, iv, cipher, static_cast<HMAC_CTX*>(mac_ctx),
                                     enc);
  }
  if (tctx->ticket_keys.size() == kTicketKeysLength) {
    return TicketKeysCallback(tctx->ticket_keys, key_name, iv, cipher,
                              static_cast<EVP_MAC_CTX*>(mac_ctx), enc);
  }
  return -1;
}

int Ssl::SealTicket(const uint8_t* in, size_t len, std::vector<uint8_t>* out) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> cipher(EVP_CIPHER_CTX_new());
  TicketMac mac(session_ctx()->ticket_key_callback == nullptr ||
                session_ctx()->ticket_key_evp_callback != nullptr);
  if (cipher == nullptr || !mac.ok() || len > INT32_MAX) return -1;
  uint8_t key_name[kTicketKeyNameLength] = {};
  uint8_t iv[EVP_MAX_IV_LENGTH] = {};
  const int ret = OnTicketKey(key_name, iv, cipher.get(), mac.raw(), 1);
  if (ret <= 0) return ret < 0 ? -1 : 0;
  const int iv_len = EVP_CIPHER_CTX_get_iv_length(cipher.get());
  if (iv_len < 0 || static_cast<size_t>(iv_len) > sizeof(iv)) return -1;
  out->assign(key_name, key_name + sizeof(key_name));
  out->insert(out->end(), iv, iv + iv_len);
  const size_t header = out->size();
  out->resize(header + len + EVP_MAX_BLOCK_LENGTH);
  int update_len = 0, final_len = 0;
  if (!EVP_EncryptUpdate(cipher.get(), out->data() + header, &update_len, in,
                         static_cast<int>(len)) ||
      !EVP_EncryptFinal_ex(cipher.get(), out->data() + header + update_len, &final_len)) {
    return -1;
  }
  out->resize(header + static_cast<size_t>(update_len) + static_cast<size_t>(final_len));
  uint8_t tag[EVP_MAX_MD_SIZE];
  size_t tag_len = 0;
  if (!mac.Update(out->data(), out->size()) || !mac.Final(tag, &tag_len)) return -1;
  out->insert(out->end(), tag, tag + tag_len);
  return 1;
}

int Ssl::OpenTicket(const uint8_t* in, size_t len, std::vector<uint8_t>* out) {
  // OpenSSL asks the callback only about a ticket long enough for a key name and the largest IV.
  if (len < kTicketKeyNameLength + EVP_MAX_IV_LENGTH) return 0;
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> cipher(EVP_CIPHER_CTX_new());
  TicketMac mac(session_ctx()->ticket_key_callback == nullptr ||
                session_ctx()->ticket_key_evp_callback != nullptr);
  if (cipher == nullptr || !mac.ok()) return -1;
  // The callback may write to the name and IV (OpenSSL hands it the ticket's own bytes).
  std::vector<uint8_t> ticket(in, in + len);
  const int ret =
      OnTicketKey(ticket.data(), ticket.data() + kTicketKeyNameLength, cipher.get(), mac.raw(), 0);
  if (ret <= 0) return ret < 0 ? -1 : 0;
  const size_t tag_len = mac.Size();
  const int iv_len = EVP_CIPHER_CTX_get_iv_length(cipher.get());
  if (tag_len == 0 || iv_len < 0) return -1;
  if (len <= kTicketKeyNameLength + static_cast<size_t>(iv_len) + tag_len) return 0;
  const size_t signed_len = len - tag_len;
  uint8_t tag[EVP_MAX_MD_SIZE];
  size_t computed_len = 0;
  if (!mac.Update(in, signed_len) || !mac.Final(tag, &computed_len)) return -1;
  if (computed_len != tag_len || CRYPTO_memcmp(tag, in + signed_len, tag_len) != 0) return 0;
  const size_t header = kTicketKeyNameLength + static_cast<size_t>(iv_len);
  const size_t sealed_len = signed_len - header;
  if (sealed_len > INT32_MAX) return 0;
  out->resize(sealed_len + EVP_MAX_BLOCK_LENGTH);
  int update_len = 0, final_len = 0;
  if (!EVP_DecryptUpdate(cipher.get(), out->data(), &update_len, in + header,
                         static_cast<int>(sealed_len))) {
    return -1;
  }
  if (!EVP_DecryptFinal_ex(cipher.get(), out->data() + update_len, &final_len)) {
    OPENSSL_cleanse(out->data(), out->size());
    return 0;
  }
  out->resize(static_cast<size_t>(update_len) + static_cast<size_t>(final_len));
  return ret == 2 ? 2 : 1;
}

}  // namespace sslshim
