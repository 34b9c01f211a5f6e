#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hash map: growth, duplicates in insertion order, removal.
. "$(dirname "$0")/../lib/tap.sh"

plan 1
out=$("$TOOLS/libquery" hash 2>&1)
is "$out" "ok" "hash map self-test (20,000 keys, 500 duplicates, removal)"
