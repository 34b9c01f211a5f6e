#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: export CRCs (MODVERSIONS) the patch changes are
# refused with the symbol and both CRCs (issue 10, item 12).  CRCs come
# from #SYMVER lines of the objects' .cmd files (5.19+), __crc_ symbols
# (up to 5.18), --crcs (other exporters, as klpgen collects them) and
# --symvers (the running kernel).
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

printf '0x11111111\tget_device\tvmlinux\tEXPORT_SYMBOL_GPL\t\n0x22222222\tput_device\tvmlinux\tEXPORT_SYMBOL_GPL\t\n0x33333333\tmy_api\tvmlinux\tEXPORT_SYMBOL\t\n0x44444444\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' \
	> "$TMP/Module.symvers"
SV="-S $TMP/Module.symvers"

B='struct device;
extern struct device *get_device(struct device *);
extern void put_device(struct device *);
noinline int my_api(int a) { return a * 3; }
EXPORT_SYMBOL(my_api);
int user(struct device *d) { get_device(d); return 1; }
int other(struct device *d) { put_device(d); return 2; }'

# --- another exporter's CRC changed (--crcs): its users are refused ----------
cdo_pair ref "$B" "${B/return 1;/return my_api(1);}"
printf '0x99999999\tget_device\tvmlinux\tEXPORT_SYMBOL_GPL\t\n' > "$TMP/crcs"
cdo_run ref $SV --crcs "$TMP/crcs"
is "$RC" 4 "user references get_device, whose CRC changed: exit 4"
like "$ERR" "function user references exported get_device, whose CRC the patch changes: 0x11111111 originally \([^)]*Module\.symvers\), 0x99999999 patched \([^)]*crcs\)" \
	"the refusal names function, symbol and both CRCs"
ok_desc "no output" test ! -e "$OUT"

# the same CRC in the patched build: fine
printf '0x11111111\tget_device\tvmlinux\tEXPORT_SYMBOL_GPL\t\n' > "$TMP/crcs"
cdo_run ref $SV --crcs "$TMP/crcs"
is "$RC" 0 "unchanged CRC: exit 0"

# a changed CRC of an export the included code does not use: fine
printf '0x99999999\tput_device\tvmlinux\tEXPORT_SYMBOL_GPL\t\n' > "$TMP/crcs"
cdo_run ref $SV --crcs "$TMP/crcs"
is "$RC" 0 "put_device's CRC changed, but only unchanged other() uses it: exit 0"

# --- this object's own export, CRCs in the .cmd files (6.1) --------------------
printf 'savedcmd_x := gcc\n#SYMVER my_api 0x33333333\n' > "$TMP/orig/.ref.o.cmd"
printf 'savedcmd_x := gcc\n#SYMVER my_api 0x3333aaaa\n' > "$TMP/patched/.ref.o.cmd"
cdo_run ref $SV
is "$RC" 4 "user calls my_api, whose #SYMVER CRC changed: exit 4"
like "$ERR" "export my_api: the patch changes its CRC from 0x33333333 \([^)]*orig/ref\.o\) to 0x3333aaaa \([^)]*patched/ref\.o\)" \
	"both CRCs from the objects' .cmd files"
cp "$TMP/orig/.ref.o.cmd" "$TMP/patched/.ref.o.cmd"
cdo_run ref $SV
is "$RC" 0 "same #SYMVER CRC: exit 0"
rm -f "$TMP"/orig/.ref.o.cmd "$TMP"/patched/.ref.o.cmd

# --- __crc_ symbols (kernels up to 5.18) and a changed exported function ---------
cdo_pair old "$B
asm(\".globl __crc_my_api\n.set __crc_my_api, 0x33333333\");" "${B/a \* 3/a * 4}
asm(\".globl __crc_my_api\n.set __crc_my_api, 0x3333bbbb\");"
nm "$TMP/patched/old.o" | grep -q ' A __crc_my_api$' || bail "no absolute __crc_ symbol"
cdo_run old $SV
is "$RC" 4 "changed exported my_api with a changed __crc_: exit 4"
like "$ERR" "export my_api \(changed function\): the patch changes its CRC from 0x33333333 \([^)]*\) to 0x3333bbbb \([^)]*\): a type in its declaration changed, and a livepatch cannot change the interface of an export" \
	"refusal for the changed export itself"
cdo_pair old2 "$B
asm(\".globl __crc_my_api\n.set __crc_my_api, 0x33333333\");" "${B/a \* 3/a * 4}
asm(\".globl __crc_my_api\n.set __crc_my_api, 0x33333333\");"
cdo_run old2 $SV
is "$RC" 0 "changed exported function, same CRC: exit 0"


# --- only the CRC of an export changes (const added to its declaration) --------
cdo_pair konly "$B" "$B"
printf '#SYMVER my_api 0x33333333\n' > "$TMP/orig/.konly.o.cmd"
printf '#SYMVER my_api 0x3333cccc\n' > "$TMP/patched/.konly.o.cmd"
cdo_run konly $SV
is "$RC" 4 "no code change, but my_api's CRC changed: exit 4 (not 3)"
like "$ERR" "export my_api: the patch changes its CRC from 0x33333333 \([^)]*orig/konly\.o\) to 0x3333cccc" \
	"names the export and both CRCs"

done_testing
