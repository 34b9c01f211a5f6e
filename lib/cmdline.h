/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every command's option parsing shares: getopt_long() with -h and
 * --help, the exit for a command line that is wrong (EXIT_BAD_INPUT), and
 * the parsing of a whole number given to an option.
 */
#ifndef KLPGEN_CMDLINE_H
#define KLPGEN_CMDLINE_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* Prints a command's --help text to @out. */
typedef void cmd_usage_fn(FILE *out);

/*
 * getopt_long() for a command whose --help text @usage prints: 'h' (-h,
 * --help) prints it on stdout and exits 0; an option getopt_long() refused
 * (it said why) exits EXIT_BAD_INPUT, and so does a command line without
 * any argument, after printing @usage on stderr.  Otherwise what
 * getopt_long() returned: an option of @shortopts or @longopts, or -1.
 */
int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts, cmd_usage_fn *usage);

/*
 * All of @s is a number in @base as strtoul() reads it (base 0: 0x and 0
 * prefixes too): true with *@v set.
 */
bool cmd_ulong(const char *s, int base, unsigned long *v);

#endif
