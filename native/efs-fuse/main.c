/*
 * efs-fuse: serves one directory (an EFS file system or an access point's root) at a mount point with
 * EFS's identity rules, for containers on this node. See README.md in this folder for the model.
 * Lifecycle: open the source once, mount, serve until SIGTERM/SIGINT or an external unmount, unmount,
 * write the final counters, exit 0. Exit status 2 means bad arguments, 1 a setup failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ops.h"
#include "passthrough.h"
#include "trim.h"

static struct efs_fs the_fs;

static void efs_init(void *userdata, struct fuse_conn_info *conn)
{
	struct efs_fs *fs = userdata;
	conn->max_write = EFS_MAX_IO;
	conn->max_read = EFS_MAX_IO;
	conn->max_readahead = EFS_MAX_IO;
	unsigned want = FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE | FUSE_CAP_ASYNC_READ |
			FUSE_CAP_PARALLEL_DIROPS | FUSE_CAP_ATOMIC_O_TRUNC | FUSE_CAP_READDIRPLUS |
			FUSE_CAP_READDIRPLUS_AUTO | FUSE_CAP_AUTO_INVAL_DATA | FUSE_CAP_ASYNC_DIO;
	conn->want |= want & conn->capable;
	/*
	 * Writeback caching is off: with it the kernel trusts its own file size and mtime for good, so a
	 * file grown through another mount of the same file system (another pod) would look truncated here.
	 * Locks are not implemented, so the kernel keeps POSIX/flock locks local to this mount.
	 */
	conn->want &= ~(FUSE_CAP_WRITEBACK_CACHE | FUSE_CAP_POSIX_LOCKS | FUSE_CAP_FLOCK_LOCKS);
	efs_passthrough_on_init(fs, conn);
}

static const struct fuse_lowlevel_ops efs_ops = {
	.init = efs_init,
	.lookup = efs_op_lookup,
	.forget = efs_op_forget,
	.forget_multi = efs_op_forget_multi,
	.getattr = efs_op_getattr,
	.setattr = efs_op_setattr,
	.readlink = efs_op_readlink,
	.mknod = efs_op_mknod,
	.mkdir = efs_op_mkdir,
	.symlink = efs_op_symlink,
	.link = efs_op_link,
	.unlink = efs_op_unlink,
	.rmdir = efs_op_rmdir,
	.rename = efs_op_rename,
	.open = efs_op_open,
	.create = efs_op_create,
	.read = efs_op_read,
	.write_buf = efs_op_write_buf,
	.flush = efs_op_flush,
	.release = efs_op_release,
	.fsync = efs_op_fsync,
	.fallocate = efs_op_fallocate,
	.lseek = efs_op_lseek,
	.opendir = efs_op_opendir,
	.readdir = efs_op_readdir,
	.readdirplus = efs_op_readdirplus,
	.releasedir = efs_op_releasedir,
	.fsyncdir = efs_op_fsyncdir,
	.statfs = efs_op_statfs,
	.access = efs_op_access,
};

static int open_source(struct efs_fs *fs, struct stat *st)
{
	/* No symlink anywhere in the path: a component swapped for a link between the caller's checks
	 * and this open would otherwise point the whole mount somewhere else (the runc/kubelet subPath
	 * race). The path must already be resolved. */
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	fs->source_fd = (int)syscall(SYS_openat2, AT_FDCWD, fs->opts.source, &how, sizeof(how));
	if (fs->source_fd < 0) {
		fprintf(stderr, "efs-fuse: cannot open source %s: %s%s\n", fs->opts.source, strerror(errno),
			errno == ELOOP ? " (the path must not contain symlinks)" : "");
		return -1;
	}
	if (fstat(fs->source_fd, st) != 0) {
		fprintf(stderr, "efs-fuse: cannot stat source %s: %s\n", fs->opts.source, strerror(errno));
		return -1;
	}
	return 0;
}

/* Like EFS, a mount through an access point fails when its user cannot search the root directory. */
static int check_ap_can_enter(struct efs_fs *fs)
{
	if (!fs->opts.ap_mode)
		return 0;
	struct efs_identity id = { .uid = fs->opts.ap_uid, .gid = fs->opts.ap_gid, .ngroups = fs->opts.ap_ngroups };
	memcpy(id.groups, fs->opts.ap_groups, sizeof(id.groups));
	int err = efs_become(&id);
	long rc = err == 0 ? syscall(SYS_faccessat2, fs->source_fd, "", X_OK, AT_EMPTY_PATH | AT_EACCESS) : -1;
	int saved = errno;
	efs_become_daemon();
	if (err != 0 || rc != 0) {
		fprintf(stderr, "efs-fuse: access point user %u:%u cannot enter %s: %s\n", (unsigned)id.uid,
			(unsigned)id.gid, fs->opts.source, strerror(err != 0 ? -err : saved));
		return -1;
	}
	return 0;
}

static int build_args(const struct efs_options *o, struct fuse_args *args, char *argv0)
{
	static char mount_opts[512];
	/* allow_other: containers run as any uid. No default_permissions: the daemon's credentialed
	 * syscalls are the permission check. nodev/nosuid: a client must not gain devices or setuid
	 * binaries through a shared volume. fsname/subtype: shows as "fuse.efs" with source efs:fs-... */
	int n = snprintf(mount_opts, sizeof(mount_opts), "allow_other,nodev,nosuid,fsname=%s,subtype=efs,max_read=%d%s",
			 o->fsname, EFS_MAX_IO, o->read_only ? ",ro" : "");
	if (n < 0 || (size_t)n >= sizeof(mount_opts))
		return -1;
	if (fuse_opt_add_arg(args, argv0) != 0 || fuse_opt_add_arg(args, "-o") != 0 ||
	    fuse_opt_add_arg(args, mount_opts) != 0)
		return -1;
	if (o->debug && fuse_opt_add_arg(args, "-d") != 0)
		return -1;
	return 0;
}

/* Every inode the kernel caches is an open descriptor here: a big tree walk needs many. As root we
 * may raise even the hard limit (up to fs.nr_open); otherwise take what the hard limit allows. */
static unsigned long raise_fd_limit(void)
{
	struct rlimit want = { 1048576, 1048576 };
	struct rlimit rl;
	if (setrlimit(RLIMIT_NOFILE, &want) != 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1048576;
	return (unsigned long)rl.rlim_cur;
}

int main(int argc, char **argv)
{
	struct efs_fs *fs = &the_fs;
	if (efs_parse_options(argc, argv, &fs->opts) != 0)
		return 2;
	/* Only the caller's umask (applied by the kernel) may shape new files' modes. */
	umask(0);
	/* Trim from half the descriptors on: the other half is headroom for open files, directory
	 * streams, and lookups arriving faster than the kernel lets go of names. */
	fs->node_soft_limit = raise_fd_limit() / 2;
	if (fs->opts.max_nodes != 0 && fs->opts.max_nodes < fs->node_soft_limit)
		fs->node_soft_limit = fs->opts.max_nodes;
	struct stat root_st;
	if (open_source(fs, &root_st) != 0 || check_ap_can_enter(fs) != 0)
		return 1;
	fs->nodes = efs_nodes_create(fs->source_fd, &root_st);
	if (fs->nodes == NULL)
		return 1;
	efs_stats_init(&fs->stats, fs->opts.stats_file, fs->opts.fsname);

	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	if (build_args(&fs->opts, &args, argv[0]) != 0) {
		fprintf(stderr, "efs-fuse: cannot build mount options\n");
		return 1;
	}
	fs->se = fuse_session_new(&args, &efs_ops, sizeof(efs_ops), fs);
	if (fs->se == NULL)
		return 1;
	if (fuse_set_signal_handlers(fs->se) != 0)
		return 1;
	if (fuse_session_mount(fs->se, fs->opts.target) != 0) {
		fprintf(stderr, "efs-fuse: cannot mount at %s\n", fs->opts.target);
		return 1;
	}
	if (fs->opts.passthrough != EFS_PT_OFF && efs_passthrough_install(fs) != 0) {
		fprintf(stderr, "efs-fuse: cannot install passthrough hooks\n");
		fuse_session_unmount(fs->se);
		return 1;
	}
	efs_stats_flush(&fs->stats);
	efs_stats_start(&fs->stats);
	if (efs_trim_start(fs) != 0) {
		fprintf(stderr, "efs-fuse: cannot start the trimmer thread\n");
		fuse_session_unmount(fs->se);
		return 1;
	}

	struct fuse_loop_config *cfg = fuse_loop_cfg_create();
	fuse_loop_cfg_set_clone_fd(cfg, 1);
	fuse_loop_cfg_set_max_threads(cfg, fs->opts.max_threads);
	int rc = fuse_session_loop_mt(fs->se, cfg);
	fuse_loop_cfg_destroy(cfg);

	efs_trim_stop(fs);
	fuse_session_unmount(fs->se);
	fuse_remove_signal_handlers(fs->se);
	efs_stats_stop(&fs->stats);
	fuse_session_destroy(fs->se);
	fuse_opt_free_args(&args);
	/* A signal ends the loop with the signal number: that is the normal way to stop. */
	return rc < 0 ? 1 : 0;
}
