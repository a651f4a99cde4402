/*
 * Hash table of nodes keyed by (st_dev, st_ino) so hard links and repeated lookups share one node.
 * The FUSE inode number of a node is its address (as in libfuse's passthrough examples); the kernel
 * only hands back numbers we gave it and never uses one after its final forget.
 */
#include "nodes.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUCKETS 4096

struct efs_node_table {
	pthread_mutex_t lock;
	struct efs_node root;
	struct efs_node *buckets[BUCKETS];
	unsigned long count;
	size_t trim_bucket;   /* where the next trim scan starts */
};

static void set_hint(struct efs_node *n, fuse_ino_t parent, const char *name)
{
	if (name == NULL || strlen(name) >= sizeof(((struct efs_trim_hint *)0)->name))
		return;
	if (n->name_hint != NULL && n->parent_hint == parent && strcmp(n->name_hint, name) == 0)
		return;
	char *copy = strdup(name);
	if (copy == NULL)
		return;
	free(n->name_hint);
	n->name_hint = copy;
	n->parent_hint = parent;
}

static size_t bucket_of(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev;
	return (size_t)(h >> 20) % BUCKETS;
}

static void node_init(struct efs_node *n, int fd, const struct stat *st)
{
	n->fd = fd;
	n->dev = st->st_dev;
	n->ino = st->st_ino;
	n->type = st->st_mode & S_IFMT;
	n->nlookup = 0;
	n->next = NULL;
	n->hashed = 0;
	n->parent_hint = 0;
	n->name_hint = NULL;
	pthread_mutex_init(&n->backing_lock, NULL);
	n->backing_fd = -1;
	n->backing_id = 0;
	n->backing_writable = 0;
	n->backing_refs = 0;
}

struct efs_node_table *efs_nodes_create(int root_fd, const struct stat *root_st)
{
	struct efs_node_table *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	node_init(&t->root, root_fd, root_st);
	t->root.nlookup = 2;
	return t;
}

struct efs_node *efs_nodes_root(struct efs_node_table *t)
{
	return &t->root;
}

struct efs_node *efs_node_of(struct efs_node_table *t, fuse_ino_t ino)
{
	if (ino == FUSE_ROOT_ID)
		return &t->root;
	return (struct efs_node *)(uintptr_t)ino;
}

fuse_ino_t efs_node_ino(struct efs_node_table *t, struct efs_node *n)
{
	return n == &t->root ? FUSE_ROOT_ID : (fuse_ino_t)(uintptr_t)n;
}

struct efs_node *efs_nodes_remember(struct efs_node_table *t, int fd, const struct stat *st,
				    fuse_ino_t parent, const char *name)
{
	if (st->st_dev == t->root.dev && st->st_ino == t->root.ino) {
		/* A hard link can't name a directory, so this is only reachable through races; share root. */
		close(fd);
		pthread_mutex_lock(&t->lock);
		t->root.nlookup++;
		pthread_mutex_unlock(&t->lock);
		return &t->root;
	}
	size_t b = bucket_of(st->st_dev, st->st_ino);
	pthread_mutex_lock(&t->lock);
	for (struct efs_node **pp = &t->buckets[b]; *pp != NULL; pp = &(*pp)->next) {
		struct efs_node *n = *pp;
		if (n->dev != st->st_dev || n->ino != st->st_ino)
			continue;
		struct stat old;
		if (st->st_nlink > 0 && fstatat(n->fd, "", &old, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) == 0 &&
		    old.st_nlink == 0) {
			/* The inode number was reused by a new file; the old node stays alive for the kernel's
			 * forget but must no longer answer lookups. */
			*pp = n->next;
			n->hashed = 0;
			__atomic_sub_fetch(&t->count, 1, __ATOMIC_RELAXED);
			break;
		}
		n->nlookup++;
		set_hint(n, parent, name);
		pthread_mutex_unlock(&t->lock);
		close(fd);
		return n;
	}
	struct efs_node *n = malloc(sizeof(*n));
	if (n == NULL) {
		pthread_mutex_unlock(&t->lock);
		close(fd);
		return NULL;
	}
	node_init(n, fd, st);
	n->nlookup = 1;
	set_hint(n, parent, name);
	n->hashed = 1;
	n->next = t->buckets[b];
	t->buckets[b] = n;
	__atomic_add_fetch(&t->count, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&t->lock);
	return n;
}

void efs_nodes_forget(struct efs_node_table *t, struct efs_node *node, uint64_t n)
{
	if (node == &t->root)
		return;
	pthread_mutex_lock(&t->lock);
	if (n > node->nlookup)
		n = node->nlookup;
	node->nlookup -= n;
	if (node->nlookup > 0) {
		pthread_mutex_unlock(&t->lock);
		return;
	}
	if (node->hashed) {
		size_t b = bucket_of(node->dev, node->ino);
		for (struct efs_node **pp = &t->buckets[b]; *pp != NULL; pp = &(*pp)->next) {
			if (*pp == node) {
				*pp = node->next;
				break;
			}
		}
		__atomic_sub_fetch(&t->count, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&t->lock);
	close(node->fd);
	if (node->backing_fd >= 0)
		close(node->backing_fd);
	pthread_mutex_destroy(&node->backing_lock);
	free(node->name_hint);
	free(node);
}

size_t efs_nodes_pick_trim(struct efs_node_table *t, struct efs_trim_hint *out, size_t max)
{
	size_t got = 0;
	pthread_mutex_lock(&t->lock);
	for (size_t scanned = 0; scanned < BUCKETS && got < max; scanned++) {
		size_t b = t->trim_bucket;
		t->trim_bucket = (t->trim_bucket + 1) % BUCKETS;
		for (struct efs_node *n = t->buckets[b]; n != NULL && got < max; n = n->next) {
			if (n->name_hint == NULL)
				continue;
			out[got].parent = n->parent_hint;
			strcpy(out[got].name, n->name_hint);
			got++;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return got;
}

unsigned long efs_nodes_count(struct efs_node_table *t)
{
	/* Written under the lock; readers only need an approximate value, without the lock. */
	return __atomic_load_n(&t->count, __ATOMIC_RELAXED);
}
