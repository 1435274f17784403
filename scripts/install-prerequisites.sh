#!/usr/bin/env bash
# Installs what the run and test commands need on a fresh Debian machine with the .NET SDK: PostgreSQL's server,
# which the AppHost runs as a local process where there is no container runtime, and, with --with-browser, Chromium
# for the browser test.
set -euo pipefail

with_browser=false
[[ "${1:-}" == "--with-browser" ]] && with_browser=true

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK is missing: install the version global.json names (10.0.401 or a later 10.0 feature band)." >&2
  exit 1
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || [[ $with_browser == true && ! -x /usr/bin/chromium ]]; then
      echo "PostgreSQL's server or Chromium is missing and this user cannot install them: run 'apt-get install -y postgresql chromium' as root." >&2
      exit 1
    fi
  fi
  as_root=(sudo)
fi

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  echo "Installing PostgreSQL's server (apt-get install postgresql)..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# The browser test drives Debian's Chromium through Playwright's executable path: no browser download.
if [[ $with_browser == true && ! -x /usr/bin/chromium ]]; then
  echo "Installing Chromium (apt-get install chromium)..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [[ $(id -u) -eq 0 ]] && ! command -v setpriv >/dev/null 2>&1; then
  echo "setpriv (util-linux) is missing: the AppHost needs it to run PostgreSQL as the postgres user." >&2
  exit 1
fi
