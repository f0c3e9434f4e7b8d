// SPDX-License-Identifier: MIT
// sipcheck type and annotation predicates: which types are linear handles
// (ISOLA_LINEAR from isola/linear.h), which structs carry them (received
// messages), and the SIP_* annotations from sip/check.h.
#ifndef SIPCHECK_TYPES_H
#define SIPCHECK_TYPES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Type.h"
#include "clang/Basic/SourceManager.h"

#include <string>

namespace sipcheck {

// True if `d` carries __attribute__((annotate(name))).
bool has_annotation(const clang::Decl *d, llvm::StringRef name);

// The argument of an annotation that starts with `prefix`, or "".
llvm::StringRef annotation_arg(const clang::Decl *d, llvm::StringRef prefix);

// A struct type marked ISOLA_LINEAR (an exchange-heap block or an endpoint).
bool is_linear(clang::QualType t);

// A struct or union that is not linear itself but has linear fields,
// directly or nested: a received message (a tag and a union of variants),
// a message payload, a pair of new endpoints.
bool is_carrier(clang::QualType t);

// A record whose handle-holding fields are the variants of a message: a
// union, or a struct with a field of enum type (the tag).
bool has_variants(const clang::RecordDecl *rd);

// Linear or carrier, or an array of either.
bool holds_linear(clang::QualType t);

// A pointer type at any depth whose pointee holds linear handles.
bool points_to_linear(clang::QualType t);

// A parameter marked ISOLA_BORROWED.
bool is_borrowed(const clang::ParmVarDecl *p);

// The function a call names directly, or null for calls through pointers.
const clang::FunctionDecl *direct_callee(const clang::CallExpr *call);

// The callee of a call whose result may be null (SIP_NULLABLE or the C
// allocators).
bool returns_nullable(const clang::CallExpr *call);

// True if `loc` is written in the SIP's own source file (or expands from a
// macro used there). Included headers, that is the contract headers that
// contractc generates and libsip's, are trusted to wrap raw handles: the
// linear-handle rules apply to the main file only.
bool in_main_file(const clang::SourceManager &sm, clang::SourceLocation loc);

// The variable an expression names after parentheses and implicit casts.
const clang::VarDecl *named_var(const clang::Expr *e);

} // namespace sipcheck

#endif
