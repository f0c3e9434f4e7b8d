// SPDX-License-Identifier: MIT
// sipcheck diagnostics: registers one custom clang diagnostic per entry of
// SIPCHECK_DIAGS, with the rule ID in brackets at the start of the text.
#include "diag.h"

#include "clang/Basic/DiagnosticIDs.h"

#include <string>

namespace sipcheck {

namespace {

struct DiagInfo {
	const char *id;
	clang::DiagnosticsEngine::Level level;
	const char *text;
};

const DiagInfo kDiags[] = {
#define SIPCHECK_INFO(name, id, level, text)                                   \
	{id, clang::DiagnosticsEngine::level, text},
	SIPCHECK_DIAGS(SIPCHECK_INFO)
#undef SIPCHECK_INFO
};

} // namespace

Reporter::Reporter(clang::DiagnosticsEngine &de) : de_(de)
{
	static_assert(sizeof(kDiags) / sizeof(kDiags[0]) <= 64,
		      "Reporter::ids_ is too small");
	unsigned i = 0;
	for (const DiagInfo &d : kDiags) {
		std::string text = d.text;
		if (d.id[0] != '\0')
			text = std::string("[") + d.id + "] " + text;
		ids_[i++] = de_.getDiagnosticIDs()->getCustomDiagID(
			static_cast<clang::DiagnosticIDs::Level>(d.level), text);
	}
}

clang::DiagnosticBuilder Reporter::report(clang::SourceLocation loc, Diag d)
{
	return de_.Report(loc, ids_[static_cast<unsigned>(d)]);
}

} // namespace sipcheck
