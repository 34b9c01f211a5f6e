// SPDX-License-Identifier: GPL-2.0
/* File-system helpers: see fs.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "util.h"

int fs_mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	int ret = 0;

	for (s = p + 1; *s && !ret; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			ret = -1;
		*s = '/';
	}
	if (!ret && mkdir(p, 0755) < 0 && errno != EEXIST)
		ret = -1;
	free(p);
	return ret;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

int fs_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int fs_copy_file(const char *from, const char *to)
{
	struct timespec times[2];
	char buf[1 << 16];
	struct stat st;
	int in, out, ret = 0;
	ssize_t n;

	in = open(from, O_RDONLY);
	if (in < 0)
		return -1;
	if (fstat(in, &st) < 0) {
		close(in);
		return -1;
	}
	unlink(to);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 07777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0)) > 0)
		;
	if (n < 0) {	/* EXDEV, ENOSYS...: plain copy */
		lseek(in, 0, SEEK_SET);
		lseek(out, 0, SEEK_SET);
		if (ftruncate(out, 0) < 0)
			ret = -1;
		while (!ret && (n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, n) != n)
				ret = -1;
		if (n < 0)
			ret = -1;
	}
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	if (futimens(out, times) < 0 || fchmod(out, st.st_mode & 07777) < 0)
		ret = -1;
	if (close(out) < 0)
		ret = -1;
	close(in);
	return ret;
}

int fs_copy_over(const char *from, const char *to)
{
	char *tmp = xasprintf("%s.klpgen-tmp", to);
	int ret = fs_copy_file(from, tmp);

	if (!ret)
		ret = rename(tmp, to);
	if (ret) {
		int err = errno;

		unlink(tmp);
		errno = err;
	}
	free(tmp);
	return ret;
}

char *fs_read_text(const char *path, size_t *len)
{
	struct strbuf sb;
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	strbuf_init(&sb);
	strbuf_add(&sb, "", 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(&sb, buf, n);
	close(fd);
	if (n < 0) {
		strbuf_free(&sb);
		return NULL;
	}
	if (len)
		*len = sb.len;
	return sb.buf;
}

int fs_list_dirfd(int dirfd, struct strlist *names)
{
	int fd = dup(dirfd);
	DIR *d;
	struct dirent *de;

	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sl_add(names, de->d_name);
	}
	closedir(d);
	sl_sort(names);
	return 0;
}

int fs_list_dir(const char *path, struct strlist *names)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = fs_list_dirfd(fd, names);
	close(fd);
	return ret;
}

/* @p with its directory resolved (@p itself need not exist); NULL if not. */
static char *canonical_path(const char *p)
{
	char *dcopy = xstrdup(p), *bcopy = xstrdup(p), *dir, *res = NULL;

	dir = realpath(dirname(dcopy), NULL);
	if (dir)
		res = xasprintf("%s/%s", dir, basename(bcopy));
	free(dir);
	free(dcopy);
	free(bcopy);
	return res;
}

bool fs_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char *ca, *cb;
	bool same;

	if (!stat(a, &sa) && !stat(b, &sb))
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	ca = canonical_path(a);
	cb = canonical_path(b);
	same = ca && cb && !strcmp(ca, cb);
	free(ca);
	free(cb);
	return same;
}
