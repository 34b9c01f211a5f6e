// SPDX-License-Identifier: GPL-2.0
/*
 * Spawning tools (fork/execvp, each in a process group of its own, see
 * signals.c), phase progress lines, and the common exit path.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void track_child(pid_t pid)
{
	setpgid(pid, pid);	/* both sides, so no race with the handler */
	kb_signals_child(pid);
}

static int wait_child(pid_t pid)
{
	int st;

	track_child(pid);
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

/* Feed complete lines of @buf to @p; keep the partial last one. */
static size_t feed_lines(struct progress *p, char *buf, size_t len)
{
	size_t start = 0, i;

	for (i = 0; i < len; i++)
		if (buf[i] == '\n') {
			progress_line(p, buf + start, i - start);
			start = i + 1;
		}
	if (start == 0 && len == 4096) {	/* a line longer than the buffer */
		progress_line(p, buf, len);
		return 0;
	}
	memmove(buf, buf + start, len - start);
	return len - start;
}

/*
 * kb_run() with make's output read through a pipe: copied to @logfd as it
 * comes, and counted by @p, whose progress is shown every second.
 */
int kb_run_progress(char *const argv[], int logfd, struct progress *p)
{
	char buf[4096];
	size_t have = 0;
	int fds[2];
	pid_t pid;

	if (klp_interrupted)
		return EXIT_INTERRUPTED;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	debug_argv(argv);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid)
		child_exec(argv, fds[1], fds[1]);
	track_child(pid);
	close(fds[1]);
	progress_start(p);
	while (!klp_interrupted) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		ssize_t n;
		int r = poll(&pfd, 1, 1000);

		if (r < 0 && errno != EINTR)
			break;
		if (r > 0) {
			n = read(fds[0], buf + have, sizeof(buf) - have);
			if (n == 0)
				break;
			if (n < 0 && errno != EINTR)
				break;
			if (n > 0) {
				if (logfd >= 0 && write(logfd, buf + have, n) != n)
					logfd = -1;
				have = feed_lines(p, buf, have + n);
			}
		}
		progress_tick(p);
	}
	close(fds[0]);
	return wait_child(pid);
}

/* Is @cmd a program in $PATH (or a path to one)? */
bool kb_in_path(const char *cmd)
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

/* An fd on /dev/null for output nobody needs (opened once). */
int kb_null_fd(void)
{
	static int fd = -1;

	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	return fd;
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
			kb_remove_tree(b->work);
	}
	if (code == EXIT_INTERRUPTED)
		fprintf(stderr, "[klpgen] interrupted%s%s; source copy restored\n",
			klp_interrupted == SIGTERM ? " (SIGTERM)" : "",
			klp_interrupted == SIGINT ? " (SIGINT)" : "");
	exit(code);
}
