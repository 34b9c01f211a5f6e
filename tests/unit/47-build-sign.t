#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen build and module signatures, on a fake tree: --sign-key and
# --sign-cert go together and need a config with MODULE_SIG; without them
# klpgen warns when the kernel enforces signatures (MODULE_SIG_FORCE, a
# forced lockdown) and notes one that enforces them under Secure Boot.
# (Signing itself, with the tree's sign-file, is proven in the lab:
# tests/lab/tests/klpgen-signing.)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir

export FAKE_LOG=$TMP/make.log
SRC=$TMP/linux
make_fake_tree "$SRC"
fake_vmlinux "$TMP/vmlinux" "Linux version 6.1.0-fake (x@y) (gcc) #1 SMP"
: >"$TMP/Module.symvers"
mkdir -p "$TMP/p/a/fs" "$TMP/p/b/fs"
cp "$SRC/fs/a.c" "$TMP/p/a/fs/"
sed 's/return x + FAKE_VALUE;/return x + FAKE_VALUE; \/* c *\//' "$SRC/fs/a.c" >"$TMP/p/b/fs/a.c"
(cd "$TMP/p" && diff -u a/fs/a.c b/fs/a.c) >"$TMP/comment.patch"
echo key >"$TMP/key.pem"
echo cert >"$TMP/cert.x509"
kb() {	# kb CONFIG-LINES [options]
	printf '%b' "$1" >"$TMP/config"; shift
	"$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" \
		--cache "$TMP/cache" -o "$TMP/out" --skip-compiler-check "$@" \
		"$TMP/comment.patch"
}

out=$(kb 'CONFIG_FAKE=y\nCONFIG_MODULE_SIG=y\n' --sign-key "$TMP/key.pem" 2>&1); rc=$?
is "$rc" 2 "--sign-key without --sign-cert: exit 2"
like "$out" "go together" "and says why"
out=$(kb 'CONFIG_FAKE=y\n' --sign-key "$TMP/key.pem" --sign-cert "$TMP/cert.x509" 2>&1); rc=$?
is "$rc" 2 "signing for a kernel without CONFIG_MODULE_SIG: exit 2"
like "$out" "has no CONFIG_MODULE_SIG" "and says why"
out=$(kb 'CONFIG_FAKE=y\nCONFIG_MODULE_SIG=y\n' --sign-key "$TMP/nokey" --sign-cert "$TMP/cert.x509" 2>&1); rc=$?
is "$rc" 2 "a missing key file: exit 2"
is "$(cat "$FAKE_LOG" 2>/dev/null | wc -l)" 0 "nothing was built for those"

out=$(kb 'CONFIG_FAKE=y\nCONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_FORCE=y\n' 2>&1); rc=$?
like "$out" "warning: the module is not signed and will not load: its config has CONFIG_MODULE_SIG_FORCE" \
	"MODULE_SIG_FORCE and no key: a warning (rc=$rc)"
like "$(head -n 3 <<<"$out")" "warning: the module is not signed" "before anything is built"
out=$(kb 'CONFIG_FAKE=y\nCONFIG_MODULE_SIG=y\nCONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY=y\n' 2>&1)
like "$out" "will not load: its config forces lockdown" "a forced lockdown: the same"
out=$(kb 'CONFIG_FAKE=y\nCONFIG_MODULE_SIG=y\nCONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT=y\n' 2>&1)
like "$out" "note: the module is not signed; it enforces signatures when booted with EFI Secure Boot" \
	"lockdown under Secure Boot: a note"
unlike "$out" "warning: the module is not signed" "not a warning"
out=$(kb 'CONFIG_FAKE=y\nCONFIG_MODULE_SIG=y\n' 2>&1)
unlike "$out" "not signed" "signatures checked but not enforced: nothing said"
out=$(kb 'CONFIG_FAKE=y\nCONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_FORCE=y\n' \
	--sign-key "$TMP/key.pem" --sign-cert "$TMP/cert.x509" 2>&1)
unlike "$out" "not signed" "with a key: no warning"

done_testing
