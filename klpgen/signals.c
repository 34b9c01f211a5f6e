// SPDX-License-Identifier: GPL-2.0
/*
 * SIGINT, SIGTERM and SIGHUP for klpgen build.
 *
 * The handler only records the signal and kills the process group of the
 * tool running at that moment (every tool runs in a group of its own, so a
 * whole make -jN tree goes at once).  The waiting code in run.c notices the
 * flag and the caller restores the source copy before exiting with 130.
 * SIGPIPE is ignored so that a closed output pipe cannot kill us before
 * that cleanup.
 */
#include <signal.h>
#include <string.h>
#include <sys/types.h>

#include "build.h"

volatile sig_atomic_t klp_interrupted;
static volatile pid_t child_pgid;

static void on_signal(int sig)
{
	klp_interrupted = sig;
	if (child_pgid > 0)
		kill(-child_pgid, SIGTERM);
}

void kb_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The tool now running (0: none); an interrupt kills its group. */
void kb_signals_child(pid_t pgid)
{
	child_pgid = pgid;
	if (pgid > 0 && klp_interrupted)
		kill(-pgid, SIGTERM);
}

/* What a spawned tool starts with: default dispositions. */
void kb_signals_reset(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}
