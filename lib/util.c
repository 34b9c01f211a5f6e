// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation, messages and small string helpers shared by all tools.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Weak so that a tool may define its own; main() usually just assigns it. */
__attribute__((weak)) const char *tool_name = "klpgen";
__attribute__((weak)) int debug_level;

static void oom(size_t size)
{
	fprintf(stderr, "%s: out of memory (%zu bytes)\n", tool_name, size);
	exit(EXIT_INTERNAL);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		oom(0);
	va_end(ap);
	return p;
}

static void vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", tool_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void die_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(code);
}

bool str_starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !memcmp(s + ls - lx, suffix, lx);
}

void strbuf_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

static void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	sb->cap = sb->cap ? sb->cap : 64;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
}

/* Keeps buf NUL-terminated so text users can print it directly. */
void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	strbuf_grow(sb, n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	va_end(ap);
	sb->len += n;
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	strbuf_init(sb);
}

/*
 * Temporary files are ".<base>.klpgen<pid>-XXXXXX" beside their target.
 * A run killed before it could rename or unlink its temporary (SIGKILL)
 * leaves one behind; the next write to the same target removes it, but
 * only when it is surely ours and surely dead: a regular file of ours
 * with that exact name, whose writer (the pid in its name) no longer
 * exists here and which has not been written to for STALE_TEMP_SECS (a
 * writer on another machine sharing the directory keeps writing to it).
 */
#define TEMP_TAG	"klpgen"
#define STALE_TEMP_SECS	60

static bool is_stale_temp(int dfd, const char *name, const char *base)
{
	size_t lb = strlen(base), lt = strlen(TEMP_TAG);
	const char *p = name + 1 + lb + 1 + lt;
	char *end;
	struct stat st;
	long pid;

	if (name[0] != '.' || strncmp(name + 1, base, lb) ||
	    name[1 + lb] != '.' || strncmp(name + 2 + lb, TEMP_TAG, lt) ||
	    *p < '1' || *p > '9')
		return false;
	pid = strtol(p, &end, 10);
	if (*end != '-' || strlen(end + 1) != 6 || pid <= 0 || pid > INT32_MAX ||
	    pid == getpid())
		return false;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return false;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_nlink != 1)
		return false;
	return time(NULL) - st.st_mtime >= STALE_TEMP_SECS;
}

static void remove_stale_temps(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (is_stale_temp(dirfd(d), de->d_name, base) &&
		    !unlinkat(dirfd(d), de->d_name, 0))
			DEBUG("%s/%s: removed a stale temporary file", dir,
			      de->d_name);
	closedir(d);
}

int open_temp_beside(const char *path, char **tmp_path)
{
	char *copy = xstrdup(path);
	char *dir = dirname(copy);
	char *base_copy = xstrdup(path);
	char *base = basename(base_copy);
	int fd;

	remove_stale_temps(dir, base);
	*tmp_path = xasprintf("%s/.%s." TEMP_TAG "%d-XXXXXX", dir, base,
			      (int)getpid());
	free(copy);
	free(base_copy);
	fd = mkostemp(*tmp_path, O_CLOEXEC);
	if (fd < 0) {
		WARN("%s: cannot create temporary file: %s", path,
		     strerror(errno));
		free(*tmp_path);
		*tmp_path = NULL;
	}
	return fd;
}

int commit_temp(int fd, char *tmp_path, const char *path, int mode)
{
	int ret = 0;

	if (fchmod(fd, mode & ~current_umask()) < 0 ||
	    close(fd) < 0 || rename(tmp_path, path) < 0) {
		WARN("%s: cannot write: %s", path, strerror(errno));
		unlink(tmp_path);
		ret = -1;
	}
	free(tmp_path);
	return ret;
}

void abort_temp(int fd, char *tmp_path)
{
	if (fd >= 0)
		close(fd);
	if (tmp_path)
		unlink(tmp_path);
	free(tmp_path);
}

mode_t current_umask(void)
{
	static mode_t mask = (mode_t)-1;

	if (mask == (mode_t)-1) {
		mask = umask(022);
		umask(mask);
	}
	return mask;
}

int write_file_atomic(const char *path, const void *data, size_t len, int mode)
{
	const char *p = data;
	char *tmp;
	int fd = open_temp_beside(path, &tmp);

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			WARN("%s: write failed: %s", path,
			     n < 0 ? strerror(errno) : "short write");
			abort_temp(fd, tmp);
			return -1;
		}
		p += n;
		len -= n;
	}
	return commit_temp(fd, tmp, path, mode);
}
