/*
 * Name lookup and attributes. A lookup opens the child with O_PATH|O_NOFOLLOW relative to its
 * parent's descriptor under the caller's credentials (so directory search permission is the kernel's
 * check), and never accepts "." / ".." or a name with a slash, which is how nothing above the source
 * can be named. Symlinks are served as symlinks: the caller's kernel follows them in its own view.
 */
#include "ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "trim.h"

void efs_proc_fd_path(char out[EFS_PROC_FD_LEN], int fd)
{
	snprintf(out, EFS_PROC_FD_LEN, "/proc/self/fd/%d", fd);
}

int efs_valid_name(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

int efs_enter(fuse_req_t req)
{
	struct efs_fs *fs = efs_fs_of(req);
	int err = efs_become_caller(&fs->opts, req);
	if (err != 0) {
		fuse_reply_err(req, -err);
		return 1;
	}
	efs_stats_metadata(&fs->stats, 0);
	return 0;
}

int efs_enter_write(fuse_req_t req)
{
	if (efs_fs_of(req)->opts.read_only) {
		efs_stats_metadata(&efs_fs_of(req)->stats, 0);
		fuse_reply_err(req, EROFS);
		return 1;
	}
	return efs_enter(req);
}

/* Opens a child O_PATH descriptor; when descriptors ran out, lets the trimmer free some and retries. */
static int open_child(struct efs_fs *fs, struct efs_node *parent, const char *name)
{
	for (int attempt = 0;; attempt++) {
		int fd = openat(parent->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 || (errno != EMFILE && errno != ENFILE) || attempt == 100)
			return fd;
		efs_trim_wake(fs);
		struct timespec pause = { 0, 20 * 1000000L };
		nanosleep(&pause, NULL);
	}
}

int efs_lookup_child(struct efs_fs *fs, struct efs_node *parent, const char *name, struct fuse_entry_param *e)
{
	if (!efs_valid_name(name))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	int fd = open_child(fs, parent, name);
	if (fd < 0)
		return -errno;
	if (fstatat(fd, "", &e->attr, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	struct efs_node *n = efs_nodes_remember(fs->nodes, fd, &e->attr, efs_node_ino(fs->nodes, parent), name);
	if (n == NULL)
		return -ENOMEM;
	e->ino = efs_node_ino(fs->nodes, n);
	e->attr_timeout = EFS_ATTR_TIMEOUT;
	e->entry_timeout = EFS_ENTRY_TIMEOUT;
	if (efs_nodes_count(fs->nodes) > fs->node_soft_limit)
		efs_trim_wake(fs);
	return 0;
}

void efs_op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	if (efs_enter(req))
		return;
	struct efs_fs *fs = efs_fs_of(req);
	struct fuse_entry_param e;
	int err = efs_lookup_child(fs, efs_req_node(req, parent), name, &e);
	if (err != 0)
		fuse_reply_err(req, -err);
	else
		fuse_reply_entry(req, &e);
}

void efs_op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	struct efs_fs *fs = efs_fs_of(req);
	efs_nodes_forget(fs->nodes, efs_node_of(fs->nodes, ino), nlookup);
	fuse_reply_none(req);
}

void efs_op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	struct efs_fs *fs = efs_fs_of(req);
	for (size_t i = 0; i < count; i++)
		efs_nodes_forget(fs->nodes, efs_node_of(fs->nodes, forgets[i].ino), forgets[i].nlookup);
	fuse_reply_none(req);
}

void efs_op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (efs_enter(req))
		return;
	struct efs_node *n = efs_req_node(req, ino);
	struct stat st;
	if (fstatat(n->fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0) {
		fuse_reply_err(req, errno);
		return;
	}
	fuse_reply_attr(req, &st, EFS_ATTR_TIMEOUT);
}

static int set_times(struct efs_node *n, struct fuse_file_info *fi, const struct stat *attr, int valid)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	if (valid & FUSE_SET_ATTR_ATIME_NOW)
		ts[0].tv_nsec = UTIME_NOW;
	else if (valid & FUSE_SET_ATTR_ATIME)
		ts[0] = attr->st_atim;
	if (valid & FUSE_SET_ATTR_MTIME_NOW)
		ts[1].tv_nsec = UTIME_NOW;
	else if (valid & FUSE_SET_ATTR_MTIME)
		ts[1] = attr->st_mtim;
	if (fi != NULL)
		return futimens(EFS_FH_FD(fi->fh), ts);
	if (n->type == S_IFLNK) {
		errno = EPERM;
		return -1;
	}
	char path[EFS_PROC_FD_LEN];
	efs_proc_fd_path(path, n->fd);
	return utimensat(AT_FDCWD, path, ts, 0);
}

void efs_op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int valid, struct fuse_file_info *fi)
{
	if (efs_enter_write(req))
		return;
	struct efs_node *n = efs_req_node(req, ino);
	char path[EFS_PROC_FD_LEN];
	efs_proc_fd_path(path, n->fd);
	int rc = 0;
	if (valid & FUSE_SET_ATTR_MODE) {
		if (fi != NULL)
			rc = fchmod(EFS_FH_FD(fi->fh), attr->st_mode);
		else if (n->type == S_IFLNK)
			rc = (errno = EOPNOTSUPP, -1);
		else
			rc = chmod(path, attr->st_mode);
	}
	if (rc == 0 && (valid & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID))) {
		uid_t u = (valid & FUSE_SET_ATTR_UID) ? attr->st_uid : (uid_t)-1;
		gid_t g = (valid & FUSE_SET_ATTR_GID) ? attr->st_gid : (gid_t)-1;
		rc = fchownat(n->fd, "", u, g, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
	}
	if (rc == 0 && (valid & FUSE_SET_ATTR_SIZE)) {
		if (fi != NULL)
			rc = ftruncate(EFS_FH_FD(fi->fh), attr->st_size);
		else if (n->type != S_IFREG)
			rc = (errno = EINVAL, -1);
		else
			rc = truncate(path, attr->st_size);
	}
	if (rc == 0 && (valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME)))
		rc = set_times(n, fi, attr, valid);
	if (rc != 0) {
		fuse_reply_err(req, errno);
		return;
	}
	struct stat st;
	if (fstatat(n->fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0) {
		fuse_reply_err(req, errno);
		return;
	}
	fuse_reply_attr(req, &st, EFS_ATTR_TIMEOUT);
}

void efs_op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	if (efs_enter(req))
		return;
	char buf[4097];
	ssize_t len = readlinkat(efs_req_node(req, ino)->fd, "", buf, sizeof(buf));
	if (len < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	if ((size_t)len >= sizeof(buf)) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	buf[len] = '\0';
	fuse_reply_readlink(req, buf);
}

void efs_op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	if (efs_enter(req))
		return;
	struct statvfs sv;
	if (fstatvfs(efs_req_node(req, ino)->fd, &sv) != 0) {
		fuse_reply_err(req, errno);
		return;
	}
	fuse_reply_statfs(req, &sv);
}

void efs_op_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	if (efs_enter(req))
		return;
	if ((mask & W_OK) && efs_fs_of(req)->opts.read_only) {
		fuse_reply_err(req, EROFS);
		return;
	}
	/* AT_EACCESS: check with the thread's fs credentials, not the real uid. */
	long rc = syscall(SYS_faccessat2, efs_req_node(req, ino)->fd, "", mask, AT_EMPTY_PATH | AT_EACCESS);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}
