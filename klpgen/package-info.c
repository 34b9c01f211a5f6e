// SPDX-License-Identifier: GPL-2.0
/*
 * What the modules of a package say and what the package is called:
 * their .klpgen.meta and vermagic, the target kernel, name, version,
 * release, architecture, maintainer, and the description rendered from
 * the metadata.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "elf.h"
#include "modinfo.h"
#include "package.h"
#include "util.h"

#define LINE_MAX_COLS	79

static const char alnum[] = "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

char *pkg_subst(const char *s, const char *from, char to)
{
	char *r = xstrdup(s), *c;

	for (c = r; *c; c++)
		if (strchr(from, *c))
			*c = to;
	return r;
}

static bool only(const char *s, const char *set)
{
	return strspn(s, set) == strlen(s);
}

/* Both formats: RPM forbids '-' in Version and Release, dpkg '_'. */
bool pkg_version_ok(const char *v, bool release)
{
	char set[sizeof(alnum) + 3];

	snprintf(set, sizeof(set), "%s.+~", alnum);
	if (!*v || strlen(v) > 64 || !only(v, set))
		return false;
	return release ? strchr(alnum, v[0]) != NULL : (v[0] >= '0' && v[0] <= '9');
}

/* RPM names: letters, digits, . _ + -; dpkg: lower case, digits, . + - */
static bool name_ok(const char *n, enum pkg_format f)
{
	char set[sizeof(alnum) + 4];

	snprintf(set, sizeof(set), "%s.+-%s", alnum, f == PKG_RPM ? "_" : "");
	if (strlen(n) < 2 || strlen(n) > 128 || !only(n, set) ||
	    !strchr(alnum, n[0]))
		return false;
	if (f == PKG_DEB)
		for (; *n; n++)
			if (*n >= 'A' && *n <= 'Z')
				return false;
	return true;
}

/* A uname -r: it goes into paths, dependencies and shell scripts. */
static bool kver_ok(const char *k)
{
	char set[sizeof(alnum) + 5];

	snprintf(set, sizeof(set), "%s._+~-", alnum);
	return *k && strlen(k) <= 64 && only(k, set) && strchr(alnum, k[0]);
}

static int epoch_of_env(long long *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (!s || !*s) {
		*out = time(NULL);
		return 0;
	}
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || *end || *out < 0 || *out > 253402300799LL || !only(s, "0123456789")) {
		WARN("SOURCE_DATE_EPOCH='%s' is not a number of seconds", s);
		return -1;
	}
	return 0;
}

static char *version_of_epoch(long long epoch)
{
	time_t t = epoch;
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "0.%Y%m%d%H%M%S", &tm);
	return xstrdup(buf);
}

char *pkg_default_version(void)
{
	long long epoch;

	if (epoch_of_env(&epoch) < 0)
		return NULL;
	return version_of_epoch(epoch);
}

/* vermagic, name, livepatch=Y and the architecture of one module. */
static int read_modinfo(struct pkg *p, struct pkg_module *m)
{
	struct elf_file *elf = elf_open(m->path);
	char *vermagic, *name, *lp;
	int ret = -1;

	if (!elf)
		return -1;	/* elf_open() said why */
	vermagic = modinfo_get(elf, "vermagic");
	name = modinfo_get(elf, "name");
	lp = modinfo_get(elf, "livepatch");
	if (elf->ehdr.e_type != ET_REL)
		WARN("%s: not a kernel module (not a relocatable object)", m->path);
	else if (!vermagic)
		WARN("%s: no vermagic in .modinfo: not a module built by Kbuild",
		     m->path);
	else if (!lp || strcmp(lp, "Y"))
		WARN("%s: not a livepatch module (no livepatch=Y in .modinfo)",
		     m->path);
	else if (name && m->meta.module && strcmp(name, m->meta.module))
		WARN("%s: .modinfo names module %s, .klpgen.meta %s", m->path,
		     name, m->meta.module);
	else
		ret = 0;
	if (!ret) {
		m->kver = modinfo_vermagic_release(vermagic);
		if (!kver_ok(m->kver)) {
			WARN("%s: vermagic '%s': not a kernel release klpgen can "
			     "package", m->path, vermagic);
			ret = -1;
		}
	}
	/* elf_open() takes the machine of lib/arch.h only */
	if (!ret && elf->ehdr.e_machine == arch_machine()) {
		p->rpm_arch = arch_rpm_name();
		p->deb_arch = arch_deb_name();
	}
	free(vermagic);
	free(name);
	free(lp);
	elf_close(elf);
	return ret;
}

static int read_module(struct pkg *p, struct pkg_module *m)
{
	struct stat st;
	int rc;

	if (stat(m->path, &st) < 0) {
		WARN("%s: %s", m->path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		WARN("%s: not a regular file", m->path);
		return -1;
	}
	rc = meta_read_module(m->path, &m->meta);
	if (rc == 1) {
		WARN("%s: no .klpgen.meta section: not a module built by klpgen",
		     m->path);
		return -1;
	}
	if (rc < 0 || read_modinfo(p, m) < 0)
		return -1;
	if (m->meta.kernel && strcmp(m->meta.kernel, m->kver)) {
		WARN("%s: .klpgen.meta says kernel %s, its vermagic %s", m->path,
		     m->meta.kernel, m->kver);
		return -1;
	}
	return 0;
}

/* One kernel, distinct names, at most one cumulative module. */
static int check_set(struct pkg *p)
{
	const struct pkg_module *repl = NULL;
	size_t i, j;

	for (i = 0; i < p->nr_mods; i++) {
		const struct pkg_module *m = &p->mods[i];

		if (strcmp(m->kver, p->mods[0].kver)) {
			WARN("%s is for kernel %s, %s for %s: one package is "
			     "for one kernel", m->path, m->kver,
			     p->mods[0].path, p->mods[0].kver);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(m->meta.module, p->mods[j].meta.module)) {
				WARN("%s and %s are both module %s", p->mods[j].path,
				     m->path, m->meta.module);
				return -1;
			}
		if (m->meta.replace && repl) {
			WARN("%s and %s both replace every loaded livepatch: a "
			     "package carries one cumulative module", repl->path,
			     m->path);
			return -1;
		}
		if (m->meta.replace)
			repl = m;
	}
	return 0;
}

/* --version, else the modules' version record, else the default. */
static int choose_version(struct pkg *p)
{
	const struct pkg_module *from = NULL;
	size_t i;

	if (p->o->version) {
		p->version = xstrdup(p->o->version);
	} else {
		for (i = 0; i < p->nr_mods; i++) {
			const struct pkg_module *m = &p->mods[i];

			if (!m->meta.version)
				continue;
			if (from && strcmp(from->meta.version, m->meta.version)) {
				WARN("%s records version %s, %s %s: give --version",
				     from->path, from->meta.version, m->path,
				     m->meta.version);
				return -1;
			}
			from = m;
		}
		if (from) {
			p->version = xstrdup(from->meta.version);
		} else {
			p->version = version_of_epoch(p->epoch);
			fprintf(stderr, "[klpgen] no --version and none recorded "
				"in the module: version %s\n", p->version);
		}
	}
	if (!pkg_version_ok(p->version, false)) {
		WARN("version '%s': it must start with a digit and hold only "
		     "letters, digits, '.', '+' and '~' (RPM and dpkg both "
		     "accept those)", p->version);
		return -1;
	}
	p->release = xstrdup(p->o->release ? p->o->release : "1");
	if (!pkg_version_ok(p->release, true)) {
		WARN("release '%s': letters, digits, '.', '+' and '~' only",
		     p->release);
		return -1;
	}
	return 0;
}

static int choose_name(struct pkg *p)
{
	char *kv;

	if (p->o->name) {
		p->name = xstrdup(p->o->name);
	} else if (p->o->format == PKG_RPM) {
		kv = pkg_subst(p->kver, ".-", '_');
		p->name = xasprintf("klpgen-patch-%s", kv);
		free(kv);
	} else {
		/* dpkg allows no '_' and no upper case in a name. */
		char *c;

		kv = pkg_subst(p->kver, "_", '-');
		for (c = kv; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c += 'a' - 'A';
		p->name = xasprintf("klpgen-patch-%s", kv);
		free(kv);
	}
	if (!name_ok(p->name, p->o->format)) {
		WARN("package name '%s': %s", p->name, p->o->format == PKG_RPM ?
		     "letters, digits, '.', '_', '+' and '-', starting with a "
		     "letter or digit" : "lower case letters, digits, '.', '+' "
		     "and '-', starting with a letter or digit (dpkg's rule)");
		return -1;
	}
	if (!strcmp(p->name, PKG_LOADER_NAME)) {
		WARN("package name '%s' is the loader's", p->name);
		return -1;
	}
	return 0;
}

static int choose_maintainer(struct pkg *p)
{
	const char *full = getenv("DEBFULLNAME"), *mail = getenv("DEBEMAIL");
	const unsigned char *c;

	if (p->o->maintainer)
		p->maintainer = xstrdup(p->o->maintainer);
	else if (full && *full && mail && *mail)
		p->maintainer = xasprintf("%s <%s>", full, mail);
	else
		p->maintainer = xstrdup("klpgen <klpgen@localhost>");
	for (c = (const unsigned char *)p->maintainer; *c; c++)
		if (*c < ' ' || *c == 0x7f || *c == '%')
			break;
	if (*c || strlen(p->maintainer) > 200 || !strchr(p->maintainer, '<') ||
	    !str_ends_with(p->maintainer, ">")) {
		WARN("maintainer '%s': want 'Name <address>' on one line, "
		     "without '%%'", p->maintainer);
		return -1;
	}
	return 0;
}

int pkg_read_modules(struct pkg *p)
{
	size_t i;

	if (epoch_of_env(&p->epoch) < 0)
		return -1;
	p->mods = xcalloc(p->o->nr_modules, sizeof(*p->mods));
	for (i = 0; i < p->o->nr_modules; i++) {
		struct pkg_module *m = &p->mods[p->nr_mods++];
		m->path = xstrdup(p->o->modules[i]);
		if (read_module(p, m) < 0)
			return -1;
	}
	if (!p->rpm_arch) {
		WARN("%s: not a module for %s", p->mods[0].path, arch_name());
		return -1;
	}
	if (check_set(p) < 0)
		return -1;
	p->kver = xstrdup(p->mods[0].kver);
	if (choose_version(p) < 0 || choose_name(p) < 0 ||
	    choose_maintainer(p) < 0)
		return -1;
	return 0;
}

/* "Label: a, b, c" wrapped to LINE_MAX_COLS, continuation indented. */
static void add_list(struct strbuf *sb, const char *label, char **items,
		     size_t n, const char *none)
{
	size_t col, i;

	strbuf_addf(sb, "  %s:", label);
	col = strlen(label) + 3;
	if (!n) {
		strbuf_addf(sb, " %s\n", none);
		return;
	}
	for (i = 0; i < n; i++) {
		size_t w = strlen(items[i]) + (i + 1 < n ? 1 : 0);

		if (col + 1 + w > LINE_MAX_COLS && col > 6) {
			strbuf_add(sb, "\n     ", 6);
			col = 5;
		}
		strbuf_addf(sb, " %s%s", items[i], i + 1 < n ? "," : "");
		col += 1 + w;
	}
	strbuf_add(sb, "\n", 1);
}

static void free_items(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void describe_module(struct strbuf *sb, const struct pkg_module *m)
{
	const struct klpgen_meta *mt = &m->meta;
	char **v;
	size_t i, n;

	strbuf_addf(sb, "\nModule %s\n  Replace: %s\n", mt->module, mt->replace ?
		    "yes (cumulative: it replaces every livepatch loaded before it)" :
		    "no (it stacks on the livepatches loaded before it)");
	add_list(sb, "Patches", mt->patches, mt->nr_patches, "not recorded");
	v = xcalloc(mt->nr_funcs + 1, sizeof(*v));
	for (i = 0; i < mt->nr_funcs; i++)
		v[i] = mt->funcs[i].sympos ?
			xasprintf("%s:%s,%lu", mt->funcs[i].obj,
				  mt->funcs[i].name, mt->funcs[i].sympos) :
			xasprintf("%s:%s", mt->funcs[i].obj, mt->funcs[i].name);
	add_list(sb, "Functions", v, mt->nr_funcs, "none");
	free_items(v, mt->nr_funcs);
	if (mt->nr_callbacks) {
		v = xcalloc(mt->nr_callbacks, sizeof(*v));
		for (i = 0; i < mt->nr_callbacks; i++)
			v[i] = xasprintf("%s:%s(%s)", mt->callbacks[i].obj,
					 mt->callbacks[i].func,
					 mt->callbacks[i].kind);
		add_list(sb, "Callbacks", v, mt->nr_callbacks, "none");
		free_items(v, mt->nr_callbacks);
	}
	v = xcalloc(mt->nr_states + 1, sizeof(*v));
	for (i = 0; i < mt->nr_states; i++) {
		const struct meta_state *st = &mt->states[i];

		v[i] = xasprintf("id %llu version %u%s%s",
				 (unsigned long long)st->id, st->version,
				 st->block_disable ? " block_disable" : "",
				 st->is_shadow ? " is_shadow" : "");
	}
	add_list(sb, "States", v, mt->nr_states, "none");
	free_items(v, mt->nr_states);
	n = mt->nr_shadows;
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = xasprintf("%llu", (unsigned long long)mt->shadows[i]);
	add_list(sb, "Shadow variable ids", v, n, "none");
	free_items(v, n);
}

void pkg_describe(struct pkg *p)
{
	struct strbuf sb, names;
	size_t i;

	p->summary = xasprintf("Livepatch for Linux %s, built by klpgen",
			       p->kver);
	strbuf_init(&sb);
	strbuf_addf(&sb,
		    "Livepatch modules for kernel %s, built by klpgen.\n"
		    "klpgen-patch.service (package %s) loads them at boot,\n"
		    "before the network comes up; installing this package loads\n"
		    "them at once when %s runs.\n", p->kver, PKG_LOADER_NAME,
		    p->kver);
	strbuf_init(&names);
	for (i = 0; i < p->nr_mods; i++) {
		describe_module(&sb, &p->mods[i]);
		strbuf_addf(&names, "%s%s", i ? " " : "",
			    p->mods[i].meta.module);
	}
	/* Drop the last newline: the formats add their own. */
	sb.buf[--sb.len] = '\0';
	p->description = sb.buf;
	p->modules_list = names.buf;
}
