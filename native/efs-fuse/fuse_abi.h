/*
 * Kernel FUSE ABI pieces newer than the libfuse 3.14 headers (protocol 7.40, Linux 6.9+), needed to
 * negotiate passthrough ourselves. Values are the kernel's uapi constants; layouts are the wire format.
 */
#ifndef EFS_FUSE_ABI_H
#define EFS_FUSE_ABI_H

#include <stdint.h>
#include <sys/ioctl.h>

#define EFS_FUSE_OPCODE_INIT 26u

/* fuse_init_in.flags bit that says flags2 is present; FUSE_PASSTHROUGH is bit 37 (flags2 bit 5). */
#define EFS_FUSE_INIT_EXT (1u << 30)
#define EFS_FUSE_PASSTHROUGH_FLAGS2 (1u << 5)
#define EFS_FUSE_WRITEBACK_CACHE (1u << 16)

/* fuse_open_out.open_flags bit asking the kernel to route I/O to the registered backing file. */
#define EFS_FOPEN_PASSTHROUGH (1u << 7)

struct efs_fuse_in_header {
	uint32_t len;
	uint32_t opcode;
	uint64_t unique;
	uint64_t nodeid;
	uint32_t uid;
	uint32_t gid;
	uint32_t pid;
	uint16_t total_extlen;
	uint16_t padding;
};

struct efs_fuse_out_header {
	uint32_t len;
	int32_t error;
	uint64_t unique;
};

struct efs_fuse_init_in {
	uint32_t major;
	uint32_t minor;
	uint32_t max_readahead;
	uint32_t flags;
	uint32_t flags2;
	uint32_t unused[11];
};

struct efs_fuse_init_out {
	uint32_t major;
	uint32_t minor;
	uint32_t max_readahead;
	uint32_t flags;
	uint16_t max_background;
	uint16_t congestion_threshold;
	uint32_t max_write;
	uint32_t time_gran;
	uint16_t max_pages;
	uint16_t map_alignment;
	uint32_t flags2;
	uint32_t max_stack_depth;
	uint32_t unused[6];
};

struct efs_fuse_open_out {
	uint64_t fh;
	uint32_t open_flags;
	int32_t backing_id;
};

struct efs_fuse_backing_map {
	int32_t fd;
	uint32_t flags;
	uint64_t padding;
};

#define EFS_FUSE_DEV_IOC_MAGIC 229
#define EFS_FUSE_DEV_IOC_BACKING_OPEN _IOW(EFS_FUSE_DEV_IOC_MAGIC, 1, struct efs_fuse_backing_map)
#define EFS_FUSE_DEV_IOC_BACKING_CLOSE _IOW(EFS_FUSE_DEV_IOC_MAGIC, 2, uint32_t)

#endif
