/*
 * FUSE passthrough (Linux 6.9+): the kernel reads and writes an open file's registered backing file
 * directly, so data never travels through the daemon. libfuse 3.14 predates the feature, so it is
 * negotiated here at the wire level through libfuse's custom I/O hooks: the INIT request tells whether
 * the kernel offers it, the INIT reply accepts it, and an OPEN/CREATE reply names a backing id.
 * Permission is still decided by the daemon's credentialed open; the backing file is only an I/O path.
 */
#ifndef EFS_FUSE_PASSTHROUGH_H
#define EFS_FUSE_PASSTHROUGH_H

#include "efs_fuse.h"

/* Installs the I/O hooks on a mounted session (before the loop starts); 0 or -errno. */
int efs_passthrough_install(struct efs_fs *fs);

/* Called from the init op: arms acceptance in the INIT reply when wanted and offered. */
void efs_passthrough_on_init(struct efs_fs *fs, struct fuse_conn_info *conn);

/*
 * Registers (or shares) node's backing file and arms the next open reply on this thread to use it.
 * Returns 1 when armed, 0 when the handle must use the daemon I/O path, -errno to fail the open.
 */
int efs_passthrough_attach(struct efs_fs *fs, fuse_req_t req, struct efs_node *node, int want_write);

/* Drops the arming if the reply was not sent (error path). */
void efs_passthrough_disarm(void);

/* Release of a handle that was attached. */
void efs_passthrough_detach(struct efs_fs *fs, struct efs_node *node);

#endif
