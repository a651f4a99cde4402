/* Command line of efs-fuse: which directory to serve, where, and as whom. */
#ifndef EFS_FUSE_OPTIONS_H
#define EFS_FUSE_OPTIONS_H

#include <stdbool.h>
#include <sys/types.h>

#define EFS_MAX_GROUPS 32

/* auto: use kernel passthrough when the kernel offers it; off: all data through the daemon. */
enum efs_passthrough_mode { EFS_PT_AUTO, EFS_PT_OFF };

struct efs_options {
	const char *source;
	const char *target;
	const char *fsname;
	const char *stats_file;
	/* Access point identity: when set, it replaces every caller's identity. */
	bool ap_mode;
	uid_t ap_uid;
	gid_t ap_gid;
	int ap_ngroups;
	gid_t ap_groups[EFS_MAX_GROUPS];
	/* Plain mode only: map caller root to the squash identity (no ClientRootAccess). */
	bool squash_root;
	uid_t squash_uid;
	gid_t squash_gid;
	bool read_only;
	enum efs_passthrough_mode passthrough;
	unsigned max_threads;
	unsigned long max_nodes;  /* 0: half the descriptor limit */
	bool debug;
};

/* Parses argv; on error prints a message to stderr and returns -1. */
int efs_parse_options(int argc, char **argv, struct efs_options *out);

#endif
