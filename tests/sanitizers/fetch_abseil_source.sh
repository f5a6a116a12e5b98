#!/usr/bin/env bash
# Fetches Debian 12's abseil source package (the exact source and patches of the installed
# libabsl-dev: same options.h, same SONAMEs) and unpacks it into $1. The files are pinned by
# SHA-256; deb.debian.org first, then snapshot.debian.org (which keeps superseded versions).
set -euo pipefail
dest=${1:?usage: fetch_abseil_source.sh <dest-dir>}
version=20220623.1-1+deb12u2
declare -A sha256=(
  [abseil_20220623.1-1+deb12u2.dsc]=ba731eaced569332fa4ce802a7ff2615ae57ac25beaf2d02f634ef908f2e62c2
  [abseil_20220623.1.orig.tar.gz]=abfe2897f3a30edaa74bc34365afe3c2a3cd012091a97dc7e008f7016adcd5fe
  [abseil_20220623.1-1+deb12u2.debian.tar.xz]=e08490fc7b6f3beca1925953b0c4fb92df2de5e2a01295e4641e2a3d4e528eeb
)
mirrors=(http://deb.debian.org/debian
         http://snapshot.debian.org/archive/debian/20250520T000000Z)
installed=$(dpkg-query -W -f='${Version}' libabsl-dev 2>/dev/null || echo none)
if [ "$installed" != "$version" ]; then
  echo "note: libabsl-dev here is $installed; the TSan abseil is built from $version" \
       "(same LTS ABI, lts_20220623)" >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for file in "${!sha256[@]}"; do
  for mirror in "${mirrors[@]}"; do
    if curl -sfL --retry 3 -o "$work/$file" "$mirror/pool/main/a/abseil/$file" &&
       echo "${sha256[$file]}  $work/$file" | sha256sum -c --quiet -; then
      continue 2
    fi
  done
  echo "could not fetch $file with the pinned SHA-256 from ${mirrors[*]}" >&2
  exit 1
done
rm -rf "$dest"
# dpkg-source applies Debian's patches (debian/patches/series); the checksums above stand in
# for the signature check, as the Debian keyring is not installed.
dpkg-source --no-check -x "$work/abseil_$version.dsc" "$dest" >/dev/null
