// SPDX-License-Identifier: MIT
// Recognising the contract statements of sip/check.h in the AST after macro
// expansion: SIP_REQUIRES and SIP_INVARIANT are a conditional whose false arm
// calls sip_contract_failed("requires ...", ...); SIP_ENSURES is a do-while
// holding `if (0) sip_ensures_check_(cond, ...)`; SIP_RESULT is a variable
// annotated "isola.result".
#ifndef SIPCHECK_CONTRACTS_H
#define SIPCHECK_CONTRACTS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"

namespace sipcheck {

enum class ClauseKind { None, Requires, Invariant, Ensures, Result };

struct Clause {
	ClauseKind kind = ClauseKind::None;
	// The condition as written (requires, invariant, ensures).
	const clang::Expr *cond = nullptr;
	// The check call to run at each return (ensures).
	clang::Expr *check = nullptr;
	// The result variable (result).
	const clang::VarDecl *result = nullptr;
};

// What contract clause `s` is, if any. For a requires or invariant, `s` is
// the conditional operator; for an ensures the do statement; for a result
// the declaration statement.
Clause classify_clause(const clang::Stmt *s);

// The same for a whole statement of a block: looks through parentheses.
Clause classify_statement(const clang::Stmt *s);

// "SIP_REQUIRES" and so on, for diagnostics.
const char *clause_name(ClauseKind k);

} // namespace sipcheck

#endif
