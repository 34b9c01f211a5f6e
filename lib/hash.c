// SPDX-License-Identifier: GPL-2.0
/*
 * Chained string hash map.  Entries with equal keys sit next to each other
 * in one chain, oldest first; the first one's dup_tail finds the newest so
 * that adding a duplicate does not walk the duplicates.  Entries live in
 * chunks of one size per map and link by 32-bit id: 24 bytes an entry and
 * 4 a bucket, where pointers took 32 and 8.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "util.h"

/* Chunks of 16 entries for a small map, of 8192 for one of a big object. */
#define CHUNK_SHIFT_MIN	4
#define CHUNK_SHIFT_MAX	13

uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static size_t bucket_of(const struct hashmap *h, uint32_t hash)
{
	return hash & (h->nbuckets - 1);
}

static struct hash_entry *entry_of(const struct hashmap *h, uint32_t id)
{
	size_t i = id - 1;

	return &h->chunks[i >> h->chunk_shift]
			 [i & (((size_t)1 << h->chunk_shift) - 1)];
}

void hash_init(struct hashmap *h, size_t expected)
{
	size_t n = 16;

	while (n < expected)
		n *= 2;
	h->buckets = xcalloc(n, sizeof(*h->buckets));
	h->nbuckets = n;
	h->count = 0;
	h->chunks = NULL;
	h->nr_chunks = 0;
	h->nr_entries = 0;
	h->chunk_shift = CHUNK_SHIFT_MIN;
	while (((size_t)1 << h->chunk_shift) < expected &&
	       h->chunk_shift < CHUNK_SHIFT_MAX)
		h->chunk_shift++;
}

/* No hash kept per entry: chains are short (load at most one). */
static bool same_key(const struct hash_entry *e, const char *key)
{
	return !strcmp(e->key, key);
}

/* The first entry of @key in its chain, and the entry before it. */
static uint32_t find_head(const struct hashmap *h, const char *key,
			  uint32_t hash, uint32_t *prevp)
{
	uint32_t id, prev = 0;

	if (!h->nbuckets)
		return 0;
	for (id = h->buckets[bucket_of(h, hash)]; id;
	     prev = id, id = entry_of(h, id)->next) {
		if (same_key(entry_of(h, id), key)) {
			if (prevp)
				*prevp = prev;
			return id;
		}
	}
	return 0;
}

static void link_entry(struct hashmap *h, uint32_t id, uint32_t hash)
{
	struct hash_entry *n = entry_of(h, id);
	uint32_t head = find_head(h, n->key, hash, NULL);
	uint32_t *slot;

	n->dup_tail = 0;
	if (head) {
		struct hash_entry *he = entry_of(h, head);
		struct hash_entry *tail = entry_of(h, he->dup_tail ?
						      he->dup_tail : head);

		n->next = tail->next;
		tail->next = id;
		he->dup_tail = id;
		return;
	}
	slot = &h->buckets[bucket_of(h, hash)];
	n->next = *slot;
	*slot = id;
}

static void grow(struct hashmap *h)
{
	uint32_t *old = h->buckets, id, next;
	size_t i, oldn = h->nbuckets;

	h->nbuckets = oldn * 2;
	h->buckets = xcalloc(h->nbuckets, sizeof(*h->buckets));
	/* Chains are walked in order, so duplicates keep their order. */
	for (i = 0; i < oldn; i++) {
		for (id = old[i]; id; id = next) {
			next = entry_of(h, id)->next;
			link_entry(h, id, hash_str(entry_of(h, id)->key));
		}
	}
	free(old);
}

void hash_add(struct hashmap *h, const char *key, void *val)
{
	hash_insert(h, key, val);
}

/* A new entry's id; a removed entry stays in its chunk until hash_free(). */
static uint32_t new_entry(struct hashmap *h)
{
	size_t i = h->nr_entries;

	if (i >= UINT32_MAX)
		DIE("hash map: more than %u entries", UINT32_MAX - 1);
	if (i >> h->chunk_shift == h->nr_chunks) {
		/* the chunk table doubles when its count is a power of two */
		if (!(h->nr_chunks & (h->nr_chunks - 1)))
			h->chunks = xrealloc(h->chunks,
					     (h->nr_chunks ? 2 * h->nr_chunks : 1) *
					     sizeof(*h->chunks));
		h->chunks[h->nr_chunks++] =
			xmalloc(sizeof(struct hash_entry) << h->chunk_shift);
	}
	h->nr_entries++;
	return i + 1;
}

uint32_t hash_add_id(struct hashmap *h, const char *key, void *val)
{
	struct hash_entry *n;
	uint32_t id;

	if (!h->nbuckets)
		hash_init(h, 0);
	id = new_entry(h);
	n = entry_of(h, id);
	n->key = key;
	n->val = val;
	link_entry(h, id, hash_str(key));
	if (++h->count > h->nbuckets)
		grow(h);
	return id;
}

struct hash_entry *hash_insert(struct hashmap *h, const char *key, void *val)
{
	return entry_of(h, hash_add_id(h, key, val));
}

struct hash_entry *hash_at(const struct hashmap *h, uint32_t id)
{
	return id && id <= h->nr_entries ? entry_of(h, id) : NULL;
}

struct hash_entry *hash_first(const struct hashmap *h, const char *key)
{
	uint32_t id = find_head(h, key, hash_str(key), NULL);

	return id ? entry_of(h, id) : NULL;
}

struct hash_entry *hash_next(const struct hashmap *h,
			     const struct hash_entry *e)
{
	struct hash_entry *n;

	if (!e->key || !e->next)
		return NULL;
	n = entry_of(h, e->next);
	return same_key(n, e->key) ? n : NULL;
}

void *hash_find(const struct hashmap *h, const char *key)
{
	struct hash_entry *e = hash_first(h, key);

	return e ? e->val : NULL;
}

size_t hash_count(const struct hashmap *h, const char *key)
{
	struct hash_entry *e;
	size_t n = 0;

	for (e = hash_first(h, key); e; e = hash_next(h, e))
		n++;
	return n;
}

/* Unlink entry @id of @key, @p before it in the chain, @head its key's first. */
static void unlink_entry(struct hashmap *h, uint32_t hash, uint32_t head,
			 uint32_t p, uint32_t id)
{
	struct hash_entry *hd = entry_of(h, head), *e = entry_of(h, id);

	if (id == head) {
		uint32_t n = e->next;

		if (n && same_key(entry_of(h, n), e->key))
			entry_of(h, n)->dup_tail = hd->dup_tail == n ?
						   0 : hd->dup_tail;
	} else if (hd->dup_tail == id) {
		hd->dup_tail = p == head ? 0 : p;
	}
	if (p)
		entry_of(h, p)->next = e->next;
	else
		h->buckets[bucket_of(h, hash)] = e->next;
	e->key = NULL;
	h->count--;
}

int hash_remove(struct hashmap *h, const char *key, const void *val)
{
	uint32_t hash = hash_str(key), prev = 0, head, id, p;

	head = find_head(h, key, hash, &prev);
	for (p = prev, id = head; id && same_key(entry_of(h, id), key);
	     p = id, id = entry_of(h, id)->next) {
		if (entry_of(h, id)->val == val) {
			unlink_entry(h, hash, head, p, id);
			return 0;
		}
	}
	return -1;
}

struct hash_entry *hash_each(const struct hashmap *h, size_t *pos)
{
	while (*pos < h->nr_entries) {
		struct hash_entry *e = entry_of(h, ++*pos);

		if (e->key)
			return e;
	}
	return NULL;
}

void hash_free(struct hashmap *h)
{
	size_t i;

	for (i = 0; i < h->nr_chunks; i++)
		free(h->chunks[i]);
	free(h->chunks);
	free(h->buckets);
	memset(h, 0, sizeof(*h));
}
