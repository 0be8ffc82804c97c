#include "exports/cert_io.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <utility>

#include "core/errors.h"

namespace sslshim {
namespace {

UniquePtr<BIO> OpenFile(const char* file, const char* func) {
  UniquePtr<BIO> in(file != nullptr ? BIO_new_file(file, "r") : nullptr);
  if (in == nullptr) PushError(ERR_LIB_SSL, ERR_R_SYS_LIB, func);
  return in;
}

}  // namespace

std::vector<uint8_t> CertificateDer(X509* x) {
  unsigned char* der = nullptr;
  int len = x != nullptr ? i2d_X509(x, &der) : -1;
  OpenSslBytes owned(der);
  if (len <= 0) return {};
  return std::vector<uint8_t>(der, der + len);
}

bool NameListDer(const STACK_OF(X509_NAME) * names, std::vector<std::vector<uint8_t>>* out) {
  for (int i = 0; i < sk_X509_NAME_num(names); i++) {
    unsigned char* der = nullptr;
    const int len = i2d_X509_NAME(sk_X509_NAME_value(names, i), &der);
    OpenSslBytes owned(der);
    if (len <= 0) return false;
    out->emplace_back(der, der + len);
  }
  return true;
}

std::vector<uint8_t> Pkcs8Der(EVP_PKEY* pkey) {
  UniquePtr<PKCS8_PRIV_KEY_INFO> p8(EVP_PKEY2PKCS8(pkey));
  unsigned char* der = nullptr;
  int len = p8 != nullptr ? i2d_PKCS8_PRIV_KEY_INFO(p8.get(), &der) : -1;
  if (len <= 0) return {};
  std::vector<uint8_t> out(der, der + len);
  OPENSSL_clear_free(der, len);
  return out;
}

UniquePtr<X509> ReadCertificateFile(const char* file, int type, pem_password_cb* cb, void* userdata,
                                    const char* func) {
  UniquePtr<BIO> in = OpenFile(file, func);
  if (in == nullptr) return nullptr;
  UniquePtr<X509> x;
  if (type == SSL_FILETYPE_PEM) {
    x.reset(PEM_read_bio_X509(in.get(), nullptr, cb, userdata));
    if (x == nullptr) PushError(ERR_LIB_SSL, ERR_R_PEM_LIB, func);
  } else if (type == SSL_FILETYPE_ASN1) {
    x.reset(d2i_X509_bio(in.get(), nullptr));
    if (x == nullptr) PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
  } else {
    PushError(ERR_LIB_SSL, SSL_R_BAD_SSL_FILETYPE, func);
  }
  return x;
}

UniquePtr<EVP_PKEY> ReadPrivateKeyFile(const char* file, int type, pem_password_cb* cb,
                                       void* userdata, const char* func) {
  UniquePtr<BIO> in = OpenFile(file, func);
  if (in == nullptr) return nullptr;
  UniquePtr<EVP_PKEY> pkey;
  if (type == SSL_FILETYPE_PEM) {
    pkey.reset(PEM_read_bio_PrivateKey(in.get(), nullptr, cb, userdata));
    if (pkey == nullptr) PushError(ERR_LIB_SSL, ERR_R_PEM_LIB, func);
  } else if (type == SSL_FILETYPE_ASN1) {
    pkey.reset(d2i_PrivateKey_bio(in.get(), nullptr));
    if (pkey == nullptr) PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
  } else {
    PushError(ERR_LIB_SSL, SSL_R_BAD_SSL_FILETYPE, func);
  }
  return pkey;
}

UniquePtr<EVP_PKEY> WrapRsaKey(RSA* rsa, const char* func) {
  if (rsa == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return nullptr;
  }
  UniquePtr<EVP_PKEY> pkey(EVP_PKEY_new());
  if (pkey == nullptr || EVP_PKEY_set1_RSA(pkey.get(), rsa) <= 0) {
    PushError(ERR_LIB_SSL, ERR_R_EVP_LIB, func);
    return nullptr;
  }
  return pkey;
}

UniquePtr<EVP_PKEY> ReadRsaPrivateKeyFile(const char* file, int type, pem_password_cb* cb,
                                          void* userdata, const char* func) {
  UniquePtr<BIO> in = OpenFile(file, func);
  if (in == nullptr) return nullptr;
  UniquePtr<RSA> rsa;
  if (type == SSL_FILETYPE_ASN1) {
    rsa.reset(d2i_RSAPrivateKey_bio(in.get(), nullptr));
    if (rsa == nullptr) PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
  } else if (type == SSL_FILETYPE_PEM) {
    rsa.reset(PEM_read_bio_RSAPrivateKey(in.get(), nullptr, cb, userdata));
    if (rsa == nullptr) PushError(ERR_LIB_SSL, ERR_R_PEM_LIB, func);
  } else {
    PushError(ERR_LIB_SSL, SSL_R_BAD_SSL_FILETYPE, func);
  }
  return rsa != nullptr ? WrapRsaKey(rsa.get(), func) : nullptr;
}

bool ReadChainFile(const char* file, pem_password_cb* cb, void* userdata, UniquePtr<X509>* leaf,
                   UniquePtr<STACK_OF(X509)>* rest, const char* func) {
  UniquePtr<BIO> in = OpenFile(file, func);
  if (in == nullptr) return false;
  rest->reset(sk_X509_new_null());
  leaf->reset(*rest ? PEM_read_bio_X509_AUX(in.get(), nullptr, cb, userdata) : nullptr);
  if (*leaf == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PEM_LIB, func);
    return false;
  }
  while (UniquePtr<X509> x = UniquePtr<X509>(PEM_read_bio_X509(in.get(), nullptr, cb, userdata))) {
    if (!PushToStack(rest->get(), std::move(x))) {
      PushError(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE, func);
      break;
    }
  }
  in.reset();
  // The loop ends on "no start line" at the end of the file: that is success, as in OpenSSL.
  unsigned long last = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  if (last != 0 && !clean_end) {
    rest->reset();
    leaf->reset();
    return false;
  }
  if (clean_end) ERR_clear_error();
  // OpenSSL clears the chain and adds each certificate after the leaf: with none, there is no chain
  // (and the automatic one is built), not an empty one.
  if (sk_X509_num(rest->get()) == 0) rest->reset();
  return true;
}

namespace {

// Hands `pkey` to the backend: 1, or 0 with the error.
int InstallKey(const CertTarget& target, EVP_PKEY* pkey, const char* func) {
  std::vector<uint8_t> pkcs8 = Pkcs8Der(pkey);
  if (pkcs8.empty()) {
    PushError(ERR_LIB_SSL, ERR_R_EVP_LIB, func);
    return 0;
  }
  bool ok = target.install_key(pkcs8);
  OPENSSL_cleanse(pkcs8.data(), pkcs8.size());
  return target.finish(ok, SSL_R_X509_LIB, func);
}

}  // namespace

int UseCertificate(const CertTarget& target, X509* x, const char* func) {
  if (x == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 0;
  }
  const bool switched =
      target.select_key_type && target.select_key_type(EVP_PKEY_get_base_id(X509_get0_pubkey(x)));
  // The leaf, then the extra chain certificates, in that order.
  std::vector<std::vector<uint8_t>> chain{CertificateDer(x)};
  const STACK_OF(X509)* sent_chain = target.sent_chain();
  for (int i = 0; i < sk_X509_num(sent_chain); i++) {
    chain.push_back(CertificateDer(sk_X509_value(sent_chain, i)));
  }
  for (const auto& der : chain) {
    if (der.empty()) {
      PushError(ERR_LIB_SSL, ERR_R_ASN1_LIB, func);
      return 0;
    }
  }
  if (!target.finish(target.install_chain(chain), SSL_R_X509_LIB, func)) return 0;
  if (!X509_up_ref(x)) return 0;
  target.certificate->reset(x);
  // The key type's own key, kept from before, goes back with it (the backend dropped the other
  // type's when the certificate changed).
  if (switched && *target.private_key != nullptr)
    return InstallKey(target, target.private_key->get(), func);
  return 1;
}

int UsePrivateKey(const CertTarget& target, EVP_PKEY* pkey, const char* func) {
  if (pkey == nullptr) {
    PushError(ERR_LIB_SSL, ERR_R_PASSED_NULL_PARAMETER, func);
    return 0;
  }
  // A key of another type than the current certificate's goes with that type's certificate, kept
  // from before (which the backend is given again first).
  if (target.select_key_type && target.select_key_type(EVP_PKEY_get_base_id(pkey)) &&
      *target.certificate != nullptr) {
    UniquePtr<X509> certificate = std::move(*target.certificate);
    const int ok = UseCertificate(target, certificate.get(), func);
    if (!ok) return 0;
  }
  // OpenSSL's ssl_set_pkey: a key of the certificate's type must match it, and when it does not
  // the only error is X509_check_private_key's (a backend would add its own); a key of another
  // type goes to another of OpenSSL's slots unchecked.
  if (X509* certificate = target.certificate->get(); certificate != nullptr) {
    EVP_PKEY* public_key = X509_get0_pubkey(certificate);
    if (public_key != nullptr && EVP_PKEY_get_base_id(public_key) == EVP_PKEY_get_base_id(pkey) &&
        X509_check_private_key(certificate, pkey) != 1) {
      return 0;
    }
  }
  if (!InstallKey(target, pkey, func)) return 0;
  if (!EVP_PKEY_up_ref(pkey)) return 0;
  target.private_key->reset(pkey);
  return 1;
}

int CheckPrivateKey(X509* certificate, EVP_PKEY* private_key, const char* func) {
  if (certificate == nullptr) {
    PushError(ERR_LIB_SSL, SSL_R_NO_CERTIFICATE_ASSIGNED, func);
    return 0;
  }
  if (private_key == nullptr) {
    PushError(ERR_LIB_SSL, SSL_R_NO_PRIVATE_KEY_ASSIGNED, func);
    return 0;
  }
  return X509_check_private_key(certificate, private_key);
}

}  // namespace sslshim
