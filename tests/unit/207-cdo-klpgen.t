#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: callbacks, states and shadow ids declared with
# templates/klpgen-patch.h reach the diff object.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir
TPL=$KLPGEN_SRC/templates
[ -f "$TPL/klpgen-patch.h" ] || { skip "no templates/klpgen-patch.h"; done_testing; }

B='struct klp_object;
static int level;
int f(int a) { return a + level; }
void set_level(int l) { level = l; }'
P='#include "klpgen-patch.h"
struct klp_object;
static int level;
int f(int a) { return a + level; }
void set_level(int l) { level = l; }
static int my_pre(struct klp_object *obj) { (void)obj; level = 1; return 0; }
KLPGEN_PRE_PATCH_CALLBACK(my_pre);
KLPGEN_STATE(42, 1);
KLPGEN_SHADOW_ID(7);'
cdo_pair cb "$B" "$P" -I"$TPL"
cdo_run cb
is "$RC" 0 "only callbacks and metadata, no changed function: exit 0"
is "$(verdict cb my_pre)" new "callback function is new"
secs=$(out_sections "$OUT")
like "$secs" '^\.klpgen\.states$' ".klpgen.states included"
like "$secs" '^\.klpgen\.shadow_ids$' ".klpgen.shadow_ids included"
like "$secs" '^\.text\.my_pre$' "callback code included"
syms=$(out_symbols "$OUT")
like "$syms" '^__klpgen_cb_pre_patch_my_pre GLOBAL FUNC \.text\.my_pre$' "callback alias kept"
like "$syms" '^\.klp\.sym\.vmlinux\.level,0 ' "callback's static referenced as klp symbol"
unlike "$syms" '__klpgen_new' "no __klpgen_new alias: nothing changed"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".klpgen.states" { print $5 }')" "size=16" "one state declaration"
ok_desc "metadata output links" check_out "$OUT"

done_testing
