// SPDX-License-Identifier: MIT
// The null analysis (rule CC013, docs/checked-c.md). Address 0 is valid
// memory in wasm32, so a null dereference would not trap: it would read or
// write the SIP's own data. Local pointers and parameters are tracked; a
// pointer may be null after it is given a null constant, the result of a
// SIP_NULLABLE function or of the C allocators, or when it is a SIP_NULLABLE
// parameter. A check (`if (p)`, `p != NULL`, `!p`, through && and ||, or a
// SIP_REQUIRES) narrows it on the edges of the branch. Dereferencing a pointer
// that may be null, or passing it to a parameter that is not SIP_NULLABLE,
// is an error.
#include "flow.h"
#include "passes.h"
#include "types.h"

#include "clang/AST/ParentMap.h"

namespace sipcheck {

namespace {

using namespace clang;

enum : unsigned {
	NUL_MAYBE = 1, // null on some path; Fact::at says where it came from
	NUL_SET = 2,   // not null on some path
};

class NullAnalysis : public FlowAnalysis {
public:
	NullAnalysis(Env &env, FunctionDecl *fd) : env_(env), fd_(fd) {}

protected:
	void init_entry(State &s) override
	{
		for (const ParmVarDecl *p : fd_->parameters()) {
			if (!p->getType()->isPointerType())
				continue;
			bool nullable = has_annotation(p, "isola.nullable");
			s[Slot{p, ""}] = nullable
				? Fact{NUL_MAYBE, p->getLocation(), 0}
				: Fact{NUL_SET, {}, 0};
		}
	}

	void transfer(const CFGElement &e, State &s, bool report) override
	{
		report_ = report;
		auto cs = e.getAs<CFGStmt>();
		if (!cs)
			return;
		const Stmt *st = cs->getStmt();
		if (const auto *ds = dyn_cast<DeclStmt>(st))
			declare(ds, s);
		else if (const auto *bo = dyn_cast<BinaryOperator>(st))
			assign(bo, s);
		else if (const auto *call = dyn_cast<CallExpr>(st))
			pass_args(call, s);
		else if (const auto *ex = dyn_cast<Expr>(st))
			deref(ex, s);
	}

	void refine_edge(const CFGBlock &b, unsigned succ_index,
			 State &s) override
	{
		const Stmt *cond = b.getTerminatorCondition();
		if (cond && succ_index < 2)
			refine(dyn_cast<Expr>(cond), succ_index == 0, s);
	}

private:
	static bool tracked(const VarDecl *vd)
	{
		return vd && vd->hasLocalStorage() && vd->getType()->isPointerType();
	}

	// The fact a pointer-valued expression gives the variable it is
	// stored into.
	Fact value_of(const Expr *e, const State &s)
	{
		e = e->IgnoreParenCasts();
		if (e->isNullPointerConstant(env_.ctx,
					     Expr::NPC_ValueDependentIsNotNull))
			return Fact{NUL_MAYBE, e->getExprLoc(), 0};
		if (const auto *call = dyn_cast<CallExpr>(e))
			if (returns_nullable(call))
				return Fact{NUL_MAYBE, e->getExprLoc(), 0};
		if (const auto *co = dyn_cast<ConditionalOperator>(e)) {
			State t{{Slot{nullptr, ""}, value_of(co->getTrueExpr(), s)}};
			State f{{Slot{nullptr, ""}, value_of(co->getFalseExpr(), s)}};
			join_state(t, f);
			return t.begin()->second;
		}
		const VarDecl *vd = named_var(e);
		if (tracked(vd)) {
			auto it = s.find(Slot{vd, ""});
			if (it != s.end())
				return it->second;
		}
		return Fact{NUL_SET, {}, 0};
	}

	void declare(const DeclStmt *ds, State &s)
	{
		for (const Decl *d : ds->decls()) {
			const auto *vd = dyn_cast<VarDecl>(d);
			if (!tracked(vd))
				continue;
			s[Slot{vd, ""}] = vd->getInit() ? value_of(vd->getInit(), s)
							: Fact{NUL_SET, {}, 0};
		}
	}

	void assign(const BinaryOperator *bo, State &s)
	{
		const VarDecl *vd = named_var(bo->getLHS());
		if (!tracked(vd) || bo->getOpcode() != BO_Assign)
			return;
		s[Slot{vd, ""}] = value_of(bo->getRHS(), s);
	}

	// The pointer a dereference reads through, if it is a tracked one.
	static const Expr *deref_base(const Expr *e)
	{
		if (const auto *uo = dyn_cast<UnaryOperator>(e))
			return uo->getOpcode() == UO_Deref ? uo->getSubExpr()
							   : nullptr;
		if (const auto *me = dyn_cast<MemberExpr>(e))
			return me->isArrow() ? me->getBase() : nullptr;
		if (const auto *ase = dyn_cast<ArraySubscriptExpr>(e))
			return ase->getBase();
		return nullptr;
	}

	void deref(const Expr *e, State &s)
	{
		const Expr *base = deref_base(e);
		const VarDecl *vd = base ? named_var(base) : nullptr;
		if (!tracked(vd))
			return;
		Fact &f = s[Slot{vd, ""}];
		if ((f.bits & NUL_MAYBE) && report_) {
			env_.rep.report(base->getExprLoc(), Diag::MaybeNull)
				<< vd->getName();
			if (f.at.isValid())
				env_.rep.report(f.at, Diag::NoteNullFrom)
					<< vd->getName();
		}
		// Report once: from here on the pointer counts as checked.
		f = Fact{NUL_SET, {}, 0};
	}

	static bool param_nullable(const FunctionDecl *fd, unsigned i)
	{
		for (const FunctionDecl *r : fd->redecls())
			if (i < r->getNumParams() &&
			    has_annotation(r->getParamDecl(i), "isola.nullable"))
				return true;
		return false;
	}

	// A parameter that is not SIP_NULLABLE may be dereferenced by its
	// function without a check: the caller checks.
	void pass_args(const CallExpr *call, State &s)
	{
		const FunctionDecl *fd = call->getDirectCallee();
		if (!fd || !report_)
			return;
		for (unsigned i = 0; i < fd->getNumParams() && i < call->getNumArgs(); i++) {
			const VarDecl *vd = named_var(call->getArg(i));
			auto it = tracked(vd) ? s.find(Slot{vd, ""}) : s.end();
			if (it == s.end() || !(it->second.bits & NUL_MAYBE) ||
			    !fd->getParamDecl(i)->getType()->isPointerType() ||
			    param_nullable(fd, i))
				continue;
			env_.rep.report(call->getArg(i)->getExprLoc(), Diag::MaybeNullArg)
				<< vd->getName() << fd->getParamDecl(i)->getName()
				<< fd->getName();
			if (it->second.at.isValid())
				env_.rep.report(it->second.at, Diag::NoteNullFrom)
					<< vd->getName();
		}
	}

	void set_nonnull(const Expr *e, State &s)
	{
		// `(p = next()) != NULL` tests the variable just assigned.
		const auto *bo = dyn_cast<BinaryOperator>(e->IgnoreParenImpCasts());
		if (bo && bo->getOpcode() == BO_Assign)
			e = bo->getLHS();
		const VarDecl *vd = named_var(e);
		if (tracked(vd))
			s[Slot{vd, ""}] = Fact{NUL_SET, {}, 0};
	}

	static const Expr *null_compared(const BinaryOperator *bo, ASTContext &ctx)
	{
		auto npc = Expr::NPC_ValueDependentIsNotNull;
		if (bo->getRHS()->isNullPointerConstant(ctx, npc))
			return bo->getLHS();
		if (bo->getLHS()->isNullPointerConstant(ctx, npc))
			return bo->getRHS();
		return nullptr;
	}

	// Narrows `s` knowing that `cond` evaluated to `truth`.
	void refine(const Expr *cond, bool truth, State &s)
	{
		if (!cond)
			return;
		cond = cond->IgnoreParenImpCasts();
		if (const auto *uo = dyn_cast<UnaryOperator>(cond)) {
			if (uo->getOpcode() == UO_LNot)
				refine(uo->getSubExpr(), !truth, s);
			return;
		}
		const auto *bo = dyn_cast<BinaryOperator>(cond);
		if (!bo || bo->getOpcode() == BO_Assign) {
			if (truth && cond->getType()->isPointerType())
				set_nonnull(cond, s);
			return;
		}
		BinaryOperatorKind op = bo->getOpcode();
		if ((op == BO_LAnd && truth) || (op == BO_LOr && !truth)) {
			refine(bo->getLHS(), truth, s);
			refine(bo->getRHS(), truth, s);
			return;
		}
		const Expr *p = (op == BO_EQ || op == BO_NE)
			? null_compared(bo, env_.ctx) : nullptr;
		if (p && truth == (op == BO_NE))
			set_nonnull(p, s);
	}

	Env &env_;
	FunctionDecl *fd_;
	bool report_ = false;
};

} // namespace

void check_nullness(Env &env, FunctionDecl *fd)
{
	NullAnalysis(env, fd).run(fd, env.ctx);
}

} // namespace sipcheck
