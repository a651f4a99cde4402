/*
 * Jobs: one per request in flight, each a forked child.
 *   run     execve(file, argv) with stdin /dev/null, stdout and stderr captured; answered once it has exited and both
 *           pipes are closed: [id, exit, code, signal, stdout, stderr], or [id, timeout, stdout, stderr] after SIGKILL
 *           at the deadline, or [id, error, errno, message] if it could not be executed.
 *   start   a detached program (own session: it outlives the helper and the client), stdin and stdout /dev/null,
 *           stderr appended to a log file (O_NOFOLLOW), and a pipe as fd 3; answered when that pipe is closed (the
 *           program said what it had to say, or exited): [id, started, pid, text]; at the deadline its process
 *           group is killed: [id, timeout, pid, text]. The helper reaps it whenever it exits.
 *   mount / umount   the calls in a child (mounts.c): [id, ok] or [id, error, errno, message, failed step (1-based;
 *           the steps before it were made; 0 if unknown)].
 * Children never run a shell: a file without a slash is looked up in PATH by hand, and ENOEXEC is an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawner.h"

enum kind { JOB_FREE = 0, JOB_RUN, JOB_START, JOB_MOUNT };

struct job {
  enum kind kind;
  char id[24];
  char *what; /* the file, or the mount target: for messages */
  pid_t pid;
  int out_fd, err_fd, sync_fd, exec_fd; /* read ends, -1 once closed */
  struct outbuf out, err, sync;
  int exec_errno;
  int exited, wstatus;
  long deadline;
};

static struct job jobs[MAX_JOBS];
static int first_free_hint;

long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void jobs_init(void) {
  for (int i = 0; i < MAX_JOBS; i++) jobs[i].kind = JOB_FREE;
}

static void send_or_exit(const struct outbuf *o) {
  /* The client reads every response; a failed write means it is gone, and so is the reason to live. */
  if (send_frame(1, o) != 0) _exit(0);
}

static void respond_error(const char *id, int err, const char *msg) {
  struct outbuf o = {0};
  ob_field_str(&o, id);
  ob_field_str(&o, "error");
  ob_field_long(&o, err);
  ob_field_str(&o, msg);
  send_or_exit(&o);
  ob_free(&o);
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static void free_job(struct job *j) {
  close_fd(&j->out_fd);
  close_fd(&j->err_fd);
  close_fd(&j->sync_fd);
  close_fd(&j->exec_fd);
  ob_free(&j->out);
  ob_free(&j->err);
  ob_free(&j->sync);
  free(j->what);
  memset(j, 0, sizeof *j);
  j->kind = JOB_FREE;
  j->out_fd = j->err_fd = j->sync_fd = j->exec_fd = -1;
}

static struct job *new_job(const char *id, enum kind kind) {
  for (int k = 0; k < MAX_JOBS; k++) {
    int i = (first_free_hint + k) % MAX_JOBS;
    if (jobs[i].kind != JOB_FREE) continue;
    first_free_hint = (i + 1) % MAX_JOBS;
    struct job *j = &jobs[i];
    memset(j, 0, sizeof *j);
    j->kind = kind;
    snprintf(j->id, sizeof j->id, "%s", id);
    j->out_fd = j->err_fd = j->sync_fd = j->exec_fd = -1;
    return j;
  }
  return NULL;
}

/* ---- in the child, between fork and exec ---- */

static void child_reset_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child_fail(int exec_w, int err) {
  (void)write_all(exec_w, &err, sizeof err);
  _exit(127);
}

/* Put `fds[i]` at descriptor i (a -1 entry opens /dev/null there), mark everything above CLOEXEC. */
static void child_arrange_fds(int *fds, int n, int *exec_w) {
  int moved[4];
  *exec_w = fcntl(*exec_w, F_DUPFD_CLOEXEC, 64);
  if (*exec_w < 0) _exit(127);
  for (int i = 0; i < n; i++) {
    int src = fds[i] >= 0 ? fds[i] : open("/dev/null", O_RDWR | O_CLOEXEC);
    if (src < 0) child_fail(*exec_w, errno);
    moved[i] = fcntl(src, F_DUPFD_CLOEXEC, 64);
    if (moved[i] < 0) child_fail(*exec_w, errno);
  }
  for (int i = 0; i < n; i++)
    if (dup2(moved[i], i) < 0) child_fail(*exec_w, errno);
#ifdef SYS_close_range
  if (syscall(SYS_close_range, (unsigned)n, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) == 0) return;
#endif
  for (int fd = n; fd < 65536; fd++) {
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0) fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
  }
}

/* execv, with a PATH search for bare names; never the shell fallback of execvp. Returns the errno to report. */
static int child_execute(const char *file, char **argv) {
  if (strchr(file, '/')) {
    execv(file, argv);
    return errno;
  }
  const char *path = getenv("PATH");
  if (!path || !*path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  int err = ENOENT;
  char full[PATH_MAX];
  for (const char *p = path;;) {
    const char *end = strchr(p, ':');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n > 0 && n + 1 + strlen(file) < sizeof full) {
      memcpy(full, p, n);
      full[n] = '/';
      strcpy(full + n + 1, file);
      execv(full, argv);
      if (errno == EACCES) err = EACCES;
      else if (errno != ENOENT && errno != ENOTDIR) return errno;
    }
    if (!end) break;
    p = end + 1;
  }
  return err;
}

/* ---- requests ---- */

static int parse_timeout(const struct field *f, long *ms) {
  if (f->len == 0 || f->len > 10) return -1;
  long v = 0;
  for (uint32_t i = 0; i < f->len; i++) {
    if (f->p[i] < '0' || f->p[i] > '9') return -1;
    v = v * 10 + (f->p[i] - '0');
  }
  if (v <= 0 || v > 24L * 3600 * 1000) return -1;
  *ms = v;
  return 0;
}

static void free_strings(char **v, int n) {
  for (int i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* argv from fields [from, n); NULL (with EINVAL answered) if one holds a NUL byte. */
static char **argv_of(const char *id, struct field *f, int from, int n) {
  char **argv = calloc((size_t)(n - from + 1), sizeof *argv);
  if (!argv) abort();
  for (int i = from; i < n; i++) {
    argv[i - from] = field_strdup(&f[i]);
    if (!argv[i - from]) {
      free_strings(argv, i - from);
      respond_error(id, EINVAL, "an argument contains a NUL byte");
      return NULL;
    }
  }
  return argv;
}

static int pipe_pair(int p[2]) { return pipe2(p, O_CLOEXEC); }

static void start_process(const char *id, enum kind kind, struct field *f, int n) {
  /* run: id op timeout file argv0...;  start: id op timeout log file argv0... */
  int file_at = kind == JOB_RUN ? 3 : 4;
  long timeout;
  if (n < file_at + 2 || parse_timeout(&f[2], &timeout) != 0) {
    respond_error(id, EINVAL, "malformed request: timeout, file and argv[0] are required");
    return;
  }
  char *file = field_strdup(&f[file_at]);
  char *log = kind == JOB_START ? field_strdup(&f[3]) : NULL;
  if (!file || !*file || (kind == JOB_START && (!log || !*log))) {
    free(file);
    free(log);
    respond_error(id, EINVAL, "file and log path must be non-empty and free of NUL bytes");
    return;
  }
  char **argv = argv_of(id, f, file_at + 1, n);
  if (!argv) {
    free(file);
    free(log);
    return;
  }
  struct job *j = new_job(id, kind);
  int out[2] = {-1, -1}, err[2] = {-1, -1}, sync[2] = {-1, -1}, ex[2] = {-1, -1}, logfd = -1;
  int e = 0;
  if (!j) e = EAGAIN;
  else if (pipe_pair(ex) != 0) e = errno;
  else if (kind == JOB_RUN && (pipe_pair(out) != 0 || pipe_pair(err) != 0)) e = errno;
  else if (kind == JOB_START && pipe_pair(sync) != 0) e = errno;
  else if (kind == JOB_START && (logfd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) e = errno;
  pid_t pid = -1;
  if (!e) {
    pid = fork();
    if (pid < 0) e = errno;
  }
  if (pid == 0) {
    child_reset_signals();
    int ew = ex[1];
    if (kind == JOB_START && setsid() < 0) child_fail(ew, errno);
    int fds[4] = {-1, kind == JOB_RUN ? out[1] : -1, kind == JOB_RUN ? err[1] : logfd, sync[1]};
    child_arrange_fds(fds, kind == JOB_RUN ? 3 : 4, &ew);
    child_fail(ew, child_execute(file, argv));
  }
  int *child_ends[] = {&out[1], &err[1], &sync[1], &ex[1], &logfd};
  for (size_t i = 0; i < sizeof child_ends / sizeof child_ends[0]; i++) close_fd(child_ends[i]);
  free_strings(argv, n - file_at - 1);
  free(log);
  if (e) {
    char msg[PATH_MAX + 64];
    snprintf(msg, sizeof msg, "%s %s: %s", j ? "start" : "queue", file, strerror(e));
    close_fd(&out[0]);
    close_fd(&err[0]);
    close_fd(&sync[0]);
    close_fd(&ex[0]);
    if (j) free_job(j);
    free(file);
    respond_error(id, e, msg);
    return;
  }
  j->what = file;
  j->pid = pid;
  j->out_fd = out[0];
  j->err_fd = err[0];
  j->sync_fd = sync[0];
  j->exec_fd = ex[0];
  j->deadline = now_ms() + timeout;
  int *mine[] = {&j->out_fd, &j->err_fd, &j->sync_fd, &j->exec_fd};
  for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
    if (*mine[i] >= 0) fcntl(*mine[i], F_SETFL, O_NONBLOCK);
}

static void start_mount(const char *id, int is_umount, struct field *f, int n) {
  /* mount: id op target (source fstype flags data)...;  umount: id op target flags */
  int steps_n = (n - 3) / 4;
  if (is_umount ? n != 4 : (n < 7 || (n - 3) % 4 != 0 || steps_n > MAX_MOUNT_STEPS)) {
    respond_error(id, EINVAL, is_umount ? "malformed umount request: target and flags are required" : "malformed mount request: target and 1 to 16 steps of source, type, flags, data are required");
    return;
  }
  char *target = field_strdup(&f[2]);
  if (!target || target[0] != '/') {
    free(target);
    respond_error(id, EINVAL, "the mount target must be an absolute path without NUL bytes");
    return;
  }
  struct mount_step steps[MAX_MOUNT_STEPS];
  int umount_flags = 0, bad = 0;
  memset(steps, 0, sizeof steps);
  if (is_umount) {
    char *flags = field_strdup(&f[3]);
    bad = !flags || parse_umount_flags(flags, &umount_flags) != 0;
    free(flags);
  } else {
    for (int i = 0; i < steps_n && !bad; i++) {
      struct field *s = &f[3 + i * 4];
      char *flags = field_strdup(&s[2]);
      steps[i].source = s[0].len ? field_strdup(&s[0]) : NULL;
      steps[i].fstype = s[1].len ? field_strdup(&s[1]) : NULL;
      steps[i].data = s[3].len ? field_strdup(&s[3]) : NULL;
      bad = !flags || (s[0].len && !steps[i].source) || (s[1].len && !steps[i].fstype) || (s[3].len && !steps[i].data) ||
            parse_mount_flags(flags, &steps[i].flags, &steps[i].keep_flags) != 0;
      snprintf(steps[i].desc, sizeof steps[i].desc, "%s", flags && *flags ? flags : "new");
      free(flags);
    }
  }
  struct job *j = bad ? NULL : new_job(id, JOB_MOUNT);
  int msg[2] = {-1, -1};
  int e = bad ? EINVAL : !j ? EAGAIN : 0;
  pid_t pid = -1;
  if (!e && pipe_pair(msg) != 0) e = errno;
  if (!e && (pid = fork()) < 0) e = errno;
  if (pid == 0) {
    close(msg[0]);
    _exit(is_umount ? run_umount(target, umount_flags, msg[1]) : run_mount_steps(target, steps, steps_n, msg[1]));
  }
  close_fd(&msg[1]);
  for (int i = 0; i < steps_n; i++) {
    free(steps[i].source);
    free(steps[i].fstype);
    free(steps[i].data);
  }
  if (e) {
    close_fd(&msg[0]);
    if (j) free_job(j);
    free(target);
    respond_error(id, e, bad ? "malformed flags or a NUL byte in a mount argument" : strerror(e));
    return;
  }
  j->what = target;
  j->pid = pid;
  j->out_fd = msg[0];
  fcntl(j->out_fd, F_SETFL, O_NONBLOCK);
  j->deadline = now_ms() + 30000;
}

void handle_request(struct field *f, int n) {
  char id[24];
  snprintf(id, sizeof id, "%.*s", (int)f[0].len, f[0].p);
  const struct field *op = &f[1];
#define OP_IS(s) (op->len == sizeof(s) - 1 && memcmp(op->p, s, sizeof(s) - 1) == 0)
  if (OP_IS("ping")) {
    struct outbuf o = {0};
    ob_field_str(&o, id);
    ob_field_str(&o, "ok");
    ob_field_long(&o, (long)getpid());
    send_or_exit(&o);
    ob_free(&o);
  } else if (OP_IS("run")) {
    start_process(id, JOB_RUN, f, n);
  } else if (OP_IS("start")) {
    start_process(id, JOB_START, f, n);
  } else if (OP_IS("mount")) {
    start_mount(id, 0, f, n);
  } else if (OP_IS("umount")) {
    start_mount(id, 1, f, n);
  } else {
    respond_error(id, EINVAL, "unknown operation");
  }
#undef OP_IS
}

/* ---- completion ---- */

/* The answer for a job whose program could not be executed: "error", errno, message. */
static void ob_exec_error(struct outbuf *o, const struct job *j) {
  char msg[PATH_MAX + 64];
  snprintf(msg, sizeof msg, "exec %s: %s", j->what, strerror(j->exec_errno));
  ob_field_str(o, "error");
  ob_field_long(o, j->exec_errno);
  ob_field_str(o, msg);
}

static void finish_run(struct job *j) {
  struct outbuf o = {0};
  ob_field_str(&o, j->id);
  if (j->exec_errno) {
    ob_exec_error(&o, j);
  } else {
    int code = -1, sig = 0;
    if (WIFEXITED(j->wstatus)) code = WEXITSTATUS(j->wstatus);
    else if (WIFSIGNALED(j->wstatus)) sig = WTERMSIG(j->wstatus);
    ob_field_str(&o, "exit");
    ob_field_long(&o, code);
    ob_field_long(&o, sig);
    ob_field(&o, j->out.p, j->out.len);
    ob_field(&o, j->err.p, j->err.len);
  }
  send_or_exit(&o);
  ob_free(&o);
  free_job(j);
}

static void finish_start(struct job *j, int timed_out) {
  struct outbuf o = {0};
  ob_field_str(&o, j->id);
  if (j->exec_errno) {
    ob_exec_error(&o, j);
  } else {
    ob_field_str(&o, timed_out ? "timeout" : "started");
    ob_field_long(&o, (long)j->pid);
    ob_field(&o, j->sync.p, j->sync.len);
  }
  send_or_exit(&o);
  ob_free(&o);
  free_job(j);
}

static void finish_mount(struct job *j) {
  struct outbuf o = {0};
  ob_field_str(&o, j->id);
  if (WIFEXITED(j->wstatus) && WEXITSTATUS(j->wstatus) == 0) {
    ob_field_str(&o, "ok");
  } else {
    int e = WIFEXITED(j->wstatus) ? WEXITSTATUS(j->wstatus) : EIO;
    /* The child wrote "<failed step>\n<message>". */
    const char *nl = j->out.len ? memchr(j->out.p, '\n', j->out.len) : NULL;
    long step = nl ? strtol(j->out.p, NULL, 10) : 0;
    ob_field_str(&o, "error");
    ob_field_long(&o, e);
    if (nl) ob_field(&o, nl + 1, j->out.len - (size_t)(nl + 1 - j->out.p));
    else ob_field_str(&o, "the mount call's process ended without a word");
    ob_field_long(&o, step);
  }
  send_or_exit(&o);
  ob_free(&o);
  free_job(j);
}

static void maybe_finish(struct job *j) {
  switch (j->kind) {
    case JOB_RUN:
      if (j->exited && j->exec_fd < 0 && j->out_fd < 0 && j->err_fd < 0) finish_run(j);
      break;
    case JOB_START:
      if (j->exec_fd < 0 && (j->sync_fd < 0 || j->exec_errno)) finish_start(j, 0);
      break;
    case JOB_MOUNT:
      if (j->exited && j->out_fd < 0) finish_mount(j);
      break;
    default:
      break;
  }
}

static void overflow(struct job *j, const char *stream, unsigned limit) {
  char msg[128];
  snprintf(msg, sizeof msg, "%s of %s exceeded %u bytes; the process was killed", stream, j->what, limit);
  kill(j->pid, SIGKILL);
  char id[24];
  snprintf(id, sizeof id, "%s", j->id);
  free_job(j);
  respond_error(id, EFBIG, msg);
}

/* Read what is there; returns 1 if the job was answered and freed (over a limit), else 0. */
static int drain(struct job *j, int *fd, struct outbuf *into, unsigned limit, const char *stream, int hard_limit) {
  char buf[65536];
  for (;;) {
    ssize_t r = read(*fd, buf, sizeof buf);
    if (r > 0) {
      size_t keep = into->len >= limit ? 0 : (size_t)r > limit - into->len ? limit - into->len : (size_t)r;
      if (hard_limit && (size_t)r > keep) {
        overflow(j, stream, limit);
        return 1;
      }
      ob_bytes(into, buf, keep);
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) return 0;
    close_fd(fd); /* end of file, or an error we cannot do better with */
    return 0;
  }
}

static void read_exec_fd(struct job *j) {
  int err = 0;
  ssize_t r;
  do r = read(j->exec_fd, &err, sizeof err);
  while (r < 0 && errno == EINTR);
  if (r < 0 && errno == EAGAIN) return;
  if (r == (ssize_t)sizeof err) j->exec_errno = err ? err : EIO;
  close_fd(&j->exec_fd);
}

/* Which job and which of its descriptors each polled entry stands for. */
static struct {
  int job;
  int which; /* 0 out, 1 err, 2 sync, 3 exec */
} owners[MAX_JOBS * 4];

int jobs_pollfds(struct pollfd *pfd, int max) {
  int k = 0;
  for (int i = 0; i < MAX_JOBS; i++) {
    struct job *j = &jobs[i];
    if (j->kind == JOB_FREE) continue;
    int fds[4] = {j->out_fd, j->err_fd, j->sync_fd, j->exec_fd};
    for (int w = 0; w < 4; w++) {
      if (fds[w] < 0 || k >= max) continue;
      pfd[k].fd = fds[w];
      pfd[k].events = POLLIN;
      pfd[k].revents = 0;
      owners[k].job = i;
      owners[k].which = w;
      k++;
    }
  }
  return k;
}

void jobs_handle(struct pollfd *pfd, int count) {
  for (int k = 0; k < count; k++) {
    if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    struct job *j = &jobs[owners[k].job];
    /* An earlier entry may have finished this job (and the slot may not be reused before the next poll). */
    if (j->kind == JOB_FREE) continue;
    int done = 0;
    switch (owners[k].which) {
      case 0:
        if (j->out_fd == pfd[k].fd) done = drain(j, &j->out_fd, &j->out, j->kind == JOB_RUN ? MAX_STDOUT_BYTES : 4096, "stdout", j->kind == JOB_RUN);
        break;
      case 1:
        if (j->err_fd == pfd[k].fd) done = drain(j, &j->err_fd, &j->err, MAX_STDERR_BYTES, "stderr", 1);
        break;
      case 2:
        if (j->sync_fd == pfd[k].fd) done = drain(j, &j->sync_fd, &j->sync, MAX_SYNC_BYTES, "sync", 0);
        break;
      case 3:
        if (j->exec_fd == pfd[k].fd) read_exec_fd(j);
        break;
    }
    if (!done) maybe_finish(j);
  }
}

void jobs_reap(void) {
  int ws;
  pid_t p;
  while ((p = waitpid(-1, &ws, WNOHANG)) > 0) {
    for (int i = 0; i < MAX_JOBS; i++) {
      struct job *j = &jobs[i];
      if (j->kind == JOB_FREE || j->pid != p) continue;
      j->exited = 1;
      j->wstatus = ws;
      maybe_finish(j);
      break;
    }
  }
}

long jobs_next_deadline(void) {
  long next = -1;
  for (int i = 0; i < MAX_JOBS; i++)
    if (jobs[i].kind != JOB_FREE && (next < 0 || jobs[i].deadline < next)) next = jobs[i].deadline;
  return next;
}

void jobs_check_deadlines(long now) {
  for (int i = 0; i < MAX_JOBS; i++) {
    struct job *j = &jobs[i];
    if (j->kind == JOB_FREE || j->deadline > now) continue;
    if (j->kind == JOB_START) {
      kill(-j->pid, SIGKILL);
      kill(j->pid, SIGKILL);
      finish_start(j, 1);
      continue;
    }
    kill(j->pid, SIGKILL);
    if (j->kind == JOB_RUN) {
      struct outbuf o = {0};
      ob_field_str(&o, j->id);
      ob_field_str(&o, "timeout");
      ob_field(&o, j->out.p, j->out.len);
      ob_field(&o, j->err.p, j->err.len);
      send_or_exit(&o);
      ob_free(&o);
      free_job(j);
    } else {
      char msg[PATH_MAX + 64], id[24];
      snprintf(msg, sizeof msg, "mount call on %s did not finish within 30 s", j->what);
      snprintf(id, sizeof id, "%s", j->id);
      free_job(j);
      respond_error(id, ETIMEDOUT, msg);
    }
  }
}
