// SPDX-License-Identifier: MIT
// Messages and names for the error list in isola/err.h.
#include <isola/err.h>

const char *isola_err_message(isola_err_t err)
{
	switch (err) {
#define ISOLA_ERR(name, value, msg)                                            \
	case name:                                                             \
		return msg;
#include <isola/err/common.def>
#include <isola/err/kernel.def>
#include <isola/err/verifier.def>
#include <isola/err/channels.def>
#include <isola/err/engine.def>
#undef ISOLA_ERR
	}
	return "unknown error";
}

const char *isola_err_name(isola_err_t err)
{
	switch (err) {
#define ISOLA_ERR(name, value, msg)                                            \
	case name:                                                             \
		return #name;
#include <isola/err/common.def>
#include <isola/err/kernel.def>
#include <isola/err/verifier.def>
#include <isola/err/channels.def>
#include <isola/err/engine.def>
#undef ISOLA_ERR
	}
	return "ERR_UNKNOWN";
}
