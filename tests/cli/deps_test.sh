#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dependency table asks dpkg for packages; this checks that the table
# names the package that really owns each file the build reads, so a row
# for the wrong package (a file that another package also ships, as
# clang-14 ships ClangConfig.cmake without the libraries it names) fails
# here instead of on a fresh machine. Usage: deps_test.sh ISOLA
set -euo pipefail
isola=$1
listed=$("$isola" deps | awk '{print $1}')
[[ -n $listed ]] || { echo "deps_test: ./isola deps listed nothing" >&2; exit 1; }
if ! "$isola" deps >/dev/null; then
	echo "deps_test: ./isola deps reports a missing package after set-up:" >&2
	"$isola" deps | grep missing >&2
	exit 1
fi

# Files the build and the tests read, by the path they are read at.
files=(
	/usr/lib/llvm-14/bin/clang
	/usr/lib/llvm-14/bin/lld
	/usr/lib/llvm-14/bin/llvm-nm
	/usr/lib/llvm-14/bin/llvm-symbolizer
	/usr/lib/llvm-14/lib/cmake/llvm/LLVMConfig.cmake
	/usr/lib/llvm-14/lib/cmake/clang/ClangConfig.cmake
	/usr/lib/llvm-14/lib/libclangBasic.a
	/usr/lib/llvm-14/lib/libclangAST.a
	/usr/lib/llvm-14/lib/libclang-cpp.so
	/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
	/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.asan-x86_64.a
	/usr/bin/cmake
	/usr/bin/ninja
	/usr/bin/qemu-system-x86_64
	/usr/bin/grub-mkrescue
	/usr/lib/grub/i386-pc/modinfo.sh
	/usr/lib/grub/x86_64-efi/modinfo.sh
	/usr/bin/xorriso
	/usr/bin/mformat
	/usr/share/OVMF/OVMF_CODE.fd
	/usr/bin/wast2json
	/usr/bin/wat2wasm
	/usr/include/cmocka.h
	/usr/bin/dpkg-shlibdeps
	/usr/bin/file
	/usr/lib/python3/dist-packages/jsonschema/__init__.py
	/usr/lib/python3/dist-packages/rfc3987.py
)
fail=0
for f in "${files[@]}"; do
	# dpkg -S names every package that ships the path; one of them must be
	# listed, and the file must be there.
	# The path as read first (a -dev package owns the .so link), then
	# the file it resolves to (Debian's /usr/bin links are alternatives).
	owners=$(dpkg-query -S "$f" 2>/dev/null | sed 's/: .*//; s/, /\n/g; s/:amd64//g') || owners=""
	if [[ -z $owners ]]; then
		owners=$(dpkg-query -S "$(readlink -f "$f")" 2>/dev/null | sed 's/: .*//; s/, /\n/g; s/:amd64//g') || owners=""
	fi
	if [[ -z $owners ]]; then
		echo "deps_test: $f belongs to no installed package" >&2
		fail=1
		continue
	fi
	ok=0
	for o in $owners; do
		grep -qx "$o" <<<"$listed" && ok=1
	done
	if [[ $ok == 0 ]]; then
		echo "deps_test: $f comes from $(echo $owners), which ./isola deps does not list" >&2
		fail=1
	fi
done
[[ $fail == 0 ]] && echo "deps_test: ${#files[@]} files, each from a listed package"
exit $fail
