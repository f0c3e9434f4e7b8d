// SPDX-License-Identifier: MIT
// Hostile: floods the name service from its own connection, attaching new
// connections and publishing new paths for as long as it is let, and
// binding the console again and again, and keeps all of them; then it
// attaches again through every connection it got. The name service's
// quotas answer busy past 20 connections attached through one connection,
// 24 for the SIP and all it attached, and 16 paths, and the console
// closes a client's connections past 8, so other SIPs still bind, spawn
// and print (hostile.ns_flood runs hello beside it). Runs until killed.
#include <svc/svc.h>
#include <spawn/spawn.h>

#include <contracts/console.h>
#include <isola/err.h>
#include <sip/abi.h>
#include <stdio.h>

#define FLOOD_TRIES 100

static struct svc_set providers;

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t attached = 0, busy = 0, other = 0, published = 0, pbusy = 0;
	static int32_t conn[FLOOD_TRIES];
	for (int i = 0; i < FLOOD_TRIES; i++) {
		int32_t r = spawn_ns_attach(1);
		conn[i] = r;
		attached += r > 0;
		busy += r == -ERR_BUSY;
		other += r <= 0 && r != -ERR_BUSY;
	}
	for (int i = 0; i < 20; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/flood/%d", i);
		int32_t r = svc_publish(&providers, path);
		published += r >= 0;
		pbusy += r == -ERR_BUSY;
	}
	static const uint8_t hash[32] = CONSOLE_CONTRACT_HASH;
	static int32_t con[40];
	uint32_t kept = 0;
	for (int i = 0; i < 40; i++)
		con[i] = svc_bind("/svc/console", hash);
	isola_sleep_ns(200000000); // the console takes them, or closes them
	for (int i = 0; i < 40; i++) {
		struct isola_chan_info info;
		kept += con[i] > 0 && rt_chan_info((uint32_t)con[i], &info) == 0 && !info.closed;
	}
	printf("ns_flood: holding %u connections (%u busy, %u other), %u paths (%u busy), "
	       "%u of 40 console connections\n", (unsigned)attached, (unsigned)busy,
	       (unsigned)other, (unsigned)published, (unsigned)pbusy, (unsigned)kept);
	// Then through every connection it holds, for as long as it is let.
	uint32_t nested = 0;
	for (int i = 0; i < FLOOD_TRIES; i++)
		for (int k = 0; conn[i] > 0 && k < FLOOD_TRIES && spawn_ns_attach((uint32_t)conn[i]) > 0; k++)
			nested++;
	printf("ns_flood: %u more through them, %u in all\n", (unsigned)nested,
	       (unsigned)(attached + nested));
	for (;;)
		isola_sleep_ns(1000000000);
}
