#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen check: each rule on modules made of a .klpgen.meta section (the
# kernel's rule for states, 6.1 and rework; reverted functions; shadow ids;
# version changes without a callback; stacked non-replace patches), the
# exit codes and the messages naming the state, function or id.
. "$(dirname "$0")/../lib/tap.sh"

mk_tmpdir
K=$BIN/klpgen
printf 'int x;\n' >"$TMP/x.c"
gcc -c -o "$TMP/x.o" "$TMP/x.c"

# mod NAME [REPLACE] RECORDS...: $TMP/NAME.ko with that .klpgen.meta.
mod() {
	local name=$1 replace=$2; shift 2
	{
		printf 'klpgen-meta 1\nmodule %s\nreplace %s\n' "$name" "$replace"
		printf '%s\n' "$@"
	} >"$TMP/$name.txt"
	objcopy --add-section .klpgen.meta="$TMP/$name.txt" "$TMP/x.o" "$TMP/$name.ko"
}
# chk WANT_RC DESC MODULES...: run check, keep its output in $out.
chk() {
	local want=$1 desc=$2 rc=0; shift 2
	out=$(cd "$TMP" && "$K" check "${@/%/.ko}" 2>&1) || rc=$?
	is "$rc" "$want" "$desc: exit $want"
}
F61='state_fields version data'

mod v1 1 'object vmlinux' 'func vmlinux proc_pid_status 0' "$F61" \
	'state 1 1 block_disable=0 is_shadow=0' 'shadow 100' 'shadow_state 100 1'
mod v2 1 'object vmlinux' 'func vmlinux proc_pid_status 0' 'func vmlinux version_proc_show 0' \
	'callback vmlinux pre_patch take_over' "$F61" \
	'state 1 2 block_disable=0 is_shadow=0' 'shadow 100' 'shadow_state 100 1'
chk 0 "v2 after v1 (state 1 up, pre_patch callback)" v1 v2
like "$out" '^checking v2 after v1 \(replace patch; state rule: struct klp_state with version \(6\.1 \.\. 6\.12\)\)' "the rule it applies"
like "$out" 'v2 after v1: compatible \(0 errors, 0 warnings\)$' "verdict"

# States, 6.1: dropped by a replace patch, lowered, raised without callback.
mod v3 1 'object vmlinux' 'func vmlinux proc_pid_status 0' 'func vmlinux version_proc_show 0' "$F61" \
	'shadow 100' 'shadow_state 100 1'
chk 4 "v3 drops state 1" v2 v3
like "$out" 'error: state 1: v2 has it \(version 2\), v3 does not; a replace patch must carry every state' "names the state"
like "$out" 'v3 after v2: incompatible \(1 error, 0 warnings\)' "verdict: incompatible"
mod r3 0 'object vmlinux' 'func vmlinux other 0' "$F61"
chk 0 "a non-replace patch may leave a state out (6.1)" v2 r3
mod low 1 'object vmlinux' 'func vmlinux proc_pid_status 0' 'func vmlinux version_proc_show 0' \
	'callback vmlinux pre_patch p' "$F61" 'state 1 1 block_disable=0 is_shadow=0' 'shadow 100' 'shadow_state 100 1'
chk 4 "state 1 version 2 -> 1" v2 low
like "$out" 'error: state 1: version 2 in v2, 1 in low; the kernel refuses a state version lower' "names the versions"
mod rlow 0 'object vmlinux' 'func vmlinux other 0' "$F61" 'state 1 1 block_disable=0 is_shadow=0'
chk 4 "non-replace with a lower version: refused too (klp_is_state_compatible)" v2 rlow
mod nocb 1 'object vmlinux' 'func vmlinux proc_pid_status 0' 'func vmlinux version_proc_show 0' \
	'callback vmlinux post_unpatch free' "$F61" 'state 1 3 block_disable=0 is_shadow=0' 'shadow 100' 'shadow_state 100 1'
chk 0 "state 1 raised, no pre/post-patch callback: a warning" v2 nocb
like "$out" 'warning: state 1: version 2 in v2, 3 in nocb, which has no pre_patch or post_patch callback' "names it"
like "$out" 'compatible \(0 errors, 1 warning\)' "compatible with a warning"

# States, the rework: block_disable instead of version.
FRW='state_fields block_disable is_shadow'
mod b1 1 'object vmlinux' 'func vmlinux f 0' "$FRW" 'state 1 0 block_disable=1 is_shadow=0' \
	'state 2 0 block_disable=0 is_shadow=1' 'shadow 2'
mod b2 1 'object vmlinux' 'func vmlinux f 0' "$FRW"
chk 4 "rework: a replace patch dropping a block_disable state" b1 b2
like "$out" 'state rule: struct klp_state with block_disable \(the proposed rework\)' "the rework rule"
like "$out" 'error: state 1: b1 has it with block_disable, b2 does not' "names the blocking state"
unlike "$out" 'state 2' "state 2 (no block_disable) may go, its is_shadow variables with it"
mod b3 0 'object vmlinux' 'func vmlinux g 0' "$FRW"
chk 0 "rework: a non-replace patch is always compatible" b1 b3
mod b4 1 'object vmlinux' 'func vmlinux f 0' "$FRW" 'state 1 0 block_disable=1 is_shadow=0'
chk 0 "rework: keeping the block_disable state" b1 b4
unlike "$out" 'shadow id 2' "rework: shadow id 2 freed with its is_shadow state: no warning"

# Functions a replace patch stops patching.
mod f1 1 'object vmlinux' 'object ext4' 'func vmlinux a 0' 'func vmlinux b 2' 'func ext4 c.isra.0 0'
mod f2 1 'object vmlinux' 'func vmlinux a 0'
chk 4 "functions dropped by a replace patch" f1 f2
like "$out" 'error: function vmlinux:b,2: patched by f1, not by f2; the replace reverts it to the original' "names vmlinux:b,2"
like "$out" 'error: function ext4:c\.isra\.0: .*declare KLPGEN_REVERT\(c\)' "names ext4:c.isra.0 and the macro"
mod f3 1 'object vmlinux' 'func vmlinux a 0' 'revert vmlinux b' 'revert ext4 c'
chk 0 "declared reverts (clones included)" f1 f3
like "$out" 'note: function vmlinux:b,2: patched by f1, reverted by f3 as it declares' "a note for the revert"
mod f4 1 'object vmlinux' 'func vmlinux a 0' 'func vmlinux b 0' 'func ext4 c.isra.0 0'
chk 4 "another sympos is another function" f1 f4

# Shadow ids.
mod s1 1 'object vmlinux' 'func vmlinux a 0' "$F61" 'state 1 1 block_disable=0 is_shadow=0' \
	'state 2 1 block_disable=0 is_shadow=0' 'shadow 1' 'shadow 50' 'shadow_state 50 2' 'shadow 60'
mod s2 1 'object vmlinux' 'func vmlinux a 0' 'callback vmlinux pre_patch p' "$F61" \
	'state 1 1 block_disable=0 is_shadow=0' 'state 2 1 block_disable=0 is_shadow=0' \
	'shadow 1' 'shadow_state 1 2' 'shadow 50' 'shadow_state 50 1'
chk 4 "shadow ids tied to other states" s1 s2
like "$out" 'error: shadow id 1: tied to state 1 in s1 and to state 2 in s2' "implicit tie (id = state id) vs explicit"
like "$out" 'error: shadow id 50: tied to state 2 in s1 and to state 1 in s2' "explicit vs explicit"
like "$out" 'warning: shadow id 60: used by s1, not by s2; shadow variables s1 attached may still exist' "dropped id: warning"
mod s3 0 'object vmlinux' 'func vmlinux z 0' "$F61" 'state 1 1 block_disable=0 is_shadow=0' \
	'state 2 1 block_disable=0 is_shadow=0'
chk 0 "a non-replace patch leaves s1 and its data installed" s1 s3
unlike "$out" 'shadow id' "... no shadow finding"

# Stacked non-replace patches: functions they share are listed.
mod n1 0 'object vmlinux' 'func vmlinux cmdline_proc_show 0' 'func vmlinux x 0'
mod n2 0 'object vmlinux' 'func vmlinux cmdline_proc_show 0' 'func vmlinux y 0'
mod n3 0 'object vmlinux' 'func vmlinux y 0'
chk 0 "three stacked -R patches" n1 n2 n3
like "$out" 'note: function vmlinux:cmdline_proc_show: patched by both n1 and n2; the one enabled last runs' "n1 and n2 share cmdline_proc_show"
like "$out" 'note: function vmlinux:y: patched by both n2 and n3' "n2 and n3 share y"
is "$(grep -c '^note: function' <<<"$out")" 2 "... and nothing else"

# Order: a replace patch loaded after others leaves only itself.
chk 0 "n1 v1 v2: v1 replaced n1" n1 v1 v2
like "$out" 'note: n1 is replaced by v1 \(loaded after it, a replace patch\): not installed when v2 is enabled' "says n1 is gone"
mod v2same 1 'object vmlinux' 'func vmlinux proc_pid_status 0' 'callback vmlinux pre_patch p' "$F61" \
	'state 1 2 block_disable=0 is_shadow=0' 'shadow 100' 'shadow_state 100 1'
sed -i 's/^module v2same$/module v1/' "$TMP/v2same.txt"
objcopy --add-section .klpgen.meta="$TMP/v2same.txt" "$TMP/x.o" "$TMP/v2same.ko"
chk 4 "NEXT with PREV's module name" v1 v2same
like "$out" 'error: module name v1: v1.ko has it too; insmod of v2same.ko fails while v1 is loaded' "names it"

# Modules of different kernels; bad input.
chk 2 "6.1 fields vs rework fields" v1 b2
like "$out" 'built for kernels with different struct klp_state fields' "says why"
printf 'vermagic=6.1.0 SMP mod_unload \0name=m\0' >"$TMP/vm1"
printf 'vermagic=6.12.0 SMP mod_unload \0name=m\0' >"$TMP/vm2"
objcopy --add-section .modinfo="$TMP/vm1" "$TMP/v1.ko" "$TMP/k1.ko"
objcopy --add-section .modinfo="$TMP/vm2" "$TMP/v2.ko" "$TMP/k2.ko"
chk 2 "different vermagic" k1 k2
like "$out" "built for different kernels \(vermagic '6\.1\.0 SMP mod_unload ' and '6\.12\.0 SMP mod_unload '\)" "names both"
chk 2 "one module only" v1
like "$out" 'give at least two modules' "says so"
chk 2 "a missing module" v1 nonexistent
like "$out" 'nonexistent\.ko' "names it"
cp "$TMP/x.o" "$TMP/plain.ko"
chk 2 "a module without any livepatch metadata" v1 plain
like "$out" 'plain\.ko: no livepatch metadata: no \.klpgen\.meta section \(not built by klpgen\), and no data relocation points at __this_module' "says it plainly"
printf 'klpgen-meta 1\nmodule m\nreplace x\n' >"$TMP/badmeta.txt"
objcopy --add-section .klpgen.meta="$TMP/badmeta.txt" "$TMP/x.o" "$TMP/badmeta.ko"
chk 2 "a malformed .klpgen.meta" v1 badmeta
like "$out" 'badmeta\.ko: \.klpgen\.meta line 3: malformed replace record' "names file and line"
exit_is "--help" 0 "$K" check --help
exit_is "an unknown option" 2 "$K" check --frobnicate a b

# A module without .klpgen.meta: its klp_patch data is read.
kcc "$TMP/diff-vmlinux.o" "$FIXTURES/klp-convert/diff-vmlinux.c"
KLPGEN_DATADIR=$KLPGEN_SRC "$K" module -n lp_foreign --no-build --work "$TMP/w" \
	vmlinux="$TMP/diff-vmlinux.o" >/dev/null 2>&1
gcc -c -O2 -nostdinc -I "$FIXTURES/klp-convert/fake-include" -I "$TMP/w" -DFAKE_INTERNAL \
	-D'KBUILD_MODNAME="lp_foreign"' -o "$TMP/full.o" "$TMP/w/livepatch-main.c"
objcopy --rename-section .klpgen.meta=.comment.old "$TMP/full.o" "$TMP/foreign.ko"
mod nx 1 'object vmlinux' 'func vmlinux cmdline_proc_show 0' 'callback vmlinux pre_patch p' "$F61" \
	'state 1 2 block_disable=0 is_shadow=0'
chk 4 "a foreign module (klp_patch data) before a klpgen one" foreign nx
like "$out" 'note: foreign\.ko \(foreign\): no \.klpgen\.meta \(not built by klpgen\); read from its klp_patch data' "says where it read from"
like "$out" 'error: state 3: foreign has it \(version 1\), nx does not' "its states are checked"
unlike "$out" 'state 1:' "state 1 kept at version 2"
done_testing
