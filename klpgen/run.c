// SPDX-License-Identifier: GPL-2.0
/*
 * Spawning tools (fork/execvp, each in a process group of its own, see
 * signals.c) and forked steps of our own (kb_run_fn), phase progress
 * lines, and the common exit path.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"

static void child_exec(char *const argv[], int outfd, int errfd)
{
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	kb_signals_reset();
	if (null >= 0)
		dup2(null, 0);
	if (outfd >= 0)
		dup2(outfd, 1);
	if (errfd >= 0)
		dup2(errfd, 2);
	execvp(argv[0], argv);
	fprintf(stderr, "klpgen: cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

static int wait_child(pid_t pid)
{
	int st;

	setpgid(pid, pid);	/* both sides, so no race with the handler */
	kb_signals_child(pid);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			kb_signals_child(0);
			return -1;
		}
	}
	/* Reap stragglers of the group (make's children) quietly. */
	if (klp_interrupted)
		kill(-pid, SIGKILL);
	kb_signals_child(0);
	if (klp_interrupted)
		return EXIT_INTERRUPTED;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static void debug_argv(char *const argv[])
{
	struct strbuf sb;
	size_t i;

	if (!debug_level)
		return;
	strbuf_init(&sb);
	for (i = 0; argv[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", argv[i]);
	DEBUG("run: %s", sb.buf);
	strbuf_free(&sb);
}

int kb_run(char *const argv[], int logfd)
{
	pid_t pid;

	if (klp_interrupted)
		return EXIT_INTERRUPTED;
	debug_argv(argv);
	pid = fork();
	if (pid < 0) {
		WARN("fork: %s", strerror(errno));
		return -1;
	}
	if (!pid)
		child_exec(argv, logfd, logfd);
	return wait_child(pid);
}

int kb_run_fn(int (*fn)(void *arg), void *arg)
{
	pid_t parent = getpid(), pid;

	if (klp_interrupted)
		return EXIT_INTERRUPTED;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		WARN("fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		/* Our handlers stay: the child cleans up after itself. */
		setpgid(0, 0);
		kb_signals_child(0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(EXIT_INTERRUPTED);
		exit(fn(arg));
	}
	return wait_child(pid);
}

int kb_capture(char *const argv[], char **out)
{
	struct strbuf sb;
	char buf[4096];
	int fds[2], rc;
	ssize_t n;
	pid_t pid;

	*out = NULL;
	if (pipe(fds) < 0)
		return -1;
	debug_argv(argv);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid) {
		close(fds[0]);
		child_exec(argv, fds[1], -1);
	}
	close(fds[1]);
	strbuf_init(&sb);
	strbuf_add(&sb, "", 0);
	while ((n = read(fds[0], buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR && !klp_interrupted)
				continue;
			break;
		}
		strbuf_add(&sb, buf, n);
	}
	close(fds[0]);
	rc = wait_child(pid);
	*out = sb.buf;
	return rc;
}

double kb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double phase_start;
static const char *phase_name;
static bool phase_broken;	/* something was printed inside the line */

void phase_begin(const char *what)
{
	phase_name = what;
	phase_broken = false;
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

/* A message in the middle of a phase: the progress line is reprinted. */
void phase_warn(const char *fmt, ...)
{
	va_list ap;

	if (phase_name && !phase_broken && !debug_level)
		fputc('\n', stderr);
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
	if (phase_broken)
		fprintf(stderr, "[klpgen] %-28s ... ", phase_name);
	fprintf(stderr, "%s%s%.1f s\n", note ? note : "", note ? ", " : "",
		phase_elapsed());
	phase_name = NULL;
}

/* A phase that ends in failure still closes its progress line. */
static void phase_abort(int code)
{
	if (!phase_name)
		return;
	if (phase_broken)
		fprintf(stderr, "[klpgen] %-28s ... ", phase_name);
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
			kb_remove_tree(b->work);
	}
	if (code == EXIT_INTERRUPTED)
		fprintf(stderr, "[klpgen] interrupted%s%s; source copy restored\n",
			klp_interrupted == SIGTERM ? " (SIGTERM)" : "",
			klp_interrupted == SIGINT ? " (SIGINT)" : "");
	exit(code);
}
