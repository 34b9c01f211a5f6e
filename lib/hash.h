/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A chained hash map from string keys to pointers.  Duplicate keys are
 * allowed (local symbols share names); hash_first()/hash_next() walk all
 * values of one key, in the order they were added.  FNV-1a, power-of-two
 * bucket count, doubled when the load exceeds one.  The map never copies keys: they must outlive it.
 */
#ifndef KLPGEN_HASH_H
#define KLPGEN_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 32 bytes: an object's map has an entry per section or symbol. */
struct hash_entry {
	const char *key;
	void *val;
	struct hash_entry *next;
	/*
	 * Entries of one key are adjacent in their chain, in insertion
	 * order; the first of them points at the last, so adding is O(1).
	 */
	struct hash_entry *dup_tail;
};

struct hash_chunk;

struct hashmap {
	struct hash_entry **buckets;
	size_t nbuckets;
	size_t count;
	/* Entries are carved from chunks, freed together by hash_free(). */
	struct hash_chunk *chunks;
	size_t chunk_left;
};

uint32_t hash_str(const char *s);
void hash_init(struct hashmap *h, size_t expected);
void hash_add(struct hashmap *h, const char *key, void *val);
/* hash_add() returning the new entry (valid until it is removed). */
struct hash_entry *hash_insert(struct hashmap *h, const char *key, void *val);
void *hash_find(const struct hashmap *h, const char *key);
struct hash_entry *hash_first(const struct hashmap *h, const char *key);
struct hash_entry *hash_next(const struct hash_entry *e);
/* Remove the entry mapping @key to @val; returns 0 if found, -1 if not. */
int hash_remove(struct hashmap *h, const char *key, const void *val);
void hash_free(struct hashmap *h);
/* Number of entries of @key. */
size_t hash_count(const struct hashmap *h, const char *key);

/* Walk values of one key:  for (e = hash_first(h, k); e; e = hash_next(e)) */

#endif
