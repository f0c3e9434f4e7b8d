#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ports' plain WASI builds under Node (docs/ports.md): bzip2 against
# its own `make test` vectors (compressing sample1-3 with -1, -2, -3 must
# give upstream's .bz2 files byte for byte; decompressing them must give
# the .ref files), bzip2 and zstd round trips through stdin and stdout at
# several levels on a file of random and repeated bytes, and SQLite on a
# file database in a preopened folder, read back by a second run.
#
#   node_peer.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:?usage: node_peer.sh BUILD_DIR}" && pwd)
ports=$build/sips/ports
src=$build/ports/src
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

run() { node --no-warnings "$here/run-wasi.mjs" --env HOME=/ --dir "$work:/w" "$@"; }
check() { # WHAT STATUS
	if [[ $2 == 0 ]]; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}

for i in 1 2 3; do
	run "$ports/bzip2.wasm" -$i <"$src/bzip2/sample$i.ref" >"$work/s$i.bz2"
	cmp -s "$work/s$i.bz2" "$src/bzip2/sample$i.bz2"; check "bzip2 -$i sample$i.ref is upstream's sample$i.bz2" $?
	run "$ports/bzip2.wasm" -d <"$src/bzip2/sample$i.bz2" >"$work/s$i.ref"
	cmp -s "$work/s$i.ref" "$src/bzip2/sample$i.ref"; check "bzip2 -d sample$i.bz2" $?
done

head -c 300000 /dev/urandom >"$work/data"
for i in $(seq 20000); do echo "line $((i % 97)) repeats"; done >>"$work/data"
for level in 1 9; do
	run "$ports/bzip2.wasm" -$level -c <"$work/data" | run "$ports/bzip2.wasm" -dc >"$work/back"
	cmp -s "$work/back" "$work/data"; check "bzip2 -$level round trip" $?
done
for level in 1 3 19; do
	run "$ports/zstd.wasm" -q -$level -c <"$work/data" | run "$ports/zstd.wasm" -q -dc >"$work/back"
	cmp -s "$work/back" "$work/data"; check "zstd -$level round trip" $?
done

run "$ports/sqlite3.wasm" /w/test.db \
	"create table t(x); insert into t select value from generate_series(1, 1000);" \
	>/dev/null 2>&1 || true
out=$(run "$ports/sqlite3.wasm" /w/test.db "select count(*), sum(x) from t; pragma integrity_check;" 2>&1)
[[ $out == $'1000|500500\nok' ]]; check "sqlite3 file database written and read back ($out)" $?
exit $fail
