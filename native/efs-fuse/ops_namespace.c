/*
 * Creating, linking, removing and renaming names. Every call is relative to a parent node's
 * descriptor with a validated single-component name, under the request identity, so the new object
 * belongs to that identity and the parent's write permission is the kernel's check.
 * Device nodes are refused: a client must never be able to mint a device on the server's disk.
 */
#include "ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static void reply_new_entry(fuse_req_t req, struct efs_node *parent, const char *name, int rc)
{
	if (rc != 0) {
		fuse_reply_err(req, errno);
		return;
	}
	struct fuse_entry_param e;
	int err = efs_lookup_child(efs_fs_of(req), parent, name, &e);
	if (err != 0)
		fuse_reply_err(req, -err);
	else
		fuse_reply_entry(req, &e);
}

void efs_op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	if (efs_enter_write(req))
		return;
	mode_t type = mode & S_IFMT;
	if (type != S_IFREG && type != S_IFIFO && type != S_IFSOCK) {
		fuse_reply_err(req, EPERM);
		return;
	}
	if (!efs_valid_name(name)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	struct efs_node *p = efs_req_node(req, parent);
	reply_new_entry(req, p, name, mknodat(p->fd, name, mode, 0));
}

void efs_op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	if (efs_enter_write(req))
		return;
	if (!efs_valid_name(name)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	struct efs_node *p = efs_req_node(req, parent);
	reply_new_entry(req, p, name, mkdirat(p->fd, name, mode));
}

void efs_op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	if (efs_enter_write(req))
		return;
	if (!efs_valid_name(name)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	struct efs_node *p = efs_req_node(req, parent);
	/* The target is stored as text and never resolved by the daemon. */
	reply_new_entry(req, p, name, symlinkat(link, p->fd, name));
}

void efs_op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	if (efs_enter_write(req))
		return;
	if (!efs_valid_name(newname)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	struct efs_node *n = efs_req_node(req, ino);
	struct efs_node *p = efs_req_node(req, newparent);
	int rc;
	if (n->type == S_IFLNK) {
		/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH, which a non-root fsuid does not have. */
		rc = linkat(n->fd, "", p->fd, newname, AT_EMPTY_PATH);
	} else {
		/* The magic link resolves to exactly this inode; protected_hardlinks still applies. */
		char path[EFS_PROC_FD_LEN];
		efs_proc_fd_path(path, n->fd);
		rc = linkat(AT_FDCWD, path, p->fd, newname, AT_SYMLINK_FOLLOW);
	}
	reply_new_entry(req, p, newname, rc);
}

void efs_op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	if (efs_enter_write(req))
		return;
	if (!efs_valid_name(name)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	int rc = unlinkat(efs_req_node(req, parent)->fd, name, 0);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}

void efs_op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	if (efs_enter_write(req))
		return;
	if (!efs_valid_name(name)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	int rc = unlinkat(efs_req_node(req, parent)->fd, name, AT_REMOVEDIR);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}

void efs_op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
		   const char *newname, unsigned int flags)
{
	if (efs_enter_write(req))
		return;
	if (!efs_valid_name(name) || !efs_valid_name(newname) || (flags & RENAME_WHITEOUT)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	int rc = renameat2(efs_req_node(req, parent)->fd, name, efs_req_node(req, newparent)->fd, newname, flags);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}
