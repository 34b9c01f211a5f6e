/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The .modinfo section of a kernel module: NUL-separated "key=value"
 * strings (vermagic=, name=, license=, livepatch=, ...), as
 * include/linux/moduleparam.h writes them.
 */
#ifndef KLPGEN_MODINFO_H
#define KLPGEN_MODINFO_H

#include "elf.h"

/*
 * The value of the first @key in @elf's .modinfo, malloc'd; NULL when the
 * section or the key is missing.
 */
char *modinfo_get(const struct elf_file *elf, const char *key);

/* The kernel release of a vermagic string: its first word (malloc'd). */
char *modinfo_vermagic_release(const char *vermagic);

#endif
