// SPDX-License-Identifier: GPL-2.0
/*
 * An out-of-tree module for the kpatch-oot lab test: /proc/kp_oot says
 * which version of kp_oot_show() runs.  examples/kpatch/oot-module.patch
 * changes it.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static int kp_oot_show(struct seq_file *m, void *v)
{
	seq_puts(m, "kp_oot: original\n");
	return 0;
}

static int __init kp_oot_init(void)
{
	if (!proc_create_single("kp_oot", 0444, NULL, kp_oot_show))
		return -ENOMEM;
	return 0;
}

static void __exit kp_oot_exit(void)
{
	remove_proc_entry("kp_oot", NULL);
}

module_init(kp_oot_init);
module_exit(kp_oot_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klpgen lab: an out-of-tree module to livepatch");
