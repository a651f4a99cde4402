/*
 * `cistern-shim exec-tty`: run a process in a container on a pseudo-terminal.
 *   runc exec --detach --tty --console-socket S --pid-file P --process F <id>
 * runc creates the pty inside the container and sends us the master over S (SCM_RIGHTS). Because we are a child
 * subreaper and runc exits after starting the process, the process becomes our child, so we can wait for it.
 * stdin -> master, master -> stdout; fd 3 (if open) carries "cols rows\n" window-size updates. Our exit status is
 * the process's (128+signal if it was killed); 255 means the exec itself failed (message on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "shim.h"

struct tty_opts {
  const char *id, *runc, *runc_root, *process, *socket, *pid_file;
  int cols, rows;
};

static void parse(int argc, char **argv, struct tty_opts *o) {
  static const struct option longopts[] = {
      {"id", required_argument, 0, 'i'},      {"runc", required_argument, 0, 'r'},
      {"runc-root", required_argument, 0, 'R'}, {"process", required_argument, 0, 'P'},
      {"socket", required_argument, 0, 's'},  {"pid-file", required_argument, 0, 'p'},
      {"cols", required_argument, 0, 'c'},    {"rows", required_argument, 0, 'w'},
      {0, 0, 0, 0},
  };
  memset(o, 0, sizeof *o);
  int c;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
      case 'i': o->id = optarg; break;
      case 'r': o->runc = optarg; break;
      case 'R': o->runc_root = optarg; break;
      case 'P': o->process = optarg; break;
      case 's': o->socket = optarg; break;
      case 'p': o->pid_file = optarg; break;
      case 'c': o->cols = atoi(optarg); break;
      case 'w': o->rows = atoi(optarg); break;
      default: fail("exec-tty: unknown option");
    }
  }
  if (!o->id || !o->runc || !o->runc_root || !o->process || !o->socket || !o->pid_file)
    fail("exec-tty: --id --runc --runc-root --process --socket --pid-file are required");
}

static int listen_socket(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr.sun_path) fail("socket path too long: %s", path);
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket: %s", strerror(errno));
  unlink(path);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) fail("bind %s: %s", path, strerror(errno));
  if (listen(fd, 1) != 0) fail("listen: %s", strerror(errno));
  return fd;
}

static int recv_fd(int conn) {
  char data[256];
  struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } ctl;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf};
  if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0) return -1;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

static void set_size(int master, int cols, int rows) {
  if (master < 0 || cols <= 0 || rows <= 0) return;
  struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
  ioctl(master, TIOCSWINSZ, &ws);
}

/* Apply every complete "cols rows" line read from the control fd. Returns 1 at EOF. */
static int read_resize(int ctl, int master, char *buf, size_t *len, size_t cap) {
  ssize_t n = read(ctl, buf + *len, cap - *len - 1);
  if (n <= 0) return n == 0 || errno != EAGAIN;
  *len += (size_t)n;
  buf[*len] = 0;
  char *line = buf, *nl;
  while ((nl = strchr(line, '\n'))) {
    *nl = 0;
    int cols = 0, rows = 0;
    if (sscanf(line, "%d %d", &cols, &rows) == 2) set_size(master, cols, rows);
    line = nl + 1;
  }
  *len = strlen(line);
  memmove(buf, line, *len);
  if (*len >= cap - 1) *len = 0;
  return 0;
}

static pid_t start_runc(struct tty_opts *o) {
  pid_t pid = fork();
  if (pid < 0) fail("fork: %s", strerror(errno));
  if (pid > 0) return pid;
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int devnull = open("/dev/null", O_RDWR);
  if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0) _exit(127);
  char *argv[] = {(char *)"runc", (char *)"--root", (char *)o->runc_root, (char *)"exec", (char *)"--detach",
                  (char *)"--tty", (char *)"--console-socket", (char *)o->socket, (char *)"--pid-file",
                  (char *)o->pid_file, (char *)"--process", (char *)o->process, (char *)o->id, NULL};
  execv(o->runc, argv);
  dprintf(2, "cistern-shim: exec %s: %s\n", o->runc, strerror(errno));
  _exit(127);
}

int tty_main(int argc, char **argv) {
  struct tty_opts o;
  parse(argc, argv, &o);
  signal(SIGPIPE, SIG_IGN);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) fail("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  int lfd = listen_socket(o.socket);
  int ctl = fcntl(3, F_GETFD) >= 0 ? 3 : -1;
  if (ctl >= 0) fcntl(ctl, F_SETFL, O_NONBLOCK);
  fcntl(0, F_SETFL, O_NONBLOCK);

  pid_t runc = start_runc(&o);
  int master = -1;
  pid_t proc = 0;
  int runc_done = 0, proc_status = -1, have_status = 0, stdin_open = 1, master_open = 1;
  char ctlbuf[256];
  size_t ctllen = 0;
  char buf[16384];
  /* Statuses reaped before the pid file was read. */
  pid_t early_pid[16];
  int early_status[16], n_early = 0;

  for (;;) {
    struct pollfd p[5] = {
        {.fd = sfd, .events = POLLIN},
        {.fd = master < 0 ? lfd : -1, .events = POLLIN},
        {.fd = master_open ? master : -1, .events = POLLIN},
        {.fd = (master >= 0 && stdin_open) ? 0 : -1, .events = POLLIN},
        {.fd = master >= 0 ? ctl : -1, .events = POLLIN},
    };
    if (poll(p, 5, -1) < 0 && errno != EINTR) fail("poll: %s", strerror(errno));
    if (p[1].revents & POLLIN) {
      int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
      if (conn >= 0) {
        master = recv_fd(conn);
        close(conn);
        if (master < 0) fail("did not receive a console fd");
        fcntl(master, F_SETFL, O_NONBLOCK);
        set_size(master, o.cols, o.rows);
        close(lfd);
        unlink(o.socket);
        lfd = -1;
      }
    }
    if (master >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n > 0) write_all(1, buf, (size_t)n);
      else if (n == 0 || errno == EIO) master_open = 0; /* every slave fd is closed */
    }
    if (master >= 0 && (p[3].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(0, buf, sizeof buf);
      if (n > 0) write_all(master, buf, (size_t)n);
      else if (n == 0 || errno != EAGAIN) {
        stdin_open = 0;
        write_all(master, "\x04", 1); /* end of input on a terminal is ^D */
      }
    }
    if (ctl >= 0 && (p[4].revents & (POLLIN | POLLHUP)))
      if (read_resize(ctl, master, ctlbuf, &ctllen, sizeof ctlbuf)) ctl = -1;
    if (p[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) > 0) {
      }
      int ws;
      pid_t r;
      while ((r = waitpid(-1, &ws, WNOHANG)) > 0) {
        if (r == runc) {
          runc_done = 1;
          int sig;
          int code = exit_status_code(ws, &sig);
          if (code != 0) fail("runc exec exited with status %d", code);
          proc = (pid_t)read_pid_file(o.pid_file);
          if (proc <= 0) fail("runc exec left no pid file");
          for (int i = 0; i < n_early; i++)
            if (early_pid[i] == proc) {
              proc_status = early_status[i];
              have_status = 1;
            }
        } else if (runc_done && r == proc) {
          proc_status = ws;
          have_status = 1;
        } else if (!runc_done && n_early < 16) {
          early_pid[n_early] = r;
          early_status[n_early++] = ws;
        }
      }
    }
    if (have_status) break;
  }
  /* The process has exited: copy what is still buffered in the terminal, then stop (EIO once the slave is gone,
   * EAGAIN if a leftover process in the container still holds it open). */
  while (master >= 0 && master_open) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;
    write_all(1, buf, (size_t)n);
  }
  unlink(o.pid_file);
  int sig;
  return exit_status_code(proc_status, &sig);
}
