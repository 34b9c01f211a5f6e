// SPDX-License-Identifier: GPL-2.0
/*
 * .modinfo look-ups (format in modinfo.h).
 */
#include <string.h>

#include "modinfo.h"
#include "util.h"

char *modinfo_get(const struct elf_file *elf, const char *key)
{
	struct section *sec = elf_find_section(elf, ".modinfo");
	size_t klen = strlen(key);
	const char *p, *end;

	if (!sec || !sec->data || sec->sh.sh_type == SHT_NOBITS)
		return NULL;
	p = sec->data;
	end = p + sec->sh.sh_size;
	while (p < end) {
		size_t n = strnlen(p, end - p);

		if (n > klen && p[klen] == '=' && !strncmp(p, key, klen))
			return xstrndup(p + klen + 1, n - klen - 1);
		p += n + 1;
	}
	return NULL;
}

char *modinfo_vermagic_release(const char *vermagic)
{
	return xstrndup(vermagic, strcspn(vermagic, " "));
}
