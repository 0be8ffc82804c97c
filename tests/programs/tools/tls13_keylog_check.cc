// tls13_keylog_check: proves a key log is usable, not merely present. Given the key log a program
// wrote (SSLKEYLOGFILE), the ClientHello random and cipher suite the relay saw, and the first
// encrypted record the server sent (EncryptedExtensions), it derives the server's handshake key
// from the logged SERVER_HANDSHAKE_TRAFFIC_SECRET (RFC 8446 7.1, 7.3) and decrypts that record.
// Success means a tool such as Wireshark could decrypt the connection with this key log.
//
// usage: tls13_keylog_check KEYLOG CLIENT_RANDOM_HEX CIPHER_SUITE RECORD_HEX
// Exit 0 and "ok: ..." when the record decrypts to an EncryptedExtensions message, 1 otherwise.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<unsigned char>;

int Fail(const std::string& why) {
  std::fprintf(stderr, "tls13_keylog_check: %s\n", why.c_str());
  return 1;
}

bool FromHex(const std::string& hex, Bytes* out) {
  if (hex.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    char* end = nullptr;
    const std::string byte = hex.substr(i, 2);
    out->push_back(static_cast<unsigned char>(std::strtoul(byte.c_str(), &end, 16)));
    if (*end != '\0') return false;
  }
  return true;
}

// HKDF-Expand-Label(secret, label, "", length) for lengths up to one hash output.
Bytes ExpandLabel(const EVP_MD* md, const Bytes& secret, const std::string& label, size_t length) {
  const std::string full = "tls13 " + label;
  Bytes info = {static_cast<unsigned char>(length >> 8), static_cast<unsigned char>(length),
                static_cast<unsigned char>(full.size())};
  info.insert(info.end(), full.begin(), full.end());
  info.push_back(0);  // empty context
  info.push_back(1);  // HKDF-Expand's block counter
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned out_len = 0;
  HMAC(md, secret.data(), static_cast<int>(secret.size()), info.data(), info.size(), out, &out_len);
  return Bytes(out, out + length);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr,
                 "usage: tls13_keylog_check KEYLOG CLIENT_RANDOM_HEX CIPHER_SUITE RECORD_HEX\n");
    return 2;
  }
  const std::string random = argv[2];
  const long suite = std::strtol(argv[3], nullptr, 0);
  Bytes record;
  if (!FromHex(argv[4], &record) || record.size() < 5 + 16 + 1) {
    return Fail("the record is not hex or too short");
  }

  std::ifstream keylog(argv[1]);
  std::string line, secret_hex;
  int lines = 0;
  while (std::getline(keylog, line)) {
    lines++;
    std::istringstream fields(line);
    std::string label, line_random, secret;
    fields >> label >> line_random >> secret;
    if (label == "SERVER_HANDSHAKE_TRAFFIC_SECRET" && line_random == random) secret_hex = secret;
  }
  if (secret_hex.empty()) {
    return Fail(std::string(argv[1]) + " (" + std::to_string(lines) +
                " lines) has no SERVER_HANDSHAKE_TRAFFIC_SECRET for client random " + random);
  }
  Bytes secret;
  if (!FromHex(secret_hex, &secret)) return Fail("the logged secret is not hex");

  const EVP_MD* md = EVP_sha256();
  const EVP_CIPHER* cipher = nullptr;
  size_t key_len = 0;
  switch (suite) {
    case 0x1301:
      cipher = EVP_aes_128_gcm(), key_len = 16;
      break;
    case 0x1302:
      cipher = EVP_aes_256_gcm(), key_len = 32, md = EVP_sha384();
      break;
    case 0x1303:
      cipher = EVP_chacha20_poly1305(), key_len = 32;
      break;
    default:
      return Fail("cipher suite " + std::to_string(suite) + " is not a TLS 1.3 suite");
  }
  if (secret.size() != static_cast<size_t>(EVP_MD_get_size(md))) {
    return Fail("secret length " + std::to_string(secret.size()) + " does not fit the suite");
  }
  const Bytes key = ExpandLabel(md, secret, "key", key_len);
  const Bytes iv = ExpandLabel(md, secret, "iv", 12);  // sequence number 0: nonce = iv

  const size_t body_len = record.size() - 5 - 16;
  Bytes plain(body_len + 16);
  int n = 0, total = 0;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  bool ok =
      EVP_DecryptInit_ex(ctx, cipher, nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx, nullptr, nullptr, key.data(), iv.data()) == 1 &&
      EVP_DecryptUpdate(ctx, nullptr, &n, record.data(), 5) == 1 &&  // AAD: the header
      EVP_DecryptUpdate(ctx, plain.data(), &n, record.data() + 5, static_cast<int>(body_len)) == 1;
  total = n;
  ok = ok &&
       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, record.data() + 5 + body_len) == 1 &&
       EVP_DecryptFinal_ex(ctx, plain.data() + total, &n) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return Fail("the record does not decrypt with the logged secret (tag mismatch)");

  plain.resize(static_cast<size_t>(total));
  while (!plain.empty() && plain.back() == 0) plain.pop_back();  // TLSInnerPlaintext padding
  if (plain.size() < 5 || plain.back() != 22 || plain[0] != 8) {
    return Fail("decrypted, but not a handshake record starting with EncryptedExtensions");
  }
  std::printf(
      "ok: decrypted the server's first encrypted record (%zu bytes of handshake, "
      "EncryptedExtensions first) with the logged handshake secret\n",
      plain.size() - 1);
  return 0;
}
