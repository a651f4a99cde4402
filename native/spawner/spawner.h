/*
 * cistern-spawner: starts child processes and makes mount(2)/umount2(2) calls on behalf of one Node process, so that
 * process (which may hold hundreds of megabytes) never forks itself: every fork here copies a helper of well under a
 * megabyte instead.
 *
 * Protocol (fd 0 requests in, fd 1 responses out; see README.md): every message is a frame, a little-endian u32 byte
 * count followed by that many bytes of fields; a field is a little-endian u32 byte count followed by its bytes. The
 * first field of every request and response is the request id (1..20 decimal digits, echoed back), the second the
 * operation or the outcome. The helper greets with [0, hello, cistern-spawner, <version>, <pid>], answers each
 * request exactly once, in completion order, and exits on end of input. After each batch of requests it has read
 * it says [0, accepted, <last id>]: a request the helper never accepted is known not to have run. A malformed frame gets [0, fatal, <why>]
 * and the helper exits: the client restarts it.
 *
 * No shell anywhere: programs get the argument vector they were sent, executed with execve(2).
 */
#ifndef CISTERN_SPAWNER_H
#define CISTERN_SPAWNER_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SPAWNER_PROTOCOL "2"

#define MAX_REQUEST_BYTES (1u << 20) /* one request frame */
#define MAX_FIELDS 4096              /* fields in one request (argv entries included) */
#define MAX_STDOUT_BYTES (8u << 20)  /* captured stdout of one `run`; beyond it the child is killed */
#define MAX_STDERR_BYTES (1u << 20)
#define MAX_SYNC_BYTES 4096 /* what a `start`ed program may say on its sync fd */
#define MAX_JOBS 1024       /* requests in flight */
#define MAX_MOUNT_STEPS 16

struct field {
  const char *p; /* points into the request buffer; not NUL-terminated */
  uint32_t len;
};

/* A growable byte buffer; ob_* append, never fail (abort on out of memory: the client restarts the helper). */
struct outbuf {
  char *p;
  size_t len, cap;
};

/* frame.c */
int parse_fields(const char *buf, uint32_t len, struct field *out, int max, int *n);
void ob_bytes(struct outbuf *o, const void *p, size_t len);
void ob_field(struct outbuf *o, const void *p, size_t len);
void ob_field_str(struct outbuf *o, const char *s);
void ob_field_long(struct outbuf *o, long v);
void ob_free(struct outbuf *o);
int send_frame(int fd, const struct outbuf *fields);
int write_all(int fd, const void *buf, size_t n);
char *field_strdup(const struct field *f); /* NULL if the field holds a NUL byte */

/* mounts.c: one step = mount(source, target, fstype, flags, data); empty strings mean NULL. */
struct mount_step {
  char *source, *fstype, *data;
  unsigned long flags;
  int keep_flags; /* remount: add the target mount's current nosuid/nodev/noexec/atime flags */
  char desc[64];
};
int parse_mount_flags(const char *text, unsigned long *flags, int *keep_flags);
int parse_umount_flags(const char *text, int *flags);
/* Runs in a forked child: performs the steps in order, writes a message to `msg_fd` on failure; returns errno or 0. */
int run_mount_steps(const char *target, struct mount_step *steps, int n, int msg_fd);
int run_umount(const char *target, int flags, int msg_fd);

/* jobs.c */
void jobs_init(void);
/* Handle one parsed request; the response is sent now (errors, mount failures of parsing) or when its job ends. */
void handle_request(struct field *f, int n);
/* Fill pollfds for every open job fd; returns how many were added (at most `max`). */
int jobs_pollfds(struct pollfd *pfd, int max);
/* Act on the entries jobs_pollfds filled, after poll(2). */
void jobs_handle(struct pollfd *pfd, int count);
void jobs_reap(void);
void jobs_check_deadlines(long now_ms);
long jobs_next_deadline(void); /* ms since an arbitrary epoch, or -1 */
long now_ms(void);

#endif
