// SPDX-License-Identifier: MIT
// Internals of the linear-handle analysis (linear.cpp): the slots it tracks
// in a function and how each use of a handle is classified. A slot is a local
// or parameter of a linear type, or one linear leaf of a message (carrier)
// variable, named by its field path. A leaf inside a variant (types.h,
// has_variants) is latent until the variant is selected.
#ifndef SIPCHECK_LINEAR_H
#define SIPCHECK_LINEAR_H

#include "diag.h"
#include "flow.h"

#include "clang/AST/ParentMap.h"

#include <map>
#include <set>
#include <vector>

namespace sipcheck {

// Fact bits of a linear slot.
enum : unsigned {
	LIN_OWNED = 1,    // this function owns the handle
	LIN_GONE = 2,     // consumed; Fact::at says where, Fact::how how
	LIN_UNSET = 4,    // uninitialized, or a message field not yet taken
	LIN_BORROWED = 8, // an ISOLA_BORROWED parameter: usable, never consumed
	LIN_CANDIDATE = 16, // a message variant that the tag tests so far
			    // have not ruled out
};

// The tracked variables of one function.
struct LinearVars {
	// Every slot with its printable name ("ep", "m.get.ep").
	std::map<Slot, std::string> slots;
	// The message variant of each slot: the path of the variant that holds
	// it, or "" for a slot that is live whenever its variable is.
	std::map<Slot, std::string> group;
	// The slots of each variable.
	std::map<const clang::VarDecl *, std::vector<Slot>> of_var;
	// The tracked variables declared in the same scope as the key (which
	// may itself be untracked).
	std::map<const clang::VarDecl *, std::vector<const clang::VarDecl *>> scope;
	std::vector<const clang::ParmVarDecl *> params;
};

// Collects the linear and message variables of `fd`.
void collect_linear_vars(clang::FunctionDecl *fd, const clang::ParentMap &pm,
			 LinearVars &out);

// The slot an expression denotes: a linear variable, or a linear field of a
// message variable. False for anything else.
bool slot_of(const clang::Expr *e, const LinearVars &vars, Slot &out);

// The message variants that a branch may select: `groups` of variable
// `var`.
struct Selected {
	const clang::VarDecl *var = nullptr;
	// The variant the branch names (`case K:`, `m.tag == K`).
	std::vector<std::string> groups;
	// The variants it leaves possible (`default:`, `m.tag != K`): those
	// not yet ruled out become owned.
	std::vector<std::string> others;
	// The variants it rules out.
	std::vector<std::string> closed;
};

// The variants selected on the edge to successor `succ` of `b`, if its
// terminator tests a message tag (variants.cpp).
bool variant_on_edge(const clang::CFGBlock &b, unsigned succ,
		     const LinearVars &vars, Selected &out);

enum class UseKind { Ignore, Borrow, Consume, AssignTarget };

struct Use {
	UseKind kind = UseKind::Ignore;
	Consume how = Consume::Consumed;
	const clang::FunctionDecl *callee = nullptr;
};

// How `e`, an expression of linear type, is used by its parent.
Use classify_use(const clang::Expr *e, const clang::ParentMap &pm);

} // namespace sipcheck

#endif
