// SPDX-License-Identifier: MIT
// The contracts the kernel knows, by hash: the system contracts compiled
// into the kernel (channels/contracts/, through contractc's registry
// files), known for good, and those that verified images carry, each held
// by the images that brought it and the channels made for it, and
// forgotten when the last lets go (so a rejected or evicted image leaves
// nothing behind). A channel can only be made for a known contract. An
// image may not bring its own version of a system contract: same name,
// other hash is refused.
#include <isola/assert.h>
#include <isola/fmt.h>
#include <sip.h>
#include <string.h>

#define KCONTRACT_MAX 128

extern const struct contract_registry_entry *const kernel_system_contracts[];
extern const size_t kernel_system_contracts_n;

struct kcontract {
	const struct contract *c;
	void *mem; // the descriptor copy and model (image contracts)
	uint32_t refs; // image contracts: holders
	bool system;
};

static struct kcontract known[KCONTRACT_MAX];
static size_t nknown;
static struct spinlock lock = SPINLOCK_INIT;

static bool same_name(const struct contract *c, const char *name, size_t len)
{
	return c->name_len == len && memcmp(c->name, name, len) == 0;
}

// Decodes a copy of desc into one new allocation (*mem): the copy, then
// the arena the model lives in.
static isola_err_t decode(const uint8_t *desc, size_t len,
			  const struct contract **out, void **mem)
{
	size_t copy = (len + 15) & ~(size_t)15;
	size_t size = CONTRACT_ARENA_SIZE(len);
	uint8_t *p = kmalloc(copy + size);
	if (!p)
		return ERR_NOMEM;
	memcpy(p, desc, len);
	struct contract_arena a = { p + copy, size, 0 };
	isola_err_t err = contract_decode(p, len, &a, out, NULL);
	if (err != ERR_OK)
		kfree(p);
	*mem = err == ERR_OK ? p : NULL;
	return err;
}

static const struct kcontract *find_locked(const uint8_t hash[CONTRACT_HASH_SIZE])
{
	for (size_t i = 0; i < nknown; i++)
		if (memcmp(known[i].c->hash, hash, CONTRACT_HASH_SIZE) == 0)
			return &known[i];
	return NULL;
}

void kcontracts_init(void)
{
	for (size_t i = 0; i < kernel_system_contracts_n; i++) {
		const struct contract_registry_entry *e = kernel_system_contracts[i];
		const struct contract *c;
		void *mem;
		isola_err_t err = decode(e->desc, e->desc_len, &c, &mem);
		if (err != ERR_OK || nknown == KCONTRACT_MAX) {
			klog(KLOG_ERROR, "contracts: system contract %s: %s", e->name,
			     isola_err_message(err));
			continue;
		}
		known[nknown++] = (struct kcontract){ c, mem, 0, true };
	}
	klog(KLOG_DEBUG, "contracts: %zu system contracts", nknown);
}

const struct contract *kcontract_get(const uint8_t hash[CONTRACT_HASH_SIZE])
{
	uint64_t f = spin_lock_irqsave(&lock);
	struct kcontract *k = (struct kcontract *)find_locked(hash);
	if (k)
		k->refs++;
	spin_unlock_irqrestore(&lock, f);
	return k ? k->c : NULL;
}

static struct kcontract *find_ptr_locked(const struct contract *c)
{
	for (size_t i = 0; i < nknown; i++)
		if (known[i].c == c)
			return &known[i];
	return NULL;
}

void kcontract_hold(const struct contract *c)
{
	uint64_t f = spin_lock_irqsave(&lock);
	struct kcontract *k = find_ptr_locked(c);
	ISOLA_ASSERT(k);
	k->refs++;
	spin_unlock_irqrestore(&lock, f);
}

void kcontract_put(const struct contract *c)
{
	void *mem = NULL;
	uint64_t f = spin_lock_irqsave(&lock);
	struct kcontract *k = find_ptr_locked(c);
	ISOLA_ASSERT(k && k->refs > 0);
	if (--k->refs == 0 && !k->system) {
		mem = k->mem;
		*k = known[--nknown]; // order does not matter
	}
	spin_unlock_irqrestore(&lock, f);
	kfree(mem);
}

size_t kcontracts_count(void)
{
	uint64_t f = spin_lock_irqsave(&lock);
	size_t n = nknown;
	spin_unlock_irqrestore(&lock, f);
	return n;
}

const struct contract *kcontract_by_name(const char *name, size_t len,
					 const struct contract *const *extra,
					 size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (same_name(extra[i], name, len))
			return extra[i];
	const struct contract *c = NULL;
	uint64_t f = spin_lock_irqsave(&lock);
	for (size_t i = 0; i < nknown && !c; i++)
		if (known[i].system && same_name(known[i].c, name, len))
			c = known[i].c;
	spin_unlock_irqrestore(&lock, f);
	return c;
}

// Is there a system contract with c's name but another hash?
static bool clashes_locked(const struct contract *c)
{
	for (size_t i = 0; i < nknown; i++)
		if (known[i].system && same_name(known[i].c, c->name, c->name_len))
			return true;
	return false;
}

isola_err_t kcontract_add(const uint8_t *desc, size_t len,
			  const struct contract **out)
{
	const struct contract *c;
	void *mem;
	TRY(decode(desc, len, &c, &mem));
	isola_err_t err = ERR_OK;
	uint64_t f = spin_lock_irqsave(&lock);
	struct kcontract *k = (struct kcontract *)find_locked(c->hash);
	if (k) {
		k->refs++;
		*out = k->c;
	} else if (clashes_locked(c)) {
		err = ERR_SIP_CONTRACT;
	} else if (nknown == KCONTRACT_MAX) {
		err = ERR_LIMIT;
	} else {
		known[nknown++] = (struct kcontract){ c, mem, 1, false };
	}
	spin_unlock_irqrestore(&lock, f);
	if (k || err != ERR_OK) {
		// Already known (the model points into the kept descriptor)
		// or refused: this decode is not needed.
		kfree(mem);
		return err;
	}
	*out = c;
	return ERR_OK;
}

// A contract as the report shows it, copied under the lock (which keeps
// interrupts off) and formatted after it.
struct kcontract_row {
	char name[256];
	uint8_t name_len, form;
	bool system;
	uint16_t n_msgs, n_states;
	uint8_t hash[4];
};

size_t kcontracts_report(char *buf, size_t len)
{
	size_t n = 0, rows = 0;
	struct kcontract_row *r = kmalloc(sizeof(*r) * KCONTRACT_MAX);
	if (!r)
		return 0;
	uint64_t f = spin_lock_irqsave(&lock);
	for (size_t i = 0; i < nknown; i++, rows++) {
		const struct contract *c = known[i].c;
		r[i] = (struct kcontract_row){ { 0 }, c->name_len, c->form, known[i].system,
					       c->n_msgs, c->n_states,
					       { c->hash[0], c->hash[1], c->hash[2], c->hash[3] } };
		memcpy(r[i].name, c->name, c->name_len);
	}
	spin_unlock_irqrestore(&lock, f);
	for (size_t i = 0; i < rows; i++)
		isola_appendf(buf, len, &n,
			      "%-12.*s %-9s %-6s %2u msgs %2u states  %02x%02x%02x%02x\n",
			      (int)r[i].name_len, r[i].name,
			      r[i].form ? "contract" : "interface",
			      r[i].system ? "system" : "image", r[i].n_msgs, r[i].n_states,
			      r[i].hash[0], r[i].hash[1], r[i].hash[2], r[i].hash[3]);
	kfree(r);
	return n;
}
