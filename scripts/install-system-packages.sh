#!/usr/bin/env bash
# Installs the Debian packages the service and its real tests need when they are missing:
# Chromium (browser tests), PostgreSQL (database tests on a throwaway server), and
# Pango with HarfBuzz's subsetter, which WeasyPrint draws PDFs with (the GP summary).
# `install-system-packages.sh bench` also installs wrk, the load generator the
# benchmarks use (they fall back to a slower Python client without it).
set -euo pipefail

missing=()
if [ "${1:-}" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# WeasyPrint loads these libraries by name (its documentation's Debian install list); the
# PDF's Arial is Liberation Sans.
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt_get=(sudo apt-get)
else
  echo "Need root (or sudo) to install: ${missing[*]}. Install them and run make test again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation >/dev/null
