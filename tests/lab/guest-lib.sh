# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# TAP helpers for lab guest scripts (busybox sh compatible; no bashisms).
# guest.sh runs in /lab with this file next to it:
#
#     . ./guest-lib.sh
#     insmod ./foo.ko
#     ok "foo loaded" grep -q '^foo ' /proc/modules
#     is "$(cat /proc/cmdline)" "expected" "cmdline patched"
#     wait_for 10 "transition done" klp_transition_done foo
#     done_testing
#
# Every helper prints exactly one TAP line ("ok N - desc" / "not ok N - desc")
# plus "# " diagnostics on failure.

_t_n=0
_t_failed=0
_t_planned=

plan() { _t_planned=$1; echo "1..$1"; }

# skip_all REASON: the whole test does not apply to this kernel.
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

diag() { echo "# $*"; }

_t_result() {	# status description
	_t_n=$((_t_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_t_n - $2"
	else
		echo "not ok $_t_n - $2"
		_t_failed=$((_t_failed + 1))
	fi
	return "$1"
}

# pass DESC / fail DESC
pass() { _t_result 0 "$1"; }
fail() { _t_result 1 "$1"; }

# ok DESC CMD... : passes when the command succeeds; its output is shown on failure.
ok() {
	_t_d=$1; shift
	_t_out=$("$@" 2>&1); _t_rc=$?
	[ $_t_rc -ne 0 ] && printf '%s\n' "$_t_out" | sed 's/^/# /' && echo "# (rc=$_t_rc: $*)"
	_t_result $_t_rc "$_t_d"
}

# fails DESC CMD... : passes when the command fails.
fails() {
	_t_d=$1; shift
	"$@" >/dev/null 2>&1; _t_rc=$?
	[ $_t_rc -ne 0 ]; _t_result $? "$_t_d (rc=$_t_rc)"
}

# is GOT WANT DESC
is() {
	[ "$1" = "$2" ]; _t_r=$?
	[ $_t_r -ne 0 ] && printf '# got:  %s\n# want: %s\n' "$1" "$2"
	_t_result $_t_r "$3"
}

# isnt GOT UNWANTED DESC
isnt() {
	[ "$1" != "$2" ]; _t_r=$?
	[ $_t_r -ne 0 ] && printf '# got unwanted: %s\n' "$1"
	_t_result $_t_r "$3"
}

# like STRING REGEX DESC  (grep -E);  unlike STRING REGEX DESC
like() {
	printf '%s\n' "$1" | grep -Eq -- "$2"; _t_r=$?
	[ $_t_r -ne 0 ] && printf '%s\n' "$1" | head -n 20 | sed 's/^/# /' &&
		echo "# does not match: $2"
	_t_result $_t_r "$3"
}
unlike() {
	printf '%s\n' "$1" | grep -Eq -- "$2"; _t_r=$?
	[ $_t_r -eq 0 ] && printf '%s\n' "$1" | grep -E -- "$2" | head -n 5 | sed 's/^/# /' &&
		echo "# matches: $2"
	[ $_t_r -ne 0 ]; _t_result $? "$3"
}

# wait_for SECONDS DESC CMD... : poll CMD (every 0.1 s) until it succeeds.
wait_for() {
	_t_secs=$1 _t_d=$2; shift 2
	_t_tries=$((_t_secs * 10))
	while [ $_t_tries -gt 0 ]; do
		"$@" >/dev/null 2>&1 && { _t_result 0 "$_t_d"; return 0; }
		sleep 0.1
		_t_tries=$((_t_tries - 1))
	done
	echo "# timed out after ${_t_secs} s: $*"
	_t_result 1 "$_t_d"
}

# done_testing: print the plan if none was given, exit non-zero on failure.
done_testing() {
	if [ -z "$_t_planned" ]; then
		echo "1..$_t_n"
	elif [ "$_t_planned" -ne "$_t_n" ]; then
		echo "# planned $_t_planned tests but ran $_t_n"
		exit 1
	fi
	[ $_t_failed -eq 0 ] || echo "# failed $_t_failed of $_t_n"
	exit $_t_failed
}

# --- kernel helpers ----------------------------------------------------------

# dmesg_mark; ...; dmesg_new : the kernel log lines printed since the mark.
dmesg_mark() { _t_dmesg_lines=$(dmesg | wc -l); }
dmesg_new()  { dmesg | tail -n +$((${_t_dmesg_lines:-0} + 1)); }

# wait_dmesg SECONDS REGEX DESC : a kernel log line since dmesg_mark matches.
_t_dmesg_has() { dmesg_new | grep -Eq -- "$1"; }
wait_dmesg() {
	wait_for "$1" "$3" _t_dmesg_has "$2" || { dmesg_new | tail -n 15 | sed 's/^/# dmesg: /'; return 1; }
}

module_loaded() { grep -q "^$1 " /proc/modules; }

# Livepatch sysfs (6.1): /sys/kernel/livepatch/<patch>/{enabled,transition}.
KLP_SYSFS=/sys/kernel/livepatch
klp_enabled()         { [ "$(cat "$KLP_SYSFS/$1/enabled" 2>/dev/null)" = 1 ]; }
klp_transition_done() { [ "$(cat "$KLP_SYSFS/$1/transition" 2>/dev/null)" = 0 ]; }
klp_gone()            { [ ! -e "$KLP_SYSFS/$1" ]; }

# load_module NAME: modprobe NAME when the guest has the kernel's own
# modules with a modules.dep (a shipped kernel: run-guest --modules and the
# test's "modules" file), else insmod ./NAME.ko (a lab build's module that
# setup put next to guest.sh).
load_module() {
	if [ -f "/lib/modules/$(uname -r)/modules.dep" ]; then
		modprobe "$1"
	else
		insmod "./$1.ko"
	fi
}
