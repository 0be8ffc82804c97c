/* chaos_probe: many TLS connections over a program BIO_METHOD that misbehaves at random, in
 * several threads on shared contexts, checking that no byte is lost, duplicated, corrupted or sent
 * after a fatal error. An ordinary OpenSSL program (-lssl -lcrypto): both ends of each connection
 * are its own SSL objects, joined by two in-memory byte pipes whose BIO_METHOD (the program's own)
 * returns short writes and reads, asks for retries, and — depending on the connection's fault
 * plan — fails fatally or ends the stream at a random moment.
 *
 * Each side writes a deterministic stream (byte i of side s of connection c is a function of the
 * seed, s, c and i) in chunks of random size, retrying a chunk that asked for a retry with the
 * same arguments, and reads the other side's stream, comparing every byte. Fault plans:
 *   clean   only short transfers and retries: both streams arrive whole, then close_notify
 *   fatal   one side's transport fails for good: what arrived is a prefix of what was sent, and
 *           after the library reported the failure it writes nothing more on that transport
 *   early   one side sends close_notify before its stream is done: the other reads exactly what
 *           was written before it (SSL_ERROR_ZERO_RETURN at that point)
 *
 * usage: chaos_probe CERT KEY THREADS OPS SEED
 * prints {"ops":N,"connections":N,"lost":N,"duplicated_or_corrupted":N,"sent_after_fatal":N,
 *         "stuck":N,"tls13":N,"tls12":N}
 */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kMaxChunk = 20000, kStreamMin = 1, kStreamMax = 200000, kMaxSteps = 200000 };

/* xorshift64*: fast, seedable, the same on every run. */
static uint64_t next_random(uint64_t* state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 2685821657736338717ULL;
}
static unsigned below(uint64_t* state, unsigned n) { return (unsigned)(next_random(state) % n); }

static unsigned char stream_byte(uint64_t seed, int side, long conn, size_t i) {
  uint64_t x = seed ^ ((uint64_t)conn << 20) ^ ((uint64_t)side << 60) ^ (i / 8);
  x = x * 0x9E3779B97F4A7C15ULL;
  x ^= x >> 29;
  return (unsigned char)(x >> (8 * (i % 8)));
}

/* One direction of the transport. */
typedef struct {
  unsigned char* data;
  size_t len, cap;
  int closed; /* the writer's transport failed or ended: the reader sees the end after the data */
} Pipe;

/* The program's BIO for one side: it writes to `out` and reads from `in`. */
typedef struct {
  Pipe *in, *out;
  uint64_t rng;
  int failed;                 /* the transport failed for good (fault plan "fatal") */
  long fail_after_writes;     /* fail on this write call (-1: never) */
  long write_calls;           /* write calls so far */
  long writes_after_reported; /* writes that reached the pipe after a reported fatal error */
  int reported;               /* the program saw SSL_ERROR_SSL or SSL_ERROR_SYSCALL */
} Side;

static int pipe_push(Pipe* p, const char* buf, size_t n) {
  if (p->len + n > p->cap) {
    size_t cap = p->cap ? p->cap : 65536;
    while (cap < p->len + n) cap *= 2;
    unsigned char* grown = realloc(p->data, cap);
    if (grown == NULL) return 0;
    p->data = grown;
    p->cap = cap;
  }
  memcpy(p->data + p->len, buf, n);
  p->len += n;
  return 1;
}

static int chaos_write(BIO* bio, const char* buf, int n) {
  Side* s = BIO_get_data(bio);
  BIO_clear_retry_flags(bio);
  s->write_calls++;
  if (s->failed || s->write_calls == s->fail_after_writes) {
    s->failed = 1;
    s->out->closed = 1;
    return -1; /* no retry: a dead transport */
  }
  if (n <= 0) return 0;
  unsigned roll = below(&s->rng, 100);
  if (roll < 10) {
    BIO_set_retry_write(bio);
    return -1;
  }
  int take = roll < 30 && n > 1 ? 1 + (int)below(&s->rng, (unsigned)n - 1) : n;
  if (!pipe_push(s->out, buf, (size_t)take)) return -1;
  if (s->reported) s->writes_after_reported++; /* bytes on the wire after a reported failure */
  return take;
}

static int chaos_read(BIO* bio, char* buf, int n) {
  Side* s = BIO_get_data(bio);
  BIO_clear_retry_flags(bio);
  if (n <= 0) return 0;
  if (s->in->len == 0) {
    if (s->in->closed) return 0;
    BIO_set_retry_read(bio);
    return -1;
  }
  unsigned roll = below(&s->rng, 100);
  if (roll < 10) {
    BIO_set_retry_read(bio);
    return -1;
  }
  size_t take = s->in->len < (size_t)n ? s->in->len : (size_t)n;
  if (roll < 30 && take > 1) take = 1 + below(&s->rng, (unsigned)take - 1);
  memcpy(buf, s->in->data, take);
  memmove(s->in->data, s->in->data + take, s->in->len - take);
  s->in->len -= take;
  return (int)take;
}

static long chaos_ctrl(BIO* bio, int cmd, long larg, void* parg) {
  (void)larg, (void)parg;
  Side* s = BIO_get_data(bio);
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return (long)s->in->len;
    case BIO_CTRL_WPENDING:
      return 0;
    case BIO_CTRL_EOF:
      return s->in->closed && s->in->len == 0;
    default:
      return 0;
  }
}

static BIO_METHOD* g_method;
static SSL_CTX *g_client_ctx, *g_client_ctx12, *g_server_ctx;
static uint64_t g_seed;
static long g_ops_per_thread;
static __thread long t_ops; /* this thread's calls, for its share of OPS */
static atomic_long g_ops, g_connections, g_lost, g_corrupted, g_sent_after_fatal, g_stuck;
static atomic_long g_tls13, g_tls12;

enum Plan { kClean, kFatal, kEarly };

typedef struct {
  SSL* ssl;
  Side side;
  size_t to_send, sent;    /* the stream's length and what SSL_write accepted */
  size_t chunk_off, chunk; /* the chunk being written (kept for a retry) */
  size_t received;         /* bytes of the peer's stream read and checked */
  int write_done, read_done, dead, shutdown_sent, early_stop;
  size_t stop_at; /* plan "early": send close_notify after this many bytes */
} End;

/* Counts an incident, and describes the first few on stderr. */
static void report(atomic_long* counter, const char* what, long conn, int index) {
  if (atomic_fetch_add(counter, 1) < 5) {
    fprintf(stderr, "chaos: connection %ld, %s side: %s\n", conn, index ? "server" : "client",
            what);
  }
}

static int is_fatal(int err) { return err == SSL_ERROR_SSL || err == SSL_ERROR_SYSCALL; }

/* One step of one side: a write, a read, or a shutdown. Returns 1 if it did anything. */
static int step(End* me, End* peer, int index, long conn, uint64_t* rng) {
  int progressed = 0;
  if (me->dead) return 0;
  if (!me->write_done) {
    if (me->chunk == 0) {
      size_t left = me->to_send - me->sent;
      if (me->early_stop && me->sent >= me->stop_at) left = 0;
      if (left == 0) {
        me->write_done = 1;
      } else {
        me->chunk = 1 + below(rng, kMaxChunk);
        if (me->chunk > left) me->chunk = left;
        if (me->early_stop && me->sent + me->chunk > me->stop_at)
          me->chunk = me->stop_at - me->sent;
        if (me->chunk == 0) me->chunk = 1;
        me->chunk_off = me->sent;
      }
    }
    if (me->chunk != 0) {
      static __thread unsigned char buf[kMaxChunk];
      for (size_t i = 0; i < me->chunk; i++)
        buf[i] = stream_byte(g_seed, index, conn, me->chunk_off + i);
      ERR_clear_error(); /* both ends share this thread's queue: SSL_get_error reads it */
      int r = SSL_write(me->ssl, buf, (int)me->chunk);
      atomic_fetch_add(&g_ops, 1);
      t_ops++;
      if (r > 0) {
        me->sent += (size_t)r;
        me->chunk = 0;
        progressed = 1;
      } else {
        int err = SSL_get_error(me->ssl, r);
        if (is_fatal(err)) {
          me->dead = 1;
          me->side.reported = 1;
          SSL_write(me->ssl, buf, (int)me->chunk); /* again: nothing may reach the transport */
          SSL_shutdown(me->ssl);                   /* nor a close_notify */
          return 1;
        }
        ERR_clear_error();
      }
    }
  } else if (!me->shutdown_sent) {
    /* Done writing: close_notify, and go on reading the peer's stream to its own. */
    ERR_clear_error();
    int r = SSL_shutdown(me->ssl);
    if (r >= 0) {
      me->shutdown_sent = 1;
      progressed = 1;
    } else if (is_fatal(SSL_get_error(me->ssl, r))) {
      me->dead = 1;
      me->side.reported = 1;
      return 1;
    }
    ERR_clear_error();
  }
  if (!me->read_done) {
    unsigned char buf[16384];
    ERR_clear_error();
    int r = SSL_read(me->ssl, buf, (int)sizeof buf);
    atomic_fetch_add(&g_ops, 1);
    t_ops++;
    if (r > 0) {
      for (int i = 0; i < r; i++) {
        if (buf[i] != stream_byte(g_seed, 1 - index, conn, me->received + (size_t)i)) {
          report(&g_corrupted, "a byte differs", conn, index);
          break;
        }
      }
      me->received += (size_t)r;
      /* A chunk's first records may arrive before its SSL_write returns; never more. */
      if (me->received > peer->sent + peer->chunk)
        report(&g_corrupted, "more than was sent", conn, index);
      progressed = 1;
    } else {
      int err = SSL_get_error(me->ssl, r);
      if (err == SSL_ERROR_ZERO_RETURN) {
        me->read_done = 1;
        progressed = 1;
      } else if (is_fatal(err)) {
        me->dead = 1;
        me->side.reported = 1;
        SSL_shutdown(me->ssl);
        progressed = 1;
      }
      ERR_clear_error();
    }
  }
  return progressed;
}

static void one_connection(long conn, uint64_t* rng) {
  Pipe c2s = {0}, s2c = {0};
  End ends[2];
  memset(ends, 0, sizeof ends);
  const enum Plan plan = (enum Plan)below(rng, 3);
  for (int i = 0; i < 2; i++) {
    End* e = &ends[i];
    /* Every other connection is held to TLS 1.2 by the client. */
    e->ssl = SSL_new(i == 1 ? g_server_ctx : conn % 2 ? g_client_ctx12 : g_client_ctx);
    e->side.in = i == 0 ? &s2c : &c2s;
    e->side.out = i == 0 ? &c2s : &s2c;
    e->side.rng = next_random(rng) | 1;
    e->side.fail_after_writes = -1;
    e->to_send = kStreamMin + below(rng, kStreamMax);
    BIO* bio = BIO_new(g_method);
    BIO_set_data(bio, &e->side);
    BIO_set_init(bio, 1);
    SSL_set_bio(e->ssl, bio, bio);
    if (i == 0) {
      SSL_set_connect_state(e->ssl);
    } else {
      SSL_set_accept_state(e->ssl);
    }
  }
  const int victim = (int)below(rng, 2);
  if (plan == kFatal) ends[victim].side.fail_after_writes = 1 + (long)below(rng, 40);
  if (plan == kEarly) {
    ends[victim].early_stop = 1;
    ends[victim].stop_at = below(rng, (unsigned)ends[victim].to_send);
  }

  int steps = 0, idle = 0;
  while (steps++ < kMaxSteps) {
    int progressed =
        step(&ends[0], &ends[1], 0, conn, rng) | step(&ends[1], &ends[0], 1, conn, rng);
    int finished = 1;
    for (int i = 0; i < 2; i++) {
      End* e = &ends[i];
      int done = e->dead || (e->write_done && e->read_done && e->shutdown_sent);
      finished = finished && done;
    }
    if (finished) break;
    /* A dead peer: the other side's reads end once the pipe is drained and closed. */
    idle = progressed ? 0 : idle + 1;
    if (idle > 1000) {
      /* Nothing moves: only legitimate when one side is dead and the other waits on it. */
      if (!ends[0].dead && !ends[1].dead) report(&g_stuck, "no progress", conn, 0);
      break;
    }
  }
  if (steps >= kMaxSteps) report(&g_stuck, "too many steps", conn, 0);

  for (int i = 0; i < 2; i++) {
    End *me = &ends[i], *peer = &ends[1 - i];
    /* Nothing lost: with no fault on either transport, each side read the whole stream the
     * other wrote up to its close_notify. */
    if (plan != kFatal && me->read_done && me->received != peer->sent) {
      report(&g_lost, "read less than was written before close_notify", conn, i);
    }
    if (plan == kClean && me->received != peer->to_send) {
      report(&g_lost, "the stream did not arrive whole", conn, i);
    }
    if (me->side.writes_after_reported > 0) {
      report(
          &g_sent_after_fatal,
          plan == kFatal ? "wrote after a fatal error (plan fatal)" : "wrote after a fatal error",
          conn, i);
    }
  }
  const char* version = SSL_get_version(ends[0].ssl);
  if (strcmp(version, "TLSv1.3") == 0) atomic_fetch_add(&g_tls13, 1);
  if (strcmp(version, "TLSv1.2") == 0) atomic_fetch_add(&g_tls12, 1);
  SSL_free(ends[0].ssl);
  SSL_free(ends[1].ssl);
  free(c2s.data);
  free(s2c.data);
  atomic_fetch_add(&g_connections, 1);
}

static void* run_thread(void* arg) {
  uint64_t rng = (g_seed * 31 + (uint64_t)(intptr_t)arg) | 1;
  long conn = (long)(intptr_t)arg * 1000000;
  while (t_ops < g_ops_per_thread) one_connection(conn++, &rng);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: chaos_probe CERT KEY THREADS OPS SEED\n");
    return 2;
  }
  const int threads = atoi(argv[3]);
  const long ops = atol(argv[4]);
  g_seed = strtoull(argv[5], NULL, 10);
  g_ops_per_thread = ops / (threads > 0 ? threads : 1);
  g_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "chaos");
  BIO_meth_set_write(g_method, chaos_write);
  BIO_meth_set_read(g_method, chaos_read);
  BIO_meth_set_ctrl(g_method, chaos_ctrl);
  g_client_ctx = SSL_CTX_new(TLS_client_method());
  g_server_ctx = SSL_CTX_new(TLS_server_method());
  if (g_client_ctx == NULL || g_server_ctx == NULL ||
      SSL_CTX_use_certificate_chain_file(g_server_ctx, argv[1]) != 1 ||
      SSL_CTX_use_PrivateKey_file(g_server_ctx, argv[2], SSL_FILETYPE_PEM) != 1) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  g_client_ctx12 = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_max_proto_version(g_client_ctx12, TLS1_2_VERSION);
  pthread_t ids[64];
  int n = threads < 64 ? threads : 64;
  for (int i = 0; i < n; i++) {
    pthread_create(&ids[i], NULL, run_thread, (void*)(intptr_t)i);
  }
  for (int i = 0; i < n; i++) pthread_join(ids[i], NULL);
  SSL_CTX_free(g_client_ctx12);
  printf(
      "{\"ops\":%ld,\"connections\":%ld,\"lost\":%ld,\"duplicated_or_corrupted\":%ld,"
      "\"sent_after_fatal\":%ld,\"stuck\":%ld,\"tls13\":%ld,\"tls12\":%ld}\n",
      atomic_load(&g_ops), atomic_load(&g_connections), atomic_load(&g_lost),
      atomic_load(&g_corrupted), atomic_load(&g_sent_after_fatal), atomic_load(&g_stuck),
      atomic_load(&g_tls13), atomic_load(&g_tls12));
  SSL_CTX_free(g_client_ctx);
  SSL_CTX_free(g_server_ctx);
  BIO_meth_free(g_method);
  return 0;
}
