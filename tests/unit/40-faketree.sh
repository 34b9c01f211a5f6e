# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# A tiny stand-in for a kernel tree, for klpgen build's unit tests.  Its
# Makefile understands what klpgen asks of Kbuild:
#   make -C SRC O=OUT KCFLAGS=... CC=... KERNELRELEASE=... TARGET...
# for olddefconfig, prepare, modules_prepare, vmlinux, modules, the
# descent to modules.order (KBUILD_MODULES=1), single objects, make -n, and
# mrproper.  Objects are compiled with $(CC) -Wp,-MMD (so `klpgen depcc`
# can stand in), and each gets a Kbuild-style .cmd file: its command line
# (-DMODULE -DKBUILD_MODNAME for the module object drivers/m.o),
# source_ and deps_ from the compiler's dependency output.  Kbuild's lists
# are obj, real-obj-y, real-obj-m and lib-y, for a rule added with --eval.
# Like Kbuild it refuses an O= build when the tree itself is configured
# ("The source tree is not clean").  A tree can be configured and built in
# place with `make olddefconfig` / `make vmlinux modules` without O=.
# The .cmd files say cmd_<obj> (Kbuild up to 6.1), or $FAKE_CMD_PREFIX<obj>
# (savedcmd_ since 6.2).  Every make run is counted in $FAKE_LOG; objects of a build directory that
# matches $FAKE_SLEEP_IN (default *patched) sleep $FAKE_SLEEP seconds first
# (to interrupt, to see progress).  olddefconfig drops CONFIG_DROPPED, as
# Kconfig drops an option whose dependency is missing.
#
# make_fake_tree DIR [SUBLEVEL]
# fake_vmlinux OUT [BANNER [CRC-SYMBOL CRC]]: an object with linux_banner
#   (and __crc_SYMBOL) that stands in for a vmlinux

make_fake_tree() {
	local d=$1 sub=${2:-0}
	mkdir -p "$d/fs" "$d/drivers" "$d/include" "$d/kernel" "$d/scripts"
	cat >"$d/Makefile" <<'MK'
VERSION = 6
PATCHLEVEL = 1
SUBLEVEL = @SUB@
EXTRAVERSION = -fake
SRC := $(CURDIR)
O ?= $(SRC)
CC ?= gcc
OBJS := fs/a.o drivers/m.o
# Kbuild's lists, for klpgen's --eval rule.
obj := fake
real-obj-y := fs/a.o
real-obj-m := drivers/m.o
lib-y :=

.PHONY: olddefconfig prepare modules_prepare vmlinux modules mrproper \
	modules.order fake/ FORCE clean-check
clean-check:
	@if [ -n "$(FAKE_POISON)" ]; then \
		echo "FAKE_POISON came from an outer make's MAKEFLAGS"; exit 1; fi
	@if [ "$(O)" != "$(SRC)" ] && [ -e $(SRC)/.config ]; then \
		echo "The source tree is not clean, please run 'make mrproper'"; \
		exit 1; fi
olddefconfig: clean-check
	@echo "make $(O) $@" >>$(FAKE_LOG)
	test -f $(O)/.config
	sed -i '/^CONFIG_DROPPED=/d' $(O)/.config
prepare modules_prepare: clean-check
	@echo "make $(O) $@" >>$(FAKE_LOG)
	@mkdir -p $(O)/include/generated
	@echo '$(KERNELRELEASE)' >$(O)/include/generated/release
vmlinux: $(OBJS)
	@echo "make $(O) $@" >>$(FAKE_LOG)
	ld -r -o $(O)/vmlinux $(O)/fs/a.o
	@printf 'cmd_vmlinux := ld\n' >$(O)/.vmlinux.cmd
	cp $(O)/vmlinux $(O)/vmlinux.done
modules: $(OBJS)
	: >$(O)/Module.symvers
	echo drivers/fake-mod.ko >$(O)/modules.order
modules.order: fake/
# Kbuild visits a directory through $(obj)/: klpgen --evals a prerequisite
# onto it, which cannot name this fake directory: the hook is here.
fake/: $(OBJS) $(if $(KLPGEN_OBJS),.klpgen-objs)
# FAKE_SINGLE=5.10: single targets as kbuild 5.10 builds them, by the
# directory's scripts/Makefile.build, told in KBUILD_SINGLE_TARGETS.
ifeq ($(FAKE_SINGLE),5.10)
export KBUILD_SINGLE_TARGETS := $(filter %/klpgen-query.o,$(MAKECMDGOALS))
$(KBUILD_SINGLE_TARGETS): fake-single ; @:
fake-single:
	@for d in $(sort $(patsubst %/,%,$(dir $(KBUILD_SINGLE_TARGETS)))); do \
		$(MAKE) -f $(SRC)/scripts/Makefile.build obj=$$d || exit 1; done
endif
mrproper:
	@echo "make $(O) $@" >>$(FAKE_LOG)
	rm -rf .config include/generated vmlinux vmlinux.done Module.symvers \
		modules.order .vmlinux.cmd
	find . -name '*.o' -delete -o -name '.*.cmd' -delete -o -name '.*.d' -delete

Makefile: ;

fs/%.o drivers/%.o: FORCE clean-check
	@echo "make $(O) $@" >>$(FAKE_LOG)
	@case "$(O)" in $${FAKE_SLEEP_IN:-*patched}) sleep $${FAKE_SLEEP:-0};; esac
	@mkdir -p $(O)/$(dir $@)
	@flags="$(if $(filter drivers/%,$@),-DMODULE -DKBUILD_MODNAME='\"fake_mod\"')"; \
	d=$(O)/$(dir $@).$(notdir $@).d; \
	if [ ! -e $(O)/$@ ] || [ $(SRC)/$(basename $@).c -nt $(O)/$@ ] || \
	    [ $(SRC)/include/h.h -nt $(O)/$@ ]; then \
		echo "  CC      $@"; \
		$(CC) -Wp,-MMD,$$d $(KCFLAGS) $$flags -O2 -I$(SRC)/include \
			-c -o $(O)/$@ $(SRC)/$(basename $@).c || exit 1; \
	fi; \
	{ printf "$${FAKE_CMD_PREFIX:-cmd_}"'%s := %s %s\n\nsource_%s := %s\n\ndeps_%s := \\\n' \
		$@ "$(CC)" "$$flags" $@ $(SRC)/$(basename $@).c $@; \
	  sed -e 's/^[^:]*://' -e 's/\\$$//' $$d | tr ' ' '\n' | \
		grep -v '^$$' | grep -v '\.c$$' | sed 's/^/  /; s/$$/ \\/'; \
	  printf '\n%s: $$(deps_%s)\n' $@ $@; } >$(O)/$(dir $@).$(notdir $@).cmd
MK
	sed -i "s/@SUB@/$sub/" "$d/Makefile"
	printf 'config FAKE\n\tbool\n' >"$d/Kconfig"
	echo 'obj-y += fake.o' >"$d/kernel/Makefile"
	# As 5.10's: the lists of $(obj); a single target it has no rule
	# for goes to `make -f /dev/null`, obj still set.
	cat >"$d/scripts/Makefile.build" <<'MK'
__build:
	$(MAKE) -f /dev/null $(filter $(obj)/%,$(KBUILD_SINGLE_TARGETS))
real-obj-y := $(filter $(obj)/%,fs/a.o)
real-obj-m := $(filter $(obj)/%,drivers/m.o)
lib-y :=
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
#include <h.h>
int fake_m(int x)
{
	return x * 3 + (FAKE_VALUE - 41);
}
C
	echo "CONFIG_FAKE=y" >"$d/.config.in"
	echo "fake tree" >"$d/README"
}

fake_vmlinux() {	# OUT [BANNER [CRC-SYMBOL CRC]]
	local out=$1 banner=${2:-} sym=${3:-} crc=${4:-}
	{
		[ -n "$banner" ] && printf 'const char linux_banner[] = "%s\\n";\n' "$banner"
		[ -n "$sym" ] && printf 'const unsigned int __crc_%s = %s;\n' "$sym" "$crc"
		echo 'int fake_vmlinux_x;'
	} | gcc -x c -c -o "$out" -
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
