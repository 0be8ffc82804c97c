#!/usr/bin/env bash
# measure-debian-usage.sh: measure how Debian bookworm's packages really use libssl.so.3, so that the
# shim serves what programs need first. It lists every binary package (this machine's architecture)
# whose Depends/Pre-Depends name libssl3, downloads it, and for every ELF object in it whose NEEDED
# includes libssl.so.3 records the libssl.so.3 functions it imports and, by disassembly (a lower
# bound), the command numbers it passes to SSL_ctrl, SSL_CTX_ctrl, SSL_callback_ctrl and
# SSL_CTX_callback_ctrl. The results go to abi/usage/bookworm.tsv and abi/usage/bookworm-packages.tsv
# (small derived data, committed); tools/usage/gen-matrix.sh turns them into docs/MATRIX.md.
#
# usage: measure-debian-usage.sh [--cache DIR] [--jobs N] [--update] [--out DIR]
#   --cache DIR  downloaded .debs and per-package results (default /var/cache/sslshim-usage);
#                nothing of it goes into the repository
#   --jobs N     packages analysed at once (default: number of CPUs); run it under `nice`
#   --update     run `apt-get update` first (otherwise only when the machine has no package lists)
#   --out DIR    where the two TSV files go (default abi/usage in this repository)
# Idempotent and resumable: .debs already in the cache are not downloaded again, and a package is
# analysed again only when its .deb is newer than its result or usage.py's ANALYZER_VERSION changed. Extracted trees
# are deleted after analysis. Download failures are tolerated, reported and counted in the header.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=/var/cache/sslshim-usage
jobs=$(nproc)
update=0
out="$root/abi/usage"
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --update) update=1; shift ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "measure-debian-usage.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
symbols="$root/abi/libssl.so.3.symbols"
helper="$here/usage.py"
log() { echo "measure-debian-usage: $*" >&2; }

# Tools: readelf/objdump (binutils), python3, OpenSSL 3's headers for the SSL_CTRL_* names.
need=()
for p in binutils python3 libssl-dev; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
if [ "$update" = 1 ] || [ -z "$(apt-get indextargets --format '$(FILENAME)' 'Created-By: Packages' |
  while read -r f; do [ -e "$f" ] && echo "$f"; done)" ]; then
  log "apt-get update"
  apt-get update >/dev/null
fi

mkdir -p "$cache/debs" "$cache/results" "$out"
# One run at a time per cache; trees left by an interrupted run are removed.
exec 9>"$cache/lock"
flock -n 9 || { log "another run holds $cache/lock"; exit 1; }
rm -rf "$cache"/tree.*
# apt's download sandbox user must be able to write there (otherwise apt warns and runs as root).
chown _apt "$cache/debs" 2>/dev/null || true

# 1. The packages: reverse dependencies of libssl3, kept when the candidate version's
#    Depends/Pre-Depends really name libssl3 (not a Recommends, not only an older version).
apt-cache rdepends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
  --no-enhances libssl3 | tail -n +3 | sed 's/^ *//; s/^|//' | sort -u >"$cache/rdepends.txt"
# shellcheck disable=SC2046  # one word per package name
apt-cache show $(cat "$cache/rdepends.txt") 2>/dev/null |
  python3 "$helper" candidates "$cache/rdepends.txt" | sort >"$cache/packages.tsv"
listed=$(wc -l <"$cache/packages.tsv")
log "$listed packages depend on libssl3 ($(wc -l <"$cache/rdepends.txt") reverse dependencies)"

# 2. Download what is not in the cache yet: in batches, then one by one for a batch that failed.
missing=()
while IFS=$'\t' read -r pkg ver deb; do
  [ -s "$cache/debs/$deb" ] || missing+=("$pkg=$ver")
done <"$cache/packages.tsv"
log "${#missing[@]} to download"
: >"$cache/download-failures.tsv"
if [ ${#missing[@]} -gt 0 ]; then
  printf '%s\n' "${missing[@]}" | (cd "$cache/debs" && xargs -r -n 40 sh -c '
    apt-get download -q "$@" >/dev/null 2>&1 && exit 0
    for p in "$@"; do apt-get download -q "$p" >/dev/null 2>&1 || echo "retry failed: $p" >&2; done
    exit 0' sh)
fi
while IFS=$'\t' read -r pkg ver deb; do
  [ -s "$cache/debs/$deb" ] || printf '%s\t%s\tdownload failed\n' "$pkg" "$ver" >>"$cache/download-failures.tsv"
done <"$cache/packages.tsv"
[ -s "$cache/download-failures.tsv" ] && log "download failures: $(cut -f1 "$cache/download-failures.tsv" | tr '\n' ' ')"

# 3. Analyse each downloaded package whose result is missing, older than its .deb or of another
#    ANALYZER_VERSION (usage.py).
analyse_one() {
  local pkg=$1 deb=$2 tree
  tree=$(mktemp -d "$cache/tree.XXXXXX")
  if dpkg-deb -x "$cache/debs/$deb" "$tree" &&
    python3 "$helper" analyze "$symbols" "$cache/debs/$deb" "$tree" "$cache/results/$pkg.json"; then
    :
  else
    echo "measure-debian-usage: analysis of $pkg failed" >&2
  fi
  rm -rf "$tree"
}
export -f analyse_one
export cache helper symbols
analyzer=$(python3 "$helper" analyzer-version)
todo=$(while IFS=$'\t' read -r pkg ver deb; do
  r="$cache/results/$pkg.json"
  if [ -s "$cache/debs/$deb" ] && { [ ! -s "$r" ] || [ "$cache/debs/$deb" -nt "$r" ] ||
    ! grep -q "\"analyzer\": $analyzer," "$r"; }; then
    printf '%s %s\n' "$pkg" "$deb"
  fi
done <"$cache/packages.tsv")
log "$(printf '%s' "$todo" | grep -c . || true) to analyse"
[ -z "$todo" ] || printf '%s\n' "$todo" | xargs -r -n 2 -P "$jobs" bash -c 'analyse_one "$1" "$2"' sh

# 4. Aggregate.
python3 "$helper" ctrl-names /usr/include/openssl/ssl.h /usr/include/openssl/tls1.h >"$cache/ctrl-names.tsv"
python3 "$helper" aggregate "$symbols" "$cache/ctrl-names.tsv" "$cache/packages.tsv" "$cache/results" \
  "$out/bookworm.tsv" "$out/bookworm-packages.tsv" "$cache/download-failures.tsv"
log "wrote $out/bookworm.tsv and $out/bookworm-packages.tsv"
