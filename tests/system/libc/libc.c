// SPDX-License-Identifier: MIT
// libc: the C library of SIPs (wasi-libc, with the WASI calls libsip
// implements: docs/libsip.md) checked from inside a SIP by the system.libc
// test. Formats and parses floating point, sorts, allocates, reads its
// quoted arguments, sleeps on the clock, draws random bytes, writes to
// stderr, reads its own image under /initrd, and sees that other files
// (an empty root directory), the environment and CPU clocks are absent
// with the errors WASI gives. Prints a line per failed check, then how
// many failed, and exits with that number.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sip/sip.h>

SIP_PM_ENDPOINT(2); // the manifest's second endpoint

static int failed;

static void expect(int ok, const char *what)
{
	if (!ok) {
		printf("libc: FAIL %s\n", what);
		failed++;
	}
}

static void formats(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.3f %e %g %5.1s|%-4d|%x", 3.14159, 12345.678, 0.0001,
		 "xyz", 42, 255u);
	expect(strcmp(buf, "3.142 1.234568e+04 0.0001     x|42  |ff") == 0, "printf formats");
	double d = strtod("-2.5e3", NULL);
	expect(d == -2500.0, "strtod");
	long v = strtol("0x7fffffff", NULL, 0);
	expect(v == 0x7fffffff, "strtol");
	errno = 0;
	(void)strtol("99999999999999999999", NULL, 10);
	expect(errno == ERANGE, "strtol sets ERANGE");
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void sorting_and_memory(void)
{
	int v[6] = { 5, -1, 9, 0, 3, 3 };

	qsort(v, 6, sizeof(int), cmp_int);
	expect(v[0] == -1 && v[1] == 0 && v[5] == 9, "qsort");
	char *big = malloc(1u << 20);

	expect(big != NULL, "malloc of 1 MiB");
	if (big) {
		memset(big, 7, 1u << 20);
		expect(memchr(big, 0, 1u << 20) == NULL, "the block is usable");
		free(big);
	}
	// Over the manifest's 4M. The size is read at run time and the result
	// kept, so the compiler cannot fold the call away.
	static volatile size_t huge_size = 64u << 20;
	static char *volatile huge;

	huge = malloc(huge_size);
	expect(huge == NULL, "malloc past the memory limit returns null");
	free(huge);
}

static void arguments(int argc, SIP_COUNT(argc) char **argv)
{
	expect(argc == 3, "argc");
	if (argc == 3) {
		expect(strcmp(argv[0], "libc") == 0, "argv[0] is the name");
		expect(strcmp(argv[1], "two words") == 0, "a quoted argument");
		expect(strcmp(argv[2], "x") == 0, "argv[2]");
	}
	const char *home = getenv("HOME");

	expect(home != NULL && strcmp(home, "/") == 0, "HOME is /");
	expect(getenv("PATH") == NULL, "nothing else is in the environment");
}

static void clocks_and_random(void)
{
	struct timespec a, b;

	expect(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime");
	expect(usleep(20000) == 0, "usleep");
	expect(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "clock_gettime again");
	long long ns = (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
	expect(ns >= 20000000, "usleep waits at least 20 ms");
	expect(time(NULL) >= 0, "time");
	unsigned char r1[32], r2[32];

	expect(getentropy(r1, sizeof(r1)) == 0, "getentropy");
	expect(getentropy(r2, sizeof(r2)) == 0, "getentropy again");
	expect(memcmp(r1, r2, sizeof(r1)) != 0, "two draws differ");
}

// The initrd's files, read-only under /initrd (this SIP names its
// process manager): its own image is there, a wasm module.
static void initrd_files(void)
{
	FILE *f = fopen("/initrd/sips/libc.sip", "rb");
	unsigned char magic[4] = { 0 };

	expect(f != NULL, "fopen /initrd/sips/libc.sip");
	if (!f)
		return;
	expect(fread(magic, 1, 4, f) == 4 && memcmp(magic, "\0asm", 4) == 0, "it is wasm");
	expect(fseek(f, 0, SEEK_END) == 0 && ftell(f) > 1000, "seek to its end");
	expect(fseek(f, 1, SEEK_SET) == 0 && fgetc(f) == 'a', "seek back");
	fclose(f);
	errno = 0;
	expect(fopen("/initrd/no/such/file", "r") == NULL && errno == ENOENT,
	       "a missing initrd file: ENOENT");
	errno = 0;
	expect(fopen("/initrd/sips/libc.sip", "w") == NULL && errno == EROFS,
	       "the initrd is read-only: EROFS");
}

static void absent(void)
{
	errno = 0;
	FILE *f = fopen("notes.txt", "r");

	expect(f == NULL && errno == ENOENT, "fopen without a file system: ENOENT");
	if (f)
		fclose(f);
	errno = 0;
	FILE *g = fopen("/disk/notes.txt", "w");

	expect(g == NULL && errno == EROFS, "creating a file: EROFS");
	if (g)
		fclose(g);
	DIR *root = opendir("/");

	expect(root != NULL, "opendir /");
	if (root) {
		expect(readdir(root) == NULL, "/ is empty");
		closedir(root);
	}
	char c;

	expect(read(0, &c, 1) == 0, "stdin is at its end");
	struct timespec t;

	expect(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) != 0, "no CPU-time clock");
}

int main(int argc, SIP_COUNT(argc) char **argv)
{
	formats();
	sorting_and_memory();
	arguments(argc, argv);
	clocks_and_random();
	initrd_files();
	absent();
	fprintf(stderr, "libc: stderr works\n");
	printf("libc: %d failed\n", failed);
	return failed;
}
