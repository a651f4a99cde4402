/* CRI log format: "<RFC3339Nano UTC> <stdout|stderr> <F|P> <content>\n" — F ends a line, P is a piece of a longer one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

void rfc3339_now(char *out, size_t n) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  char base[32];
  strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, n, "%s.%09ldZ", base, ts.tv_nsec);
}

static void record(int logfd, const char *stream, char tag, const char *data, size_t len) {
  char head[96];
  char ts[48];
  rfc3339_now(ts, sizeof ts);
  int h = snprintf(head, sizeof head, "%s %s %c ", ts, stream, tag);
  /* One writev-equivalent: build the record so concurrent appenders (two streams) never interleave inside it. */
  char line[sizeof head + CRI_MAX_LINE + 1];
  memcpy(line, head, (size_t)h);
  memcpy(line + h, data, len);
  line[(size_t)h + len] = '\n';
  (void)write_all(logfd, line, (size_t)h + len + 1);
}

static void emit_lines(int logfd, struct cri_stream *s) {
  size_t start = 0;
  for (size_t i = 0; i < s->len; i++) {
    if (s->buf[i] != '\n') continue;
    record(logfd, s->name, 'F', s->buf + start, i - start);
    start = i + 1;
  }
  memmove(s->buf, s->buf + start, s->len - start);
  s->len -= start;
  if (s->len == sizeof s->buf) {
    record(logfd, s->name, 'P', s->buf, s->len);
    s->len = 0;
  }
}

int cri_pump(int logfd, struct cri_stream *s) {
  if (s->fd < 0) return 1;
  for (;;) {
    ssize_t n = read(s->fd, s->buf + s->len, sizeof s->buf - s->len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return 0;
    if (n <= 0) {
      cri_flush(logfd, s);
      close(s->fd);
      s->fd = -1;
      return 1;
    }
    s->len += (size_t)n;
    emit_lines(logfd, s);
  }
}

void cri_flush(int logfd, struct cri_stream *s) {
  if (s->len > 0) record(logfd, s->name, 'F', s->buf, s->len);
  s->len = 0;
}
