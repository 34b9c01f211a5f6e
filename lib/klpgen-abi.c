// SPDX-License-Identifier: GPL-2.0
/*
 * The klp and klpgen names of lib/klpgen-abi.h: every builder and parser.
 * The parsers accept what the kernel's sscanf() formats accept, within its
 * limits; the builders refuse what the parsers would not read back.
 */
#include <stdlib.h>
#include <string.h>

#include "klpgen-abi.h"
#include "strlist.h"
#include "util.h"

const char *const klp_cb_kinds[NR_KLP_CB_KINDS] = {
	[KLP_CB_PRE_PATCH] = "pre_patch",
	[KLP_CB_POST_PATCH] = "post_patch",
	[KLP_CB_PRE_UNPATCH] = "pre_unpatch",
	[KLP_CB_POST_UNPATCH] = "post_unpatch",
};

/* ---- records ---- */

static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

int klpgen_state_rec(const void *data, size_t i, struct klpgen_state_rec *st)
{
	const unsigned char *p = (const unsigned char *)data +
				 i * KLPGEN_RECORD_SIZE;

	st->id = get_le(p, 8);
	st->version = (uint32_t)get_le(p + 8, 4);
	st->block_disable = p[12];
	st->is_shadow = p[13];
	return !st->id || p[12] > 1 || p[13] > 1 || get_le(p + 14, 2) ? -1 : 0;
}

void klpgen_shadow_rec(const void *data, size_t i,
		       struct klpgen_shadow_rec *sh)
{
	const unsigned char *p = (const unsigned char *)data +
				 i * KLPGEN_RECORD_SIZE;

	sh->id = get_le(p, 8);
	sh->state = get_le(p + 8, 8);
}

/* ---- object and module names ---- */

bool klp_modname_ok(const char *name, const char *chars)
{
	size_t n = strlen(name);

	return n && n <= KLP_OBJNAME_MAX && strspn(name, chars) == n;
}

bool klp_objname_ok(const char *obj)
{
	return klp_modname_ok(obj, KLP_OBJNAME_CHARS);
}

char *klp_objname_dup(const char *s, size_t len)
{
	char *name = xstrndup(s, len), *p;

	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

bool klp_symname_ok(const char *name)
{
	size_t n = strlen(name);

	return n && n <= KLP_SYMNAME_MAX;
}

/* A sympos: 1..KLP_SYMPOS_DIGITS decimal digits, all of @s. */
static bool parse_pos(const char *s, unsigned long *pos)
{
	size_t n = strspn(s, "0123456789");

	if (!n || s[n] || n > KLP_SYMPOS_DIGITS)
		return false;
	*pos = strtoul(s, NULL, 10);
	return true;
}

/* The largest sympos with at most KLP_SYMPOS_DIGITS digits. */
#define KLP_SYMPOS_MAX	999999999UL

/* What is wrong with the parts of a name; each format words it its way. */
enum name_fault {
	NAME_OK,
	NAME_OBJ_LONG,		/* object longer than KLP_OBJNAME_MAX */
	NAME_EMPTY,		/* no symbol (function) name */
	NAME_LONG,		/* symbol longer than KLP_SYMNAME_MAX */
	NAME_STOP,		/* the symbol holds the character ending it */
	NAME_POS,		/* sympos of more than KLP_SYMPOS_DIGITS digits */
	NAME_OBJ,		/* object not klp_objname_ok() */
	NR_NAME_FAULTS
};

/*
 * The one check of the <obj>, <name> (@len bytes) and <pos> of a
 * ".klp.sym." or "__klpgen_new." name, built or parsed: the kernel's
 * limits (its sscanf reads 55 and 511 bytes), and no @stop in the name
 * where the format ends the name with it (0: nothing ends it).
 */
static enum name_fault name_fault(const char *obj, const char *name,
				  size_t len, char stop, unsigned long pos)
{
	if (strlen(obj) > KLP_OBJNAME_MAX)
		return NAME_OBJ_LONG;
	if (!len)
		return NAME_EMPTY;
	if (len > KLP_SYMNAME_MAX)
		return NAME_LONG;
	if (stop && memchr(name, stop, len))
		return NAME_STOP;
	if (pos > KLP_SYMPOS_MAX)
		return NAME_POS;
	if (!klp_objname_ok(obj))
		return NAME_OBJ;
	return NAME_OK;
}

/* ---- ".klp.sym.<obj>.<name>,<pos>" ---- */

bool is_klp_sym_name(const char *s)
{
	return str_starts_with(s, KLP_SYM_PREFIX);
}

/* The kernel reads the name back with "%55[^.].%511[^,],%lu". */
static const char *const sym_faults[NR_NAME_FAULTS] = {
	[NAME_OBJ_LONG] = "has an object name longer than the kernel's limit of 55",
	[NAME_EMPTY] = "has an empty symbol name",
	[NAME_LONG] = "has a symbol name longer than the kernel's limit of 511",
	[NAME_STOP] = "has a ',' in its symbol name",
	[NAME_POS] = "has a malformed sympos",
	[NAME_OBJ] = "has an invalid object name",
};

char *klp_sym_name(const char *obj, const char *name, unsigned long pos,
		   const char **why)
{
	*why = sym_faults[name_fault(obj, name, strlen(name), ',', pos)];
	if (*why)
		return NULL;
	return xasprintf(KLP_SYM_PREFIX "%s.%s,%lu", obj, name, pos);
}

int klp_sym_name_parse(const char *s, struct klp_sym_name *kn,
		       const char **why)
{
	const char *obj, *dot, *name, *comma;

	memset(kn, 0, sizeof(*kn));
	if (!is_klp_sym_name(s)) {
		*why = "does not start with " KLP_SYM_PREFIX;
		return -1;
	}
	obj = s + strlen(KLP_SYM_PREFIX);
	dot = strchr(obj, '.');
	if (!dot || dot == obj) {
		*why = "has no object name";
		return -1;
	}
	name = dot + 1;
	comma = strchr(name, ',');
	if (!comma) {
		*why = "has no ',<sympos>'";
		return -1;
	}
	if (comma[1] < '0' || comma[1] > '9') {
		*why = "has no numeric sympos after ','";
		return -1;
	}
	if (!parse_pos(comma + 1, &kn->pos)) {
		*why = "has a malformed sympos";
		return -1;
	}
	kn->obj = xstrndup(obj, dot - obj);
	*why = sym_faults[name_fault(kn->obj, name, comma - name, ',',
				     kn->pos)];
	if (*why) {
		free(kn->obj);
		kn->obj = NULL;
		return -1;
	}
	kn->name = xstrndup(name, comma - name);
	return 0;
}

void klp_sym_name_free(struct klp_sym_name *kn)
{
	free(kn->obj);
	free(kn->name);
	kn->obj = kn->name = NULL;
}

/* ---- ".klp.rela.<obj>.<section>" ---- */

bool is_klp_rela_name(const char *s)
{
	return str_starts_with(s, KLP_RELA_PREFIX);
}

char *klp_rela_name(const char *obj, const char *secname)
{
	if (!klp_objname_ok(obj))
		DIE("klp relocation section for invalid object name '%s'", obj);
	return xasprintf(KLP_RELA_PREFIX "%s.%s", obj, secname);
}

char *klp_rela_name_obj(const char *s)
{
	const char *obj, *dot;
	char *name;

	if (!is_klp_rela_name(s))
		return NULL;
	obj = s + strlen(KLP_RELA_PREFIX);
	dot = strchr(obj, '.');
	if (!dot)
		return NULL;
	name = xstrndup(obj, dot - obj);
	if (!klp_objname_ok(name)) {
		free(name);
		return NULL;
	}
	return name;
}

/* ---- "__klpgen_new.<obj>.<func>.<pos>" ---- */

#define NEW_FORMAT	KLPGEN_NEW_PREFIX "<object>.<function>.<sympos>"

bool is_klpgen_new_name(const char *s)
{
	return str_starts_with(s, KLPGEN_NEW_PREFIX);
}

/* The object ends at the first dot, the function at the last one. */
static const char *const new_faults[NR_NAME_FAULTS] = {
	[NAME_OBJ_LONG] = "invalid object name",
	[NAME_EMPTY] = "malformed, want " NEW_FORMAT,
	[NAME_LONG] = "function name too long for the kernel (511)",
	[NAME_POS] = "malformed sympos",
	[NAME_OBJ] = "invalid object name",
};

char *klpgen_new_name(const char *obj, const char *func, unsigned long pos,
		      const char **why)
{
	*why = new_faults[name_fault(obj, func, strlen(func), 0, pos)];
	if (*why)
		return NULL;
	return xasprintf(KLPGEN_NEW_PREFIX "%s.%s.%lu", obj, func, pos);
}

int klpgen_new_name_parse(const char *s, struct klpgen_new_name *nn,
			  const char **why)
{
	const char *obj, *dot, *last;

	memset(nn, 0, sizeof(*nn));
	if (!is_klpgen_new_name(s)) {
		*why = "malformed, want " NEW_FORMAT;
		return -1;
	}
	obj = s + strlen(KLPGEN_NEW_PREFIX);
	dot = strchr(obj, '.');
	last = strrchr(obj, '.');
	if (!dot || last == dot || last[1] < '0' || last[1] > '9') {
		*why = "malformed, want " NEW_FORMAT;
		return -1;
	}
	if (!parse_pos(last + 1, &nn->pos)) {
		*why = "malformed sympos";
		return -1;
	}
	nn->obj = xstrndup(obj, dot - obj);
	*why = new_faults[name_fault(nn->obj, dot + 1, last - dot - 1, 0,
				     nn->pos)];
	if (*why) {
		free(nn->obj);
		nn->obj = NULL;
		return -1;
	}
	nn->func = xstrndup(dot + 1, last - dot - 1);
	return 0;
}

void klpgen_new_name_free(struct klpgen_new_name *nn)
{
	free(nn->obj);
	free(nn->func);
	nn->obj = nn->func = NULL;
}

/* ---- callbacks ---- */

int klp_cb_kind_of(const char *s)
{
	int k;

	for (k = 0; k < NR_KLP_CB_KINDS; k++)
		if (!strcmp(s, klp_cb_kinds[k]))
			return k;
	return -1;
}

bool is_klpgen_cb_name(const char *s)
{
	return str_starts_with(s, KLPGEN_CB_PREFIX);
}

char *klpgen_cb_name(enum klp_cb_kind kind, const char *func)
{
	if ((unsigned int)kind >= NR_KLP_CB_KINDS || !*func)
		DIE("callback alias of kind %d for '%s'", kind, func);
	return xasprintf(KLPGEN_CB_PREFIX "%s_%s", klp_cb_kinds[kind], func);
}

int klpgen_cb_name_parse(const char *s, enum klp_cb_kind *kind,
			 const char **func)
{
	const char *rest;
	int k;

	if (!str_starts_with(s, KLPGEN_CB_PREFIX))
		return -1;
	rest = s + strlen(KLPGEN_CB_PREFIX);
	for (k = 0; k < NR_KLP_CB_KINDS; k++) {
		size_t n = strlen(klp_cb_kinds[k]);

		if (!strncmp(rest, klp_cb_kinds[k], n) && rest[n] == '_' &&
		    rest[n + 1]) {
			*kind = k;
			*func = rest + n + 1;
			return 0;
		}
	}
	return -1;
}

int klpgen_reverts_read(const void *data, size_t size, struct strlist *names)
{
	const char *p = data, *end = p + size;

	if (!size)
		return 0;
	if (!data || p[size - 1])
		return -1;
	for (; p < end; p += strlen(p) + 1)
		if (*p && !sl_has(names, p))
			sl_add(names, p);
	return 0;
}
