// SPDX-License-Identifier: GPL-2.0
/*
 * The compiler the running kernel was built with, from its configuration.
 * A clang kernel (CONFIG_CC_IS_CLANG=y) is built with LLVM=-<major> when
 * clang-<major> is installed (Debian's versioned clang-16, ld.lld-16,
 * llvm-ar-16 ...), else with LLVM=1; a gcc kernel with the gcc its config
 * names (gcc-12) when installed, else the default gcc.
 * Every make klpgen runs (the original and patched builds, the module
 * build) passes the same, so patched code comes from the kernel's
 * compiler; the compiler check and the cache key name it too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "klpgen.h"
#include "spawn.h"
#include "util.h"

/*
 * The gcc CONFIG_CC_VERSION_TEXT names ("gcc-12 (Debian 12.2.0-14) 12.2.0"
 * -> gcc-12) when it is installed: the same name keeps olddefconfig from
 * rewriting CONFIG_CC_VERSION_TEXT.
 */
static void named_gcc(const char *text, struct kb_toolchain *tc)
{
	const char *v = strstr(text, "\nCONFIG_CC_VERSION_TEXT=\"");
	char name[sizeof(tc->cc)];
	size_t n;

	if (!v)
		return;
	v += strlen("\nCONFIG_CC_VERSION_TEXT=\"");
	n = strcspn(v, " \"\n");
	if (n < 3 || n >= sizeof(name) || strncmp(v, "gcc", 3) ||
	    strspn(v, "gcc-0123456789.") < n)
		return;
	memcpy(name, v, n);
	name[n] = '\0';
	if (spawn_in_path(name))
		memcpy(tc->cc, name, n + 1);
}

int kb_toolchain(const char *config, struct kb_toolchain *tc)
{
	char *text = fs_read_text(config, NULL), *v;
	bool clang;
	long ver = 0;
	int major;

	memset(tc, 0, sizeof(*tc));
	snprintf(tc->cc, sizeof(tc->cc), "gcc");
	if (!text)
		return -1;
	clang = strstr(text, "\nCONFIG_CC_IS_CLANG=y\n") ||
		str_starts_with(text, "CONFIG_CC_IS_CLANG=y\n");
	v = strstr(text, "\nCONFIG_CLANG_VERSION=");
	if (v)
		ver = strtol(v + 22, NULL, 10);
	if (!clang)
		named_gcc(text, tc);
	free(text);
	if (!clang)
		return 0;
	major = ver >= 10000 && ver < 1000000 ? (int)(ver / 10000) : 0;
	snprintf(tc->cc, sizeof(tc->cc), "clang-%d", major);
	if (major && spawn_in_path(tc->cc)) {
		snprintf(tc->llvm, sizeof(tc->llvm), "LLVM=-%d", major);
	} else {
		snprintf(tc->cc, sizeof(tc->cc), "clang");
		snprintf(tc->llvm, sizeof(tc->llvm), "LLVM=1");
	}
	return 0;
}
