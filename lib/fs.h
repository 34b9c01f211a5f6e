/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File-system helpers shared by every tool: one of each.  All return 0 or
 * -1 with errno set (the caller names the file in its message), except
 * fs_read_text() which returns NULL.
 */
#ifndef KLPGEN_FS_H
#define KLPGEN_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "strlist.h"

int fs_mkdir_p(const char *path);		/* like mkdir -p, mode 0755 */
int fs_remove_tree(const char *path);		/* like rm -rf; no links followed */
/* Copy contents, mode and timestamps; @to is replaced. */
int fs_copy_file(const char *from, const char *to);
/* The same through "@to.klpgen-tmp" renamed over @to: readers see old or new. */
int fs_copy_over(const char *from, const char *to);
/* The whole file, NUL-terminated, malloc'd; *len (if given) without the NUL. */
char *fs_read_text(const char *path, size_t *len);
/* Sorted names of a directory's entries, without . and .. */
int fs_list_dir(const char *path, struct strlist *names);
/* The same for an open directory, read from its current position. */
int fs_list_dirfd(int dirfd, struct strlist *names);
/*
 * Whether @a and @b name the same file: the same inode when both exist,
 * else the same path once directories and symbolic links are resolved.
 */
bool fs_same_file(const char *a, const char *b);

#endif
