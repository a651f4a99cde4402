/*
 * Per-request identity. Every filesystem syscall the daemon makes on behalf of a caller runs with
 * fsuid/fsgid/supplementary groups set on the *calling thread only* (raw syscalls: glibc's wrappers
 * would broadcast to every thread), so the kernel's own permission checks and ownership rules apply.
 */
#ifndef EFS_FUSE_IDENTITY_H
#define EFS_FUSE_IDENTITY_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 312
#endif
#include <fuse_lowlevel.h>
#include <sys/types.h>

#include "options.h"

struct efs_identity {
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[EFS_MAX_GROUPS];
};

/* The identity a request is served with: the access point's, or the caller's (root squashed). */
void efs_identity_for_request(const struct efs_options *o, fuse_req_t req, struct efs_identity *out);

/* Switches the calling thread's filesystem credentials; 0 or -errno. Cheap when already current. */
int efs_become(const struct efs_identity *id);

/* Back to the daemon's own (root) credentials on this thread. */
void efs_become_daemon(void);

/* Convenience: switch to the request's identity; 0 or -errno. */
int efs_become_caller(const struct efs_options *o, fuse_req_t req);

#endif
