/*
 * `cistern-shim run`: one container's keeper. Order of events:
 *   1. become child subreaper, block SIGCHLD into a signalfd, open the log (O_NOFOLLOW), write state "created";
 *   2. fork `runc run --detach` with stdin=/dev/null and stdout/stderr = our pipes (runc hands its stdio to the
 *      container process, so the pipes become the container's);
 *   3. when runc exits 0, read the pid file: the container process is now our child (runc is gone and we are the
 *      subreaper); write state "running" and tell the agent "ok <pid>" on the sync fd;
 *   4. pump both pipes into the CRI log until the container has exited and the pipes are drained (bounded), then
 *      write state "exited" with the exit code and exit. If runc fails: state "failed", "error ..." on the sync fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

struct run_opts {
  const char *id, *bundle, *runc, *runc_root, *log, *state, *pid_file, *runc_log;
  int sync_fd;
};

/* Children reaped before we knew the container's pid (it can exit before runc does). */
#define MAX_EARLY 64
static struct {
  pid_t pid;
  int status;
} early[MAX_EARLY];
static int n_early;

static void parse(int argc, char **argv, struct run_opts *o) {
  static const struct option longopts[] = {
      {"id", required_argument, 0, 'i'},        {"bundle", required_argument, 0, 'b'},
      {"runc", required_argument, 0, 'r'},      {"runc-root", required_argument, 0, 'R'},
      {"log", required_argument, 0, 'l'},       {"state", required_argument, 0, 's'},
      {"pid-file", required_argument, 0, 'p'},  {"runc-log", required_argument, 0, 'L'},
      {"sync-fd", required_argument, 0, 'S'},   {0, 0, 0, 0},
  };
  memset(o, 0, sizeof *o);
  o->sync_fd = -1;
  int c;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
      case 'i': o->id = optarg; break;
      case 'b': o->bundle = optarg; break;
      case 'r': o->runc = optarg; break;
      case 'R': o->runc_root = optarg; break;
      case 'l': o->log = optarg; break;
      case 's': o->state = optarg; break;
      case 'p': o->pid_file = optarg; break;
      case 'L': o->runc_log = optarg; break;
      case 'S': o->sync_fd = atoi(optarg); break;
      default: fail("run: unknown option");
    }
  }
  if (!o->id || !o->bundle || !o->runc || !o->runc_root || !o->log || !o->state || !o->pid_file || !o->runc_log)
    fail("run: --id --bundle --runc --runc-root --log --state --pid-file --runc-log are required");
}

/* One line for the agent waiting on the sync fd ("ok <pid>" or "error <text>"), then the fd is closed. */
static void sync_line(struct run_opts *o, const char *line) {
  if (o->sync_fd < 0) return;
  (void)write_all(o->sync_fd, line, strlen(line));
  close(o->sync_fd);
  o->sync_fd = -1;
}

static void sync_ok(struct run_opts *o, long pid) {
  char msg[64];
  snprintf(msg, sizeof msg, "ok %ld\n", pid);
  sync_line(o, msg);
}

static void sync_error(struct run_opts *o, const char *why) {
  char msg[512];
  snprintf(msg, sizeof msg, "error %s\n", why);
  sync_line(o, msg);
}

static pid_t start_runc(struct run_opts *o, int out_w, int err_w) {
  pid_t pid = fork();
  if (pid < 0) fail("fork: %s", strerror(errno));
  if (pid > 0) return pid;
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0) _exit(127);
  char *argv[] = {(char *)"runc",  (char *)"--root",     (char *)o->runc_root, (char *)"--log",     (char *)o->runc_log,
                  (char *)"--log-format", (char *)"json", (char *)"run",       (char *)"--detach",  (char *)"--bundle",
                  (char *)o->bundle, (char *)"--pid-file", (char *)o->pid_file, (char *)o->id,      NULL};
  execv(o->runc, argv);
  dprintf(2, "cistern-shim: exec %s: %s\n", o->runc, strerror(errno));
  _exit(127);
}

static long ms_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int run_main(int argc, char **argv) {
  struct run_opts o;
  parse(argc, argv, &o);
  if (chdir("/") != 0) fail("chdir /: %s", strerror(errno));
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) fail("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) fail("signalfd: %s", strerror(errno));

  int logfd = open(o.log, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (logfd < 0) fail("open log %s: %s", o.log, strerror(errno));
  if (o.sync_fd >= 0) fcntl(o.sync_fd, F_SETFD, FD_CLOEXEC);

  struct shim_state st = {.id = o.id, .status = "created", .shim_pid = getpid(), .exit_code = -1};
  if (state_write(o.state, &st) != 0) fail("write state %s: %s", o.state, strerror(errno));

  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) fail("pipe: %s", strerror(errno));
  pid_t runc = start_runc(&o, out[1], err[1]);
  close(out[1]);
  close(err[1]);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  struct cri_stream streams[2] = {{.name = "stdout", .fd = out[0]}, {.name = "stderr", .fd = err[0]}};

  pid_t container = 0;
  int runc_done = 0, exited = 0, failed = 0;
  long drain_deadline = 0;
  for (;;) {
    int open_streams = (streams[0].fd >= 0) + (streams[1].fd >= 0);
    if ((exited || failed) && (open_streams == 0 || ms_now() >= drain_deadline)) break;
    struct pollfd pfd[3] = {{.fd = sfd, .events = POLLIN}, {.fd = streams[0].fd, .events = POLLIN}, {.fd = streams[1].fd, .events = POLLIN}};
    int timeout = (exited || failed) ? (int)(drain_deadline - ms_now()) : -1;
    if (timeout < -1) timeout = 0;
    int n = poll(pfd, 3, timeout);
    if (n < 0 && errno != EINTR) fail("poll: %s", strerror(errno));
    for (int i = 0; i < 2; i++)
      if (streams[i].fd >= 0 && (pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) cri_pump(logfd, &streams[i]);
    if (!(pfd[0].revents & POLLIN)) continue;
    struct signalfd_siginfo si;
    while (read(sfd, &si, sizeof si) > 0) {
    }
    int ws;
    pid_t p;
    while ((p = waitpid(-1, &ws, WNOHANG)) > 0) {
      if (p == runc) {
        runc_done = 1;
        int sig;
        int code = exit_status_code(ws, &sig);
        if (code != 0) {
          failed = 1;
          st.status = "failed";
          st.exit_code = code;
          char why[128];
          snprintf(why, sizeof why, "runc run exited with status %d", code);
          st.error = strdup(why);
          rfc3339_now(st.finished_at, sizeof st.finished_at);
          drain_deadline = ms_now() + 2000;
          state_write(o.state, &st);
          sync_error(&o, why);
          continue;
        }
        container = (pid_t)read_pid_file(o.pid_file);
        if (container <= 0) {
          failed = 1;
          st.status = "failed";
          st.error = "runc run did not leave a pid file";
          rfc3339_now(st.finished_at, sizeof st.finished_at);
          drain_deadline = ms_now() + 2000;
          state_write(o.state, &st);
          sync_error(&o, st.error);
          continue;
        }
        rfc3339_now(st.started_at, sizeof st.started_at);
        st.pid = container;
        st.status = "running";
        state_write(o.state, &st);
        sync_ok(&o, (long)container);
        for (int i = 0; i < n_early && container > 0; i++)
          if (early[i].pid == container) {
            p = container;
            ws = early[i].status;
            goto container_exit;
          }
        continue;
      }
      if (!runc_done || p != container) {
        if (!runc_done && n_early < MAX_EARLY) early[n_early++] = (typeof(early[0])){p, ws};
        continue;
      }
    container_exit:
      exited = 1;
      st.exit_code = exit_status_code(ws, &st.signal);
      rfc3339_now(st.finished_at, sizeof st.finished_at);
      drain_deadline = ms_now() + 2000;
    }
  }
  for (int i = 0; i < 2; i++) cri_flush(logfd, &streams[i]);
  fsync(logfd);
  close(logfd);
  if (exited) {
    st.status = "exited";
    if (state_write(o.state, &st) != 0) fail("write state: %s", strerror(errno));
  }
  return failed ? 1 : 0;
}
