/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpgen-patch.h - declarations a kernel source patch may make for klpgen.
 *
 * Installed with klpgen; `klpgen build` copies it into its private copy of
 * the kernel tree as include/linux/klpgen-patch.h, so a patch uses
 *
 *	#include <linux/klpgen-patch.h>
 *
 * Every macro is used at file scope in the patched kernel source file.
 * The declarations reach the diff object as new symbols and sections
 * (names in klpgen's lib/klpgen-abi.h); `klpgen module` reads them back.
 *
 * Callbacks
 *	KLPGEN_PRE_PATCH_CALLBACK(fn)     int fn(struct klp_object *obj)
 *	KLPGEN_POST_PATCH_CALLBACK(fn)    void fn(struct klp_object *obj)
 *	KLPGEN_PRE_UNPATCH_CALLBACK(fn)   void fn(struct klp_object *obj)
 *	KLPGEN_POST_UNPATCH_CALLBACK(fn)  void fn(struct klp_object *obj)
 *   Each makes a GLOBAL alias "__klpgen_cb_<kind>_<fn>" of @fn (kind is
 *   pre_patch, post_patch, pre_unpatch or post_unpatch).  The callback
 *   belongs to the klp_object of the kernel object (vmlinux or a module)
 *   the file is built into.  One callback of each kind per object.
 *
 * States and shadow variables
 *	KLPGEN_STATE(id, version)
 *	KLPGEN_STATE_FULL(id, version, block_disable, is_shadow)
 *   One record (struct klpgen_state_decl, 16 bytes, little-endian) in
 *   section ".klpgen.states": u64 id; u32 version; u8 block_disable;
 *   u8 is_shadow; u16 reserved (0).  The generated module lists every
 *   declared state in klp_patch.states, with the fields the target
 *   kernel's struct klp_state has.  A state id may be declared once.
 *
 *	KLPGEN_SHADOW_ID(id)
 *	KLPGEN_SHADOW_ID_STATE(id, state_id)
 *   One record (struct klpgen_shadow_decl, 16 bytes) in section
 *   ".klpgen.shadow_ids": u64 id; u64 state (0: none).  It names a shadow
 *   variable id the patch uses (see .klpgen.meta); the second form ties
 *   the id to a state: the data of shadow variables @id belongs to state
 *   @state_id, and `klpgen check` holds every patch of a series to the
 *   same tie.  An id equal to a state id the patch declares is tied to
 *   that state without saying so (the kernel's rework frees them together).
 *
 * Reverts
 *	KLPGEN_REVERT(function)
 *   The patch stops patching @function (a function of the kernel object
 *   the file is built into) on purpose: a cumulative patch that no longer
 *   carries an earlier patch's change to it puts the original back when
 *   it replaces that patch.  `klpgen check` reports such a revert as an
 *   error unless the new patch declares it.  One NUL-terminated name in
 *   section ".klpgen.reverts"; it also covers the compiler's clones of the
 *   function (function.isra.0, function.cold, ...).
 *
 * The record sections carry no relocations: ids and versions must be
 * integer constant expressions.
 */
#ifndef _LINUX_KLPGEN_PATCH_H
#define _LINUX_KLPGEN_PATCH_H

struct klp_object;

struct klpgen_state_decl {
	unsigned long long id;
	unsigned int version;
	unsigned char block_disable;
	unsigned char is_shadow;
	unsigned short reserved;
} __attribute__((aligned(8)));

struct klpgen_shadow_decl {
	unsigned long long id;
	unsigned long long state;
} __attribute__((aligned(8)));

#define __KLPGEN_CAT2(a, b)	a##b
#define __KLPGEN_CAT(a, b)	__KLPGEN_CAT2(a, b)
#define __KLPGEN_UNIQUE(p)	__KLPGEN_CAT(p, __COUNTER__)

#define __KLPGEN_CALLBACK(kind, ret, fn)				\
	_Static_assert(__builtin_types_compatible_p(__typeof__(fn),	\
			ret (struct klp_object *)),			\
		       "klpgen " #kind " callback " #fn			\
		       " must be " #ret " " #fn "(struct klp_object *)"); \
	extern __typeof__(fn) __klpgen_cb_##kind##_##fn			\
		__attribute__((alias(#fn)))

#define KLPGEN_PRE_PATCH_CALLBACK(fn)	__KLPGEN_CALLBACK(pre_patch, int, fn)
#define KLPGEN_POST_PATCH_CALLBACK(fn)	__KLPGEN_CALLBACK(post_patch, void, fn)
#define KLPGEN_PRE_UNPATCH_CALLBACK(fn)	__KLPGEN_CALLBACK(pre_unpatch, void, fn)
#define KLPGEN_POST_UNPATCH_CALLBACK(fn) \
	__KLPGEN_CALLBACK(post_unpatch, void, fn)

#define __KLPGEN_STATE(var, _id, _version, _block, _shadow)		\
	static const struct klpgen_state_decl var			\
	__attribute__((used, section(".klpgen.states"), aligned(8))) = { \
		.id = (_id), .version = (_version),			\
		.block_disable = !!(_block), .is_shadow = !!(_shadow),	\
	}

#define KLPGEN_STATE_FULL(id, version, block_disable, is_shadow)	\
	__KLPGEN_STATE(__KLPGEN_UNIQUE(__klpgen_state_), id, version,	\
		       block_disable, is_shadow)
#define KLPGEN_STATE(id, version)	KLPGEN_STATE_FULL(id, version, 0, 0)

#define __KLPGEN_SHADOW_ID(var, _id, _state)				\
	static const struct klpgen_shadow_decl var			\
	__attribute__((used, section(".klpgen.shadow_ids"), aligned(8))) = { \
		.id = (_id), .state = (_state),				\
	}
#define KLPGEN_SHADOW_ID(id)	\
	__KLPGEN_SHADOW_ID(__KLPGEN_UNIQUE(__klpgen_shadow_), id, 0)
#define KLPGEN_SHADOW_ID_STATE(id, state_id)				\
	__KLPGEN_SHADOW_ID(__KLPGEN_UNIQUE(__klpgen_shadow_), id, state_id)

#define __KLPGEN_REVERT(var, fn)					\
	static const char var[]						\
	__attribute__((used, section(".klpgen.reverts"), aligned(1))) = #fn
#define KLPGEN_REVERT(fn)	__KLPGEN_REVERT(__KLPGEN_UNIQUE(__klpgen_revert_), fn)

#endif /* _LINUX_KLPGEN_PATCH_H */
