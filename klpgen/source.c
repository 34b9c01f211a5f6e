// SPDX-License-Identifier: GPL-2.0
/*
 * The user's kernel source as it is found:
 *   - a tarball (Debian's /usr/src/linux-source-6.1.tar.xz) is unpacked
 *     once into <cache>/sources/<name>-<hash>/, hash of its path, size and
 *     mtime; a lock makes concurrent runs wait, a stamp marks it complete,
 *     and a killed unpack leaves only a .tmp directory the next run removes;
 *   - a tree is pristine, configured in place (.config, include/config,
 *     arch/<arch>/include/generated) or configured and built in place
 *     (also vmlinux and the objects' .cmd files).  Kbuild refuses O=
 *     builds from the last two ("The source tree is not clean"): the
 *     private copy is cleaned with the tree's own `make mrproper` (tree.c).
 *     A tree built in place with the same config is also a dependency
 *     index (objects.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "build.h"

static const char *const tar_suffixes[] = {
	".tar.xz", ".tar.gz", ".tar.bz2", ".tar.zst", ".tar", ".tgz",
};

bool source_is_tarball(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(tar_suffixes) / sizeof(tar_suffixes[0]); i++)
		if (str_ends_with(path, tar_suffixes[i]))
			return true;
	return false;
}

/* A kernel tree, not a headers package: it has the sources of kernel/. */
bool source_is_tree(const char *dir)
{
	static const char *const need[] = {
		"Makefile", "Kconfig", "kernel/Makefile", "scripts/Makefile.build",
	};
	size_t i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		char *p = xasprintf("%s/%s", dir, need[i]);
		int ok = !access(p, R_OK);

		free(p);
		if (!ok)
			return false;
	}
	return true;
}

static bool exists_in(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	bool ret = !access(p, F_OK);

	free(p);
	return ret;
}

/* The state Kbuild's "not clean" check looks at, plus a built vmlinux. */
enum tree_state source_state(const char *dir)
{
	char *arch_gen = xasprintf("arch/%s/include/generated",
				   arch_kernel_dir());
	enum tree_state s = TREE_PRISTINE;

	if (exists_in(dir, "vmlinux") && exists_in(dir, ".vmlinux.cmd"))
		s = TREE_BUILT;
	else if (exists_in(dir, ".config") || exists_in(dir, "include/config") ||
		 exists_in(dir, "include/generated") ||
		 exists_in(dir, arch_gen))
		s = TREE_CONFIGURED;
	free(arch_gen);
	return s;
}

const char *tree_state_name(enum tree_state s)
{
	return s == TREE_BUILT ? "configured and built in place" :
	       s == TREE_CONFIGURED ? "configured in place" : "pristine";
}

static char *tarball_dir(const char *cache, const char *tarball,
			 const struct stat *st)
{
	char *copy = xstrdup(tarball), *base = basename(copy), *id, *dir, *hash;
	size_t i;

	for (i = 0; i < sizeof(tar_suffixes) / sizeof(tar_suffixes[0]); i++)
		if (str_ends_with(base, tar_suffixes[i])) {
			base[strlen(base) - strlen(tar_suffixes[i])] = '\0';
			break;
		}
	id = xasprintf("%s %lld %lld.%09ld", tarball, (long long)st->st_size,
		       (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	hash = kb_hash_hex(id, strlen(id));
	dir = xasprintf("%s/sources/%s-%.12s", cache, base, hash);
	free(hash);
	free(id);
	free(copy);
	return dir;
}

/* The one top directory of an unpacked tarball (or @dir itself). */
static char *top_dir(const char *dir)
{
	struct strlist names = { 0 };
	char *ret = NULL;

	if (fs_list_dir(dir, &names) == 0 && names.n == 1) {
		char *sub = xasprintf("%s/%s", dir, names.v[0]);
		struct stat st;

		if (!stat(sub, &st) && S_ISDIR(st.st_mode))
			ret = sub;
		else
			free(sub);
	}
	sl_free(&names);
	return ret ? ret : xstrdup(dir);
}

static int unpack(const char *tarball, const char *dir)
{
	char *tmp = xasprintf("%s.tmp", dir);
	char *const tar[] = { "tar", "-x", "--no-same-owner", "-f",
			      (char *)tarball, "-C", tmp, NULL };
	int rc;

	fs_remove_tree(tmp);
	if (fs_mkdir_p(tmp) < 0) {
		WARN("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	rc = spawn_run(tar, -1);
	if (!rc && rename(tmp, dir) < 0)
		rc = -1;
	if (rc) {
		if (rc != EXIT_INTERRUPTED)
			WARN("cannot unpack %s into %s (exit %d)", tarball, tmp,
			     rc);
		fs_remove_tree(tmp);
	}
	free(tmp);
	return rc;
}

/*
 * The unpacked tree of @tarball, unpacking it first if this is the first
 * use.  Exits on failure.
 */
char *source_unpack(struct build *b, const char *tarball)
{
	struct stat st;
	char *dir, *lock, *done, *tree;
	int fd, rc = 0;

	if (stat(tarball, &st) < 0)
		die_code(EXIT_BAD_INPUT, "%s: %s", tarball, strerror(errno));
	dir = tarball_dir(b->cache, tarball, &st);
	lock = xasprintf("%s.lock", dir);
	done = xasprintf("%s.done", dir);
	tree = xasprintf("%s/sources", b->cache);
	if (fs_mkdir_p(tree) < 0)
		die_code(EXIT_INTERNAL, "%s: %s", tree, strerror(errno));
	free(tree);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0)
		die_code(EXIT_INTERNAL, "%s: %s", lock, strerror(errno));
	if (access(done, F_OK)) {
		phase_begin("unpacking the source");
		fs_remove_tree(dir);
		rc = unpack(tarball, dir);
		if (!rc)
			rc = stamp_write(done, tarball);
		if (rc == EXIT_INTERRUPTED)
			exit(EXIT_INTERRUPTED);
		if (rc)
			die_code(EXIT_INTERNAL, "cannot unpack %s", tarball);
		phase_end(dir);
	}
	close(fd);
	tree = top_dir(dir);
	if (!source_is_tree(tree))
		die_code(EXIT_BAD_INPUT, "%s holds no kernel source tree "
			 "(unpacked in %s)", tarball, dir);
	free(dir);
	free(lock);
	free(done);
	return tree;
}
