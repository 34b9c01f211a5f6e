// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel .config files: the one reader.  A config is read into a sorted
 * list of "NAME=value" strings ("# CONFIG_X is not set" lines are left
 * out: unset and absent are the same to Kbuild), plus the version in the
 * header comment ("# Linux/x86 6.1.192 Kernel Configuration").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kconfig_read(const char *path, struct kconfig *kc)
{
	char *text = fs_read_text(path, NULL), *line, *save = NULL;

	memset(kc, 0, sizeof(*kc));
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *v;

		if (str_starts_with(line, "# Linux/") && !kc->version &&
		    (v = strchr(line + 8, ' ')) &&
		    strstr(v, " Kernel Configuration"))
			kc->version = xstrndup(v + 1, strcspn(v + 1, " "));
		if (str_starts_with(line, "CONFIG_") && strchr(line, '='))
			sl_add(&kc->opts, line + 7);
	}
	free(text);
	if (kc->opts.n)
		qsort(kc->opts.v, kc->opts.n, sizeof(char *), cmp_str);
	return 0;
}

void kconfig_free(struct kconfig *kc)
{
	sl_free(&kc->opts);
	free(kc->version);
	memset(kc, 0, sizeof(*kc));
}

/* The value of CONFIG_@name ("y", "\"sha256\"", ...) or NULL when unset. */
const char *kconfig_get(const struct kconfig *kc, const char *name)
{
	size_t lo = 0, hi = kc->opts.n, len = strlen(name);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(kc->opts.v[mid], name, len);

		if (!c && kc->opts.v[mid][len] == '=')
			return kc->opts.v[mid] + len + 1;
		if (!c)
			c = kc->opts.v[mid][len] < '=' ? -1 : 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool kconfig_enabled(const struct kconfig *kc, const char *name)
{
	const char *v = kconfig_get(kc, name);

	return v && (!strcmp(v, "y") || !strcmp(v, "m"));
}

/* A string option without its quotes (malloc'd), or NULL. */
char *kconfig_string(const struct kconfig *kc, const char *name)
{
	const char *v = kconfig_get(kc, name);
	size_t len;

	if (!v)
		return NULL;
	len = strlen(v);
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"')
		return xstrndup(v + 1, len - 2);
	return xstrdup(v);
}

/* Options that describe the toolchain found, not the kernel built. */
static bool toolchain_option(const char *opt)
{
	static const char *const names[] = {
		"CC_VERSION_TEXT=", "GCC_VERSION=", "CLANG_VERSION=",
		"AS_VERSION=", "LD_VERSION=", "LLD_VERSION=", "PAHOLE_VERSION=",
		"RUSTC_VERSION=", "BINDGEN_VERSION=", "RUSTC_LLVM_VERSION=",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (str_starts_with(opt, names[i]))
			return true;
	return false;
}

/*
 * What olddefconfig changed from @want to @got: options that @want sets
 * and @got sets differently or not at all go to @lost ("NAME=old -> new"),
 * options only @got sets to @added.  Toolchain versions are ignored.
 */
void kconfig_diff(const struct kconfig *want, const struct kconfig *got,
		  struct strlist *lost, struct strlist *added)
{
	size_t i;

	for (i = 0; i < want->opts.n; i++) {
		const char *o = want->opts.v[i];
		char *name = xstrndup(o, strcspn(o, "="));
		const char *v = kconfig_get(got, name);

		if (!toolchain_option(o) && (!v || strcmp(v, strchr(o, '=') + 1)))
			sl_add_own(lost, xasprintf("CONFIG_%s -> %s", o,
						   v ? v : "unset"));
		free(name);
	}
	for (i = 0; i < got->opts.n; i++) {
		const char *o = got->opts.v[i];
		char *name = xstrndup(o, strcspn(o, "="));

		if (!toolchain_option(o) && !kconfig_get(want, name))
			sl_add_own(added, xasprintf("CONFIG_%s", o));
		free(name);
	}
}
