/* The low-level FUSE operations, grouped by file: entry (names and attributes), namespace (create,
 * remove, rename), file (open and data), dir (listing). Each runs with the request's identity. */
#ifndef EFS_FUSE_OPS_H
#define EFS_FUSE_OPS_H

#include "efs_fuse.h"

/* Shared helpers (ops_entry.c). */
int efs_valid_name(const char *name);
int efs_lookup_child(struct efs_fs *fs, struct efs_node *parent, const char *name,
		     struct fuse_entry_param *e);
/* Applies the request identity; on failure replies with the error and returns nonzero. */
int efs_enter(fuse_req_t req);
/* Same, and also refuses with EROFS on a read-only mount. */
int efs_enter_write(fuse_req_t req);

void efs_op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name);
void efs_op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup);
void efs_op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets);
void efs_op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void efs_op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int valid, struct fuse_file_info *fi);
void efs_op_readlink(fuse_req_t req, fuse_ino_t ino);
void efs_op_statfs(fuse_req_t req, fuse_ino_t ino);
void efs_op_access(fuse_req_t req, fuse_ino_t ino, int mask);

void efs_op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev);
void efs_op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode);
void efs_op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name);
void efs_op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname);
void efs_op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name);
void efs_op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name);
void efs_op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
		   const char *newname, unsigned int flags);

void efs_op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void efs_op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, struct fuse_file_info *fi);
void efs_op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);
void efs_op_write_buf(fuse_req_t req, fuse_ino_t ino, struct fuse_bufvec *in, off_t off, struct fuse_file_info *fi);
void efs_op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void efs_op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void efs_op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi);
void efs_op_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t offset, off_t length, struct fuse_file_info *fi);
void efs_op_lseek(fuse_req_t req, fuse_ino_t ino, off_t off, int whence, struct fuse_file_info *fi);

void efs_op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void efs_op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);
void efs_op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi);
void efs_op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void efs_op_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi);

#endif
