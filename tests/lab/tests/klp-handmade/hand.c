// SPDX-License-Identifier: GPL-2.0
/*
 * A hand-made diff object of vmlinux, as create-diff-object would write
 * it: the new cmdline_proc_show() (fs/proc/cmdline.c) under its
 * __klpgen_new alias, calling the STATIC version_proc_show() of
 * fs/proc/version.c through a klp symbol.  /proc/cmdline then prints a
 * marker and the version banner: that proves the kernel applied the klp
 * relocation.
 */
#include <linux/seq_file.h>
#include <linux/klpgen-patch.h>

/* gcc hands the label to gas, which needs the name quoted (it has a
 * comma); clang's integrated assembler takes it as it is */
#ifdef __clang__
#define KLP_SYM(name) name
#else
#define KLP_SYM(name) "\"" name "\""
#endif
extern int klp_version_proc_show(struct seq_file *m, void *v)
	__asm__(KLP_SYM(".klp.sym.vmlinux.version_proc_show,0"));

int klpgen_new_cmdline_proc_show(struct seq_file *m, void *v)
	__asm__("__klpgen_new.vmlinux.cmdline_proc_show.0");

int klpgen_new_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "klpgen-handmade: ");
	return klp_version_proc_show(m, v);
}
