#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object on clang-built objects and UBSAN data: string literals
# of every function in one .rodata.str1.1, static locals named
# <function>.<name>, .llvm.<hash> suffixed locals, and the renumbered
# private UBSAN data (gcc .data..Lubsan_data<N>, clang .data..L__unnamed_<N>)
# that made __init code look changed.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

command -v clang-16 >/dev/null || { echo "1..0 # SKIP no clang-16 (scripts/install-deps installs it)"; exit 0; }
printf '0x0\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x0\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n0x0\t__ubsan_handle_shift_out_of_bounds\tvmlinux\tEXPORT_SYMBOL\t\n0x0\t__ubsan_handle_divrem_overflow\tvmlinux\tEXPORT_SYMBOL\t\n' \
	> "$TMP/Module.symvers"
SV="-S $TMP/Module.symvers"
CL_FLAGS="${KCC_FLAGS/-Wno-builtin-declaration-mismatch/} -pg -mfentry"

pair() {	# NAME CC 'ORIG C' 'PATCHED C' [flags]: compile with CC
	local name=$1 cc=$2 o=$3 p=$4 d
	shift 4
	mkdir -p "$TMP/orig" "$TMP/patched"
	printf '%s\n' "$o" > "$TMP/orig/$name.c"
	printf '%s\n' "$p" > "$TMP/patched/$name.c"
	for d in orig patched; do
		(cd "$TMP/$d" && $cc $CL_FLAGS "$@" -c -o "$name.o" "$name.c") ||
			bail "$cc failed on $name.c"
	done
}

# --- strings of all functions in one .rodata.str1.1 --------------------------------
S='extern int printk(const char *fmt, ...);
static int hits;
static __attribute__((noinline)) int helper(int a) { static int cnt; cnt++; printk("%s %d\n", __func__, a); return a * 3 + cnt; }
int use(int a) { hits++; printk("use %d\n", a); return helper(a) + hits; }
int other(int a) { printk("other %d\n", a); return a; }'
pair str clang-16 "$S" "${S/use %d/USE (changed) %d}"
is "$(readelf -SW "$TMP/orig/str.o" | grep -c '\.rodata\.str')" 1 "clang: one string section for the whole file"
cdo_run str $SV
is "$RC" 0 "clang: a changed string: exit 0"
is "$(verdict str use)/$(verdict str other)/$(verdict str helper)" changed/unchanged/unchanged \
	"only use changed, though every later string moved"
like "$(reason str use)" 'now targets \\"USE \(changed\)' "reason shows the new string"
ok_desc "clang string output links" check_out "$OUT" printk __fentry__
pair stat clang-16 "$S" "${S/cnt++;/cnt += 2;}"
cdo_run stat $SV
is "$(verdict stat helper)/$(verdict stat use)" changed/unchanged "clang: helper changed"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.helper\.cnt,0 GLOBAL OBJECT UND$' \
	"its static local (clang names it helper.cnt) is referenced"

# --- .llvm.<hash> locals (ThinLTO promotion): the hash may change between builds --
pair llvm clang-16 "$S" "${S/hits++;/hits += 3;}"
objcopy --redefine-sym helper=helper.llvm.11111111111111111 "$TMP/orig/llvm.o"
objcopy --redefine-sym helper=helper.llvm.22222222222222222 "$TMP/patched/llvm.o"
cdo_run llvm $SV
is "$RC" 0 "renamed .llvm.<hash> local: exit 0"
is "$(verdict llvm helper.llvm.22222222222222222)" unchanged "helper.llvm.<hash> correlated by its base name"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.helper\.llvm\.11111111111111111,0 GLOBAL FUNC UND$' \
	"use's call is a klp symbol with the ORIG (running kernel's) name"

# --- UBSAN data: renumbered by a check added above, moved lines -------------------
U='int __attribute__((section(".init.text"))) init_fn(int a, int b) { return a << b; }
int f(int a, int b) { return a << b; }
int g(int a, int b) { return a / b; }'
U2='int f(int a, int b) { return (a << b) + (a / b); }
int __attribute__((section(".init.text"))) init_fn(int a, int b) { return a << b; }
int g(int a, int b) { return a / b; }'
for cc in gcc clang-16; do
	pair ub$cc $cc "$U" "$U2" -fsanitize=shift,integer-divide-by-zero
	case $cc in
	gcc) pat='\.data\.\.Lubsan_data' ;;
	*) pat='\.data\.\.L__unnamed_' ;;
	esac
	like "$(readelf -SW "$TMP/orig/ub$cc.o")" "$pat" "$cc: UBSAN data in private sections ($pat<N>)"
	cdo_run ub$cc $SV
	is "$RC" 0 "$cc: a check added above the __init function: exit 0"
	is "$(verdict ub$cc init_fn)/$(verdict ub$cc g)" unchanged/unchanged \
		"$cc: init_fn and g unchanged (their UBSAN data renumbered, compared by content)"
	is "$(verdict ub$cc f)" changed "$cc: f changed"
	mapfile -t UNDEF < <(out_symbols "$OUT" | awk '$4 == "UND" && $1 !~ /^\.klp/ { print $1 }')
	ok_desc "$cc: UBSAN output links" check_out "$OUT" "${UNDEF[@]}"
	pair ubl$cc $cc "$U" "

$U" -fsanitize=shift,integer-divide-by-zero
	cdo_run ubl$cc $SV
	is "$RC" 3 "$cc: lines moved: the UBSAN source locations differ only in line, exit 3"
	pair ubt$cc $cc "$U" "${U/int g(int a, int b) { return a \/ b; \}/int g(int a, int b) { return a \/ (b + 1); \}}" \
		-fsanitize=shift,integer-divide-by-zero
	cdo_run ubt$cc $SV
	is "$(verdict ubt$cc g)/$(verdict ubt$cc init_fn)" changed/unchanged "$cc: a real change still shows"
done

# --- clang's DWARF 5 line tables and its line for a call's arguments ---------------
# libdw finds no unit for an address of a clang object (DWARF 5 range lists),
# and clang gives a call's argument set-up the line the call starts on, so
# a __LINE__ on the next line is one past it (6.1's param_sysfs_init).
L='extern int printk(const char *fmt, ...);
int warn_at(int a)
{
	if (a)
		printk("%s (%d): error\n",
		       __FILE__, __LINE__);
	return a;
}'
pair cline clang-16 "$L" "
$L" -g -gdwarf-5
cdo_run cline $SV
is "$RC" 3 "clang: a __LINE__ on the line after its call moved: nothing changed, exit 3"
is "$(verdict cline warn_at)" ignored-line-only "clang: warn_at: only its __LINE__ differs"

# --- a 16-byte static const array in .rodata.cst16 (clang) -------------------------
# 6.1's arch/x86/events/amd/lbr.c: lbr_spec_map shares the constant pool;
# a copy of the pool is the same constant, not new data among variables.
M='static const unsigned int map[4] = { 1, 2, 4, 8 };
int look(int i) { return map[i & 3]; }
int other(int a) { return a + 1; }'
pair cst clang-16 "$M" "${M/map\[i & 3\]; \}/map[i \& 3] + 1; \}}"
like "$(readelf -SW "$TMP/orig/cst.o")" '\.rodata\.cst16' "clang put the array in .rodata.cst16"
cdo_run cst $SV
is "$RC" 0 "clang: a function using a constant-pool array changed: exit 0"
is "$(verdict cst look)" changed "look changed"

done_testing
