/* cistern-spawner's loop: requests from fd 0, children's pipes, SIGCHLD through a signalfd, deadlines. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "spawner.h"

static struct pollfd pfd[2 + MAX_JOBS * 4];
static struct field fields[MAX_FIELDS];

static void say(const char *a, const char *b, const char *c, long d) {
  struct outbuf o = {0};
  ob_field_str(&o, "0");
  ob_field_str(&o, a);
  if (b) ob_field_str(&o, b);
  if (c) ob_field_str(&o, c);
  if (d >= 0) ob_field_long(&o, d);
  if (send_frame(1, &o) != 0) _exit(0);
  ob_free(&o);
}

static void fatal(const char *why) {
  say("fatal", why, NULL, -1);
  _exit(2);
}

static uint32_t u32_at(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static int valid_id(const struct field *f) {
  if (f->len == 0 || f->len > 20) return 0;
  for (uint32_t i = 0; i < f->len; i++)
    if (f->p[i] < '0' || f->p[i] > '9') return 0;
  return 1;
}

/* Handle every complete frame in buf[0..*len); keep the rest. Then say which requests were taken. */
static void consume(char *buf, size_t *len) {
  size_t at = 0;
  char last[24] = "";
  while (*len - at >= 4) {
    uint32_t flen = u32_at(buf + at);
    if (flen > MAX_REQUEST_BYTES) fatal("request frame too large");
    if (*len - at - 4 < flen) break;
    int n;
    if (parse_fields(buf + at + 4, flen, fields, MAX_FIELDS, &n) != 0) fatal("malformed request frame");
    if (n < 2 || !valid_id(&fields[0])) fatal("a request needs an id (1 to 20 digits) and an operation");
    snprintf(last, sizeof last, "%.*s", (int)fields[0].len, fields[0].p);
    handle_request(fields, n);
    at += 4 + (size_t)flen;
  }
  if (last[0]) say("accepted", last, NULL, -1);
  memmove(buf, buf + at, *len - at);
  *len -= at;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    printf("cistern-spawner protocol %s\n", SPAWNER_PROTOCOL);
    return 0;
  }
  if (argc > 1) {
    fprintf(stderr, "usage: cistern-spawner (speaks its protocol on stdin and stdout; see native/spawner/README.md)\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) {
    perror("cistern-spawner: signalfd");
    return 1;
  }
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
  jobs_init();
  say("hello", "cistern-spawner", SPAWNER_PROTOCOL, (long)getpid());

  size_t cap = MAX_REQUEST_BYTES + 4 + 65536, len = 0;
  char *buf = malloc(cap);
  if (!buf) return 1;
  for (;;) {
    pfd[0] = (struct pollfd){.fd = 0, .events = POLLIN};
    pfd[1] = (struct pollfd){.fd = sfd, .events = POLLIN};
    int count = jobs_pollfds(pfd + 2, MAX_JOBS * 4);
    long next = jobs_next_deadline(), now = now_ms();
    int timeout = next < 0 ? -1 : next <= now ? 0 : next - now > 60000 ? 60000 : (int)(next - now);
    if (poll(pfd, (nfds_t)(2 + count), timeout) < 0 && errno != EINTR) {
      perror("cistern-spawner: poll");
      return 1;
    }
    if (pfd[1].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) > 0) {
      }
      jobs_reap();
    }
    jobs_handle(pfd + 2, count);
    if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      for (;;) {
        ssize_t r = read(0, buf + len, cap - len);
        if (r > 0) {
          len += (size_t)r;
          consume(buf, &len);
          continue;
        }
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && errno == EAGAIN) break;
        /* The client is gone. Children carry on: detached ones are meant to, the others finish on their own. */
        return 0;
      }
    }
    jobs_check_deadlines(now_ms());
  }
}
