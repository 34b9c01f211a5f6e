# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# A tiny stand-in for a kernel tree, for klpgen build's unit tests: a
# Makefile that understands `make -C SRC O=OUT KCFLAGS=... TARGET...` for
# olddefconfig, vmlinux, modules and single objects, compiles two .c files
# with gcc, and writes Kbuild-style .cmd files (source_ and deps_ lines with
# absolute paths) and a .mod file for "module" fake-mod.
# Every make run is counted in $FAKE_LOG; objects of a build directory whose
# name ends in "patched" sleep $FAKE_SLEEP seconds first (to interrupt).
#
# make_fake_tree DIR

make_fake_tree() {
	local d=$1
	mkdir -p "$d/fs" "$d/drivers" "$d/include"
	cat >"$d/Makefile" <<'MK'
VERSION = 6
PATCHLEVEL = 1
SUBLEVEL = 0
EXTRAVERSION = -fake
SRC := $(CURDIR)
OBJS := fs/a.o drivers/m.o

.PHONY: olddefconfig vmlinux modules FORCE
olddefconfig:
	@echo "make $(O) $@" >>$(FAKE_LOG)
	test -f $(O)/.config
vmlinux: $(OBJS)
	@echo "make $(O) $@" >>$(FAKE_LOG)
	ld -r -o $(O)/vmlinux $(O)/fs/a.o
	cp $(O)/vmlinux $(O)/vmlinux.done
modules: $(OBJS)
	: >$(O)/Module.symvers
	echo drivers/m.o >$(O)/drivers/fake-mod.mod

Makefile: ;

fs/%.o drivers/%.o: FORCE
	@echo "make $(O) $@" >>$(FAKE_LOG)
	@case "$(O)" in *patched) sleep $${FAKE_SLEEP:-0};; esac
	@mkdir -p $(O)/$(dir $@)
	@if [ ! -e $(O)/$@ ] || [ $(SRC)/$(basename $@).c -nt $(O)/$@ ] || \
	    [ $(SRC)/include/h.h -nt $(O)/$@ ]; then \
		echo "  CC $@"; \
		gcc $(KCFLAGS) -O2 -I$(SRC)/include -c -o $(O)/$@ $(SRC)/$(basename $@).c; \
	fi
	@printf 'cmd_%s := gcc -c -I%s/include\n\nsource_%s := %s\n\ndeps_%s := \\\n  %s \\\n\n' \
		$@ $(SRC) $@ $(SRC)/$(basename $@).c $@ $(SRC)/include/h.h \
		>$(O)/$(dir $@).$(notdir $@).cmd
MK
	cat >"$d/include/h.h" <<'C'
#define FAKE_VALUE 41
C
	cat >"$d/fs/a.c" <<'C'
#include <h.h>
int fake_a(int x)
{
	return x + FAKE_VALUE;
}
C
	cat >"$d/drivers/m.c" <<'C'
int fake_m(int x)
{
	return x * 3;
}
C
	echo "CONFIG_FAKE=y" >"$d/.config.in"
	echo "fake tree" >"$d/README"
}

# wait_patched_build: wait (up to 60 s, for loaded machines) until the
# klpgen build in the background says, in $TMP/err, that its patched build
# has begun, then give the fake make a moment to start sleeping.
wait_patched_build() {
	local _
	for _ in $(seq 600); do
		grep -q 'patched build' "$TMP/err" && break
		sleep 0.1
	done
	sleep 0.5
}

# mkpatch NAME FILE SED-EXPR: $TMP/NAME.patch, a -p1 diff of $SRC/FILE
# against itself edited by SED-EXPR.
mkpatch() {
	local name=$1 f=$2 expr=$3
	mkdir -p "$TMP/p/a/$(dirname "$f")" "$TMP/p/b/$(dirname "$f")"
	cp "$SRC/$f" "$TMP/p/a/$f"
	sed "$expr" "$SRC/$f" >"$TMP/p/b/$f"
	(cd "$TMP/p" && diff -u "a/$f" "b/$f") >"$TMP/$name.patch"
	rm -rf "$TMP/p"
}
