// SPDX-License-Identifier: MIT
// The forward dataflow engine of flow.h: a worklist over CFG blocks, joining
// states at block entries until nothing changes, then one reporting pass.
#include "flow.h"

#include <algorithm>

namespace sipcheck {

using namespace clang;

bool join_state(State &into, const State &from)
{
	bool grew = false;
	for (const auto &kv : from) {
		auto it = into.find(kv.first);
		if (it == into.end()) {
			into.emplace(kv.first, kv.second);
			grew = true;
			continue;
		}
		Fact &f = it->second;
		unsigned bits = f.bits | kv.second.bits;
		if (bits != f.bits) {
			f.bits = bits;
			grew = true;
		}
		if (f.at.isInvalid() && kv.second.at.isValid()) {
			f.at = kv.second.at;
			f.how = kv.second.how;
		}
	}
	return grew;
}

void FlowAnalysis::visit_block(const CFGBlock &b, State s, bool report,
			       std::map<unsigned, State> *in,
			       std::vector<unsigned> *work)
{
	for (const CFGElement &e : b)
		transfer(e, s, report);
	if (&b == &cfg_->getExit())
		at_exit(s, report);
	if (!in)
		return;
	unsigned i = 0;
	for (auto it = b.succ_begin(); it != b.succ_end(); ++it, ++i) {
		const CFGBlock *succ = it->getReachableBlock();
		if (!succ)
			continue;
		State edge = s;
		refine_edge(b, i, edge);
		auto found = in->find(succ->getBlockID());
		if (found == in->end()) {
			in->emplace(succ->getBlockID(), std::move(edge));
			work->push_back(succ->getBlockID());
		} else if (join_state(found->second, edge)) {
			work->push_back(succ->getBlockID());
		}
	}
}

void FlowAnalysis::run(FunctionDecl *fd, ASTContext &ctx)
{
	CFG::BuildOptions opts;
	opts.AddScopes = true;
	opts.AddImplicitDtors = true;
	// Every subexpression, in evaluation order: uses are seen one by one.
	opts.setAllAlwaysAdd();
	std::unique_ptr<CFG> cfg = CFG::buildCFG(fd, fd->getBody(), &ctx, opts);
	if (!cfg)
		return;
	cfg_ = cfg.get();
	std::vector<const CFGBlock *> blocks(cfg->getNumBlockIDs(), nullptr);
	for (const CFGBlock *b : *cfg)
		blocks[b->getBlockID()] = b;

	std::map<unsigned, State> in;
	std::vector<unsigned> work;
	State entry;
	init_entry(entry);
	in.emplace(cfg->getEntry().getBlockID(), entry);
	work.push_back(cfg->getEntry().getBlockID());
	while (!work.empty()) {
		// Lowest ID last: CFG IDs run roughly against source order,
		// so this visits blocks close to reverse post-order.
		auto top = std::max_element(work.begin(), work.end());
		unsigned id = *top;
		work.erase(top);
		work.erase(std::remove(work.begin(), work.end(), id), work.end());
		visit_block(*blocks[id], in[id], false, &in, &work);
	}
	for (const auto &kv : in)
		visit_block(*blocks[kv.first], kv.second, true, nullptr, nullptr);
	cfg_ = nullptr;
}

} // namespace sipcheck
