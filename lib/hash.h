/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A chained hash map from string keys to pointers.  Duplicate keys are
 * allowed (local symbols share names); hash_first()/hash_next() walk all
 * values of one key, in the order they were added.  FNV-1a, power-of-two
 * bucket count, doubled when the load exceeds one.  The map never copies
 * keys: they must outlive it.
 */
#ifndef KLPGEN_HASH_H
#define KLPGEN_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * 24 bytes: an object's map has an entry per section or symbol.  Entries
 * link by id (index + 1 in the map's chunks, 0 for none), not by pointer;
 * they never move, so a pointer to one stays valid until hash_free().
 */
struct hash_entry {
	const char *key;	/* NULL once removed */
	void *val;
	uint32_t next;		/* the next entry in its chain */
	/*
	 * Entries of one key are adjacent in their chain, in insertion
	 * order; the first of them has the last's id, so adding is O(1).
	 */
	uint32_t dup_tail;
};

struct hashmap {
	uint32_t *buckets;	/* entry ids, 0 if empty */
	size_t nbuckets;
	size_t count;
	/* Entries are carved from chunks of 1 << chunk_shift, freed together. */
	struct hash_entry **chunks;
	size_t nr_chunks;
	size_t nr_entries;	/* ids handed out, removed entries included */
	unsigned int chunk_shift;
};

uint32_t hash_str(const char *s);
void hash_init(struct hashmap *h, size_t expected);
void hash_add(struct hashmap *h, const char *key, void *val);
/* hash_add() returning the new entry (valid until hash_free()). */
struct hash_entry *hash_insert(struct hashmap *h, const char *key, void *val);
/* hash_add() returning the new entry's id, for hash_at(); never 0. */
uint32_t hash_add_id(struct hashmap *h, const char *key, void *val);
/* The entry of @id, or NULL for 0 or an id not handed out. */
struct hash_entry *hash_at(const struct hashmap *h, uint32_t id);
void *hash_find(const struct hashmap *h, const char *key);
struct hash_entry *hash_first(const struct hashmap *h, const char *key);
struct hash_entry *hash_next(const struct hashmap *h,
			     const struct hash_entry *e);
/* Remove the entry mapping @key to @val; returns 0 if found, -1 if not. */
int hash_remove(struct hashmap *h, const char *key, const void *val);
void hash_free(struct hashmap *h);
/* Number of entries of @key. */
size_t hash_count(const struct hashmap *h, const char *key);
/*
 * Every entry, in the order added: start with *pos = 0; NULL at the end.
 * The map must not change during the walk.
 */
struct hash_entry *hash_each(const struct hashmap *h, size_t *pos);

/*
 * Walk values of one key:
 *	for (e = hash_first(h, k); e; e = hash_next(h, e))
 */

#endif
