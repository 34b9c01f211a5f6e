// SPDX-License-Identifier: GPL-2.0
/*
 * Hand-made diff object of vmlinux for klp_states<VARIANT>: a new
 * cmdline_proc_show() printing "klp-states-<VARIANT>", state 1 version 1,
 * shadow id 7, and the four callbacks, which log their name.  Variant 1
 * attaches a shadow variable in post_patch; variant 2 (which replaces 1)
 * finds the previous state and the shadow variable in pre_patch.
 */
#include <linux/livepatch.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/klpgen-patch.h>

#define SHADOW_ID	7
#define STATE_ID	1
/* Never dereferenced: only the key of the shadow variable. */
#define SHADOW_OBJ	((void *)0x4b4c5047)

int klpgen_new_cmdline_proc_show(struct seq_file *m, void *v)
	__asm__("__klpgen_new.vmlinux.cmdline_proc_show.0");

int klpgen_new_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "klp-states-%d\n", VARIANT);
	return 0;
}

static int states_pre_patch(struct klp_object *obj)
{
	struct klp_state *prev = klp_get_prev_state(STATE_ID);
	int *shadow = klp_shadow_get(SHADOW_OBJ, SHADOW_ID);

	pr_info("klp_states%d: pre_patch prev_state=%d shadow=%d\n", VARIANT,
		prev ? (int)prev->version : 0, shadow ? *shadow : 0);
	return 0;
}

static void states_post_patch(struct klp_object *obj)
{
	int *shadow = klp_shadow_get_or_alloc(SHADOW_OBJ, SHADOW_ID,
					      sizeof(int), GFP_KERNEL,
					      NULL, NULL);

	if (shadow && !*shadow)
		*shadow = 40 + VARIANT;
	pr_info("klp_states%d: post_patch shadow=%d\n", VARIANT,
		shadow ? *shadow : 0);
}

static void states_pre_unpatch(struct klp_object *obj)
{
	pr_info("klp_states%d: pre_unpatch\n", VARIANT);
}

static void states_post_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(SHADOW_ID, NULL);
	pr_info("klp_states%d: post_unpatch\n", VARIANT);
}

KLPGEN_PRE_PATCH_CALLBACK(states_pre_patch);
KLPGEN_POST_PATCH_CALLBACK(states_post_patch);
KLPGEN_PRE_UNPATCH_CALLBACK(states_pre_unpatch);
KLPGEN_POST_UNPATCH_CALLBACK(states_post_unpatch);
KLPGEN_STATE(STATE_ID, 1);
KLPGEN_SHADOW_ID(SHADOW_ID);
