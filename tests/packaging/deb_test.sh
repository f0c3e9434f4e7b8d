#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The isola-tools package alone (docs/verifier.md, "The isola-tools
# package"): its control file pins clang-14 and lld-14; `dpkg -x` puts it in
# a fresh root; no file in it names the source or build tree; and in a
# mount namespace where both trees are hidden under empty tmpfs mounts, the
# package's own sipcc builds the tutorial's SIPs, its sipverify accepts them
# with --strict, rejects a use after send with E1472 and writes SARIF, and
# its contractc writes a header. Needs root for the mount namespace (as CI
# runs); without it the test is skipped (77).
# Usage: deb_test.sh DEB SOURCE_DIR BUILD_DIR
set -uo pipefail
deb=$1 top=$(cd "$2" && pwd) build=$(cd "$3" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/isola-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

[[ -f $deb ]] || fail "no package at $deb"
deps=$(dpkg-deb -f "$deb" Depends) || fail "dpkg-deb cannot read $deb"
for want in 'clang-14 (>= 1:14' 'clang-14 (<< 1:14' 'lld-14 (>= 1:14' 'lld-14 (<< 1:14' \
	'libclang-common-14-dev (>= 1:14' 'libc6'; do
	[[ $deps == *"$want"* ]] || fail "Depends lacks '$want': $deps"
done
echo "ok   control: $deps"

root=$work/root
dpkg -x "$deb" "$root" || fail "dpkg -x failed"
for tool in sipverify sipcc contractc sipembed; do
	[[ -x $root/usr/bin/$tool ]] || fail "no usr/bin/$tool in the package"
done
if hits=$(grep -rlaF -e "$top/" -e "$build/" "$root"); then
	fail "files name the source or build tree: $hits"
fi
echo "ok   no path into $top or $build"

# What the hidden-tree run uses, copied out first: the tutorial's files, and
# its client with a block freed after it was sent (built without the
# checker, so the verifier must find it).
mkdir -p "$work/src"
cp "$top"/docs/examples/greeter/* "$work/src/"
sed 's/greeter_imp_ready_send_greet(ep, made.bytes));/greeter_imp_ready_send_greet(ep, made.bytes));\n\tsip_bytes_free(made.bytes);/' \
	"$top/docs/examples/greeter/greet.c" >"$work/src/bad.c"
cmp -s "$work/src/bad.c" "$work/src/greet.c" && fail "could not make bad.c"

cat >"$work/inner.sh" <<'INNER'
set -uo pipefail
root=$1 top=$2 build=$3
fail() { echo "FAIL: $*"; exit 1; }
[[ -z $(ls -A "$top") ]] || fail "the source tree is not hidden"
[[ ! -e $build || -z $(ls -A "$build") ]] || fail "the build tree is not hidden"
export PATH=$root/usr/bin:/usr/bin:/bin
cd "$(dirname "$0")/src"
sipcc --manifest greeterd.manifest -o greeterd.sip greeterd.c greeter.contract ||
	fail "sipcc greeterd"
sipcc --manifest greet.manifest -o greet.sip greet.c greeter.contract || fail "sipcc greet"
out=$(sipverify --strict greeterd.sip greet.sip) || fail "sipverify --strict: $out"
echo "ok   sipcc and sipverify --strict: $(tr '\n' ' ' <<<"$out")"
sipcc --no-check -g --manifest greet.manifest -o bad.sip bad.c greeter.contract 2>/dev/null ||
	fail "sipcc --no-check bad.c"
out=$(sipverify bad.sip); rc=$?
[[ $rc == 1 && $out == *"error[E1472]"* ]] || fail "bad.sip: exit $rc: $out"
sipverify --format=sarif bad.sip >bad.sarif
python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["runs"][0]["results"]; assert any(x["ruleId"] == "E1472" for x in r)' bad.sarif ||
	fail "SARIF of bad.sip"
uri=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["informationUri"])' bad.sarif)
[[ $uri == file:///usr/* && -f $root${uri#file://} ]] ||
	fail "SARIF informationUri $uri is not a file of the package"
echo "ok   sipverify rejects a use after send (E1472) and writes SARIF ($uri)"
contractc greeter.contract -o gen/h || fail "contractc"
[[ -s gen/h/greeter.h ]] || fail "contractc wrote no header"
echo "ok   contractc"
INNER

# Hide both trees (the build tree may be outside the source tree).
hide="mount -t tmpfs none '$top'"
[[ $build == "$top"/* ]] || hide="$hide && mount -t tmpfs none '$build'"
if ! unshare --mount --propagation private true 2>/dev/null; then
	echo "skipped: no mount namespace (needs root)"
	exit 77
fi
unshare --mount --propagation private bash -c \
	"$hide && exec bash '$work/inner.sh' '$root' '$top' '$build'" ||
	exit 1
echo "ok   the package works alone"
