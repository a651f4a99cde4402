/*
 * Open files and their data. Opening reopens the node's O_PATH descriptor through /proc/self/fd with
 * the requested access mode under the request identity: that open *is* the permission check. Creating
 * opens the name relative to the parent with O_NOFOLLOW, so a planted symlink is never written through.
 * Data either flows through the daemon (splice where libfuse can) and is counted, or, with kernel
 * passthrough, goes straight to the backing file.
 */
#include "ops.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "passthrough.h"
#include "trim.h"

static int wants_write(int flags)
{
	int acc = flags & O_ACCMODE;
	return acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC);
}

/* Flags the daemon may pass on: no controlling tty, never inherited by anything we might spawn. */
static int reopen_flags(int flags)
{
	return (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_NOFOLLOW)) | O_CLOEXEC | O_NOCTTY;
}

static void finish_open(fuse_req_t req, struct efs_node *n, int fd, struct fuse_file_info *fi,
			const struct fuse_entry_param *created)
{
	struct efs_fs *fs = efs_fs_of(req);
	int pt = efs_passthrough_attach(fs, req, n, wants_write(fi->flags));
	if (pt < 0) {
		close(fd);
		if (created != NULL)
			efs_nodes_forget(fs->nodes, n, 1);
		fuse_reply_err(req, -pt);
		return;
	}
	fi->fh = EFS_FH(fd, pt);
	/* The kernel page cache is dropped at every open (close-to-open, like NFS), unless data goes
	 * through the backing file whose page cache is the server's own. */
	fi->keep_cache = 0;
	int rc = created != NULL ? fuse_reply_create(req, created, fi) : fuse_reply_open(req, fi);
	efs_passthrough_disarm();
	if (rc != 0) {
		/* The kernel did not take the handle (the caller was interrupted): undo. */
		if (pt)
			efs_passthrough_detach(fs, n);
		close(fd);
		if (created != NULL)
			efs_nodes_forget(fs->nodes, n, 1);
	}
}

void efs_op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (wants_write(fi->flags) ? efs_enter_write(req) : efs_enter(req))
		return;
	struct efs_node *n = efs_req_node(req, ino);
	if (n->type != S_IFREG) {
		fuse_reply_err(req, n->type == S_IFDIR ? EISDIR : EINVAL);
		return;
	}
	char path[EFS_PROC_FD_LEN];
	efs_proc_fd_path(path, n->fd);
	int fd = open(path, reopen_flags(fi->flags));
	if (fd < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	/* Opened through a name another client has since removed (our cached entry is stale): say so,
	 * and the kernel looks the name up again, finding it gone, as an NFS client would. */
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_nlink == 0) {
		close(fd);
		fuse_reply_err(req, ESTALE);
		return;
	}
	/* Close-to-open consistency, as NFS gives: forget cached attributes so the first read after this
	 * open fetches the size another client may have changed (attributes only: no locks involved). */
	fuse_lowlevel_notify_inval_inode(efs_fs_of(req)->se, ino, -1, 0);
	finish_open(req, n, fd, fi, NULL);
}

void efs_op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, struct fuse_file_info *fi)
{
	if (efs_enter_write(req))
		return;
	if (!efs_valid_name(name)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	struct efs_fs *fs = efs_fs_of(req);
	struct efs_node *p = efs_req_node(req, parent);
	int flags = (fi->flags & ~(O_NOCTTY | O_NOFOLLOW)) | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
	int fd = openat(p->fd, name, flags, mode & ~S_IFMT);
	for (int attempt = 0; fd < 0 && (errno == EMFILE || errno == ENFILE) && attempt < 100; attempt++) {
		/* Out of descriptors: the trimmer makes the kernel give some nodes back. */
		efs_trim_wake(fs);
		struct timespec pause = { 0, 20 * 1000000L };
		nanosleep(&pause, NULL);
		fd = openat(p->fd, name, flags, mode & ~S_IFMT);
	}
	if (fd < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	/* The node comes from the opened file itself, not from looking the name up again (which a
	 * concurrent rename could redirect). */
	struct fuse_entry_param e;
	memset(&e, 0, sizeof(e));
	char path[EFS_PROC_FD_LEN];
	efs_proc_fd_path(path, fd);
	int pfd = fstat(fd, &e.attr) == 0 ? open(path, O_PATH | O_CLOEXEC) : -1;
	struct efs_node *n = pfd >= 0 ? efs_nodes_remember(fs->nodes, pfd, &e.attr, parent, name) : NULL;
	if (n == NULL) {
		int err = pfd < 0 ? errno : ENOMEM;
		close(fd);
		fuse_reply_err(req, err);
		return;
	}
	e.ino = efs_node_ino(fs->nodes, n);
	e.attr_timeout = EFS_ATTR_TIMEOUT;
	e.entry_timeout = EFS_ENTRY_TIMEOUT;
	if (efs_nodes_count(fs->nodes) > fs->node_soft_limit)
		efs_trim_wake(fs);
	finish_open(req, n, fd, fi, &e);
}

void efs_op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct efs_fs *fs = efs_fs_of(req);
	int fd = EFS_FH_FD(fi->fh);
	struct stat st;
	/* The spliced reply hides how much was read; the file size tells, for the counters. */
	uint64_t got = 0;
	if (fstat(fd, &st) == 0 && st.st_size > off)
		got = (uint64_t)st.st_size - (uint64_t)off < size ? (uint64_t)st.st_size - (uint64_t)off : size;
	struct fuse_bufvec buf = FUSE_BUFVEC_INIT(size);
	buf.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	buf.buf[0].fd = fd;
	buf.buf[0].pos = off;
	efs_stats_data_read(&fs->stats, got);
	fuse_reply_data(req, &buf, FUSE_BUF_SPLICE_MOVE);
}

void efs_op_write_buf(fuse_req_t req, fuse_ino_t ino, struct fuse_bufvec *in, off_t off, struct fuse_file_info *fi)
{
	struct efs_fs *fs = efs_fs_of(req);
	if (fs->opts.read_only) {
		fuse_reply_err(req, EROFS);
		return;
	}
	/* Writing as the caller lets the kernel clear set-user-ID bits and apply quotas correctly. */
	int err = efs_become_caller(&fs->opts, req);
	if (err != 0) {
		fuse_reply_err(req, -err);
		return;
	}
	struct fuse_bufvec out = FUSE_BUFVEC_INIT(fuse_buf_size(in));
	out.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	out.buf[0].fd = EFS_FH_FD(fi->fh);
	out.buf[0].pos = off;
	ssize_t res = fuse_buf_copy(&out, in, 0);
	if (res < 0) {
		fuse_reply_err(req, (int)-res);
		return;
	}
	efs_stats_data_write(&fs->stats, (uint64_t)res);
	fuse_reply_write(req, (size_t)res);
}

void efs_op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	/* close() of a duplicate reports deferred write errors and drops POSIX locks, as close would. */
	int dupfd = dup(EFS_FH_FD(fi->fh));
	int rc = dupfd < 0 ? -1 : close(dupfd);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}

void efs_op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct efs_fs *fs = efs_fs_of(req);
	efs_stats_metadata(&fs->stats, 0);
	if (EFS_FH_PT(fi->fh))
		efs_passthrough_detach(fs, efs_node_of(fs->nodes, ino));
	close(EFS_FH_FD(fi->fh));
	fuse_reply_err(req, 0);
}

void efs_op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	if (efs_enter(req))
		return;
	int fd = EFS_FH_FD(fi->fh);
	int rc = datasync ? fdatasync(fd) : fsync(fd);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}

void efs_op_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t offset, off_t length, struct fuse_file_info *fi)
{
	if (efs_enter_write(req))
		return;
	int rc = fallocate(EFS_FH_FD(fi->fh), mode, offset, length);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}

void efs_op_lseek(fuse_req_t req, fuse_ino_t ino, off_t off, int whence, struct fuse_file_info *fi)
{
	if (efs_enter(req))
		return;
	off_t res = lseek(EFS_FH_FD(fi->fh), off, whence);
	if (res < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_lseek(req, res);
}
