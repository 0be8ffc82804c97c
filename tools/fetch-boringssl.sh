#!/usr/bin/env bash
# Fetches BoringSSL's source from Debian's source package android-platform-external-boringssl
# into DEST (default: build/_deps/boringssl), idempotently.
#
# Why a private apt directory: apt-get source needs a deb-src entry, and the machine's own sources
# may have none. We derive deb-src entries from the machine's configured Debian sources (whatever
# mirror it uses; no host is written here) into a directory of ours, so the system's configuration
# is never edited.
set -euo pipefail

dest=${1:-build/_deps/boringssl}
pkg=android-platform-external-boringssl
stamp="$dest/.sslshim-unpacked"

if [ -f "$stamp" ]; then
  exit 0
fi

work=$(dirname "$dest")/apt-src
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/archives/partial" "$work/download"

# 1. deb-src entries derived from the machine's Debian sources (deb822 and one-line formats).
out="$work/sources.list.d/sslshim-src.sources"
: >"$out"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  awk 'BEGIN{RS=""; ORS="\n\n"}
       /(^|\n)Types:[^\n]*deb/ && /debian/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f" >>"$out"
done
list="$work/sources.list.d/sslshim-src.list"
: >"$list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  grep -E '^\s*deb\s' "$f" | grep -i debian | sed -E 's/^\s*deb\s/deb-src /' >>"$list" || true
done
if [ ! -s "$out" ] && [ ! -s "$list" ]; then
  echo "fetch-boringssl: no Debian 'deb' source found in /etc/apt to derive deb-src from" >&2
  exit 1
fi

apt_opts=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$work/sources.list.d"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache::Archives=$work/archives"
  -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
  -o "APT::Sandbox::User=root"
)

# 2. Index and download (no unpack yet: we verify first).
if ! ls "$work/download/"*.dsc >/dev/null 2>&1; then
  apt-get "${apt_opts[@]}" -qq update
  (cd "$work/download" && apt-get "${apt_opts[@]}" -qq source --download-only "$pkg")
fi

# 3. Verify every file listed in the .dsc against its SHA-256 checksum.
dsc=$(ls "$work/download/"*.dsc | head -n1)
(cd "$work/download" &&
  awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f&&NF==3{print $1"  "$3}' "$(basename "$dsc")" |
  sha256sum --quiet -c -) || { echo "fetch-boringssl: checksum mismatch in $dsc" >&2; exit 1; }

# 4. Unpack into the build tree.
rm -rf "$dest"
(cd "$work/download" && dpkg-source --no-check -x "$(basename "$dsc")" "$(realpath -m "$dest")" >/dev/null)
touch "$stamp"
