/* Background trimming of the kernel's cached names (see trim.h). */
#include "trim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TRIM_BATCH 4096

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int running;
	int pending;
	struct efs_fs *fs;
	struct efs_trim_hint *hints;
} trimmer = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void trim_round(struct efs_fs *fs)
{
	/* Trim to 7/8 of the soft limit so a busy mount is not invalidating on every lookup. */
	for (int rounds = 0; rounds < 64; rounds++) {
		unsigned long count = efs_nodes_count(fs->nodes);
		unsigned long target = fs->node_soft_limit / 8 * 7;
		if (count <= target)
			return;
		size_t want = count - target < TRIM_BATCH ? count - target : TRIM_BATCH;
		size_t got = efs_nodes_pick_trim(fs->nodes, trimmer.hints, want);
		for (size_t i = 0; i < got; i++)
			fuse_lowlevel_notify_inval_entry(fs->se, trimmer.hints[i].parent, trimmer.hints[i].name,
							 strlen(trimmer.hints[i].name));
		/* Let the FORGETs for dropped names arrive before measuring again; no pause when far behind. */
		if (efs_nodes_count(fs->nodes) < fs->node_soft_limit)
			pause_ms(20);
	}
}

static void *trim_loop(void *arg)
{
	struct efs_fs *fs = arg;
	pthread_mutex_lock(&trimmer.lock);
	while (trimmer.running) {
		if (!trimmer.pending) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&trimmer.wake, &trimmer.lock, &until);
		}
		trimmer.pending = 0;
		if (!trimmer.running)
			break;
		pthread_mutex_unlock(&trimmer.lock);
		if (efs_nodes_count(fs->nodes) > fs->node_soft_limit)
			trim_round(fs);
		pthread_mutex_lock(&trimmer.lock);
	}
	pthread_mutex_unlock(&trimmer.lock);
	return NULL;
}

int efs_trim_start(struct efs_fs *fs)
{
	trimmer.hints = calloc(TRIM_BATCH, sizeof(*trimmer.hints));
	if (trimmer.hints == NULL)
		return -1;
	trimmer.fs = fs;
	trimmer.running = 1;
	if (pthread_create(&trimmer.thread, NULL, trim_loop, fs) != 0) {
		trimmer.running = 0;
		return -1;
	}
	return 0;
}

void efs_trim_wake(struct efs_fs *fs)
{
	pthread_mutex_lock(&trimmer.lock);
	trimmer.pending = 1;
	pthread_cond_signal(&trimmer.wake);
	pthread_mutex_unlock(&trimmer.lock);
}

void efs_trim_stop(struct efs_fs *fs)
{
	pthread_mutex_lock(&trimmer.lock);
	int was = trimmer.running;
	trimmer.running = 0;
	pthread_cond_signal(&trimmer.wake);
	pthread_mutex_unlock(&trimmer.lock);
	if (was)
		pthread_join(trimmer.thread, NULL);
	free(trimmer.hints);
	trimmer.hints = NULL;
}
