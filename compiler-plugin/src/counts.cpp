// SPDX-License-Identifier: MIT
// SIP_COUNT(n) parameters (CC014, CC015; docs/checked-c.md). Inside the
// function, `p[i]` is checked against `n`, so neither `p` nor `n` may change
// and SIP_COUNT applies to parameters only. At each call, the argument for
// `p` must have known bounds: an array whose length covers the count
// (checked here when the count is a constant, at run time otherwise, by
// rewriting the count into sip_count_check_(count, length, file, line)), or
// a SIP_COUNT pointer of the caller with its own count or a smaller one.
#include "bounds.h"
#include "types.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Sema/Sema.h"

#include <set>

namespace sipcheck {

using namespace clang;

namespace {

// One argument that a call passes for a SIP_COUNT parameter.
struct CountedArg {
	unsigned ptr_index;
	unsigned count_index;
	const ParmVarDecl *param;
	const ParmVarDecl *count;
};

std::vector<CountedArg> counted_args(const CallExpr *call)
{
	std::vector<CountedArg> out;
	const FunctionDecl *fd = call->getDirectCallee();
	if (!fd)
		return out;
	for (unsigned i = 0; i < fd->getNumParams() && i < call->getNumArgs(); i++) {
		const ParmVarDecl *p = fd->getParamDecl(i);
		const ParmVarDecl *c = count_param(p);
		if (c && c->getFunctionScopeIndex() < call->getNumArgs())
			out.push_back({i, c->getFunctionScopeIndex(), p, c});
	}
	return out;
}

enum class ArgCheck { Fine, Unknown, TooBig, AtRunTime };

ArgCheck classify_arg(ASTContext &ctx, const Expr *arg, const Expr *count)
{
	Bound b = bound_of(arg);
	auto n = count->getIntegerConstantExpr(ctx);
	if (!b.known) {
		bool null = arg->isNullPointerConstant(
			ctx, Expr::NPC_ValueDependentIsNotNull);
		return null && n && n->isZero() ? ArgCheck::Fine
						: ArgCheck::Unknown;
	}
	if (b.count)
		return named_var(count) == b.count ? ArgCheck::Fine
						   : ArgCheck::AtRunTime;
	if (!n)
		return ArgCheck::AtRunTime;
	return n->isNegative() || n->ugt(b.length.getZExtValue())
		? ArgCheck::TooBig : ArgCheck::Fine;
}

class CountRules : public RecursiveASTVisitor<CountRules> {
public:
	CountRules(Env &env, FunctionDecl *fd) : env_(env)
	{
		for (const ParmVarDecl *p : fd->parameters())
			note_param(p);
	}

	bool VisitVarDecl(VarDecl *vd)
	{
		if (!isa<ParmVarDecl>(vd) &&
		    !annotation_arg(vd, "isola.count:").empty())
			env_.rep.report(vd->getLocation(), Diag::CountLocal);
		return true;
	}

	bool VisitBinaryOperator(BinaryOperator *bo)
	{
		if (bo->isAssignmentOp())
			check_change(bo->getLHS(), bo->getOperatorLoc());
		return true;
	}

	bool VisitUnaryOperator(UnaryOperator *uo)
	{
		if (uo->isIncrementDecrementOp() || uo->getOpcode() == UO_AddrOf)
			check_change(uo->getSubExpr(), uo->getOperatorLoc());
		return true;
	}

	bool VisitCallExpr(CallExpr *call)
	{
		for (const CountedArg &ca : counted_args(call))
			check_arg(call, ca);
		return true;
	}

private:
	void note_param(const ParmVarDecl *p)
	{
		llvm::StringRef name = annotation_arg(p, "isola.count:");
		const ParmVarDecl *c = count_param(p);
		if (!name.empty() && !c)
			env_.rep.report(p->getLocation(), Diag::CountName) << name;
		if (c) {
			fixed_.insert(p);
			fixed_.insert(c);
		}
	}

	void check_change(const Expr *target, SourceLocation loc)
	{
		const VarDecl *vd = named_var(target);
		if (vd && fixed_.count(vd))
			env_.rep.report(loc, Diag::CountAssign) << vd->getName();
	}

	void check_arg(const CallExpr *call, const CountedArg &ca)
	{
		const Expr *arg = call->getArg(ca.ptr_index);
		const Expr *count = call->getArg(ca.count_index);
		switch (classify_arg(env_.ctx, arg, count)) {
		case ArgCheck::Unknown:
			env_.rep.report(arg->getExprLoc(), Diag::CountArg)
				<< ca.count->getName() << ca.param->getName();
			break;
		case ArgCheck::TooBig:
			env_.rep.report(count->getExprLoc(), Diag::CountTooBig)
				<< toString(*count->getIntegerConstantExpr(env_.ctx), 10)
				<< toString(bound_of(arg).length, 10, false)
				<< ca.param->getName();
			break;
		case ArgCheck::Fine:
		case ArgCheck::AtRunTime:
			break;
		}
	}

	Env &env_;
	std::set<const VarDecl *> fixed_;
};

class CountRewriter : public RecursiveASTVisitor<CountRewriter> {
public:
	CountRewriter(Env &env, FunctionDecl *fd) : env_(env), fd_(fd) {}

	bool VisitCallExpr(CallExpr *call)
	{
		for (const CountedArg &ca : counted_args(call))
			if (classify_arg(env_.ctx, call->getArg(ca.ptr_index),
					 call->getArg(ca.count_index)) ==
			    ArgCheck::AtRunTime)
				rewrite(call, ca);
		return true;
	}

private:
	void rewrite(CallExpr *call, const CountedArg &ca)
	{
		if (!check_)
			check_ = runtime_function(env_, "sip_count_check_",
						  fd_->getLocation());
		if (!check_)
			return;
		Expr *count = call->getArg(ca.count_index);
		Expr *checked = build_runtime_check(
			env_, check_, count, bound_of(call->getArg(ca.ptr_index)));
		if (!checked)
			return;
		ExprResult conv = env_.ci.getSema().PerformImplicitConversion(
			checked, ca.count->getType(), Sema::AA_Passing);
		if (conv.isUsable())
			call->setArg(ca.count_index, conv.get());
	}

	Env &env_;
	FunctionDecl *fd_;
	FunctionDecl *check_ = nullptr;
};

} // namespace

void check_counts(Env &env, FunctionDecl *fd)
{
	CountRules(env, fd).TraverseStmt(fd->getBody());
}

void rewrite_counts(Env &env, FunctionDecl *fd)
{
	CountRewriter(env, fd).TraverseStmt(fd->getBody());
}

} // namespace sipcheck
