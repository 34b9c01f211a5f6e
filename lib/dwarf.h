/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Struct sizes from DWARF (libdw through libdwfl, so that relocations of
 * ET_REL objects are applied).  Each file is scanned at most once, unit by
 * unit and only as far as needed: the first complete definition of every
 * top-level `struct name` met is cached, and the scan stops at the unit
 * defining the name asked for (the rest of a vmlinux DWARF, hundreds of
 * MB, is not read); asking for many structs costs one pass at most.
 */
#ifndef KLPGEN_DWARF_H
#define KLPGEN_DWARF_H

#include <stddef.h>
#include <stdint.h>

/* sizeof(struct @struct_name) in @path, or -1 if absent / no DWARF. */
long dwarf_struct_size(const char *path, const char *struct_name);

/*
 * Fill sizes[i] for names[i] (-1 if absent).  Returns 0, or -1 if @path
 * cannot be read or has no DWARF (silently: dwarf_error() says why, for a
 * caller that needs the size).
 */
int dwarf_struct_sizes(const char *path, const char **names, long *sizes,
		       size_t n);

/*
 * Source line of the code at @off of section @shndx (ELF index) of @path,
 * an object or vmlinux with DWARF line tables; -1 if unknown.
 */
long dwarf_line_at(const char *path, size_t shndx, uint64_t off);

/* "PATH: no DWARF debug info: ..." if reading @path's DWARF failed, else NULL. */
const char *dwarf_error(const char *path);

/* Close every cached file. */
void dwarf_cache_free(void);

#endif
