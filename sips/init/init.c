// SPDX-License-Identifier: MIT
// init: the first SIP. Reads etc/init.conf (format in init.conf), starts the
// name service with the exporting end of its own ns channel, then every other
// service by the generic spawn rule (sips/lib/spawn), granting each only what its
// line names (`grant=`), and watches them: a `restart` service that ends is
// started again, a `session` service that exits with status 0 ends the
// session (init stops the others and ends, and the kernel console takes
// over). init holds the system's authority: a process manager for every SIP
// and the serial port, both from the kernel.
#include <spawn/spawn.h>

#include <isola/err.h>
#include <contracts/ns.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

// Handle 1 is pm (manifest: `endpoint pm procmgr`), 2 the serial port
// (`hardware serial`), both granted by the kernel. init has no initial ns
// endpoint: it makes the ns channel itself, moves the exporting end to
// namesvc and hands the importing end to libsip (sip_ns_adopt), which
// keeps it parked in init's endpoint set for stdout and for init's own
// requests (sip_ns_take/sip_ns_give).
#define INIT_PM 1
#define INIT_SERIAL 2
SIP_NS_ENDPOINT(0);

#define INIT_CONF "etc/init.conf"
#define INIT_SERVICES_MAX 16
#define INIT_ARGS_MAX 256
#define INIT_CONSOLE_PATH "/svc/console"
#define INIT_POLL_NS 20000000LL         // one child's turn in the watch loop
#define INIT_CONSOLE_WAIT_NS 5000000000LL // how long the console may take to publish
#define INIT_RESTART_MAX 5              // restarts in a row within the window
#define INIT_RESTART_WINDOW_NS 10000000000LL

struct service {
	char name[32];
	char args[INIT_ARGS_MAX]; // "NAME ARGS..."
	bool restart;
	bool session;
	bool grant_pm;     // its procmgr lines get init's system-wide scope
	bool grant_serial; // its `hardware serial` line gets the serial port
	int32_t id;           // > 0 while it runs
	uint32_t restarts;    // restarts within the current window
	int64_t window_start; // when the first of them happened
};

static struct {
	struct service svc[INIT_SERVICES_MAX];
	uint32_t n;
	bool has_ns;    // namesvc has run: libsip holds init's ns connection
	bool can_print; // the console is up and libsip may bind it
} init;

// One log line: through stdout (the console) once it is up, the kernel log
// before that.
static void say(const char *line)
{
	if (init.can_print)
		printf("init: %s\n", line);
	else
		isola_log(line, (int32_t)strlen(line));
}


static char conf_text[4096];

// Whether w is a usable SIP name: 1-31 characters [A-Za-z0-9_.-].
static bool is_sip_name(const char *w)
{
	size_t n = strlen(w);

	return n >= 1 && n <= 31 && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					      "0123456789_.-") == n;
}

// Takes `grant=RIGHT[,RIGHT]` (rights pm, serial); false for anything else.
static bool conf_grant(struct service *s, const char *w)
{
	char word[64], bad[16];
	uint32_t rights = 0;

	if (strlcpy(word, w, sizeof(word)) >= sizeof(word) || strncmp(word, "grant=", 6) != 0 ||
	    !spawn_rights(&word[6], &rights, bad, sizeof(bad)))
		return false;
	s->grant_pm = rights & SPAWN_RIGHT_PM;
	s->grant_serial = rights & SPAWN_RIGHT_SERIAL;
	return true;
}

// Takes word w of a service line: the name first, then the flags, then the
// arguments. False when the line is bad.
static bool conf_word(struct service *s, const char *w, bool *in_args)
{
	if (!s->name[0]) {
		if (!is_sip_name(w))
			return false;
		strlcpy(s->name, w, sizeof(s->name));
		strlcpy(s->args, w, sizeof(s->args));
		return true;
	}
	if (!*in_args && strcmp(w, "restart") == 0) {
		s->restart = true;
		return true;
	}
	if (!*in_args && strcmp(w, "session") == 0) {
		s->session = true;
		return true;
	}
	if (!*in_args && strncmp(w, "grant=", 6) == 0)
		return conf_grant(s, w);
	*in_args = true;
	strlcat(s->args, " ", sizeof(s->args));
	return strlcat(s->args, w, sizeof(s->args)) < sizeof(s->args);
}

// Parses conf_text[from..to) into s. Returns 1 for a service, 0 for a blank
// or comment line, -1 for a bad line.
static int conf_line(uint32_t from, uint32_t to, struct service *s)
{
	char w[64];
	uint32_t len = 0;
	bool in_args = false, ok = true;

	memset(s, 0, sizeof(*s));
	for (uint32_t i = from; i <= to && i < sizeof(conf_text) && ok; i++) {
		char c = i < to ? conf_text[i] : ' ';

		if (c == '#')
			c = ' ', to = i;
		if (c != ' ' && c != '\t' && c != '\r') {
			ok = len < sizeof(w) - 1;
			if (ok)
				w[len++] = c;
			continue;
		}
		if (len) {
			w[len] = '\0';
			ok = conf_word(s, w, &in_args);
			len = 0;
		}
	}
	if (!ok)
		return -1;
	return s->name[0] ? 1 : 0;
}

// Reads etc/init.conf into init.svc; false when there is none.
static bool conf_load(void)
{
	char msg[96];
	int32_t n = isola_initrd_read(INIT_PM, INIT_CONF, sizeof(INIT_CONF) - 1, conf_text,
				      sizeof(conf_text));
	uint32_t start = 0, lineno = 1;

	if (n < 0) {
		say("no " INIT_CONF "; nothing to start");
		return false;
	}
	if ((uint32_t)n > sizeof(conf_text)) {
		say(INIT_CONF " is too long; reading its start only");
		n = (int32_t)sizeof(conf_text);
	}
	for (uint32_t i = 0; i <= (uint32_t)n; i++) {
		if (i < (uint32_t)n && conf_text[i] != '\n')
			continue;
		static struct service s;
		int r = conf_line(start, i, &s);

		if (r == 1 && init.n == INIT_SERVICES_MAX)
			r = -2;
		if (r == 1)
			init.svc[init.n++] = s;
		if (r < 0) {
			snprintf(msg, sizeof(msg), INIT_CONF ":%u: %s; line ignored",
				 (unsigned)lineno, r == -2 ? "too many services" : "bad line");
			say(msg);
		}
		start = i + 1;
		lineno++;
	}
	return true;
}

// Starts namesvc with the exporting end of a new ns channel as its only
// endpoint; init keeps the importing end.
static int32_t start_namesvc(struct service *s)
{
	static const uint8_t hash[32] = NS_CONTRACT_HASH;
	uint32_t exp = 0, imp = 0;
	char diag[128];
	int32_t img = isola_image_open(INIT_PM, s->name, (uint32_t)strlen(s->name), diag,
				       sizeof(diag));

	if (img < 0)
		return img;
	int32_t id = rt_chan_create(hash, &exp, &imp);

	if (id == 0) {
		id = isola_proc_spawn((uint32_t)img, s->args, (uint32_t)strlen(s->args), &exp, 1);
		if (id < 0)
			rt_chan_close(exp);
	}
	isola_image_close((uint32_t)img);
	if (id < 0) {
		rt_chan_close(imp);
		return id;
	}
	// A namesvc started again replaces the connection to the old one.
	sip_ns_adopt(imp);
	init.has_ns = true;
	return id;
}

// Waits until the console service has published its path, then lets init
// print through it. Without a console init keeps logging to the kernel.
static void console_wait(void)
{
	static char names[1024];
	int64_t end = isola_time_ns() + INIT_CONSOLE_WAIT_NS;

	while (init.has_ns && isola_time_ns() < end) {
		uint32_t ns = sip_ns_take();
		int32_t err = ns ? spawn_ns_list(ns, names, sizeof(names)) : -ERR_CLOSED;

		sip_ns_give(ns);
		if (err < 0)
			break;
		if (strstr(names, INIT_CONSOLE_PATH)) {
			init.can_print = true;
			say("the console is up");
			return;
		}
		isola_sleep_ns(INIT_POLL_NS);
	}
	say("no console service; logging to the kernel");
}

static void start(struct service *s)
{
	char msg[SPAWN_MSG_MAX + 64];
	char reason[SPAWN_MSG_MAX];
	int32_t id;

	if (strcmp(s->name, "namesvc") == 0) {
		id = start_namesvc(s);
	} else {
		uint32_t ns = sip_ns_take();
		struct spawn_grants g = { s->grant_pm ? INIT_PM : 0,
					  s->grant_serial ? INIT_SERIAL : 0 };

		id = spawn_sip(ns, INIT_PM, &g, s->args, reason, sizeof(reason));
		sip_ns_give(ns);
	}

	if (id < 0) {
		if (strcmp(s->name, "namesvc") == 0)
			snprintf(reason, sizeof(reason), "error %d", (int)id);
		snprintf(msg, sizeof(msg), "cannot start %s: %s", s->name, reason);
		say(msg);
		s->id = 0;
		return;
	}
	s->id = id;
	snprintf(msg, sizeof(msg), "started %s (sip %d)", s->name, (int)id);
	say(msg);
	if (strcmp(s->name, "console") == 0 && !init.can_print)
		console_wait();
}

// Decides whether an ended restart service may start again: at most
// INIT_RESTART_MAX times within INIT_RESTART_WINDOW_NS.
static bool may_restart(struct service *s)
{
	int64_t now = isola_time_ns();

	if (s->restarts == 0 || now - s->window_start > INIT_RESTART_WINDOW_NS) {
		s->restarts = 0;
		s->window_start = now;
	}
	return ++s->restarts <= INIT_RESTART_MAX;
}

// Stops every running service, the last started first.
static void stop_all(void)
{
	struct isola_proc_status st;

	for (uint32_t i = init.n; i-- > 0;) {
		struct service *s = &init.svc[i];

		if (s->id <= 0)
			continue;
		isola_proc_kill(INIT_PM, s->id);
		isola_proc_wait(INIT_PM, s->id, INIT_CONSOLE_WAIT_NS, &st);
		s->id = 0;
	}
}

// The name service has started again. Every other service's connections
// (its ns endpoint, its published paths, its clients') went with the old
// one, and a running SIP cannot be handed a new one, so each is stopped
// and started again, in order: it publishes and binds anew. A `restart`
// service that ended meanwhile (and could not start without a name
// service) starts too.
static void restart_dependents(const struct service *ns)
{
	struct isola_proc_status st;

	say("the name service started again; restarting the services that used it");
	for (uint32_t i = 0; i < init.n; i++) {
		struct service *s = &init.svc[i];

		if (s == ns || (s->id <= 0 && !s->restart && !s->session))
			continue;
		if (s->id > 0) {
			isola_proc_kill(INIT_PM, s->id);
			isola_proc_wait(INIT_PM, s->id, INIT_CONSOLE_WAIT_NS, &st);
		}
		s->id = 0;
		if (strcmp(s->name, "console") == 0)
			init.can_print = false;
		start(s);
	}
}

// Handles the end of service s; returns false when the session is over.
static bool ended(struct service *s, const struct isola_proc_status *st)
{
	static const char *const how[] = { "ended", "exited", "trapped", "was killed" };
	char msg[96];
	uint32_t k = st->state >= 1 && st->state <= 3 ? (uint32_t)st->state : 0;

	snprintf(msg, sizeof(msg), "%s %s (%d)", s->name, how[k], (int)st->code);
	say(msg);
	s->id = 0;
	if (s->session && st->state == ISOLA_PROC_EXITED && st->code == 0)
		return false;
	if (!s->restart && !s->session)
		return true;
	if (!may_restart(s)) {
		snprintf(msg, sizeof(msg), "%s keeps failing; not restarting it", s->name);
		say(msg);
		return !s->session; // without its session the system has no prompt
	}
	start(s);
	if (strcmp(s->name, "namesvc") == 0 && s->id > 0)
		restart_dependents(s);
	return true;
}

// Waits on the running services in turn until the session ends or none is
// left.
static void watch(void)
{
	struct isola_proc_status st;
	bool any = true;

	while (any) {
		any = false;
		for (uint32_t i = 0; i < init.n; i++) {
			struct service *s = &init.svc[i];

			if (s->id <= 0)
				continue;
			any = true;
			if (isola_proc_wait(INIT_PM, s->id, INIT_POLL_NS, &st) != 0)
				continue;
			if (!ended(s, &st)) {
				say("the session has ended; stopping the services");
				stop_all();
				return;
			}
		}
	}
	say("no service left");
}

int main(void)
{
	if (!conf_load())
		return 1;
	for (uint32_t i = 0; i < init.n; i++)
		start(&init.svc[i]);
	watch();
	sip_flush();
	return 0;
}
