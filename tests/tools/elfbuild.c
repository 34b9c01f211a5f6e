// SPDX-License-Identifier: GPL-2.0
/*
 * elfbuild: drive the editing half of the ELF layer from tests.
 *
 *   elfbuild new OUT        build an object from scratch: .text with
 *                           made_func (calls undefined ext_func), .data
 *                           with a pointer to it, a .klp.sym undefined
 *                           symbol, a comdat group and a linked section
 *   elfbuild edit IN OUT    rename the global symbol "foo" to "foo_v2",
 *                           add a section with a reloc to a new .klp.sym
 *                           symbol, drop .comment, and add a local FUNC
 *                           after the globals (locals must move first)
 */
#include <stdio.h>
#include <string.h>

#include "elf.h"
#include "klpgen-abi.h"
#include "util.h"

static const unsigned char text[] = {
	0xe8, 0, 0, 0, 0,	/* call ext_func */
	0xc3,			/* ret */
	0xc3,			/* local_helper: ret */
};

static int build_new(const char *out)
{
	struct elf_file *elf = elf_create(out);
	struct section *t, *d, *g, *grp, *pfe;
	struct symbol *f, *ext, *klp, *gs;
	uint64_t zero[2] = { 0, 0 };
	uint32_t gflags = GRP_COMDAT;
	int ret;

	t = elf_add_section(elf, ".text.made_func", SHT_PROGBITS,
			    SHF_ALLOC | SHF_EXECINSTR, 16, 0, text,
			    sizeof(text));
	d = elf_add_section(elf, ".data.made_ptr", SHT_PROGBITS,
			    SHF_ALLOC | SHF_WRITE, 8, 0, zero, 16);
	f = elf_add_symbol(elf, "made_func", STB_GLOBAL, STT_FUNC, t, 0, 6);
	elf_add_symbol(elf, "local_helper", STB_LOCAL, STT_FUNC, t, 6, 1);
	elf_add_symbol(elf, "made_ptr", STB_GLOBAL, STT_OBJECT, d, 0, 16);
	ext = elf_add_symbol(elf, "ext_func", STB_GLOBAL, STT_NOTYPE, NULL,
			     0, 0);
	klp = elf_add_symbol(elf, KLP_SYM_PREFIX "vmlinux.saved_command_line,0",
			     STB_GLOBAL, STT_NOTYPE, NULL, 0, 0);
	elf_add_reloc(elf, t, 1, R_X86_64_PLT32, ext, -4);
	elf_add_reloc(elf, d, 0, R_X86_64_64, f, 0);
	elf_add_reloc(elf, elf_rela_section(elf, d), 8, R_X86_64_64,
		      klp, 0);
	elf_section_symbol(elf, t);

	/* A comdat group with one member and its relocations. */
	g = elf_add_section(elf, ".text.grouped", SHT_PROGBITS,
			    SHF_ALLOC | SHF_EXECINSTR | SHF_GROUP, 1, 0,
			    text + 5, 1);
	gs = elf_add_symbol(elf, "grouped", STB_GLOBAL, STT_FUNC, g, 0, 1);
	grp = elf_add_section(elf, ".group", SHT_GROUP, 0, 4, 4, &gflags, 4);
	grp->group_sig = gs;
	grp->group_flags = GRP_COMDAT;
	grp->members = xcalloc(1, sizeof(*grp->members));
	grp->members[grp->nr_members++] = g;
	g->group = grp;

	/* SHF_LINK_ORDER, as __patchable_function_entries has. */
	pfe = elf_add_section(elf, "__patchable_function_entries",
			      SHT_PROGBITS, SHF_ALLOC | SHF_WRITE |
			      SHF_LINK_ORDER, 8, 0, zero, 8);
	pfe->link = t;
	elf_add_reloc(elf, pfe, 0, R_X86_64_64, elf_section_symbol(elf, t), 0);

	ret = elf_write(elf, out);
	elf_close(elf);
	return ret ? 1 : 0;
}

static int edit(const char *in, const char *out)
{
	struct elf_file *elf = elf_open(in);
	struct symbol *foo, *klp;
	struct section *s, *c;
	int ret;

	if (!elf)
		return EXIT_BAD_INPUT;
	foo = elf_find_symbol(elf, "foo");
	if (!foo) {
		WARN("%s: no symbol foo", in);
		elf_close(elf);
		return 1;
	}
	elf_rename_symbol(elf, foo, "foo_v2");
	klp = elf_add_symbol(elf, KLP_SYM_PREFIX "vmlinux.counter,1",
			     STB_GLOBAL, STT_NOTYPE, NULL, 0, 0);
	s = elf_add_section(elf, ".klpgen.test", SHT_PROGBITS, SHF_ALLOC, 8,
			    0, NULL, 16);
	elf_add_reloc(elf, s, 0, R_X86_64_64, klp, 0);
	elf_add_reloc(elf, s, 8, R_X86_64_64, foo, 0);
	elf_add_symbol(elf, "late_local", STB_LOCAL, STT_OBJECT, s, 8, 8);
	c = elf_find_section(elf, ".comment");
	if (c)
		c->removed = true;
	ret = elf_write(elf, out);
	/* The model is renumbered and still usable after a write. */
	if (!ret && (elf_find_section(elf, ".comment") ||
		     elf_find_symbol(elf, "foo") ||
		     elf_find_symbol(elf, "foo_v2") != foo ||
		     elf_symbol_at(elf, foo->index) != foo))
		ret = -1;
	elf_close(elf);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	tool_name = "elfbuild";
	if (argc == 3 && !strcmp(argv[1], "new"))
		return build_new(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "edit"))
		return edit(argv[2], argv[3]);
	fprintf(stderr, "usage: elfbuild new OUT | elfbuild edit IN OUT\n");
	return EXIT_BAD_INPUT;
}
