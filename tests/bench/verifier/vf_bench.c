// SPDX-License-Identifier: MIT
// Verifier throughput: decodes and validates one module repeatedly for at
// least a second and prints MB/s (best and median run) and the peak bytes
// the verifier took from its allocator. A benchmark, not a test.
// Usage: vf_bench FILE [MIN_SECONDS]
#include <isola/verifier.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static size_t live, peak;

static void *b_alloc(void *ctx, size_t size)
{
	(void)ctx;
	live += size;
	if (live > peak)
		peak = live;
	return aligned_alloc(16, size);
}

static void b_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	live -= size;
	free(p);
}

// CPU time of this thread: other load on the machine does not distort it.
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static uint8_t *read_file(const char *name, size_t *len)
{
	FILE *f = fopen(name, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		return NULL;
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	static double times[100000];
	struct vf_allocator a = {b_alloc, b_free, NULL, (size_t)4 << 30};
	struct vf_options o = {.features = VF_FEATURES_ALL, .alloc = &a};
	double min_s = argc > 2 ? atof(argv[2]) : 1.0, start;
	size_t len, n = 0;
	uint8_t *buf;

	if (argc < 2 || !(buf = read_file(argv[1], &len))) {
		fprintf(stderr, "usage: vf_bench FILE [MIN_SECONDS]\n");
		return 2;
	}
	start = now();
	while ((now() - start < min_s || n < 5) && n < 100000) {
		struct vf_module *m;
		struct vf_diag d;
		double t0 = now();
		if (vf_module_load(buf, len, &o, &m, &d) != ERR_OK) {
			fprintf(stderr, "%s: rejected: %s at 0x%x\n", argv[1],
				isola_err_message(d.code), d.offset);
			return 1;
		}
		times[n++] = now() - t0;
		vf_module_free(m);
	}
	qsort(times, n, sizeof(times[0]), cmp_double);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%.0f MB/s best, %.0f MB/s median over %zu runs; "
	       "verifier peak %.1f MiB, process max RSS %.1f MiB\n",
	       (double)len / times[0] / 1e6, (double)len / times[n / 2] / 1e6,
	       n, (double)peak / (1 << 20), (double)ru.ru_maxrss / 1024);
	free(buf);
	return 0;
}
