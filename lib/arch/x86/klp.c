// SPDX-License-Identifier: GPL-2.0
/*
 * x86_64 (LP64): where the external fields of include/linux/livepatch.h's
 * structs lie, the same from 6.1 to 6.12 (lib/arch.h; lib/klp-data.c
 * reads modules with them).
 */
#include "arch.h"

static const struct arch_klp_layout lp64 = {
	.patch_mod = 0, .patch_objs = 8, .patch_states = 16,
	.patch_replace = 24,
	.obj_name = 0, .obj_funcs = 8, .obj_callbacks = 16, .obj_ext = 48,
	.func_old_name = 0, .func_new_func = 8, .func_old_sympos = 16,
	.func_ext = 24,
	.state_id = 0, .state_version = 8, .state_size = 24,
};

const struct arch_klp_layout *arch_klp_layout(void)
{
	return &lp64;
}
