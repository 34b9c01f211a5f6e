#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lib/klpgen-meta.c: the one parser and writer of .klpgen.meta.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
Q=$TOOLS/libquery

good='klpgen-meta 1
module fix_x
replace 1
object vmlinux
object ext4
func vmlinux cmdline_proc_show 0
callback vmlinux pre_patch my_pre
func ext4 foo.isra.0 2
state 1 2 block_disable=0 is_shadow=1
state 18446744073709551615 4294967295 block_disable=1 is_shadow=0
shadow 7'
printf '%s\n' "$good" >"$TMP/good"
out=$("$Q" meta "$TMP/good"); rc=$?
is "$rc" 0 "a full record set parses"
is "$(grep -v '^#' <<<"$out")" "$good" "it formats back to the same text"
like "$out" '# 2 objects, 2 funcs, 1 callbacks, 2 states, 1 shadows, 0 other' "every record counted"

# Records are grouped by object when written, whatever the order read.
printf 'klpgen-meta 1\nmodule m\nreplace 0\nobject vmlinux\nobject ext4\nfunc ext4 b 0\nfunc vmlinux a 0\n' >"$TMP/order"
out=$("$Q" meta "$TMP/order")
like "$out" $'object ext4\nfunc vmlinux a 0\nfunc ext4 b 0' "funcs grouped in object order"

# Unknown keywords survive a read and a re-format, fields and all.
printf 'klpgen-meta 1\nmodule m\nreplace 1\nfuture a b c d e f g h i j\n' >"$TMP/future"
out=$("$Q" meta "$TMP/future"); rc=$?
is "$rc" 0 "unknown keyword with many fields accepted"
like "$out" 'future a b c d e f g h i j' "... and kept verbatim"
like "$out" '1 other' "... as one other record"

# Trailing NUL padding is fine; NUL inside is not.
printf 'klpgen-meta 1\nmodule m\n\0\0\0' >"$TMP/pad"
exit_is "trailing NULs are padding" 0 "$Q" meta "$TMP/pad"
printf 'klpgen-meta 1\n\0module m\n' >"$TMP/nul"
exit_is "a NUL inside" 2 "$Q" meta "$TMP/nul"

bad() {	# bad DESC TEXT REGEX
	local out rc=0
	printf '%s\n' "$2" >"$TMP/bad"
	out=$("$Q" meta "$TMP/bad" 2>&1) || rc=$?
	is "$rc" 2 "$1: exit 2"
	like "$out" "$3" "$1: reason"
}
bad "no header" 'module m' "line 1: does not start with 'klpgen-meta 1'"
bad "version 2" $'klpgen-meta 2\nmodule m' "does not start with 'klpgen-meta 1'"
bad "no module record" $'klpgen-meta 1\nreplace 1' "has no module record"
bad "two module records" $'klpgen-meta 1\nmodule a\nmodule b' "line 3: malformed module record"
bad "bad object name" $'klpgen-meta 1\nmodule m\nobject a-b' "line 3: malformed object record"
bad "object name of 56 chars" "$(printf 'klpgen-meta 1\nmodule m\nobject %056d' 0)" "malformed object record"
bad "func without sympos" $'klpgen-meta 1\nmodule m\nfunc vmlinux f' "malformed func record"
bad "func sympos not a number" $'klpgen-meta 1\nmodule m\nfunc vmlinux f x1' "malformed func record"
bad "callback kind" $'klpgen-meta 1\nmodule m\ncallback vmlinux during f' "malformed callback record"
bad "state version over 32 bits" $'klpgen-meta 1\nmodule m\nstate 1 4294967296 block_disable=0 is_shadow=0' "malformed state record"
bad "state id over 64 bits" $'klpgen-meta 1\nmodule m\nstate 18446744073709551616 1 block_disable=0 is_shadow=0' "malformed state record"
bad "state flag value" $'klpgen-meta 1\nmodule m\nstate 1 1 block_disable=2 is_shadow=0' "malformed state record"
bad "shadow id negative" $'klpgen-meta 1\nmodule m\nshadow -1' "malformed shadow record"
bad "double space" $'klpgen-meta 1\nmodule m\nshadow  1' "malformed shadow record"
bad "empty" '' "line 1: does not start"

# version, kernel, patch: optional, once (version, kernel), free-form tokens.
printf "klpgen-meta 1\nmodule m\nreplace 1\nversion 2.1-rc1\nkernel 6.1.0-57-cloud-amd64\npatch fix-a.patch\npatch fix-b.patch\n" >"$TMP/vk"
out=$("$Q" meta "$TMP/vk"); rc=$?
is "$rc" 0 "version, kernel and patch records"
like "$out" $'version 2.1-rc1\nkernel 6.1.0-57-cloud-amd64\npatch fix-a.patch\npatch fix-b.patch' "... formatted back in order"
bad "two versions" $'klpgen-meta 1\nmodule m\nversion 1\nversion 2' "line 4: malformed version record"
bad "kernel with a space" $'klpgen-meta 1\nmodule m\nkernel 6.1 x' "malformed kernel record"
bad "patch with a control char" "$(printf 'klpgen-meta 1\nmodule m\npatch a\tb')" "malformed patch record"

# revert, shadow_state, state_fields: klpgen check's records.
printf 'klpgen-meta 1\nmodule m\nreplace 1\nobject vmlinux\nrevert vmlinux old_fix\nrevert ext4 foo\nstate_fields version data\nstate 1 2 block_disable=0 is_shadow=0\nshadow 7\nshadow_state 7 1\n' >"$TMP/chk"
out=$("$Q" meta "$TMP/chk"); rc=$?
is "$rc" 0 "revert, shadow_state and state_fields records"
is "$(grep -v '^#' <<<"$out")" "$(cat "$TMP/chk")" "... formatted back as they were"
like "$out" '# 2 reverts, 1 ties, 2 state fields' "... and counted"
bad "revert without a function" $'klpgen-meta 1\nmodule m\nrevert vmlinux' "malformed revert record"
bad "revert of a bad object" $'klpgen-meta 1\nmodule m\nrevert a.b f' "malformed revert record"
bad "shadow_state to state 0" $'klpgen-meta 1\nmodule m\nshadow_state 7 0' "malformed shadow_state record"
bad "shadow_state not a number" $'klpgen-meta 1\nmodule m\nshadow_state 7 x' "malformed shadow_state record"
bad "two state_fields records" $'klpgen-meta 1\nmodule m\nstate_fields version\nstate_fields data' "line 4: malformed state_fields record"
bad "state_fields without a field" $'klpgen-meta 1\nmodule m\nstate_fields' "malformed state_fields record"
bad "state_fields with an odd name" $'klpgen-meta 1\nmodule m\nstate_fields Version' "malformed state_fields record"

# From a module: a section, or none (exit 3 from libquery: no metadata).
printf '%s\n' "$good" >"$TMP/sec"
printf 'int x;\n' >"$TMP/x.c"
gcc -c -o "$TMP/x.o" "$TMP/x.c"
objcopy --add-section .klpgen.meta="$TMP/sec" "$TMP/x.o" "$TMP/m.o"
out=$("$Q" meta "$TMP/m.o"); rc=$?
is "$rc" 0 "read from an object's .klpgen.meta"
like "$out" 'func ext4 foo.isra.0 2' "... with its records"
exit_is "an object without .klpgen.meta: no metadata" 3 "$Q" meta "$TMP/x.o"
done_testing
