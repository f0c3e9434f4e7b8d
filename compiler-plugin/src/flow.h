// SPDX-License-Identifier: MIT
// A forward dataflow engine over clang's CFG, shared by the linear-handle and
// null analyses. The abstract state maps each tracked slot (a variable, or a
// field path inside a message variable) to a set of facts, kept as bits; the
// join of two states is the union of their bits, so the analysis climbs a
// finite lattice and the worklist reaches a fixpoint. Diagnostics are issued
// in one last pass over the fixpoint, so each is reported once.
#ifndef SIPCHECK_FLOW_H
#define SIPCHECK_FLOW_H

#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"

#include <map>
#include <memory>
#include <string>

namespace sipcheck {

// A tracked storage location: a variable, or a field path inside it (field
// indexes joined by '.').
struct Slot {
	const clang::VarDecl *var;
	std::string path;

	bool operator<(const Slot &o) const
	{
		return var != o.var ? var < o.var : path < o.path;
	}
};

// What may hold at a slot on the paths reaching a point. `at` remembers a
// location that explains the facts (where a handle was consumed, where a
// pointer may have become null); `how` qualifies it.
struct Fact {
	unsigned bits = 0;
	clang::SourceLocation at;
	unsigned how = 0;
};

using State = std::map<Slot, Fact>;

// Joins `from` into `into`; true if `into` grew.
bool join_state(State &into, const State &from);

class FlowAnalysis {
public:
	virtual ~FlowAnalysis() = default;

	// Builds the CFG of `fd`, runs to a fixpoint, then reports.
	void run(clang::FunctionDecl *fd, clang::ASTContext &ctx);

protected:
	virtual void init_entry(State &s) = 0;
	virtual void transfer(const clang::CFGElement &e, State &s,
			      bool report) = 0;
	// Narrows the state along the edge to successor `succ_index` of `b`.
	virtual void refine_edge(const clang::CFGBlock &b, unsigned succ_index,
				 State &s)
	{
	}
	virtual void at_exit(State &s, bool report) {}

	const clang::CFG *cfg_ = nullptr;

private:
	void visit_block(const clang::CFGBlock &b, State s, bool report,
			 std::map<unsigned, State> *in, std::vector<unsigned> *work);
};

} // namespace sipcheck

#endif
