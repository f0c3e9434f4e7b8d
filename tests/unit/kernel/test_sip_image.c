// SPDX-License-Identifier: MIT
// The SIP loader on the host: images opened from the initrd (verified
// once, cached, shared), made from bytes, rejected (not wasm, cut short,
// failing the ownership analysis) with nothing left behind, manifests
// resolved to initial handles, and the cache evicting the least recently
// used image no one holds when the image pool runs short.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_env.h"

#define WASM(n) ISOLA_TEST_WASM_DIR "/ktest_" n ".wasm"

static int boot(void **state)
{
	(void)state;
	host_env_boot(ISOLA_TEST_INITRD);
	return 0;
}

static struct sip_image *open_ok(const char *name)
{
	struct sip_image *img = NULL;
	struct vf_diag d;
	isola_err_t err = image_open(name, strlen(name), &img, &d);
	if (err != ERR_OK)
		fail_msg("image_open(%s): %d (%d: %s)", name, (int)err, (int)d.code, d.detail);
	return img;
}

static bool is_cached(const char *name)
{
	static char text[8192];
	char line[64];
	size_t n = image_report(text, sizeof(text));
	text[n < sizeof(text) ? n : sizeof(text) - 1] = 0;
	snprintf(line, sizeof(line), "%-16s", name);
	const char *at = strstr(text, line);
	return at && strstr(at, "verified") && strstr(at, "verified") < strchr(at, '\n');
}

static void opened_once_and_cached(void **state)
{
	(void)state;
	struct image_stats st0, st1;
	image_stats(&st0);
	struct sip_image *a = open_ok("benchnull");
	struct sip_image *b = open_ok("benchnull");
	struct sip_image *c = open_ok("sips/benchnull.sip"); // a path names it too
	assert_ptr_equal(a, b);
	assert_ptr_equal(a, c);
	assert_true(a->cached);
	assert_int_equal(a->refs, 4); // three opens and the cache
	assert_string_equal(a->name, "benchnull");
	assert_true(is_cached("benchnull"));
	image_stats(&st1);
	assert_int_equal(st1.cached, st0.cached + 1);
	assert_true(st1.bytes > st0.bytes);
	image_put(a);
	image_put(b);
	image_put(c);
	assert_int_equal(a->refs, 1); // the cache keeps it
}

static void manifests_resolved(void **state)
{
	(void)state;
	struct sip_image *hello = open_ok("hello");
	assert_int_equal(hello->nslots, 1);
	assert_int_equal(hello->eps[0].kind, HANDLE_KIND_ENDPOINT);
	assert_non_null(hello->eps[0].c);
	assert_memory_equal(hello->eps[0].c->name, "ns", 2);
	assert_int_equal(hello->eps[0].side, CONTRACT_IMP);
	assert_true(hello->manifest_len > 0);
	struct sip_image *init = open_ok("init");
	assert_int_equal(init->nslots, 2);
	assert_int_equal(init->eps[0].kind, HANDLE_KIND_PM);
	assert_int_equal(init->eps[1].kind, HANDLE_KIND_SERIAL);
	// The kernel grants init's serial port only when told to.
	uint32_t id;
	struct vf_diag d;
	assert_int_equal(sip_start_named("init", 4, NULL, 0, &id, &d), ERR_SIP_NOT_GRANTED);
	assert_int_equal(sip_start_named("hello", 5, NULL, SIP_RIGHT_SERIAL, &id, &d),
			 ERR_SIP_ENDPOINTS);
	image_put(hello);
	image_put(init);
}

static void rejected_leave_nothing(void **state)
{
	(void)state;
	struct host_baseline b;
	struct sip_image *img = NULL;
	struct vf_diag d;
	host_snapshot(&b);
	assert_int_equal(image_open("nosuch", 6, &img, &d), ERR_NOTFOUND);
	assert_int_equal(image_open("", 0, &img, &d), ERR_NOTFOUND);
	assert_int_equal(image_open("benchnull\0", 10, &img, &d), ERR_NOTFOUND);
	char longname[SIP_NAME_MAX + 8];
	memset(longname, 'a', sizeof(longname));
	assert_int_equal(image_open(longname, sizeof(longname), &img, &d), ERR_NOTFOUND);
	// A file that is not a module.
	assert_int_equal(image_open("motd", 4, &img, &d), ERR_SIP_REJECTED);
	assert_int_not_equal(d.code, ERR_OK);
	assert_false(is_cached("motd"));
	// Bytes cut short, or no module at all.
	size_t n;
	const uint8_t *hello = host_read_file(WASM("sip_hello"), &n);
	assert_int_equal(image_create("cut", hello, n - 3, &img, &d), ERR_SIP_REJECTED);
	assert_int_equal(image_create("cut", hello, 4, &img, &d), ERR_SIP_REJECTED);
	assert_null(host_baseline_diff(&b));
	assert_null(img);
	// A module that breaks a channel rule on some path: refused by the
	// ownership analysis, loaded with the policy at "warn".
	const uint8_t *chan = host_read_file(WASM("sip_chan"), &n);
	assert_int_equal(image_create("chan", chan, n, &img, &d), ERR_SIP_REJECTED);
	assert_true(d.code == ERR_SIP_OWN_SEND || d.code == ERR_SIP_OWN_MOVED);
	assert_null(host_baseline_diff(&b));
	image_set_ownership_policy(IMAGE_OWN_WARN);
	host_log_clear();
	assert_int_equal(image_create("chan", chan, n, &img, &d), ERR_OK);
	image_set_ownership_policy(IMAGE_OWN_REJECT);
	assert_true(host_log_has("verify: chan"));
	assert_false(img->cached);
	image_put(img);
	assert_null(host_baseline_diff(&b));
	// Every allocation of a verification failed in turn.
	for (unsigned k = 1; k < 100000; k++) {
		host_env.fail_kmalloc = k;
		isola_err_t err = image_create("hello", hello, n, &img, &d);
		host_env.fail_kmalloc = 0;
		if (err == ERR_OK) {
			image_put(img);
			break;
		}
		assert_true(err == ERR_NOMEM || err == ERR_SIP_REJECTED);
		assert_null(host_baseline_diff(&b));
	}
	assert_null(host_baseline_diff(&b));
	free((void *)hello);
	free((void *)chan);
}

// Holds every cached image but benchquick and benchpong.
static size_t hold_others(struct sip_image **held)
{
	static const char *const names[] = { "benchnull", "hello", "init" };
	size_t n = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (is_cached(names[i]))
			held[n++] = open_ok(names[i]);
	return n;
}

// The image pool squeezed: opening an image evicts the least recently
// used one that only the cache holds; with every image held, the open
// fails with ERR_IMAGE_CACHE_FULL. An evicted image's contracts go too.
static void eviction(void **state)
{
	(void)state;
	struct mem_pool *pool = kimage_pool();
	size_t cap = pool->cap;
	struct image_stats st0, st1;
	struct sip_image *img;
	struct vf_diag d;
	// What "benchpong" takes, measured on an uncached copy.
	const uint8_t *base;
	size_t size;
	struct initrd_file f;
	assert_true(initrd_image(&base, &size));
	assert_int_equal(initrd_find(base, size, "sips/benchpong.sip", &f), ERR_OK);
	// Verifying and compiling takes more than the image keeps: the
	// account's peak is what must fit.
	assert_int_equal(image_create("x", f.data, f.size, &img, &d), ERR_OK);
	size_t need = img->mem.peak;
	image_put(img);
	size_t contracts = kcontracts_count();
	img = open_ok("benchquick");
	image_put(img); // only the cache holds it
	struct sip_image *held[8];
	size_t nheld = hold_others(held);
	image_stats(&st0);
	pool->cap = pool->used + need - 1;
	struct sip_image *pong = open_ok("benchpong");
	image_stats(&st1);
	assert_int_equal(st1.evicted, st0.evicted + 1);
	assert_false(is_cached("benchquick"));
	assert_true(is_cached("benchpong"));
	assert_true(kcontracts_count() > contracts); // pingpong came with it
	// Everything in the cache held: no room, nothing to evict.
	pool->cap = pool->used;
	assert_int_equal(image_open("benchquick", 10, &img, &d), ERR_IMAGE_CACHE_FULL);
	pool->cap = pool->used - need + 1;
	image_put(pong);
	// Now pong is the one no one holds: it goes, and the contract it
	// brought with it; the image still does not fit.
	assert_int_equal(image_open("benchquick", 10, &img, &d), ERR_IMAGE_CACHE_FULL);
	assert_false(is_cached("benchpong"));
	assert_int_equal(kcontracts_count(), contracts);
	image_stats(&st1);
	assert_int_equal(st1.evicted, st0.evicted + 2);
	pool->cap = cap;
	while (nheld)
		image_put(held[--nheld]);
	img = open_ok("benchquick");
	image_put(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opened_once_and_cached),
		cmocka_unit_test(manifests_resolved),
		cmocka_unit_test(rejected_leave_nothing),
		cmocka_unit_test(eviction),
	};
	return cmocka_run_group_tests(tests, boot, NULL);
}
