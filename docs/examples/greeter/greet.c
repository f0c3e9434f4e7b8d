// SPDX-License-Identifier: MIT
// greet: the client of docs/writing-a-sip.md. Binds /svc/greeter through
// the name service, sends its first argument (or "World"), prints the
// greeting it gets back, says bye and exits 0.
#include <contracts/greeter.h>
#include <sip/sip.h>
#include <stdio.h>
#include <stdlib.h>

#define GREETER_PATH "/svc/greeter"

// Sends one greet on ep, prints the answer and says bye; consumes ep.
// Returns the exit status.
static int greet(struct greeter_imp_ready ep, const char *name)
{
	struct sip_bytes_made made = sip_bytes_from_str(name);

	if (made.err != 0) {
		sip_bytes_free(made.bytes);
		greeter_imp_ready_close(ep);
		return 1;
	}
	struct greeter_imp_answering_msg m =
		greeter_imp_answering_recv(greeter_imp_ready_send_greet(ep, made.bytes));

	if (m.tag != GREETER_IMP_ANSWERING_GREETING) {
		printf("greet: the greeter went away\n");
		return 1;
	}
	char text[128];

	sip_bytes_read_str(m.greeting.text, text, sizeof(text));
	sip_bytes_free(m.greeting.text);
	printf("%s\n", text);
	greeter_imp_done_close(greeter_imp_ready_send_bye(m.greeting.ep));
	return 0;
}

int main(int argc, SIP_COUNT(argc) char **argv)
{
	const char *name = argc > 1 ? argv[1] : "World";
	struct greeter_pair g = greeter_create();

	// A failed create leaves handle 0 in both ends, which the checker
	// still counts as owned; exit() ends the SIP at once, and the kernel
	// reclaims what it held. (Closing handle 0 would do as well.)
	if (g.err != 0)
		exit(1);
	// sip_ns_bind sends our exporting end to the name service, which
	// hands it to whoever published the path; we keep the importing end.
	int32_t err = sip_ns_bind(GREETER_PATH, greeter_exp_ready_to_any(g.exp));

	if (err != 0) {
		printf("greet: cannot bind %s (error %d); is greeterd running?\n",
		       GREETER_PATH, (int)err);
		greeter_imp_ready_close(g.imp);
		return 1;
	}
	return greet(g.imp, name);
}
