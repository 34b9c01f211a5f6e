// SPDX-License-Identifier: GPL-2.0
/*
 * What a vmlinux says about itself, read once:
 *   linux_banner  "Linux version 6.1.0-57-cloud-amd64 (...) (gcc-12 ...)
 *                 #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-25)":
 *                 its release (uname -r) and the versions after '#'
 *                 (distributions put the upstream version there);
 *   .comment      "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0" or "Debian clang
 *                 version 16.0.6 (15~deb12u1)": its compiler;
 *   __crc_<sym>   the modversions CRC of every export (4 bytes at the
 *                 symbol; an absolute symbol before 5.19), compared with
 *                 a Module.symvers;
 *   .BTF          whether modules get split BTF against it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "elf.h"
#include "symvers.h"

#define BANNER_MAX 1024

static char *read_banner(struct elf_file *elf)
{
	struct symbol *sym = elf_find_symbol(elf, "linux_banner");
	struct section *sec;
	const char *p;
	size_t off, len;

	if (!sym || !sym->sec || !sym->sec->data)
		return NULL;
	sec = sym->sec;
	if (sym->sym.st_value < sec->sh.sh_addr)
		return NULL;
	off = sym->sym.st_value - sec->sh.sh_addr;
	if (off >= sec->sh.sh_size)
		return NULL;
	p = (const char *)sec->data + off;
	len = strnlen(p, sec->sh.sh_size - off);
	if (len > BANNER_MAX)
		len = BANNER_MAX;
	while (len && (p[len - 1] == '\n' || p[len - 1] == ' '))
		len--;
	if (!str_starts_with(p, "Linux version "))
		return NULL;
	return xstrndup(p, len);
}

static void read_compilers(struct elf_file *elf, struct strlist *out)
{
	struct section *sec = elf_find_section(elf, ".comment");
	const char *p, *end;

	if (!sec || !sec->data)
		return;
	p = sec->data;
	end = p + sec->sh.sh_size;
	for (; p < end; p += strnlen(p, end - p) + 1) {
		size_t len = strnlen(p, end - p);

		/* "GCC: (Debian 12.2.0-14) 12.2.0" -> what follows "GCC: ";
		 * "Debian clang version 16.0.6 (15~deb12u1)" -> all of it */
		if ((len > 5 && str_starts_with(p, "GCC: ")) ||
		    memmem(p, len, "clang version", 13)) {
			bool gcc = str_starts_with(p, "GCC: ");
			char *c = gcc ? xstrndup(p + 5, len - 5) : xstrndup(p, len);

			if (sl_has(out, c))
				free(c);
			else
				sl_add_own(out, c);
		}
	}
}

int elf_compilers(const char *path, struct strlist *out)
{
	struct elf_file *elf = elf_open(path);

	if (!elf)
		return -1;	/* elf_open() said why */
	read_compilers(elf, out);
	elf_close(elf);
	return 0;
}

int vmlinux_identify(const char *path, struct kernel_id *id)
{
	struct elf_file *elf = elf_open(path);

	memset(id, 0, sizeof(*id));
	if (!elf)
		return -1;	/* elf_open() said why */
	id->banner = read_banner(elf);
	if (id->banner) {
		const char *r = id->banner + strlen("Linux version ");

		id->release = xstrndup(r, strcspn(r, " "));
	}
	read_compilers(elf, &id->compilers);
	id->has_btf = elf_find_section(elf, ".BTF") != NULL;
	elf_close(elf);
	return 0;
}

void kernel_id_free(struct kernel_id *id)
{
	free(id->banner);
	free(id->release);
	sl_free(&id->compilers);
	memset(id, 0, sizeof(*id));
}

/* "6.1.192-3" -> 6, 1, 192: how many of the three numbers were there. */
int parse_version(const char *s, int v[3])
{
	char *end;
	int i;

	v[0] = v[1] = v[2] = 0;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*s))
			return i;
		v[i] = strtol(s, &end, 10);
		s = end;
		if (i < 2 && *s != '.')
			return i + 1;
		s++;
	}
	return 3;
}

/*
 * Does the banner belong to Linux @tree ("6.1.192")?  Its release or a
 * version after the '#' build number must have the same V.P.S: Debian's
 * release 6.1.0-57-cloud-amd64 says "Debian 6.1.192-3" there, Ubuntu's
 * "(Ubuntu 5.15.0-91.101-generic 5.15.131)".
 */
bool banner_matches(const struct kernel_id *id, const char *tree)
{
	const char *hash, *p;
	int want[3], got[3];

	if (!id->release || parse_version(tree, want) < 2)
		return false;
	if (parse_version(id->release, got) >= 2 &&
	    !memcmp(want, got, sizeof(got)))
		return true;
	hash = strchr(id->banner, '#');
	for (p = hash; p && *p; p += strcspn(p, " ")) {
		p += strspn(p, " (");
		if (parse_version(p, got) == 3 && !memcmp(want, got, sizeof(got)))
			return true;
	}
	return false;
}

/* "6.1.0-57-cloud-amd64 (6.1.192-3)": the release and versions after '#'. */
char *banner_describe(const struct kernel_id *id)
{
	struct strbuf sb;
	const char *p, *hash;
	int v[3];

	if (!id->release)
		return xstrdup("of an unknown version (no linux_banner)");
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s", id->release);
	hash = strchr(id->banner, '#');
	for (p = hash; p && *p; p += strcspn(p, " )")) {
		p += strspn(p, " ()");
		if (parse_version(p, v) == 3)
			strbuf_addf(&sb, " (%.*s)", (int)strcspn(p, " )"), p);
	}
	return sb.buf;
}

static bool crc_of(struct elf_file *elf, const char *name, uint32_t *crc)
{
	char *cn = xasprintf("__crc_%s", name);
	struct symbol *sym = elf_find_symbol(elf, cn);
	struct section *sec;
	size_t off;

	free(cn);
	if (!sym)
		return false;
	if (!sym->sec) {
		if (sym->shndx != SHN_ABS)
			return false;
		*crc = (uint32_t)sym->sym.st_value;
		return true;
	}
	sec = sym->sec;
	if (!sec->data || sym->sym.st_value < sec->sh.sh_addr)
		return false;
	off = sym->sym.st_value - sec->sh.sh_addr;
	if (off + 4 > sec->sh.sh_size)
		return false;
	memcpy(crc, (const char *)sec->data + off, 4);
	return true;
}

/*
 * Compare the CRCs of @symvers' vmlinux exports with the vmlinux's own.
 * 0: they match (or the vmlinux has none: no MODVERSIONS); -1 with *why
 * set: they differ, or the file cannot be read.
 */
int vmlinux_check_symvers(const char *vmlinux, const char *symvers, char **why)
{
	struct symvers *sv = symvers_load(symvers);
	struct elf_file *elf;
	size_t i, checked = 0, bad = 0;
	const struct symvers_entry *first = NULL;
	uint32_t first_crc = 0;

	*why = NULL;
	if (!sv) {
		*why = xstrdup("cannot be read");
		return -1;
	}
	elf = elf_open(vmlinux);
	if (!elf) {
		symvers_free(sv);
		*why = xstrdup("the vmlinux cannot be read");
		return -1;
	}
	for (i = 0; i < sv->nr_entries; i++) {
		const struct symvers_entry *e = &sv->entries[i];
		uint32_t crc;

		if (strcmp(e->module, "vmlinux") || !crc_of(elf, e->name, &crc))
			continue;
		checked++;
		if (crc != e->crc && !bad++) {
			first = e;
			first_crc = crc;
		}
	}
	if (bad)
		*why = xasprintf("%zu of its %zu vmlinux CRCs differ from the "
				 "vmlinux's, e.g. %s: 0x%08x there, 0x%08x in "
				 "the vmlinux", bad, checked, first->name,
				 first->crc, first_crc);
	DEBUG("%s: %zu CRCs checked against %s, %zu differ", symvers, checked,
	      vmlinux, bad);
	elf_close(elf);
	symvers_free(sv);
	return bad ? -1 : 0;
}
