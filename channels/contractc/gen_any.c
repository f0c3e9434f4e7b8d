// SPDX-License-Identifier: MIT
// The casts of the generated header between a typed endpoint and struct
// isola_endpoint, the type of `endpoint` fields. Going to "any" only
// rewraps the handle; coming back asks the kernel what the endpoint is
// (rt_chan_info) and closes it when it is not what the caller expects.
// Parking an endpoint in the SIP's endpoint set gives a key, a plain
// number a SIP may keep in arrays and globals; unparking is the cast back.
// The shape is documented in docs/contracts.md ("Endpoints of any contract",
// "Parking endpoints").
#include "gen.h"

static void to_any(struct gen *g, const char *ep)
{
	gen_declare(g, GEN_NS_ORDINARY, "%s_to_any", ep);
	gen_emit(g, "static inline struct isola_endpoint %s_to_any(struct %s ep_)\n"
		    "{\n\treturn (struct isola_endpoint){ ep_.h };\n}\n\n", ep, ep);
}

static void cast_type(struct gen *g, const char *ep)
{
	gen_declare(g, GEN_NS_TAG, "%s_cast", ep);
	gen_emit(g, "// err 0: ep holds the endpoint. ISOLA_ENDPOINT_MISMATCH: it was of\n"
		    "// another contract, side or state, and has been closed.\n"
		    "struct %s_cast {\n\tint32_t err;\n\tstruct %s ep;\n};\n", ep, ep);
}

// The check compares the hash byte by byte: no libc call in the header.
static void from_any(struct gen *g, const char *ep, int side, int state)
{
	const struct cc_contract *c = g->c;
	gen_declare(g, GEN_NS_ORDINARY, "%s_from_any", ep);
	gen_emit(g, "static inline struct %s_cast %s_from_any(struct isola_endpoint e_)\n"
		    "{\n\tstatic const uint8_t hash_[%d] = %s_CONTRACT_HASH;\n"
		    "\tstruct isola_chan_info i_;\n\tstruct %s_cast r_;\n"
		    "\tint bad_ = rt_chan_info(e_.h, &i_) != 0;\n"
		    "\tfor (int k_ = 0; !bad_ && k_ < %d; k_++)\n"
		    "\t\tbad_ = i_.hash[k_] != hash_[k_];\n",
		 ep, ep, CONTRACT_HASH_SIZE, gen_upper(g, c->name), ep,
		 CONTRACT_HASH_SIZE);
	if (state < 0)
		gen_emit(g, "\tbad_ = bad_ || i_.side != %d;\n", side);
	else
		gen_emit(g, "\tbad_ = bad_ || i_.side != %d || i_.state != %d;\n", side,
			 state);
	gen_emit(g, "\tr_.err = 0;\n\tr_.ep.h = e_.h;\n\tif (bad_) {\n"
		    "\t\trt_chan_close(e_.h);\n\t\tr_.err = ISOLA_ENDPOINT_MISMATCH;\n"
		    "\t\tr_.ep.h = 0;\n\t}\n\treturn r_;\n}\n\n");
}

static void park(struct gen *g, const char *ep)
{
	const struct cc_contract *c = g->c;
	gen_declare(g, GEN_NS_ORDINARY, "%s_park", ep);
	gen_declare(g, GEN_NS_ORDINARY, "%s_unpark", ep);
	gen_emit(g, "// Parks ep in the SIP's endpoint set and returns its key.\n"
		    "static inline uint32_t %s_park(struct %s ep_)\n"
		    "{\n\treturn rt_eset_put(ep_.h);\n}\n\n", ep, ep);
	gen_reline(g);
	gen_emit(g, "// Takes the endpoint parked under key back; the key is gone. One of\n"
		    "// another contract stops the SIP; one of another side or state is\n"
		    "// closed and err is ISOLA_ENDPOINT_MISMATCH.\n"
		    "static inline struct %s_cast %s_unpark(uint32_t key_)\n"
		    "{\n\tstatic const uint8_t hash_[%d] = %s_CONTRACT_HASH;\n"
		    "\treturn %s_from_any((struct isola_endpoint){ rt_eset_take(key_, hash_) });\n"
		    "}\n\n", ep, ep, CONTRACT_HASH_SIZE, gen_upper(g, c->name), ep);
}

void gen_any_casts(struct gen *g, const char *ep, int side, int state)
{
	gen_reline(g);
	to_any(g, ep);
	gen_reline(g);
	cast_type(g, ep);
	gen_reline(g);
	from_any(g, ep, side, state);
	gen_reline(g);
	park(g, ep);
}
