#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

void fail(const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "cistern-shim: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n");
  exit(255);
}

long read_pid_file(const char *path) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[32] = {0};
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  char *end = NULL;
  long pid = strtol(buf, &end, 10);
  return pid > 0 ? pid : -1;
}

/* Shell convention for a process killed by a signal: 128 + signal number (what the kubelet reports too). */
int exit_status_code(int wstatus, int *signal_out) {
  *signal_out = 0;
  if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) {
    *signal_out = WTERMSIG(wstatus);
    return 128 + WTERMSIG(wstatus);
  }
  return 255;
}
