#!/usr/bin/env bash
# Installs what the run and test commands need on a fresh Debian machine with the .NET SDK:
# PostgreSQL's server, which the AppHost runs as a local process where there is no container runtime.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK is missing: install the version global.json names (10.0.401 or a later 10.0 feature band)." >&2
  exit 1
fi

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    echo "PostgreSQL's server is missing and this user cannot install it: run 'apt-get install -y postgresql' as root." >&2
    exit 1
  fi
  as_root=()
  [[ $(id -u) -ne 0 ]] && as_root=(sudo)
  echo "Installing PostgreSQL's server (apt-get install postgresql)..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

if [[ $(id -u) -eq 0 ]] && ! command -v setpriv >/dev/null 2>&1; then
  echo "setpriv (util-linux) is missing: the AppHost needs it to run PostgreSQL as the postgres user." >&2
  exit 1
fi
