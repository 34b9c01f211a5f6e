// SPDX-License-Identifier: GPL-2.0
/*
 * --explain FILE.json: every function with its verdict and reason, the
 * included sections and the refusals.  A small hand-written JSON writer;
 * strings are escaped (quotes, backslashes, control and non-ASCII bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "klpgen-abi.h"

static void jstr(struct strbuf *sb, const char *s)
{
	const unsigned char *p;

	if (!s) {
		strbuf_addf(sb, "null");
		return;
	}
	strbuf_add(sb, "\"", 1);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			strbuf_add(sb, "\\\"", 2);
			break;
		case '\\':
			strbuf_add(sb, "\\\\", 2);
			break;
		case '\n':
			strbuf_add(sb, "\\n", 2);
			break;
		case '\t':
			strbuf_add(sb, "\\t", 2);
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				strbuf_addf(sb, "\\u%04x", *p);
			else
				strbuf_add(sb, p, 1);
		}
	}
	strbuf_add(sb, "\"", 1);
}

static void jfield(struct strbuf *sb, const char *key, const char *val,
		   bool comma)
{
	if (comma)
		strbuf_add(sb, ", ", 2);
	jstr(sb, key);
	strbuf_add(sb, ": ", 2);
	jstr(sb, val);
}

static void func_json(const struct cdo *c, struct strbuf *sb,
		      const struct func *f, bool *first)
{
	const struct func *parent = func_parent(c, f);

	strbuf_addf(sb, "%s\n    {", *first ? "" : ",");
	*first = false;
	jfield(sb, "name", f->sym->name, false);
	jfield(sb, "section", f->sym->sec ? f->sym->sec->name : "", true);
	jfield(sb, "verdict", verdict_name(f->verdict), true);
	if (f->reason)
		jfield(sb, "reason", f->reason, true);
	if (f->note)
		jfield(sb, "note", f->note, true);
	if (parent)
		jfield(sb, "clone_of", parent->sym->name, true);
	strbuf_add(sb, "}", 1);
}

int write_explain(struct cdo *c)
{
	struct strbuf sb;
	bool first = true;
	const char *result;
	size_t i;
	int ret;

	if (c->nr_refusals)
		result = "refused";
	else if (!c->nr_changed && !c->nr_new && !c->has_klpgen)
		result = "no-change";
	else
		result = "written";
	strbuf_init(&sb);
	strbuf_addf(&sb, "{\n  ");
	jfield(&sb, "tool", "create-diff-object", false);
	strbuf_addf(&sb, ",\n  ");
	jfield(&sb, "objname", c->objname, false);
	strbuf_addf(&sb, ",\n  ");
	jfield(&sb, "orig", c->orig_path, false);
	jfield(&sb, "patched", c->patched_path, true);
	jfield(&sb, "output", c->out_path, true);
	strbuf_addf(&sb, ",\n  ");
	jfield(&sb, "result", result, false);
	strbuf_addf(&sb, ",\n  \"functions\": [");
	for (i = 0; i < c->nr_funcs; i++) {
		const struct func *f = &c->funcs[i];

		if (f->is_patched || !f->twin)
			func_json(c, &sb, f, &first);
	}
	strbuf_addf(&sb, "\n  ],\n  \"included_sections\": [");
	first = true;
	for (i = 0; i < c->patched->nr_secs; i++) {
		struct section *s = c->patched->secs[i];

		if (!s->include)
			continue;
		strbuf_addf(&sb, "%s\n    ", first ? "" : ",");
		jstr(&sb, s->name);
		first = false;
	}
	for (i = 0; i < c->patched->nr_syms; i++) {
		struct symbol *s = c->patched->syms[i];
		char *d;

		if (!s->include || !s->sec || s->sec->include)
			continue;
		d = xasprintf("%s(%s)", s->sec->name, s->name);
		strbuf_addf(&sb, "%s\n    ", first ? "" : ",");
		jstr(&sb, d);
		free(d);
		first = false;
	}
	for (i = 0; i < c->nr_specials; i++) {
		struct special *sp = &c->specials[i];

		if (!sp->is_patched || !sp->nr_included)
			continue;
		strbuf_addf(&sb, "%s\n    ", first ? "" : ",");
		jstr(&sb, sp->sec->name);
		first = false;
	}
	strbuf_addf(&sb, "\n  ],\n  \"special_entries\": [");
	first = true;
	for (i = 0; i < c->nr_specials; i++) {
		struct special *sp = &c->specials[i];

		if (!sp->is_patched)
			continue;
		strbuf_addf(&sb, "%s\n    {", first ? "" : ",");
		jfield(&sb, "section", sp->sec->name, false);
		strbuf_addf(&sb, ", \"entsize\": %zu, \"entries\": %zu, \"included\": %zu}",
			    sp->entsize, sp->nr, sp->nr_included);
		first = false;
	}
	strbuf_addf(&sb, "\n  ],\n  \"references\": [");
	first = true;
	for (i = 0; c->out && i < c->out->nr_syms; i++) {
		struct symbol *s = c->out->syms[i];

		if (!s->name[0] || !sym_is_undefined(s) || s->type == STT_SECTION)
			continue;
		strbuf_addf(&sb, "%s\n    {", first ? "" : ",");
		jfield(&sb, "name", s->name, false);
		jfield(&sb, "kind", is_klp_sym_name(s->name) ?
		       "klp" : "exported", true);
		strbuf_add(&sb, "}", 1);
		first = false;
	}
	strbuf_addf(&sb, "\n  ],\n  \"refusals\": [");
	for (i = 0; i < c->nr_refusals; i++) {
		strbuf_addf(&sb, "%s\n    ", i ? "," : "");
		jstr(&sb, c->refusals[i].msg);
	}
	strbuf_addf(&sb, "\n  ]\n}\n");
	/* write_file_atomic() says why it failed */
	ret = write_file_atomic(c->explain_path, sb.buf, sb.len, 0644);
	strbuf_free(&sb);
	return ret;
}
