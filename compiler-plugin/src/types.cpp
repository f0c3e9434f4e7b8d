// SPDX-License-Identifier: MIT
// sipcheck type and annotation predicates. Linearity keys on annotations, not
// on type names, so the code contractc generates and hand-written test
// headers are treated alike.
#include "types.h"

#include "clang/AST/Attr.h"

namespace sipcheck {

using namespace clang;

bool has_annotation(const Decl *d, llvm::StringRef name)
{
	if (!d)
		return false;
	for (const auto *a : d->specific_attrs<AnnotateAttr>())
		if (a->getAnnotation() == name)
			return true;
	return false;
}

llvm::StringRef annotation_arg(const Decl *d, llvm::StringRef prefix)
{
	if (!d)
		return "";
	for (const auto *a : d->specific_attrs<AnnotateAttr>())
		if (a->getAnnotation().startswith(prefix))
			return a->getAnnotation().substr(prefix.size());
	return "";
}

static const RecordDecl *record_of(QualType t)
{
	const auto *rt = t.getCanonicalType()->getAs<RecordType>();
	return rt ? rt->getDecl() : nullptr;
}

bool is_linear(QualType t)
{
	const RecordDecl *rd = record_of(t);
	if (!rd)
		return false;
	// The annotation may sit on any redeclaration (forward declarations).
	for (const TagDecl *r : rd->redecls())
		if (has_annotation(r, "isola.linear"))
			return true;
	return false;
}

static bool carrier_depth(QualType t, unsigned depth)
{
	const RecordDecl *rd = record_of(t);
	if (!rd || depth > 8 || is_linear(t))
		return false;
	const RecordDecl *def = rd->getDefinition();
	if (!def)
		return false;
	for (const FieldDecl *f : def->fields())
		if (is_linear(f->getType()) || carrier_depth(f->getType(), depth + 1))
			return true;
	return false;
}

bool is_carrier(QualType t)
{
	return carrier_depth(t, 0);
}

bool has_variants(const RecordDecl *rd)
{
	if (!rd)
		return false;
	if (rd->isUnion())
		return true;
	for (const FieldDecl *f : rd->fields())
		if (f->getType()->isEnumeralType())
			return true;
	return false;
}

bool holds_linear(QualType t)
{
	QualType c = t.getCanonicalType();
	while (const ArrayType *at = c->getAsArrayTypeUnsafe())
		c = at->getElementType().getCanonicalType();
	return is_linear(c) || is_carrier(c);
}

bool points_to_linear(QualType t)
{
	QualType c = t.getCanonicalType();
	while (const ArrayType *at = c->getAsArrayTypeUnsafe())
		c = at->getElementType().getCanonicalType();
	const auto *pt = c->getAs<PointerType>();
	if (!pt)
		return false;
	QualType p = pt->getPointeeType();
	return holds_linear(p) || points_to_linear(p);
}

bool is_borrowed(const ParmVarDecl *p)
{
	return has_annotation(p, "isola.borrowed");
}

const FunctionDecl *direct_callee(const CallExpr *call)
{
	return call->getDirectCallee();
}

bool returns_nullable(const CallExpr *call)
{
	const FunctionDecl *fd = direct_callee(call);
	if (!fd)
		return false;
	if (has_annotation(fd, "isola.nullable"))
		return true;
	for (const FunctionDecl *r : fd->redecls())
		if (has_annotation(r, "isola.nullable"))
			return true;
	if (!fd->getIdentifier())
		return false;
	llvm::StringRef n = fd->getName();
	return n == "malloc" || n == "calloc" || n == "realloc" ||
	       n == "aligned_alloc";
}

bool in_main_file(const SourceManager &sm, SourceLocation loc)
{
	return loc.isValid() && sm.isInMainFile(sm.getExpansionLoc(loc));
}

const VarDecl *named_var(const Expr *e)
{
	if (!e)
		return nullptr;
	const auto *dre = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
	return dre ? dyn_cast<VarDecl>(dre->getDecl()) : nullptr;
}

} // namespace sipcheck
