// SPDX-License-Identifier: MIT
// The sipcheck passes and the environment every pass takes first. plugin.cpp
// runs them on each top-level declaration as the parser completes it, before
// code generation sees it, so that the rewriting passes (bounds checks and
// postconditions) change the code that is generated.
#ifndef SIPCHECK_PASSES_H
#define SIPCHECK_PASSES_H

#include "diag.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Frontend/CompilerInstance.h"

namespace sipcheck {

struct Options {
	// libsip is the one place that declares kernel imports (CC011).
	bool allow_imports = false;
	// Skip the rewriting passes (syntax-only checks and tests of them).
	bool no_rewrite = false;
};

struct Env {
	clang::CompilerInstance &ci;
	clang::ASTContext &ctx;
	Reporter &rep;
	const Options &opts;
};

// Declaration rules: CC003, CC004, CC005, CC010 (storage), CC011, CC012.
void check_decls(Env &env, clang::Decl *d);
// Expression and statement rules: CC001, CC002, CC006, CC008 (dropped
// results), CC010 (address, stores, copies).
void check_exprs(Env &env, clang::Decl *d);
// CC014 and CC015; rewrite_bounds inserts the run-time index checks.
void check_bounds(Env &env, clang::FunctionDecl *fd);
void rewrite_bounds(Env &env, clang::FunctionDecl *fd);
// CC016 and CC017; rewrite_ensures moves postconditions to every return.
void check_contracts(Env &env, clang::FunctionDecl *fd);
void rewrite_ensures(Env &env, clang::FunctionDecl *fd);
// Flow-sensitive analyses over clang's CFG: CC007-CC009, CC012 (linear) and
// CC013 (null).
void check_linear(Env &env, clang::FunctionDecl *fd);
void check_nullness(Env &env, clang::FunctionDecl *fd);

} // namespace sipcheck

#endif
