// SPDX-License-Identifier: MIT
// Chaos: `chaos ROUNDS [KILLS] [SEED]` starts hostile and well-behaved SIPs
// of the test initrd at random, lets them run for a random while, kills
// them at random and waits for every one. After each round it reads the
// kernel's counters (sys_info 1) and compares them with those after the
// first round: frames, heap, exchange heap, handles, threads, running
// SIPs, accounts and contracts must all be back. It stops after ROUNDS
// rounds or, with KILLS, once it has killed that many SIPs. Prints one line
// per 10 rounds and a summary; exits 0 when every round came back to the
// baseline, 1 at the first round that did not (printing both reports).
// Its manifest asks for a process manager: it manages its own children.
#include "hostile.h"

#include <stdlib.h>
#include <string.h>

SIP_NS_ENDPOINT(0);

#define PM 1
#define CHAOS_KIDS_MAX 8
#define REPORT_MAX 2048

// What it starts: the ones that run until killed, and the ones that end
// by themselves (exit or trap) after stressing a limit; slots is the
// number of initial handles the manifest asks for (process managers).
static const struct {
	const char *name;
	uint32_t slots;
} kinds[] = {
	{ "bystander", 0 }, { "sleeper", 0 }, { "spin", 0 }, { "recv_block", 0 },
	{ "start_loop", 0 }, { "start_sleep", 0 }, { "hoard", 0 }, { "queue_hoard", 0 },
	{ "xheap_limit", 0 }, { "mem_grow", 0 }, { "dup_block", 0 }, { "div_zero", 0 },
	{ "stale_chan", 0 }, { "start_fill", 1 }, { "unreachable", 0 }, { "recurse", 0 },
	{ "nest_chan", 0 },
};

static uint32_t seed;
static char baseline[REPORT_MAX], report[REPORT_MAX];
static uint32_t kills, spawns, failed_spawns;

static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

// "frames F free of T (K KiB free), P in page tables" as "frames F+P": a
// frame taken for good by a page table is no leak.
static size_t frames_line(const char *line, char *out, size_t room)
{
	char *rest;
	unsigned long free_frames = strtoul(line + 6, &rest, 10);
	const char *tables = strstr(rest, "), ");
	unsigned long in_tables = tables ? strtoul(tables + 3, NULL, 10) : 0;
	int n = snprintf(out, room, "frames %lu\n", free_frames + in_tables);
	return n > 0 && (size_t)n < room ? (size_t)n : 0;
}

// The kernel's counters, the lines of the memory report that must return
// to their baseline (not the pool's use, which counts this SIP's own).
static void counters(char *out)
{
	static char text[REPORT_MAX];
	static const char *const keep[] = { "heap", "exchange", "handles", "threads",
					    "sips", "accounts", "contracts" };
	// Threads of SIPs that just ended are freed by the next to run.
	isola_sleep_ns(2000000);
	int32_t n = isola_sys_info(PM, 1, text, sizeof(text) - 1);
	text[n < 0 ? 0 : n < REPORT_MAX ? n : REPORT_MAX - 1] = '\0';
	size_t used = 0;
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
		if (strncmp(line, "frames", 6) == 0) {
			used += frames_line(line, out + used, REPORT_MAX - used);
			line += len;
			continue;
		}
		for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
			if (strncmp(line, keep[k], strlen(keep[k])) != 0 ||
			    used + len >= REPORT_MAX)
				continue;
			memcpy(out + used, line, len);
			used += len;
		}
		line += len;
	}
	out[used] = '\0';
	// "accounts N live, ...": only the counts before the charge matter.
	char *acc = strstr(out, "accounts");
	char *paren = acc ? strchr(acc, '(') : NULL;
	char *nl = paren ? strchr(paren, '\n') : NULL;
	if (paren && nl)
		memmove(paren, nl, strlen(nl) + 1);
}

static int32_t start(uint32_t k)
{
	char diag[64];
	const char *name = kinds[k].name;
	uint32_t none[1] = { 0 }; // a process manager for its own children
	int32_t img = isola_image_open(PM, name, (uint32_t)strlen(name), diag, sizeof(diag));
	int32_t id = img > 0 ? isola_proc_spawn((uint32_t)img, name, (uint32_t)strlen(name),
					       none, kinds[k].slots) : img;
	if (img > 0)
		isola_image_close((uint32_t)img);
	spawns += id > 0;
	failed_spawns += id <= 0;
	return id;
}

// One round: up to CHAOS_KIDS_MAX children, a random wait, random kills,
// then every child killed or ended and waited for.
static void round_once(void)
{
	int32_t kids[CHAOS_KIDS_MAX];
	uint32_t n = 1 + rnd(CHAOS_KIDS_MAX);
	struct isola_proc_status st;
	for (uint32_t i = 0; i < n; i++)
		kids[i] = start(rnd(sizeof(kinds) / sizeof(kinds[0])));
	isola_sleep_ns((int64_t)rnd(20) * 1000000);
	for (uint32_t i = 0; i < n; i++) {
		if (kids[i] <= 0)
			continue;
		// Most are killed now; the rest after they had their way.
		if (rnd(4) && isola_proc_kill(PM, kids[i]) == 0)
			kills++;
		if (isola_proc_wait(PM, kids[i], 200000000, &st) != 0) {
			if (isola_proc_kill(PM, kids[i]) == 0)
				kills++;
			(void)isola_proc_wait(PM, kids[i], -1, &st);
		}
	}
}

int main(int argc, char **argv)
{
	uint32_t rounds = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 10;
	uint32_t kill_goal = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 0;
	seed = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 1;
	int64_t t0 = isola_time_ns();
	// Every image verified once, so the cache holds them all before the
	// baseline; then one round, so every kind of page has been touched.
	for (uint32_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char diag[64];
		int32_t img = isola_image_open(PM, kinds[k].name, (uint32_t)strlen(kinds[k].name),
					       diag, sizeof(diag));
		if (img > 0)
			isola_image_close((uint32_t)img);
	}
	round_once();
	counters(baseline);
	uint32_t r;
	for (r = 1; r < rounds && (!kill_goal || kills < kill_goal); r++) {
		round_once();
		counters(report);
		if (strcmp(report, baseline) != 0) {
			printf("chaos: round %u did not come back to the baseline\n%s---\n%s",
			       (unsigned)r, baseline, report);
			return 1;
		}
		if (r % 10 == 0)
			printf("chaos: round %u, %u kills\n", (unsigned)r, (unsigned)kills);
	}
	int64_t ms = (isola_time_ns() - t0) / 1000000;
	printf("chaos: %u rounds, %u SIPs started (%u refused), %u kills in %d ms; "
	       "counters at baseline\n%s", (unsigned)r, (unsigned)spawns,
	       (unsigned)failed_spawns, (unsigned)kills, (int)ms, report[0] ? report : baseline);
	return 0;
}
