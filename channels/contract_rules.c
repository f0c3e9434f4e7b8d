// SPDX-License-Identifier: MIT
// The contract rules on the state machine (docs/channels.md, rules C1-C6):
// transitions name existing messages and states with the right direction,
// no state has two transitions on one message, no state both sends and
// receives, every cycle contains both directions. From the last rule follows
// the static queue bound: the longest run of transitions in one direction.
// Also the queries the channel core asks on every send and receive.
#include "contract_internal.h"

// C1: a transition's message exists, its direction matches, next exists.
static isola_err_t check_trans(const struct contract *c,
			       const struct contract_trans *t)
{
	if (t->msg >= c->n_msgs || t->next >= c->n_states || t->exp_recv > 1)
		return ERR_CONTRACT_BAD_INDEX;
	uint8_t dir = c->msgs[t->msg].dir;
	if (dir != (t->exp_recv ? CONTRACT_IN : CONTRACT_OUT))
		return ERR_CONTRACT_DIRECTION;
	return ERR_OK;
}

// C2 (determinism) and C3 (no mixed states).
static isola_err_t check_state(const struct contract *c,
			       const struct contract_state *s)
{
	for (uint8_t i = 0; i < s->n_trans; i++) {
		TRY(check_trans(c, &s->trans[i]));
		for (uint8_t j = 0; j < i; j++) {
			if (s->trans[j].msg == s->trans[i].msg)
				return ERR_CONTRACT_NONDETERMINISTIC;
			if (s->trans[j].exp_recv != s->trans[i].exp_recv)
				return ERR_CONTRACT_MIXED_STATE;
		}
	}
	return ERR_OK;
}

// C4: an endpoint of this very contract names a state that exists. Fields
// of other contracts are checked against their hash when sent, and an
// any-endpoint (CONTRACT_REF_ANY) names no state at all.
static isola_err_t check_self_refs(const struct contract *c, struct contract_diag *d)
{
	for (uint16_t i = 0; i < c->n_msgs; i++) {
		const struct contract_msg *m = &c->msgs[i];
		d->where = CONTRACT_AT_MSG;
		d->index = i;
		for (uint8_t j = 0; j < m->n_fields; j++) {
			const struct contract_field *f = &m->fields[j];
			if (f->kind != CONTRACT_K_ENDPOINT || f->ref != CONTRACT_REF_SELF)
				continue;
			bool ok = c->form == CONTRACT_FORM_STATES
					  ? f->state < c->n_states
					  : f->state == CONTRACT_NO_STATE;
			if (!ok)
				return ERR_CONTRACT_BAD_INDEX;
		}
	}
	return ERR_OK;
}

// C5 and the bound: longest path over transitions of one direction, by
// Kahn's topological order (iterative: the kernel stack stays small). A
// state left with incoming edges lies on or after a one-way cycle.
static isola_err_t dir_bound(const struct contract *c, uint8_t exp_recv,
			     uint16_t *indeg, uint16_t *dist, uint16_t *queue,
			     uint16_t *bound, struct contract_diag *d)
{
	uint16_t n = c->n_states, head = 0, tail = 0, best = 0;
	for (uint16_t s = 0; s < n; s++)
		indeg[s] = dist[s] = 0;
	for (uint16_t s = 0; s < n; s++)
		for (uint8_t t = 0; t < c->states[s].n_trans; t++)
			if (c->states[s].trans[t].exp_recv == exp_recv)
				indeg[c->states[s].trans[t].next]++;
	for (uint16_t s = 0; s < n; s++)
		if (indeg[s] == 0)
			queue[tail++] = s;
	while (head < tail) {
		const struct contract_state *st = &c->states[queue[head++]];
		uint16_t here = dist[queue[head - 1]];
		for (uint8_t t = 0; t < st->n_trans; t++) {
			const struct contract_trans *tr = &st->trans[t];
			if (tr->exp_recv != exp_recv)
				continue;
			if (dist[tr->next] < here + 1)
				dist[tr->next] = (uint16_t)(here + 1);
			if (dist[tr->next] > best)
				best = dist[tr->next];
			if (--indeg[tr->next] == 0)
				queue[tail++] = tr->next;
		}
	}
	for (uint16_t s = 0; s < n; s++) {
		if (indeg[s] != 0) {
			d->where = CONTRACT_AT_STATE;
			d->index = s;
			return ERR_CONTRACT_ONE_WAY_CYCLE;
		}
	}
	if (best > CONTRACT_MAX_BOUND)
		return ERR_CONTRACT_BOUND;
	*bound = best;
	return ERR_OK;
}

static void max_sizes(struct contract *c)
{
	for (uint16_t i = 0; i < c->n_msgs; i++) {
		const struct contract_msg *m = &c->msgs[i];
		for (int d = CONTRACT_IN; d <= CONTRACT_OUT; d++) {
			bool travels = m->dir == d || m->dir == CONTRACT_BOTH;
			if (travels && m->size > c->max_size[d])
				c->max_size[d] = m->size;
			if (travels && c->form == CONTRACT_FORM_INTERFACE)
				c->bound[d] = CONTRACT_IFACE_DEPTH;
		}
	}
}

isola_err_t contract_check_states(struct contract *c, struct contract_arena *a,
				  struct contract_diag *d)
{
	bool states = c->form == CONTRACT_FORM_STATES;
	d->where = CONTRACT_AT_CONTRACT;
	d->index = 0;
	if (states != (c->n_states > 0))
		return ERR_DESC_MALFORMED;
	for (uint16_t i = 0; states && i < c->n_msgs; i++) {
		if (c->msgs[i].dir == CONTRACT_BOTH) {
			d->where = CONTRACT_AT_MSG;
			d->index = i;
			return ERR_CONTRACT_DIRECTION;
		}
	}
	for (uint16_t s = 0; s < c->n_states; s++) {
		d->where = CONTRACT_AT_STATE;
		d->index = s;
		TRY(check_state(c, &c->states[s]));
	}
	TRY(check_self_refs(c, d));
	max_sizes(c);
	if (!states)
		return ERR_OK;
	uint16_t *tmp = contract_arena_alloc(a, 3u * c->n_states * sizeof(uint16_t));
	if (!tmp)
		return ERR_DESC_ARENA;
	uint16_t *indeg = tmp, *dist = tmp + c->n_states, *q = dist + c->n_states;
	d->where = CONTRACT_AT_CONTRACT;
	d->index = 0;
	TRY(dir_bound(c, 1, indeg, dist, q, &c->bound[CONTRACT_IN], d));
	return dir_bound(c, 0, indeg, dist, q, &c->bound[CONTRACT_OUT], d);
}

// In the interface form any message may go whenever its direction allows.
static bool iface_allows(const struct contract *c, uint16_t msg, uint8_t dir)
{
	return msg < c->n_msgs &&
	       (c->msgs[msg].dir == dir || c->msgs[msg].dir == CONTRACT_BOTH);
}

static bool find_trans(const struct contract *c, uint16_t state, uint16_t msg,
		       uint8_t exp_recv, uint16_t *next)
{
	if (state >= c->n_states)
		return false;
	const struct contract_state *s = &c->states[state];
	for (uint8_t i = 0; i < s->n_trans; i++) {
		if (s->trans[i].msg == msg && s->trans[i].exp_recv == exp_recv) {
			*next = s->trans[i].next;
			return true;
		}
	}
	return false;
}

bool contract_can_send(const struct contract *c, enum contract_side side,
		       uint16_t state, uint16_t msg, uint16_t *next)
{
	uint8_t dir = contract_side_out_dir(side);
	if (c->form == CONTRACT_FORM_INTERFACE) {
		*next = state;
		return iface_allows(c, msg, dir);
	}
	// The exporter receives what the importer sends.
	return find_trans(c, state, msg, side == CONTRACT_IMP, next);
}

bool contract_can_recv(const struct contract *c, enum contract_side side,
		       uint16_t state, uint16_t msg, uint16_t *next)
{
	uint8_t dir = contract_side_out_dir(side) == CONTRACT_IN ? CONTRACT_OUT
								: CONTRACT_IN;
	if (c->form == CONTRACT_FORM_INTERFACE) {
		*next = state;
		return iface_allows(c, msg, dir);
	}
	return find_trans(c, state, msg, side == CONTRACT_EXP, next);
}

static bool state_has(const struct contract *c, uint16_t state, uint8_t exp_recv)
{
	if (state >= c->n_states)
		return false;
	const struct contract_state *s = &c->states[state];
	for (uint8_t i = 0; i < s->n_trans; i++)
		if (s->trans[i].exp_recv == exp_recv)
			return true;
	return false;
}

bool contract_state_receives(const struct contract *c, enum contract_side side,
			     uint16_t state)
{
	if (c->form == CONTRACT_FORM_INTERFACE)
		return c->bound[side == CONTRACT_EXP ? CONTRACT_IN : CONTRACT_OUT] > 0;
	return state_has(c, state, side == CONTRACT_EXP);
}

bool contract_state_sends(const struct contract *c, enum contract_side side,
			  uint16_t state)
{
	if (c->form == CONTRACT_FORM_INTERFACE)
		return c->bound[contract_side_out_dir(side)] > 0;
	return state_has(c, state, side == CONTRACT_IMP);
}
