/* The state file is the durable record of a container's life; it is replaced atomically (write, fsync, rename). */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

static size_t put_json_string(char *out, size_t cap, size_t at, const char *s) {
  if (at < cap) out[at] = '"';
  at++;
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    char esc[8];
    const char *piece = esc;
    if (c == '"' || c == '\\') snprintf(esc, sizeof esc, "\\%c", c);
    else if (c < 0x20) snprintf(esc, sizeof esc, "\\u%04x", c);
    else {
      esc[0] = (char)c;
      esc[1] = 0;
    }
    for (; *piece; piece++, at++)
      if (at < cap) out[at] = *piece;
  }
  if (at < cap) out[at] = '"';
  return at + 1;
}

int state_write(const char *path, const struct shim_state *st) {
  char buf[8192];
  size_t at = 0;
  at += (size_t)snprintf(buf, sizeof buf, "{\"version\":1,\"id\":");
  at = put_json_string(buf, sizeof buf, at, st->id);
  at += (size_t)snprintf(buf + at, at < sizeof buf ? sizeof buf - at : 0, ",\"status\":");
  at = put_json_string(buf, sizeof buf, at, st->status);
  at += (size_t)snprintf(buf + at, at < sizeof buf ? sizeof buf - at : 0, ",\"pid\":%ld,\"shimPid\":%ld,\"startedAt\":", st->pid, st->shim_pid);
  at = put_json_string(buf, sizeof buf, at, st->started_at);
  at += (size_t)snprintf(buf + at, at < sizeof buf ? sizeof buf - at : 0, ",\"finishedAt\":");
  at = put_json_string(buf, sizeof buf, at, st->finished_at);
  at += (size_t)snprintf(buf + at, at < sizeof buf ? sizeof buf - at : 0, ",\"exitCode\":%d,\"signal\":%d,\"error\":", st->exit_code, st->signal);
  at = put_json_string(buf, sizeof buf, at, st->error ? st->error : "");
  at += (size_t)snprintf(buf + at, at < sizeof buf ? sizeof buf - at : 0, "}\n");
  if (at >= sizeof buf) return -1;

  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return -1;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (fd < 0) return -1;
  int rc = write_all(fd, buf, at);
  if (rc == 0) rc = fsync(fd);
  close(fd);
  if (rc == 0) rc = rename(tmp, path);
  /* Make the rename itself durable. */
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (rc == 0 && slash) {
    *slash = 0;
    int dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  return rc;
}
