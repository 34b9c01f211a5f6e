/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KLPGEN_KLPGEN_H
#define KLPGEN_KLPGEN_H

/* One function per subcommand; each lives in its own file. */
int cmd_build(int argc, char **argv);	/* build.c: source patch -> module */
int cmd_module(int argc, char **argv);	/* module.c: diff objects -> module */
int cmd_series(int argc, char **argv);	/* series.c: patches -> N modules */
int cmd_check(int argc, char **argv);	/* check.c: PREV.ko... NEXT.ko */
/* kpatch-build.c: kpatch-build's command line -> klpgen build */
int cmd_kpatch_build(int argc, char **argv);
int cmd_package(int argc, char **argv);	/* package.c: modules -> RPM or .deb */
int cmd_depcc(int argc, char **argv);	/* depcc.c: preprocess-only CC */

/* paths.c: where klpgen's own files are (one look-up order for all). */
char *klpgen_exe_dir(void);		/* directory of the running binary */
/* "templates/x" -> its path, or NULL if none of the places has it. */
char *klpgen_datafile(const char *rel);
/* A tool installed beside this binary, else @name for a $PATH look-up. */
char *klpgen_sibling_tool(const char *name);

/* toolchain.c: the kernel's compiler, from its .config (see there) */
struct kb_toolchain {
	char cc[32];		/* "gcc", "clang-16", "clang" */
	char llvm[16];		/* "LLVM=-16", "LLVM=1"; empty for gcc */
};
int kb_toolchain(const char *config, struct kb_toolchain *tc);

#endif
