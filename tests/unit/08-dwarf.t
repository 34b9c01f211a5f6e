#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Struct sizes from DWARF, checked against the compiler's sizeof.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
cd "$TMP" || bail "no tmp"

cat >s.h <<'C'
struct small { char c; };
struct klp_like { const char *name; void *fn; unsigned long sympos; int x[7]; };
struct with_union { union { int i; double d; } u; char tail[13]; };
struct only_declared;
C
cat >s.c <<'C'
#include "s.h"
struct small s1;
struct klp_like k1;
struct with_union w1;
struct only_declared *od;
void use(struct klp_like *k) { k->x[0]++; }
C
cat >main.c <<'C'
#include <stdio.h>
#include "s.h"
int main(void)
{
	printf("small %zu\nklp_like %zu\nwith_union %zu\n", sizeof(struct small),
	       sizeof(struct klp_like), sizeof(struct with_union));
	return 0;
}
C
gcc -O2 -g -c -o s.o s.c || bail "cannot compile"
gcc -o sizes main.c && want=$(./sizes)
got=$("$TOOLS/libquery" structsize s.o small klp_like with_union)
is "$got" "$want" "sizes of three structs in one scan match sizeof (ET_REL, relocated)"
is "$("$TOOLS/libquery" structsize s.o only_declared nosuch | tr '\n' ' ')" \
	"only_declared -1 nosuch -1 " "declared-only and absent structs: -1"

# Several units (ld -r): the scan stops at the unit defining the name asked
# for and goes on from there; the first definition in unit order wins,
# whatever order the names are asked in.
printf 'struct dup { char c[3]; } d1;\nstruct first { int i; } f1;\n' >u1.c
printf 'struct dup { char c[40]; } d2;\nstruct last { long l[5]; } l2;\n' >u2.c
gcc -O2 -g -c -o u1.o u1.c && gcc -O2 -g -c -o u2.o u2.c &&
	ld -r -o units.o u1.o u2.o || bail "cannot link units"
is "$("$TOOLS/libquery" structsize units.o first dup last nosuch | tr '\n' ' ')" \
	"first 4 dup 3 last 40 nosuch -1 " "two units: first definition wins, the second unit is reached"
is "$("$TOOLS/libquery" structsize units.o last dup first | tr '\n' ' ')" \
	"last 40 dup 3 first 4 " "... asked in another order: the same sizes"

gcc -O2 -c -o nodebug.o s.c
out=$("$TOOLS/libquery" structsize nodebug.o small 2>&1); rc=$?
is "$rc" 2 "object without DWARF: an error"
like "$out" "nodebug\.o: no DWARF" "... naming the file"

LAB=${KLPGEN_LAB_BUILD:-$HOME/.cache/klpgen/lab/linux-6.1/build}
if [ -f "$LAB/vmlinux" ] && eu-readelf -S "$LAB/vmlinux" | grep -q debug_info; then
	out=$("$TOOLS/libquery" structsize "$LAB/vmlinux" list_head klp_func module)
	like "$out" "^list_head 16$" "lab vmlinux: struct list_head is 16 bytes"
	like "$out" "^klp_func [1-9][0-9]*$" "lab vmlinux: struct klp_func found"
else
	skip "no lab vmlinux with DWARF"
	skip "no lab vmlinux with DWARF"
fi
done_testing
