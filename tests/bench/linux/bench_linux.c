// SPDX-License-Identifier: MIT
// The Linux side of the system benchmark (tests/bench/system/run.sh,
// docs/performance.md), measured the way the bench SIP measures Isola:
// rdtsc, one warm-up batch, then many batches, median and 10th/90th
// percentiles of cycles per operation. Everything runs on one CPU
// (sched_setaffinity), so ping-pongs are switches, not cross-CPU wakeups.
//
//   bench_linux [--quick] [--cpu N] HELLO   (HELLO: a static program to exec)
//
// Prints `linux: KEY MEDIAN P10 P90 UNIT` lines and `linux: done`.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define MSG_MAX 65536
#define SAMPLES_MAX 201

static const size_t sizes[] = { 1, 8, 64, 1024, 4096, 65536 };

struct mode {
	int samples, cheap, ipc, spawns;
};

static struct mode mode = { 101, 1000, 200, 1 };
static int cpu;
static const char *hello;
static uint64_t samples[SAMPLES_MAX];
static volatile uint64_t sink;

static void die(const char *what)
{
	fprintf(stderr, "bench_linux: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void pin(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		die("sched_setaffinity");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t pct(int n, int p)
{
	return samples[(n - 1) * p / 100];
}

static void report(const char *key, int n, uint64_t div)
{
	qsort(samples, (size_t)n, sizeof(samples[0]), cmp_u64);
	printf("linux: %s %llu %llu %llu cycles\n", key,
	       (unsigned long long)(pct(n, 50) / div), (unsigned long long)(pct(n, 10) / div),
	       (unsigned long long)(pct(n, 90) / div));
	fflush(stdout);
}

// What a batch does n times; arg is the message size or a file descriptor.
typedef void (*op_fn)(int n, size_t arg);

static void measure(const char *key, op_fn op, int per, size_t arg, uint64_t div)
{
	int n = mode.samples < SAMPLES_MAX ? mode.samples : SAMPLES_MAX;
	op(per, arg);
	for (int s = 0; s < n; s++) {
		uint64_t c0 = __rdtsc();
		op(per, arg);
		samples[s] = (__rdtsc() - c0) / (uint64_t)per;
	}
	report(key, n, div);
}

static void op_loop(int n, size_t arg)
{
	(void)arg;
	for (int i = 0; i < n; i++)
		sink = (uint64_t)i;
}

static void op_rdtsc(int n, size_t arg)
{
	(void)arg;
	for (int i = 0; i < n; i++)
		sink = __rdtsc();
}

static void op_getpid(int n, size_t arg)
{
	(void)arg;
	for (int i = 0; i < n; i++)
		sink = (uint64_t)syscall(SYS_getpid);
}

// ---- sched_yield between two threads --------------------------------------

static atomic_bool yield_stop, yield_started;

static void *yielder(void *arg)
{
	(void)arg;
	pin();
	atomic_store(&yield_started, true);
	while (!atomic_load(&yield_stop))
		sched_yield();
	return NULL;
}

static void op_yield(int n, size_t arg)
{
	(void)arg;
	for (int i = 0; i < n; i++)
		sched_yield();
}

static void bench_yield(void)
{
	pthread_t t;
	atomic_store(&yield_stop, false);
	if (pthread_create(&t, NULL, yielder, NULL) != 0)
		die("pthread_create");
	while (!atomic_load(&yield_started))
		sched_yield();
	// Each of our yields is two: to the other thread and back.
	measure("yield", op_yield, mode.ipc, 0, 2);
	atomic_store(&yield_stop, true);
	pthread_join(t, NULL);
}

// ---- byte streams: pipes and UNIX sockets ---------------------------------

static char buf[MSG_MAX];
static int stream_out, stream_in; // the parent's ends

static void xfer(int fd, size_t n, int writing)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = writing ? write(fd, buf + done, n - done) : read(fd, buf + done, n - done);
		if (r <= 0)
			die(writing ? "write" : "read");
		done += (size_t)r;
	}
}

static void op_stream(int n, size_t size)
{
	for (int i = 0; i < n; i++) {
		xfer(stream_out, size, 1);
		xfer(stream_in, size, 0);
	}
}

// The child echoes messages of `size` bytes until its input closes.
static void echo_child(int in, int out, size_t size)
{
	for (;;) {
		size_t done = 0;
		while (done < size) {
			ssize_t r = read(in, buf + done, size - done);
			if (r <= 0)
				_exit(0);
			done += (size_t)r;
		}
		xfer(out, size, 1);
	}
}

// kind 0: two pipes; kind 1: a UNIX stream socketpair.
static void bench_stream(int kind, const char *name)
{
	char key[64];
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		int a[2], b[2];
		if (kind == 0 ? pipe(a) || pipe(b) : socketpair(AF_UNIX, SOCK_STREAM, 0, a))
			die("pipe/socketpair");
		// The ends each side keeps and the ones it closes.
		int child_in = a[0], child_out = kind == 0 ? b[1] : a[0];
		stream_out = a[1];
		stream_in = kind == 0 ? b[0] : a[1];
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(stream_out);
			if (kind == 0)
				close(stream_in);
			echo_child(child_in, child_out, sizes[k]);
			_exit(0);
		}
		close(child_in);
		if (kind == 0)
			close(child_out);
		snprintf(key, sizeof(key), "%s_%zu", name, sizes[k]);
		measure(key, op_stream, mode.ipc, sizes[k], 1);
		close(stream_out);
		if (kind == 0)
			close(stream_in);
		waitpid(pid, NULL, 0);
	}
}

// ---- futex ping-pong over shared memory -----------------------------------

struct shared {
	_Atomic uint32_t turn; // 0: the parent's, 1: the child's, 2: stop
	char data[MSG_MAX];
};

static struct shared *sh;

static void futex_wait(_Atomic uint32_t *w, uint32_t v)
{
	while (atomic_load(w) == v)
		syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0);
}

static void futex_pass(_Atomic uint32_t *w, uint32_t v)
{
	atomic_store(w, v);
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

// A message is copied into the shared buffer by one side and out by the other.
static void op_futex(int n, size_t size)
{
	for (int i = 0; i < n; i++) {
		memcpy(sh->data, buf, size);
		futex_pass(&sh->turn, 1);
		futex_wait(&sh->turn, 1);
		memcpy(buf, sh->data, size);
	}
}

static void futex_child(size_t size)
{
	static char local[MSG_MAX];
	for (;;) {
		futex_wait(&sh->turn, 0);
		if (atomic_load(&sh->turn) == 2)
			_exit(0);
		memcpy(local, sh->data, size);
		memcpy(sh->data, local, size);
		futex_pass(&sh->turn, 0);
	}
}

static void bench_futex(void)
{
	char key[64];
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		atomic_store(&sh->turn, 0);
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			futex_child(sizes[k]);
		snprintf(key, sizeof(key), "futex_%zu", sizes[k]);
		measure(key, op_futex, mode.ipc, sizes[k], 1);
		futex_pass(&sh->turn, 2);
		waitpid(pid, NULL, 0);
	}
	munmap(sh, sizeof(*sh));
}

// ---- fork + exec + wait ---------------------------------------------------

static void op_spawn(int n, size_t arg)
{
	(void)arg;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			if (null >= 0)
				dup2(null, 1);
			execl(hello, hello, (char *)NULL);
			_exit(127);
		}
		int st = 0;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "bench_linux: %s failed\n", hello);
			exit(1);
		}
	}
}

// The TSC rate, against CLOCK_MONOTONIC over 50 ms.
static void tsc_rate(void)
{
	struct timespec t0, t1, nap = { 0, 50000000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t c0 = __rdtsc();
	nanosleep(&nap, NULL);
	uint64_t c1 = __rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	unsigned long mhz = (unsigned long)((double)(c1 - c0) * 1000.0 / ns);
	printf("linux: tsc_mhz %lu %lu %lu MHz\n", mhz, mhz, mhz);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			mode = (struct mode){ 5, 20, 10, 1 };
		else if (strcmp(argv[i], "--cpu") == 0 && i + 1 < argc)
			cpu = atoi(argv[++i]);
		else
			hello = argv[i];
	}
	if (!hello) {
		fprintf(stderr, "usage: bench_linux [--quick] [--cpu N] HELLO\n");
		return 2;
	}
	pin();
	printf("linux: mode %s samples %d cpu %d\n", mode.samples == 5 ? "quick" : "full",
	       mode.samples, cpu);
	tsc_rate();
	measure("loop", op_loop, mode.cheap, 0, 1);
	measure("cycles_read", op_rdtsc, mode.cheap, 0, 1);
	measure("kernel_call", op_getpid, mode.cheap, 0, 1);
	bench_yield();
	bench_stream(0, "pipe");
	bench_stream(1, "unix");
	bench_futex();
	measure("spawn", op_spawn, mode.spawns, 0, 1);
	printf("linux: done\n");
	return 0;
}
