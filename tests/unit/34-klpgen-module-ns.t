#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen module: exports of a symbol namespace that the diff objects use
# become import_ns entries of the module (issue 10, item 6).
. "$(dirname "$0")/../lib/tap.sh"

mk_tmpdir
F=$FIXTURES/klp-convert
K=$BIN/klpgen
export KLPGEN_TEMPLATES=$KLPGEN_SRC/templates
kcc "$TMP/diff-vmlinux.o" "$F/diff-vmlinux.c" || bail "cannot compile diff-vmlinux.c"
printf 'extern void cxl_thing(void);\nextern void plain_thing(void);\n__attribute__((used)) void user(void) { cxl_thing(); plain_thing(); }\n' > "$TMP/user.c"
kcc "$TMP/user.o" "$TMP/user.c"
printf '0x1\tcxl_thing\tvmlinux\tEXPORT_SYMBOL_GPL\tCXL\n0x2\tplain_thing\tvmlinux\tEXPORT_SYMBOL\t\n0x3\tunused_ns\tvmlinux\tEXPORT_SYMBOL\tOTHER_NS\n' \
	> "$TMP/Module.symvers"

"$K" module -n lpns --no-build --work "$TMP/w" --symvers "$TMP/Module.symvers" \
	vmlinux="$TMP/diff-vmlinux.o" vmlinux="$TMP/user.o" >/dev/null 2>"$TMP/err"
is "$?" 0 "klpgen module --no-build with a namespaced export in use"
H=$(cat "$TMP/w/klpgen-generated.h")
like "$H" '#define KLPGEN_IMPORT_NS\(X\) \\
	X\("CXL"\) \\
	/\* end \*/' "the CXL namespace is imported, nothing else"
like "$(grep -c 'X("' <<<"$(sed -n '/KLPGEN_IMPORT_NS/,/end/p' "$TMP/w/klpgen-generated.h")")" '^1$' \
	"once, and not the unused OTHER_NS"

# the template turns it into .modinfo import_ns=CXL
FI=$TMP/inc/linux
mkdir -p "$FI"
cp "$F"/fake-include/linux/*.h "$FI/"
sed -i 's/^#define MODULE_INFO(tag, x)$/#define MODULE_INFO(tag, x) static const char __attribute__((used, section(".modinfo"))) __UNIQ(__COUNTER__)[] = #tag "=" x;\n#define __UNIQ2(n) klpgen_modinfo_##n\n#define __UNIQ(n) __UNIQ2(n)/' "$FI/module.h"
gcc -c -O2 -Wall -Wextra -Werror -Wno-unused-parameter -nostdinc -I "$TMP/inc" \
	-I "$TMP/w" -D'KBUILD_MODNAME="lpns"' -o "$TMP/main.o" "$TMP/w/livepatch-main.c" 2>"$TMP/cc.err"
is "$?" 0 "livepatch-main.c compiles with the namespace list"
[ -s "$TMP/cc.err" ] && diag "$(cat "$TMP/cc.err")"
objcopy -O binary -j .modinfo "$TMP/main.o" "$TMP/modinfo.bin"
like "$(tr "\0" "\n" <"$TMP/modinfo.bin")" '^import_ns=CXL$' \
	".modinfo has import_ns=CXL"

# without namespaced references: an empty list
"$K" module -n lpno --no-build --work "$TMP/w2" --symvers "$TMP/Module.symvers" \
	vmlinux="$TMP/diff-vmlinux.o" >/dev/null 2>"$TMP/err"
like "$(cat "$TMP/w2/klpgen-generated.h")" '#define KLPGEN_IMPORT_NS\(X\) \\
	/\* end \*/' "no namespace used: none imported"
done_testing
