// SPDX-License-Identifier: MIT
// Expression and statement rules of the checked C subset (docs/checked-c.md):
// integer-to-pointer casts (CC001), casts between unrelated pointer types
// (CC002), setjmp/longjmp, computed goto and inline assembly (CC006), linear
// results that are dropped (CC008), and linear handles whose address is taken
// or that are stored, copied or made from nothing (CC010). The handle rules
// apply to code in the SIP's own file; included headers are trusted.
#include "passes.h"
#include "types.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

namespace sipcheck {

namespace {

using namespace clang;

// Pointer casts that keep the data's type, or that go through the allocator's
// `void *`, or that view bytes as `char`, are the documented exceptions.
bool is_related_cast(QualType from, QualType to)
{
	QualType fp = from->getPointeeType().getCanonicalType().getUnqualifiedType();
	QualType tp = to->getPointeeType().getCanonicalType().getUnqualifiedType();
	if (fp == tp)
		return true;
	if (fp->isFunctionType() || tp->isFunctionType())
		return false;
	if (fp->isVoidType() || tp->isVoidType())
		return true;
	return tp->isCharType();
}

bool is_setjmp_name(llvm::StringRef n)
{
	return n == "setjmp" || n == "longjmp" || n == "_setjmp" ||
	       n == "_longjmp" || n == "sigsetjmp" || n == "siglongjmp" ||
	       n == "__builtin_setjmp" || n == "__builtin_longjmp";
}

std::string describe(const Expr *e)
{
	if (const VarDecl *vd = named_var(e))
		return vd->getName().str();
	if (const auto *me = dyn_cast<MemberExpr>(e->IgnoreParenImpCasts()))
		return me->getMemberDecl()->getName().str();
	return "expression";
}

class ExprRules : public RecursiveASTVisitor<ExprRules> {
public:
	explicit ExprRules(Env &env) : env_(env) {}

	bool VisitCastExpr(CastExpr *ce)
	{
		QualType from = ce->getSubExpr()->getType();
		QualType to = ce->getType();
		if (ce->getCastKind() == CK_IntegralToPointer)
			env_.rep.report(ce->getExprLoc(), Diag::IntToPtr)
				<< from << to;
		else if (ce->getCastKind() == CK_BitCast &&
			 from->isPointerType() && to->isPointerType() &&
			 !is_related_cast(from, to))
			env_.rep.report(ce->getExprLoc(), Diag::PtrCast)
				<< from << to;
		return true;
	}

	bool VisitImplicitCastExpr(ImplicitCastExpr *ice)
	{
		// Reading a whole message is a copy of the handles it holds.
		const Expr *sub = ice->getSubExpr()->IgnoreParens();
		if (mine(ice) && ice->getCastKind() == CK_LValueToRValue &&
		    is_carrier(sub->getType()) && isa<DeclRefExpr>(sub))
			env_.rep.report(sub->getExprLoc(), Diag::CopyCarrier)
				<< sub->getType();
		return true;
	}

	bool VisitCallExpr(CallExpr *call)
	{
		const FunctionDecl *fd = direct_callee(call);
		if (fd && fd->getIdentifier() && is_setjmp_name(fd->getName()))
			env_.rep.report(call->getExprLoc(), Diag::SetJmp)
				<< fd->getName();
		return true;
	}

	bool VisitIndirectGotoStmt(IndirectGotoStmt *s)
	{
		env_.rep.report(s->getGotoLoc(), Diag::ComputedGoto);
		return true;
	}

	bool VisitAddrLabelExpr(AddrLabelExpr *e)
	{
		env_.rep.report(e->getExprLoc(), Diag::ComputedGoto);
		return true;
	}

	bool VisitAsmStmt(AsmStmt *s)
	{
		env_.rep.report(s->getAsmLoc(), Diag::InlineAsm);
		return true;
	}

	bool VisitUnaryOperator(UnaryOperator *uo)
	{
		const Expr *sub = uo->getSubExpr();
		if (mine(uo) && uo->getOpcode() == UO_AddrOf &&
		    holds_linear(sub->getType()))
			env_.rep.report(uo->getOperatorLoc(), Diag::AddrOf)
				<< describe(sub);
		return true;
	}

	bool VisitBinaryOperator(BinaryOperator *bo)
	{
		if (bo->getOpcode() == BO_Comma)
			check_dropped(bo->getLHS());
		const Expr *lhs = bo->getLHS()->IgnoreParens();
		if (!mine(bo) || !bo->isAssignmentOp() ||
		    !holds_linear(lhs->getType()))
			return true;
		if (!isa<DeclRefExpr>(lhs))
			env_.rep.report(bo->getOperatorLoc(), Diag::Store)
				<< lhs->getType()
				<< (isa<MemberExpr>(lhs) ? "a struct field"
							 : "memory");
		return true;
	}

	bool VisitInitListExpr(InitListExpr *ile)
	{
		// The visitor sees the syntactic form only: one report each.
		// Contract headers and libsip wrap raw handles; SIP code may not.
		if (!mine(ile))
			return true;
		if (is_linear(ile->getType())) {
			env_.rep.report(ile->getBeginLoc(), Diag::Forge)
				<< ile->getType();
			env_.rep.report(ile->getBeginLoc(), Diag::NoteNoHandle);
		}
		for (const Expr *init : ile->inits())
			if (init && holds_linear(init->getType()) &&
			    !isa<InitListExpr>(init->IgnoreParens()))
				env_.rep.report(init->getExprLoc(), Diag::Store)
					<< init->getType()
					<< "a struct initializer";
		return true;
	}

	// Expressions in statement position: in blocks, as if and loop
	// bodies, as for increments. Declarations and returns keep the value.
	bool VisitStmt(Stmt *s)
	{
		if (isa<Expr>(s) || isa<DeclStmt>(s) || isa<ReturnStmt>(s))
			return true;
		for (Stmt *c : s->children())
			if (auto *e = dyn_cast_or_null<Expr>(c))
				check_dropped(e);
		return true;
	}

private:
	// The linear-handle rules apply to the SIP's own file (types.h).
	bool mine(const Stmt *s) const
	{
		return in_main_file(env_.ctx.getSourceManager(), s->getBeginLoc());
	}

	void check_dropped(const Expr *e)
	{
		e = e->IgnoreParens();
		if (const auto *cast = dyn_cast<CStyleCastExpr>(e))
			e = cast->getSubExpr()->IgnoreParenImpCasts();
		const auto *call = dyn_cast<CallExpr>(e);
		if (!call || !mine(call) || !holds_linear(call->getType()))
			return;
		const FunctionDecl *fd = direct_callee(call);
		env_.rep.report(call->getExprLoc(), Diag::Dropped)
			<< (fd ? fd->getName() : "call");
	}

	Env &env_;
};

} // namespace

void check_exprs(Env &env, Decl *d)
{
	ExprRules(env).TraverseDecl(d);
}

} // namespace sipcheck
