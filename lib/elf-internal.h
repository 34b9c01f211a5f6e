/* SPDX-License-Identifier: GPL-2.0 */
/* Private helpers shared by the lib/elf-*.c files. */
#ifndef KLPGEN_ELF_INTERNAL_H
#define KLPGEN_ELF_INTERNAL_H

#include "elf.h"

/* "path: message" on stderr; returns -1 for `return elf_err(...)`. */
int elf_err(const struct elf_file *elf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void elf_push_section(struct elf_file *elf, struct section *sec);
void elf_push_symbol(struct elf_file *elf, struct symbol *sym);
void elf_free_section(struct elf_file *elf, struct section *sec);
void elf_free_symbol(struct elf_file *elf, struct symbol *sym);
void elf_index_symbol(struct elf_file *elf, struct symbol *sym);

#endif
