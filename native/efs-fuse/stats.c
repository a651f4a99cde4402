/*
 * Counter updates are relaxed atomics on the request path; a background thread snapshots them into
 * the --stats file once a second so readers never see a partial file (write to a sibling temporary
 * file, fsync is not needed for a metrics file, then rename over the old one).
 */
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)
#define ADD(x, v) atomic_fetch_add_explicit(&(x), (v), memory_order_relaxed)

static uint64_t at_least_4k(uint64_t bytes)
{
	return bytes < EFS_METADATA_OP_BYTES ? EFS_METADATA_OP_BYTES : bytes;
}

void efs_stats_init(struct efs_stats *s, const char *path, const char *fsname)
{
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->fsname = fsname;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
}

void efs_stats_data_read(struct efs_stats *s, uint64_t bytes)
{
	ADD(s->data_read_bytes, bytes);
	ADD(s->data_read_ops, 1);
	/* EFS meters reads at one third of their size, each request as at least 4 KiB. */
	ADD(s->metered_bytes, at_least_4k(bytes) / 3);
}

void efs_stats_data_write(struct efs_stats *s, uint64_t bytes)
{
	ADD(s->data_write_bytes, bytes);
	ADD(s->data_write_ops, 1);
	ADD(s->metered_bytes, at_least_4k(bytes));
}

void efs_stats_metadata(struct efs_stats *s, uint64_t bytes)
{
	uint64_t b = at_least_4k(bytes);
	ADD(s->metadata_bytes, b);
	ADD(s->metadata_ops, 1);
	ADD(s->metered_bytes, b);
}

static int render(struct efs_stats *s, char *buf, size_t size)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char when[40];
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	uint64_t rb = LOAD(s->data_read_bytes), wb = LOAD(s->data_write_bytes), mb = LOAD(s->metadata_bytes);
	return snprintf(buf, size,
			"{\"fsName\":\"%s\",\"pid\":%d,\"time\":\"%s.%03ldZ\",\"passthrough\":%s,"
			"\"dataReadBytes\":%" PRIu64 ",\"dataReadOps\":%" PRIu64 ","
			"\"dataWriteBytes\":%" PRIu64 ",\"dataWriteOps\":%" PRIu64 ","
			"\"metadataBytes\":%" PRIu64 ",\"metadataOps\":%" PRIu64 ","
			"\"totalBytes\":%" PRIu64 ",\"meteredBytes\":%" PRIu64 ",\"passthroughOpens\":%" PRIu64 "}\n",
			s->fsname, (int)getpid(), when, (long)(tv.tv_usec / 1000), s->passthrough ? "true" : "false",
			rb, (uint64_t)LOAD(s->data_read_ops), wb, (uint64_t)LOAD(s->data_write_ops), mb,
			(uint64_t)LOAD(s->metadata_ops), rb + wb + mb, (uint64_t)LOAD(s->metered_bytes),
			(uint64_t)LOAD(s->passthrough_opens));
}

int efs_stats_flush(struct efs_stats *s)
{
	if (s->path == NULL)
		return 0;
	char body[1024];
	int n = render(s, body, sizeof(body));
	if (n < 0 || (size_t)n >= sizeof(body))
		return -EOVERFLOW;
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", s->path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, body, (size_t)n);
	int err = (w == n) ? 0 : (w < 0 ? -errno : -EIO);
	close(fd);
	if (err == 0 && rename(tmp, s->path) != 0)
		err = -errno;
	if (err != 0)
		unlink(tmp);
	return err;
}

static void *writer(void *arg)
{
	struct efs_stats *s = arg;
	pthread_mutex_lock(&s->lock);
	while (s->running) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&s->wake, &s->lock, &until);
		if (!s->running)
			break;
		pthread_mutex_unlock(&s->lock);
		efs_stats_flush(s);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int efs_stats_start(struct efs_stats *s)
{
	if (s->path == NULL)
		return 0;
	s->running = 1;
	int rc = pthread_create(&s->thread, NULL, writer, s);
	if (rc != 0)
		s->running = 0;
	return -rc;
}

void efs_stats_stop(struct efs_stats *s)
{
	if (s->path == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	int was = s->running;
	s->running = 0;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	if (was)
		pthread_join(s->thread, NULL);
	efs_stats_flush(s);
}
