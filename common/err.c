// SPDX-License-Identifier: MIT
// Messages and names for the error list in isola/err.h: one table, looked
// up by a loop (small enough for a SIP's load-time analysis too; the
// shell links it).
#include <isola/err.h>

static const struct {
	isola_err_t code;
	const char *name, *msg;
} errors[] = {
#define ISOLA_ERR(name, value, msg) { name, #name, msg },
#include <isola/err/all.def>
#undef ISOLA_ERR
};

// The table's row for err, or its size.
static unsigned find(isola_err_t err)
{
	unsigned i = 0;
	while (i < sizeof(errors) / sizeof(errors[0]) && errors[i].code != err)
		i++;
	return i;
}

const char *isola_err_message(isola_err_t err)
{
	unsigned i = find(err);
	return i < sizeof(errors) / sizeof(errors[0]) ? errors[i].msg : "unknown error";
}

const char *isola_err_name(isola_err_t err)
{
	unsigned i = find(err);
	return i < sizeof(errors) / sizeof(errors[0]) ? errors[i].name : "ERR_UNKNOWN";
}
