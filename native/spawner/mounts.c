/*
 * mount(2) and umount2(2) for the client, run in a forked child so a call that blocks (a hung file system) never
 * stalls the helper. Flags are named, never numeric, so the client cannot pass a flag this file does not know.
 * `keepflags` on a bind remount adds the mount's current nosuid/nodev/noexec/atime flags: MS_REMOUNT|MS_BIND sets
 * the per-mount flags to exactly what it is given, and a read-only remount must not silently drop nosuid.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "spawner.h"

static const struct {
  const char *name;
  unsigned long flag;
} mount_flags[] = {
    {"bind", MS_BIND},       {"rec", MS_REC},       {"private", MS_PRIVATE}, {"remount", MS_REMOUNT},
    {"rdonly", MS_RDONLY},   {"nosuid", MS_NOSUID}, {"nodev", MS_NODEV},     {"noexec", MS_NOEXEC},
};

/* Comma-separated names. 0, or -1 for an unknown or empty name. */
int parse_mount_flags(const char *text, unsigned long *flags, int *keep_flags) {
  *flags = 0;
  *keep_flags = 0;
  if (!*text) return 0;
  const char *p = text;
  for (;;) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    int known = 0;
    if (n == 9 && strncmp(p, "keepflags", 9) == 0) {
      *keep_flags = 1;
      known = 1;
    }
    for (size_t i = 0; !known && i < sizeof mount_flags / sizeof mount_flags[0]; i++) {
      if (strlen(mount_flags[i].name) == n && strncmp(p, mount_flags[i].name, n) == 0) {
        *flags |= mount_flags[i].flag;
        known = 1;
      }
    }
    if (!known) return -1;
    if (!end) return 0;
    p = end + 1;
  }
}

int parse_umount_flags(const char *text, int *flags) {
  *flags = 0;
  if (!*text) return 0;
  const char *p = text;
  for (;;) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 6 && strncmp(p, "detach", 6) == 0) *flags |= MNT_DETACH;
    else if (n == 8 && strncmp(p, "nofollow", 8) == 0) *flags |= UMOUNT_NOFOLLOW;
    else return -1;
    if (!end) return 0;
    p = end + 1;
  }
}

static unsigned long current_flags(const char *target) {
  struct statvfs sv;
  if (statvfs(target, &sv) != 0) return 0;
  unsigned long f = 0;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

static const char *or_none(const char *s) { return s ? s : "none"; }

int run_mount_steps(const char *target, struct mount_step *steps, int n, int msg_fd) {
  for (int i = 0; i < n; i++) {
    struct mount_step *s = &steps[i];
    unsigned long flags = s->flags;
    if (s->keep_flags) flags |= current_flags(target);
    if (mount(s->source, target, s->fstype, flags, s->data) != 0) {
      int e = errno;
      /* "<step>\n" first: the client learns which calls were made before the failure (it may have to undo them). */
      dprintf(msg_fd, "%d\nmount step %d (%s, source %s, type %s) on %s: %s", i + 1, i + 1, s->desc, or_none(s->source), or_none(s->fstype), target, strerror(e));
      return e;
    }
  }
  return 0;
}

int run_umount(const char *target, int flags, int msg_fd) {
  if (umount2(target, flags) != 0) {
    int e = errno;
    dprintf(msg_fd, "1\numount %s: %s", target, strerror(e));
    return e;
  }
  return 0;
}
