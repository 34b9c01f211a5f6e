/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KLPGEN_KLPGEN_H
#define KLPGEN_KLPGEN_H

/* One function per subcommand; each lives in its own file. */
int cmd_build(int argc, char **argv);	/* build.c: source patch -> module */
int cmd_module(int argc, char **argv);	/* module.c: diff objects -> module */

/* Directory holding the running binary: its sibling tools and templates. */
char *klpgen_exe_dir(void);

/* toolchain.c: the kernel's compiler, from its .config (see there) */
struct kb_toolchain {
	char cc[32];		/* "gcc", "clang-16", "clang" */
	char llvm[16];		/* "LLVM=-16", "LLVM=1"; empty for gcc */
};
int kb_toolchain(const char *config, struct kb_toolchain *tc);

#endif
