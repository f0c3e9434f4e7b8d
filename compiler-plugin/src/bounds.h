// SPDX-License-Identifier: MIT
// What bounds a pointer or array in the checked C subset, and how sipcheck
// builds the run-time checks it inserts (calls to the static inline checks
// of sip/check.h). Shared by bounds.cpp (indexing) and counts.cpp
// (SIP_COUNT parameters and the calls that pass them).
#ifndef SIPCHECK_BOUNDS_H
#define SIPCHECK_BOUNDS_H

#include "passes.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

namespace sipcheck {

// What bounds `a` in `a[i]`: a constant array length, or a count parameter.
struct Bound {
	bool known = false;
	llvm::APInt length;
	const clang::ParmVarDecl *count = nullptr;
};

// The count parameter of pointer parameter `p` (its SIP_COUNT names it, on
// any declaration of the function), or null.
const clang::ParmVarDecl *count_param(const clang::ParmVarDecl *p);

// The bound of an expression used as an array or pointer.
Bound bound_of(const clang::Expr *base);

// The name of the variable an expression names, or "expression".
std::string describe(const clang::Expr *e);

// Builds `fn(value, limit, "file", line)` through Sema, with the limit taken
// from `b`; null if Sema refuses.
clang::Expr *build_runtime_check(Env &env, clang::FunctionDecl *fn,
				 clang::Expr *value, const Bound &b);

// The check function `name` of sip/check.h, or null (then reports NoRuntime
// at `where`).
clang::FunctionDecl *runtime_function(Env &env, llvm::StringRef name,
				      clang::SourceLocation where);

// SIP_COUNT rules (counts.cpp): declarations, assignments, call sites.
void check_counts(Env &env, clang::FunctionDecl *fd);
void rewrite_counts(Env &env, clang::FunctionDecl *fd);

} // namespace sipcheck

#endif
