// SPDX-License-Identifier: MIT
// Recognises the contract statements of sip/check.h after macro expansion
// (see contracts.h for their shapes).
#include "contracts.h"
#include "types.h"

#include "clang/AST/Expr.h"

namespace sipcheck {

using namespace clang;

namespace {

bool calls(const Expr *e, llvm::StringRef name)
{
	const auto *call = e ? dyn_cast<CallExpr>(e->IgnoreParenCasts()) : nullptr;
	const FunctionDecl *fd = call ? call->getDirectCallee() : nullptr;
	return fd && fd->getIdentifier() && fd->getName() == name;
}

Clause classify_conditional(const ConditionalOperator *co)
{
	Clause c;
	if (!calls(co->getFalseExpr(), "sip_contract_failed"))
		return c;
	const auto *call = cast<CallExpr>(co->getFalseExpr()->IgnoreParenCasts());
	if (call->getNumArgs() < 1)
		return c;
	const auto *what =
		dyn_cast<StringLiteral>(call->getArg(0)->IgnoreParenImpCasts());
	if (!what)
		return c;
	if (what->getString().startswith("requires "))
		c.kind = ClauseKind::Requires;
	else if (what->getString().startswith("invariant "))
		c.kind = ClauseKind::Invariant;
	c.cond = co->getCond();
	return c;
}

Clause classify_do(const DoStmt *ds)
{
	Clause c;
	const auto *body = dyn_cast<CompoundStmt>(ds->getBody());
	if (!body || body->size() != 1)
		return c;
	const auto *is = dyn_cast<IfStmt>(body->body_front());
	const auto *zero = is ? dyn_cast<IntegerLiteral>(is->getCond()->IgnoreParenImpCasts())
			      : nullptr;
	if (!zero || zero->getValue() != 0 || !is->getThen())
		return c;
	auto *then = dyn_cast<Expr>(const_cast<Stmt *>(is->getThen()));
	if (!then || !calls(then, "sip_ensures_check_"))
		return c;
	auto *call = cast<CallExpr>(then->IgnoreParenCasts());
	c.kind = ClauseKind::Ensures;
	c.cond = call->getArg(0)->IgnoreParenImpCasts();
	c.check = call;
	return c;
}

} // namespace

Clause classify_clause(const Stmt *s)
{
	if (!s)
		return Clause{};
	if (const auto *co = dyn_cast<ConditionalOperator>(s))
		return classify_conditional(co);
	if (const auto *ds = dyn_cast<DoStmt>(s))
		return classify_do(ds);
	if (const auto *decl = dyn_cast<DeclStmt>(s)) {
		const auto *vd = decl->isSingleDecl()
			? dyn_cast<VarDecl>(decl->getSingleDecl()) : nullptr;
		Clause c;
		if (vd && has_annotation(vd, "isola.result")) {
			c.kind = ClauseKind::Result;
			c.result = vd;
		}
		return c;
	}
	return Clause{};
}

Clause classify_statement(const Stmt *s)
{
	if (const auto *e = dyn_cast_or_null<Expr>(s))
		s = e->IgnoreParens();
	return classify_clause(s);
}

const char *clause_name(ClauseKind k)
{
	switch (k) {
	case ClauseKind::Requires:
		return "SIP_REQUIRES";
	case ClauseKind::Invariant:
		return "SIP_INVARIANT";
	case ClauseKind::Ensures:
		return "SIP_ENSURES";
	case ClauseKind::Result:
		return "SIP_RESULT";
	case ClauseKind::None:
		break;
	}
	return "contract";
}

} // namespace sipcheck
