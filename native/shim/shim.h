/*
 * cistern-shim: the per-container process that outlives the node agent (like conmon).
 *
 *   cistern-shim run ...       start one container with `runc run --detach`, hold its stdout/stderr pipes, write
 *                              them to a CRI-format log, reap it as child subreaper and record its exit in a state
 *                              file. Started in its own session, so killing the agent (even SIGKILL) leaves it alone.
 *   cistern-shim exec-tty ...  run `runc exec --tty --detach --console-socket`, receive the pty master, proxy it to
 *                              our stdin/stdout, apply window sizes read from fd 3, exit with the process's status.
 *
 * Never runs a shell; every child gets an argument vector.
 */
#ifndef CISTERN_SHIM_H
#define CISTERN_SHIM_H

#include <stddef.h>
#include <sys/types.h>

/* Longest line written as one CRI record; longer lines are split into "P" (partial) records, as containerd does. */
#define CRI_MAX_LINE 16384

struct cri_stream {
  const char *name; /* "stdout" or "stderr" */
  int fd;           /* read end, -1 once closed */
  size_t len;
  char buf[CRI_MAX_LINE];
};

/* crilog.c */
void rfc3339_now(char *out, size_t n);
/* Read what is available from s->fd and append complete records to logfd. Returns 1 at EOF (fd closed), else 0. */
int cri_pump(int logfd, struct cri_stream *s);
/* Write any buffered partial line as a final ("F") record. */
void cri_flush(int logfd, struct cri_stream *s);

/* state.c */
struct shim_state {
  const char *id;
  const char *status; /* "created", "running", "exited", "failed" */
  long pid;
  long shim_pid;
  char started_at[48];
  char finished_at[48];
  int exit_code;
  int signal;
  const char *error;
};
int state_write(const char *path, const struct shim_state *st);

/* util.c */
int write_all(int fd, const void *buf, size_t n);
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
long read_pid_file(const char *path);
int exit_status_code(int wstatus, int *signal_out);

int run_main(int argc, char **argv);
int tty_main(int argc, char **argv);

#endif
