/*
 * Wire-level passthrough negotiation on top of libfuse 3.14 (see passthrough.h). The hooks only look
 * at frames this thread is known to be producing: the INIT reply right after our init op ran, and an
 * OPEN/CREATE reply right after efs_passthrough_attach() armed it. Everything else is plain I/O.
 */
#include "passthrough.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fuse_abi.h"

static atomic_int kernel_offers;     /* INIT request carried FUSE_PASSTHROUGH */
static struct efs_fs *pt_fs;
static __thread int tl_init_armed;
static __thread int tl_open_armed;
static __thread int32_t tl_open_backing;

static ssize_t io_read(int fd, void *buf, size_t len, void *userdata)
{
	ssize_t r = read(fd, buf, len);
	if (r >= (ssize_t)(sizeof(struct efs_fuse_in_header) + sizeof(struct efs_fuse_init_in))) {
		const struct efs_fuse_in_header *h = buf;
		if (h->opcode == EFS_FUSE_OPCODE_INIT) {
			const struct efs_fuse_init_in *in = (const void *)(h + 1);
			int offered = (in->flags & EFS_FUSE_INIT_EXT) && (in->flags2 & EFS_FUSE_PASSTHROUGH_FLAGS2);
			atomic_store(&kernel_offers, offered);
		}
	}
	return r;
}

static void patch_init_reply(struct iovec *iov, int count)
{
	if (count < 2 || iov[1].iov_len < offsetof(struct efs_fuse_init_out, unused))
		return;
	struct efs_fuse_out_header *h = iov[0].iov_base;
	if (h->error != 0)
		return;
	struct efs_fuse_init_out *out = iov[1].iov_base;
	/* The kernel ignores passthrough together with writeback caching; we never ask for both. */
	if (out->flags & EFS_FUSE_WRITEBACK_CACHE)
		return;
	out->flags |= EFS_FUSE_INIT_EXT;
	out->flags2 |= EFS_FUSE_PASSTHROUGH_FLAGS2;
	/* Depth 1: backing files must live on a non-stacked file system (ext4, xfs, tmpfs...). */
	out->max_stack_depth = 1;
	pt_fs->passthrough = 1;
	pt_fs->stats.passthrough = 1;
}

static void patch_open_reply(struct iovec *iov, int count)
{
	struct efs_fuse_out_header *h = iov[0].iov_base;
	if (count < 2 || h->error != 0 || iov[count - 1].iov_len < sizeof(struct efs_fuse_open_out))
		return;
	/* fuse_open_out is the last argument of both OPEN and CREATE replies. */
	char *end = (char *)iov[count - 1].iov_base + iov[count - 1].iov_len;
	struct efs_fuse_open_out *out = (void *)(end - sizeof(struct efs_fuse_open_out));
	out->open_flags |= EFS_FOPEN_PASSTHROUGH;
	out->backing_id = tl_open_backing;
}

static ssize_t io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	if (tl_init_armed) {
		tl_init_armed = 0;
		patch_init_reply(iov, count);
	} else if (tl_open_armed) {
		tl_open_armed = 0;
		patch_open_reply(iov, count);
	}
	return writev(fd, iov, count);
}

static ssize_t io_splice_receive(int fdin, off_t *offin, int fdout, off_t *offout, size_t len,
				 unsigned int flags, void *userdata)
{
	return splice(fdin, offin, fdout, offout, len, flags);
}

static ssize_t io_splice_send(int fdin, off_t *offin, int fdout, off_t *offout, size_t len,
			      unsigned int flags, void *userdata)
{
	return splice(fdin, offin, fdout, offout, len, flags);
}

int efs_passthrough_install(struct efs_fs *fs)
{
	static const struct fuse_custom_io io = {
		.read = io_read,
		.writev = io_writev,
		.splice_receive = io_splice_receive,
		.splice_send = io_splice_send,
	};
	pt_fs = fs;
	return fuse_session_custom_io(fs->se, &io, fuse_session_fd(fs->se));
}

void efs_passthrough_on_init(struct efs_fs *fs, struct fuse_conn_info *conn)
{
	if (pt_fs == NULL || !atomic_load(&kernel_offers) || fs->opts.passthrough == EFS_PT_OFF)
		return;
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	tl_init_armed = 1;
}

static void close_backing_locked(struct efs_fs *fs, struct efs_node *n)
{
	uint32_t id = (uint32_t)n->backing_id;
	ioctl(fuse_session_fd(fs->se), EFS_FUSE_DEV_IOC_BACKING_CLOSE, &id);
	close(n->backing_fd);
	n->backing_fd = -1;
	n->backing_id = 0;
	n->backing_writable = 0;
}

static int open_backing_locked(struct efs_fs *fs, fuse_req_t req, struct efs_node *n)
{
	char path[EFS_PROC_FD_LEN];
	efs_proc_fd_path(path, n->fd);
	/* The backing file is an I/O path shared by every handle on this inode, so it is opened by
	 * the daemon itself, read-write when possible; each handle's own open already did the
	 * permission check with the caller's identity, and the kernel enforces that handle's mode. */
	efs_become_daemon();
	int fd = -1, writable = 0;
	if (!fs->opts.read_only) {
		fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
		writable = fd >= 0;
	}
	if (fd < 0)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	/* The kernel keeps the credentials current at registration for the backing I/O; use the
	 * caller's, so that e.g. writes by non-root still clear set-user-ID bits. */
	int cerr = efs_become_caller(&fs->opts, req);
	if (cerr != 0) {
		close(fd);
		return cerr;
	}
	struct efs_fuse_backing_map map = { .fd = fd, .flags = 0, .padding = 0 };
	int id = ioctl(fuse_session_fd(fs->se), EFS_FUSE_DEV_IOC_BACKING_OPEN, &map);
	if (id <= 0) {
		int err = id < 0 ? -errno : -EIO;
		close(fd);
		return err;
	}
	n->backing_fd = fd;
	n->backing_id = id;
	n->backing_writable = writable;
	return 0;
}

int efs_passthrough_attach(struct efs_fs *fs, fuse_req_t req, struct efs_node *n, int want_write)
{
	if (!fs->passthrough || n->type != S_IFREG)
		return 0;
	pthread_mutex_lock(&n->backing_lock);
	int err = 0;
	if (n->backing_refs == 0)
		err = open_backing_locked(fs, req, n);
	if (err == 0 && want_write && !n->backing_writable)
		err = -ETXTBSY;
	if (err == 0) {
		n->backing_refs++;
		tl_open_backing = n->backing_id;
		tl_open_armed = 1;
		atomic_fetch_add_explicit(&fs->stats.passthrough_opens, 1, memory_order_relaxed);
	}
	pthread_mutex_unlock(&n->backing_lock);
	if (err == -ETXTBSY)
		return err;
	/* Other failures (e.g. a stacked source file system) fail the same way for every handle of
	 * the inode, so falling back to daemon I/O keeps the kernel's per-inode I/O mode consistent. */
	return err == 0 ? 1 : 0;
}

void efs_passthrough_disarm(void)
{
	tl_open_armed = 0;
}

void efs_passthrough_detach(struct efs_fs *fs, struct efs_node *n)
{
	pthread_mutex_lock(&n->backing_lock);
	if (n->backing_refs > 0 && --n->backing_refs == 0)
		close_backing_locked(fs, n);
	pthread_mutex_unlock(&n->backing_lock);
}
