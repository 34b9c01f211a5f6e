// SPDX-License-Identifier: GPL-2.0
/*
 * Chained string hash map.  Entries with equal keys sit next to each other
 * in one chain, oldest first; the first one's dup_tail finds the newest so
 * that adding a duplicate does not walk the duplicates.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "util.h"

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

void hash_init(struct hashmap *h, size_t expected)
{
	size_t n = 16;

	while (n < expected)
		n *= 2;
	h->buckets = xcalloc(n, sizeof(*h->buckets));
	h->nbuckets = n;
	h->count = 0;
	h->chunks = NULL;
	h->chunk_left = 0;
}

/* No hash kept per entry: chains are short (load at most one). */
static bool same_key(const struct hash_entry *e, const char *key)
{
	return !strcmp(e->key, key);
}

/* The first entry of @key in its chain, and the entry before it. */
static struct hash_entry *find_head(const struct hashmap *h, const char *key,
				    uint32_t hash, struct hash_entry **prevp)
{
	struct hash_entry *e, *prev = NULL;

	if (!h->nbuckets)
		return NULL;
	for (e = h->buckets[bucket_of(h, hash)]; e; prev = e, e = e->next) {
		if (same_key(e, key)) {
			if (prevp)
				*prevp = prev;
			return e;
		}
	}
	return NULL;
}

static void link_entry(struct hashmap *h, struct hash_entry *n, uint32_t hash)
{
	struct hash_entry *head = find_head(h, n->key, hash, NULL);
	struct hash_entry **slot;

	n->dup_tail = NULL;
	if (head) {
		struct hash_entry *tail = head->dup_tail ? head->dup_tail : head;

		n->next = tail->next;
		tail->next = n;
		head->dup_tail = n;
		return;
	}
	slot = &h->buckets[bucket_of(h, hash)];
	n->next = *slot;
	*slot = n;
}

static void grow(struct hashmap *h)
{
	struct hash_entry **old = h->buckets;
	size_t i, oldn = h->nbuckets;

	h->nbuckets = oldn * 2;
	h->buckets = xcalloc(h->nbuckets, sizeof(*h->buckets));
	/* Chains are walked in order, so duplicates keep their order. */
	for (i = 0; i < oldn; i++) {
		struct hash_entry *e = old[i], *next;

		for (; e; e = next) {
			next = e->next;
			link_entry(h, e, hash_str(e->key));
		}
	}
	free(old);
}

void hash_add(struct hashmap *h, const char *key, void *val)
{
	hash_insert(h, key, val);
}

/*
 * One malloc per entry would cost a header each and scatter the chains:
 * entries come from chunks of doubling size (capped).  A removed entry
 * stays in its chunk until hash_free().
 */
struct hash_chunk {
	struct hash_chunk *prev;
	size_t nr;
	struct hash_entry e[];
};

#define CHUNK_MIN	16
#define CHUNK_MAX	8192

static struct hash_entry *new_entry(struct hashmap *h)
{
	struct hash_chunk *c = h->chunks;

	if (!h->chunk_left) {
		size_t nr = c ? c->nr * 2 : CHUNK_MIN;

		if (nr > CHUNK_MAX)
			nr = CHUNK_MAX;
		c = xmalloc(sizeof(*c) + nr * sizeof(c->e[0]));
		c->prev = h->chunks;
		c->nr = nr;
		h->chunks = c;
		h->chunk_left = nr;
	}
	return &c->e[c->nr - h->chunk_left--];
}

struct hash_entry *hash_insert(struct hashmap *h, const char *key, void *val)
{
	struct hash_entry *n;

	if (!h->nbuckets)
		hash_init(h, 0);
	n = new_entry(h);
	n->key = key;
	n->val = val;
	link_entry(h, n, hash_str(key));
	if (++h->count > h->nbuckets)
		grow(h);
	return n;
}

struct hash_entry *hash_first(const struct hashmap *h, const char *key)
{
	return find_head(h, key, hash_str(key), NULL);
}

struct hash_entry *hash_next(const struct hash_entry *e)
{
	struct hash_entry *n = e->next;

	return n && same_key(n, e->key) ? n : NULL;
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

	for (e = hash_first(h, key); e; e = hash_next(e))
		n++;
	return n;
}

int hash_remove(struct hashmap *h, const char *key, const void *val)
{
	uint32_t hash = hash_str(key);
	struct hash_entry *prev = NULL, *head, *e, *p;

	head = find_head(h, key, hash, &prev);
	if (!head)
		return -1;
	for (p = prev, e = head; e && same_key(e, key);
	     p = e, e = e->next) {
		if (e->val != val)
			continue;
		if (e == head) {
			struct hash_entry *n = e->next;

			if (n && same_key(n, key))
				n->dup_tail = head->dup_tail == n ?
					      NULL : head->dup_tail;
		} else if (head->dup_tail == e) {
			head->dup_tail = p == head ? NULL : p;
		}
		if (p)
			p->next = e->next;
		else
			h->buckets[bucket_of(h, hash)] = e->next;
		h->count--;
		return 0;
	}
	return -1;
}

void hash_free(struct hashmap *h)
{
	while (h->chunks) {
		struct hash_chunk *c = h->chunks;

		h->chunks = c->prev;
		free(c);
	}
	h->chunk_left = 0;
	free(h->buckets);
	h->buckets = NULL;
	h->nbuckets = 0;
	h->count = 0;
}
