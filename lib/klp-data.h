/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a livepatch module's own data says, for modules without
 * .klpgen.meta: its struct klp_patch and the klp_object, klp_func and
 * klp_state arrays it points to, read through the module's relocations
 * and symbols.  Where their external fields lie (the 6.1 .. 6.12 layouts
 * of include/linux/livepatch.h) is the architecture's: arch_klp_layout()
 * in lib/arch.h; klp_patch.mod points at __this_module.
 *
 * The internal fields that follow the external ones differ between
 * kernels and configs, so the size of an array element is not assumed:
 * it follows from the size of the array's symbol (its n elements and the
 * zero terminator) and from where the relocations of the elements fall.
 */
#ifndef KLPGEN_KLP_DATA_H
#define KLPGEN_KLP_DATA_H

#include "klpgen-meta.h"

/*
 * Fill @m (module, replace, objects, funcs, callbacks, states; no shadow
 * ids, reverts or ties: the kernel's structures do not carry them) from
 * the module at @path.  0 on success; 1 if no klp_patch could be read, with
 * *why saying what was missing; -1 after a message naming the file.
 */
int klp_data_read_module(const char *path, struct klpgen_meta *m,
			 const char **why);

#endif
