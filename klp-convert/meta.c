// SPDX-License-Identifier: GPL-2.0
/*
 * The .klpgen.meta section of a generated livepatch module: text lines,
 * fields separated by one space (format in man klp-convert(1)):
 *
 *	klpgen-meta 1
 *	module NAME
 *	replace 0|1
 *	object OBJ
 *	func OBJ NAME SYMPOS
 *	callback OBJ KIND SYMBOL
 *	state ID VERSION block_disable=0|1 is_shadow=0|1
 *	shadow ID
 *
 * Readers ignore lines with other keywords; trailing NUL bytes are padding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "klp-convert.h"
#include "util.h"

static bool is_num(const char *s)
{
	if (!*s)
		return false;
	return strspn(s, "0123456789") == strlen(s) && strlen(s) <= 20;
}

static bool is_name(const char *s)
{
	return *s && strlen(s) <= KLP_SYMNAME_MAX && !strchr(s, ' ');
}

/* One line split at spaces into at most 8 fields. */
static int check_line(char *line, char **why)
{
	char *f[8], *p = line;
	int n = 0;

	while (n < 8) {
		f[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (p) {
		*why = "too many fields";
		return -1;
	}
	if (!strcmp(f[0], "module") || !strcmp(f[0], "object")) {
		if (n != 2 || !klp_objname_ok(f[1]))
			goto bad;
	} else if (!strcmp(f[0], "replace")) {
		if (n != 2 || (strcmp(f[1], "0") && strcmp(f[1], "1")))
			goto bad;
	} else if (!strcmp(f[0], "func")) {
		if (n != 4 || !klp_objname_ok(f[1]) || !is_name(f[2]) ||
		    !is_num(f[3]))
			goto bad;
	} else if (!strcmp(f[0], "callback")) {
		if (n != 4 || !klp_objname_ok(f[1]) || !is_name(f[3]) ||
		    (strcmp(f[2], "pre_patch") && strcmp(f[2], "post_patch") &&
		     strcmp(f[2], "pre_unpatch") && strcmp(f[2], "post_unpatch")))
			goto bad;
	} else if (!strcmp(f[0], "state")) {
		if (n != 5 || !is_num(f[1]) || !is_num(f[2]) ||
		    (strcmp(f[3], "block_disable=0") &&
		     strcmp(f[3], "block_disable=1")) ||
		    (strcmp(f[4], "is_shadow=0") && strcmp(f[4], "is_shadow=1")))
			goto bad;
	} else if (!strcmp(f[0], "shadow")) {
		if (n != 2 || !is_num(f[1]))
			goto bad;
	}
	return 0;
bad:
	*why = "malformed";
	return -1;
}

int meta_show(const char *path)
{
	struct elf_file *elf = elf_open(path);
	struct section *sec;
	unsigned long lineno = 0;
	char *text, *line, *next;
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
	len = sec->size;
	while (len && !((char *)sec->data)[len - 1])
		len--;
	text = xstrndup(sec->data, len);
	if (strlen(text) != len) {
		WARN("%s: %s contains NUL bytes", path, KLPGEN_META_SEC);
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	if (!str_starts_with(text, "klpgen-meta 1\n")) {
		WARN("%s: %s does not start with 'klpgen-meta 1'", path,
		     KLPGEN_META_SEC);
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	fputs(text, stdout);
	if (len && text[len - 1] != '\n')
		fputc('\n', stdout);
	for (line = text; *line; line = next) {
		char *why = NULL;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (lineno > 1 && check_line(line, &why)) {
			WARN("%s: %s line %lu: %s", path, KLPGEN_META_SEC,
			     lineno, why);
			ret = EXIT_BAD_INPUT;
		}
	}
out:
	free(text);
	elf_close(elf);
	return ret;
}
