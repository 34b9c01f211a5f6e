# SPDX-License-Identifier: GPL-2.0
#
# klpgen: GNU make builds everything.
#
#   make               build the tools into $(O) (default: build/)
#   make check         unit tests (TAP, run by prove)
#   make check SANITIZE=1   the same tests with ASan+UBSan (build-san/)
#   make check SANITIZE=1 CC=clang   with clang (build-san-clang/)
#   make fuzz FUZZ_RUNS=N   fuzz the tools built with ASan+UBSan (tests/fuzz/)
#   make integration   the kernel lab: real kernels in QEMU
#   make integration-6.12   the 6.12 lab kernel, its CI test list
#   make integration-clang  the 6.1 lab kernel built by clang-16, its CI list
#   make integration-debian Debian's cloud kernel as shipped, its CI test list
#   make integration-sig    the 6.1 lab kernel with module signatures (signing)
#   make demo          a source patch -> livepatch module -> loaded in QEMU
#   make bench         benchmarks; they print figures
#   make deps          install missing Debian packages (needs root)
#   make install       PREFIX=/usr/local DESTDIR=  (KPATCH_COMPAT=1: also a
#                      kpatch-build link to klpgen and its man page)

PREFIX	?= /usr/local
DESTDIR	?=
SANITIZE ?=
KPATCH_COMPAT ?=

# Each compiler and sanitizer choice builds in its own directory:
# build, build-san, build-clang, build-san-clang.
CC_SUFFIX := $(if $(findstring clang,$(notdir $(firstword $(CC)))),-clang)
ifeq ($(SANITIZE),1)
O	?= build-san$(CC_SUFFIX)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
else
O	?= build$(CC_SUFFIX)
SANFLAGS :=
endif
CFLAGS	?= -O2 -g
WARN	:= -Wall -Wextra -Werror -Wno-missing-field-initializers
# -iquote: lib/elf.h must not shadow the system <elf.h>.
ALL_CFLAGS := $(CFLAGS) $(WARN) $(SANFLAGS) -std=gnu11 -D_GNU_SOURCE \
	      -iquote lib -MMD -MP \
	      -DKLPGEN_DATADIR='"$(PREFIX)/share/klpgen"'
LDLIBS	:= -ldw -lelf -lz
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS)

# The architecture klpgen patches: lib/arch/$(KLPGEN_ARCH)/ (lib/arch.h).
# Not ARCH: kernel build environments export that with other values.
KLPGEN_ARCH ?= x86
LIB_SRCS := $(wildcard lib/*.c) $(wildcard lib/arch/$(KLPGEN_ARCH)/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
LIB_A	 := $(O)/libklpgen.a

# One binary per tool directory; every .c in it is linked together.
TOOLS	 := create-diff-object klp-convert klpgen
tool_objs = $(patsubst %.c,$(O)/%.o,$(wildcard $(1)/*.c))

# Test helper programs: one binary per tests/tools/*.c file.
TEST_TOOL_SRCS := $(wildcard tests/tools/*.c)
TEST_TOOLS := $(TEST_TOOL_SRCS:tests/tools/%.c=$(O)/tests/%)

BINS	:= $(addprefix $(O)/bin/,$(TOOLS))

# The fuzzer, one binary per tool with the tool built in (its main() renamed
# fuzz_tool_main): tests/fuzz/README.md.
FUZZ_OBJS := $(O)/tests/fuzz/klpfuzz.o $(O)/tests/fuzz/mutate.o
FUZZ_BINS := $(addprefix $(O)/tests/fuzz-,$(TOOLS))

all: $(BINS) $(TEST_TOOLS) $(FUZZ_BINS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

define tool_rule
$(O)/bin/$(1): $(call tool_objs,$(1)) $(LIB_A)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

define fuzz_rule
$(O)/tests/fuzz/$(1)-main.o: $(1)/main.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) -Dmain=fuzz_tool_main -c -o $$@ $$<
$(O)/tests/fuzz-$(1): $(FUZZ_OBJS) $(O)/tests/fuzz/$(1)-main.o \
		$(filter-out %/main.o,$(call tool_objs,$(1))) $(LIB_A)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call fuzz_rule,$(t))))

$(O)/tests/%: $(O)/tests/tools/%.o $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# Tests find the binaries through KLPGEN_BUILD.
TEST_ENV := KLPGEN_BUILD=$(abspath $(O)) KLPGEN_SRC=$(abspath .)
PROVE	 ?= prove
UNIT_TESTS := $(sort $(wildcard tests/unit/*.t))

# check and demo first install what is missing (a quick no-op when all is
# there), then build in a sub-make so -j cannot compile before the headers exist.
check:
	@scripts/install-deps --quiet
	$(MAKE) all
	$(TEST_ENV) $(PROVE) -f $(UNIT_TESTS)

integration: all
	$(TEST_ENV) tests/lab/run-suite

# The 6.12 lab kernel's CI list (KVER_CI_TESTS in tests/lab/kernels/6.12.conf);
# needs linux-source-6.12 (scripts/install-deps linux-source-6.12).
integration-6.12: all
	$(TEST_ENV) tests/lab/run-suite --ci 6.12

# The 6.1 lab config built by Debian's clang-16/lld-16 (LLVM=-16,
# tests/lab/kernels/6.1-clang.conf): objtool's NOP'ed fentry calls, clang's
# object shapes; KVER_CI_TESTS there.
integration-clang: all
	$(TEST_ENV) tests/lab/run-suite --ci 6.1-clang

# Debian's own cloud kernel booted as shipped (tests/lab/kernels/debian.conf):
# fetches its packages with apt-get download (no install), KVER_CI_TESTS.
integration-debian: all
	$(TEST_ENV) tests/lab/run-suite --ci debian

# The 6.1 lab kernel with MODULE_SIG (tests/lab/kernels/6.1-sig.conf): a
# module signed by klpgen build --sign-key loads under module.sig_enforce=1.
integration-sig: all
	$(TEST_ENV) tests/lab/run-suite --ci 6.1-sig

demo:
	@scripts/install-deps --quiet
	$(MAKE) all
	$(TEST_ENV) tests/lab/demo

# FUZZ_RUNS runs per tool, FUZZ_JOBS configurations at once, niced; each
# run is capped in time and file size (tests/fuzz/README.md).
FUZZ_RUNS ?= 3000
FUZZ_JOBS ?= 1
FUZZ_SAN_O := $(abspath build-san$(CC_SUFFIX))
fuzz:
	$(MAKE) all SANITIZE=1 O=$(FUZZ_SAN_O)
	KLPGEN_BUILD=$(FUZZ_SAN_O) nice -n 19 tests/fuzz/run -n $(FUZZ_RUNS) \
		-j $(FUZZ_JOBS) $(FUZZ_ARGS)

bench: all
	$(TEST_ENV) tests/bench/run

deps:
	scripts/install-deps

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/klpgen \
		$(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/include/klpgen
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -r templates $(DESTDIR)$(PREFIX)/share/klpgen/
	install -m 644 templates/klpgen-patch.h $(DESTDIR)$(PREFIX)/include/klpgen/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
ifeq ($(KPATCH_COMPAT),1)
	ln -sf klpgen $(DESTDIR)$(PREFIX)/bin/kpatch-build
	echo '.so man1/klpgen.1' >$(DESTDIR)$(PREFIX)/share/man/man1/kpatch-build.1
endif

clean:
	rm -rf build build-san build-clang build-san-clang

.PHONY: all check fuzz integration integration-6.12 integration-clang integration-debian integration-sig demo bench deps install clean

-include $(shell find $(O) -name '*.d' 2>/dev/null)
