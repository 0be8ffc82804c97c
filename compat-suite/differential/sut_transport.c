#include "sut_transport.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "../common/compat_common.h"
#include "scenario.h"

/* The short-writing BIO: a socket BIO of the program's own, as applications write them, that
 * accepts at most kShortWrite bytes per call, so a record reaches the socket in pieces. */
enum { kShortWrite = 1000 };

static int short_write(BIO* b, const char* data, int len) {
  int fd = *(int*)BIO_get_data(b);
  BIO_clear_retry_flags(b);
  ssize_t n = write(fd, data, (size_t)(len < kShortWrite ? len : kShortWrite));
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) BIO_set_retry_write(b);
  return (int)n;
}

static int short_read(BIO* b, char* data, int len) {
  int fd = *(int*)BIO_get_data(b);
  BIO_clear_retry_flags(b);
  ssize_t n = read(fd, data, (size_t)len);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) BIO_set_retry_read(b);
  return (int)n;
}

static long short_ctrl(BIO* b, int cmd, long num, void* ptr) {
  (void)b;
  (void)num;
  (void)ptr;
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int short_create(BIO* b) {
  BIO_set_init(b, 1);
  return 1;
}

static BIO* short_bio_new(int* fd) {
  static BIO_METHOD* method;
  if (method == NULL) {
    method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "short writes");
    BIO_meth_set_write(method, short_write);
    BIO_meth_set_read(method, short_read);
    BIO_meth_set_ctrl(method, short_ctrl);
    BIO_meth_set_create(method, short_create);
  }
  BIO* b = BIO_new(method);
  if (b != NULL) BIO_set_data(b, fd);
  return b;
}

int diff_link_attach(DiffLink* link, SSL* ssl, int transport, int fd) {
  link->transport = transport;
  link->fd = fd;
  link->ext = NULL;
  link->eof_passed = 0;
  compat_set_nonblocking(fd, transport != DIFF_SOCK);
  if (transport == DIFF_SOCK || transport == DIFF_NBSOCK) return SSL_set_fd(ssl, fd) == 1;
  if (transport == DIFF_SHORTBIO) {
    BIO* b = short_bio_new(&link->fd);
    if (b == NULL) return 0;
    SSL_set_bio(ssl, b, b);
    return 1;
  }
  size_t size = transport == DIFF_SMALLBIO ? 512 : 0;
  BIO* internal = NULL;
  if (BIO_new_bio_pair(&internal, size, &link->ext, size) != 1) return 0;
  SSL_set_bio(ssl, internal, internal);
  return 1;
}

static long pump_out(DiffLink* link) {
  long moved = 0;
  for (;;) {
    char* data = NULL;
    int avail = BIO_nread0(link->ext, &data);
    if (avail <= 0) return moved;
    ssize_t n = write(link->fd, data, (size_t)avail);
    if (n <= 0) return moved;
    BIO_nread(link->ext, &data, (int)n);
    moved += n;
  }
}

static long pump_in(DiffLink* link) {
  long moved = 0;
  char buf[4096];
  while (!link->eof_passed) {
    size_t room = BIO_ctrl_get_write_guarantee(link->ext);
    if (room == 0) return moved;
    ssize_t n = read(link->fd, buf, room < sizeof buf ? room : sizeof buf);
    if (n < 0 && errno == EAGAIN) return moved;
    if (n <= 0) {
      /* EOF or a reset: a BIO pair can only say "no more data". */
      BIO_shutdown_wr(link->ext);
      link->eof_passed = 1;
      return moved + 1;
    }
    BIO_write(link->ext, buf, (int)n);
    moved += n;
  }
  return moved;
}

long diff_link_pump(DiffLink* link) {
  if (link->ext == NULL) return 0;
  return pump_out(link) + pump_in(link);
}

void diff_link_flush_all(DiffLink* link) {
  if (link->ext == NULL) return;
  long long deadline = compat_now_ms() + 2000;
  while (BIO_ctrl_pending(link->ext) > 0 && compat_now_ms() < deadline) {
    if (pump_out(link) == 0) {
      struct pollfd p = {link->fd, POLLOUT, 0};
      if (poll(&p, 1, 100) < 0 || (p.revents & (POLLERR | POLLHUP))) return;
    }
  }
}

int diff_link_can_progress(DiffLink* link, int want_read) {
  if (link->ext != NULL) return diff_link_pump(link) > 0;
  struct pollfd p = {link->fd, (short)(want_read ? POLLIN : POLLOUT), 0};
  return poll(&p, 1, 0) > 0;
}
