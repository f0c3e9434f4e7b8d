// SPDX-License-Identifier: MIT
// Declaration rules of the checked C subset (docs/checked-c.md): unions that
// hold pointers or handles (CC003), variadic definitions (CC004), functions
// without prototypes (CC005), file-scope assembly (CC006), linear handles in
// ordinary memory (CC010), kernel imports outside libsip (CC011) and local
// pointers declared without an initializer (CC012). The handle rules apply
// to declarations in the SIP's own file; included headers are trusted.
#include "passes.h"
#include "types.h"

#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"

namespace sipcheck {

namespace {

using namespace clang;

bool has_pointer(QualType t, unsigned depth)
{
	QualType c = t.getCanonicalType();
	if (depth > 8)
		return false;
	if (c->isPointerType())
		return true;
	if (const ArrayType *at = c->getAsArrayTypeUnsafe())
		return has_pointer(at->getElementType(), depth + 1);
	const auto *rt = c->getAs<RecordType>();
	if (!rt || !rt->getDecl()->getDefinition())
		return false;
	for (const FieldDecl *f : rt->getDecl()->getDefinition()->fields())
		if (has_pointer(f->getType(), depth + 1))
			return true;
	return false;
}

class DeclRules : public RecursiveASTVisitor<DeclRules> {
public:
	explicit DeclRules(Env &env) : env_(env) {}

	bool VisitRecordDecl(RecordDecl *rd)
	{
		if (!rd->isUnion() || !rd->isThisDeclarationADefinition())
			return true;
		bool own = mine(rd);
		for (const FieldDecl *f : rd->fields()) {
			bool handle = own && holds_linear(f->getType());
			if (!handle && !has_pointer(f->getType(), 0))
				continue;
			env_.rep.report(f->getLocation(), Diag::UnionPtr)
				<< env_.ctx.getRecordType(rd) << handle
				<< f->getName();
		}
		return true;
	}

	bool VisitFunctionDecl(FunctionDecl *fd)
	{
		if (fd->isImplicit())
			return true;
		if (fd->isVariadic() && fd->doesThisDeclarationHaveABody())
			env_.rep.report(fd->getLocation(), Diag::Variadic)
				<< fd->getName();
		if (!fd->hasWrittenPrototype())
			report_no_proto(fd);
		bool import = fd->hasAttr<WebAssemblyImportModuleAttr>() ||
			      fd->hasAttr<WebAssemblyImportNameAttr>();
		if (import && !env_.opts.allow_imports)
			env_.rep.report(fd->getLocation(), Diag::KernelImport)
				<< fd->getName();
		if (mine(fd) && points_to_linear(fd->getReturnType()))
			env_.rep.report(fd->getLocation(), Diag::Store)
				<< fd->getReturnType() << "memory behind a pointer";
		return true;
	}

	bool VisitDeclaratorDecl(DeclaratorDecl *dd)
	{
		QualType t = dd->getType();
		if (!mine(dd))
			return true;
		if (points_to_linear(t))
			env_.rep.report(dd->getLocation(), Diag::Store)
				<< t << "memory behind a pointer";
		else if (t->isArrayType() && holds_linear(t))
			env_.rep.report(dd->getLocation(), Diag::Store)
				<< t << "an array";
		else if (isa<FieldDecl>(dd) && holds_linear(t) &&
			 !cast<FieldDecl>(dd)->getParent()->isUnion())
			env_.rep.report(dd->getLocation(), Diag::Store)
				<< t << "a struct field";
		return true;
	}

	bool VisitVarDecl(VarDecl *vd)
	{
		if (mine(vd) && vd->hasGlobalStorage() &&
		    holds_linear(vd->getType()))
			env_.rep.report(vd->getLocation(), Diag::Store)
				<< vd->getType() << "a global or static variable";
		if (is_uninit_local_pointer(vd))
			report_uninit(vd);
		return true;
	}

	bool VisitFileScopeAsmDecl(FileScopeAsmDecl *d)
	{
		env_.rep.report(d->getBeginLoc(), Diag::InlineAsm);
		return true;
	}

private:
	const SourceManager &sm() const
	{
		return env_.ctx.getSourceManager();
	}

	// The linear-handle rules apply to the SIP's own file (types.h).
	bool mine(const Decl *d) const
	{
		return in_main_file(sm(), d->getLocation());
	}

	void report_no_proto(FunctionDecl *fd)
	{
		auto db = env_.rep.report(fd->getLocation(), Diag::NoProto);
		db << fd->getName();
		FunctionTypeLoc ftl = fd->getFunctionTypeLoc();
		if (ftl && fd->getNumParams() == 0 &&
		    ftl.getRParenLoc().isValid())
			db << FixItHint::CreateInsertion(ftl.getRParenLoc(),
							 "void");
	}

	static bool is_uninit_local_pointer(const VarDecl *vd)
	{
		if (!vd->hasLocalStorage() || isa<ParmVarDecl>(vd) ||
		    vd->hasInit() || !vd->getType()->isPointerType())
			return false;
		return !has_annotation(vd, "isola.result");
	}

	void report_uninit(const VarDecl *vd)
	{
		const SourceManager &sm = env_.ctx.getSourceManager();
		SourceLocation end = Lexer::getLocForEndOfToken(
			vd->getLocation(), 0, sm, env_.ctx.getLangOpts());
		auto db = env_.rep.report(vd->getLocation(), Diag::Uninit);
		db << 0 << vd->getName();
		// NULL needs <stddef.h>; 0 is a null pointer constant anyway.
		bool has_null = env_.ci.getPreprocessor().isMacroDefined("NULL");
		if (end.isValid() && !vd->getLocation().isMacroID())
			db << FixItHint::CreateInsertion(
				end, has_null ? " = NULL" : " = 0");
	}

	Env &env_;
};

} // namespace

void check_decls(Env &env, Decl *d)
{
	DeclRules(env).TraverseDecl(d);
}

} // namespace sipcheck
