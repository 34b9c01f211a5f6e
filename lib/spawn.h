/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one process spawner: every tool runs in a process group of its own
 * with stdin from /dev/null, so that an interrupt can kill a whole make -jN
 * tree at once.  After spawn_signals_install(), SIGINT, SIGTERM and SIGHUP
 * only record the signal in spawn_interrupted and kill the running
 * child's group; the caller notices (spawn_run() returns
 * EXIT_INTERRUPTED) and cleans up before it exits.  SIGPIPE is ignored so
 * that a closed output pipe cannot kill us before that cleanup.
 */
#ifndef KLPGEN_SPAWN_H
#define KLPGEN_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

extern volatile sig_atomic_t spawn_interrupted;

void spawn_signals_install(void);
/*
 * Run @argv (looked up in $PATH) with stdout and stderr to @logfd
 * (inherited when -1).  Returns its exit status, 128+sig when it was
 * killed, EXIT_INTERRUPTED when we were, or -1 if it could not be started.
 */
int spawn_run(char *const argv[], int logfd);
/* The same with stdout captured into *out (malloc'd, NUL-terminated). */
int spawn_capture(char *const argv[], char **out);
/*
 * Run @fn(@arg) in a forked copy of this process, in a process group of
 * its own like a spawned tool, keeping our signal handlers (it cleans up
 * after itself); it gets SIGTERM if we die.  Returns its exit status as
 * spawn_run() does.
 */
int spawn_fn(int (*fn)(void *arg), void *arg);

/* Output read line by line as it comes (make's, for progress). */
struct spawn_lines {
	void (*line)(void *ctx, const char *line, size_t len);
	void (*tick)(void *ctx);	/* about once a second; may be NULL */
	void *ctx;
};
/*
 * spawn_run() with stdout and stderr through a pipe: copied to @logfd
 * (when >= 0) as they come, each line handed to @l->line.
 */
int spawn_run_lines(char *const argv[], int logfd, const struct spawn_lines *l);
/* Whether execvp() would find @cmd (a path, or a name in $PATH). */
bool spawn_in_path(const char *cmd);

#endif
