// SPDX-License-Identifier: MIT
// Code contracts (docs/checked-c.md): SIP_REQUIRES, SIP_RESULT and
// SIP_ENSURES lead a function body, SIP_INVARIANT leads a loop body (CC017),
// and no condition may have side effects (CC016). SIP_REQUIRES and
// SIP_INVARIANT are checks in place; rewrite_ensures moves each SIP_ENSURES
// check (kept under `if (0)` by the macro) to every exit of the function:
// `return e;` becomes `return (r = e, check..., r);` for the SIP_RESULT
// variable r, and a void function runs the checks before each return and at
// the end of its body.
#include "contracts.h"
#include "passes.h"
#include "types.h"

#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Sema/Sema.h"

namespace sipcheck {

namespace {

using namespace clang;

bool is_loop(const Stmt *s)
{
	return isa<ForStmt>(s) || isa<WhileStmt>(s) || isa<DoStmt>(s);
}

// The statement an expression belongs to: its outermost enclosing
// expression.
const Stmt *statement_of(const Stmt *s, const ParentMap &pm)
{
	while (const Stmt *p = pm.getParent(s)) {
		if (!isa<Expr>(p))
			break;
		s = p;
	}
	return s;
}

class ContractRules : public RecursiveASTVisitor<ContractRules> {
public:
	ContractRules(Env &env, FunctionDecl *fd)
		: env_(env), fd_(fd), pm_(fd->getBody())
	{
	}

	bool VisitStmt(Stmt *s)
	{
		Clause c = classify_clause(s);
		if (c.kind == ClauseKind::None)
			return true;
		if (c.cond && c.cond->HasSideEffects(env_.ctx))
			env_.rep.report(c.cond->getExprLoc(), Diag::ContractEffects)
				<< clause_name(c.kind);
		check_place(s, c.kind);
		if (c.kind == ClauseKind::Ensures)
			saw_ensures_ = s;
		if (c.kind == ClauseKind::Result)
			result_ = c.result;
		return true;
	}

	void finish()
	{
		if (!saw_ensures_ || fd_->getReturnType()->isVoidType())
			return;
		if (!result_) {
			env_.rep.report(saw_ensures_->getBeginLoc(),
					Diag::ContractResult);
			return;
		}
		QualType want = fd_->getReturnType().getCanonicalType();
		QualType have = result_->getType().getCanonicalType();
		if (want.getUnqualifiedType() != have.getUnqualifiedType())
			env_.rep.report(result_->getLocation(), Diag::ResultType)
				<< result_->getType() << fd_->getReturnType();
	}

private:
	// Clauses other than an invariant must come first in the body, after
	// other clauses only.
	bool leads_body(const Stmt *st)
	{
		const auto *body = dyn_cast<CompoundStmt>(fd_->getBody());
		if (!body)
			return false;
		for (const Stmt *c : body->body()) {
			if (c == st)
				return true;
			if (classify_statement(c).kind == ClauseKind::None)
				return false;
		}
		return false;
	}

	bool leads_loop(const Stmt *st)
	{
		const Stmt *p = pm_.getParent(st);
		if (const auto *cs = dyn_cast_or_null<CompoundStmt>(p)) {
			if (cs->body_empty() || cs->body_front() != st)
				return false;
			st = cs;
			p = pm_.getParent(cs);
		}
		return p && is_loop(p);
	}

	void check_place(const Stmt *s, ClauseKind k)
	{
		const Stmt *st = statement_of(s, pm_);
		bool loop = k == ClauseKind::Invariant;
		bool ok = loop ? leads_loop(st) : leads_body(st);
		if (!ok)
			env_.rep.report(s->getBeginLoc(), Diag::ContractPlace)
				<< clause_name(k) << loop;
	}

	Env &env_;
	FunctionDecl *fd_;
	ParentMap pm_;
	const Stmt *saw_ensures_ = nullptr;
	const VarDecl *result_ = nullptr;
};

class EnsuresRewriter : public RecursiveASTVisitor<EnsuresRewriter> {
public:
	EnsuresRewriter(Env &env, FunctionDecl *fd) : env_(env), fd_(fd) {}

	bool VisitStmt(Stmt *s)
	{
		Clause c = classify_clause(s);
		if (c.kind == ClauseKind::Ensures)
			checks_.push_back(c.check);
		if (c.kind == ClauseKind::Result)
			result_ = c.result;
		if (auto *rs = dyn_cast<ReturnStmt>(s))
			returns_.push_back(rs);
		return true;
	}

	void rewrite()
	{
		if (checks_.empty())
			return;
		ParentMap pm(fd_->getBody());
		for (ReturnStmt *rs : returns_) {
			if (rs->getRetValue())
				rewrite_value(rs);
			else
				rewrite_void(rs, pm);
		}
		if (fd_->getReturnType()->isVoidType())
			append_checks();
	}

private:
	void rewrite_value(ReturnStmt *rs)
	{
		if (!result_)
			return;
		Sema &sema = env_.ci.getSema();
		SourceLocation loc = rs->getReturnLoc();
		auto ref = [&]() {
			return sema.BuildDeclRefExpr(const_cast<VarDecl *>(result_),
						     result_->getType(), VK_LValue,
						     loc);
		};
		ExprResult e = sema.BuildBinOp(nullptr, loc, BO_Assign, ref(),
					       rs->getRetValue());
		for (Expr *check : checks_)
			if (e.isUsable())
				e = sema.BuildBinOp(nullptr, loc, BO_Comma, e.get(),
						    check);
		if (e.isUsable())
			e = sema.BuildBinOp(nullptr, loc, BO_Comma, e.get(), ref());
		if (e.isUsable())
			rs->setRetValue(e.get());
	}

	CompoundStmt *with_checks(llvm::ArrayRef<Stmt *> before,
				  llvm::ArrayRef<Stmt *> after,
				  SourceLocation l, SourceLocation r)
	{
		std::vector<Stmt *> all(before.begin(), before.end());
		all.insert(all.end(), checks_.begin(), checks_.end());
		all.insert(all.end(), after.begin(), after.end());
		return CompoundStmt::Create(env_.ctx, all, l, r);
	}

	void rewrite_void(ReturnStmt *rs, const ParentMap &pm)
	{
		Stmt *parent = pm.getParent(rs);
		if (!parent)
			return;
		SourceLocation loc = rs->getReturnLoc();
		CompoundStmt *cs = with_checks({}, {rs}, loc, loc);
		for (Stmt *&child : parent->children())
			if (child == rs)
				child = cs;
	}

	void append_checks()
	{
		auto *body = dyn_cast<CompoundStmt>(fd_->getBody());
		if (!body)
			return;
		std::vector<Stmt *> old(body->body_begin(), body->body_end());
		fd_->setBody(with_checks(old, {}, body->getLBracLoc(),
					 body->getRBracLoc()));
	}

	Env &env_;
	FunctionDecl *fd_;
	std::vector<Expr *> checks_;
	std::vector<ReturnStmt *> returns_;
	const VarDecl *result_ = nullptr;
};

} // namespace

void check_contracts(Env &env, FunctionDecl *fd)
{
	ContractRules r(env, fd);
	r.TraverseStmt(fd->getBody());
	r.finish();
}

void rewrite_ensures(Env &env, FunctionDecl *fd)
{
	EnsuresRewriter r(env, fd);
	r.TraverseStmt(fd->getBody());
	r.rewrite();
}

} // namespace sipcheck
