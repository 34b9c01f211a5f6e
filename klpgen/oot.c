// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen kpatch-build --oot-module: patching an out-of-tree module.
 *
 * Kbuild writes an external module's objects beside its sources, so the
 * module's source tree is copied (not hardlinked) to <key>/src, and both
 * builds run there, `make -C KBUILD M=<key>/src modules` with function
 * sections: the same directory gives the same recorded commands and the
 * same __FILE__ strings.  The original build runs once per key and is
 * kept as <key>/orig; each run first syncs it back over <key>/src, then
 * the patched build rebuilds what the patches make stale.  Every object
 * belongs to the module --oot-module names, whose symbol table gives the
 * positions; the livepatch is built against KBUILD.
 *
 * KBUILD is the kernel build directory given with -s, else
 * /lib/modules/<release>/build, the release read from the module's
 * vermagic.  The phases are klpgen build's: build.c, kbuild.c and tree.c
 * hand over to the functions here when b->oot_ko is set.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "elf.h"
#include "klpgen.h"

/* The release in the module's "vermagic=6.1.192 SMP ..." (.modinfo). */
static char *module_release(const char *ko)
{
	struct elf_file *elf = elf_open(ko);
	struct section *mi;
	const char *p, *end;
	char *rel = NULL;

	if (!elf)
		exit(EXIT_BAD_INPUT);	/* elf_open() said why */
	mi = elf_find_section(elf, ".modinfo");
	for (p = mi && mi->data ? mi->data : NULL,
	     end = p ? p + mi->sh.sh_size : NULL;
	     p && p < end && !rel; p += strnlen(p, end - p) + 1)
		if (!strncmp(p, "vermagic=", 9) && p + 9 < end)
			rel = xstrndup(p + 9, strcspn(p + 9, " "));
	elf_close(elf);
	return rel;
}

/* The kernel's name of the module: its file name, '-' as '_'. */
static char *module_name(const char *ko)
{
	char *copy = xstrdup(ko), *base = basename(copy), *name, *c;

	if (str_ends_with(base, ".ko"))
		base[strlen(base) - 3] = '\0';
	name = xstrdup(base);
	for (c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	free(copy);
	return name;
}

/*
 * kpatch-build's inputs to klpgen build's: the module's source is the
 * tree, KBUILD's config and Module.symvers are the kernel's.  Before
 * build_run() resolves the rest.
 */
void oot_inputs(struct build *b, const char *kbuild)
{
	char *p, *rel = NULL;

	b->oot_ko = realpath(b->oot_ko, NULL);
	if (!b->oot_ko)
		die_code(EXIT_BAD_INPUT, "out-of-tree module: %s", strerror(errno));
	if (!kbuild) {
		rel = module_release(b->oot_ko);
		if (!rel)
			die_code(EXIT_BAD_INPUT, "%s has no vermagic: give -s KERNEL_BUILD_DIR",
				 b->oot_ko);
		p = xasprintf("/lib/modules/%s/build", rel);
	} else {
		p = xstrdup(kbuild);
	}
	b->kbuild = realpath(p, NULL);
	free(p);
	p = b->kbuild ? xasprintf("%s/.config", b->kbuild) : NULL;
	if (!p || access(p, R_OK))
		die_code(EXIT_BAD_INPUT, "%s: not a configured kernel build directory (no .config)%s",
			 b->kbuild ? b->kbuild : kbuild ? kbuild : "/lib/modules/<release>/build",
			 kbuild ? "" : ": give -s KERNEL_BUILD_DIR");
	if (!b->config)
		b->config = p;
	else
		free(p);
	b->symvers = xasprintf("%s/Module.symvers", b->kbuild);
	if (access(b->symvers, R_OK))
		die_code(EXIT_BAD_INPUT, "%s: no Module.symvers", b->kbuild);
	if (!b->vmlinux) {
		p = xasprintf("%s/vmlinux", b->kbuild);
		if (!access(p, R_OK))
			b->vmlinux = p;
		else
			free(p);
	}
	if (!b->vmlinux && rel) {
		p = xasprintf("/usr/lib/debug/boot/vmlinux-%s", rel);
		if (!access(p, R_OK))
			b->vmlinux = p;
		else
			free(p);
	}
	free(rel);
}

/*
 * After resolve_inputs(): the module sources include "kpatch-macros.h"
 * from the templates (the kernel's include directory is not ours to
 * write), which makes part of this build's flags and key.
 */
void oot_resolve(struct build *b)
{
	char *file = klpgen_datafile("templates/kpatch-macros.h");
	char *hdr = file ? realpath(file, NULL) : NULL;
	char *flags;

	free(file);

	if (!hdr)
		die_code(EXIT_INTERNAL, "templates/kpatch-macros.h not found (KLPGEN_DATADIR?)");
	*strrchr(hdr, '/') = '\0';
	flags = xasprintf("%s -I%s", b->kcflags, hdr);
	free(b->kcflags);
	b->kcflags = flags;
	free(hdr);
}

static int oot_make(struct build *b, const char *target)
{
	struct strlist argv = { 0 };
	size_t i;
	int rc;

	sl_add(&argv, "make");
	sl_add(&argv, "-C");
	sl_add(&argv, b->kbuild);
	sl_add_own(&argv, xasprintf("M=%s", b->farm));
	sl_add_own(&argv, xasprintf("KCFLAGS=%s", b->kcflags));
	sl_add_own(&argv, xasprintf("-j%d", b->jobs));
	if (b->launcher)
		sl_add_own(&argv, xasprintf("CC=%s gcc", b->launcher));
	sl_add(&argv, target);
	dprintf(b->logfd, "===");
	for (i = 0; i < argv.n; i++)
		dprintf(b->logfd, " %s", argv.v[i]);
	dprintf(b->logfd, "\n");
	rc = spawn_run(argv.v, b->logfd);
	sl_free(&argv);
	return rc;
}

/* A copy of the module's tree, back in its original built state. */
int oot_farm_prepare(struct build *b)
{
	char *done = xasprintf("%s/src.done", b->keydir);
	char *orig_done = xasprintf("%s/orig.done", b->keydir);
	char *tmp = xasprintf("%s.tmp", b->farm);
	char *const cp[] = { "cp", "-a", "--reflink=auto", "--", b->srcdir,
			     tmp, NULL };
	struct stat st;
	int ret = 0;

	free(b->patched);
	b->patched = xstrdup(b->farm);	/* built in place */
	if (access(done, F_OK) || stat(b->farm, &st) < 0) {
		fs_remove_tree(b->farm);
		fs_remove_tree(tmp);
		ret = spawn_run(cp, b->logfd);
		if (!ret && rename(tmp, b->farm) < 0)
			ret = -1;
		if (!ret)
			ret = stamp_write(done, "copy of the module's source tree");
		if (!ret)
			phase_end("copied");
	} else if (!access(orig_done, F_OK)) {
		ret = mirror_sync(b->orig, b->farm);
		if (!ret)
			phase_end("cached, reset to the original build");
	} else {
		phase_end("cached");
	}
	free(done);
	free(orig_done);
	free(tmp);
	return ret;
}

/* 0 cached, 1 built now, else the failure. */
int oot_build_orig(struct build *b)
{
	char *done = xasprintf("%s/orig.done", b->keydir);
	char *s, secs[32];
	double start = kb_now();
	int rc;

	s = fs_read_text(done, NULL);
	if (s) {
		b->orig_seconds = strtod(s, NULL);
		free(s);
		free(done);
		return 0;
	}
	/* objects copied from the user's tree were not built for us */
	rc = oot_make(b, "clean");
	if (!rc)
		rc = oot_make(b, "modules");
	if (!rc)
		rc = mirror_sync(b->farm, b->orig);
	if (!rc) {
		b->orig_seconds = kb_now() - start;
		snprintf(secs, sizeof(secs), "%.1f", b->orig_seconds);
		rc = stamp_write(done, secs);
	}
	free(done);
	return rc ? rc : 1;
}

int oot_build_patched(struct build *b)
{
	return oot_make(b, "modules");
}

/* Every object is the module's; *ko is the running module. */
char *oot_owner(struct build *b, char **ko)
{
	*ko = xstrdup(b->oot_ko);
	return module_name(b->oot_ko);
}
