// SPDX-License-Identifier: MIT
// The linear-handle analysis (rules CC007, CC008, CC009 and CC012 for
// handles; docs/checked-c.md). Each slot (linear.h) carries a set of facts:
// owned, gone (consumed), unset, borrowed. The forward analysis of flow.h
// joins them at merges, so "owned on one path, gone on the other" is the
// "maybe" state. A use needs the slot to be owned (or borrowed); consuming it
// makes it gone; an assignment needs it not owned; leaving a scope or the
// function needs it not owned. Fields in a message's variants start unset
// ("latent"); taking any field of a variant, or branching on the message's
// tag into it (variants.cpp), makes the variant's fields owned.
#include "linear.h"
#include "passes.h"
#include "types.h"

#include "clang/AST/Stmt.h"

namespace sipcheck {

namespace {

using namespace clang;

class LinearAnalysis : public FlowAnalysis {
public:
	LinearAnalysis(Env &env, FunctionDecl *fd)
		: env_(env), fd_(fd), pm_(fd->getBody())
	{
		collect_linear_vars(fd, pm_, vars_);
	}

	bool has_slots() const
	{
		return !vars_.slots.empty();
	}

protected:
	void init_entry(State &s) override
	{
		for (const auto &kv : vars_.slots)
			s[kv.first].bits = LIN_UNSET;
		for (const ParmVarDecl *p : vars_.params)
			for (const Slot &sl : vars_.of_var[p])
				s[sl].bits = is_borrowed(p)
					? LIN_BORROWED : initial_bits(sl, true);
	}

	void transfer(const CFGElement &e, State &s, bool report) override
	{
		report_ = report;
		if (auto cs = e.getAs<CFGStmt>())
			transfer_stmt(cs->getStmt(), s);
		else if (auto se = e.getAs<CFGScopeEnd>())
			leave_scope(se->getVarDecl(), se->getTriggerStmt(), s);
	}

	// The arm of a switch or if on a message tag owns the variants it may
	// hold.
	void refine_edge(const CFGBlock &b, unsigned succ_index,
			 State &s) override
	{
		Selected sel;
		if (!variant_on_edge(b, succ_index, vars_, sel))
			return;
		for (const std::string &g : sel.closed)
			close_variant(sel.var, g, s);
		for (const std::string &g : sel.groups)
			open_variant(sel.var, g, s, false);
		for (const std::string &g : sel.others)
			open_variant(sel.var, g, s, true);
	}

	void at_exit(State &s, bool report) override
	{
		report_ = report;
		const auto *body = dyn_cast<CompoundStmt>(fd_->getBody());
		SourceLocation end = body ? body->getRBracLoc() : fd_->getEndLoc();
		for (const ParmVarDecl *p : vars_.params)
			drop_var(p, end, s);
	}

private:
	void transfer_stmt(const Stmt *st, State &s)
	{
		if (const auto *ds = dyn_cast<DeclStmt>(st)) {
			for (const Decl *d : ds->decls())
				if (const auto *vd = dyn_cast<VarDecl>(d))
					declare(vd, s);
		} else if (const auto *bo = dyn_cast<BinaryOperator>(st)) {
			if (bo->isAssignmentOp())
				assign(bo, s);
		} else if (const auto *rs = dyn_cast<ReturnStmt>(st)) {
			for (const ParmVarDecl *p : vars_.params)
				drop_var(p, rs->getReturnLoc(), s);
		} else if (const auto *ex = dyn_cast<Expr>(st)) {
			Slot sl;
			if (slot_of(ex, vars_, sl))
				use(ex, sl, s);
		}
	}

	// A slot given a value is owned, unless it sits in a message variant,
	// which stays latent until it is selected.
	unsigned initial_bits(const Slot &sl, bool has_value)
	{
		if (!vars_.group[sl].empty())
			return has_value ? LIN_UNSET | LIN_CANDIDATE : LIN_UNSET;
		return has_value ? LIN_OWNED : LIN_UNSET;
	}

	void declare(const VarDecl *vd, State &s)
	{
		auto it = vars_.of_var.find(vd);
		if (it == vars_.of_var.end())
			return;
		for (const Slot &sl : it->second)
			s[sl] = Fact{initial_bits(sl, vd->hasInit()), {}, 0};
	}

	// An assignment to a handle makes it owned; one to a message
	// variable makes all its fields latent again. Either way, what the
	// variable still owned would leak.
	void assign(const BinaryOperator *bo, State &s)
	{
		const VarDecl *vd = named_var(bo->getLHS());
		auto it = vd ? vars_.of_var.find(vd) : vars_.of_var.end();
		if (it == vars_.of_var.end())
			return;
		for (const Slot &sl : it->second) {
			if ((s[sl].bits & LIN_OWNED) && report_)
				env_.rep.report(bo->getOperatorLoc(), Diag::Overwrite)
					<< vars_.slots[sl];
			s[sl] = Fact{initial_bits(sl, true), {}, 0};
		}
	}

	// The handles of one message variant become this function's: by
	// taking one of its fields, or by branching on the tag into it. A
	// branch that only leaves the variant possible (`default:`) skips the
	// variants earlier tests ruled out.
	void open_variant(const VarDecl *vd, const std::string &group, State &s,
			  bool if_candidate)
	{
		for (const Slot &o : vars_.of_var[vd]) {
			Fact &f = s[o];
			if (vars_.group[o] != group || !(f.bits & LIN_UNSET))
				continue;
			if (if_candidate && !(f.bits & LIN_CANDIDATE))
				continue;
			f.bits = (f.bits & ~LIN_UNSET) | LIN_OWNED;
		}
	}

	// A variant the tag rules out holds nothing: its untaken handles are
	// latent again.
	void close_variant(const VarDecl *vd, const std::string &group, State &s)
	{
		for (const Slot &o : vars_.of_var[vd]) {
			Fact &f = s[o];
			if (vars_.group[o] != group)
				continue;
			if (f.bits & LIN_OWNED)
				f.bits = (f.bits & ~LIN_OWNED) | LIN_UNSET;
			f.bits &= ~LIN_CANDIDATE;
		}
	}

	void use(const Expr *e, const Slot &sl, State &s)
	{
		Use u = classify_use(e, pm_);
		if (u.kind == UseKind::Ignore || u.kind == UseKind::AssignTarget)
			return;
		const std::string &group = vars_.group[sl];
		if (!group.empty())
			open_variant(sl.var, group, s, false);
		Fact &f = s[sl];
		bool consume = u.kind == UseKind::Consume;
		if (report_)
			check_use(e, sl, f, consume);
		if (consume && !(f.bits & LIN_BORROWED))
			f = Fact{LIN_GONE, e->getExprLoc(),
				 static_cast<unsigned>(u.how)};
	}

	void check_use(const Expr *e, const Slot &sl, const Fact &f, bool consume)
	{
		const std::string &name = vars_.slots[sl];
		SourceLocation loc = e->getExprLoc();
		unsigned bits = f.bits & ~LIN_CANDIDATE;
		if (bits & LIN_BORROWED) {
			if (consume)
				env_.rep.report(loc, Diag::BorrowConsumed) << name;
			return;
		}
		if (bits & LIN_GONE) {
			if (bits == LIN_GONE)
				env_.rep.report(loc, Diag::UseAfter)
					<< name << f.how;
			else
				env_.rep.report(loc, Diag::MaybeUseAfter) << name;
			if (f.at.isValid())
				env_.rep.report(f.at, Diag::NoteConsumed)
					<< name << f.how;
			return;
		}
		if ((bits & LIN_UNSET) && vars_.group[sl].empty())
			env_.rep.report(loc, Diag::UninitUse) << name;
	}

	void leave_scope(const VarDecl *first, const Stmt *trigger, State &s)
	{
		SourceLocation loc = first->getLocation();
		if (const auto *cs = dyn_cast_or_null<CompoundStmt>(trigger))
			loc = cs->getRBracLoc();
		else if (trigger)
			loc = trigger->getBeginLoc();
		auto it = vars_.scope.find(first);
		if (it == vars_.scope.end())
			return;
		for (const VarDecl *vd : it->second)
			drop_var(vd, loc, s);
	}

	// The variable goes out of scope at `loc`: an owned handle leaks.
	void drop_var(const VarDecl *vd, SourceLocation loc, State &s)
	{
		for (const Slot &sl : vars_.of_var[vd]) {
			Fact &f = s[sl];
			unsigned bits = f.bits & ~LIN_CANDIDATE;
			if ((bits & LIN_OWNED) && report_)
				env_.rep.report(loc, Diag::Leak)
					<< vars_.slots[sl] << (bits != LIN_OWNED);
			f = Fact{LIN_UNSET, {}, 0};
		}
	}

	Env &env_;
	FunctionDecl *fd_;
	ParentMap pm_;
	LinearVars vars_;
	bool report_ = false;
};

} // namespace

void check_linear(Env &env, FunctionDecl *fd)
{
	LinearAnalysis a(env, fd);
	if (a.has_slots())
		a.run(fd, env.ctx);
}

} // namespace sipcheck
