/*
 * Parses and validates the efs-fuse command line. Everything that later reaches mount(2) options
 * (fsname) is checked against a strict pattern so no caller can inject mount options through it.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_id(const char *flag, const char *text, unsigned *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	/* (uid_t)-1 means "unchanged" to the kernel, so it can never be an identity. */
	if (text[0] == '\0' || text[0] == '-' || *end != '\0' || errno != 0 || v >= UINT_MAX) {
		fprintf(stderr, "efs-fuse: %s: not a valid id: %s\n", flag, text);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_groups(const char *text, struct efs_options *o)
{
	char *copy = strdup(text);
	if (copy == NULL)
		return -1;
	int rc = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		unsigned g;
		if (o->ap_ngroups >= EFS_MAX_GROUPS) {
			fprintf(stderr, "efs-fuse: --groups: at most %d groups\n", EFS_MAX_GROUPS);
			rc = -1;
			break;
		}
		if (parse_id("--groups", tok, &g) != 0) {
			rc = -1;
			break;
		}
		o->ap_groups[o->ap_ngroups++] = g;
	}
	free(copy);
	return rc;
}

static int valid_fsname(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 128)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == ':' || c == '.' || c == '_' || c == '-' || c == '/';
		if (!ok)
			return 0;
	}
	return 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: efs-fuse --source DIR --target MOUNTPOINT [--uid U --gid G [--groups g1,g2]]\n"
		"                [--squash-root [--squash-uid 65534 --squash-gid 65534]] [--ro]\n"
		"                [--stats FILE] [--fsname efs:fs-...] [--passthrough auto|off]\n"
		"                [--threads N] [--max-nodes N] [--debug]\n");
}

enum { OPT_SOURCE = 1000, OPT_TARGET, OPT_UID, OPT_GID, OPT_GROUPS, OPT_SQUASH, OPT_SQUASH_UID,
       OPT_SQUASH_GID, OPT_RO, OPT_STATS, OPT_FSNAME, OPT_PASSTHROUGH, OPT_THREADS, OPT_MAX_NODES, OPT_DEBUG };

int efs_parse_options(int argc, char **argv, struct efs_options *o)
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "gid", required_argument, NULL, OPT_GID },
		{ "groups", required_argument, NULL, OPT_GROUPS },
		{ "squash-root", no_argument, NULL, OPT_SQUASH },
		{ "squash-uid", required_argument, NULL, OPT_SQUASH_UID },
		{ "squash-gid", required_argument, NULL, OPT_SQUASH_GID },
		{ "ro", no_argument, NULL, OPT_RO },
		{ "stats", required_argument, NULL, OPT_STATS },
		{ "fsname", required_argument, NULL, OPT_FSNAME },
		{ "passthrough", required_argument, NULL, OPT_PASSTHROUGH },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "max-nodes", required_argument, NULL, OPT_MAX_NODES },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ NULL, 0, NULL, 0 },
	};
	memset(o, 0, sizeof(*o));
	o->fsname = "efs";
	o->squash_uid = 65534;
	o->squash_gid = 65534;
	o->passthrough = EFS_PT_AUTO;
	o->max_threads = 16;
	int have_uid = 0, have_gid = 0, have_groups = 0, have_squash_ids = 0;
	unsigned v;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SOURCE: o->source = optarg; break;
		case OPT_TARGET: o->target = optarg; break;
		case OPT_UID:
			if (parse_id("--uid", optarg, &v) != 0) return -1;
			o->ap_uid = v; have_uid = 1; break;
		case OPT_GID:
			if (parse_id("--gid", optarg, &v) != 0) return -1;
			o->ap_gid = v; have_gid = 1; break;
		case OPT_GROUPS:
			if (parse_groups(optarg, o) != 0) return -1;
			have_groups = 1; break;
		case OPT_SQUASH: o->squash_root = true; break;
		case OPT_SQUASH_UID:
			if (parse_id("--squash-uid", optarg, &v) != 0) return -1;
			o->squash_uid = v; have_squash_ids = 1; break;
		case OPT_SQUASH_GID:
			if (parse_id("--squash-gid", optarg, &v) != 0) return -1;
			o->squash_gid = v; have_squash_ids = 1; break;
		case OPT_RO: o->read_only = true; break;
		case OPT_STATS: o->stats_file = optarg; break;
		case OPT_FSNAME: o->fsname = optarg; break;
		case OPT_PASSTHROUGH:
			if (strcmp(optarg, "auto") == 0) o->passthrough = EFS_PT_AUTO;
			else if (strcmp(optarg, "off") == 0) o->passthrough = EFS_PT_OFF;
			else { fprintf(stderr, "efs-fuse: --passthrough must be auto or off\n"); return -1; }
			break;
		case OPT_THREADS:
			if (parse_id("--threads", optarg, &v) != 0 || v < 1 || v > 256) {
				fprintf(stderr, "efs-fuse: --threads must be 1..256\n");
				return -1;
			}
			o->max_threads = v; break;
		case OPT_MAX_NODES:
			if (parse_id("--max-nodes", optarg, &v) != 0 || v < 16) {
				fprintf(stderr, "efs-fuse: --max-nodes must be at least 16\n");
				return -1;
			}
			o->max_nodes = v; break;
		case OPT_DEBUG: o->debug = true; break;
		default:
			fprintf(stderr, "efs-fuse: unknown or incomplete option: %s\n", argv[optind - 1]);
			usage();
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "efs-fuse: unexpected argument: %s\n", argv[optind]);
		usage();
		return -1;
	}
	if (o->source == NULL || o->target == NULL || o->source[0] != '/' || o->target[0] != '/') {
		fprintf(stderr, "efs-fuse: --source and --target are required absolute paths\n");
		usage();
		return -1;
	}
	if (have_uid != have_gid) {
		fprintf(stderr, "efs-fuse: --uid and --gid go together (an access point's PosixUser)\n");
		return -1;
	}
	if (have_groups && !have_uid) {
		fprintf(stderr, "efs-fuse: --groups needs --uid/--gid\n");
		return -1;
	}
	if (have_squash_ids && !o->squash_root) {
		fprintf(stderr, "efs-fuse: --squash-uid/--squash-gid need --squash-root\n");
		return -1;
	}
	if (!valid_fsname(o->fsname)) {
		fprintf(stderr, "efs-fuse: --fsname may only contain letters, digits and : . _ - /\n");
		return -1;
	}
	if (o->stats_file != NULL && o->stats_file[0] != '/') {
		fprintf(stderr, "efs-fuse: --stats must be an absolute path\n");
		return -1;
	}
	o->ap_mode = have_uid;
	return 0;
}
