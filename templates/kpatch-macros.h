/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch-macros.h - kpatch's patch-author macros, written for klpgen.
 *
 * Installed with klpgen; `klpgen build` and `klpgen kpatch-build` put it
 * in their private copy of the kernel tree as include/kpatch-macros.h, on
 * the kernel's own include path (nothing is added to the compiler flags,
 * so the cached original build is reused), and a kpatch patch keeps its
 *
 *	#include "kpatch-macros.h"
 *
 * Every macro is used at file scope, with or without a trailing ';'.
 * What create-diff-object does with each is in create-diff-object(1).
 *
 * Callbacks, kpatch's signature (patch_object is struct klp_object):
 *	KPATCH_PRE_PATCH_CALLBACK(fn)     int fn(patch_object *obj)
 *	KPATCH_POST_PATCH_CALLBACK(fn)    void fn(patch_object *obj)
 *	KPATCH_PRE_UNPATCH_CALLBACK(fn)   void fn(patch_object *obj)
 *	KPATCH_POST_UNPATCH_CALLBACK(fn)  void fn(patch_object *obj)
 *   klpgen's own callbacks (linux/klpgen-patch.h): the klp callbacks of
 *   the kernel object the file is built into, one of each kind per object.
 *
 * Comparison and safety:
 *	KPATCH_IGNORE_FUNCTION(fn)   fn (and its .cold/.part clones) is left
 *	                             out of the comparison: never patched
 *	KPATCH_IGNORE_SECTION(name)  the same for every function of section
 *	                             "name"; data in it is not checked
 *	KPATCH_FORCE_UNSAFE(fn)      a refusal naming fn becomes a warning;
 *	                             what it refused stays out of the patch
 *   Each is one pointer in a section create-diff-object reads and never
 *   copies: ".kpatch.ignore.functions" and ".kpatch.force" (the function),
 *   ".kpatch.ignore.sections" (the name).
 *
 * Code:
 *	KPATCH_PRINTK(fmt, ...)           printk() on a branch of its own
 *	KPATCH_PRINTK_DEFERRED(fmt, ...)  the same with printk_deferred()
 *	KPATCH_STATIC_CALL(name)          static_call(name) as a plain
 *	                                  indirect call through its key
 *
 * System calls: kpatch-syscall.h.
 */
#ifndef _KLPGEN_KPATCH_MACROS_H
#define _KLPGEN_KPATCH_MACROS_H

#include <linux/compiler.h>
#include <linux/printk.h>
#include <linux/livepatch.h>
#include <linux/klpgen-patch.h>

typedef struct klp_object patch_object;

typedef int (*kpatch_pre_patch_call_t)(patch_object *obj);
typedef void (*kpatch_post_patch_call_t)(patch_object *obj);
typedef void (*kpatch_pre_unpatch_call_t)(patch_object *obj);
typedef void (*kpatch_post_unpatch_call_t)(patch_object *obj);

#define KPATCH_PRE_PATCH_CALLBACK(fn)	KLPGEN_PRE_PATCH_CALLBACK(fn);
#define KPATCH_POST_PATCH_CALLBACK(fn)	KLPGEN_POST_PATCH_CALLBACK(fn);
#define KPATCH_PRE_UNPATCH_CALLBACK(fn)	KLPGEN_PRE_UNPATCH_CALLBACK(fn);
#define KPATCH_POST_UNPATCH_CALLBACK(fn) KLPGEN_POST_UNPATCH_CALLBACK(fn);

/* A pointer-sized record in section @sec, kept by the compiler. */
#define __KPATCH_RECORD(sec, var, type, val)				\
	static type var __attribute__((__used__, __section__(sec),	\
				       __aligned__(sizeof(void *)))) = (val)

#define KPATCH_IGNORE_SECTION(name)					\
	__KPATCH_RECORD(".kpatch.ignore.sections",			\
			__KLPGEN_UNIQUE(__kpatch_ignore_section_),	\
			const char *, (name));
#define KPATCH_IGNORE_FUNCTION(fn)					\
	__KPATCH_RECORD(".kpatch.ignore.functions",			\
			__kpatch_ignore_func_##fn, void *, (void *)(fn));
#define KPATCH_FORCE_UNSAFE(fn)						\
	__KPATCH_RECORD(".kpatch.force", __kpatch_force_func_##fn,	\
			void *, (void *)(fn));

/*
 * printk() is __cold: gcc treats every path that must reach it as
 * unlikely, so a function calling it unconditionally moves whole to
 * .text.unlikely, and the code around a call gets split off or uninlined:
 * the patched object differs from the original far beyond the change.
 * Guarded by a value gcc cannot see (an empty asm makes it opaque), only
 * the call itself is on the cold branch; the guard is always true.
 */
#define __KPATCH_ON_ITS_OWN_BRANCH(call)				\
({									\
	int __kpatch_on = 1;						\
	__asm__ ("" : "+r" (__kpatch_on));				\
	if (__kpatch_on)						\
		call;							\
})
#define KPATCH_PRINTK(fmt, ...)						\
	__KPATCH_ON_ITS_OWN_BRANCH(printk(fmt, ##__VA_ARGS__))
#define KPATCH_PRINTK_DEFERRED(fmt, ...)				\
	__KPATCH_ON_ITS_OWN_BRANCH(printk_deferred(fmt, ##__VA_ARGS__))

/*
 * A static call site is patched at load time through .static_call_sites,
 * which a livepatch cannot carry when the key lives in a module that may
 * load later; an indirect call through the key's current target needs no
 * site.  Include <linux/static_call.h> first.
 */
#define KPATCH_STATIC_CALL(name)					\
	((__typeof__(&STATIC_CALL_TRAMP(name)))READ_ONCE(STATIC_CALL_KEY(name).func))

#endif /* _KLPGEN_KPATCH_MACROS_H */
