/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KLPGEN_KLPGEN_H
#define KLPGEN_KLPGEN_H

/* One function per subcommand; each lives in its own file. */
int cmd_build(int argc, char **argv);	/* build.c: source patch -> module */
int cmd_module(int argc, char **argv);	/* module.c: diff objects -> module */
int cmd_depcc(int argc, char **argv);	/* depcc.c: preprocess-only CC */

/* Directory holding the running binary: its sibling tools and templates. */
char *klpgen_exe_dir(void);

#endif
