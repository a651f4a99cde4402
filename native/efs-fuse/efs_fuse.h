/*
 * Shared state of one efs-fuse daemon: the served source directory, the inode table, the options and
 * the I/O counters. One instance per process, reached from every request through fuse_req_userdata().
 */
#ifndef EFS_FUSE_H
#define EFS_FUSE_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 312
#endif
#include <fuse_lowlevel.h>

#include "identity.h"
#include "nodes.h"
#include "options.h"
#include "stats.h"

/* Kernel caches names and attributes this long, like an NFS client's actimeo: short, so that other
 * mounts of the same file system see changes soon. */
#define EFS_ENTRY_TIMEOUT 1.0
#define EFS_ATTR_TIMEOUT 1.0

#define EFS_MAX_IO (1024 * 1024)

struct efs_fs {
	struct efs_options opts;
	int source_fd;
	struct efs_node_table *nodes;
	struct efs_stats stats;
	struct fuse_session *se;
	int passthrough;      /* negotiated with the kernel */
	unsigned long node_soft_limit; /* above this many nodes, new names are not cached by the kernel */
};

static inline struct efs_fs *efs_fs_of(fuse_req_t req)
{
	return (struct efs_fs *)fuse_req_userdata(req);
}

static inline struct efs_node *efs_req_node(fuse_req_t req, fuse_ino_t ino)
{
	return efs_node_of(efs_fs_of(req)->nodes, ino);
}

/* A file handle is the daemon's descriptor, with bit 32 set when the kernel does the I/O itself
 * through a registered backing file (passthrough). */
#define EFS_FH(fd, pt) ((uint64_t)(uint32_t)(fd) | ((pt) ? (1ull << 32) : 0))
#define EFS_FH_FD(fh) ((int)(uint32_t)(fh))
#define EFS_FH_PT(fh) (((fh) >> 32) & 1u)

/* "/proc/self/fd/N" for reopening an O_PATH descriptor with real access modes. */
#define EFS_PROC_FD_LEN 32
void efs_proc_fd_path(char out[EFS_PROC_FD_LEN], int fd);

#endif
