// SPDX-License-Identifier: GPL-2.0
/*
 * Phase progress lines and the common exit path (tools are spawned by
 * lib/spawn.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"

double kb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double phase_start;
static const char *phase_name;
static bool phase_broken;	/* something was printed inside the line */
static bool phase_drawn;	/* a terminal progress text follows "... " */

static bool on_terminal(void)
{
	static int tty = -1;

	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	return tty;
}

/* Back to the start of a phase line that progress text was drawn on. */
static void undraw(void)
{
	if (phase_drawn)
		fputs("\r\033[K", stderr);
	phase_drawn = false;
}

static void reprint_prefix(void)
{
	if (phase_broken || phase_drawn) {
		undraw();
		fprintf(stderr, "[klpgen] %-28s ... ", phase_name);
	}
}

void phase_begin(const char *what)
{
	phase_name = what;
	phase_broken = phase_drawn = false;
	phase_start = kb_now();
	fprintf(stderr, "[klpgen] %-28s ... ", what);
	if (debug_level)
		fputc('\n', stderr);
	fflush(stderr);
}

double phase_elapsed(void)
{
	return kb_now() - phase_start;
}

/*
 * Progress inside the running phase: on a terminal the phase line is
 * redrawn with @text; elsewhere only @minute_line texts are printed, one
 * line each.
 */
void phase_progress(const char *text, bool minute_line)
{
	if (!phase_name)
		return;
	if (on_terminal() && !debug_level) {
		fprintf(stderr, "\r\033[K[klpgen] %-28s ... %s", phase_name,
			text);
		phase_drawn = true;
	} else if (minute_line) {
		if (!phase_broken && !debug_level)
			fputc('\n', stderr);
		phase_broken = true;
		fprintf(stderr, "[klpgen]   %s: %s\n", phase_name, text);
	}
	fflush(stderr);
}

/* A message in the middle of a phase: the progress line is reprinted. */
void phase_warn(const char *fmt, ...)
{
	va_list ap;

	if (phase_drawn)
		undraw();
	else if (phase_name && !phase_broken && !debug_level)
		fputc('\n', stderr);
	if (phase_name)
		phase_broken = true;
	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void phase_end(const char *note)
{
	if (!phase_name)
		return;
	reprint_prefix();
	fprintf(stderr, "%s%s%.1f s\n", note ? note : "", note ? ", " : "",
		phase_elapsed());
	phase_name = NULL;
}

/* A phase that ends in failure still closes its progress line. */
static void phase_abort(int code)
{
	if (!phase_name)
		return;
	reprint_prefix();
	fprintf(stderr, "%s after %.1f s\n",
		code == EXIT_INTERRUPTED ? "interrupted" : "failed",
		phase_elapsed());
	phase_name = NULL;
}

void build_exit(struct build *b, int code)
{
	phase_abort(code);
	if (farm_restore(b) < 0 && !code)
		code = EXIT_INTERNAL;
	if (b->work) {
		if (b->keep_work) {
			char *keep = xasprintf("%s/KEEP", b->work);

			stamp_write(keep, "kept by --keep-work or --debug");
			free(keep);
			fprintf(stderr, "[klpgen] work directory kept: %s\n",
				b->work);
		}
		else
			fs_remove_tree(b->work);
	}
	if (code == EXIT_INTERRUPTED)
		fprintf(stderr, "[klpgen] interrupted%s%s; source copy restored\n",
			spawn_interrupted == SIGTERM ? " (SIGTERM)" : "",
			spawn_interrupted == SIGINT ? " (SIGINT)" : "");
	exit(code);
}

void kb_log_tail(const char *log, int lines)
{
	char *t = fs_read_text(log, NULL), *p;
	int n = 0;

	if (!t)
		return;
	for (p = t + strlen(t); p > t; p--)
		if (p[-1] == '\n' && p[0] && ++n > lines)
			break;
	fprintf(stderr, "%s", p);
	free(t);
}
