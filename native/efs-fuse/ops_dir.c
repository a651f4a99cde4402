/*
 * Directory listing. A directory handle is a DIR stream opened relative to the node (read
 * permission checked under the request identity). READDIRPLUS also looks every entry up, which hands
 * the kernel a reference per entry; an entry that no longer fits in the reply gives its reference back.
 */
#include "ops.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct efs_dir {
	DIR *dp;
	off_t offset;          /* telldir() position of `entry`, or of the next entry */
	struct dirent *entry;  /* read but not yet returned */
};

static struct efs_dir *dir_of(struct fuse_file_info *fi)
{
	return (struct efs_dir *)(uintptr_t)fi->fh;
}

static int dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

void efs_op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (efs_enter(req))
		return;
	struct efs_node *n = efs_req_node(req, ino);
	struct efs_dir *d = calloc(1, sizeof(*d));
	if (d == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	int fd = openat(n->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d->dp = fdopendir(fd)) == NULL) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		free(d);
		fuse_reply_err(req, err);
		return;
	}
	fi->fh = (uint64_t)(uintptr_t)d;
	if (fuse_reply_open(req, fi) != 0) {
		closedir(d->dp);
		free(d);
	}
}

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi, int plus)
{
	struct efs_fs *fs = efs_fs_of(req);
	int cerr = efs_become_caller(&fs->opts, req);
	if (cerr != 0) {
		fuse_reply_err(req, -cerr);
		return;
	}
	struct efs_node *dir = efs_req_node(req, ino);
	struct efs_dir *d = dir_of(fi);
	char *buf = malloc(size);
	if (buf == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (off != d->offset) {
		seekdir(d->dp, off);
		d->entry = NULL;
		d->offset = off;
	}
	size_t used = 0;
	int err = 0;
	for (;;) {
		if (d->entry == NULL) {
			errno = 0;
			d->entry = readdir(d->dp);
			if (d->entry == NULL) {
				err = errno;
				break;
			}
		}
		off_t next = telldir(d->dp);
		const char *name = d->entry->d_name;
		size_t len;
		if (plus) {
			struct fuse_entry_param e;
			memset(&e, 0, sizeof(e));
			int looked_up = 0;
			if (dot_or_dotdot(name) || efs_lookup_child(fs, dir, name, &e) != 0) {
				/* No attributes for this one (ino 0): the kernel will look it up itself. */
				memset(&e, 0, sizeof(e));
				e.attr.st_ino = d->entry->d_ino;
				e.attr.st_mode = (mode_t)d->entry->d_type << 12;
			} else {
				looked_up = 1;
			}
			len = fuse_add_direntry_plus(req, buf + used, size - used, name, &e, next);
			if (len > size - used) {
				if (looked_up)
					efs_nodes_forget(fs->nodes, efs_node_of(fs->nodes, e.ino), 1);
				break;
			}
		} else {
			struct stat st;
			memset(&st, 0, sizeof(st));
			st.st_ino = d->entry->d_ino;
			st.st_mode = (mode_t)d->entry->d_type << 12;
			len = fuse_add_direntry(req, buf + used, size - used, name, &st, next);
			if (len > size - used)
				break;
		}
		used += len;
		d->entry = NULL;
		d->offset = next;
	}
	/* Counted by the size of the listing returned, at least 4 KiB like any metadata operation. */
	efs_stats_metadata(&fs->stats, used);
	if (err != 0 && used == 0)
		fuse_reply_err(req, err);
	else
		fuse_reply_buf(req, buf, used);
	free(buf);
}

void efs_op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, 0);
}

void efs_op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, 1);
}

void efs_op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct efs_dir *d = dir_of(fi);
	closedir(d->dp);
	free(d);
	fuse_reply_err(req, 0);
}

void efs_op_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	if (efs_enter(req))
		return;
	int fd = dirfd(dir_of(fi)->dp);
	int rc = datasync ? fdatasync(fd) : fsync(fd);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}
