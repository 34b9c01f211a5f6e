// SPDX-License-Identifier: GPL-2.0
/* The process spawner and its signal handling: see spawn.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
#include "util.h"

volatile sig_atomic_t spawn_interrupted;
static volatile pid_t child_pgid;

static void on_signal(int sig)
{
	spawn_interrupted = sig;
	if (child_pgid > 0)
		kill(-child_pgid, SIGTERM);
}

void spawn_signals_install(void)
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
static void set_child(pid_t pgid)
{
	child_pgid = pgid;
	if (pgid > 0 && spawn_interrupted)
		kill(-pgid, SIGTERM);
}

/* What a spawned tool starts with: default dispositions. */
static void reset_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}

static void child_exec(char *const argv[], int outfd, int errfd)
{
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	reset_signals();
	if (null >= 0)
		dup2(null, 0);
	if (outfd >= 0)
		dup2(outfd, 1);
	if (errfd >= 0)
		dup2(errfd, 2);
	execvp(argv[0], argv);
	fprintf(stderr, "%s: cannot run %s: %s\n", tool_name, argv[0],
		strerror(errno));
	_exit(127);
}

static int wait_child(pid_t pid)
{
	int st;

	setpgid(pid, pid);	/* both sides, so no race with the handler */
	set_child(pid);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			set_child(0);
			return -1;
		}
	}
	/* Reap stragglers of the group (make's children) quietly. */
	if (spawn_interrupted)
		kill(-pid, SIGKILL);
	set_child(0);
	if (spawn_interrupted)
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

int spawn_run(char *const argv[], int logfd)
{
	pid_t pid;

	if (spawn_interrupted)
		return EXIT_INTERRUPTED;
	debug_argv(argv);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		WARN("fork: %s", strerror(errno));
		return -1;
	}
	if (!pid)
		child_exec(argv, logfd, logfd);
	return wait_child(pid);
}

int spawn_fn(int (*fn)(void *arg), void *arg)
{
	pid_t parent = getpid(), pid;

	if (spawn_interrupted)
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
		set_child(0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(EXIT_INTERRUPTED);
		exit(fn(arg));
	}
	return wait_child(pid);
}

int spawn_capture(char *const argv[], char **out)
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
	fflush(NULL);
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
			if (errno == EINTR && !spawn_interrupted)
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
