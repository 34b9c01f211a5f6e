/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by every klpgen tool: allocation that never returns
 * NULL, error reporting with the tool's name, and safe string building.
 */
#ifndef KLPGEN_UTIL_H
#define KLPGEN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Exit codes shared by create-diff-object, klp-convert and klpgen. */
enum klp_exit {
	EXIT_OK = 0,
	EXIT_NO_CHANGE = 3,	/* nothing to patch */
	EXIT_UNSAFE = 4,	/* refused: the patch is not safe to apply live */
	EXIT_BAD_INPUT = 2,	/* wrong arguments, unreadable or malformed input */
	EXIT_INTERNAL = 1,	/* anything else */
	EXIT_INTERRUPTED = 130,	/* SIGINT, SIGTERM or SIGHUP: cleaned up, stopped */
};

/* Set once by main(); prefixes every message. */
extern const char *tool_name;
extern int debug_level;

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "tool: message" on stderr. */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define WARN(...) warnx_(__VA_ARGS__)
/* Print and exit with @code. */
void die_code(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
#define DIE(...) die_code(EXIT_INTERNAL, __VA_ARGS__)
#define DEBUG(...) do { if (debug_level) warnx_(__VA_ARGS__); } while (0)

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);

/* Growable byte buffer for building string tables and text output. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_free(struct strbuf *sb);

/* Write @len bytes to @path atomically: temp file in the same dir + rename. */
int write_file_atomic(const char *path, const void *data, size_t len, int mode);

/*
 * The steps of write_file_atomic() for writers that stream: create
 * ".<base>.klpgen<pid>-XXXXXX" beside @path (fd, *tmp_path set; stale
 * temporaries of killed runs for the same @path are removed first), then
 * either commit_temp() (chmod @mode & ~umask, close, rename; frees
 * *tmp_path) or abort_temp() (close, unlink, free).
 */
#include <sys/types.h>
int open_temp_beside(const char *path, char **tmp_path);
int commit_temp(int fd, char *tmp_path, const char *path, int mode);
void abort_temp(int fd, char *tmp_path);
mode_t current_umask(void);

#endif
