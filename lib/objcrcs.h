/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The symbol CRCs (CONFIG_MODVERSIONS) a kernel build recorded for the
 * exports of one object.  Where genksyms' results go depends on the
 * kernel: up to 5.18 the object itself carries them as absolute
 * "__crc_<symbol>" symbols; since 5.19 (6.1, 6.12 ...) they are
 * "#SYMVER <symbol> <crc>" lines in the object's Kbuild command file
 * ".<name>.o.cmd" beside it, which modpost reads.
 */
#ifndef KLPGEN_OBJCRCS_H
#define KLPGEN_OBJCRCS_H

#include <stdbool.h>
#include <stdint.h>

#include "elf.h"
#include "hash.h"

struct objcrc {
	char *name;
	uint32_t crc;
};

struct objcrcs {
	struct objcrc *v;
	size_t nr, cap;
	struct hashmap by_name;
	const char *source;	/* "__crc_ symbols" or the .cmd path */
	char *cmd_path;
};

/*
 * The CRCs of @obj_path (@elf: the same file already open, or NULL).
 * Never NULL; empty when the build recorded none.
 */
struct objcrcs *objcrcs_read(const char *obj_path, const struct elf_file *elf);
bool objcrcs_find(const struct objcrcs *oc, const char *name, uint32_t *crc);
void objcrcs_free(struct objcrcs *oc);

#endif
