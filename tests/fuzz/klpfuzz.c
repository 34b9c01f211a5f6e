// SPDX-License-Identifier: GPL-2.0
/*
 * klpfuzz: mutate ELF objects and run one of klpgen's tools on each, the
 * tool built in (a fork per run, from a fork server; no exec) or any
 * program (exec per run).
 *
 *   fuzz-TOOL [options] -- ARGV...
 *     -c DIR|FILE  seed corpus (repeatable; every regular file in DIR)
 *     -n RUNS      runs (default 1000)
 *     -s SEED      random seed (default 1)
 *     -t SECS      CPU time limit per run (default 10; wall time: 6 times it)
 *     -w DIR       work directory (created; emptied between runs)
 *     -f DIR       findings directory (default: none, only counted)
 *     -L N         leak check (LSan, at exit) in every Nth run (default 8:
 *                  it costs more than the run)
 *     -q           no progress lines
 *     -v           print every new message (mutants saying one become seeds)
 *     -R           replay: run each seed once as it is (-n is ignored)
 *     -D SECS      stop after SECS seconds of wall time even if RUNS are
 *                  not done (the summary says how many ran)
 *   In ARGV, "@@" is the mutated input, "@OUT@" an output path and "@W@"
 *   a directory, both inside the work directory, also within an argument
 *   (vmlinux=@@); ARGV[0] "@tool@" runs the built-in tool.
 *
 * Each run gets a file-size limit and a time limit.  Its result is one of
 * ok (exit 0, 2, 3 or 4 and no sanitizer report), crash (a signal),
 * sanitizer (a report on stderr), timeout, runaway (a file bigger than
 * the bound, or outputs that add up to more: 16 times the inputs plus
 * 1 MiB) or exit-N (any other exit code, such as 1 for an internal
 * error).  A finding whose signature (its class and the first line of its
 * report) is new is saved in the findings directory as CLASS-HASH.o with
 * CLASS-HASH.txt (command, signature, stderr).  Mutants that make the tool
 * say something new are kept as seeds: a cheap coverage proxy.
 *
 * Exit: 0 no findings, 1 findings, 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "hash.h"
#include "util.h"

#define MAX_POOL	4096
#define REPORT_MAX	65536

int fuzz_tool_main(int argc, char **argv);

enum verdict { FZ_OK, FZ_CRASH, FZ_SANITIZER, FZ_TIMEOUT, FZ_RUNAWAY, FZ_EXIT,
	       NR_VERDICTS };
static const char *const verdict_name[] = {
	"ok", "crash", "sanitizer", "timeout", "runaway", "exit",
};

struct fuzz {
	struct buf *pool;
	size_t nr_pool, nr_seeds;
	char **argv;		/* template */
	int argc;
	const char *work, *findings;
	char *in_path, *out_path, *dir_path;
	int report_fd;
	int ctl_fd, st_fd;	/* to and from the fork server */
	pid_t server;
	unsigned int timeout;
	bool verbose;
	unsigned long nr_runs, leak_every;	/* LSan at exit every Nth run */
	uint64_t extra_bytes;	/* inputs other than the mutant */
	struct hashmap said;	/* messages seen: mutants saying new ones stay */
	struct hashmap found;	/* finding signatures */
	unsigned long counts[NR_VERDICTS], nr_findings;
};

static void add_seed(struct fuzz *fz, const unsigned char *data, size_t len)
{
	struct buf *b;

	if (fz->nr_pool == MAX_POOL) {	/* full: replace a learned one */
		b = &fz->pool[fz->nr_seeds + fuzz_rand() %
			      (MAX_POOL - fz->nr_seeds)];
		free(b->data);
	} else {
		b = &fz->pool[fz->nr_pool++];
	}
	b->data = xmalloc(len + 1);
	memcpy(b->data, data, len);
	b->len = b->cap = len;
}

static int load_file(struct fuzz *fz, const char *path)
{
	struct stat st;
	unsigned char *p;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > (64 << 20)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	p = xmalloc(st.st_size + 1);
	n = read(fd, p, st.st_size);
	close(fd);
	if (n == st.st_size && fz->nr_pool < MAX_POOL)
		add_seed(fz, p, n);
	free(p);
	return 0;
}

static void load_corpus(struct fuzz *fz, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d) {
		if (load_file(fz, path))
			die_code(2, "%s: not a corpus file or directory", path);
		return;
	}
	while ((de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		load_file(fz, p);	/* subdirectories are skipped */
		free(p);
	}
	closedir(d);
}

/* @a with every "@@", "@OUT@" and "@W@" replaced (new string, or @a). */
static char *expand_arg(struct fuzz *fz, const char *a)
{
	static const char *const tok[] = { "@@", "@OUT@", "@W@" };
	const char *val[] = { fz->in_path, fz->out_path, fz->dir_path };
	struct strbuf sb;
	size_t i;

	if (!strchr(a, '@') || !strcmp(a, "@tool@"))
		return (char *)a;
	strbuf_init(&sb);
	while (*a) {
		for (i = 0; i < 3; i++)
			if (str_starts_with(a, tok[i]))
				break;
		if (i < 3) {
			strbuf_add(&sb, val[i], strlen(val[i]));
			a += strlen(tok[i]);
		} else {
			strbuf_add(&sb, a++, 1);
		}
	}
	return sb.buf;
}

static char **build_argv(struct fuzz *fz)
{
	char **v = xcalloc(fz->argc + 1, sizeof(*v));
	int i;

	for (i = 0; i < fz->argc; i++)
		v[i] = expand_arg(fz, fz->argv[i]);
	return v;
}

static uint64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) || !S_ISREG(st.st_mode) ? 0 : st.st_size;
}

/* Remove everything below @path (not @path itself): the bytes it held. */
static uint64_t empty_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	uint64_t total = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *p;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		if (!lstat(p, &st)) {
			if (S_ISDIR(st.st_mode)) {
				total += empty_dir(p);
				rmdir(p);
			} else {
				total += st.st_size;
				unlink(p);
			}
		}
		free(p);
	}
	closedir(d);
	return total;
}

/* Exit without the at-exit leak check (our handler runs before LSan's). */
static void exit_now(int status, void *arg)
{
	(void)arg;
	fflush(NULL);
	_exit(status);
}

static void child(struct fuzz *fz, uint64_t bound, bool leak_check)
{
	struct rlimit fsize = { bound, bound };
	struct rlimit cpu = { fz->timeout, fz->timeout + 1 };
	char **argv = build_argv(fz);
	int null = open("/dev/null", O_RDWR);

	setrlimit(RLIMIT_FSIZE, &fsize);
	setrlimit(RLIMIT_CPU, &cpu);
	/*
	 * CPU time is the limit: niced on a loaded machine a run can wait
	 * seconds for a CPU; the wall clock only catches a run that sleeps.
	 */
	alarm(fz->timeout * 6);
	dup2(null, 0);
	dup2(null, 1);
	dup2(fz->report_fd, 2);
	close(null);
	if (chdir(fz->work))
		_exit(126);
	if (!strcmp(argv[0], "@tool@")) {
		argv[0] = "fuzzed-tool";
		optind = 0;	/* a fresh getopt(), not the one of our options */
		if (!leak_check)
			on_exit(exit_now, NULL);
		exit(fuzz_tool_main(fz->argc, argv));	/* exit: LSan runs */
	}
	execv(argv[0], argv);
	_exit(127);
}

/*
 * The fork server: forked once, before the parent grows (learned seeds,
 * messages seen, ASan's quarantine), it forks each run.  A fork copies the
 * page tables of all the forking process has touched, which in a long
 * run's parent grows to 100-200 MB and took a quarter of a run's time.
 */
struct run_req {
	uint64_t bound;
	int leak_check;
};

static void serve(struct fuzz *fz, int ctl, int st)
{
	struct run_req rq;
	int status;
	pid_t pid;

	while (read(ctl, &rq, sizeof(rq)) == (ssize_t)sizeof(rq)) {
		pid = fork();
		if (pid < 0)
			_exit(2);
		if (!pid) {
			close(ctl);
			close(st);
			child(fz, rq.bound, rq.leak_check);
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (write(st, &status, sizeof(status)) != (ssize_t)sizeof(status))
			_exit(2);
	}
	_exit(0);	/* the parent is gone or done: no leak check here */
}

static void start_server(struct fuzz *fz)
{
	int ctl[2], st[2];

	if (pipe2(ctl, O_CLOEXEC) || pipe2(st, O_CLOEXEC))
		die_code(2, "pipe: %s", strerror(errno));
	fz->server = fork();
	if (fz->server < 0)
		die_code(2, "fork: %s", strerror(errno));
	if (!fz->server) {
		close(ctl[1]);
		close(st[0]);
		serve(fz, ctl[0], st[1]);
	}
	close(ctl[0]);
	close(st[1]);
	fz->ctl_fd = ctl[1];
	fz->st_fd = st[0];
	signal(SIGPIPE, SIG_IGN);	/* a dead server is an error below */
}

static int run_in_server(struct fuzz *fz, uint64_t bound, bool leak_check)
{
	struct run_req rq = { .bound = bound, .leak_check = leak_check };
	int status;

	if (write(fz->ctl_fd, &rq, sizeof(rq)) != (ssize_t)sizeof(rq) ||
	    read(fz->st_fd, &status, sizeof(status)) != (ssize_t)sizeof(status))
		die_code(2, "fork server died");
	return status;
}

static void stop_server(struct fuzz *fz)
{
	close(fz->ctl_fd);
	close(fz->st_fd);
	while (waitpid(fz->server, NULL, 0) < 0 && errno == EINTR)
		;
}

/* The first line of @r that names the problem, digits folded. */
static void signature(const char *r, char *sig, size_t n)
{
	const char *keys[] = { "SUMMARY:", "runtime error", "ERROR:", NULL };
	const char *line = r, *p = NULL;
	size_t i, k = 0;

	for (i = 0; keys[i] && !p; i++)
		p = strstr(r, keys[i]);
	if (p) {
		while (p > r && p[-1] != '\n')
			p--;
		line = p;
	}
	for (i = 0; line[i] && line[i] != '\n' && k + 1 < n; i++) {
		char ch = line[i];

		if (ch >= '0' && ch <= '9') {
			if (k && sig[k - 1] == '#')
				continue;
			ch = '#';
		}
		sig[k++] = ch;
	}
	sig[k] = '\0';
}

/* Hash of everything the tool said, digits folded: what it said, not where. */
static unsigned long fold_hash(const char *r)
{
	unsigned long h = 14695981039346656037ul;
	bool digit = false;
	size_t i;

	for (i = 0; r[i] && i < 4096; i++) {
		bool d = r[i] >= '0' && r[i] <= '9';

		if (!d || !digit)
			h = (h ^ (unsigned char)(d ? '#' : r[i])) * 1099511628211ul;
		digit = d;
	}
	return h;
}

static size_t read_report(struct fuzz *fz, char *r)
{
	ssize_t n = pread(fz->report_fd, r, REPORT_MAX - 1, 0);

	n = n < 0 ? 0 : n;
	r[n] = '\0';
	return n;
}

static unsigned long fnv(const char *s)
{
	unsigned long h = 14695981039346656037ul;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ul;
	return h;
}

static void save_finding(struct fuzz *fz, const struct buf *b,
			 enum verdict v, const char *sig, const char *report)
{
	char *base, *p;
	FILE *f;
	int i;

	fz->nr_findings++;
	fprintf(stderr, "klpfuzz: %s: %s\n", verdict_name[v], sig);
	if (!fz->findings)
		return;
	base = xasprintf("%s/%s-%016lx", fz->findings, verdict_name[v],
			 fnv(sig));
	p = xasprintf("%s.o", base);
	write_file_atomic(p, b->data, b->len, 0644);
	free(p);
	p = xasprintf("%s.txt", base);
	f = fopen(p, "w");
	if (f) {
		fprintf(f, "signature: %s\ncommand:", sig);
		for (i = 0; i < fz->argc; i++)
			fprintf(f, " %s", fz->argv[i]);
		fprintf(f, "\n(@@ = %s.o)\n\n%s", base, report);
		fclose(f);
	}
	free(p);
	free(base);
}

static enum verdict run_one(struct fuzz *fz, struct buf *b, char *report)
{
	uint64_t bound = 16 * (b->len + fz->extra_bytes) + (1 << 20), out;
	enum verdict v = FZ_OK;
	char sig[256], key[300];
	int status, fd;

	fd = open(fz->in_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, b->data, b->len) != (ssize_t)b->len)
		die_code(2, "%s: %s", fz->in_path, strerror(errno));
	close(fd);
	/* The child shares the file offset: rewind it too. */
	if (ftruncate(fz->report_fd, 0) || lseek(fz->report_fd, 0, SEEK_SET))
		die_code(2, "report file: %s", strerror(errno));
	mkdir(fz->dir_path, 0755);
	status = run_in_server(fz, bound, ++fz->nr_runs % fz->leak_every == 0);
	read_report(fz, report);
	out = empty_dir(fz->dir_path) + file_size(fz->out_path);
	unlink(fz->out_path);
	if (WIFSIGNALED(status)) {
		int s = WTERMSIG(status);

		v = s == SIGXFSZ ? FZ_RUNAWAY :
		    s == SIGALRM || s == SIGXCPU || s == SIGKILL ? FZ_TIMEOUT :
		    FZ_CRASH;
		snprintf(sig, sizeof(sig), "signal %s", strsignal(s));
	} else if (strstr(report, "runtime error") ||
		   strstr(report, "Sanitizer")) {
		v = FZ_SANITIZER;
		signature(report, sig, sizeof(sig));
	} else if (out > bound) {
		v = FZ_RUNAWAY;
		snprintf(sig, sizeof(sig), "outputs of %llu bytes",
			 (unsigned long long)out);
	} else {
		int rc = WEXITSTATUS(status);

		if (rc != 0 && rc != 2 && rc != 3 && rc != 4)
			v = FZ_EXIT;
		signature(report, sig, sizeof(sig) - 16);
		snprintf(key, sizeof(key), "%d %016lx %.200s", rc,
			 fold_hash(report), sig);
		if (!hash_find(&fz->said, key)) {	/* says something new */
			if (fz->verbose)
				fprintf(stderr, "klpfuzz: new: %s\n", key);
			hash_add(&fz->said, xstrdup(key), (void *)1);
			add_seed(fz, b->data, b->len);
		}
		if (v == FZ_EXIT) {
			memcpy(key, sig, sizeof(sig));
			snprintf(sig, sizeof(sig), "exit %d: %.200s", rc, key);
		}
	}
	fz->counts[v]++;
	if (v != FZ_OK && !hash_find(&fz->found, sig)) {
		hash_add(&fz->found, xstrdup(sig), (void *)1);
		save_finding(fz, b, v, sig, report);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr, "usage: klpfuzz [-c CORPUS]... [-n RUNS] [-s SEED] [-t SECS] [-w DIR] [-f DIR] [-L N] [-D SECS] [-q] [-v] [-R] -- ARGV...\n");
	exit(2);
}

static void setup(struct fuzz *fz)
{
	int i;

	if (!fz->work)
		fz->work = "klpfuzz.work";
	if (mkdir(fz->work, 0755) && errno != EEXIST)
		die_code(2, "%s: %s", fz->work, strerror(errno));
	fz->work = realpath(fz->work, NULL);	/* the child runs in it */
	if (!fz->work)
		die_code(2, "work directory: %s", strerror(errno));
	if (fz->findings && mkdir(fz->findings, 0755) && errno != EEXIST)
		die_code(2, "%s: %s", fz->findings, strerror(errno));
	fz->in_path = xasprintf("%s/input.o", fz->work);
	fz->out_path = xasprintf("%s/output.o", fz->work);
	fz->dir_path = xasprintf("%s/out.d", fz->work);
	fz->report_fd = memfd_create("klpfuzz-stderr", MFD_CLOEXEC);
	if (fz->report_fd < 0)
		die_code(2, "memfd_create: %s", strerror(errno));
	for (i = 1; i < fz->argc; i++)
		if (fz->argv[i][0] != '@')
			fz->extra_bytes += file_size(fz->argv[i]);
	hash_init(&fz->said, 1024);
	hash_init(&fz->found, 64);
}

/*
 * Global, so that LeakSanitizer in a forked child sees the parent's memory
 * as reachable, not as leaks of the tool.
 */
static struct fuzz fz;
static char *report;
static struct buf mutant;

int main(int argc, char **argv)
{
	unsigned long runs = 1000, i;
	unsigned long budget = 0;
	uint64_t seed = 1;
	bool quiet = false;
	bool replay = false;
	time_t t0;
	int c;

	tool_name = "klpfuzz";
	fz.timeout = 10;
	fz.leak_every = 8;
	fz.pool = xcalloc(MAX_POOL, sizeof(*fz.pool));
	while ((c = getopt(argc, argv, "c:n:s:t:w:f:L:D:qvR")) != -1) {
		switch (c) {
		case 'c': load_corpus(&fz, optarg); break;
		case 'n': runs = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': fz.timeout = strtoul(optarg, NULL, 0); break;
		case 'w': fz.work = optarg; break;
		case 'f': fz.findings = optarg; break;
		case 'L': fz.leak_every = strtoul(optarg, NULL, 0); break;
		case 'D': budget = strtoul(optarg, NULL, 0); break;
		case 'q': quiet = true; break;
		case 'v': fz.verbose = true; break;
		case 'R': replay = true; break;
		default: usage();
		}
	}
	if (optind >= argc || !fz.nr_pool || !fz.timeout || !fz.leak_every)
		usage();
	fz.nr_seeds = fz.nr_pool;
	fz.argv = argv + optind;
	fz.argc = argc - optind;
	fuzz_seed(seed);
	setup(&fz);
	start_server(&fz);
	report = xmalloc(REPORT_MAX);
	if (replay)
		runs = fz.nr_seeds;
	t0 = time(NULL);
	for (i = 0; i < runs; i++) {
		const struct buf *s = &fz.pool[replay ? i : fuzz_rand() % fz.nr_pool];

		if (mutant.cap < s->len + FUZZ_SLACK) {	/* one buffer: forks stay cheap */
			mutant.cap = s->len + FUZZ_SLACK;
			mutant.data = xrealloc(mutant.data, mutant.cap);
		}
		mutant.len = s->len;
		memcpy(mutant.data, s->data, s->len);
		if (!replay)
			fuzz_mutate(&mutant);
		run_one(&fz, &mutant, report);
		if (!quiet && (i + 1) % 10000 == 0)
			fprintf(stderr, "klpfuzz: %lu runs, %lu findings, %lu seeds, %ld s\n",
				i + 1, fz.nr_findings, fz.nr_pool,
				(long)(time(NULL) - t0));
		if (budget && time(NULL) - t0 >= (time_t)budget) {
			runs = i + 1;	/* out of time: say what ran */
			break;
		}
	}
	printf("klpfuzz: %s: %lu runs in %ld s:", fz.argv[0], runs,
	       (long)(time(NULL) - t0));
	for (i = 0; i < NR_VERDICTS; i++)
		printf(" %s %lu", verdict_name[i], fz.counts[i]);
	printf("; %lu unique findings, %zu seeds (%zu given)\n",
	       fz.nr_findings, fz.nr_pool, fz.nr_seeds);
	stop_server(&fz);
	return fz.nr_findings ? 1 : 0;
}
