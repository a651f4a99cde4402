/*
 * Keeps the node count (one open descriptor each) under the descriptor limit. The kernel holds on to
 * names it looked up until memory runs short, so past a soft limit a background thread asks it to
 * invalidate some of them (FUSE_NOTIFY_INVAL_ENTRY); unused ones are dropped and their nodes come back
 * as FORGETs. Runs on its own thread because the kernel takes directory locks that a request thread
 * may be holding.
 */
#ifndef EFS_FUSE_TRIM_H
#define EFS_FUSE_TRIM_H

#include "efs_fuse.h"

int efs_trim_start(struct efs_fs *fs);
/* Cheap; call when the node count passed the soft limit or a descriptor could not be opened. */
void efs_trim_wake(struct efs_fs *fs);
void efs_trim_stop(struct efs_fs *fs);

#endif
