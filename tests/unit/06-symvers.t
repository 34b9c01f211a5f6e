#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module.symvers: fields, namespaces, look-ups, errors.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir

printf '0x1a2b3c4d\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' >"$TMP/Module.symvers"
printf '0x00000001\tkmalloc_caches\tvmlinux\tEXPORT_SYMBOL_GPL\n' >>"$TMP/Module.symvers"
printf '0xdeadbeef\tusb_register_driver\tdrivers/usb/core/usbcore\tEXPORT_SYMBOL_GPL\tUSB_CORE\n' >>"$TMP/Module.symvers"
printf '\n' >>"$TMP/Module.symvers"

out=$("$TOOLS/libquery" symvers "$TMP/Module.symvers" printk kmalloc_caches \
	usb_register_driver nosuch 2>&1)
like "$out" "^printk 0x1a2b3c4d vmlinux EXPORT_SYMBOL -$" "built-in export, empty namespace"
like "$out" "^kmalloc_caches 0x00000001 vmlinux EXPORT_SYMBOL_GPL -$" "four fields (no namespace column)"
like "$out" "^usb_register_driver 0xdeadbeef drivers/usb/core/usbcore EXPORT_SYMBOL_GPL USB_CORE$" \
	"module export with namespace"
like "$out" "^nosuch -$" "absent symbol"

printf '0x1\tok\tvmlinux\tEXPORT_SYMBOL\nbroken line\n' >"$TMP/bad.symvers"
out=$("$TOOLS/libquery" symvers "$TMP/bad.symvers" ok 2>&1); rc=$?
is "$rc" 2 "malformed line is an error"
like "$out" "bad\.symvers:2: expected crc, symbol, module and export type" \
	"... naming file and line"
printf 'zzz\tsym\tvmlinux\tEXPORT_SYMBOL\n' >"$TMP/badcrc.symvers"
out=$("$TOOLS/libquery" symvers "$TMP/badcrc.symvers" sym 2>&1)
like "$out" "badcrc\.symvers:1: bad CRC 'zzz' for symbol sym" "bad CRC"
out=$("$TOOLS/libquery" symvers "$TMP/none.symvers" x 2>&1)
like "$out" "none\.symvers: cannot read" "missing file"

LAB=${KLPGEN_LAB_BUILD:-$HOME/.cache/klpgen/lab/linux-6.1/build}
if [ -f "$LAB/Module.symvers" ]; then
	line=$(tail -1 "$LAB/Module.symvers")
	name=$(cut -f2 <<<"$line")
	want=$(perl -F'\t' -lane 'printf "%s 0x%08x %s %s\n", $F[1], hex($F[0]), $F[2], $F[3]' <<<"$line")
	got=$("$TOOLS/libquery" symvers "$LAB/Module.symvers" "$name" | cut -d' ' -f1-4)
	is "$got" "$want" "lab kernel Module.symvers: $name"
else
	skip "no lab kernel built"
fi
done_testing
