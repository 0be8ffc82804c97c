#include "core/bio_binding.h"

namespace sslshim {

// Installs (rbio, wbio) given one prepared reference per argument (two when they are the same),
// and keeps Ssl::has_bios() true exactly while both are set. Declared only as Ssl's friend, in
// no header: the functions above are the ones meant to call it.
void RebindBios(Ssl* ssl, void* rbio, void* wbio) {
  const ProgramBioOps* ops = ProgramBioFunctions();
  ssl->conn_->SetBio(nullptr, nullptr);  // the backend drops the references it held
  ssl->conn_->SetBio(rbio, wbio);
  ssl->has_bios_ = rbio != nullptr && wbio != nullptr;
  // For rbio == wbio the backend took one of our two references and made its own second one.
  if (rbio != nullptr && rbio == wbio) ops->free_all(rbio);
}

namespace {

void KeepReference(void* bio) {
  if (bio != nullptr) ProgramBioFunctions()->up_ref(bio);
}

}  // namespace

void Set0Rbio(Ssl* ssl, void* rbio) {
  void* wbio = ssl->conn()->wbio();
  KeepReference(wbio);
  RebindBios(ssl, rbio, wbio);
}

void Set0Wbio(Ssl* ssl, void* wbio) {
  void* rbio = ssl->conn()->rbio();
  KeepReference(rbio);
  RebindBios(ssl, rbio, wbio);
}

void SetBio(Ssl* ssl, void* rbio, void* wbio) {
  // One fewer reference is granted when both are the same BIO, and the SSL keeps two.
  if (rbio != nullptr && rbio == wbio) KeepReference(rbio);
  // Only the wbio changes: adopt one reference.
  if (rbio == ssl->conn()->rbio()) {
    Set0Wbio(ssl, wbio);
    return;
  }
  // Only the rbio changes, and they were different: adopt one reference (OpenSSL's asymmetry).
  if (wbio == ssl->conn()->wbio() && ssl->conn()->rbio() != ssl->conn()->wbio()) {
    Set0Rbio(ssl, rbio);
    return;
  }
  Set0Rbio(ssl, rbio);
  Set0Wbio(ssl, wbio);
}

}  // namespace sslshim
