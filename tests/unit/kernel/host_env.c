// SPDX-License-Identifier: MIT
// The host fake of the SIP layer's environment (kernel/include/ksip/env.h):
// one CPU, simulated on one host thread. Interrupts are a flag; a spinlock
// found taken can only be the caller's own, so it aborts. Threads wait in
// a queue until a test runs one, which then runs to its end on the
// caller's stack. The clock moves only when something waits with a
// deadline: the wait ends at once, timed out, at that time. A wait with no
// deadline would never end; if an ABI call being driven (host_abi) is
// waiting, its SIP is killed, as a watchdog would, else the process
// aborts. Memory is the C library's, so AddressSanitizer sees every kernel
// object; a header keeps each allocation's size for the accounts.
#include "host_env.h"

#include <ksip/native.h>
#include <panic.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct host_env host_env;

static struct list_node pending = { &pending, &pending };
static struct sip *driving; // the SIP whose ABI call host_abi is making
static bool irq_on = true;

static bool fail_now(unsigned *n)
{
	return *n && --*n == 0;
}

static void host_die(const char *what)
{
	fprintf(stderr, "host env: %s\n", what);
	abort();
}

// ---- interrupts and the clock ----

uint64_t arch_irq_save(void)
{
	uint64_t was = irq_on;
	irq_on = false;
	return was;
}

void arch_irq_restore(uint64_t state)
{
	irq_on = state != 0;
}

void arch_cpu_relax(void)
{
	host_die("a spinlock is taken twice on one CPU");
}

void arch_irqoff_stats(struct arch_irqoff *out)
{
	memset(out, 0, sizeof(*out));
}

uint64_t arch_time_ns(void)
{
	return host_env.now_ns;
}

uint64_t arch_cycles(void)
{
	return host_env.now_ns;
}

uint64_t arch_cycles_per_us(void)
{
	return 1000;
}

// The CPU's generator: the host's, while host_env.hw_random is set, so
// the tests see both of entropy_fill's sources.
bool arch_random(uint64_t *out)
{
	if (!host_env.hw_random)
		return false;
	return getentropy(out, sizeof(*out)) == 0;
}

// ---- threads and waiting ----

isola_err_t thread_create(const char *name, void (*entry)(void *), void *arg,
			  struct thread **out)
{
	if (fail_now(&host_env.fail_thread))
		return ERR_NOMEM;
	struct thread *t = calloc(1, sizeof(*t));
	if (!t)
		return ERR_NOMEM;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->entry = entry;
	t->arg = arg;
	t->state = THREAD_READY;
	list_push_back(&pending, &t->link);
	host_env.threads++;
	*out = t;
	return ERR_OK;
}

static void thread_free(struct thread *t)
{
	free(t);
	host_env.threads--;
}

void thread_detach(struct thread *t)
{
	t->detached = true;
	if (t->state == THREAD_DEAD)
		thread_free(t);
}

static struct thread *host_current; // NULL: the test's own thread

struct thread *sched_current(void)
{
	return host_current;
}

static void run_thread(struct thread *t)
{
	struct thread *was = host_current;
	list_remove(&t->link);
	t->state = THREAD_RUNNING;
	host_current = t;
	t->entry(t->arg);
	host_current = was;
	t->state = THREAD_DEAD;
	if (t->detached)
		thread_free(t);
}

void sched_yield(void)
{
}

void sched_stats(struct sched_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->threads = host_env.threads + 1; // and the test's own
}

void waitq_init(struct waitq *q)
{
	list_init(&q->head);
	q->wakes = 0;
}

size_t waitq_wake(struct waitq *q, size_t n)
{
	(void)n;
	__atomic_fetch_add(&q->wakes, 1, __ATOMIC_RELEASE);
	return 0;
}

bool waitq_wait(struct waitq *q, uint64_t deadline)
{
	(void)q;
	if (irq_on)
		host_die("waitq_wait with interrupts on");
	if (deadline) {
		if (host_env.now_ns < deadline)
			host_env.now_ns = deadline;
		return false;
	}
	if (!driving || driving->kill_requested)
		host_die("a wait that nothing can end");
	// As a kill from another thread would: the wait ends, and the SIP's
	// blocking call returns ERR_ENG_KILLED.
	if (sip_kill(driving->id, 0) != ERR_OK)
		host_die("the watchdog cannot kill a waiting SIP");
	return true;
}

// ---- memory ----

struct kobj {
	size_t size;
	size_t pad; // keeps what follows 16-byte aligned
};

void *kmalloc(size_t size)
{
	if (fail_now(&host_env.fail_kmalloc))
		return NULL;
	struct kobj *o = malloc(sizeof(*o) + size);
	if (!o)
		return NULL;
	o->size = size;
	host_env.heap_objects++;
	host_env.heap_bytes += size;
	return o + 1;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	struct kobj *o = (struct kobj *)p - 1;
	host_env.heap_objects--;
	host_env.heap_bytes -= o->size;
	free(o);
}

static size_t ksize(const void *p)
{
	return ((const struct kobj *)p - 1)->size;
}

const struct mem_backing *kheap_backing(void)
{
	static const struct mem_backing b = { kmalloc, kfree, ksize };
	return &b;
}

void *frames_alloc(size_t n)
{
	if (n == 0 || n > host_env.frames_free || fail_now(&host_env.fail_frames))
		return NULL;
	void *p = aligned_alloc(4096, n * 4096);
	if (p)
		host_env.frames_free -= n;
	return p;
}

void frames_free(void *p, size_t n)
{
	free(p);
	host_env.frames_free += n;
}

void kmem_stats(struct kmem_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->frames_total = HOST_FRAMES;
	out->frames_free = host_env.frames_free;
	out->heap.objects = host_env.heap_objects;
	out->heap.bytes_in_use = host_env.heap_bytes;
}

void kmem_trim(void)
{
}

// ---- log and console ----

static void log_append(const char *s, size_t n)
{
	if (host_env.log_stderr)
		fwrite(s, 1, n, stderr);
	size_t cap = sizeof(host_env.log) - 1;
	if (n > cap) {
		s += n - cap;
		n = cap;
	}
	if (host_env.log_len + n > cap) {
		size_t drop = host_env.log_len + n - cap;
		memmove(host_env.log, host_env.log + drop, host_env.log_len - drop);
		host_env.log_len -= drop;
	}
	memcpy(host_env.log + host_env.log_len, s, n);
	host_env.log_len += n;
	host_env.log[host_env.log_len] = '\0';
}

void kvprintf(const char *fmt, va_list ap)
{
	char line[1024];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n > 0)
		log_append(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void klog(enum klog_level level, const char *fmt, ...)
{
	va_list ap;
	kprintf("<%d> ", (int)level);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	log_append("\n", 1);
}

void kputs_raw(const char *s, size_t n)
{
	log_append(s, n);
}

size_t console_read(uint8_t *buf, size_t len)
{
	size_t n = len < host_env.console_len ? len : host_env.console_len;
	memcpy(buf, host_env.console, n);
	host_env.console += n;
	host_env.console_len -= n;
	return n;
}

void console_wait_input(uint64_t deadline)
{
	if (!host_env.console_len && deadline && host_env.now_ns < deadline)
		host_env.now_ns = deadline;
}

size_t latency_report(char *buf, size_t len, bool reset)
{
	(void)reset;
	int n = snprintf(buf, len, "irqoff longest 0.000 us, from ? to ?\n");
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len ? len - 1 : 0;
}

// ---- what tests do with it ----

const uint8_t *host_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, cap);
			if (!nb)
				host_die("out of memory reading a file");
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*size = n;
	return buf;
}

void host_env_boot(const char *initrd_path)
{
	static bool booted;
	if (booted)
		return;
	booted = true;
	host_env.frames_free = HOST_FRAMES;
	host_env.log_stderr = getenv("ISOLA_TEST_LOG") != NULL;
	size_t size;
	const uint8_t *rd = initrd_path ? host_read_file(initrd_path, &size) : NULL;
	if (initrd_path && !rd)
		host_die("cannot read the initrd");
	if (rd)
		initrd_register(rd, size);
	kchan_init();
	kaccounts_init();
	kcontracts_init();
	// ISOLA_TEST_ENGINE=interp|jit, ISOLA_TEST_BOUNDS=guard|explicit: the
	// kernel's engine= and bounds= options.
	if (sip_native_set(getenv("ISOLA_TEST_ENGINE"), getenv("ISOLA_TEST_BOUNDS")) != ERR_OK)
		host_die("ISOLA_TEST_ENGINE or ISOLA_TEST_BOUNDS is not a known value");
	sip_native_init();
}

void host_log_clear(void)
{
	host_env.log_len = 0;
	host_env.log[0] = '\0';
}

bool host_log_has(const char *text)
{
	return strstr(host_env.log, text) != NULL;
}

struct find {
	uint32_t id;
	const struct sip *s;
};

static void find_one(const struct sip *s, void *ctx)
{
	struct find *f = ctx;
	if (s->id == f->id)
		f->s = s;
}

struct sip *host_sip(uint32_t id)
{
	struct find f = { id, NULL };
	sip_for_each(find_one, &f);
	// One host thread: nothing frees it while the caller uses it.
	return (struct sip *)f.s;
}

static struct thread *thread_of(struct list_node *n)
{
	return (struct thread *)((char *)n - offsetof(struct thread, link));
}

bool host_run_sip(uint32_t id)
{
	struct sip *s = host_sip(id);
	// s->thread is freed once it has run: look for it among the pending.
	list_for_each(it, &pending) {
		if (s && thread_of(it) == s->thread) {
			run_thread(s->thread);
			return true;
		}
	}
	return false;
}

size_t host_run_all(void)
{
	size_t n = 0;
	while (!list_empty(&pending)) {
		run_thread(thread_of(pending.next));
		n++;
	}
	return n;
}

isola_err_t host_abi(struct sip *s, const char *name, const uint64_t *args,
		     size_t n, uint64_t *ret)
{
	struct eng_extern ex;
	uint64_t a[8] = { 0 };
	if (abi_resolve(s, "isola", 5, name, strlen(name), VF_EXTERN_FUNC, &ex) != ERR_OK)
		host_die("host_abi: no such ABI function");
	struct eng_func *f = ex.u.func;
	if (n != f->type->nparams || n > 8)
		host_die("host_abi: wrong number of arguments");
	if (n)
		memcpy(a, args, n * sizeof(*a));
	driving = s;
	isola_err_t err = f->host(f->host_ctx, s->eth, a);
	driving = NULL;
	*ret = a[0];
	return err;
}

struct eng_memory *host_mem(struct sip *s)
{
	return eng_instance_memory(s->inst);
}

isola_err_t host_spawn(const char *name, const uint8_t *bytes, size_t size,
		       uint32_t *id)
{
	struct vf_diag d;
	return sip_spawn(name, bytes, size, id, &d);
}

enum sip_state host_end(uint32_t id, int32_t *code)
{
	enum sip_state st = SIP_FREE;
	(void)sip_kill(id, 0); // it may have ended already
	(void)host_run_sip(id);
	if (sip_wait(id, &st, code) != ERR_OK)
		host_die("host_end: no such SIP");
	return st;
}

// ---- baselines and invariants ----

void host_snapshot(struct host_baseline *b)
{
	struct image_stats im;
	(void)account_sweep(kaccounts());
	(void)xheap_trim(kchan_heap());
	image_stats(&im);
	b->heap_objects = host_env.heap_objects;
	b->frames_free = host_env.frames_free;
	b->threads = host_env.threads;
	b->contracts = kcontracts_count();
	b->images = im.cached;
	account_set_totals(kaccounts(), &b->acct);
}

const char *host_baseline_diff(const struct host_baseline *b)
{
	struct host_baseline now;
	host_snapshot(&now);
	if (now.heap_objects != b->heap_objects)
		return "kernel heap objects";
	if (now.frames_free != b->frames_free)
		return "frames";
	if (now.threads != b->threads)
		return "threads";
	if (now.contracts != b->contracts)
		return "contracts";
	if (now.acct.live != b->acct.live || now.acct.ended != 0)
		return "accounts";
	if (now.acct.pool_used != b->acct.pool_used)
		return "account pool";
	if (kchan_heap()->nblocks != 0 || xheap_check(kchan_heap()) != ERR_OK)
		return "exchange heap";
	return NULL;
}

// Kernel symbols (panic.h): the host has none; the profiler's tests pass
// their own table to prof_report.
bool ksyms_lookup(uint64_t pc, const char **name, uint64_t *offset)
{
	(void)pc;
	(void)name;
	(void)offset;
	if (host_env.on_ksyms)
		host_env.on_ksyms();
	return false;
}
