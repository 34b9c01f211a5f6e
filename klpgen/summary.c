// SPDX-License-Identifier: GPL-2.0
/*
 * The one-screen summary of klpgen build, read back from the diff objects:
 * changed functions (__klpgen_new.* aliases), new functions, callbacks
 * (__klpgen_cb_* aliases), declared states and shadow variable ids (the
 * .klpgen.states / .klpgen.shadow_ids records of klpgen-patch.h), declared
 * reverts (.klpgen.reverts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "elf.h"
#include "klpgen-abi.h"

struct summary {
	struct strlist changed, added, callbacks, states, shadows, reverts;
};

/* "__klpgen_cb_post_unpatch_fn" -> "fn (post_unpatch)" */
static void add_callback(struct summary *s, const char *alias)
{
	enum klp_cb_kind kind;
	const char *fn;

	if (!klpgen_cb_name_parse(alias, &kind, &fn))
		sl_add_own(&s->callbacks, xasprintf("%s (%s)", fn,
						    klp_cb_kinds[kind]));
	else
		sl_add(&s->callbacks, alias + strlen(KLPGEN_CB_PREFIX));
}

/*
 * Is @base (a function name without its gcc suffixes) one of the changed
 * functions ("func" or "module:func"), compared without suffixes too, so
 * that foo.cold and foo.isra.0 count as pieces of a changed foo.isra.0?
 */
static bool is_changed(const struct summary *s, const char *base)
{
	size_t j, len = strlen(base);

	for (j = 0; j < s->changed.n; j++) {
		const char *c = strchr(s->changed.v[j], ':');

		c = c ? c + 1 : s->changed.v[j];
		if (strcspn(c, ".") == len && !strncmp(c, base, len))
			return true;
	}
	return false;
}

static void summarize_object(struct summary *s, const char *path)
{
	struct elf_file *elf = elf_open(path);
	struct section *sec;
	size_t i, off;

	if (!elf)
		return;
	for (i = 0; i < elf->nr_syms; i++) {
		struct symbol *sym = elf->syms[i];
		const char *n = sym->name;
		struct klpgen_new_name nn;
		const char *why;

		if (is_klpgen_new_name(n)) {
			/* klpgen module refuses a malformed one */
			if (klpgen_new_name_parse(n, &nn, &why))
				continue;
			if (!strcmp(nn.obj, "vmlinux"))
				sl_add(&s->changed, nn.func);
			else
				sl_add_own(&s->changed, xasprintf("%s:%s",
					   nn.obj, nn.func));
			klpgen_new_name_free(&nn);
		} else if (is_klpgen_cb_name(n)) {
			add_callback(s, n);
		}
	}
	for (i = 0; i < elf->nr_syms; i++) {
		struct symbol *sym = elf->syms[i];
		char *base;

		if (sym->type != STT_FUNC || !sym->sec ||
		    str_starts_with(sym->name, "__klpgen"))
			continue;
		/* foo.cold, foo.part.0 ... are pieces of foo */
		base = xstrndup(sym->name, strcspn(sym->name, "."));
		if (!is_changed(s, base) && !sl_has(&s->added, base))
			sl_add_own(&s->added, base);
		else
			free(base);
	}
	sec = elf_find_section(elf, KLPGEN_STATES_SEC);
	for (off = 0; sec && sec->data &&
	     off < sec->sh.sh_size / KLPGEN_RECORD_SIZE; off++) {
		struct klpgen_state_rec st;

		/* klpgen module refused malformed ones */
		if (!klpgen_state_rec(sec->data, off, &st))
			sl_add_own(&s->states, xasprintf("%#llx v%u",
				   (unsigned long long)st.id, st.version));
	}
	sec = elf_find_section(elf, KLPGEN_REVERTS_SEC);
	if (sec)	/* klpgen module refused malformed ones */
		klpgen_reverts_read(sec->data, sec->sh.sh_size, &s->reverts);
	sec = elf_find_section(elf, KLPGEN_SHADOW_SEC);
	for (off = 0; sec && sec->data &&
	     off < sec->sh.sh_size / KLPGEN_RECORD_SIZE; off++) {
		struct klpgen_shadow_rec sh;

		klpgen_shadow_rec(sec->data, off, &sh);
		sl_add_own(&s->shadows, xasprintf("%#llx",
			   (unsigned long long)sh.id));
	}
	elf_close(elf);
}

static void print_list(const char *what, const struct strlist *l)
{
	size_t i, col;

	printf("  %-20s", what);
	if (!l->n)
		printf("none");
	for (i = 0, col = 22; i < l->n; i++) {
		size_t len = strlen(l->v[i]) + 2;

		if (i && col + len > 78) {
			printf(",\n  %-20s", "");
			col = 22;
		} else if (i) {
			printf(", ");
		}
		printf("%s", l->v[i]);
		col += len;
	}
	printf("\n");
}

void kb_print_summary(struct build *b)
{
	struct summary s = { 0 };
	struct strlist objs = { 0 };
	size_t i;

	for (i = 0; i < b->diffs.n; i++) {
		char *on = xstrndup(b->diffs.v[i], strcspn(b->diffs.v[i], "="));

		if (!sl_has(&objs, on))
			sl_add(&objs, on);
		free(on);
		summarize_object(&s, strchr(b->diffs.v[i], '=') + 1);
	}
	printf("\nklpgen: %s/%s.ko\n", b->outdir, b->name);
	print_list("patched objects", &objs);
	print_list("changed functions", &s.changed);
	print_list("new functions", &s.added);
	print_list("callbacks", &s.callbacks);
	print_list("states", &s.states);
	print_list("shadow variable ids", &s.shadows);
	if (s.reverts.n)
		print_list("reverted functions", &s.reverts);
	printf("  %-20s%s\n", "replace", b->replace ?
	       "yes (atomic replace: disables earlier livepatches)" :
	       "no (-R: stacks on earlier livepatches)");
	sl_free(&objs);
	sl_free(&s.changed);
	sl_free(&s.added);
	sl_free(&s.callbacks);
	sl_free(&s.states);
	sl_free(&s.shadows);
	sl_free(&s.reverts);
}
