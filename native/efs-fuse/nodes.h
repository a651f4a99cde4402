/*
 * The inode table. Each inode the kernel knows is a node holding an O_PATH descriptor of the real file
 * beneath the source directory; every operation is relative to such a descriptor (the *at() calls), so
 * no path string is ever resolved from the source root and nothing outside it can be reached.
 * A node lives while the kernel holds lookups on it (nlookup > 0); the root node lives forever.
 */
#ifndef EFS_FUSE_NODES_H
#define EFS_FUSE_NODES_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 312
#endif
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>

struct efs_node {
	int fd;              /* O_PATH|O_NOFOLLOW */
	dev_t dev;
	ino_t ino;
	mode_t type;         /* S_IFMT bits */
	uint64_t nlookup;    /* guarded by the table lock */
	struct efs_node *next;
	int hashed;          /* still findable by (dev, ino) */
	/* Where the kernel last saw this node (parent inode number, name), to ask it to let go when
	 * descriptors run short. Only a hint: a stale one just makes the request fail. */
	fuse_ino_t parent_hint;
	char *name_hint;
	/* Passthrough: one backing file per inode, shared by all its open handles. */
	pthread_mutex_t backing_lock;
	int backing_fd;
	int backing_id;
	int backing_writable;
	unsigned backing_refs;
};

struct efs_node_table;

struct efs_node_table *efs_nodes_create(int root_fd, const struct stat *root_st);
struct efs_node *efs_nodes_root(struct efs_node_table *t);

/* The node behind a FUSE inode number (the root for FUSE_ROOT_ID). */
struct efs_node *efs_node_of(struct efs_node_table *t, fuse_ino_t ino);
fuse_ino_t efs_node_ino(struct efs_node_table *t, struct efs_node *n);

/*
 * Registers one more kernel reference for the file open as fd (O_PATH) with attributes st. Takes
 * ownership of fd: it is closed when a node for the same (dev, ino) already exists.
 */
struct efs_node *efs_nodes_remember(struct efs_node_table *t, int fd, const struct stat *st,
				    fuse_ino_t parent, const char *name);

/* A name the kernel holds, to be invalidated so that the kernel forgets the node behind it. */
struct efs_trim_hint {
	fuse_ino_t parent;
	char name[256];
};

/* Copies up to max hints of nodes to let go of, continuing round-robin over the table. */
size_t efs_nodes_pick_trim(struct efs_node_table *t, struct efs_trim_hint *out, size_t max);

/* Drops n kernel references; frees the node when none remain. */
void efs_nodes_forget(struct efs_node_table *t, struct efs_node *node, uint64_t n);

/* Number of live nodes (tests and stats). */
unsigned long efs_nodes_count(struct efs_node_table *t);

#endif
