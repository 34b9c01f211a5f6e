/* SPDX-License-Identifier: GPL-2.0 */
/* klpfuzz: the mutator and the runner share these. */
#ifndef KLPFUZZ_H
#define KLPFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_MAX_SECS	4096	/* section headers the mutator looks at */
#define FUZZ_SLACK	4096	/* room a mutation may add to an input */

struct buf {
	unsigned char *data;
	size_t len, cap;
};

void fuzz_seed(uint64_t seed);
uint64_t fuzz_rand(void);
/* One to three mutations of @b, in place (len may change, never past cap). */
void fuzz_mutate(struct buf *b);

#endif
