// SPDX-License-Identifier: GPL-2.0
/*
 * klp-convert: turn references to symbols a livepatch module cannot link
 * against into klp relocations.  main() parses options and dispatches.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "fs.h"
#include "klp-convert.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out,
"usage: klp-convert [options] IN OUT\n"
"       klp-convert --show-meta FILE.ko\n"
"\n"
"Moves relocations against undefined .klp.sym.<obj>.<name>,<pos> symbols\n"
"into .klp.rela.<obj>.<section> sections and marks the symbols\n"
"SHN_LIVEPATCH.  IN and OUT are .o or .ko files; OUT may equal IN.\n"
"\n"
"  --vmlinux FILE         check vmlinux symbols against FILE\n"
"  --module NAME=FILE.ko  check symbols of module NAME against FILE.ko\n"
"                         (repeatable)\n"
"  --symvers FILE         vmlinux exports listed in FILE (Module.symvers)\n"
"                         stay ordinary relocations\n"
"  --sym NAME=OBJ[,POS]   treat the undefined symbol NAME as symbol NAME\n"
"                         of object OBJ (repeatable)\n"
"  --prelink              only apply --sym and --symvers and check the\n"
"                         symbols; klp symbols stay undefined, for an\n"
"                         object that is still to be linked into a module\n"
"  --show-meta FILE       print the .klpgen.meta section of FILE, checked\n"
"  --debug                say more\n"
"  -h, --help             this help\n"
"\n"
"Exit status: 0 done, 2 bad input (including unresolvable symbols),\n"
"4 refused (the kernel could not apply a klp relocation), 1 internal.\n");
}

static void add_target(struct conv_opts *o, const char *name, const char *path)
{
	struct target *t;

	if (target_find(o, name))
		die_code(EXIT_BAD_INPUT, "object %s given twice", name);
	o->targets = xrealloc(o->targets, (o->nr_targets + 1) * sizeof(*t));
	t = &o->targets[o->nr_targets++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->path = xstrdup(path);
}

static char *module_name(const char *s, size_t len)
{
	char *name = klp_objname_dup(s, len);

	if (!klp_objname_ok(name) || !strcmp(name, "vmlinux"))
		die_code(EXIT_BAD_INPUT, "invalid object name '%s'", name);
	return name;
}

static void parse_module(struct conv_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *name;

	if (!eq || eq == arg || !eq[1])
		die_code(EXIT_BAD_INPUT, "--module wants NAME=FILE.ko, not '%s'", arg);
	name = module_name(arg, eq - arg);
	add_target(o, name, eq + 1);
	free(name);
}

static void parse_sym(struct conv_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '='), *comma, *why;
	char *klp;
	struct user_sym *us;

	if (!eq || eq == arg || !eq[1])
		die_code(EXIT_BAD_INPUT, "--sym wants NAME=OBJ[,POS], not '%s'", arg);
	o->syms = xrealloc(o->syms, (o->nr_syms + 1) * sizeof(*us));
	us = &o->syms[o->nr_syms++];
	memset(us, 0, sizeof(*us));
	us->name = xstrndup(arg, eq - arg);
	comma = strchr(eq + 1, ',');
	if (comma) {
		/* a digit first: strtoul() would take a sign or spaces */
		if (comma[1] < '0' || comma[1] > '9' ||
		    !cmd_ulong(comma + 1, 10, &us->pos))
			die_code(EXIT_BAD_INPUT, "--sym %s: bad position '%s'",
				 us->name, comma + 1);
		us->has_pos = true;
	} else {
		comma = eq + 1 + strlen(eq + 1);
	}
	us->obj = strcmp(eq + 1, "vmlinux") && strncmp(eq + 1, "vmlinux,", 8) ?
		  module_name(eq + 1, comma - eq - 1) :
		  xstrdup("vmlinux");
	/* the klp symbol it becomes must be one the kernel reads back */
	klp = klp_sym_name(us->obj, us->name, us->pos, &why);
	if (!klp)
		die_code(EXIT_BAD_INPUT, "--sym %s: not usable as a klp symbol: the name %s",
			 us->name, why);
	free(klp);
}

/* OUT may be IN (converted in place), never a file checked against. */
static void check_out_path(const struct conv_opts *o, const char *out)
{
	size_t i;

	for (i = 0; i < o->nr_targets; i++)
		if (fs_same_file(out, o->targets[i].path))
			die_code(EXIT_BAD_INPUT, "%s: OUT is the same file as %s (%s); refusing to overwrite it",
				 out, o->targets[i].name, o->targets[i].path);
	if (o->symvers && fs_same_file(out, o->symvers))
		die_code(EXIT_BAD_INPUT, "%s: OUT is the same file as --symvers %s; refusing to overwrite it",
			 out, o->symvers);
}

int main(int argc, char **argv)
{
	enum { OPT_VMLINUX = 256, OPT_MODULE, OPT_SYMVERS, OPT_SYM, OPT_DEBUG,
	       OPT_SHOW_META, OPT_PRELINK };
	static const struct option longopts[] = {
		{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
		{ "module", required_argument, NULL, OPT_MODULE },
		{ "symvers", required_argument, NULL, OPT_SYMVERS },
		{ "sym", required_argument, NULL, OPT_SYM },
		{ "show-meta", required_argument, NULL, OPT_SHOW_META },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "prelink", no_argument, NULL, OPT_PRELINK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct conv_opts o = { 0 };
	const char *vmlinux = NULL, *meta = NULL;
	size_t i;
	int c, ret;

	tool_name = "klp-convert";
	argv[0] = (char *)tool_name;	/* getopt's messages name the tool */
	while ((c = cmd_getopt(argc, argv, "h", longopts, usage)) != -1) {
		switch (c) {
		case OPT_VMLINUX:
			vmlinux = optarg;
			break;
		case OPT_MODULE:
			parse_module(&o, optarg);
			break;
		case OPT_SYMVERS:
			o.symvers = optarg;
			break;
		case OPT_SYM:
			parse_sym(&o, optarg);
			break;
		case OPT_SHOW_META:
			meta = optarg;
			break;
		case OPT_DEBUG:
			debug_level++;
			break;
		case OPT_PRELINK:
			o.prelink = true;
			break;
		}
	}
	if (meta) {
		if (optind != argc)
			die_code(EXIT_BAD_INPUT,
				 "--show-meta takes no other arguments (see --help)");
		return meta_show(meta);
	}
	if (argc - optind != 2)
		die_code(EXIT_BAD_INPUT,
			 "expected IN OUT, got %d arguments (see --help)",
			 argc - optind);
	if (vmlinux)
		add_target(&o, "vmlinux", vmlinux);
	check_out_path(&o, argv[optind + 1]);

	ret = klp_convert(&o, argv[optind], argv[optind + 1]);

	for (i = 0; i < o.nr_targets; i++) {
		free(o.targets[i].name);
		free(o.targets[i].path);
	}
	free(o.targets);
	for (i = 0; i < o.nr_syms; i++) {
		free(o.syms[i].name);
		free(o.syms[i].obj);
	}
	free(o.syms);
	return ret;
}
