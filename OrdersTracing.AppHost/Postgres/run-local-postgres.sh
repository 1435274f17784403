#!/usr/bin/env bash
# Runs a throwaway PostgreSQL server for the AppHost's local mode: a fresh data folder each run, listening on
# 127.0.0.1:$PGPORT with password authentication, removed when the resource stops. A server that stops by itself
# (a crash, or an operator's `kill -INT <postmaster pid>`) is started again on the same data (LocalServers/supervise.sh),
# as a container with a restart policy would be: an outage, not a lost database. $POSTGRES_DB, when set, is created
# before the server listens, as the container image does: the services that start against it (several Api replicas
# at once) find it there, and none of them races another to create it. Arguments are passed on to the server (the
# benchmark adds -c shared_preload_libraries=pg_stat_statements to count queries).
set -euo pipefail

: "${PGPORT:?PGPORT must name the port to listen on}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must hold the password of the postgres user}"
if [[ -n "${POSTGRES_DB:-}" && ! "$POSTGRES_DB" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
  echo "POSTGRES_DB is '$POSTGRES_DB'; it must be a lowercase database name (letters, digits, underscores)." >&2
  exit 1
fi

bindir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$bindir" || ! -x "$bindir/postgres" ]]; then
  echo "No PostgreSQL server found under /usr/lib/postgresql. Install it: apt-get install -y postgresql (or run ./scripts/install-prerequisites.sh)." >&2
  exit 1
fi

source "$(dirname "${BASH_SOURCE[0]}")/../LocalServers/supervise.sh"
# SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
make_server_root postgres INT

as_server_user=()
if [[ $(id -u) -eq 0 ]]; then
  # PostgreSQL refuses to run as root.
  chown postgres:postgres "$root"
  as_server_user=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

printf '%s\n' "$POSTGRES_PASSWORD" > "$root/password"
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$root/password"
"${as_server_user[@]}" "$bindir/initdb" --pgdata="$root/data" --username=postgres --pwfile="$root/password" \
  --auth=scram-sha-256 --encoding=UTF8 --no-locale > "$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; exit 1; }
rm -f "$root/password"
if [[ -n "${POSTGRES_DB:-}" ]]; then
  # Single-user mode: the database exists before any client can connect.
  echo "CREATE DATABASE \"$POSTGRES_DB\"" | "${as_server_user[@]}" "$bindir/postgres" --single -D "$root/data" postgres \
    > "$root/createdb.log" 2>&1 || { cat "$root/createdb.log" >&2; exit 1; }
fi

supervise PostgreSQL "${as_server_user[@]}" "$bindir/postgres" -D "$root/data" -p "$PGPORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$root" -c max_connections=200 "$@"
