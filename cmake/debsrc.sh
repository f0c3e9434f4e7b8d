#!/bin/sh
# SPDX-License-Identifier: MIT
# debsrc.sh PKG VERSION DSC_SHA256 DEST APTDIR: fetches Debian's source
# package PKG at exactly VERSION and unpacks it (upstream sources with
# Debian's patches) into DEST. Used by `./isola` for sips/ports/sources.txt.
#
# - apt runs with a private configuration under APTDIR (its own deb-src
#   list, package lists and cache): the system's apt configuration is
#   read for defaults only, never written, and its sources are not used.
# - apt checks the .dsc and the tarballs against the Sources index, whose
#   signature it checks with debian-archive-keyring; this script checks
#   the .dsc against the pinned DSC_SHA256 too, and dpkg-source checks
#   every file against the .dsc.
# - The downloads stay in APTDIR/dl/PKG_VERSION with their SHA256SUMS, so
#   a later run unpacks offline. DEST holds a stamp (.debsrc): when it
#   names this PKG VERSION nothing is done at all.
# Exit status: 0, 1 on a failed fetch or check, 2 on usage errors.
set -eu

[ $# -eq 5 ] || { echo "usage: debsrc.sh PKG VERSION DSC_SHA256 DEST APTDIR" >&2; exit 2; }
pkg=$1 version=$2 pin=$3 dest=$4
mkdir -p "$5"
apt=$(cd "$5" && pwd) # apt reads relative paths from /etc/apt
stamp="$pkg $version"

if [ -f "$dest/.debsrc" ] && [ "$(cat "$dest/.debsrc")" = "$stamp" ]; then
	exit 0
fi
if [ -e "$dest" ]; then
	echo "debsrc: $dest is not $pkg $version; remove it first" >&2
	exit 1
fi

opts="-o Dir::Etc::sourceparts=$apt/sources.list.d -o Dir::Etc::sourcelist=$apt/sources.list
 -o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt/cache"
mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/dl"
: >"$apt/sources.list"
list=$apt/sources.list.d/debian-src.list
[ -f "$list" ] || echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
	"http://deb.debian.org/debian bookworm main" >"$list"

dsc=${pkg}_${version#*:}.dsc
dl=$apt/dl/${pkg}_${version#*:}

downloaded() {
	[ -f "$dl/SHA256SUMS" ] && [ -f "$dl/$dsc" ] &&
		(cd "$dl" && sha256sum --quiet -c SHA256SUMS)
}

if ! downloaded; then
	echo "debsrc: fetching $pkg $version"
	rm -rf "$dl"
	mkdir -p "$dl"
	# apt's download user must be able to write there.
	if id _apt >/dev/null 2>&1; then chown _apt "$dl" 2>/dev/null || true; fi
	# shellcheck disable=SC2086
	if ! apt-cache $opts showsrc "$pkg" 2>/dev/null | grep -qx "Version: $version"; then
		apt-get $opts -q update >/dev/null
	fi
	# shellcheck disable=SC2086
	(cd "$dl" && apt-get $opts -q source --download-only "$pkg=$version" >/dev/null)
	[ -f "$dl/$dsc" ] || { echo "debsrc: $dsc was not downloaded" >&2; exit 1; }
	(cd "$dl" && sha256sum -- * >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
fi
got=$(sha256sum "$dl/$dsc" | cut -d' ' -f1)
if [ "$got" != "$pin" ]; then
	echo "debsrc: $dsc has sha256 $got, not the pinned $pin" >&2
	exit 1
fi

# Unpacked beside DEST, then renamed: a half-unpacked tree never looks
# finished. dpkg-source checks every file against the .dsc; it cannot
# check the uploader's signature without debian-keyring, and need not:
# the .dsc matched the signed index and the pin.
parent=$(dirname "$dest")
mkdir -p "$parent"
tmp=$(mktemp -d "$parent/.debsrc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-source -q -x "$dl/$dsc" "$tmp/tree" 2>"$tmp/log" ||
	{ cat "$tmp/log" >&2; exit 1; }
echo "$stamp" >"$tmp/tree/.debsrc"
mv "$tmp/tree" "$dest"
echo "debsrc: $pkg $version in $dest"
