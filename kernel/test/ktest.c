// SPDX-License-Identifier: MIT
// The kernel test runner (see ktest.h).
#include <arch.h>
#include <ktest.h>
#include <string.h>

extern const struct ktest _ktests_start[], _ktests_end[];
static unsigned checks_failed;

void ktest_check(bool ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		checks_failed++;
		klog(KLOG_ERROR, "ktest: check failed: %s (%s:%d)", expr, file, line);
	}
}

void ktest_sort_u64(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static bool run_one(const struct ktest *t)
{
	unsigned before = checks_failed;
	kprintf("ktest: running %s\n", t->name);
	uint64_t t0 = arch_time_ns();
	t->fn();
	bool ok = checks_failed == before;
	kprintf("ktest: %s %s (%lu ms)\n", ok ? "PASS" : "FAIL", t->name,
		(unsigned long)((arch_time_ns() - t0) / 1000000));
	return ok;
}

static const struct ktest *find(const char *name, size_t len)
{
	for (const struct ktest *t = _ktests_start; t < _ktests_end; t++)
		if (strlen(t->name) == len && strncmp(t->name, name, len) == 0)
			return t;
	return NULL;
}

static void list_tests(void)
{
	kprintf("ktest: available:");
	for (const struct ktest *t = _ktests_start; t < _ktests_end; t++)
		kprintf(" %s%s", t->name, t->crash ? "(crash)" : t->alone ? "(alone)" : "");
	kprintf("\n");
}

void ktest_run(const char *spec)
{
	unsigned passed = 0, failed = 0;
	if (strcmp(spec, "all") == 0) {
		for (const struct ktest *t = _ktests_start; t < _ktests_end; t++)
			if (!t->alone)
				run_one(t) ? passed++ : failed++;
	} else {
		for (const char *p = spec; *p;) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			const struct ktest *t = find(p, len);
			if (t) {
				run_one(t) ? passed++ : failed++;
			} else {
				kprintf("ktest: no test named '%.*s'\n", (int)len, p);
				list_tests();
				failed++;
			}
			p += len + (comma ? 1 : 0);
		}
	}
	kprintf("%u passed, %u failed\n", passed, failed);
	arch_exit(failed == 0);
}
