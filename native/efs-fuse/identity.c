/*
 * Thread-local credential switching. setfsuid/setfsgid/setgroups are issued as raw syscalls because
 * glibc's setgroups (and set*id) signal every thread to change too, which would let one request's
 * identity leak into another thread's operation. A non-zero fsuid also drops CAP_DAC_OVERRIDE and the
 * other filesystem capabilities from the thread's effective set, which is what makes the checks real.
 */
#include "identity.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static __thread int tl_known;             /* tl_current is valid */
static __thread struct efs_identity tl_current;

/* Plain mode reads a caller's supplementary groups from /proc; cache per thread for a second. */
static __thread struct {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	time_t at;
	int ngroups;
	gid_t groups[EFS_MAX_GROUPS];
} tl_groups_cache;

static int same_identity(const struct efs_identity *a, const struct efs_identity *b)
{
	return a->uid == b->uid && a->gid == b->gid && a->ngroups == b->ngroups &&
	       memcmp(a->groups, b->groups, (size_t)a->ngroups * sizeof(gid_t)) == 0;
}

int efs_become(const struct efs_identity *id)
{
	if (tl_known && same_identity(&tl_current, id))
		return 0;
	tl_known = 0;
	/* Order: regain root fsuid first so setgroups/setfsgid are permitted, then drop to the target. */
	syscall(SYS_setfsuid, 0);
	if (syscall(SYS_setgroups, (size_t)id->ngroups, id->groups) != 0)
		return -errno;
	syscall(SYS_setfsgid, id->gid);
	if ((gid_t)syscall(SYS_setfsgid, -1) != id->gid)
		return -EPERM;
	syscall(SYS_setfsuid, id->uid);
	if ((uid_t)syscall(SYS_setfsuid, -1) != id->uid)
		return -EPERM;
	tl_current = *id;
	tl_known = 1;
	return 0;
}

void efs_become_daemon(void)
{
	static const struct efs_identity root = { 0, 0, 0, { 0 } };
	(void)efs_become(&root);
}

static gid_t squash_gid(const struct efs_options *o, gid_t g)
{
	return (o->squash_root && g == 0) ? o->squash_gid : g;
}

static void caller_groups(fuse_req_t req, const struct fuse_ctx *ctx, struct efs_identity *out)
{
	time_t now = time(NULL);
	if (tl_groups_cache.pid == ctx->pid && tl_groups_cache.uid == ctx->uid &&
	    tl_groups_cache.gid == ctx->gid && now - tl_groups_cache.at <= 1) {
		out->ngroups = tl_groups_cache.ngroups;
		memcpy(out->groups, tl_groups_cache.groups, (size_t)out->ngroups * sizeof(gid_t));
		return;
	}
	gid_t list[EFS_MAX_GROUPS];
	int n = fuse_req_getgroups(req, EFS_MAX_GROUPS, list);
	/* Like AUTH_SYS, only the first groups travel; a caller that vanished gets none. */
	if (n < 0)
		n = 0;
	if (n > EFS_MAX_GROUPS)
		n = EFS_MAX_GROUPS;
	out->ngroups = n;
	memcpy(out->groups, list, (size_t)n * sizeof(gid_t));
	tl_groups_cache.pid = ctx->pid;
	tl_groups_cache.uid = ctx->uid;
	tl_groups_cache.gid = ctx->gid;
	tl_groups_cache.at = now;
	tl_groups_cache.ngroups = n;
	memcpy(tl_groups_cache.groups, list, (size_t)n * sizeof(gid_t));
}

void efs_identity_for_request(const struct efs_options *o, fuse_req_t req, struct efs_identity *out)
{
	if (o->ap_mode) {
		out->uid = o->ap_uid;
		out->gid = o->ap_gid;
		out->ngroups = o->ap_ngroups;
		memcpy(out->groups, o->ap_groups, (size_t)o->ap_ngroups * sizeof(gid_t));
	} else {
		const struct fuse_ctx *ctx = fuse_req_ctx(req);
		out->uid = ctx->uid;
		out->gid = ctx->gid;
		caller_groups(req, ctx, out);
	}
	/* Without ClientRootAccess, root is squashed whichever way it arrived. */
	if (o->squash_root && out->uid == 0)
		out->uid = o->squash_uid;
	out->gid = squash_gid(o, out->gid);
	for (int i = 0; i < out->ngroups; i++)
		out->groups[i] = squash_gid(o, out->groups[i]);
}

int efs_become_caller(const struct efs_options *o, fuse_req_t req)
{
	struct efs_identity id;
	efs_identity_for_request(o, req, &id);
	return efs_become(&id);
}
