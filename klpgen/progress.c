// SPDX-License-Identifier: GPL-2.0
/*
 * Progress of a long make: objects done of objects to build, and the
 * time since the phase began.  Kbuild prints one quiet line per object it
 * compiles ("  CC      fs/proc/cmdline.o", "  CC [M]  fs/xfs/xfs_super.o",
 * "  AS      ..."); progress_run() reads every line of make's output
 * here.  With a set of objects (the ones asked for, or every object of
 * the config from kbuild's lists) only those count, each once, so the
 * count never passes the total.  On a terminal the phase line is redrawn
 * every second; otherwise one line a minute (phase_progress(); KLPGEN_PROGRESS_SECONDS
 * sets another interval).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

void progress_set_objects(struct progress *p, const struct strlist *objs)
{
	size_t i;

	progress_free(p);
	hash_init(&p->set, objs->n);
	sl_free(&p->names);
	for (i = 0; i < objs->n; i++)
		sl_add(&p->names, objs->v[i]);
	for (i = 0; i < p->names.n; i++)
		hash_add(&p->set, p->names.v[i], (void *)(uintptr_t)(i + 1));
	p->counted = xcalloc(p->names.n + 1, sizeof(bool));
	p->total = p->names.n;
	p->has_set = true;
}

void progress_free(struct progress *p)
{
	if (p->has_set)
		hash_free(&p->set);
	sl_free(&p->names);
	free(p->counted);
	p->counted = NULL;
	p->has_set = false;
	p->total = p->done = 0;
}

/* "  CC [M]  fs/xfs/xfs_super.o" -> "fs/xfs/xfs_super.o", else NULL. */
static char *quiet_object(const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	size_t n;

	if (len < 6 || p[0] != ' ' || p[1] != ' ')
		return NULL;
	p += 2;
	if (strncmp(p, "CC ", 3) && strncmp(p, "AS ", 3))
		return NULL;
	p += 3;
	while (p < end && *p == ' ')
		p++;
	if (end - p > 4 && !strncmp(p, "[M] ", 4))
		p += 4;
	while (p < end && *p == ' ')
		p++;
	n = end - p;
	if (n < 3 || strncmp(end - 2, ".o", 2) || memchr(p, ' ', n))
		return NULL;
	return xstrndup(p, n);
}

static void show(struct progress *p, bool minute_line)
{
	char text[96];
	int secs = (int)(kb_now() - p->start);

	if (p->total)
		snprintf(text, sizeof(text), "%zu/%zu %s, %d:%02d", p->done,
			 p->total, p->what, secs / 60, secs % 60);
	else
		snprintf(text, sizeof(text), "%zu %s, %d:%02d", p->done,
			 p->what, secs / 60, secs % 60);
	phase_progress(text, minute_line);
}

static void progress_start(struct progress *p)
{
	const char *env = getenv("KLPGEN_PROGRESS_SECONDS");

	p->start = p->last_line = p->last_draw = kb_now();
	p->interval = env && atoi(env) > 0 ? atoi(env) : 60;
}

static void progress_line(void *ctx, const char *line, size_t len)
{
	struct progress *p = ctx;
	char *obj = quiet_object(line, len);
	void *v;

	if (!obj)
		return;
	if (!p->has_set) {
		p->done++;
	} else if ((v = hash_find(&p->set, obj)) &&
		   !p->counted[(uintptr_t)v - 1]) {
		p->counted[(uintptr_t)v - 1] = true;
		p->done++;
	}
	free(obj);
}

/* Called every second or so, and after output. */
static void progress_tick(void *ctx)
{
	struct progress *p = ctx;
	double now = kb_now();

	if (now - p->last_line >= p->interval) {
		p->last_line = now;
		show(p, true);
	} else if (now - p->last_draw >= 1) {
		p->last_draw = now;
		show(p, false);
	}
}

/* spawn_run() of make, its output to @logfd and counted by @p. */
int progress_run(char *const argv[], int logfd, struct progress *p)
{
	const struct spawn_lines l = {
		.line = progress_line, .tick = progress_tick, .ctx = p,
	};

	progress_start(p);
	return spawn_run_lines(argv, logfd, &l);
}
