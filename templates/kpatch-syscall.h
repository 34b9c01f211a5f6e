/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch-syscall.h - patch a system call, with kpatch's macro names, for
 * klpgen (x86_64).
 *
 * Installed with klpgen; `klpgen build` and `klpgen kpatch-build` put it
 * in their private copy of the kernel tree as include/kpatch-syscall.h,
 * on the kernel's own include path, so a patch writes
 *
 *	#include "kpatch-syscall.h"
 *
 * and replaces SYSCALL_DEFINEn(name, ...) by KPATCH_SYSCALL_DEFINEn(name,
 * ...), n = 0..6, same arguments.
 *
 * Why: SYSCALL_DEFINEn puts the body in "static inline long
 * __do_sys_<name>()", and the kernel's inline implies notrace.  When gcc
 * does not inline it, a changed body is a changed function without an
 * fentry call, which livepatch cannot redirect (create-diff-object refuses
 * it).  KPATCH_SYSCALL_DEFINEn names the body __kpatch_do_sys_<name>()
 * instead: a new function, which needs no fentry call, called from the
 * unchanged-by-name entry points __x64_sys_<name>() and, with
 * CONFIG_IA32_EMULATION, __ia32_sys_<name>(), which have one and are
 * patched.  Everything else is what the kernel's own SYSCALL_DEFINEn
 * emits, built from its own macros (asm/syscall_wrapper.h): the same
 * stubs, argument sign extension, error-injection entries and, with
 * CONFIG_FTRACE_SYSCALLS, the same syscall metadata, so nothing but the
 * body differs from the original object and no section needs ignoring.
 *
 * Kernels: the pt_regs stubs of 5.7 and later (__X64_SYS_STUBx) and those
 * of 4.17 to 5.6 (SC_X86_64_REGS_TO_ARGS only) are told apart by the
 * macros the kernel defines, not by version numbers (distribution kernels
 * backport).  Older kernels and other architectures are refused here.
 */
#ifndef _KLPGEN_KPATCH_SYSCALL_H
#define _KLPGEN_KPATCH_SYSCALL_H

#include "kpatch-macros.h"
#include <linux/syscalls.h>

#ifndef CONFIG_X86_64
#error "kpatch-syscall.h: klpgen patches x86_64 kernels only"
#endif
#if !defined(__X64_SYS_STUBx) && !defined(SC_X86_64_REGS_TO_ARGS)
#error "kpatch-syscall.h: this kernel has no pt_regs system call stubs (before 4.17): patch the body's callee instead"
#endif

#define KPATCH_SYSCALL_DEFINE1(name, ...) __KLPGEN_SYSCALL_DEFINEx(1, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE2(name, ...) __KLPGEN_SYSCALL_DEFINEx(2, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE3(name, ...) __KLPGEN_SYSCALL_DEFINEx(3, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE4(name, ...) __KLPGEN_SYSCALL_DEFINEx(4, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE5(name, ...) __KLPGEN_SYSCALL_DEFINEx(5, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE6(name, ...) __KLPGEN_SYSCALL_DEFINEx(6, _##name, __VA_ARGS__)

#define __KLPGEN_SYSCALL_DEFINEx(x, sname, ...)				\
	SYSCALL_METADATA(sname, x, __VA_ARGS__)				\
	__KLPGEN_SYSCALL_BODYx(x, sname, __VA_ARGS__)

/* One entry point: "long __<abi>_sys<name>(const struct pt_regs *regs)". */
#define __KLPGEN_SYSCALL_STUB(abi, name, ...)				\
	long __##abi##_sys##name(const struct pt_regs *regs);		\
	ALLOW_ERROR_INJECTION(__##abi##_sys##name, ERRNO);		\
	long __##abi##_sys##name(const struct pt_regs *regs)		\
	{								\
		return __se_sys##name(__VA_ARGS__);			\
	}

#ifdef __X64_SYS_STUBx
/* 5.7+: the kernel's stub macros call __se_sys<name>(). */
#define __KLPGEN_X64_STUBx(x, name, ...)  __X64_SYS_STUBx(x, name, __VA_ARGS__)
#else
/* 4.17 - 5.6: asmlinkage __x64_sys<name>() written out in the kernel's
 * __SYSCALL_DEFINEx; __IA32_SYS_STUBx exists as in 5.7+. */
#define __KLPGEN_X64_STUBx(x, name, ...)				\
	__KLPGEN_SYSCALL_STUB(x64, name, SC_X86_64_REGS_TO_ARGS(x, __VA_ARGS__))
#endif

/*
 * The kernel's chain with the body renamed: the stubs decode pt_regs and
 * call __se_sys<name>() (sign extension, asmlinkage_protect), which calls
 * the body.
 */
#define __KLPGEN_SYSCALL_BODYx(x, name, ...)				\
	static long __se_sys##name(__MAP(x, __SC_LONG, __VA_ARGS__));	\
	static inline long						\
	__kpatch_do_sys##name(__MAP(x, __SC_DECL, __VA_ARGS__));	\
	__KLPGEN_X64_STUBx(x, name, __VA_ARGS__)			\
	__IA32_SYS_STUBx(x, name, __VA_ARGS__)				\
	static long __se_sys##name(__MAP(x, __SC_LONG, __VA_ARGS__))	\
	{								\
		long ret = __kpatch_do_sys##name(			\
				__MAP(x, __SC_CAST, __VA_ARGS__));	\
		__MAP(x, __SC_TEST, __VA_ARGS__);			\
		__PROTECT(x, ret, __MAP(x, __SC_ARGS, __VA_ARGS__));	\
		return ret;						\
	}								\
	static inline long						\
	__kpatch_do_sys##name(__MAP(x, __SC_DECL, __VA_ARGS__))

/*
 * No arguments: the kernel makes __x64_sys_<name>() an alias of the
 * (traced, not inline) body; here the alias points at the renamed body,
 * so the entry point is the changed function and the body the new one.
 */
#if defined(CONFIG_X86_32) || defined(CONFIG_IA32_EMULATION)
#define __KLPGEN_IA32_STUB0(sname)					\
	long __ia32_sys_##sname(const struct pt_regs *regs);		\
	ALLOW_ERROR_INJECTION(__ia32_sys_##sname, ERRNO);		\
	long __ia32_sys_##sname(const struct pt_regs *regs)		\
		__attribute__((alias("__kpatch_do_sys_" #sname)));
#else
#define __KLPGEN_IA32_STUB0(sname)
#endif

#define KPATCH_SYSCALL_DEFINE0(sname)					\
	SYSCALL_METADATA(_##sname, 0);					\
	static long __kpatch_do_sys_##sname(const struct pt_regs *__unused); \
	long __x64_sys_##sname(const struct pt_regs *regs);		\
	ALLOW_ERROR_INJECTION(__x64_sys_##sname, ERRNO);		\
	long __x64_sys_##sname(const struct pt_regs *regs)		\
		__attribute__((alias("__kpatch_do_sys_" #sname)));	\
	__KLPGEN_IA32_STUB0(sname)					\
	static long __kpatch_do_sys_##sname(const struct pt_regs *__unused)

#endif /* _KLPGEN_KPATCH_SYSCALL_H */
