#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Livepatch sympos: unique names are 0; duplicates rank in kallsyms order
# (address order for vmlinux, symbol table order for modules); statics are
# found through their file's block of locals.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
cd "$TMP" || bail "no tmp"
Q=$TOOLS/libquery

mkdir sub
cat >a.c <<'C'
static int only_a;
/* In .late.text: linked after all .text, so last by address. */
static __attribute__((noinline, section(".late.text"))) int foo(int x)
{
	return x * 3 + only_a++;
}
int a_entry(int x) { return foo(x); }
C
cat >b.c <<'C'
static __attribute__((noinline)) int foo(int x) { return x * 5 + 1; }
int b_entry(int x) { return foo(x); }
int common_global(void) { return 1; }
C
cat >sub/a.c <<'C'
static __attribute__((noinline)) int bar(int x) { return x * 7; }
static __attribute__((noinline)) int foo(int x) { return x * 9; }
int suba_entry(int x) { return foo(bar(x)); }
C
kcc a.o a.c && kcc b.o b.c && kcc sub/a.o sub/a.c || bail "cannot compile"
# Two files named a.c: the block is chosen by its local names.
ld -r -o all.o a.o b.o sub/a.o

out=$("$Q" local all.o a.o foo only_a)
like "$out" "^foo 1$" "module order: a.c's foo is the first foo"
like "$out" "^only_a 0$" "unique static gets sympos 0"
like "$("$Q" local all.o b.o foo)" "^foo 2$" "b.c's foo is the second"
out=$("$Q" local all.o sub/a.o foo bar)
like "$out" "^foo 3$" "the other a.c (matched by its locals) has the third"
like "$out" "^bar 0$" "... and its unique bar is 0"
like "$("$Q" local all.o a.o bar)" "^bar -1$" "a.c has no bar"
out=$("$Q" global all.o a_entry common_global foo nothere)
like "$out" "^a_entry 0$" "unique global: 0"
like "$out" "^foo -1$" "statics are not globals"
like "$out" "^nothere -1$" "absent: -1"

# vmlinux-like: the symbol table lists a.c, b.c, sub/a.c in link order,
# but a.c's foo lives in .late.text, placed after all .text, so by address
# it is last.
cat >vm.lds <<'L'
SECTIONS {
	. = 0x1000;
	.text : { *(.text .text.*) }
	.late.text : { *(.late.text) }
	.bss : { *(.bss .bss.*) }
}
L
ld -o vmlinux -e 0 -T vm.lds a.o b.o sub/a.o || bail "cannot link"
like "$("$Q" local -v vmlinux a.o foo)" "^foo 3$" \
	"vmlinux: ranked by address, not symbol table order (a.c's foo last)"
like "$("$Q" local -v vmlinux b.o foo)" "^foo 1$" "vmlinux: b.c's foo has the lowest address"
like "$("$Q" local -v vmlinux sub/a.o foo)" "^foo 2$" "vmlinux: sub/a.c's foo in the middle"
like "$("$Q" local vmlinux a.o foo)" "^foo 1$" "the same file as a module ranks by table order"

# The original object as its own target.
out=$("$Q" local a.o a.o foo only_a a_entry)
like "$out" "^foo 0$" "object as its own target: unique static is 0"
like "$out" "^a_entry -1$" "... globals are not statics"
ld -r -o ab.o a.o b.o
# No STT_FILE symbols: the whole file is one block.
objcopy -N a.c -N b.c ab.o nofile.o
out=$("$Q" local nofile.o a.o foo)
like "$out" "^file \(whole\)" "no STT_FILE symbols: the whole target is one block"
like "$out" "^foo 1$" "... and duplicates still rank"

# A module's kallsyms drops its .init symbols once it has loaded (what a
# livepatch of a loaded module resolves against, and what klp-convert
# checks): they do not count there; vmlinux keeps them.
printf 'static __attribute__((used, section(".init.text"))) int dup(int x) { return x; }\nint c_entry(void) { return 0; }\n' >c.c
printf 'static __attribute__((noinline)) int dup(int x) { return x + 1; }\nint d_entry(int x) { return dup(x); }\n' >d.c
kcc c.o c.c && kcc d.o d.c && ld -r -o cd.o c.o d.o || bail "cannot build c.o d.o"
like "$("$Q" local cd.o d.o dup)" "^dup 0$" "module: a static sharing its name with an .init one is unique"
like "$("$Q" local -v cd.o d.o dup)" "^dup 2$" "vmlinux: the .init one counts (and comes first here)"
like "$("$Q" local cd.o c.o dup)" "^dup -1$" "module: the .init one has no position"
done_testing
