// SPDX-License-Identifier: MIT
// SIP images (sip/image.c): a module verified once (module, SIP-level
// checks, ownership analysis, manifest, contracts), compiled once, its
// manifest's initial handles resolved. Images of the initrd are cached;
// an image holds its contracts (sip/kchan.h) while it lives.
#ifndef ISOLA_SIP_IMAGE_H
#define ISOLA_SIP_IMAGE_H

#include <account.h>
#include <isola/contract.h>
#include <isola/engine.h>
#include <isola/manifest.h>
#include <isola/verifier.h>

#define SIP_NAME_MAX 32
#define SIP_MAX_ENDPOINTS VF_MANIFEST_MAX_ENDPOINTS
// Initial handles: one per endpoint line, then one per hardware right.
#define SIP_MAX_SLOTS (SIP_MAX_ENDPOINTS + 1)
#define SIP_IMAGE_CONTRACTS_MAX 32 // contracts one image may bring

// An initial handle the manifest asks for: an endpoint (resolved against
// the known contracts), a process manager, or a hardware right.
struct sip_endpoint_spec {
	uint16_t kind; // HANDLE_KIND_ENDPOINT, HANDLE_KIND_PM or HANDLE_KIND_SERIAL
	const struct contract *c; // endpoints only
	uint8_t side;
	uint16_t state;
};

// A verified image. Images from the initrd are cached (image.c: a capped
// cache that evicts the least recently used image no one holds); an image
// made from other bytes (kernel tests) lives while SIPs use it.
struct sip_image {
	char name[SIP_NAME_MAX];
	const uint8_t *bytes;      // borrowed: the initrd or the caller's
	size_t size;
	struct vf_module *module;
	struct eng_prepared *code; // module's compiled code, shared by its SIPs
	struct mem_account mem;    // what decoding, verifying and compiling took
	struct vf_manifest manifest;
	const uint8_t *manifest_text; // into bytes; NULL if none
	size_t manifest_len;
	struct sip_endpoint_spec eps[SIP_MAX_SLOTS];
	uint32_t nslots;           // initial handles: endpoints, then hardware
	const struct contract *contracts[SIP_IMAGE_CONTRACTS_MAX]; // it holds
	uint32_t ncontracts;
	uint32_t refs;             // SIPs, image handles and the cache
	uint64_t last_used;        // for eviction
	bool cached;
};

// The image of the initrd file NAME.sip (or NAME), verified once and then
// cached. ERR_NOTFOUND; ERR_SIP_REJECTED with *diag filled; others.
ISOLA_MUST_CHECK isola_err_t image_open(const char *name, size_t len,
					struct sip_image **out,
					struct vf_diag *diag);
// Verifies image bytes that are not cached (the bytes must outlive it).
ISOLA_MUST_CHECK isola_err_t image_create(const char *name,
					  const uint8_t *bytes, size_t size,
					  struct sip_image **out,
					  struct vf_diag *diag);
// What the loader does with the ownership and protocol analysis's
// findings (the kernel command line's `ownership=`): refuse an image with
// a definite violation (reject, the default), only log it (warn, for
// testing the run-time checks), or refuse an image for a handle the
// analysis cannot follow too (strict).
enum image_ownership { IMAGE_OWN_REJECT, IMAGE_OWN_WARN, IMAGE_OWN_STRICT };
void image_set_ownership_policy(enum image_ownership policy);
// References: every holder (a SIP, an image handle, the cache) takes one.
void image_get(struct sip_image *img);
void image_put(struct sip_image *img);
// Writes the list of initrd images and whether they verified.
size_t image_report(char *buf, size_t len);
struct image_stats {
	size_t cached, bytes, cap, evicted;
};
void image_stats(struct image_stats *out);

#endif
