#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every shell file of the tree passes `shellcheck -S warning`: scripts,
# tests, the lab (guest scripts are busybox sh; sourced files say which
# shell they are for with a "# shellcheck shell=" line).
. "$(dirname "$0")/../lib/tap.sh"
command -v shellcheck >/dev/null || bail "no shellcheck (scripts/install-deps installs it)"
cd "$KLPGEN_SRC" || bail "no source tree"

# Shell files: *.sh, *.t, and files whose first line runs a shell.
shell_files() {
	local f
	{ git ls-files 2>/dev/null || find . -type f ! -path './.git/*' ! -path './build*' |
		sed 's|^\./||'; } | sort | while read -r f; do
		[ -f "$f" ] || continue
		case $f in
		tests/fuzz/corpus/*) continue ;;
		*.sh|*.t) echo "$f" ;;
		*) head -n 1 "$f" 2>/dev/null | grep -qE '^#!.*/(env )?(ba|da)?sh( |$)' &&
			echo "$f" ;;
		esac
	done
}
mapfile -t files < <(shell_files)
[ ${#files[@]} -gt 50 ] || bail "only ${#files[@]} shell files found"
for f in "${files[@]}"; do
	out=$(shellcheck -S warning "$f" 2>&1); rc=$?
	[ $rc -ne 0 ] && printf '%s\n' "$out" | head -n 20 | sed 's/^/# /'
	_tap_result $rc "shellcheck -S warning $f"
done
done_testing
