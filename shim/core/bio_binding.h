// SSL_set_bio / SSL_set0_rbio / SSL_set0_wbio with OpenSSL's exact reference rules, on top of
// the backend's single SetBio. The core prepares the references for the final (rbio, wbio) pair,
// has the backend drop what it held, then hands the pair over; so every backend only ever sees
// a plain "adopt these" and the program sees OpenSSL's counts (ssl/ssl_lib.c, SSL_set_bio).
#pragma once

#include "core/objects.h"

namespace sslshim {

void Set0Rbio(Ssl* ssl, void* rbio);  // adopts one reference to rbio, drops one to the old one
void Set0Wbio(Ssl* ssl, void* wbio);
void SetBio(Ssl* ssl, void* rbio, void* wbio);

}  // namespace sslshim
