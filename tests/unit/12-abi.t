#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lib/klpgen-abi.c: the one builder and parser of each klp and klpgen name,
# within the kernel's sscanf limits (55 for objects, 511 for symbols).
. "$(dirname "$0")/../lib/tap.sh"
Q=$TOOLS/libquery
a() { "$Q" abi "$@"; }
# "name" x N
rep() { printf "%.0s$1" $(seq "$2"); }
o55=$(rep o 55) o56=$(rep o 56) s511=$(rep s 511) s512=$(rep s 512)

# Object and module names.
is "$(a objname vmlinux)" ok "vmlinux is an object name"
is "$(a objname "$o55")" ok "55 characters are"
is "$(a objname "$o56")" bad "56 are not"
is "$(a objname "")" bad "an empty name is not"
is "$(a objname nf-nat)" bad "'-' is not (the kernel has turned it into '_')"
is "$(a objname a.b)" bad "a dot is not"
is "$(a objname-dup nf-nat-ftp)" nf_nat_ftp "'-' becomes '_'"
is "$(a symname "$s511")" ok "a 511-byte symbol name is one the kernel looks up"
is "$(a symname "$s512")" bad "512 bytes are not"
is "$(a symname "")" bad "nor an empty name"

# .klp.sym.<obj>.<name>,<pos>: built names parse back to their parts.
for t in "vmlinux foo 0" "ext4 foo.isra.0 2" "$o55 $s511 999999999"; do
	set -- $t
	n=$(a sym "$1" "$2" "$3")
	is "$(a sym-parse "$n")" "$1 $2 $3" "klp sym round trip (${#1}, ${#2} chars, pos $3)"
done
is "$(a sym vmlinux foo 3)" ".klp.sym.vmlinux.foo,3" "the kernel's format"
exit_is "56-char object refused when built" 2 "$Q" abi sym "$o56" foo 0
exit_is "512-char symbol refused when built" 2 "$Q" abi sym vmlinux "$s512" 0
like "$(a sym vmlinux "$s512" 0)" "longer than the kernel's limit of 511" "... saying why"
like "$(a sym vmlinux a,b 0)" "','" "a ',' in a symbol name is refused when built"
exit_is "empty symbol refused when built" 2 "$Q" abi sym vmlinux "" 0
exit_is "a 10-digit sympos refused when built" 2 "$Q" abi sym vmlinux foo 1000000000
exit_is "a bad object refused when built" 2 "$Q" abi sym a.b foo 0
like "$(a sym a.b foo 0)" "invalid object name" "... saying why"
like "$(a sym "$o56" foo 0)" "longer than the kernel's limit of 55" "a 56-char object: why, when built"
bad_sym() { like "$(a sym-parse "$1")" "$2" "parse refuses $3"; }
bad_sym ".klp.rela.vmlinux.foo,0" "does not start with" "another prefix"
bad_sym ".klp.sym.foo,0" "no object name" "a name without object"
bad_sym ".klp.sym..foo,0" "no object name" "an empty object"
bad_sym ".klp.sym.$o56.foo,0" "longer than the kernel's limit of 55" "a 56-char object"
bad_sym ".klp.sym.vmlinux.$s512,0" "longer than the kernel's limit of 511" "a 512-char symbol"
bad_sym ".klp.sym.vmlinux.foo" "no ',<sympos>'" "no sympos"
bad_sym ".klp.sym.vmlinux.,0" "empty symbol name" "an empty symbol"
bad_sym ".klp.sym.vmlinux.foo,x" "no numeric sympos" "a word for sympos"
bad_sym ".klp.sym.vmlinux.foo,1x" "malformed sympos" "trailing junk"
bad_sym ".klp.sym.vmlinux.foo,1234567890" "malformed sympos" "10 digits"
bad_sym ".klp.sym.nf-nat.foo,0" "invalid object name" "a '-' in the object"

# .klp.rela.<obj>.<section>
is "$(a rela ext4 .text.foo)" ".klp.rela.ext4..text.foo" "klp rela name"
is "$(a rela-obj .klp.rela.ext4..text.foo)" ext4 "its object"
is "$(a rela-obj .klp.rela.$o55..text)" "$o55" "a 55-char object"
exit_is "a 56-char object is none" 2 "$Q" abi rela-obj ".klp.rela.$o56..text"
exit_is "no dot after the object: none" 2 "$Q" abi rela-obj ".klp.rela.ext4"
exit_is "a bad object: none" 2 "$Q" abi rela-obj ".klp.rela.a-b..text"
exit_is "another prefix: none" 2 "$Q" abi rela-obj ".rela.text"

# __klpgen_new.<obj>.<func>.<pos>
for t in "vmlinux cmdline_proc_show 0" "ext4 foo.isra.0 2" "$o55 $s511 7"; do
	set -- $t
	n=$(a new "$1" "$2" "$3")
	is "$(a new-parse "$n")" "$1 $2 $3" "new-function alias round trip (${#1}, ${#2} chars)"
done
is "$(a new ext4 foo.isra.0 2)" "__klpgen_new.ext4.foo.isra.0.2" "the alias format"
exit_is "a 512-char function refused when built" 2 "$Q" abi new vmlinux "$s512" 0
exit_is "an empty function refused when built" 2 "$Q" abi new vmlinux "" 0
exit_is "a bad object refused when built" 2 "$Q" abi new a.b foo 0
exit_is "a 56-char object refused when built" 2 "$Q" abi new "$o56" foo 0
exit_is "a 10-digit sympos refused when built" 2 "$Q" abi new vmlinux foo 1000000000
like "$(a new vmlinux foo 1000000000)" "malformed sympos" "... saying why"
is "$(a new-parse "$(a new vmlinux a,b 0)")" "vmlinux a,b 0" "a ',' is fine in a new-function alias"
bad_new() { like "$(a new-parse "$1")" "$2" "parse refuses $3"; }
bad_new "__klpgen_new.vmlinux.foo" "malformed, want" "no sympos"
bad_new "__klpgen_new.vmlinux" "malformed, want" "no function"
bad_new "__klpgen_new.vmlinux.foo.x" "malformed, want" "a word for sympos"
bad_new "__klpgen_new.vmlinux.foo.1x" "malformed sympos" "trailing junk"
bad_new "__klpgen_new.vmlinux.foo.1234567890" "malformed sympos" "10 digits"
bad_new "__klpgen_new.vmlinux..0" "malformed, want" "an empty function"
bad_new "__klpgen_new.vmlinux.$s512.0" "too long for the kernel" "a 512-char function"
bad_new "__klpgen_new.$o56.foo.0" "invalid object name" "a 56-char object"
bad_new "__klpgen_cb_pre_patch_foo" "malformed, want" "another prefix"

# __klpgen_cb_<kind>_<function>
for k in pre_patch post_patch pre_unpatch post_unpatch; do
	is "$(a cb-parse "$(a cb $k my_fn_2)")" "$k my_fn_2" "callback alias round trip: $k"
done
is "$(a cb pre_unpatch f)" "__klpgen_cb_pre_unpatch_f" "the alias format"
exit_is "an unknown kind is refused" 2 "$Q" abi cb pre_load f
exit_is "parse: unknown kind" 2 "$Q" abi cb-parse __klpgen_cb_pre_load_f
exit_is "parse: no function" 2 "$Q" abi cb-parse __klpgen_cb_pre_patch_
exit_is "parse: no '_' after the kind" 2 "$Q" abi cb-parse __klpgen_cb_pre_patchf
exit_is "parse: another prefix" 2 "$Q" abi cb-parse __klpgen_new.vmlinux.f.0
# .klpgen.states and .klpgen.shadow_ids records: 16 bytes, little-endian.
mk_tmpdir
# id 0x0102 version 3, block_disable 1; then id 0 (malformed); then a flag 2
printf '\x02\x01\0\0\0\0\0\0\x03\0\0\0\x01\0\0\0' >"$TMP/st"
printf '\0\0\0\0\0\0\0\0\x03\0\0\0\0\0\0\0' >>"$TMP/st"
printf '\x05\0\0\0\0\0\0\0\x01\0\0\0\0\x02\0\0' >>"$TMP/st"
printf '\x07\0\0\0\0\0\0\0\x01\0\0\0\0\0\x01\0' >>"$TMP/st"
is "$(a records state "$TMP/st")" "258 3 1 0
malformed
malformed
malformed" "state records: fields read little-endian; id 0, a flag of 2, reserved bits refused"
printf '\x09\0\0\0\0\0\0\0\x02\x01\0\0\0\0\0\0' >"$TMP/sh"
is "$(a records shadow "$TMP/sh")" "9 258" "shadow record: id and the state it is tied to"
done_testing
