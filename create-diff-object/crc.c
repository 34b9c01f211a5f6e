// SPDX-License-Identifier: GPL-2.0
/*
 * Export CRCs the patch changes (CONFIG_MODVERSIONS).
 *
 * genksyms' CRC of an export covers the types of its declaration.  When a
 * patch changes one of them (a header change alters the struct behind
 * get_device()), the patched code was compiled against types the running
 * kernel's export does not have, yet the livepatch module is versioned
 * against the running kernel's Module.symvers and loads.  So every export
 * the diff object references by name is looked up in the CRCs of the
 * patched build and, when they differ from the original ones, refused
 * with both.
 *
 * CRCs of the patched build: those PATCHED.o recorded for its own exports
 * (lib/objcrcs: __crc_ symbols, or #SYMVER lines in its .cmd file), then
 * --crcs FILE (Module.symvers format: the rebuilt exporters' CRCs, which
 * klpgen build collects).  An exporter the patched build did not rebuild
 * kept its CRC.  Original CRCs: ORIG.o's own, else --symvers (the running
 * kernel).  A CRC change of one of this object's own exports (both
 * records of this object: a build unlike the running kernel's must not
 * look like a change) is refused too, used or not: a livepatch cannot
 * change the interface of an export.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "objcrcs.h"
#include "symvers.h"

struct crcs {
	struct objcrcs *orig, *patched;
	struct symvers *extra;		/* --crcs */
	struct hashmap done;		/* symbols already checked */
};

static struct crcs *crcs_of(struct cdo *c)
{
	struct crcs *k = c->crcs;

	if (k)
		return k;
	k = c->crcs = xcalloc(1, sizeof(*k));
	k->orig = objcrcs_read(c->orig_path, c->orig);
	k->patched = objcrcs_read(c->patched_path, c->patched);
	if (c->crcs_path) {
		k->extra = symvers_load(c->crcs_path);
		if (!k->extra)	/* symvers_load() said why */
			exit(EXIT_BAD_INPUT);
	}
	hash_init(&k->done, 64);
	DEBUG("CRCs: %zu of ORIG (%s), %zu of PATCHED (%s)%s%s",
	      k->orig->nr, k->orig->source, k->patched->nr,
	      k->patched->source, c->crcs_path ? ", --crcs " : "",
	      c->crcs_path ? c->crcs_path : "");
	return k;
}

/* The CRC in the patched build, and where it came from. */
static bool patched_crc(struct cdo *c, struct crcs *k, const char *name,
			uint32_t *crc, const char **from)
{
	const struct symvers_entry *e;

	if (objcrcs_find(k->patched, name, crc)) {
		*from = c->patched_path;
		return true;
	}
	e = k->extra ? symvers_find(k->extra, name) : NULL;
	if (!e)
		return false;
	*crc = e->crc;
	*from = c->crcs_path;
	return true;
}

static bool orig_crc(struct cdo *c, struct crcs *k, const char *name,
		     uint32_t *crc, const char **from)
{
	if (objcrcs_find(k->orig, name, crc)) {
		*from = c->orig_path;
		return true;
	}
	if (!kernel_symvers_crc(c, name, crc))
		return false;
	*from = c->symvers_path;
	return true;
}

/* Original and patched CRC of @name differ: true, with both. */
static bool crc_changed(struct cdo *c, const char *name, uint32_t *o,
			uint32_t *p, const char **ofrom, const char **pfrom)
{
	struct crcs *k = crcs_of(c);

	return patched_crc(c, k, name, p, pfrom) &&
	       orig_crc(c, k, name, o, ofrom) && *o != *p;
}

void crc_check_reference(struct cdo *c, const char *name,
			 struct section *base, const struct reloc *r)
{
	struct crcs *k = crcs_of(c);
	const char *ofrom, *pfrom;
	struct symbol *fn;
	uint32_t o, p;

	if (hash_find(&k->done, name))
		return;
	hash_add(&k->done, cdo_own(c, xstrdup(name)), (void *)1);
	if (!crc_changed(c, name, &o, &p, &ofrom, &pfrom))
		return;
	fn = r && base ? sym_at(c->patched, base, r->offset) : NULL;
	refuse(c, "%s %s references exported %s, whose CRC the patch changes: 0x%08x originally (%s), 0x%08x patched (%s); a type in its declaration changed, so the patched code was built against types the running kernel's %s does not have",
	       fn ? "function" : "section",
	       fn ? fn->name : (base ? base->name : "?"),
	       name, o, ofrom, p, pfrom, name);
}

void crc_check_exports(struct cdo *c)
{
	struct crcs *k = crcs_of(c);
	const char *ofrom;
	uint32_t o;
	size_t i;

	/* this object's own exports: a livepatch cannot change an interface */
	for (i = 0; i < k->patched->nr; i++) {
		const char *name = k->patched->v[i].name;
		uint32_t p = k->patched->v[i].crc;
		struct symbol *s = elf_find_symbol(c->patched, name);
		struct func *f = NULL;

		while (s && !func_of(s))
			s = elf_find_symbol_next(c->patched, s);
		f = func_of(s);
		/* both records of this object: a build unlike the running
		 * kernel's (other compiler) must not look like a change */
		if (!objcrcs_find(k->orig, name, &o) || o == p)
			continue;
		ofrom = c->orig_path;
		refuse(c, "export %s%s: the patch changes its CRC from 0x%08x (%s) to 0x%08x (%s): a type in its declaration changed, and a livepatch cannot change the interface of an export (the running kernel's callers were built against the old one)",
		       name, f && f->verdict == V_CHANGED ? " (changed function)" : "",
		       o, ofrom, p, c->patched_path);
	}
}

void crc_close(struct cdo *c)
{
	struct crcs *k = c->crcs;

	if (!k)
		return;
	objcrcs_free(k->orig);
	objcrcs_free(k->patched);
	if (k->extra)
		symvers_free(k->extra);
	hash_free(&k->done);
	free(k);
	c->crcs = NULL;
}
