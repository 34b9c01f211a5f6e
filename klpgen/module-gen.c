// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen module, part one: read the diff objects (new functions,
 * callbacks, declared states and shadow ids) and write what the module
 * template needs: klpgen-generated.h and the .klpgen.meta text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"
#include "klpgen-abi.h"
#include "module-gen.h"
#include "strlist.h"
#include "util.h"

static struct pobj *pobj_get(struct patch_desc *pd, const char *name)
{
	struct pobj *po;
	size_t i;

	for (i = 0; i < pd->nr_objs; i++)
		if (!strcmp(pd->objs[i].name, name))
			return &pd->objs[i];
	pd->objs = xrealloc(pd->objs, (pd->nr_objs + 1) * sizeof(*po));
	po = &pd->objs[pd->nr_objs++];
	memset(po, 0, sizeof(*po));
	po->name = xstrdup(name);
	return po;
}

/* A record section must exist only as plain data: no relocations. */
static int record_section(struct elf_file *elf, const char *name,
			  struct section **out)
{
	struct section *sec = elf_find_section(elf, name);

	*out = NULL;
	if (!sec)
		return 0;
	if (sec->sh.sh_type == SHT_NOBITS || (sec->sh.sh_size && !sec->data) ||
	    sec->sh.sh_size % KLPGEN_RECORD_SIZE) {
		WARN("%s: section %s: size %zu is not a multiple of %d",
		     elf->path, name, sec->sh.sh_size, KLPGEN_RECORD_SIZE);
		return EXIT_BAD_INPUT;
	}
	if (sec->rela && sec->rela->nr_relocs) {
		WARN("%s: section %s has relocations; ids and versions must be constants",
		     elf->path, name);
		return EXIT_BAD_INPUT;
	}
	*out = sec;
	return 0;
}

static int read_states(struct elf_file *elf, struct patch_desc *pd,
		       const char *path)
{
	struct section *sec;
	size_t off, i;
	int ret;

	ret = record_section(elf, KLPGEN_STATES_SEC, &sec);
	if (ret || !sec)
		return ret;
	for (off = 0; off < sec->sh.sh_size / KLPGEN_RECORD_SIZE; off++) {
		struct klpgen_state_rec rec;
		struct pstate st;

		if (klpgen_state_rec(sec->data, off, &rec)) {
			WARN("%s: %s record %zu is malformed (id 0, flags not 0/1 or reserved bits set)",
			     path, KLPGEN_STATES_SEC, off);
			return EXIT_BAD_INPUT;
		}
		st = (struct pstate){
			.id = rec.id,
			.version = rec.version,
			.block_disable = rec.block_disable,
			.is_shadow = rec.is_shadow,
			.from = path,
		};
		for (i = 0; i < pd->nr_states; i++) {
			if (pd->states[i].id != st.id)
				continue;
			WARN("state id %llu is declared twice (%s and %s); a patch may declare a state once",
			     (unsigned long long)st.id, pd->states[i].from,
			     path);
			return EXIT_BAD_INPUT;
		}
		pd->states = xrealloc(pd->states,
				      (pd->nr_states + 1) * sizeof(st));
		pd->states[pd->nr_states++] = st;
	}
	return 0;
}

/* Shadow id @id tied to state @state (KLPGEN_SHADOW_ID_STATE), once. */
static int add_tie(struct patch_desc *pd, uint64_t id, uint64_t state,
		   const char *path)
{
	size_t i;

	for (i = 0; i < pd->nr_ties; i++) {
		if (pd->ties[i].shadow != id)
			continue;
		if (pd->ties[i].state == state)
			return 0;
		WARN("%s: shadow id %llu is tied to state %llu and to state %llu; an id belongs to one state",
		     path, (unsigned long long)id,
		     (unsigned long long)pd->ties[i].state,
		     (unsigned long long)state);
		return EXIT_BAD_INPUT;
	}
	pd->ties = xrealloc(pd->ties, (pd->nr_ties + 1) * sizeof(*pd->ties));
	pd->ties[pd->nr_ties].shadow = id;
	pd->ties[pd->nr_ties++].state = state;
	return 0;
}

static int read_shadows(struct elf_file *elf, struct patch_desc *pd,
			const char *path)
{
	struct section *sec;
	size_t off, i;
	int ret;

	ret = record_section(elf, KLPGEN_SHADOW_SEC, &sec);
	if (ret || !sec)
		return ret;
	for (off = 0; off < sec->sh.sh_size / KLPGEN_RECORD_SIZE; off++) {
		struct klpgen_shadow_rec rec;
		uint64_t id, state;

		klpgen_shadow_rec(sec->data, off, &rec);
		id = rec.id;
		state = rec.state;

		if (state && (ret = add_tie(pd, id, state, path)))
			return ret;
		for (i = 0; i < pd->nr_shadows; i++)
			if (pd->shadows[i] == id)
				break;
		if (i < pd->nr_shadows)
			continue;	/* several files may use one id */
		pd->shadows = xrealloc(pd->shadows,
				       (pd->nr_shadows + 1) * sizeof(id));
		pd->shadows[pd->nr_shadows++] = id;
	}
	return 0;
}

/* A C identifier, as KLPGEN_REVERT() stringifies it. */
static bool identifier_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > KLP_SYMNAME_MAX || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

/* .klpgen.reverts: NUL-terminated names of functions of @in->obj. */
static int read_reverts(struct elf_file *elf, struct patch_desc *pd,
			const struct module_input *in)
{
	struct section *sec = elf_find_section(elf, KLPGEN_REVERTS_SEC);
	struct strlist names = { 0 };
	struct prevert *r;
	size_t i, j;
	int ret = 0;

	if (!sec)
		return 0;
	if (sec->sh.sh_type == SHT_NOBITS || (sec->rela && sec->rela->nr_relocs) ||
	    klpgen_reverts_read(sec->data, sec->sh.sh_size, &names) < 0) {
		WARN("%s: section %s is not a list of NUL-terminated names",
		     in->path, KLPGEN_REVERTS_SEC);
		ret = EXIT_BAD_INPUT;
	}
	for (j = 0; !ret && j < names.n; j++) {
		const char *p = names.v[j];

		if (!identifier_ok(p, strlen(p))) {
			WARN("%s: %s: '%.64s' is not a function name", in->path,
			     KLPGEN_REVERTS_SEC, p);
			ret = EXIT_BAD_INPUT;
			break;
		}
		for (i = 0; i < pd->nr_reverts; i++)
			if (!strcmp(pd->reverts[i].obj, in->obj) &&
			    !strcmp(pd->reverts[i].func, p))
				break;
		if (i < pd->nr_reverts)
			continue;
		pd->reverts = xrealloc(pd->reverts,
				       (pd->nr_reverts + 1) * sizeof(*r));
		r = &pd->reverts[pd->nr_reverts++];
		r->obj = xstrdup(in->obj);
		r->func = xstrdup(p);
	}
	sl_free(&names);
	return ret;
}

/* A declared revert of a function the patch still patches says two things. */
static int check_reverts(const struct patch_desc *pd)
{
	size_t i, j, k;

	for (i = 0; i < pd->nr_reverts; i++) {
		const struct prevert *r = &pd->reverts[i];
		size_t n = strlen(r->func);

		for (j = 0; j < pd->nr_objs; j++) {
			const struct pobj *po = &pd->objs[j];

			if (strcmp(po->name, r->obj))
				continue;
			for (k = 0; k < po->nr_funcs; k++) {
				const char *f = po->funcs[k].old_name;

				if (strncmp(f, r->func, n) ||
				    (f[n] && f[n] != '.'))
					continue;
				WARN("KLPGEN_REVERT(%s) in %s, but the patch changes %s there: drop one of them",
				     r->func, r->obj, f);
				return EXIT_BAD_INPUT;
			}
		}
	}
	return 0;
}

/* "__klpgen_new.<obj>.<func>.<pos>" (lib/klpgen-abi.h) */
static int add_func(struct patch_desc *pd, const struct module_input *in,
		    struct symbol *sym)
{
	struct klpgen_new_name nn;
	struct pobj *po;
	struct pfunc *pf;
	const char *why;
	unsigned long pos;
	char *func;
	size_t i;

	if (klpgen_new_name_parse(sym->name, &nn, &why)) {
		WARN("%s: symbol %s: %s", in->path, sym->name, why);
		return EXIT_BAD_INPUT;
	}
	if (strcmp(nn.obj, in->obj)) {
		WARN("%s: symbol %s patches another object than %s",
		     in->path, sym->name, in->obj);
		klpgen_new_name_free(&nn);
		return EXIT_BAD_INPUT;
	}
	free(nn.obj);
	func = nn.func;
	pos = nn.pos;
	if (sym->bind != STB_GLOBAL || !sym->sec || !is_text_section(sym->sec)) {
		WARN("%s: symbol %s must be a GLOBAL symbol in a text section",
		     in->path, sym->name);
		free(func);
		return EXIT_BAD_INPUT;
	}
	po = pobj_get(pd, in->obj);
	for (i = 0; i < po->nr_funcs; i++) {
		if (strcmp(po->funcs[i].old_name, func) ||
		    po->funcs[i].pos != pos)
			continue;
		WARN("%s: function %s,%lu of %s is patched twice", in->path,
		     func, pos, in->obj);
		free(func);
		return EXIT_BAD_INPUT;
	}
	po->funcs = xrealloc(po->funcs, (po->nr_funcs + 1) * sizeof(*pf));
	pf = &po->funcs[po->nr_funcs++];
	pf->old_name = func;
	pf->sym = xstrdup(sym->name);
	pf->pos = pos;
	pd->nr_funcs++;
	return 0;
}

/* "__klpgen_cb_<kind>_<fn>" (lib/klpgen-abi.h) */
static int add_callback(struct patch_desc *pd, const struct module_input *in,
			struct symbol *sym)
{
	enum klp_cb_kind k;
	struct pobj *po;
	const char *fn;

	if (klpgen_cb_name_parse(sym->name, &k, &fn)) {
		WARN("%s: symbol %s: unknown callback kind", in->path,
		     sym->name);
		return EXIT_BAD_INPUT;
	}
	if (sym->bind != STB_GLOBAL || !sym->sec || !is_text_section(sym->sec)) {
		WARN("%s: callback %s must be a GLOBAL function", in->path,
		     sym->name);
		return EXIT_BAD_INPUT;
	}
	po = pobj_get(pd, in->obj);
	if (po->cb[k]) {
		WARN("object %s has two %s callbacks: %s and %s", in->obj,
		     klp_cb_kinds[k], po->cb[k], sym->name);
		return EXIT_BAD_INPUT;
	}
	po->cb[k] = xstrdup(sym->name);
	pd->nr_cbs++;
	return 0;
}

static int cmp_state(const void *a, const void *b)
{
	const struct pstate *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/*
 * The module loader places sections relative to page-aligned memory: it
 * cannot honour more, and ld -r would pad its output to any alignment.
 */
#define MODULE_ALIGN_MAX	4096

static int check_alignment(const struct elf_file *elf)
{
	size_t i;

	for (i = 1; i < elf->nr_secs; i++)
		if (elf->secs[i]->sh.sh_addralign > MODULE_ALIGN_MAX) {
			WARN("%s: section %s: alignment %llu is more than a module can have (%d)",
			     elf->path, elf->secs[i]->name,
			     (unsigned long long)elf->secs[i]->sh.sh_addralign,
			     MODULE_ALIGN_MAX);
			return EXIT_BAD_INPUT;
		}
	return 0;
}

int patch_read(const struct module_opts *o, struct patch_desc *pd)
{
	size_t i, j;
	int ret = 0;

	memset(pd, 0, sizeof(*pd));
	pd->replace = o->replace;
	/* vmlinux first, then modules in the order given. */
	for (i = 0; i < o->nr_diffs; i++)
		if (!strcmp(o->diffs[i].obj, "vmlinux"))
			pobj_get(pd, "vmlinux");
	for (i = 0; i < o->nr_diffs; i++)
		pobj_get(pd, o->diffs[i].obj);

	for (i = 0; i < o->nr_diffs && !ret; i++) {
		const struct module_input *in = &o->diffs[i];
		struct elf_file *elf = elf_open(in->path);

		if (!elf)
			return EXIT_BAD_INPUT;
		if (elf->ehdr.e_type != ET_REL) {
			WARN("%s: not a relocatable object", in->path);
			ret = EXIT_BAD_INPUT;
		}
		if (!ret)
			ret = check_alignment(elf);
		for (j = 0; j < elf->nr_syms && !ret; j++) {
			struct symbol *sym = elf->syms[j];

			if (sym->type == STT_SECTION)
				continue;
			if (is_klpgen_new_name(sym->name))
				ret = add_func(pd, in, sym);
			else if (is_klpgen_cb_name(sym->name))
				ret = add_callback(pd, in, sym);
		}
		if (!ret)
			ret = read_states(elf, pd, in->path);
		if (!ret)
			ret = read_shadows(elf, pd, in->path);
		if (!ret)
			ret = read_reverts(elf, pd, in);
		elf_close(elf);
	}
	/* Records come in link order, which the compiler may reverse. */
	if (pd->nr_states)
		qsort(pd->states, pd->nr_states, sizeof(*pd->states), cmp_state);
	if (pd->nr_shadows)
		qsort(pd->shadows, pd->nr_shadows, sizeof(*pd->shadows), cmp_u64);
	if (!ret)
		ret = check_reverts(pd);
	if (!ret && !pd->nr_funcs && !pd->nr_cbs) {
		WARN("the diff objects patch no function and declare no callback");
		ret = EXIT_NO_CHANGE;
	}
	return ret;
}

void patch_free(struct patch_desc *pd)
{
	size_t i, j;

	for (i = 0; i < pd->nr_objs; i++) {
		struct pobj *po = &pd->objs[i];

		for (j = 0; j < po->nr_funcs; j++) {
			free(po->funcs[j].old_name);
			free(po->funcs[j].sym);
		}
		free(po->funcs);
		for (j = 0; j < NR_KLP_CB_KINDS; j++)
			free(po->cb[j]);
		free(po->name);
	}
	for (i = 0; i < pd->nr_ns; i++)
		free(pd->ns[i]);
	free(pd->ns);
	free(pd->objs);
	free(pd->states);
	free(pd->shadows);
	free(pd->ties);
	for (i = 0; i < pd->nr_reverts; i++) {
		free(pd->reverts[i].obj);
		free(pd->reverts[i].func);
	}
	free(pd->reverts);
	memset(pd, 0, sizeof(*pd));
}

static char *read_text(const char *path)
{
	struct strbuf sb;
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	strbuf_add(&sb, "", 1);
	return sb.buf;
}

/* Is @field declared as a member in the body [@p, @end)? */
static bool has_member(const char *p, const char *end, const char *field)
{
	size_t n = strlen(field);

	for (; p + n <= end; p++) {
		const char *q = p + n;

		if (strncmp(p, field, n))
			continue;
		if ((p[-1] != ' ' && p[-1] != '\t' && p[-1] != '*'))
			continue;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && (*q == ';' || *q == ':' || *q == '['))
			return true;
	}
	return false;
}

static int parse_state_fields(const char *path, struct state_fields *f)
{
	char *text = read_text(path), *p, *end;

	if (!text)
		return -1;
	p = strstr(text, "struct klp_state {");
	end = p ? strstr(p, "};") : NULL;
	if (!p || !end) {
		WARN("%s: no struct klp_state", path);
		free(text);
		return -1;
	}
	p += strlen("struct klp_state {");
	f->version = has_member(p, end, "version");
	f->data = has_member(p, end, "data");
	f->block_disable = has_member(p, end, "block_disable");
	f->is_shadow = has_member(p, end, "is_shadow");
	f->known = true;
	DEBUG("%s: struct klp_state has%s%s%s%s", path,
	      f->version ? " version" : "", f->data ? " data" : "",
	      f->block_disable ? " block_disable" : "",
	      f->is_shadow ? " is_shadow" : "");
	free(text);
	return 0;
}

/*
 * The source tree of a build dir: itself, its "source" link, or the
 * directory of the Makefile that its Makefile includes (O= builds and
 * Debian's linux-headers split).
 */
static char *find_livepatch_h(const char *kbuild)
{
	static const char rel[] = "include/linux/livepatch.h";
	char *path, *mk, *line, *next;

	path = xasprintf("%s/%s", kbuild, rel);
	if (!access(path, R_OK))
		return path;
	free(path);
	path = xasprintf("%s/source/%s", kbuild, rel);
	if (!access(path, R_OK))
		return path;
	free(path);
	path = xasprintf("%s/Makefile", kbuild);
	mk = read_text(path);
	free(path);
	for (line = mk; line && *line; line = next) {
		char *dir;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!str_starts_with(line, "include ") ||
		    !str_ends_with(line, "/Makefile"))
			continue;
		dir = line + strlen("include ");
		dir[strlen(dir) - strlen("/Makefile")] = '\0';
		path = xasprintf("%s/%s", dir, rel);
		if (!access(path, R_OK)) {
			free(mk);
			return path;
		}
		free(path);
	}
	free(mk);
	return NULL;
}

int detect_state_fields(const struct module_opts *o, struct state_fields *f)
{
	char *path = NULL;
	int ret = 0;

	/* 6.1 .. 6.12: struct klp_state { id; version; data; } */
	memset(f, 0, sizeof(*f));
	f->version = f->data = true;
	if (o->livepatch_h)
		path = xstrdup(o->livepatch_h);
	else if (o->kbuild)
		path = find_livepatch_h(o->kbuild);
	if (!path) {
		if (o->kbuild)
			WARN("warning: no include/linux/livepatch.h for %s; assuming struct klp_state { id, version, data }",
			     o->kbuild);
		return 0;
	}
	if (parse_state_fields(path, f)) {
		WARN("%s: cannot read struct klp_state", path);
		ret = EXIT_BAD_INPUT;
	}
	free(path);
	return ret;
}

int check_states(const struct patch_desc *pd)
{
	size_t i;

	for (i = 0; i < pd->nr_states; i++) {
		const struct pstate *st = &pd->states[i];

		if (st->block_disable && !pd->fields.block_disable) {
			WARN("state %llu asks for block_disable, which the target kernel's struct klp_state does not have",
			     (unsigned long long)st->id);
			return EXIT_UNSAFE;
		}
		if (st->is_shadow && !pd->fields.is_shadow)
			WARN("warning: state %llu: is_shadow is not supported by the target kernel; recorded in .klpgen.meta only",
			     (unsigned long long)st->id);
		if (st->version != 1 && !pd->fields.version)
			WARN("warning: state %llu: the target kernel's struct klp_state has no version",
			     (unsigned long long)st->id);
	}
	return 0;
}

/* The release the module is built for: what its vermagic will say. */
static char *kbuild_release(const char *kbuild)
{
	char *path, line[256];
	FILE *f;

	if (!kbuild)
		return NULL;
	path = xasprintf("%s/include/config/kernel.release", kbuild);
	f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return meta_token_ok(line) ? xstrdup(line) : NULL;
}

char *patch_meta(const struct module_opts *o, const struct patch_desc *pd)
{
	struct klpgen_meta m = { 0 };
	struct meta_state st;
	size_t i, j;
	char *text, *p;

	m.module = xstrdup(o->name);
	for (p = m.module; *p; p++)	/* the kernel's name of NAME.ko */
		if (*p == '-')
			*p = '_';
	m.replace = pd->replace;
	m.version = o->version ? xstrdup(o->version) : NULL;
	m.kernel = kbuild_release(o->kbuild);
	for (i = 0; i < o->nr_patches; i++)
		meta_add_patch(&m, o->patches[i]);
	for (i = 0; i < pd->nr_objs; i++)
		meta_add_object(&m, pd->objs[i].name);
	for (i = 0; i < pd->nr_objs; i++) {
		const struct pobj *po = &pd->objs[i];

		for (j = 0; j < po->nr_funcs; j++)
			meta_add_func(&m, po->name, po->funcs[j].old_name,
				      po->funcs[j].pos);
		for (j = 0; j < NR_KLP_CB_KINDS; j++) {
			enum klp_cb_kind kind;
			const char *fn;

			/* add_callback() parsed it */
			if (po->cb[j] &&
			    !klpgen_cb_name_parse(po->cb[j], &kind, &fn))
				meta_add_callback(&m, po->name,
						  klp_cb_kinds[kind], fn);
		}
	}
	for (i = 0; i < pd->nr_reverts; i++)
		meta_add_revert(&m, pd->reverts[i].obj, pd->reverts[i].func);
	/* Which compatibility rule the target kernel applies (klpgen check). */
	if (pd->fields.version)
		meta_add_state_field(&m, "version");
	if (pd->fields.data)
		meta_add_state_field(&m, "data");
	if (pd->fields.block_disable)
		meta_add_state_field(&m, "block_disable");
	if (pd->fields.is_shadow)
		meta_add_state_field(&m, "is_shadow");
	for (i = 0; i < pd->nr_states; i++) {
		st.id = pd->states[i].id;
		st.version = pd->states[i].version;
		st.block_disable = pd->states[i].block_disable;
		st.is_shadow = pd->states[i].is_shadow;
		meta_add_state(&m, &st);
	}
	for (i = 0; i < pd->nr_shadows; i++)
		meta_add_shadow(&m, pd->shadows[i]);
	for (i = 0; i < pd->nr_ties; i++)
		meta_add_tie(&m, pd->ties[i].shadow, pd->ties[i].state);
	text = meta_format(&m, NULL);
	meta_free(&m);
	return text;
}

/* A C string literal of @s. */
static void add_c_string(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, "\"", 1);
	for (; *s; s++) {
		if (*s == '\n')
			strbuf_add(sb, "\\n\" \\\n\t\"", 8);
		else if (*s == '"' || *s == '\\')
			strbuf_addf(sb, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			strbuf_addf(sb, "\\%03o", (unsigned char)*s);
		else
			strbuf_add(sb, s, 1);
	}
	strbuf_add(sb, "\"", 1);
}

char *patch_header(const struct module_opts *o, const struct patch_desc *pd)
{
	struct strbuf sb;
	char *meta;
	size_t i, j;
	int k;

	strbuf_init(&sb);
	strbuf_addf(&sb, "/* Generated by klpgen module for %s; do not edit. */\n"
		    "#ifndef KLPGEN_GENERATED_H\n#define KLPGEN_GENERATED_H\n\n",
		    o->name);
	strbuf_addf(&sb, "#define KLPGEN_REPLACE %s\n\n",
		    pd->replace ? "true" : "false");
	strbuf_addf(&sb, "#define KLPGEN_STATE_HAS_VERSION %d\n"
		    "#define KLPGEN_STATE_HAS_DATA %d\n"
		    "#define KLPGEN_STATE_HAS_BLOCK_DISABLE %d\n"
		    "#define KLPGEN_STATE_HAS_IS_SHADOW %d\n\n",
		    pd->fields.version, pd->fields.data,
		    pd->fields.block_disable, pd->fields.is_shadow);

	strbuf_addf(&sb, "/* X(index, name): one struct klp_object each */\n"
		    "#define KLPGEN_OBJECTS(X) \\\n");
	for (i = 0; i < pd->nr_objs; i++) {
		if (!strcmp(pd->objs[i].name, "vmlinux"))
			strbuf_addf(&sb, "\tX(%zu, NULL) \\\n", i);
		else
			strbuf_addf(&sb, "\tX(%zu, \"%s\") \\\n", i,
				    pd->objs[i].name);
	}
	strbuf_addf(&sb, "\t/* end */\n\n");

	strbuf_addf(&sb, "/* X(object, index, old_name, new symbol, old_sympos) */\n");
	for (i = 0; i < pd->nr_objs; i++) {
		const struct pobj *po = &pd->objs[i];

		strbuf_addf(&sb, "#define KLPGEN_FUNCS_%zu(X) \\\n", i);
		for (j = 0; j < po->nr_funcs; j++)
			strbuf_addf(&sb, "\tX(%zu, %zu, \"%s\", \"%s\", %lu) \\\n",
				    i, j, po->funcs[j].old_name,
				    po->funcs[j].sym, po->funcs[j].pos);
		strbuf_addf(&sb, "\t/* end */\n");
	}
	strbuf_addf(&sb, "\n/* X(return type, symbol) */\n"
		    "#define KLPGEN_CALLBACK_DECLS(X) \\\n");
	for (i = 0; i < pd->nr_objs; i++)
		for (k = 0; k < NR_KLP_CB_KINDS; k++)
			if (pd->objs[i].cb[k])
				strbuf_addf(&sb, "\tX(%s, %s) \\\n",
					    k == KLP_CB_PRE_PATCH ? "int" : "void",
					    pd->objs[i].cb[k]);
	strbuf_addf(&sb, "\t/* end */\n\n");
	for (i = 0; i < pd->nr_objs; i++)
		for (k = 0; k < NR_KLP_CB_KINDS; k++)
			strbuf_addf(&sb, "#define KLPGEN_CB_%zu_%s %s\n", i,
				    klp_cb_kinds[k],
				    pd->objs[i].cb[k] ? pd->objs[i].cb[k] : "NULL");

	strbuf_addf(&sb, "\n/* X(\"namespace\"): MODULE_IMPORT_NS */\n"
		    "#define KLPGEN_IMPORT_NS(X) \\\n");
	for (i = 0; i < pd->nr_ns; i++) {
		strbuf_add(&sb, "\tX(", 3);
		add_c_string(&sb, pd->ns[i]);
		strbuf_addf(&sb, ") \\\n");
	}
	strbuf_addf(&sb, "\t/* end */\n");
	strbuf_addf(&sb, "\n/* X(id, version, block_disable, is_shadow) */\n"
		    "#define KLPGEN_NR_STATES %zu\n#define KLPGEN_STATES(X) \\\n",
		    pd->nr_states);
	for (i = 0; i < pd->nr_states; i++)
		strbuf_addf(&sb, "\tX(%lluUL, %u, %d, %d) \\\n",
			    (unsigned long long)pd->states[i].id,
			    pd->states[i].version, pd->states[i].block_disable,
			    pd->states[i].is_shadow);
	strbuf_addf(&sb, "\t/* end */\n\n");

	meta = patch_meta(o, pd);
	strbuf_addf(&sb, "/* The .klpgen.meta section. */\n#define KLPGEN_META \\\n\t");
	add_c_string(&sb, meta);
	free(meta);
	strbuf_addf(&sb, "\n\n#endif\n");
	strbuf_add(&sb, "", 1);
	return sb.buf;
}
