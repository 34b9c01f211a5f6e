// SPDX-License-Identifier: GPL-2.0
/*
 * The dependency index: for every object of a config, the files the
 * compiler read to build it, from Kbuild's .cmd files (source_ and deps_,
 * written by fixdep from the compiler's -MMD output), and whether kbuild
 * compiled it for a module (-DMODULE and KBUILD_MODNAME in its recorded
 * command line) or for vmlinux.
 *
 * Where the .cmd files come from, first found:
 *   - the original build in full mode;
 *   - a complete build of the same tree and config: the O= build
 *     directory of the -v vmlinux, or the tree itself when it was built in
 *     place (its vmlinux and the same .config);
 *   - <key>/deps: a Kbuild run over the whole config (descending to
 *     modules.order: every built-in and module object, no link) whose
 *     compiler is `klpgen depcc CC`, which runs only the preprocessor for
 *     the dependencies and writes an empty object.  It is read once into
 *     <key>/deps.idx (the run is removed then):
 *         klpgen-deps 1
 *         F <path>                       one line a file, numbered from 0
 *         O <object> <owner> <n>,<n>,... owner: vmlinux or the module
 * Paths are relative to the source tree (generated files relative to the
 * build directory); other absolute paths are kept as they are.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "build.h"
#include "hash.h"
#include "klpgen.h"

#define IDX_MAGIC "klpgen-deps 1\n"

struct dep_obj {
	char *obj;
	char *owner;		/* "vmlinux", a module name, or "?" */
	unsigned int *deps;
	size_t nr;
};

struct depindex {
	struct strlist files;	/* id -> path */
	struct hashmap ids;	/* path -> id + 1 */
	struct dep_obj *objs;
	size_t nr, cap;
};

static void idx_init(struct depindex *ix)
{
	memset(ix, 0, sizeof(*ix));
	hash_init(&ix->ids, 4096);
}

static void idx_free(struct depindex *ix)
{
	size_t i;

	for (i = 0; i < ix->nr; i++) {
		free(ix->objs[i].obj);
		free(ix->objs[i].owner);
		free(ix->objs[i].deps);
	}
	free(ix->objs);
	hash_free(&ix->ids);
	sl_free(&ix->files);
}

static unsigned int file_id(struct depindex *ix, const char *path)
{
	void *v = hash_find(&ix->ids, path);

	if (v)
		return (unsigned int)((uintptr_t)v - 1);
	sl_add(&ix->files, path);
	hash_add(&ix->ids, ix->files.v[ix->files.n - 1],
		 (void *)(uintptr_t)ix->files.n);
	return ix->files.n - 1;
}

static struct dep_obj *add_obj(struct depindex *ix, const char *obj,
			       const char *owner)
{
	struct dep_obj *o;

	if (ix->nr == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 1024;
		ix->objs = xrealloc(ix->objs, ix->cap * sizeof(*ix->objs));
	}
	o = &ix->objs[ix->nr++];
	memset(o, 0, sizeof(*o));
	o->obj = xstrdup(obj);
	o->owner = xstrdup(owner);
	return o;
}

static void obj_add_dep(struct depindex *ix, struct dep_obj *o,
			const char *path, size_t *cap)
{
	if (o->nr == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		o->deps = xrealloc(o->deps, *cap * sizeof(*o->deps));
	}
	o->deps[o->nr++] = file_id(ix, path);
}

/* The owner kbuild compiled @cmdline for: -DMODULE -DKBUILD_MODNAME='"x"'. */
char *cmdline_owner(const char *cmdline, size_t len)
{
	const char *p, *end = cmdline + len;
	char *name, *c;

	for (p = cmdline; (p = memmem(p, end - p, "-DMODULE", 8)); p += 8)
		if ((p[8] == ' ' || p + 8 == end) && p[-1] == ' ')
			break;
	if (!p)
		return xstrdup("vmlinux");
	p = memmem(cmdline, len, "-DKBUILD_MODNAME=", 17);
	if (!p)
		return xstrdup("?");
	p += 17;
	p += strspn(p, "'\"\\");
	name = xstrndup(p, strcspn(p, "'\"\\ \n"));
	for (c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	return name;
}

/* The line of @text starting with @key, or NULL. */
static const char *line_starting(const char *text, const char *key)
{
	const char *p;

	if (str_starts_with(text, key))
		return text;
	for (p = strchr(text, '\n'); p; p = strchr(p + 1, '\n'))
		if (str_starts_with(p + 1, key))
			return p + 1;
	return NULL;
}

/* "cmd_<obj> := ..." (since 6.2 "savedcmd_<obj> := ...") of a .cmd file:
 * its command line, or NULL. */
static const char *cmd_line(const char *text, size_t *len)
{
	const char *p = line_starting(text, "cmd_");

	if (!p)
		p = line_starting(text, "savedcmd_");
	if (!p)
		return NULL;
	p = strstr(p, " := ");
	if (!p)
		return NULL;
	p += 4;
	*len = strcspn(p, "\n");
	return p;
}

static void add_path(struct depindex *ix, struct dep_obj *o, size_t *cap,
		     const char *tok, size_t len, const char *prefix)
{
	size_t pl = prefix ? strlen(prefix) : 0;
	char *path;

	if (!len || tok[0] == '$')
		return;
	if (pl && len > pl && !strncmp(tok, prefix, pl) && tok[pl] == '/') {
		tok += pl + 1;
		len -= pl + 1;
	}
	path = xstrndup(tok, len);
	obj_add_dep(ix, o, path, cap);
	free(path);
}

/*
 * One .cmd file of object @obj: source_ and the deps_ list (one path a
 * line, "\" continued; $(wildcard include/config/...) lines are skipped).
 */
static void scan_cmd_text(struct depindex *ix, const char *obj,
			  const char *text, const char *prefix)
{
	const char *src = strstr(text, "\nsource_"), *deps, *line, *cl;
	struct dep_obj *o;
	char *owner;
	size_t cap = 0, len = 0;

	if (!src || !(cl = cmd_line(text, &len)))
		return;
	owner = cmdline_owner(cl, len);
	o = add_obj(ix, obj, owner);
	free(owner);
	src = strstr(src, " := ");
	if (src) {
		src += 4;
		add_path(ix, o, &cap, src, strcspn(src, " \n"), prefix);
	}
	deps = strstr(text, "\ndeps_");
	if (!deps)
		return;
	for (line = strchr(deps + 1, '\n'); line && line[1] && line[1] != '\n';
	     line = strchr(line + 1, '\n')) {
		const char *t = line + 1;
		size_t n;

		t += strspn(t, " \t");
		n = strcspn(t, " \t\n\\");
		add_path(ix, o, &cap, t, n, prefix);
	}
}

static bool skipped_dir(const char *rel)
{
	static const char *const skip[] = {
		"scripts", "tools", "usr", "Documentation", "source",
		".tmp_versions", "modtree",
	};
	const char *const *arch_skip = arch_tree_skip_dirs();
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(rel, skip[i]))
			return true;
	for (i = 0; arch_skip[i]; i++)
		if (!strcmp(rel, arch_skip[i]))
			return true;
	return false;
}

static void scan_dir(struct depindex *ix, const char *top, const char *rel,
		     const char *prefix)
{
	char *dir = xasprintf("%s%s%s", top, *rel ? "/" : "", rel);
	struct strlist names = { 0 };
	size_t i;

	fs_list_dir(dir, &names);
	for (i = 0; i < names.n && !spawn_interrupted; i++) {
		const char *n = names.v[i];
		char *sub = xasprintf("%s%s%s", rel, *rel ? "/" : "", n);
		char *full = xasprintf("%s/%s", dir, n);
		struct stat st;

		if (lstat(full, &st) < 0 || S_ISLNK(st.st_mode)) {
			/* skip */
		} else if (S_ISDIR(st.st_mode)) {
			if (!skipped_dir(sub))
				scan_dir(ix, top, sub, prefix);
		} else if (n[0] == '.' && str_ends_with(n, ".o.cmd") &&
			   !str_ends_with(n, ".mod.o.cmd")) {
			char *text = fs_read_text(full, NULL);
			char *obj = xasprintf("%s%s%.*s", rel, *rel ? "/" : "",
					      (int)(strlen(n) - 5), n + 1);

			if (text)
				scan_cmd_text(ix, obj, text, prefix);
			free(text);
			free(obj);
		}
		free(sub);
		free(full);
	}
	sl_free(&names);
	free(dir);
}

static int idx_write(const struct depindex *ix, const char *path)
{
	struct strbuf sb;
	size_t i, j;
	int ret;

	strbuf_init(&sb);
	strbuf_addf(&sb, IDX_MAGIC);
	for (i = 0; i < ix->files.n; i++)
		strbuf_addf(&sb, "F %s\n", ix->files.v[i]);
	for (i = 0; i < ix->nr; i++) {
		strbuf_addf(&sb, "O %s %s ", ix->objs[i].obj, ix->objs[i].owner);
		for (j = 0; j < ix->objs[i].nr; j++)
			strbuf_addf(&sb, "%s%u", j ? "," : "", ix->objs[i].deps[j]);
		strbuf_addf(&sb, "\n");
	}
	ret = write_file_atomic(path, sb.buf, sb.len, 0644);
	strbuf_free(&sb);
	return ret;
}

static int idx_read(struct depindex *ix, const char *path)
{
	char *text = fs_read_text(path, NULL), *line, *save = NULL;

	if (!text)
		return -1;
	if (!str_starts_with(text, IDX_MAGIC)) {
		WARN("%s: not a klpgen dependency index", path);
		free(text);
		return -1;
	}
	for (line = strtok_r(text + strlen(IDX_MAGIC), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (str_starts_with(line, "F ")) {
			file_id(ix, line + 2);
		} else if (str_starts_with(line, "O ")) {
			char *obj = line + 2, *owner = strchr(obj, ' '), *ids;
			struct dep_obj *o;
			size_t cap = 0;

			if (!owner || !(ids = strchr(owner + 1, ' ')))
				continue;
			*owner++ = '\0';
			*ids++ = '\0';
			o = add_obj(ix, obj, owner);
			while (*ids) {
				char *end;
				unsigned long id = strtoul(ids, &end, 10);

				if (end == ids || id >= ix->files.n)
					break;
				if (o->nr == cap) {
					cap = cap ? cap * 2 : 256;
					o->deps = xrealloc(o->deps,
							   cap * sizeof(*o->deps));
				}
				o->deps[o->nr++] = id;
				ids = *end == ',' ? end + 1 : end;
			}
		}
	}
	free(text);
	return 0;
}

/* Objects of @ix that depend on one of @files: into @objs, owners too. */
static void idx_lookup(const struct depindex *ix, const struct strlist *files,
		       struct strlist *objs)
{
	bool *hit = xcalloc(ix->files.n + 1, sizeof(bool));
	size_t i, j;

	for (i = 0; i < files->n; i++) {
		void *v = hash_find(&ix->ids, files->v[i]);

		if (v)
			hit[(uintptr_t)v - 1] = true;
	}
	for (i = 0; i < ix->nr; i++)
		for (j = 0; j < ix->objs[i].nr; j++)
			if (hit[ix->objs[i].deps[j]]) {
				if (!sl_has(objs, ix->objs[i].obj))
					sl_add(objs, ix->objs[i].obj);
				break;
			}
	free(hit);
}

/*
 * A complete build of this tree and config that is not ours: the O=
 * directory of the vmlinux or the tree built in place, with the same
 * .config, a vmlinux and (with CONFIG_MODULES) modules.order.  Its .cmd
 * files are an index for free.
 */
static char *user_build(struct build *b, char **prefix)
{
	char *cands[2] = { b->vmdir, b->srcdir };
	char *want = fs_read_text(b->config, NULL), *ret = NULL;
	bool modules = want && strstr(want, "\nCONFIG_MODULES=y");
	size_t i;

	for (i = 0; i < 2 && want && !ret; i++) {
		char *cfg = xasprintf("%s/.config", cands[i]);
		char *vm = xasprintf("%s/vmlinux", cands[i]);
		char *src = xasprintf("%s/source", cands[i]);
		char *order = xasprintf("%s/modules.order", cands[i]);
		char *have = fs_read_text(cfg, NULL), *real;
		/* `make vmlinux` alone would leave the module objects out */
		bool complete = !access(vm, R_OK) &&
				(!modules || !access(order, R_OK));

		real = realpath(src, NULL);
		free(order);
		if (have && !strcmp(have, want) && complete &&
		    (!strcmp(cands[i], b->srcdir) ||
		     (real && !strcmp(real, b->srcdir)))) {
			ret = xstrdup(cands[i]);
			*prefix = xstrdup(b->srcdir);
		}
		free(real);
		free(have);
		free(cfg);
		free(vm);
		free(src);
	}
	free(want);
	return ret;
}

static char *idx_path(struct build *b)
{
	return xasprintf("%s/deps.idx", b->keydir);
}

/* Is an index at hand without building one?  Says which. */
const char *depindex_available(struct build *b)
{
	char *p, *prefix = NULL, *ub;

	if (!b->targeted)
		return "the original build";
	p = idx_path(b);
	if (!access(p, R_OK)) {
		free(p);
		return "the dependency index of this cache entry";
	}
	free(p);
	ub = user_build(b, &prefix);
	free(prefix);
	if (ub) {
		free(ub);
		return "the build beside the vmlinux";
	}
	return NULL;
}

/* Build <key>/deps.idx: a preprocessor-only Kbuild run of the config. */
static int idx_build(struct build *b, const char *path)
{
	char *deps = xasprintf("%s/deps", b->keydir);
	char *exe = klpgen_exe_dir();
	char *cc = xasprintf("%s/klpgen depcc %s", exe, b->tc.cc);
	char *const args[] = { "-k", "KBUILD_MODULES=1", "modules.order", NULL };
	struct progress p = { .what = "objects" };
	struct strlist objs = { 0 };
	struct depindex ix;
	int rc;

	free(exe);
	rc = kbuild_configure(b, deps, cc);
	if (!rc && kbuild_list_objects(b, &objs) == 0)
		progress_set_objects(&p, &objs);
	/* -k: a step that needs real objects (the vDSO image) fails alone. */
	if (!rc) {
		rc = kmake_cc(b, deps, cc, args, &p);
		if (rc && rc != EXIT_INTERRUPTED) {
			phase_warn("note: some steps of the dependency run "
				   "failed (exit %d; they need real objects, "
				   "see %s); the index covers every object "
				   "compiled", rc, b->log);
			rc = 0;
		}
	}
	progress_free(&p);
	sl_free(&objs);
	if (!rc) {
		idx_init(&ix);
		scan_dir(&ix, deps, "", b->farm);
		rc = spawn_interrupted ? EXIT_INTERRUPTED :
		     idx_write(&ix, path);
		DEBUG("dependency index: %zu objects, %zu files", ix.nr,
		      ix.files.n);
		idx_free(&ix);
	}
	/* Read once into deps.idx, the run (hundreds of MB) is not needed. */
	if (!rc)
		fs_remove_tree(deps);
	free(deps);
	free(cc);
	return rc;
}

/*
 * The objects that depend on one of @files, added to @objs.  @build: make
 * the index when none is at hand (else return 1: no index).
 */
int depindex_lookup(struct build *b, const struct strlist *files,
		    struct strlist *objs, bool build)
{
	struct depindex ix;
	char *p = idx_path(b), *prefix = NULL, *ub = NULL;
	int rc = 0;

	idx_init(&ix);
	if (!b->targeted) {
		scan_dir(&ix, b->orig, "", b->farm);
	} else if (!access(p, R_OK)) {
		rc = idx_read(&ix, p);
	} else if ((ub = user_build(b, &prefix))) {
		scan_dir(&ix, ub, "", prefix);
	} else if (build) {
		rc = idx_build(b, p);
		if (!rc)
			rc = idx_read(&ix, p);
	} else {
		rc = 1;
	}
	if (!rc && spawn_interrupted)
		rc = EXIT_INTERRUPTED;
	if (!rc)
		idx_lookup(&ix, files, objs);
	idx_free(&ix);
	free(p);
	free(ub);
	free(prefix);
	return rc;
}
