#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lib/klp-data.c: a module's klp_patch, klp_object, klp_func and klp_state
# data read through its relocations and symbols, for modules without
# .klpgen.meta: the generated module template compiled against the fake
# livepatch API, with and without internal fields (other element sizes),
# must read back as its own .klpgen.meta says; hostile shapes are refused.
. "$(dirname "$0")/../lib/tap.sh"

mk_tmpdir
F=$FIXTURES/klp-convert
Q=$TOOLS/libquery
for f in diff-vmlinux diff-mod diff-cb-only; do
	kcc "$TMP/$f.o" "$F/$f.c" || bail "cannot compile $f.c"
done
export KLPGEN_DATADIR=$KLPGEN_SRC
"$BIN/klpgen" module -n test_lp --no-build --work "$TMP/w" vmlinux="$TMP/diff-vmlinux.o" \
	ext4="$TMP/diff-mod.o" xfs="$TMP/diff-cb-only.o" >/dev/null 2>&1 ||
	bail "klpgen module --no-build failed"

# What the kernel's structures can say: no shadow ids, no is_shadow.
want=$(grep -v -e '^shadow' "$TMP/w/klpgen-meta.txt" | sed 's/is_shadow=1/is_shadow=0/')
cc_main() {	# cc_main OUT [flags]: the module object, .klpgen.meta renamed away
	local out=$1; shift
	gcc -c -O2 -nostdinc -I "$F/fake-include" -I "$TMP/w" "$@" \
		-D'KBUILD_MODNAME="test_lp"' -o "$TMP/$out.full.o" "$TMP/w/livepatch-main.c" &&
	objcopy --rename-section .klpgen.meta=.comment.old "$TMP/$out.full.o" "$TMP/$out.o"
}
for v in plain internal; do
	flags=
	[ $v = internal ] && flags=-DFAKE_INTERNAL
	cc_main test_lp $flags || bail "cannot compile livepatch-main.c ($v)"
	out=$("$Q" klpdata "$TMP/test_lp.o" 2>&1); rc=$?
	is "$rc" 0 "$v layout: read"
	is "$out" "$want" "$v layout: objects, funcs, callbacks, states as .klpgen.meta has them"
done
size=$(nm -S "$TMP/test_lp.o" | awk '$4 == "klpgen_funcs_0" { print $2 }')
is "$((16#$size))" 304 "internal layout: klp_func array of 2 elements of 152 bytes (n + terminator)"

# -R, and an object without states.
"$BIN/klpgen" module -n test_r -R --no-build --work "$TMP/wr" \
	xfs="$TMP/diff-cb-only.o" >/dev/null 2>&1
gcc -c -O2 -nostdinc -I "$F/fake-include" -I "$TMP/wr" -DFAKE_INTERNAL \
	-D'KBUILD_MODNAME="test_r"' -o "$TMP/r.full.o" "$TMP/wr/livepatch-main.c"
objcopy --rename-section .klpgen.meta=.comment.old "$TMP/r.full.o" "$TMP/test_r.o"
out=$("$Q" klpdata "$TMP/test_r.o")
like "$out" $'^klpgen-meta 1\nmodule test_r\nreplace 0\nobject xfs\ncallback xfs pre_patch xfs_pre$' \
	"-R, callbacks-only object, no states"

# No klp_patch at all, and a klp_patch whose arrays are wrong.
exit_is "an object without klp_patch: 3 (nothing to read)" 3 "$Q" klpdata "$TMP/diff-vmlinux.o"
out=$("$Q" klpdata "$TMP/diff-vmlinux.o" 2>&1)
like "$out" 'no data relocation points at __this_module' "... saying why"
cat >"$TMP/bad.c" <<'C'
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/livepatch.h>
static int f(void) { return 0; }
/* 29-byte elements: not a size the kernel's pointer-aligned klp_func has. */
static struct __attribute__((packed)) { const char *old_name; void *new_func; unsigned long pos; char pad[5]; }
	funcs[] = { { "f", f, 0 }, { } };
static struct klp_object objs[] = { { .funcs = (void *)funcs }, { } };
static struct klp_state states[] = { { .id = 1, .version = 1 }, { } };
struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, .states = states };
C
gcc -c -O2 -w -nostdinc -I "$F/fake-include" -o "$TMP/bad.o" "$TMP/bad.c"
out=$("$Q" klpdata "$TMP/bad.o" 2>&1); rc=$?
is "$rc" 3 "a klp_func array of 29-byte elements: not read"
like "$out" 'klp_func array whose elements cannot be told apart' "... saying why"
sed -i 's/__attribute__((packed)) //; s/{ "f", f, 0 }/{ "bad name", f, 0 }/' "$TMP/bad.c"
gcc -c -O2 -w -nostdinc -I "$F/fake-include" -o "$TMP/bad2.o" "$TMP/bad.c"
out=$("$Q" klpdata "$TMP/bad2.o" 2>&1)
like "$out" 'old_name is no string' "an old_name with a space is refused"
sed -i 's/"bad name"/"f"/' "$TMP/bad.c"
gcc -c -O2 -w -nostdinc -I "$F/fake-include" -o "$TMP/ok.o" "$TMP/bad.c"
like "$("$Q" klpdata "$TMP/ok.o")" $'func vmlinux f 0\nstate_fields version data\nstate 1 1 ' \
	"32-byte klp_func elements (pointer-aligned) and a state read"
exit_is "a file that is no ELF" 2 "$Q" klpdata "$F/diff-vmlinux.c"
done_testing
