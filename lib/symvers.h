/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module.symvers: one exported symbol a line,
 *   crc <TAB> symbol <TAB> module <TAB> export_type [<TAB> namespace]
 * module is "vmlinux" for built-in symbols.
 */
#ifndef KLPGEN_SYMVERS_H
#define KLPGEN_SYMVERS_H

#include <stdint.h>

#include "hash.h"

struct symvers_entry {
	const char *name;
	const char *module;	/* "vmlinux" for built-in */
	const char *export_type;	/* EXPORT_SYMBOL, EXPORT_SYMBOL_GPL */
	const char *namespace;	/* "" when none */
	uint32_t crc;
};

struct symvers {
	char *path;
	char *text;		/* the file, split in place */
	struct symvers_entry *entries;
	size_t nr_entries;
	struct hashmap by_name;
};

/* NULL (with a message naming file and line) if unreadable or malformed. */
struct symvers *symvers_load(const char *path);
const struct symvers_entry *symvers_find(const struct symvers *sv,
					 const char *name);
void symvers_free(struct symvers *sv);

#endif
