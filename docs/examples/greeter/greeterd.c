// SPDX-License-Identifier: MIT
// greeterd: the greeter service of docs/writing-a-sip.md. Publishes
// /svc/greeter through the name service, then serves the clients that bind
// it one after the other: each greet(name) gets greeting("Hello, NAME!"),
// until the client says bye or goes away.
#include <contracts/greeter.h>
#include <contracts/provider.h>
#include <sip/sip.h>
#include <stdio.h>
#include <stdlib.h>

#define GREETER_PATH "/svc/greeter"

// The greeting for a name; frees the name's block.
static struct sip_bytes_made greeting_for(struct isola_bytes name)
{
	char who[64];
	char text[96];

	sip_bytes_read_str(name, who, sizeof(who));
	sip_bytes_free(name);
	snprintf(text, sizeof(text), "Hello, %s!", who);
	return sip_bytes_from_str(text);
}

// Serves one client until it says bye or goes away; consumes its end.
static void serve(struct greeter_exp_ready ep)
{
	for (;;) {
		struct greeter_exp_ready_msg m = greeter_exp_ready_recv(ep);

		if (m.tag == GREETER_EXP_READY_BYE) {
			greeter_exp_done_close(m.bye.ep);
			return;
		}
		if (m.tag != GREETER_EXP_READY_GREET)
			return; // closed: the end is already released
		struct sip_bytes_made text = greeting_for(m.greet.name);

		if (text.err != 0) {
			// No block, no greeting: closing is always allowed.
			sip_bytes_free(text.bytes);
			greeter_exp_answering_close(m.greet.ep);
			return;
		}
		ep = greeter_exp_answering_send_greeting(m.greet.ep, text.bytes);
	}
}

// Takes clients from the provider end until the name service closes it.
static void accept_clients(struct provider_exp p)
{
	for (;;) {
		struct provider_exp_msg m = provider_exp_recv(p);

		if (m.tag != PROVIDER_EXP_CONNECT)
			return; // closed
		struct greeter_exp_ready_cast c = greeter_exp_ready_from_any(m.connect.client);

		// On a mismatch (a client bound the path with an end of another
		// contract) the cast has closed the end and left handle 0 in
		// c.ep; closing handle 0 does nothing, and satisfies the checker.
		if (c.err != 0) {
			printf("greeterd: a client sent an end of another contract\n");
			greeter_exp_ready_close(c.ep);
		} else {
			serve(c.ep);
		}
		p = m.connect.ep;
	}
}

int main(int argc, SIP_COUNT(argc) char **argv)
{
	(void)argc;
	(void)argv;
	struct provider_pair p = provider_create();

	// A failed create leaves handle 0 in both ends, which the checker
	// still counts as owned; exit() ends the SIP at once, and the kernel
	// reclaims what it held. (Closing handle 0 would do as well.)
	if (p.err != 0)
		exit(1);
	// sip_ns_publish hands the importing end of the provider channel to
	// the name service; we keep the exporting end, on which clients
	// arrive.
	int32_t err = sip_ns_publish(GREETER_PATH, p.imp);

	if (err != 0) {
		printf("greeterd: cannot publish %s (error %d)\n", GREETER_PATH, (int)err);
		provider_exp_close(p.exp);
		return 1;
	}
	printf("greeterd: serving %s\n", GREETER_PATH);
	accept_clients(p.exp);
	return 0;
}
