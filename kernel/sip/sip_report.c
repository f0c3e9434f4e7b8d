// SPDX-License-Identifier: MIT
// The kernel's reports on SIPs as text: the table (the shell's ps) and
// the counters (mem) that tests compare against a baseline to prove that
// nothing a SIP did outlives it. docs/abi.md shows both.
#include <arch.h>
#include <isola/fmt.h>
#include <kmem.h>
#include <sip.h>
#include <string.h>

static void count_running(const struct sip *s, void *ctx)
{
	*(size_t *)ctx += s->state == SIP_RUNNING;
}

size_t sip_running(void)
{
	size_t n = 0;
	sip_for_each(count_running, &n);
	return n;
}

// One line of the table, copied under the table lock and formatted after
// it, so the lock (which keeps interrupts off) is held for a copy only.
struct row {
	uint32_t id, handles;
	enum sip_state state;
	char name[SIP_NAME_MAX];
	size_t bytes, blocks;
	int32_t code;
};

struct rows {
	struct row r[SIP_MAX];
	size_t n;
};

static void copy_row(const struct sip *s, void *ctx)
{
	struct rows *t = ctx;
	if (t->n == SIP_MAX)
		return;
	struct row *r = &t->r[t->n++];
	*r = (struct row){ s->id, s->handles.used, s->state, { 0 },
			   account_total(s->acct), s->acct->xo.nblocks, s->exit_code };
	memcpy(r->name, s->name, sizeof(r->name));
}

size_t sip_report(char *buf, size_t len)
{
	size_t n = 0;
	struct rows *t = kzalloc(sizeof(*t));
	isola_appendf(buf, len, &n, "  ID  STATE    NAME               MEMORY\n");
	if (!t)
		return n;
	sip_for_each(copy_row, t);
	for (size_t i = 0; i < t->n; i++) {
		const struct row *r = &t->r[i];
		isola_appendf(buf, len, &n,
			      "%4u  %-8s %-16s %6zu KiB %5zu blocks %4u handles  code %d\n",
			      r->id, sip_state_name(r->state), r->name, r->bytes / 1024,
			      r->blocks, r->handles, r->code);
	}
	kfree(t);
	return n;
}

static void count_handles(const struct sip *s, void *ctx)
{
	*(size_t *)ctx += s->handles.used;
}

// The accounts, images, contracts and latency lines of the report.
static void report_accounts(char *buf, size_t len, size_t *n)
{
	struct account_totals t;
	struct image_stats im;
	struct arch_irqoff io;
	account_set_totals(kaccounts(), &t);
	image_stats(&im);
	arch_irqoff_stats(&io);
	isola_appendf(buf, len, n,
		      "accounts  %zu live, %zu ended (%zu KiB still charged), "
		      "%zu of %zu KiB in use\n"
		      "images    %zu cached, %zu of %zu KiB, %zu evicted\n"
		      "contracts %zu known\n"
		      "irqoff    longest %lu us\n",
		      t.live, t.ended, t.ended_bytes / 1024,
		      (t.pool_used + (size_t)kchan_heap()->pages * 4096) / 1024,
		      t.pool_cap / 1024, im.cached, im.bytes / 1024, im.cap / 1024,
		      im.evicted, kcontracts_count(),
		      (unsigned long)(io.longest_cycles / arch_cycles_per_us()));
}

size_t sip_memory_report(char *buf, size_t len)
{
	struct kmem_stats m;
	struct sched_stats t;
	size_t handles = 0, n = 0;
	// Cached empty slabs would hide a return to baseline; so would an
	// ended account that a sweep would free.
	(void)account_sweep(kaccounts());
	xheap_trim(kchan_heap());
	kmem_trim();
	kmem_stats(&m);
	sched_stats(&t);
	sip_for_each(count_handles, &handles);
	struct xheap *xh = kchan_heap();
	isola_appendf(buf, len, &n,
		      "frames    %zu free of %zu (%zu KiB free), %zu in page tables\n"
		      "heap      %zu objects, %zu bytes, %zu pages\n"
		      "exchange  %zu blocks, %zu bytes, %zu pages\n"
		      "handles   %zu\n"
		      "threads   %zu\n"
		      "sips      %zu running\n",
		      m.frames_free, m.frames_total, m.frames_free * 4,
		      m.frames_permanent,
		      m.heap.objects, m.heap.bytes_in_use, m.heap.pages,
		      xh->nblocks, xh->bytes, xh->pages, handles,
		      t.threads, sip_running());
	report_accounts(buf, len, &n);
	return n;
}
