// SPDX-License-Identifier: GPL-2.0
/*
 * .klpgen.meta: parse, format and read from a module (format in
 * klpgen-meta.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "klpgen-abi.h"
#include "klpgen-meta.h"
#include "util.h"

#define MAX_FIELDS	8

#define GROW(arr, nr) \
	((arr) = xrealloc((arr), ((nr) + 1) * sizeof(*(arr))), &(arr)[(nr)++])

bool meta_token_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > 255)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && *v <= max;
}

static bool parse_flag(const char *s, const char *name, bool *v)
{
	size_t n = strlen(name);

	if (strncmp(s, name, n) || s[n] != '=' ||
	    (strcmp(s + n + 1, "0") && strcmp(s + n + 1, "1")))
		return false;
	*v = s[n + 1] == '1';
	return true;
}

void meta_add_object(struct klpgen_meta *m, const char *obj)
{
	*GROW(m->objects, m->nr_objects) = xstrdup(obj);
}

void meta_add_func(struct klpgen_meta *m, const char *obj, const char *name,
		   unsigned long sympos)
{
	struct meta_func *f = GROW(m->funcs, m->nr_funcs);

	f->obj = xstrdup(obj);
	f->name = xstrdup(name);
	f->sympos = sympos;
}

void meta_add_callback(struct klpgen_meta *m, const char *obj,
		       const char *kind, const char *func)
{
	struct meta_callback *cb = GROW(m->callbacks, m->nr_callbacks);

	cb->obj = xstrdup(obj);
	cb->kind = xstrdup(kind);
	cb->func = xstrdup(func);
}

void meta_add_state(struct klpgen_meta *m, const struct meta_state *st)
{
	*GROW(m->states, m->nr_states) = *st;
}

void meta_add_shadow(struct klpgen_meta *m, uint64_t id)
{
	*GROW(m->shadows, m->nr_shadows) = id;
}

void meta_add_patch(struct klpgen_meta *m, const char *name)
{
	*GROW(m->patches, m->nr_patches) = xstrdup(name);
}

void meta_add_revert(struct klpgen_meta *m, const char *obj, const char *func)
{
	struct meta_revert *r = GROW(m->reverts, m->nr_reverts);

	r->obj = xstrdup(obj);
	r->func = xstrdup(func);
}

void meta_add_tie(struct klpgen_meta *m, uint64_t shadow, uint64_t state)
{
	struct meta_tie *t = GROW(m->ties, m->nr_ties);

	t->shadow = shadow;
	t->state = state;
}

void meta_add_state_field(struct klpgen_meta *m, const char *field)
{
	*GROW(m->state_fields, m->nr_state_fields) = xstrdup(field);
}

bool meta_has_state_field(const struct klpgen_meta *m, const char *field)
{
	size_t i;

	for (i = 0; i < m->nr_state_fields; i++)
		if (!strcmp(m->state_fields[i], field))
			return true;
	return false;
}

/* A struct member name: [a-z_][a-z0-9_]*, at most 64 bytes. */
static bool field_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n <= 64 && !(s[0] >= '0' && s[0] <= '9') &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* One record, split at single spaces; NULL if fine, else why not. */
static const char *parse_record(struct klpgen_meta *m, char *line,
				bool *seen_module, bool *seen_replace)
{
	static const char *const known[] = {
		"module", "replace", "object", "func", "callback", "state",
		"shadow", "version", "kernel", "patch", "revert", "shadow_state",
		"state_fields",
	};
	char *f[MAX_FIELDS + 1], *p = line;
	struct meta_state st = { 0 };
	size_t i, kw = strcspn(line, " ");
	uint64_t v;
	int n = 0;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == kw && !strncmp(line, known[i], kw))
			break;
	if (i == sizeof(known) / sizeof(known[0])) {
		/* A newer writer's record: keep it as it was. */
		*GROW(m->extra, m->nr_extra) = xstrdup(line);
		return NULL;
	}
	for (;;) {
		if (n == MAX_FIELDS + 1)
			return "too many fields";
		f[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (!strcmp(f[0], "module")) {
		if (n != 2 || !klp_objname_ok(f[1]) || *seen_module)
			return "malformed module record";
		*seen_module = true;
		m->module = xstrdup(f[1]);
	} else if (!strcmp(f[0], "replace")) {
		if (n != 2 || (strcmp(f[1], "0") && strcmp(f[1], "1")) ||
		    *seen_replace)
			return "malformed replace record";
		*seen_replace = true;
		m->replace = f[1][0] == '1';
	} else if (!strcmp(f[0], "object")) {
		if (n != 2 || !klp_objname_ok(f[1]))
			return "malformed object record";
		meta_add_object(m, f[1]);
	} else if (!strcmp(f[0], "func")) {
		if (n != 4 || !klp_objname_ok(f[1]) || !klp_symname_ok(f[2]) ||
		    !parse_u64(f[3], ULONG_MAX, &v))
			return "malformed func record";
		meta_add_func(m, f[1], f[2], v);
	} else if (!strcmp(f[0], "callback")) {
		if (n != 4 || !klp_objname_ok(f[1]) ||
		    klp_cb_kind_of(f[2]) < 0 || !klp_symname_ok(f[3]))
			return "malformed callback record";
		meta_add_callback(m, f[1], f[2], f[3]);
	} else if (!strcmp(f[0], "state")) {
		if (n != 5 || !parse_u64(f[1], UINT64_MAX, &st.id) ||
		    !parse_u64(f[2], UINT32_MAX, &v) ||
		    !parse_flag(f[3], "block_disable", &st.block_disable) ||
		    !parse_flag(f[4], "is_shadow", &st.is_shadow))
			return "malformed state record";
		st.version = v;
		meta_add_state(m, &st);
	} else if (!strcmp(f[0], "shadow")) {
		if (n != 2 || !parse_u64(f[1], UINT64_MAX, &v))
			return "malformed shadow record";
		meta_add_shadow(m, v);
	} else if (!strcmp(f[0], "version") || !strcmp(f[0], "kernel")) {
		char **dst = f[0][0] == 'v' ? &m->version : &m->kernel;

		if (n != 2 || !meta_token_ok(f[1]) || *dst)
			return f[0][0] == 'v' ? "malformed version record" :
				"malformed kernel record";
		*dst = xstrdup(f[1]);
	} else if (!strcmp(f[0], "patch")) {
		if (n != 2 || !meta_token_ok(f[1]))
			return "malformed patch record";
		meta_add_patch(m, f[1]);
	} else if (!strcmp(f[0], "revert")) {
		if (n != 3 || !klp_objname_ok(f[1]) || !klp_symname_ok(f[2]))
			return "malformed revert record";
		meta_add_revert(m, f[1], f[2]);
	} else if (!strcmp(f[0], "shadow_state")) {
		if (n != 3 || !parse_u64(f[1], UINT64_MAX, &v) ||
		    !parse_u64(f[2], UINT64_MAX, &st.id) || !st.id)
			return "malformed shadow_state record";
		meta_add_tie(m, v, st.id);
	} else if (!strcmp(f[0], "state_fields")) {
		if (n < 2 || m->state_fields)
			return "malformed state_fields record";
		for (i = 1; i < (size_t)n; i++) {
			if (!field_ok(f[i]))
				return "malformed state_fields record";
			meta_add_state_field(m, f[i]);
		}
	}
	return NULL;
}

int meta_parse(const char *text, size_t len, struct klpgen_meta *m,
	       unsigned long *line, const char **why)
{
	bool seen_module = false, seen_replace = false;
	char *copy, *p, *next;
	unsigned long lineno = 0;

	memset(m, 0, sizeof(*m));
	*why = NULL;
	while (len && !text[len - 1])
		len--;
	if (memchr(text, '\0', len)) {
		*line = 0;
		*why = "contains NUL bytes";
		return -1;
	}
	copy = xstrndup(text, len);
	for (p = copy; *p && !*why; p = next) {
		lineno++;
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		else
			next = p + strlen(p);
		if (lineno == 1) {
			if (strcmp(p, "klpgen-meta 1"))
				*why = "does not start with 'klpgen-meta 1'";
			continue;
		}
		*why = parse_record(m, p, &seen_module, &seen_replace);
	}
	if (!*why && !lineno)
		*why = "is empty";
	else if (!*why && !seen_module)
		*why = "has no module record";
	free(copy);
	*line = lineno;
	if (!*why)
		return 0;
	meta_free(m);
	return -1;
}

/* Does any of @m's objects carry the name @obj? */
static bool has_object(const struct klpgen_meta *m, const char *obj)
{
	size_t i;

	for (i = 0; i < m->nr_objects; i++)
		if (!strcmp(m->objects[i], obj))
			return true;
	return false;
}

/* func and callback records of @obj, or of no listed object if NULL. */
static void format_object(struct strbuf *sb, const struct klpgen_meta *m,
			  const char *obj)
{
	size_t i;

	for (i = 0; i < m->nr_funcs; i++)
		if (obj ? !strcmp(m->funcs[i].obj, obj) :
		    !has_object(m, m->funcs[i].obj))
			strbuf_addf(sb, "func %s %s %lu\n", m->funcs[i].obj,
				    m->funcs[i].name, m->funcs[i].sympos);
	for (i = 0; i < m->nr_callbacks; i++)
		if (obj ? !strcmp(m->callbacks[i].obj, obj) :
		    !has_object(m, m->callbacks[i].obj))
			strbuf_addf(sb, "callback %s %s %s\n",
				    m->callbacks[i].obj, m->callbacks[i].kind,
				    m->callbacks[i].func);
}

char *meta_format(const struct klpgen_meta *m, size_t *len)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	strbuf_addf(&sb, "klpgen-meta %d\nmodule %s\nreplace %d\n",
		    KLPGEN_META_VERSION, m->module, m->replace ? 1 : 0);
	for (i = 0; i < m->nr_objects; i++)
		strbuf_addf(&sb, "object %s\n", m->objects[i]);
	/* Grouped by object, as a reader of klp_object lists expects. */
	for (i = 0; i < m->nr_objects; i++)
		format_object(&sb, m, m->objects[i]);
	format_object(&sb, m, NULL);
	for (i = 0; i < m->nr_reverts; i++)
		strbuf_addf(&sb, "revert %s %s\n", m->reverts[i].obj,
			    m->reverts[i].func);
	if (m->state_fields) {
		strbuf_addf(&sb, "state_fields");
		for (i = 0; i < m->nr_state_fields; i++)
			strbuf_addf(&sb, " %s", m->state_fields[i]);
		strbuf_addf(&sb, "\n");
	}
	for (i = 0; i < m->nr_states; i++)
		strbuf_addf(&sb, "state %llu %u block_disable=%d is_shadow=%d\n",
			    (unsigned long long)m->states[i].id,
			    m->states[i].version, m->states[i].block_disable,
			    m->states[i].is_shadow);
	for (i = 0; i < m->nr_shadows; i++)
		strbuf_addf(&sb, "shadow %llu\n",
			    (unsigned long long)m->shadows[i]);
	for (i = 0; i < m->nr_ties; i++)
		strbuf_addf(&sb, "shadow_state %llu %llu\n",
			    (unsigned long long)m->ties[i].shadow,
			    (unsigned long long)m->ties[i].state);
	if (m->version)
		strbuf_addf(&sb, "version %s\n", m->version);
	if (m->kernel)
		strbuf_addf(&sb, "kernel %s\n", m->kernel);
	for (i = 0; i < m->nr_patches; i++)
		strbuf_addf(&sb, "patch %s\n", m->patches[i]);
	for (i = 0; i < m->nr_extra; i++)
		strbuf_addf(&sb, "%s\n", m->extra[i]);
	strbuf_add(&sb, "", 1);
	if (len)
		*len = sb.len;
	return sb.buf;
}

int meta_read_module(const char *path, struct klpgen_meta *m)
{
	struct elf_file *elf = elf_open(path);
	struct section *sec;
	unsigned long line;
	const char *why;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	if (!elf)
		return -1;	/* elf_open() said why */
	sec = elf_find_section(elf, KLPGEN_META_SEC);
	if (!sec) {
		ret = 1;
	} else if (!sec->data || sec->sh.sh_type == SHT_NOBITS) {
		WARN("%s: %s has no contents", path, KLPGEN_META_SEC);
		ret = -1;
	} else if (meta_parse(sec->data, sec->sh.sh_size, m, &line, &why)) {
		if (line)
			WARN("%s: %s line %lu: %s", path, KLPGEN_META_SEC,
			     line, why);
		else
			WARN("%s: %s %s", path, KLPGEN_META_SEC, why);
		ret = -1;
	}
	elf_close(elf);
	return ret;
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void meta_free(struct klpgen_meta *m)
{
	size_t i;

	free(m->module);
	free_strv(m->objects, m->nr_objects);
	for (i = 0; i < m->nr_funcs; i++) {
		free(m->funcs[i].obj);
		free(m->funcs[i].name);
	}
	free(m->funcs);
	for (i = 0; i < m->nr_callbacks; i++) {
		free(m->callbacks[i].obj);
		free(m->callbacks[i].kind);
		free(m->callbacks[i].func);
	}
	free(m->callbacks);
	free(m->states);
	free(m->shadows);
	free(m->version);
	free(m->kernel);
	free_strv(m->patches, m->nr_patches);
	for (i = 0; i < m->nr_reverts; i++) {
		free(m->reverts[i].obj);
		free(m->reverts[i].func);
	}
	free(m->reverts);
	free(m->ties);
	free_strv(m->state_fields, m->nr_state_fields);
	free_strv(m->extra, m->nr_extra);
	memset(m, 0, sizeof(*m));
}
