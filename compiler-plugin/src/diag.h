// SPDX-License-Identifier: MIT
// sipcheck diagnostics: one entry per rule of the checked C subset, each with
// its stable ID (docs/checked-c.md), reported through clang's own diagnostic
// engine so that the text, carets, notes and fix-its look like clang's.
#ifndef SIPCHECK_DIAG_H
#define SIPCHECK_DIAG_H

#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"

namespace sipcheck {

// X(name, id, level, text): the message takes clang %0-style arguments.
#define SIPCHECK_DIAGS(X)                                                     \
	X(IntToPtr, "CC001", Error,                                            \
	  "cast from integer type %0 to pointer type %1")                     \
	X(PtrCast, "CC002", Error,                                             \
	  "cast between unrelated pointer types %0 and %1")                   \
	X(UnionPtr, "CC003", Error,                                            \
	  "union %0 holds a %select{pointer|linear handle}1 in field '%2'")   \
	X(Variadic, "CC004", Error,                                            \
	  "variadic function '%0' cannot be defined in checked C")             \
	X(NoProto, "CC005", Error, "function '%0' has no prototype")          \
	X(SetJmp, "CC006", Error, "'%0' is not allowed in checked C")         \
	X(ComputedGoto, "CC006", Error,                                       \
	  "computed goto is not allowed in checked C")                        \
	X(InlineAsm, "CC006", Error,                                           \
	  "inline assembly is not allowed in checked C")                      \
	X(UseAfter, "CC007", Error,                                            \
	  "linear handle '%0' used after it was %select{sent|consumed|moved|returned}1") \
	X(MaybeUseAfter, "CC007", Error,                                       \
	  "linear handle '%0' may have been consumed on some path before "     \
	  "this use")                                                         \
	X(BorrowConsumed, "CC007", Error,                                      \
	  "borrowed handle '%0' cannot be consumed; the caller still owns it") \
	X(Leak, "CC008", Error,                                                \
	  "linear handle '%0' is not consumed%select{| on every path}1 "      \
	  "before it goes out of scope; send, free or return it")             \
	X(Dropped, "CC008", Error,                                             \
	  "linear handle returned by '%0' is dropped; keep it in a variable "  \
	  "and consume it")                                                   \
	X(Overwrite, "CC009", Error,                                           \
	  "linear handle '%0' is overwritten while it is still owned; "        \
	  "consume it first")                                                 \
	X(AddrOf, "CC010", Error,                                              \
	  "cannot take the address of linear handle '%0'; pass it by value, "  \
	  "or to an ISOLA_BORROWED parameter to lend it")                     \
	X(Store, "CC010", Error,                                               \
	  "linear handle of type %0 cannot be stored in %1; keep it in a "     \
	  "local variable")                                                   \
	X(CopyCarrier, "CC010", Error,                                         \
	  "message %0 holding linear handles must be taken apart in place, "   \
	  "not copied")                                                       \
	X(Forge, "CC010", Error,                                               \
	  "linear handle of type %0 cannot be made from an initializer; "      \
	  "handles come from the runtime and contract headers")               \
	X(KernelImport, "CC011", Error,                                        \
	  "'%0' declares a kernel import; only libsip may import from the "   \
	  "kernel")                                                           \
	X(Uninit, "CC012", Error,                                              \
	  "local %select{pointer|linear handle}0 '%1' must be initialized "   \
	  "where it is declared")                                             \
	X(UninitUse, "CC012", Error,                                           \
	  "linear handle '%0' is used before it is initialized")              \
	X(MaybeNull, "CC013", Error,                                           \
	  "pointer '%0' may be null here; check it against NULL before "       \
	  "dereferencing it")                                                 \
	X(MaybeNullArg, "CC013", Error,                                        \
	  "pointer '%0' may be null here, and parameter '%1' of '%2' is not "  \
	  "SIP_NULLABLE; check it against NULL first")                        \
	X(PtrArith, "CC014", Error,                                            \
	  "%select{pointer arithmetic|indexing}0 on '%1' whose bounds are "    \
	  "unknown; use an array or a SIP_COUNT(n) parameter")                \
	X(ConstIndex, "CC015", Error,                                          \
	  "index %0 is out of bounds for array of %1 elements")               \
	X(ContractEffects, "CC016", Error,                                     \
	  "condition of %0 has side effects")                                 \
	X(ContractPlace, "CC017", Error,                                       \
	  "%0 must be %select{among the first statements of a function "       \
	  "body|the first statement of a loop body}1")                        \
	X(CountName, "CC014", Error,                                           \
	  "SIP_COUNT(%0) names no parameter or local variable of this "       \
	  "function")                                                         \
	X(CountLocal, "CC014", Error,                                          \
	  "SIP_COUNT applies to pointer parameters only")                     \
	X(CountAssign, "CC014", Error,                                         \
	  "'%0' bounds a SIP_COUNT pointer and cannot be changed")            \
	X(CountArg, "CC014", Error,                                            \
	  "argument for SIP_COUNT(%0) parameter '%1' has unknown bounds; pass " \
	  "an array or a SIP_COUNT pointer")                                  \
	X(CountTooBig, "CC015", Error,                                         \
	  "count %0 exceeds the %1 elements of the array passed as '%2'")     \
	X(NoRuntime, "CC014", Error,                                           \
	  "run-time checks need sip/check.h; include it (sipcc does)")       \
	X(ContractResult, "CC017", Error,                                      \
	  "SIP_ENSURES in a function that returns a value needs "              \
	  "SIP_RESULT(type, name) before it")                                 \
	X(ResultType, "CC017", Error,                                          \
	  "SIP_RESULT has type %0 but the function returns %1")               \
	X(NoteConsumed, "", Note, "'%0' was %select{sent|consumed|moved|returned}1 here") \
	X(NoteNullFrom, "", Note, "'%0' may be null from here")               \
	X(NoteBorrowed, "", Note, "'%0' is borrowed here")                    \
	X(NoteNoHandle, "", Note,                                              \
	  "there is no empty handle: to say 'none', give each path its own "   \
	  "handle, or park an endpoint (NAME_SIDE_STATE_park) and keep its "   \
	  "key, a plain number that is 0 for none")

enum class Diag {
#define SIPCHECK_ENUM(name, id, level, text) name,
	SIPCHECK_DIAGS(SIPCHECK_ENUM)
#undef SIPCHECK_ENUM
};

// How a linear handle was consumed, for the %select in messages and notes.
enum class Consume { Sent = 0, Consumed = 1, Moved = 2, Returned = 3 };

// Reports sipcheck diagnostics; one per translation unit.
class Reporter {
public:
	explicit Reporter(clang::DiagnosticsEngine &de);
	clang::DiagnosticBuilder report(clang::SourceLocation loc, Diag d);

private:
	clang::DiagnosticsEngine &de_;
	unsigned ids_[64];
};

} // namespace sipcheck

#endif
