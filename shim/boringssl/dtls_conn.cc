// DTLS on a BoringSslConn: OpenSSL's timer, retransmission and MTU calls over BoringSSL's.
//
// Retransmission: OpenSSL checks its handshake timer on every DTLS read and resends a due flight,
// whatever the BIO; it also arms a datagram BIO with the timer (BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT),
// so a blocking BIO_s_datagram read returns when it expires. BoringSSL resends only when the
// caller calls DTLSv1_handle_timeout. The backend does what OpenSSL does: the bridge BIO arms the
// program's BIO before each read (bio_bridge.cc), and RunWithRetransmission resends a due flight
// before each handshake/read/write call and after one that stopped for want of data
// (docs/design-notes.md, "DTLS").
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <climits>

#include "boringssl/conn.h"
#include "boringssl/error_translation.h"
#include "boringssl/openssl3_constants.h"

namespace sslshim::boringssl {
namespace {

// BoringSSL's MTU when neither the program nor the BIO gives one (d1_both.cc, kDefaultMTU), and
// its floor (kMinMTU); OpenSSL's floor for DTLS_set_link_mtu (dtls1_link_min_mtu).
constexpr unsigned kBoringSslDefaultMtu = 1500 - 28;
constexpr unsigned kBoringSslMinMtu = 256 - 28;
constexpr long kOpenSslLinkMinMtu = 256;

int ToInt(long long value) { return static_cast<int>(value); }

}  // namespace

bool BoringSslConn::DtlsGetTimeout(long* seconds, long* microseconds) const {
  if (!SSL_is_dtls(ssl_.get())) return false;
  timeval left{};
  if (!DTLSv1_get_timeout(ssl_.get(), &left)) return false;
  *seconds = left.tv_sec;
  *microseconds = left.tv_usec;
  return true;
}

int BoringSslConn::DtlsHandleTimeout() {
  if (!SSL_is_dtls(ssl_.get())) return 0;
  ERR_clear_error();
  int ret = DTLSv1_handle_timeout(ssl_.get());
  DrainBoringSslErrors(&errors_);
  return ret;
}

bool BoringSslConn::DtlsSetMtu(long mtu) {
  // OpenSSL refuses an MTU under its floor with 0 and no error; so does BoringSSL, whose floor
  // (228) is OpenSSL's for a UDP/IPv4 BIO.
  if (!SSL_is_dtls(ssl_.get()) || mtu < long{kBoringSslMinMtu} || mtu > INT_MAX) return false;
  if (!SSL_set_mtu(ssl_.get(), static_cast<unsigned>(mtu))) return false;
  dtls_mtu_ = static_cast<unsigned>(mtu);
  return true;
}

bool BoringSslConn::DtlsSetLinkMtu(long mtu) {
  // OpenSSL keeps the link MTU until it next writes a handshake message; then it becomes the MTU,
  // less the BIO's per-datagram overhead (IP and UDP headers: BIO_dgram_get_mtu_overhead), over
  // an MTU set with SSL_set_mtu in between. ApplyPendingLinkMtu does that before each I/O call.
  if (!SSL_is_dtls(ssl_.get()) || mtu < kOpenSslLinkMinMtu || mtu > INT_MAX) return false;
  pending_link_mtu_ = mtu;
  return true;
}

void BoringSslConn::ApplyPendingLinkMtu() {
  if (pending_link_mtu_ == 0) return;
  long overhead = 0;
  if (wbio_ != nullptr) {
    overhead = bio_ops_->ctrl(wbio_, ToInt(openssl3::kBIO_CTRL_DGRAM_GET_MTU_OVERHEAD), 0, nullptr);
  }
  DtlsSetMtu(pending_link_mtu_ - (overhead > 0 ? overhead : 0));
  pending_link_mtu_ = 0;
}

size_t BoringSslConn::DtlsDataMtu() const {
  // BoringSSL does not say which MTU it settled on: this is its choice again (dtls1_update_mtu):
  // the program's SSL_set_mtu, else the BIO's answer, else its default.
  if (!SSL_is_dtls(ssl_.get()) || SSL_get_current_cipher(ssl_.get()) == nullptr) return 0;
  unsigned mtu = dtls_mtu_;
  if (mtu < kBoringSslMinMtu) {  // SSL_OP_NO_QUERY_MTU is not passed on (mode_translation.cc)
    long queried =
        wbio_ != nullptr
            ? bio_ops_->ctrl(wbio_, ToInt(openssl3::kBIO_CTRL_DGRAM_QUERY_MTU), 0, nullptr)
            : 0;
    mtu = queried >= long{kBoringSslMinMtu} && queried <= (1L << 30)
              ? static_cast<unsigned>(queried)
              : kBoringSslDefaultMtu;
  }
  size_t overhead = SSL_max_seal_overhead(ssl_.get());  // record header, nonce, tag (and padding)
  return mtu > overhead ? mtu - overhead : 0;
}

IoResult BoringSslConn::RunWithRetransmission(const std::function<IoResult()>& io) {
  if (!SSL_is_dtls(ssl_.get()) || rbio_ == nullptr) return io();
  ApplyPendingLinkMtu();
  // OpenSSL's DTLS checks its own timer on every read (dtls1_read_bytes: dtls1_handle_timeout),
  // whatever the BIO: a due flight is resent before reading, and again after a read that stopped
  // (a blocking datagram BIO returns at the deadline the bridge gave it). BoringSSL resends only
  // from DTLSv1_handle_timeout, which does nothing when no timer is due.
  auto resend_if_due = [this]() {
    ERR_clear_error();
    int resent = DTLSv1_handle_timeout(ssl_.get());
    if (resent < 0) {
      // Too many timeouts (SSL_R_READ_TIMEOUT_EXPIRED), or the resend failed: fatal, as in
      // OpenSSL.
      DrainBoringSslErrors(&errors_);
      if (errors_.empty()) {
        errors_.push_back(MakeSslErrorRecord(ToInt(openssl3::kSSL_R_READ_TIMEOUT_EXPIRED), ""));
      }
    }
    return resent;
  };
  const IoResult failed{-1, ToInt(openssl3::kSSL_ERROR_SSL), 0};
  if (resend_if_due() < 0) return failed;
  for (;;) {
    IoResult result = io();
    if (result.ret > 0 || result.ssl_error != ToInt(openssl3::kSSL_ERROR_WANT_READ)) {
      return result;
    }
    int resent = resend_if_due();
    if (resent == 0) return result;
    if (resent < 0) return failed;
  }
}

}  // namespace sslshim::boringssl
