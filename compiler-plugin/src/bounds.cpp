// SPDX-License-Identifier: MIT
// Bounds rules (docs/checked-c.md): indexing and pointer arithmetic only
// where the bounds are known (CC014), constant indexes checked here (CC015),
// and every other index checked at run time: rewrite_bounds replaces the
// index `i` of `a[i]` by sip_bounds_check_(i, n, file, line) from
// sip/check.h, where n is the array's length or the SIP_COUNT(n) parameter
// of the pointer. It runs before code generation sees the function.
#include "bounds.h"
#include "types.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Sema/Sema.h"

#include <string>

namespace sipcheck {

using namespace clang;

const ParmVarDecl *count_param(const ParmVarDecl *p)
{
	const auto *fd = dyn_cast_or_null<FunctionDecl>(p->getDeclContext());
	if (!fd)
		return nullptr;
	unsigned k = p->getFunctionScopeIndex();
	for (const FunctionDecl *r : fd->redecls()) {
		if (k >= r->getNumParams())
			continue;
		llvm::StringRef name =
			annotation_arg(r->getParamDecl(k), "isola.count:");
		if (name.empty())
			continue;
		for (unsigned i = 0; i < r->getNumParams(); i++)
			if (r->getParamDecl(i)->getName() == name)
				return fd->getParamDecl(i);
	}
	return nullptr;
}

Bound bound_of(const Expr *base)
{
	Bound b;
	base = base->IgnoreParenImpCasts();
	if (const auto *cat = dyn_cast<ConstantArrayType>(
		    base->getType().getCanonicalType())) {
		b.known = true;
		b.length = cat->getSize();
		return b;
	}
	const auto *p = dyn_cast_or_null<ParmVarDecl>(named_var(base));
	b.count = p ? count_param(p) : nullptr;
	b.known = b.count != nullptr;
	return b;
}

std::string describe(const Expr *e)
{
	const VarDecl *vd = named_var(e);
	return vd ? vd->getName().str() : "expression";
}

static Expr *limit_expr(Env &env, const Bound &b, SourceLocation loc)
{
	Sema &sema = env.ci.getSema();
	if (b.count)
		return sema.BuildDeclRefExpr(const_cast<ParmVarDecl *>(b.count),
					     b.count->getType(), VK_LValue, loc);
	QualType sz = env.ctx.getSizeType();
	llvm::APInt v = b.length.zextOrTrunc(env.ctx.getTypeSize(sz));
	return IntegerLiteral::Create(env.ctx, v, sz, loc);
}

static Expr *file_literal(Env &env, SourceLocation loc)
{
	const SourceManager &sm = env.ctx.getSourceManager();
	std::string file = sm.getFilename(sm.getFileLoc(loc)).str();
	QualType t = env.ctx.getConstantArrayType(
		env.ctx.CharTy, llvm::APInt(32, file.size() + 1), nullptr,
		ArrayType::Normal, 0);
	return StringLiteral::Create(env.ctx, file, StringLiteral::Ascii, false,
				     t, loc);
}

Expr *build_runtime_check(Env &env, FunctionDecl *fn, Expr *value,
			  const Bound &b)
{
	Sema &sema = env.ci.getSema();
	SourceLocation loc = value->getExprLoc();
	const SourceManager &sm = env.ctx.getSourceManager();
	unsigned line = sm.getPresumedLineNumber(sm.getFileLoc(loc));
	Expr *args[] = {value, limit_expr(env, b, loc), file_literal(env, loc),
			IntegerLiteral::Create(env.ctx, llvm::APInt(32, line),
					       env.ctx.IntTy, loc)};
	Expr *ref = sema.BuildDeclRefExpr(fn, fn->getType(), VK_LValue, loc);
	ExprResult r = sema.BuildCallExpr(nullptr, ref, loc, args, loc);
	return r.isUsable() ? r.get() : nullptr;
}

FunctionDecl *runtime_function(Env &env, llvm::StringRef name,
			       SourceLocation where)
{
	ASTContext &ctx = env.ctx;
	for (NamedDecl *nd :
	     ctx.getTranslationUnitDecl()->lookup(&ctx.Idents.get(name)))
		if (auto *fd = dyn_cast<FunctionDecl>(nd))
			return fd;
	env.rep.report(where, Diag::NoRuntime);
	return nullptr;
}

namespace {

class IndexRules : public RecursiveASTVisitor<IndexRules> {
public:
	explicit IndexRules(Env &env) : env_(env) {}

	bool VisitArraySubscriptExpr(ArraySubscriptExpr *ase)
	{
		Bound b = bound_of(ase->getBase());
		if (!b.known) {
			env_.rep.report(ase->getExprLoc(), Diag::PtrArith)
				<< 1 << describe(ase->getBase());
			return true;
		}
		auto idx = ase->getIdx()->getIntegerConstantExpr(env_.ctx);
		if (!idx || b.count)
			return true;
		if (idx->isNegative() || idx->uge(b.length.getZExtValue()))
			env_.rep.report(ase->getIdx()->getExprLoc(), Diag::ConstIndex)
				<< toString(*idx, 10)
				<< toString(b.length, 10, false);
		return true;
	}

	bool VisitBinaryOperator(BinaryOperator *bo)
	{
		BinaryOperatorKind op = bo->getOpcode();
		bool arith = op == BO_Add || op == BO_Sub || op == BO_AddAssign ||
			     op == BO_SubAssign;
		// p - q between two pointers is a distance, not arithmetic.
		if (arith && bo->getType()->isPointerType())
			report_arith(bo->getLHS()->getType()->isPointerType()
					     ? bo->getLHS() : bo->getRHS(),
				     bo->getOperatorLoc());
		return true;
	}

	bool VisitUnaryOperator(UnaryOperator *uo)
	{
		if (uo->isIncrementDecrementOp() &&
		    uo->getSubExpr()->getType()->isPointerType())
			report_arith(uo->getSubExpr(), uo->getOperatorLoc());
		return true;
	}

private:
	void report_arith(const Expr *ptr, SourceLocation loc)
	{
		env_.rep.report(loc, Diag::PtrArith) << 0 << describe(ptr);
	}

	Env &env_;
};

bool is_runtime_index(ASTContext &ctx, const ArraySubscriptExpr *ase)
{
	return bound_of(ase->getBase()).known &&
	       !ase->getIdx()->isIntegerConstantExpr(ctx);
}

class IndexRewriter : public RecursiveASTVisitor<IndexRewriter> {
public:
	IndexRewriter(Env &env, FunctionDecl *fd) : env_(env), fd_(fd) {}

	bool VisitArraySubscriptExpr(ArraySubscriptExpr *ase)
	{
		if (!is_runtime_index(env_.ctx, ase))
			return true;
		if (!check_)
			check_ = runtime_function(env_, "sip_bounds_check_",
						  fd_->getLocation());
		Expr *idx = ase->getIdx();
		Expr *call = check_ ? build_runtime_check(env_, check_, idx,
							  bound_of(ase->getBase()))
				    : nullptr;
		if (!call)
			return check_ != nullptr;
		if (ase->getRHS() == idx)
			ase->setRHS(call);
		else
			ase->setLHS(call);
		return true;
	}

private:
	Env &env_;
	FunctionDecl *fd_;
	FunctionDecl *check_ = nullptr;
};

} // namespace

void check_bounds(Env &env, FunctionDecl *fd)
{
	IndexRules(env).TraverseDecl(fd);
	check_counts(env, fd);
}

void rewrite_bounds(Env &env, FunctionDecl *fd)
{
	IndexRewriter(env, fd).TraverseStmt(fd->getBody());
	rewrite_counts(env, fd);
}

} // namespace sipcheck
