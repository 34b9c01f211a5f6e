// SPDX-License-Identifier: GPL-2.0
/*
 * A livepatch module's klp_patch, klp_object, klp_func and klp_state data,
 * read through its relocations and symbols (where their fields lie:
 * lib/arch.h, arch_klp_layout()).
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "klp-data.h"
#include "klpgen-abi.h"
#include "util.h"

/* Where a pointer points: a section and an offset in it. */
struct ref {
	struct section *sec;
	uint64_t off;
};

/* The elements of a klp_func or klp_object array, as read here. */
struct layout {
	size_t ext;			/* bytes of the external fields */
	uint64_t ptrs[2 + NR_KLP_CB_KINDS];	/* where pointers may be */
	size_t nr_ptrs;
	uint64_t required;		/* the pointer every element has */
};

/* Every offset below is the architecture's. */
static const struct arch_klp_layout *klp(void)
{
	return arch_klp_layout();
}

static void func_layout(struct layout *l)
{
	l->ext = klp()->func_ext;
	l->ptrs[0] = klp()->func_old_name;
	l->ptrs[1] = klp()->func_new_func;
	l->nr_ptrs = 2;
	l->required = klp()->func_old_name;
}

static void obj_layout(struct layout *l)
{
	size_t i;

	l->ext = klp()->obj_ext;
	l->ptrs[0] = klp()->obj_name;
	l->ptrs[1] = klp()->obj_funcs;
	for (i = 0; i < NR_KLP_CB_KINDS; i++)
		l->ptrs[2 + i] = klp()->obj_callbacks + arch_ptr_size() * i;
	l->nr_ptrs = 2 + NR_KLP_CB_KINDS;
	l->required = klp()->obj_funcs;
}

static bool has_bytes(const struct section *sec, uint64_t off, uint64_t len);

/* The @n-byte little-endian value at @off; 0 where @sec has no such bytes
 * (SHT_NOBITS: zeros). */
static uint64_t get_le(const struct section *sec, uint64_t off, unsigned int n)
{
	const unsigned char *p;
	uint64_t v = 0;
	int i;

	if (!has_bytes(sec, off, n))
		return 0;
	p = (const unsigned char *)sec->data + off;
	for (i = (int)n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static bool has_bytes(const struct section *sec, uint64_t off, uint64_t len)
{
	return sec->data && sec->sh.sh_type != SHT_NOBITS &&
	       off <= sec->sh.sh_size && len <= sec->sh.sh_size - off;
}

static bool is_zero(const struct section *sec, uint64_t off, uint64_t len)
{
	const unsigned char *p;
	uint64_t i;

	if (sec->sh.sh_type == SHT_NOBITS)
		return true;
	if (!has_bytes(sec, off, len))
		return false;
	p = (const unsigned char *)sec->data + off;	/* data: not NULL now */
	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* The relocation writing the pointer field at @off of @sec, if any. */
static struct reloc *pointer_reloc(struct section *sec, uint64_t off)
{
	struct reloc *r = elf_find_reloc(sec, off, arch_ptr_size());

	if (!r || r->offset != off || !arch_reloc_is_abs64(r->type))
		return NULL;
	return r;
}

static bool pointer_at(const struct elf_file *elf, struct section *sec,
		       uint64_t off, struct ref *to)
{
	struct reloc *r = pointer_reloc(sec, off);
	struct symbol *sym = r ? elf_reloc_sym(elf, r) : NULL;

	if (!sym || !sym->sec)
		return false;
	to->sec = sym->sec;
	to->off = sym->sym.st_value + r->addend;
	return true;
}

/* A name the kernel would accept (old_name, klp_object.name). */
static const char *string_at(const struct ref *r, size_t max)
{
	const char *d;
	size_t n, i;

	if (!has_bytes(r->sec, r->off, 1))
		return NULL;
	d = (const char *)r->sec->data + r->off;
	n = strnlen(d, r->sec->sh.sh_size - r->off);
	if (!n || n == r->sec->sh.sh_size - r->off || n > max)
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)d[i] <= ' ' || (unsigned char)d[i] >= 0x7f)
			return NULL;	/* symbol names are printable */
	return d;
}

static bool is_ptr_slot(const struct layout *l, uint64_t pos)
{
	size_t i;

	for (i = 0; i < l->nr_ptrs; i++)
		if (l->ptrs[i] == pos)
			return true;
	return false;
}

/*
 * Do @n elements of @size bytes and a zero terminator fill the array at
 * @at as @l says: pointers only where @l has them, the required one in
 * every element, none in the terminator, internal fields zero?
 */
static bool layout_fits(const struct ref *at, const struct layout *l,
			uint64_t size, size_t n)
{
	struct reloc *v;
	size_t nr, i, k;

	v = elf_range_relocs(at->sec, at->off, size * (n + 1), &nr);
	for (i = 0; i < nr; i++) {
		uint64_t rel = v[i].offset - at->off;

		if (rel / size >= n || !is_ptr_slot(l, rel % size) ||
		    !arch_reloc_is_abs64(v[i].type))
			return false;
	}
	for (k = 0; k <= n; k++) {
		uint64_t base = at->off + k * size;

		if (!is_zero(at->sec, base + l->ext, size - l->ext))
			return false;
		if (k < n && !pointer_reloc(at->sec, base + l->required))
			return false;
	}
	/* The terminator: no pointers (checked above), zero data. */
	return is_zero(at->sec, at->off + n * size, l->ext);
}

/*
 * The element size and count of the array at @at, from the size of its
 * symbol: n elements and a terminator, n + 1 == symbol size / element size.
 */
static bool array_shape(const struct elf_file *elf, const struct ref *at,
			const struct layout *l, uint64_t *size, size_t *count)
{
	struct symbol *sym = elf_symbol_containing(elf, at->sec, at->off);
	uint64_t total;
	size_t n;

	if (!sym || sym->sym.st_value != at->off || !sym->sym.st_size)
		return false;
	total = sym->sym.st_size;
	if (!has_bytes(at->sec, at->off, total) &&
	    at->sec->sh.sh_type != SHT_NOBITS)
		return false;
	for (n = 1; (n + 1) * l->ext <= total; n++) {
		uint64_t s = total / (n + 1);

		if (total % (n + 1) || s % arch_ptr_size() || s < l->ext)
			continue;
		if (layout_fits(at, l, s, n)) {
			*size = s;
			*count = n;
			return true;
		}
	}
	/* Only the terminator (an object with callbacks and no function). */
	if (is_zero(at->sec, at->off, total) &&
	    !elf_find_reloc(at->sec, at->off, total)) {
		*size = total;
		*count = 0;
		return true;
	}
	return false;
}

static bool symname_ok(const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return klp_symname_ok(s);
}

/* "__klpgen_cb_<kind>_<fn>" -> "fn"; other names as they are. */
static const char *callback_name(const char *name, enum klp_cb_kind kind)
{
	enum klp_cb_kind k;
	const char *fn;

	if (!klpgen_cb_name_parse(name, &k, &fn) && k == kind)
		return fn;
	return name;
}

static void read_callbacks(struct elf_file *elf, struct section *sec,
			   uint64_t base, const char *obj,
			   struct klpgen_meta *m)
{
	size_t i;

	/* struct klp_callbacks: one pointer a kind, in enum order */
	for (i = 0; i < NR_KLP_CB_KINDS; i++) {
		struct reloc *r = pointer_reloc(sec, base + klp()->obj_callbacks +
						 arch_ptr_size() * i);
		struct symbol *fn;

		if (!r)
			continue;
		fn = elf_reloc_sym(elf, r);
		/* A section symbol + offset: the function there. */
		if (fn->sec && (fn->type != STT_FUNC || r->addend))
			fn = elf_symbol_containing(elf, fn->sec,
						   fn->sym.st_value + r->addend);
		else if (!fn->sec && (fn->type == STT_SECTION || r->addend))
			fn = NULL;
		meta_add_callback(m, obj, klp_cb_kinds[i],
				  callback_name(fn && *fn->name &&
						symname_ok(fn->name) ?
						fn->name : "unknown", i));
	}
}

static const char *read_funcs(struct elf_file *elf, const struct ref *at,
			      const char *obj, struct klpgen_meta *m)
{
	struct layout l;
	uint64_t size, k;
	size_t n;

	func_layout(&l);
	if (!array_shape(elf, at, &l, &size, &n))
		return "a klp_func array whose elements cannot be told apart";
	for (k = 0; k < n; k++) {
		uint64_t base = at->off + k * size;
		struct ref name;
		const char *s;

		if (!pointer_at(elf, at->sec, base + klp()->func_old_name, &name) ||
		    !(s = string_at(&name, KLP_SYMNAME_MAX)))
			return "a klp_func whose old_name is no string";
		meta_add_func(m, obj, s,
			      get_le(at->sec, base + klp()->func_old_sympos,
				     arch_ptr_size()));
	}
	return NULL;
}

static const char *read_objects(struct elf_file *elf, const struct ref *at,
				struct klpgen_meta *m)
{
	struct layout l;
	uint64_t size, k;
	size_t n;
	const char *why;

	obj_layout(&l);
	if (!array_shape(elf, at, &l, &size, &n) || !n)
		return "no klp_object array";
	for (k = 0; k < n; k++) {
		uint64_t base = at->off + k * size;
		struct ref r;
		const char *obj = "vmlinux";

		if (pointer_at(elf, at->sec, base + klp()->obj_name, &r) &&
		    !(obj = string_at(&r, KLP_OBJNAME_MAX)))
			return "a klp_object whose name is no string";
		if (!klp_objname_ok(obj))
			return "a klp_object with a malformed name";
		meta_add_object(m, obj);
		if (!pointer_at(elf, at->sec, base + klp()->obj_funcs, &r))
			return "a klp_object without funcs";
		why = read_funcs(elf, &r, obj, m);
		if (why)
			return why;
		read_callbacks(elf, at->sec, base, obj, m);
	}
	return NULL;
}

static const char *read_states(struct elf_file *elf, struct section *sec,
			       uint64_t patch, struct klpgen_meta *m)
{
	uint64_t states = patch + klp()->patch_states, size = klp()->state_size;
	struct symbol *sym;
	struct meta_state st = { 0 };
	struct ref at;
	uint64_t k, n;

	if (!pointer_at(elf, sec, states, &at))
		return is_zero(sec, states, arch_ptr_size()) ? NULL :
			"klp_patch.states is not a pointer";
	sym = elf_symbol_containing(elf, at.sec, at.off);
	if (!sym || sym->sym.st_value != at.off ||
	    sym->sym.st_size % size ||
	    !has_bytes(at.sec, at.off, sym->sym.st_size) ||
	    elf_find_reloc(at.sec, at.off, sym->sym.st_size))
		return "a klp_state array not of the 6.1-6.12 layout (id, version, data)";
	n = sym->sym.st_size / size;
	/* klp_for_each_state(): up to the first id 0. */
	for (k = 0; k < n; k++) {
		uint64_t base = at.off + k * size;

		st.id = get_le(at.sec, base + klp()->state_id, arch_ptr_size());
		if (!st.id)
			break;
		st.version = (uint32_t)get_le(at.sec,
					      base + klp()->state_version, 4);
		meta_add_state(m, &st);
	}
	meta_add_state_field(m, "version");
	meta_add_state_field(m, "data");
	return NULL;
}

static bool is_this_module(const struct symbol *sym)
{
	return !strcmp(sym->name, "__this_module") ||
	       (sym->type == STT_SECTION && sym->sec &&
		!strcmp(sym->sec->name, ".gnu.linkonce.this_module"));
}

/* .modinfo "name=": the module name modpost recorded. */
static char *modinfo_name(const struct elf_file *elf, const char *path)
{
	struct section *sec = elf_find_section(elf, ".modinfo");
	char *copy, *base, *dot, *name;
	const char *p, *end;

	if (sec && sec->data && sec->sh.sh_type != SHT_NOBITS) {
		p = sec->data;
		end = p + sec->sh.sh_size;
		for (; p < end; p += strnlen(p, end - p) + 1)
			if (!strncmp(p, "name=", 5) &&
			    strnlen(p, end - p) < (size_t)(end - p) &&
			    klp_objname_ok(p + 5))
				return xstrdup(p + 5);
	}
	copy = xstrdup(path);
	base = basename(copy);
	dot = strchr(base, '.');
	if (dot)
		*dot = '\0';
	for (dot = base; *dot; dot++)
		if (*dot == '-')
			*dot = '_';
	name = xstrdup(klp_objname_ok(base) ? base : "unknown");
	free(copy);
	return name;
}

/* The klp_patch at @off of @sec, into @m; NULL or why it is none. */
static const char *read_patch(struct elf_file *elf, struct section *sec,
			      uint64_t off, struct klpgen_meta *m)
{
	struct ref objs;
	const char *why;

	if (!has_bytes(sec, off, klp()->patch_replace + 1) ||
	    !pointer_at(elf, sec, off + klp()->patch_objs, &objs) ||
	    is_text_section(objs.sec))
		return "no klp_patch";
	why = read_objects(elf, &objs, m);
	if (!why)
		why = read_states(elf, sec, off, m);
	if (!why)
		m->replace = get_le(sec, off + klp()->patch_replace, 1) != 0;
	return why;
}

int klp_data_read_module(const char *path, struct klpgen_meta *m,
			 const char **why)
{
	struct elf_file *elf = elf_open(path);
	size_t i, j;

	memset(m, 0, sizeof(*m));
	*why = "no data relocation points at __this_module (no struct klp_patch)";
	if (!elf)
		return -1;	/* elf_open() said why */
	for (i = 0; i < elf->nr_secs; i++) {
		struct section *rela = elf->secs[i], *sec = rela->base;

		if (!is_rela_section(rela) || !sec || is_text_section(sec) ||
		    !(sec->sh.sh_flags & SHF_ALLOC) ||
		    !strcmp(sec->name, ".gnu.linkonce.this_module"))
			continue;
		for (j = 0; j < rela->nr_relocs; j++) {
			struct reloc *r = &rela->relocs[j];
			const char *w;

			if (!arch_reloc_is_abs64(r->type) || r->addend ||
			    !is_this_module(elf_reloc_sym(elf, r)) ||
			    r->offset < klp()->patch_mod)
				continue;
			w = read_patch(elf, sec, r->offset - klp()->patch_mod,
				       m);
			if (!w) {
				m->module = modinfo_name(elf, path);
				elf_close(elf);
				return 0;
			}
			meta_free(m);
			/* Keep the most telling reason: a klp_patch gone wrong. */
			if (strcmp(w, "no klp_patch") && strcmp(w, "no klp_object array"))
				*why = w;
		}
	}
	elf_close(elf);
	return 1;
}
