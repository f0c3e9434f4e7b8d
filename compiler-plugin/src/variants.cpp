// SPDX-License-Identifier: MIT
// Which message variant a branch selects. A received message is a struct
// with a tag and one member per message (the variant) holding its handles,
// either as fields of the struct itself or as members of a union in it. On
// the edge of `switch (m.tag)` into `case KV_QUIT:`, or of
// `if (m.tag == KV_QUIT)` into its true arm, the variant for KV_QUIT is
// live: its handles become owned there, so forgetting one is a leak. On a
// `default:` arm (or past a switch without one) and on the false edge of
// `m.tag == KV_QUIT`, every variant not named may be live: a message that
// the code does not handle by name leaks its handles there. Each edge also
// closes the variants it rules out, so a chain of tests stays precise. A
// variant matches a tag constant through an "isola.tag:NAME" annotation on
// its field, or by name: `quit` matches `QUIT` and `KV_QUIT`.
#include "linear.h"
#include "types.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

#include <set>

namespace sipcheck {

using namespace clang;

namespace {

// The message variable whose tag `e` reads, or null.
const VarDecl *tag_owner(const Expr *e, const LinearVars &vars)
{
	const auto *me = e ? dyn_cast<MemberExpr>(e->IgnoreParenImpCasts()) : nullptr;
	if (!me || me->isArrow() || holds_linear(me->getType()))
		return nullptr;
	const VarDecl *vd = named_var(me->getBase());
	if (!vd || !is_carrier(vd->getType()) || !vars.of_var.count(vd))
		return nullptr;
	return vd;
}

const EnumConstantDecl *enum_const(const Expr *e)
{
	const auto *dre = e ? dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()) : nullptr;
	return dre ? dyn_cast<EnumConstantDecl>(dre->getDecl()) : nullptr;
}

// How well variant field `f` matches tag constant `tag`: 0 for not at all,
// else the length of the matched name (the longest match wins, so that
// `ready_get` beats `get` for READY_GET).
size_t field_match(const FieldDecl *f, const EnumConstantDecl *tag)
{
	llvm::StringRef want = annotation_arg(f, "isola.tag:");
	if (!want.empty())
		return want == tag->getName() ? 1000 : 0;
	std::string field = f->getName().lower();
	std::string name = tag->getName().lower();
	if (field.empty())
		return 0;
	if (name == field ||
	    (name.size() > field.size() &&
	     llvm::StringRef(name).endswith("_" + field)))
		return field.size();
	return 0;
}

// Finds the variant of `rd` (at any depth) that best matches `tag`;
// `path` is the field path of `rd` inside the message variable.
void find_variant(const RecordDecl *rd, const std::string &path,
		  const EnumConstantDecl *tag, unsigned depth,
		  std::string &group, size_t &best)
{
	if (!rd || depth > 8)
		return;
	for (const FieldDecl *f : rd->fields()) {
		if (!holds_linear(f->getType()))
			continue;
		std::string p = path.empty() ? "" : path + ".";
		p += std::to_string(f->getFieldIndex());
		bool variant = has_variants(rd) && !f->getType()->isUnionType();
		size_t score = variant ? field_match(f, tag) : 0;
		if (score > best) {
			best = score;
			group = p;
		}
		const auto *rt = f->getType().getCanonicalType()->getAs<RecordType>();
		if (rt && !is_linear(f->getType()))
			find_variant(rt->getDecl()->getDefinition(), p, tag,
				     depth + 1, group, best);
	}
}

// The group (the path of the variant) of `tag` in `vd`'s message type.
bool group_of(const VarDecl *vd, const EnumConstantDecl *tag,
	      std::string &group)
{
	const auto *rt = vd->getType().getCanonicalType()->getAs<RecordType>();
	size_t best = 0;
	if (rt)
		find_variant(rt->getDecl()->getDefinition(), "", tag, 0, group,
			     best);
	return best > 0;
}

// Every variant of `vd` except those in `skip`.
std::vector<std::string> other_variants(const VarDecl *vd,
					const LinearVars &vars,
					const std::set<std::string> &skip)
{
	std::set<std::string> all;
	auto it = vars.of_var.find(vd);
	if (it != vars.of_var.end())
		for (const Slot &sl : it->second) {
			const std::string &g = vars.group.at(sl);
			if (!g.empty() && !skip.count(g))
				all.insert(g);
		}
	return std::vector<std::string>(all.begin(), all.end());
}

// The variants a case label stands for, and those of every label of `sw`.
void case_variants(const VarDecl *vd, const SwitchCase *sc,
		   std::set<std::string> &out)
{
	for (; sc; sc = sc->getNextSwitchCase()) {
		const auto *cs = dyn_cast<CaseStmt>(sc);
		const EnumConstantDecl *tag = cs ? enum_const(cs->getLHS()) : nullptr;
		std::string g;
		if (tag && group_of(vd, tag, g))
			out.insert(g);
	}
}

// A case arm selects its tag's variant; the default arm, or the way past a
// switch without one, selects every variant that no case names.
bool from_switch(const SwitchStmt *sw, const CFGBlock &b, unsigned succ,
		 const LinearVars &vars, Selected &out)
{
	const VarDecl *vd = tag_owner(sw->getCond(), vars);
	if (!vd || succ >= b.succ_size())
		return false;
	const CFGBlock *dest = (b.succ_begin() + succ)->getReachableBlock();
	if (!dest)
		return false;
	out.var = vd;
	std::set<std::string> named;
	if (const auto *cs = dyn_cast_or_null<CaseStmt>(dest->getLabel())) {
		const EnumConstantDecl *tag = enum_const(cs->getLHS());
		std::string g;
		if (tag && group_of(vd, tag, g)) {
			out.groups.push_back(g);
			named.insert(g);
		}
		out.closed = other_variants(vd, vars, named);
		return true;
	}
	case_variants(vd, sw->getSwitchCaseList(), named);
	out.others = other_variants(vd, vars, named);
	out.closed.assign(named.begin(), named.end());
	return true;
}

// `m.tag == K` selects K's variant on the true edge and every other one on
// the false edge, ruling out the rest; `!=` the other way round.
bool from_compare(const Expr *cond, unsigned succ, const LinearVars &vars,
		  Selected &out)
{
	const auto *bo = cond ? dyn_cast<BinaryOperator>(cond->IgnoreParenImpCasts())
			      : nullptr;
	if (!bo || (bo->getOpcode() != BO_EQ && bo->getOpcode() != BO_NE) ||
	    succ > 1)
		return false;
	const Expr *lhs = bo->getLHS(), *rhs = bo->getRHS();
	if (!tag_owner(lhs, vars))
		std::swap(lhs, rhs);
	const VarDecl *vd = tag_owner(lhs, vars);
	const EnumConstantDecl *tag = enum_const(rhs);
	if (!vd || !tag)
		return false;
	std::set<std::string> mine;
	std::string g;
	if (group_of(vd, tag, g))
		mine.insert(g);
	std::vector<std::string> one(mine.begin(), mine.end());
	std::vector<std::string> rest = other_variants(vd, vars, mine);
	bool is_tag = (bo->getOpcode() == BO_EQ) == (succ == 0);
	out.var = vd;
	if (is_tag)
		out.groups = one;
	else
		out.others = rest;
	out.closed = is_tag ? rest : one;
	return true;
}

} // namespace

bool variant_on_edge(const CFGBlock &b, unsigned succ, const LinearVars &vars,
		     Selected &out)
{
	if (const auto *sw = dyn_cast_or_null<SwitchStmt>(b.getTerminatorStmt()))
		return from_switch(sw, b, succ, vars, out);
	const Stmt *cond = b.getTerminatorCondition();
	return from_compare(dyn_cast_or_null<Expr>(cond), succ, vars, out);
}

} // namespace sipcheck
