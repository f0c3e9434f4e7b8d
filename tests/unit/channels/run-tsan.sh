#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a ThreadSanitizer test binary. clang-14's TSan cannot start on some
# kernels with high address-space randomization ("unexpected memory
# mapping"); then the run is repeated with randomization off for it alone.
# Usage: run-tsan.sh BINARY
set -u
out=$("$1" 2>&1)
rc=$?
if [[ $rc != 0 ]] && grep -q "unexpected memory mapping" <<<"$out"; then
	exec setarch "$(uname -m)" -R "$1"
fi
printf '%s\n' "$out"
exit $rc
