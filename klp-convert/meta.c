// SPDX-License-Identifier: GPL-2.0
/*
 * --show-meta: print the .klpgen.meta section of a module, checked by the
 * format's one parser (lib/klpgen-meta.c).
 */
#include <stdio.h>
#include <string.h>

#include "elf.h"
#include "klp-convert.h"
#include "klpgen-meta.h"
#include "util.h"

int meta_show(const char *path)
{
	struct elf_file *elf = elf_open(path);
	struct klpgen_meta m;
	struct section *sec;
	unsigned long line;
	const char *why;
	size_t len;
	int ret = EXIT_OK;

	if (!elf)
		return EXIT_BAD_INPUT;
	sec = elf_find_section(elf, KLPGEN_META_SEC);
	if (!sec || !sec->data || sec->sh.sh_type == SHT_NOBITS) {
		WARN("%s: no %s section", path, KLPGEN_META_SEC);
		elf_close(elf);
		return EXIT_BAD_INPUT;
	}
	len = sec->sh.sh_size;
	while (len && !((char *)sec->data)[len - 1])
		len--;
	if (meta_parse(sec->data, sec->sh.sh_size, &m, &line, &why)) {
		if (line)
			WARN("%s: %s line %lu: %s", path, KLPGEN_META_SEC,
			     line, why);
		else
			WARN("%s: %s %s", path, KLPGEN_META_SEC, why);
		ret = EXIT_BAD_INPUT;
	} else {
		fwrite(sec->data, 1, len, stdout);
		if (len && ((char *)sec->data)[len - 1] != '\n')
			fputc('\n', stdout);
		meta_free(&m);
	}
	elf_close(elf);
	return ret;
}
