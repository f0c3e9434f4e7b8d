// SPDX-License-Identifier: MIT
// sipcheck: the clang plugin that enforces the checked C subset of SIPs
// (docs/checked-c.md). This file registers the plugin, parses its arguments
// and runs the passes of passes.h on each top-level declaration, ahead of
// code generation. Arguments (-fplugin-arg-sipcheck-<arg>):
//   allow-imports  the translation unit is libsip and may import the kernel
//   no-rewrite     check only; insert no run-time checks
#include "diag.h"
#include "passes.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/FrontendPluginRegistry.h"

#include <memory>

namespace sipcheck {

namespace {

using namespace clang;

class Consumer : public ASTConsumer {
public:
	Consumer(CompilerInstance &ci, const Options &opts)
		: ci_(ci), opts_(opts), rep_(ci.getDiagnostics())
	{
	}

	bool HandleTopLevelDecl(DeclGroupRef group) override
	{
		for (Decl *d : group)
			handle_decl(d);
		return true;
	}

private:
	void handle_decl(Decl *d)
	{
		ASTContext &ctx = d->getASTContext();
		const SourceManager &sm = ctx.getSourceManager();
		if (d->isImplicit() || d->isInvalidDecl() ||
		    sm.isInSystemHeader(d->getLocation()))
			return;
		Env env{ci_, ctx, rep_, opts_};
		check_decls(env, d);
		check_exprs(env, d);
		auto *fd = dyn_cast<FunctionDecl>(d);
		if (!fd || !fd->doesThisDeclarationHaveABody())
			return;
		check_bounds(env, fd);
		check_contracts(env, fd);
		// Contract headers and libsip wrap raw handles in inline
		// functions; linearity is checked in the SIP's own source.
		if (sm.isInMainFile(sm.getExpansionLoc(fd->getLocation())))
			check_linear(env, fd);
		check_nullness(env, fd);
		// Rewrite only code that is known good: Sema must not see
		// half-broken trees.
		if (opts_.no_rewrite || ci_.getDiagnostics().hasErrorOccurred())
			return;
		rewrite_bounds(env, fd);
		rewrite_ensures(env, fd);
	}

	CompilerInstance &ci_;
	Options opts_;
	Reporter rep_;
};

class Action : public PluginASTAction {
protected:
	std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &ci,
						       llvm::StringRef) override
	{
		return std::make_unique<Consumer>(ci, opts_);
	}

	bool ParseArgs(const CompilerInstance &ci,
		       const std::vector<std::string> &args) override
	{
		for (const std::string &a : args) {
			if (a == "allow-imports") {
				opts_.allow_imports = true;
			} else if (a == "no-rewrite") {
				opts_.no_rewrite = true;
			} else {
				DiagnosticsEngine &de = ci.getDiagnostics();
				unsigned id = de.getDiagnosticIDs()->getCustomDiagID(
					DiagnosticIDs::Error,
					"sipcheck: unknown plugin argument '%0'");
				de.Report(id) << a;
				return false;
			}
		}
		return true;
	}

	// Run ahead of code generation, whatever the command line says.
	ActionType getActionType() override
	{
		return AddBeforeMainAction;
	}

private:
	Options opts_;
};

} // namespace

} // namespace sipcheck

static clang::FrontendPluginRegistry::Add<sipcheck::Action>
	sipcheck_registration("sipcheck", "enforce the checked C subset of SIPs");
