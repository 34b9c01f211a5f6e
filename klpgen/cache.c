// SPDX-License-Identifier: GPL-2.0
/*
 * The build cache key.
 *
 * <cache>/builds/<key>/ holds the source copy and the original build of
 * one (tree, config, compiler, flags) combination.  The key is a hash of
 * a short text (kept as <key>/key.txt) naming:
 *   - the kernel version from the tree's Makefile and the release
 *     (uname -r) of the vmlinux, which the builds get as KERNELRELEASE,
 *   - a hash of the .config contents given with -c,
 *   - the first line of `CC --version` (CC: the compiler the config names,
 *     gcc-12 for Debian's, else gcc) and the launcher (--launcher),
 *   - the KCFLAGS of the build,
 *   - the source tree's absolute path and its fingerprint: a hash over
 *     the relative path, type, size and mtime (ns) of every file, in
 *     sorted order (.git is skipped),
 *   - only when set: the original build's make targets (kpatch-build -t)
 *     and, for an out-of-tree module, the kernel build directory it is
 *     built against (whose release is then the version).
 * Editing, adding or removing any file of the tree gives a new key.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"

struct fp {
	uint64_t a, b;
};

static void fp_add(struct fp *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h->a = (h->a ^ p[i]) * 0x100000001b3ULL;
		h->b = (h->b ^ p[i]) * 0x100000001b3ULL;
		h->b ^= h->b >> 29;
	}
}

static void fp_init(struct fp *h)
{
	h->a = 0xcbf29ce484222325ULL;
	h->b = 0x84222325cbf29ce4ULL;
}

static char *fp_hex(const struct fp *h)
{
	return xasprintf("%016llx%016llx", (unsigned long long)h->a,
			 (unsigned long long)h->b);
}

/* A 128-bit hash of @len bytes, as 32 hex digits (malloc'd). */
char *kb_hash_hex(const void *data, size_t len)
{
	struct fp h;

	fp_init(&h);
	fp_add(&h, data, len);
	return fp_hex(&h);
}

static int fp_walk(int dirfd, const char *rel, struct fp *h)
{
	struct strlist names = { 0 };
	size_t i;
	int ret = 0;

	if (fs_list_dirfd(dirfd, &names) < 0)
		return -1;
	for (i = 0; i < names.n && !ret; i++) {
		const char *n = names.v[i];
		char *path = xasprintf("%s%s%s", rel, *rel ? "/" : "", n);
		struct stat st;
		char rec[64];
		int fd;

		if (fstatat(dirfd, n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			ret = -1;
		} else if (!(S_ISDIR(st.st_mode) && !strcmp(n, ".git"))) {
			fp_add(h, path, strlen(path) + 1);
			snprintf(rec, sizeof(rec), "%o %lld %lld.%09ld",
				 st.st_mode & S_IFMT, (long long)st.st_size,
				 (long long)st.st_mtim.tv_sec,
				 st.st_mtim.tv_nsec);
			fp_add(h, rec, strlen(rec) + 1);
			if (S_ISDIR(st.st_mode)) {
				fd = openat(dirfd, n, O_RDONLY | O_DIRECTORY);
				ret = fd < 0 ? -1 : fp_walk(fd, path, h);
				if (fd >= 0)
					close(fd);
			}
		}
		free(path);
	}
	sl_free(&names);
	return ret;
}

char *tree_fingerprint(const char *dir)
{
	struct fp h;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int ret;

	if (fd < 0)
		return NULL;
	fp_init(&h);
	ret = fp_walk(fd, "", &h);
	close(fd);
	return ret ? NULL : fp_hex(&h);
}

static char *make_var(const char *makefile, const char *var)
{
	size_t vl = strlen(var);
	const char *p = makefile;

	while (p && *p) {
		if (!strncmp(p, var, vl)) {
			const char *q = p + vl;

			while (*q == ' ')
				q++;
			if (*q == '=') {
				q++;
				while (*q == ' ')
					q++;
				return xstrndup(q, strcspn(q, "\n"));
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return xstrdup("");
}

char *kb_tree_version(const char *srcdir)
{
	char *path = xasprintf("%s/Makefile", srcdir);
	char *mk = fs_read_text(path, NULL);
	char *v[4], *ret;
	static const char *const names[] = {
		"VERSION", "PATCHLEVEL", "SUBLEVEL", "EXTRAVERSION"
	};
	int i;

	free(path);
	if (!mk)
		return NULL;
	for (i = 0; i < 4; i++)
		v[i] = make_var(mk, names[i]);
	ret = xasprintf("%s.%s.%s%s", v[0], v[1], v[2], v[3]);
	for (i = 0; i < 4; i++)
		free(v[i]);
	free(mk);
	return ret;
}

static char *first_line_of(char *const argv[])
{
	char *out, *ret;
	int rc = spawn_capture(argv, &out);

	if (rc) {
		free(out);
		return NULL;
	}
	ret = xstrndup(out, strcspn(out, "\n"));
	free(out);
	return ret;
}

char *kb_compiler_version(const char *cc)
{
	char *const argv[] = { (char *)cc, "--version", NULL };

	return first_line_of(argv);
}

/* The release a kernel build directory was configured for. */
static char *kbuild_release(const char *kbuild)
{
	char *path = xasprintf("%s/include/config/kernel.release", kbuild);
	char *rel = fs_read_text(path, NULL);

	free(path);
	if (rel)
		rel[strcspn(rel, "\n")] = '\0';
	return rel;
}

int cache_key(struct build *b)
{
	char *kver, *cfg, *cc, *fp, *text;
	struct strbuf extra;
	struct fp h, ch;
	size_t cfg_len, i;
	int ret = -1;

	kver = b->kbuild ? kbuild_release(b->kbuild) : kb_tree_version(b->srcdir);
	cfg = fs_read_text(b->config, &cfg_len);
	cc = kb_compiler_version(b->tc.cc);
	fp = tree_fingerprint(b->srcdir);
	if (!kver || !cfg || !cc || !fp) {
		WARN("cannot compute the cache key: %s",
		     !kver ? (b->kbuild ? "no include/config/kernel.release in the kernel build directory" :
			      "no kernel Makefile in the source tree") :
		     !cfg ? "cannot read the config" :
		     !cc ? "the compiler's --version failed" :
		     "cannot walk the source tree");
		goto out;
	}
	/* custom original-build targets (kpatch-build -t): an entry of their own */
	strbuf_init(&extra);
	strbuf_add(&extra, "", 0);
	for (i = 0; i < b->targets.n; i++)
		strbuf_addf(&extra, "%s%s", i ? " " : "targets ", b->targets.v[i]);
	if (b->targets.n)
		strbuf_add(&extra, "\n", 1);
	/* an out-of-tree module: the kernel build it is built against */
	if (b->kbuild)
		strbuf_addf(&extra, "kbuild %s\n", b->kbuild);
	fp_init(&ch);
	fp_add(&ch, cfg, cfg_len);
	free(cfg);
	cfg = fp_hex(&ch);
	text = xasprintf("kernel %s\nrelease %s\nconfig %s\ncompiler %s\n"
			 "launcher %s\nkcflags %s\nsource %s\nfingerprint %s\n%s",
			 kver, b->krelease ? b->krelease : "", cfg, cc,
			 b->launcher ? b->launcher : "", b->kcflags, b->srcdir, fp,
			 extra.buf);
	strbuf_free(&extra);
	fp_init(&h);
	fp_add(&h, text, strlen(text));
	b->key = fp_hex(&h);
	b->key[20] = '\0';
	b->keydir = xasprintf("%s/builds/%s", b->cache, b->key);
	if (fs_mkdir_p(b->keydir) < 0) {
		WARN("cannot create %s: %s", b->keydir, strerror(errno));
	} else {
		char *kt = xasprintf("%s/key.txt", b->keydir);

		write_file_atomic(kt, text, strlen(text), 0644);
		free(kt);
		ret = 0;
	}
	free(text);
out:
	free(kver);
	free(cfg);
	free(cc);
	free(fp);
	return ret;
}

/* 1 when @path holds exactly @want (plus a newline). */
int stamp_ok(const char *path, const char *want)
{
	char *s = fs_read_text(path, NULL);
	int ok;

	if (!s)
		return 0;
	s[strcspn(s, "\n")] = '\0';
	ok = !strcmp(s, want);
	free(s);
	return ok;
}

int stamp_write(const char *path, const char *val)
{
	char *s = xasprintf("%s\n", val);
	int ret = write_file_atomic(path, s, strlen(s), 0644);

	free(s);
	return ret;
}
