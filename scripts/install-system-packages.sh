#!/usr/bin/env bash
# Installs the Debian packages the real tests need when they are missing:
# Chromium (browser tests) and PostgreSQL (database tests on a throwaway server).
# `install-system-packages.sh bench` also installs wrk, the load generator the
# benchmarks use (they fall back to a slower Python client without it).
set -euo pipefail

missing=()
if [ "${1:-}" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
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
