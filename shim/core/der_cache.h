// An object of the program's libcrypto made from bytes the backend reports (a peer's
// certificate, its CA names), kept so that repeated calls answer with the same object, as
// OpenSSL's getters do, and made again only when the bytes change.
#pragma once

#include <utility>

#include "core/unique_ptr.h"

namespace sslshim {

template <typename T, typename Der>
class DerCache {
 public:
  // The object for `der`: the kept one while the bytes are those it was made from, else
  // `make(der)`'s (a UniquePtr<T>; null when it fails, and tried again at the next call). Empty
  // bytes are no object.
  template <typename Make>
  T* Get(Der der, Make make) {
    if (der.empty()) {
      object_.reset();
      der_ = Der();
    } else if (object_ == nullptr || der != der_) {
      object_ = make(der);
      der_ = std::move(der);
    }
    return object_.get();
  }

 private:
  Der der_;
  UniquePtr<T> object_;
};

}  // namespace sslshim
