// SPDX-License-Identifier: GPL-2.0
/*
 * An out-of-tree module for the klp-cdo-oot lab test: /proc/oot counts
 * its reads through the static "calls".
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static int calls;

static noinline int oot_show(struct seq_file *m, void *v)
{
	calls++;
	pr_debug("oot_show %d\n", calls);
	seq_printf(m, "oot %d\n", calls);
	return 0;
}

static int __init oot_init(void)
{
	proc_create_single("oot", 0444, NULL, oot_show);
	return 0;
}

static void __exit oot_exit(void)
{
	remove_proc_entry("oot", NULL);
}
module_init(oot_init);
module_exit(oot_exit);
MODULE_LICENSE("GPL");
