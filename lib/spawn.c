// SPDX-License-Identifier: GPL-2.0
/* The process spawner and its signal handling: see spawn.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

static void track_child(pid_t pid)
{
	setpgid(pid, pid);	/* both sides, so no race with the handler */
	set_child(pid);
}

static int wait_child(pid_t pid)
{
	int st;

	track_child(pid);
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

/*
 * Start @argv with stdout (and, with @both, stderr) into a pipe whose
 * read end is *rfd; the pid, or -1.
 */
static pid_t spawn_piped(char *const argv[], bool both, int *rfd)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	debug_argv(argv);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid)
		child_exec(argv, fds[1], both ? fds[1] : -1);
	track_child(pid);
	close(fds[1]);
	*rfd = fds[0];
	return pid;
}

int spawn_capture(char *const argv[], char **out)
{
	struct strbuf sb;
	char buf[4096];
	int fd;
	ssize_t n;
	pid_t pid;

	*out = NULL;
	pid = spawn_piped(argv, false, &fd);
	if (pid < 0)
		return -1;
	strbuf_init(&sb);
	strbuf_add(&sb, "", 0);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR && !spawn_interrupted)
				continue;
			break;
		}
		strbuf_add(&sb, buf, n);
	}
	close(fd);
	*out = sb.buf;
	return wait_child(pid);
}

/* Hand complete lines of @buf to @line; keep the partial last one. */
static size_t feed_lines(char *buf, size_t len, size_t cap,
			 const struct spawn_lines *l)
{
	size_t start = 0, i;

	for (i = 0; i < len; i++)
		if (buf[i] == '\n') {
			l->line(l->ctx, buf + start, i - start);
			start = i + 1;
		}
	if (start == 0 && len == cap) {	/* a line longer than the buffer */
		l->line(l->ctx, buf, len);
		return 0;
	}
	memmove(buf, buf + start, len - start);
	return len - start;
}

int spawn_run_lines(char *const argv[], int logfd, const struct spawn_lines *l)
{
	char buf[4096];
	size_t have = 0;
	int fd;
	pid_t pid;

	if (spawn_interrupted)
		return EXIT_INTERRUPTED;
	pid = spawn_piped(argv, true, &fd);
	if (pid < 0)
		return -1;
	while (!spawn_interrupted) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, 1000);
		ssize_t n;

		if (r < 0 && errno != EINTR)
			break;
		if (r > 0) {
			n = read(fd, buf + have, sizeof(buf) - have);
			if (n == 0 || (n < 0 && errno != EINTR))
				break;
			if (n > 0) {
				if (logfd >= 0 && write(logfd, buf + have, n) != n)
					logfd = -1;
				have = feed_lines(buf, have + n, sizeof(buf), l);
			}
		}
		if (l->tick)
			l->tick(l->ctx);
	}
	close(fd);
	return wait_child(pid);
}

bool spawn_in_path(const char *cmd)
{
	const char *path = getenv("PATH"), *p;
	bool found = false;

	if (strchr(cmd, '/'))
		return !access(cmd, X_OK);
	for (p = path ? path : "/usr/bin:/bin"; !found && p; ) {
		size_t len = strcspn(p, ":");
		char *c = xasprintf("%.*s/%s", (int)len, len ? p : ".", cmd);

		found = !access(c, X_OK);
		free(c);
		p = p[len] ? p + len + 1 : NULL;
	}
	return found;
}
