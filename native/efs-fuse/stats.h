/*
 * I/O counters in the shape of Amazon EFS's CloudWatch metrics: data read/write bytes and operations,
 * metadata operations and their accounted bytes. EFS accounts every metadata operation as at least
 * 4 KiB and meters reads at one third, so "metered" bytes are derived the same way.
 */
#ifndef EFS_FUSE_STATS_H
#define EFS_FUSE_STATS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define EFS_METADATA_OP_BYTES 4096u

struct efs_stats {
	atomic_uint_fast64_t data_read_bytes;
	atomic_uint_fast64_t data_read_ops;
	atomic_uint_fast64_t data_write_bytes;
	atomic_uint_fast64_t data_write_ops;
	atomic_uint_fast64_t metadata_bytes;
	atomic_uint_fast64_t metadata_ops;
	atomic_uint_fast64_t metered_bytes;
	atomic_uint_fast64_t passthrough_opens;
	/* writer */
	const char *path;
	const char *fsname;
	int passthrough;
	pthread_t thread;
	int running;
	pthread_mutex_t lock;
	pthread_cond_t wake;
};

void efs_stats_init(struct efs_stats *s, const char *path, const char *fsname);
void efs_stats_data_read(struct efs_stats *s, uint64_t bytes);
void efs_stats_data_write(struct efs_stats *s, uint64_t bytes);
void efs_stats_metadata(struct efs_stats *s, uint64_t bytes);

/* Writes the JSON file atomically (temporary file + rename); 0 or -errno. No-op without a path. */
int efs_stats_flush(struct efs_stats *s);

/* Background thread flushing every second; stop joins it and flushes a final time. */
int efs_stats_start(struct efs_stats *s);
void efs_stats_stop(struct efs_stats *s);

#endif
