#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# templates/kpatch-syscall.h on the real 6.1 lab tree: kernel/sys.c with
# KPATCH_SYSCALL_DEFINE1(newuname) against the original, compiled with the
# recorded kbuild command, as the lab config has it and with what it lacks
# (CONFIG_IA32_EMULATION: __ia32_sys_* stubs; CONFIG_FTRACE_SYSCALLS:
# syscall metadata; CONFIG_FUNCTION_ERROR_INJECTION: the whitelist), and
# KPATCH_SYSCALL_DEFINE0..6; KPATCH_STATIC_CALL of kpatch-macros.h.  Needs
# the function-sections build of the lab tree that klpgen build caches (see tests/fixtures/cdo/fsections.sh).
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "${KEEP:-}" ] && trap - EXIT && echo "# $TMP"

LAB=${KLPGEN_CACHE:-$HOME/.cache/klpgen}/lab/linux-6.1
fsections_build "$LAB"
CMDFILE=$FS/kernel/.sys.o.cmd
if [ ! -f "$LAB/build/vmlinux" ] || [ ! -f "$CMDFILE" ]; then
	echo "1..0 # SKIP no function-sections build of the 6.1 lab tree ($FS)"
	exit 0
fi
CMD=$(sed -n -e 's|^cmd_kernel/sys.o := ||p' -e 's|^savedcmd_kernel/sys.o := ||p' "$CMDFILE")
[ -n "$CMD" ] || bail "no recorded command in $CMDFILE"
INC=$TMP/inc
mkdir -p "$INC/linux"
cp "$KLPGEN_SRC"/templates/kpatch-macros.h "$KLPGEN_SRC"/templates/kpatch-syscall.h "$INC/"
cp "$KLPGEN_SRC"/templates/klpgen-patch.h "$INC/linux/"
SV="-S $LAB/build/Module.symvers"

# kcc_lab SHADOW REL OUT [flags]: compile SHADOW/REL (a file of kernel/) as
# the build compiled kernel/sys.c: same flags, same __FILE__, objtool too.
kcc_lab() {
	local shadow=$1 rel=$2 out=$3 c
	shift 3
	c=${CMD//"$FSSRC/kernel/sys.c"/"$shadow/$rel -I$FSSRC/kernel -fmacro-prefix-map=$shadow/= -I$INC $*"}
	c=${c//"-Wp,-MMD,kernel/.sys.o.d"/"-Wp,-MMD,$TMP/.dep"}
	c=${c//" kernel/sys.o"/" $out"}
	(cd "$FS" && eval "$c") >"$out.log" 2>&1
}
# pair NAME PATCH [flags]: orig and patched kernel/sys.c objects
pair() {
	local name=$1 patch=$2
	shift 2
	mkdir -p "$TMP/$name/o/kernel" "$TMP/$name/p/kernel"
	cp "$FSSRC/kernel/sys.c" "$TMP/$name/o/kernel/"
	cp "$FSSRC/kernel/sys.c" "$TMP/$name/p/kernel/"
	(cd "$TMP/$name/p" && patch -s -p1 <"$patch") || return 1
	kcc_lab "$TMP/$name/o" kernel/sys.c "$TMP/$name/orig.o" "$@" &&
	kcc_lab "$TMP/$name/p" kernel/sys.c "$TMP/$name/patched.o" "$@"
}
run() {	# NAME [cdo options]
	local name=$1
	shift
	OUT=$TMP/$name/out.o JSON=$TMP/$name/explain.json
	"$CDO" $SV --explain "$JSON" "$@" "$TMP/$name/orig.o" "$TMP/$name/patched.o" \
		"$OUT" 2>"$TMP/$name/err"
	RC=$?
	ERR=$(cat "$TMP/$name/err")
}
v() {	# NAME FUNC: verdict
	grep -o "{\"name\": \"$2\", [^}]*}" "$TMP/$1/explain.json" |
		sed -n 's/.*"verdict": "\([^"]*\)".*/\1/p'
}

P=$KLPGEN_SRC/examples/kpatch/syscall.patch
# --- the lab config ----------------------------------------------------------------
pair lab "$P" || bail "kernel/sys.c with KPATCH_SYSCALL_DEFINE1 does not compile: $(cat "$TMP/lab/patched.o.log")"
run lab -s "$LAB/build/vmlinux"
is "$RC" 0 "KPATCH_SYSCALL_DEFINE1(newuname): exit 0"
is "$(v lab __x64_sys_newuname)" changed "__x64_sys_newuname changed (it has the fentry call)"
like "$(v lab __kpatch_do_sys_newuname)" '^(new|)$' "the body is a new function, or inlined into the stub"
is "$(grep -c '"verdict": "changed"' "$JSON")" 1 "nothing else changed"
like "$(out_symbols "$OUT")" '^__klpgen_new\.vmlinux\.__x64_sys_newuname\.0 GLOBAL FUNC' "a klp_func for __x64_sys_newuname"
ok_desc "output links" check_out "$OUT" __fentry__ down_read up_read _copy_to_user strscpy current_task
# the same change through the kernel's own SYSCALL_DEFINE1
sed 's/^+KPATCH_SYSCALL_DEFINE1(newuname/+SYSCALL_DEFINE1(newuname/' "$P" >"$TMP/plain.patch"
pair plain "$TMP/plain.patch"
run plain -s "$LAB/build/vmlinux"
if [ "$(v plain __do_sys_newuname)" = refused ]; then
	is "$RC" 4 "plain SYSCALL_DEFINE1: refused, its body is out of line and notrace"
	like "$ERR" 'changed function __do_sys_newuname .*no ftrace site at its start' "... and says so"
else
	skip "gcc inlined __do_sys_newuname here"
	skip "gcc inlined __do_sys_newuname here"
fi

# --- CONFIG_IA32_EMULATION (off in the lab config): the __ia32_sys_* stub too -----------
IA32="-DCONFIG_IA32_EMULATION=1 -DCONFIG_COMPAT=1 -DCONFIG_COMPAT_32=1"
pair ia32 "$P" $IA32 || bail "does not compile with IA32_EMULATION: $(cat "$TMP/ia32/patched.o.log")"
like "$(nm "$TMP/ia32/patched.o")" ' T __ia32_sys_newuname' "IA32_EMULATION: __ia32_sys_newuname defined"
run ia32	# symbols from the orig object: the lab vmlinux has no ia32 stubs
is "$RC" 0 "IA32_EMULATION: exit 0"
is "$(v ia32 __x64_sys_newuname)" changed "__x64_sys_newuname changed"
is "$(v ia32 __ia32_sys_newuname)" changed "__ia32_sys_newuname changed"
like "$(out_symbols "$OUT")" '^__klpgen_new\.vmlinux\.__ia32_sys_newuname\.0 ' "a klp_func for each"

# --- CONFIG_FTRACE_SYSCALLS: the same metadata as the original, nothing to ignore ---------
pair ftrace "$P" -DCONFIG_FTRACE_SYSCALLS=1 || bail "does not compile with FTRACE_SYSCALLS"
like "$(out_sections "$TMP/ftrace/patched.o")" '^__syscalls_metadata$' "FTRACE_SYSCALLS: metadata emitted"
like "$(nm "$TMP/ftrace/patched.o")" ' __syscall_meta__newuname$' "... for newuname too"
run ftrace
is "$RC" 0 "FTRACE_SYSCALLS: exit 0 (no KPATCH_IGNORE_SECTION needed)"
unlike "$(out_sections "$OUT")" 'syscalls_metadata|_ftrace_events' "no metadata copied"

# --- CONFIG_FUNCTION_ERROR_INJECTION: stubs are whitelisted, as in distro kernels ---------
pair ei "$P" -DCONFIG_FUNCTION_ERROR_INJECTION=1 || bail "does not compile with FUNCTION_ERROR_INJECTION"
like "$(out_sections "$TMP/ei/patched.o")" '^_error_injection_whitelist$' "whitelist entries emitted"
run ei
is "$RC" 0 "FUNCTION_ERROR_INJECTION: exit 0 (the entry names the original, not copied)"
unlike "$(out_sections "$OUT")" 'error_injection' "whitelist not copied"

# --- KPATCH_STATIC_CALL (kpatch-macros.h): no static call site to patch at load ----------
d=$TMP/sc
mkdir -p "$d/kernel"
for use in static_call KPATCH_STATIC_CALL; do
	cat >"$d/kernel/sc.c" <<EOF
#include <linux/static_call.h>
#include "kpatch-macros.h"
static int kt_target(int x) { return x + 1; }
DEFINE_STATIC_CALL(kt_sc, kt_target);
int kt_use(int x) { return $use(kt_sc)(x) * 3; }
EOF
	kcc_lab "$d" kernel/sc.c "$d/$use.o"
	is "$?" 0 "$use(kt_sc)(x) compiles"
done
like "$("$ELFDUMP" -S "$d/static_call.o" | awk '$2 == ".static_call_sites" { print $5 }')" '^size=[1-9]' \
	"static_call(): a .static_call_sites entry"
unlike "$(out_sections "$d/KPATCH_STATIC_CALL.o")" '^\.static_call_sites$' \
	"KPATCH_STATIC_CALL(): none, an indirect call through the key"
like "$("$ELFDUMP" -r "$d/KPATCH_STATIC_CALL.o" | awk '/for \.text\.kt_use$/ {f=1; next} /^relocs/ {f=0} f')" \
	'__SCK__kt_sc' "it reads the key"

# --- KPATCH_SYSCALL_DEFINE0..6 -------------------------------------------------------
gen() {	# gen PREFIX: syscalls kt0..kt6 defined with PREFIX##SYSCALL_DEFINEn
	local p=$1
	cat <<EOF
#include <linux/syscalls.h>
#include "kpatch-syscall.h"
${p}SYSCALL_DEFINE0(kt0) { return BODY(0); }
${p}SYSCALL_DEFINE1(kt1, int, a) { return BODY(a); }
${p}SYSCALL_DEFINE2(kt2, int, a, long, b) { return BODY(a + b); }
${p}SYSCALL_DEFINE3(kt3, int, a, long, b, unsigned int, c) { return BODY(a + b + c); }
${p}SYSCALL_DEFINE4(kt4, int, a, long, b, unsigned int, c, char __user *, d) { return BODY(a + b + c + (d != NULL)); }
${p}SYSCALL_DEFINE5(kt5, int, a, long, b, unsigned int, c, char __user *, d, u64, e) { return BODY(a + b + c + (d != NULL) + e); }
${p}SYSCALL_DEFINE6(kt6, int, a, long, b, unsigned int, c, char __user *, d, u64, e, short, f) { return BODY(a + b + c + (d != NULL) + e + f); }
EOF
}
for cfg in lab ia32; do
	flags=; [ $cfg = ia32 ] && flags=$IA32
	d=$TMP/def-$cfg
	mkdir -p "$d/o/kernel" "$d/p/kernel"
	{ echo '#define BODY(x) (x)'; gen ""; } >"$d/o/kernel/kt.c"
	{ echo '#define BODY(x) ((x) + 7)'; gen KPATCH_; } >"$d/p/kernel/kt.c"
	# shellcheck disable=SC2086
	kcc_lab "$d/o" kernel/kt.c "$d/orig.o" $flags &&
	kcc_lab "$d/p" kernel/kt.c "$d/patched.o" $flags
	is "$?" 0 "$cfg: KPATCH_SYSCALL_DEFINE0..6 compile"
	syms=$(nm "$d/patched.o")
	n=0; for i in 0 1 2 3 4 5 6; do grep -q " T __x64_sys_kt$i\$" <<<"$syms" && n=$((n + 1)); done
	is "$n" 7 "$cfg: __x64_sys_kt0..6 defined"
	n=0; for i in 0 1 2 3 4 5 6; do grep -q " T __ia32_sys_kt$i\$" <<<"$syms" && n=$((n + 1)); done
	is "$n" "$([ $cfg = ia32 ] && echo 7 || echo 0)" "$cfg: __ia32_sys_kt0..6 $([ $cfg = ia32 ] && echo defined || echo absent)"
	is "$(awk '$3 == "__x64_sys_kt0" || $3 == "__kpatch_do_sys_kt0" { print $1 }' <<<"$syms" | sort -u | wc -l)" 1 \
		"$cfg: DEFINE0's __x64_sys_kt0 is an alias of its renamed body"
	mv "$d" "$TMP/$cfg-def"
	run "$cfg-def"
	is "$RC" 0 "$cfg: the seven changed bodies: exit 0"
	n=0; for i in 0 1 2 3 4 5 6; do [ "$(v "$cfg-def" __x64_sys_kt$i)" = changed ] && n=$((n + 1)); done
	is "$n" 7 "$cfg: __x64_sys_kt0..6 changed"
	is "$(grep -c '"verdict": "refused"' "$JSON")" 0 "$cfg: nothing refused"
done

done_testing
