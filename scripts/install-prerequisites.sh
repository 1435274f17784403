#!/usr/bin/env bash
# Installs what the run and test commands need on a fresh Debian machine with the .NET SDK: PostgreSQL's server and
# Redis's, which the AppHost runs as local processes where there is no container runtime; Node.js and npm, with which Web's
# build bundles the pages' telemetry; with --with-browser, Chromium for the
# browser test; with --with-bench, wrk and gnuplot for the benchmark (bench/run.sh).
set -euo pipefail

with_browser=false
with_bench=false
for option in "$@"; do
  case "$option" in
    --with-browser) with_browser=true ;;
    --with-bench) with_bench=true ;;
    *) echo "usage: $0 [--with-browser] [--with-bench]" >&2; exit 2 ;;
  esac
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK is missing: install the version global.json names (10.0.401 or a later 10.0 feature band)." >&2
  exit 1
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    missing=false
    compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing=true
    command -v redis-server >/dev/null 2>&1 || missing=true
    command -v npm >/dev/null 2>&1 || missing=true
    [[ $with_browser == true && ! -x /usr/bin/chromium ]] && missing=true
    [[ $with_bench == true ]] && ! { command -v wrk && command -v gnuplot; } >/dev/null && missing=true
    if [[ $missing == true ]]; then
      echo "PostgreSQL's or Redis's server, npm, Chromium, wrk or gnuplot is missing and this user cannot install them: run 'apt-get install -y postgresql redis-server nodejs npm chromium wrk gnuplot-nox' as root." >&2
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

# The order cache; Debian's package also starts a system-wide server on 6379, which the AppHost does not use (it
# runs its own on a free port).
if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing Redis's server (apt-get install redis-server)..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# Web bundles the pages' OpenTelemetry web SDK with esbuild from npm at build time (OrdersTracing.Web.csproj).
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Node.js and npm (apt-get install nodejs npm)..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# The browser test drives Debian's Chromium through Playwright's executable path: no browser download.
if [[ $with_browser == true && ! -x /usr/bin/chromium ]]; then
  echo "Installing Chromium (apt-get install chromium)..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The benchmark drives the Api with wrk and draws its plots with gnuplot (PNG through cairo, no X).
if [[ $with_bench == true ]] && ! { command -v wrk && command -v gnuplot; } >/dev/null; then
  echo "Installing wrk and gnuplot (apt-get install wrk gnuplot-nox)..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk gnuplot-nox >/dev/null
fi

if [[ $(id -u) -eq 0 ]] && ! command -v setpriv >/dev/null 2>&1; then
  echo "setpriv (util-linux) is missing: the AppHost needs it to run PostgreSQL as the postgres user." >&2
  exit 1
fi
