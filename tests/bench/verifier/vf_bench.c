// SPDX-License-Identifier: MIT
// Verifier throughput: decodes and validates one module repeatedly for at
// least a second and prints MB/s (best and median run) and the peak bytes
// the verifier took from its allocator. With --sip it times, in one
// process, validation alone (vf_module_load), the SIP-level checks and the
// ownership analysis alone (vf_sip_check on the loaded module) and both.
// A benchmark, not a test.
// Usage: vf_bench FILE [MIN_SECONDS]
//        vf_bench --sip [--row] FILE [MIN_SECONDS]
#include <isola/sipcheck.h>
#include <isola/verifier.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAX_RUNS 100000

// The system contracts, from contractc's registry files (CMakeLists.txt).
extern const struct contract_registry_entry *const sipverify_system_contracts[];
extern const size_t sipverify_system_contracts_n;

static size_t live, peak;
static double times[MAX_RUNS];

static void *b_alloc(void *ctx, size_t size)
{
	(void)ctx;
	live += size;
	if (live > peak)
		peak = live;
	return aligned_alloc(16, (size + 15) & ~(size_t)15);
}

static void b_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	live -= size;
	free(p);
}

static struct vf_allocator alloc = {b_alloc, b_free, NULL, (size_t)4 << 30};

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

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		fclose(f);
		return NULL;
	}
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

// What one timed repetition does.
enum phase { PH_LOAD, PH_CHECK, PH_BOTH };

struct bench {
	const uint8_t *buf;
	size_t len;
	struct vf_options opts;
	struct vf_sip_env env;
	const struct vf_module *loaded; // for PH_CHECK
	struct vf_sip_result res;
};

static int load(struct bench *b, struct vf_module **m)
{
	struct vf_diag d;

	if (vf_module_load(b->buf, b->len, &b->opts, m, &d) == ERR_OK)
		return 0;
	fprintf(stderr, "rejected: %s at 0x%x\n", isola_err_message(d.code),
		d.offset);
	return -1;
}

// One repetition of ph; returns its CPU time, or -1 on a rejection.
static double run_once(struct bench *b, enum phase ph)
{
	struct vf_module *m = NULL;
	double t0 = now();

	if (ph != PH_CHECK && load(b, &m) != 0)
		return -1;
	if (ph != PH_LOAD) {
		isola_err_t err = vf_sip_check(ph == PH_CHECK ? b->loaded : m,
					       &b->env, &b->res);
		if (err == ERR_VF_NOMEM || err == ERR_INTERNAL)
			return -1;
	}
	double t = now() - t0;
	if (m)
		vf_module_free(m);
	return t;
}

// Repeats ph for at least min_s seconds (and 5 runs); sorts the times.
static size_t run_phase(struct bench *b, enum phase ph, double min_s)
{
	double start = now();
	size_t n = 0;

	while ((now() - start < min_s || n < 5) && n < MAX_RUNS) {
		double t = run_once(b, ph);
		if (t < 0)
			return 0;
		times[n++] = t;
	}
	qsort(times, n, sizeof(times[0]), cmp_double);
	return n;
}

static double mbs(size_t len, double t)
{
	return t > 0 ? (double)len / t / 1e6 : 0;
}

// The default mode: validation alone, MB/s and peak memory.
static int bench_load(struct bench *b, double min_s)
{
	size_t n = run_phase(b, PH_LOAD, min_s);
	struct rusage ru;

	if (n == 0)
		return 1;
	getrusage(RUSAGE_SELF, &ru);
	printf("%.0f MB/s best, %.0f MB/s median over %zu runs; "
	       "verifier peak %.1f MiB, process max RSS %.1f MiB\n",
	       mbs(b->len, times[0]), mbs(b->len, times[n / 2]), n,
	       (double)peak / (1 << 20), (double)ru.ru_maxrss / 1024);
	return 0;
}

// What vf_sip_check made of the module, in a few words.
static const char *verdict(const struct vf_sip_result *r, char *buf, size_t n)
{
	const char *what = r->diag.code == ERR_OK ? "accepted"
			   : isola_err_name(r->diag.code);

	snprintf(buf, n, "%s, %u notes", what, r->nnotes);
	return buf;
}

// --sip: the three phases. row: one tab-separated line (size, then
// median ms and median MB/s of each phase, then the verdict).
static int bench_sip(struct bench *b, double min_s, bool row)
{
	static const char *const names[3] = {"validation", "analysis", "whole"};
	double med[3], best[3];
	size_t runs[3];
	struct vf_module *m;
	char v[96];

	if (load(b, &m) != 0)
		return 1;
	b->loaded = m;
	for (int ph = PH_LOAD; ph <= PH_BOTH; ph++) {
		runs[ph] = run_phase(b, (enum phase)ph, min_s);
		if (runs[ph] == 0) {
			fprintf(stderr, "%s: failed\n", names[ph]);
			vf_module_free(m);
			return 1;
		}
		med[ph] = times[runs[ph] / 2];
		best[ph] = times[0];
	}
	vf_module_free(m);
	verdict(&b->res, v, sizeof(v));
	if (row) {
		printf("%zu", b->len);
		for (int ph = 0; ph < 3; ph++)
			printf("\t%.3f\t%.1f", med[ph] * 1e3, mbs(b->len, med[ph]));
		printf("\t%s\n", v);
		return 0;
	}
	for (int ph = 0; ph < 3; ph++)
		printf("%-10s  %9.3f ms median %9.3f ms best  %8.1f MB/s median "
		       "%8.1f MB/s best  (%zu runs)\n", names[ph], med[ph] * 1e3,
		       best[ph] * 1e3, mbs(b->len, med[ph]), mbs(b->len, best[ph]),
		       runs[ph]);
	printf("checks: %s (%s)\n", v, b->res.is_sip ? "as a SIP" : "not a SIP");
	return 0;
}

// A module without isola.manifest is checked as the kernel would check
// it (VF_SIP_REQUIRE), leaving out the import and entry checks that a
// plain module fails, so the analysis still runs over all of its code.
static uint32_t sip_flags(const struct vf_module *m)
{
	struct vf_sip_sections sec;
	uint32_t dup;

	if (vf_sip_sections_find(m, &sec, &dup) == ERR_OK && sec.manifest)
		return 0;
	return VF_SIP_REQUIRE | VF_SIP_NO_INTERFACE;
}

int main(int argc, char **argv)
{
	struct bench b = {.opts = {.features = VF_FEATURES_ALL, .alloc = &alloc}};
	bool sip = false, row = false;
	int i = 1, rc;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--sip") == 0)
			sip = true;
		else if (strcmp(argv[i], "--row") == 0)
			row = true;
		else
			break;
	}
	double min_s = i + 1 < argc ? atof(argv[i + 1]) : 1.0;
	uint8_t *buf = i < argc ? read_file(argv[i], &b.len) : NULL;
	if (!buf) {
		fprintf(stderr, "usage: vf_bench [--sip [--row]] FILE "
				"[MIN_SECONDS]\n");
		return 2;
	}
	b.buf = buf;
	b.env = (struct vf_sip_env){sipverify_system_contracts,
				    sipverify_system_contracts_n, &alloc, 0};
	if (sip) {
		struct vf_module *m;
		if (load(&b, &m) != 0)
			return 1;
		b.env.flags = sip_flags(m);
		vf_module_free(m);
		rc = bench_sip(&b, min_s, row);
	} else {
		rc = bench_load(&b, min_s);
	}
	free(buf);
	return rc;
}
