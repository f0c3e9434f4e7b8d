// SPDX-License-Identifier: MIT
// Hostile: asks for a process manager in its manifest and tries to use it
// on every SIP. What it gets manages only its own children: proc_kill and
// proc_wait of any other SIP return -ERR_SIP_NOT_CHILD (or -ERR_NOTFOUND
// for an id in no use), its own child can be started and killed, a child
// that needs the serial port is refused, and a ninth open image is
// refused. Exits 0 when every answer was right, 1 otherwise.
#include "hostile.h"

#include <isola/err.h>
#include <string.h>

SIP_NS_ENDPOINT(0);

#define PM 1 // manifest: endpoint pm procmgr

static int bad;

static void expect(const char *what, int32_t got, int32_t want)
{
	if (got != want) {
		printf("%s: got %d, expected %d\n", what, (int)got, (int)want);
		bad = 1;
	}
}

// Every id: kill and wait are refused (its own id: waiting for itself
// is refused as invalid).
static void try_others(void)
{
	struct isola_proc_status st;
	uint32_t refused = 0;
	for (int32_t id = 1; id < 200; id++) {
		int32_t k = isola_proc_kill(PM, id);
		int32_t w = isola_proc_wait(PM, id, 0, &st);
		if (k == -ERR_SIP_NOT_CHILD && w == -ERR_SIP_NOT_CHILD)
			refused++;
		else if (!(k == -ERR_NOTFOUND && w == -ERR_NOTFOUND) &&
			 !(k == -ERR_SIP_NOT_CHILD && w == -ERR_INVAL))
			expect("kill/wait of another SIP", k, -ERR_SIP_NOT_CHILD);
	}
	printf("%u other SIPs out of reach\n", (unsigned)refused);
	if (refused == 0)
		bad = 1; // the bystander at least runs beside it
}

static int32_t open_image(const char *name)
{
	char diag[64];
	return isola_image_open(PM, name, (uint32_t)strlen(name), diag, sizeof(diag));
}

// Its own child: started, killed, waited for.
static void own_child(void)
{
	struct isola_proc_status st;
	int32_t img = open_image("sleeper");
	int32_t id = img > 0 ? isola_proc_spawn((uint32_t)img, "sleeper", 7, NULL, 0) : img;
	if (id <= 0) {
		expect("spawn of its own child", id, 1);
		return;
	}
	expect("kill of its own child", isola_proc_kill(PM, id), 0);
	expect("wait for its own child", isola_proc_wait(PM, id, -1, &st), 0);
	expect("its child's end", st.state, ISOLA_PROC_KILLED);
	isola_image_close((uint32_t)img);
}

// A child whose manifest needs the serial port, which it does not hold.
static void serial_child(void)
{
	int32_t img = open_image("serial_flood");
	uint32_t none = 0;
	int32_t id = isola_proc_spawn((uint32_t)img, "serial_flood", 12, &none, 1);
	expect("spawn of a child needing serial", id, -ERR_SIP_NOT_GRANTED);
	isola_image_close((uint32_t)img);
}

// Image handles are limited: eight at once.
static void image_quota(void)
{
	static const char *const names[] = { "sleeper", "spin", "recurse", "start_loop",
					     "start_sleep", "div_zero", "unreachable",
					     "bystander", "oob_load" };
	int32_t h[9];
	for (int i = 0; i < 9; i++)
		h[i] = open_image(names[i]);
	for (int i = 0; i < 8; i++)
		if (h[i] <= 0)
			expect("an image within the quota", h[i], 1);
	expect("a ninth image", h[8], -ERR_LIMIT);
	for (int i = 0; i < 9; i++)
		if (h[i] > 0)
			isola_image_close((uint32_t)h[i]);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	try_others();
	own_child();
	serial_child();
	image_quota();
	printf("%s\n", bad ? "something was allowed" : "all refused as expected");
	return bad;
}
