// SPDX-License-Identifier: MIT
// The linear-handle analysis' view of a function: which variables and message
// fields it tracks, which scope each belongs to, and how each use of a handle
// is classified (borrowed, consumed, or the target of an assignment).
// Passing a handle by value consumes it unless the parameter is
// ISOLA_BORROWED; returning it moves it to the caller.
#include "linear.h"
#include "types.h"

#include "clang/AST/RecursiveASTVisitor.h"

namespace sipcheck {

using namespace clang;

namespace {

// Records the linear leaves of a message type. Each handle-holding member of
// a union or of a tagged struct is a variant: the leaves under it carry the
// member's path as their group.
void add_leaves(const VarDecl *vd, QualType t, const std::string &path,
		const std::string &name, const std::string &group,
		LinearVars &out, unsigned depth)
{
	const auto *rt = t.getCanonicalType()->getAs<RecordType>();
	const RecordDecl *rd = rt ? rt->getDecl()->getDefinition() : nullptr;
	if (!rd || depth > 8)
		return;
	for (const FieldDecl *f : rd->fields()) {
		std::string p = path.empty() ? "" : path + ".";
		p += std::to_string(f->getFieldIndex());
		std::string n = name + "." + f->getName().str();
		// A union inside a tagged struct is not a variant itself: its
		// members are.
		bool variant = group.empty() && has_variants(rd) &&
			       !f->getType()->isUnionType();
		std::string g = variant ? p : group;
		if (is_linear(f->getType())) {
			Slot s{vd, p};
			out.slots[s] = n;
			out.group[s] = g;
			out.of_var[vd].push_back(s);
		} else if (is_carrier(f->getType())) {
			add_leaves(vd, f->getType(), p, n, g, out, depth + 1);
		}
	}
}

void add_var(const VarDecl *vd, LinearVars &out)
{
	QualType t = vd->getType();
	if (is_linear(t)) {
		Slot s{vd, ""};
		out.slots[s] = vd->getName().str();
		out.group[s] = "";
		out.of_var[vd].push_back(s);
	} else if (is_carrier(t)) {
		add_leaves(vd, t, "", vd->getName().str(), "", out, 0);
	}
}

class Collector : public RecursiveASTVisitor<Collector> {
public:
	Collector(const ParentMap &pm, LinearVars &out) : pm_(pm), out_(out) {}

	bool VisitDeclStmt(DeclStmt *ds)
	{
		const Stmt *scope = pm_.getParent(ds);
		for (const Decl *d : ds->decls()) {
			const auto *vd = dyn_cast<VarDecl>(d);
			if (!vd || !vd->hasLocalStorage())
				continue;
			add_var(vd, out_);
			all_[scope].push_back(vd);
			if (out_.of_var.count(vd))
				tracked_[scope].push_back(vd);
		}
		return true;
	}

	// The CFG names a scope by any one of its variables, tracked or not.
	void finish()
	{
		for (const auto &kv : all_)
			for (const VarDecl *vd : kv.second)
				out_.scope[vd] = tracked_[kv.first];
	}

private:
	const ParentMap &pm_;
	LinearVars &out_;
	std::map<const Stmt *, std::vector<const VarDecl *>> all_;
	std::map<const Stmt *, std::vector<const VarDecl *>> tracked_;
};

Consume consume_kind(const FunctionDecl *fd)
{
	if (fd && fd->getIdentifier() && fd->getName().contains("send"))
		return Consume::Sent;
	return Consume::Consumed;
}

bool param_is_borrowed(const FunctionDecl *fd, unsigned i)
{
	for (const FunctionDecl *r : fd->redecls())
		if (i < r->getNumParams() && is_borrowed(r->getParamDecl(i)))
			return true;
	return false;
}

Use classify_call_arg(const Expr *e, const CallExpr *call)
{
	Use u;
	u.callee = call->getDirectCallee();
	if (call->getCallee()->IgnoreParenImpCasts() == e)
		return u;
	unsigned i = 0;
	for (const Expr *arg : call->arguments()) {
		if (arg->IgnoreParenImpCasts() == e)
			break;
		i++;
	}
	bool borrowed = u.callee && param_is_borrowed(u.callee, i);
	u.kind = borrowed ? UseKind::Borrow : UseKind::Consume;
	u.how = consume_kind(u.callee);
	return u;
}

} // namespace

void collect_linear_vars(FunctionDecl *fd, const ParentMap &pm, LinearVars &out)
{
	for (const ParmVarDecl *p : fd->parameters()) {
		add_var(p, out);
		if (out.of_var.count(p))
			out.params.push_back(p);
	}
	Collector c(pm, out);
	c.TraverseStmt(fd->getBody());
	c.finish();
}

bool slot_of(const Expr *e, const LinearVars &vars, Slot &out)
{
	if (!is_linear(e->getType()))
		return false;
	std::string path;
	e = e->IgnoreParens();
	while (const auto *me = dyn_cast<MemberExpr>(e)) {
		const auto *f = dyn_cast<FieldDecl>(me->getMemberDecl());
		if (!f || me->isArrow())
			return false;
		std::string idx = std::to_string(f->getFieldIndex());
		path = path.empty() ? idx : idx + "." + path;
		e = me->getBase()->IgnoreParens();
	}
	const auto *dre = dyn_cast<DeclRefExpr>(e);
	const auto *vd = dre ? dyn_cast<VarDecl>(dre->getDecl()) : nullptr;
	if (!vd)
		return false;
	Slot s{vd, path};
	if (!vars.slots.count(s))
		return false;
	out = s;
	return true;
}

Use classify_use(const Expr *e, const ParentMap &pm)
{
	Use u;
	const Stmt *p = pm.getParentIgnoreParenImpCasts(const_cast<Expr *>(e));
	if (!p)
		return u;
	if (const auto *call = dyn_cast<CallExpr>(p))
		return classify_call_arg(e, call);
	if (isa<ReturnStmt>(p)) {
		u.kind = UseKind::Consume;
		u.how = Consume::Returned;
	} else if (const auto *bo = dyn_cast<BinaryOperator>(p)) {
		bool target = bo->isAssignmentOp() &&
			      bo->getLHS()->IgnoreParenImpCasts() == e;
		u.kind = target ? UseKind::AssignTarget : UseKind::Consume;
		u.how = Consume::Moved;
	} else if (isa<DeclStmt>(p)) {
		u.kind = UseKind::Consume;
		u.how = Consume::Moved;
	} else if (isa<MemberExpr>(p) || isa<CStyleCastExpr>(p)) {
		u.kind = UseKind::Borrow;
	} else if (const auto *uo = dyn_cast<UnaryOperator>(p)) {
		// Taking the address is CC010, reported by rules_expr.cpp;
		// the handle escapes, so it counts as moved.
		u.kind = UseKind::Consume;
		u.how = uo->getOpcode() == UO_AddrOf ? Consume::Moved
						     : Consume::Consumed;
	} else {
		u.kind = UseKind::Consume;
	}
	return u;
}

} // namespace sipcheck
