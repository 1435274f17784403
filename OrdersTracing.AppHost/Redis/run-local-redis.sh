#!/usr/bin/env bash
# Runs a throwaway Redis server for the AppHost's local mode: listening on 127.0.0.1:$REDIS_PORT with a password, no
# persistence (a cache starts empty), in a working folder removed when the resource stops. A server that stops by
# itself (a crash, or an operator's `kill -INT <pid>` to try a cache outage) is started again (LocalServers/supervise.sh),
# as a container with a restart policy would be. Arguments are passed on to the server.
set -euo pipefail

: "${REDIS_PORT:?REDIS_PORT must name the port to listen on}"
: "${REDIS_PASSWORD:?REDIS_PASSWORD must hold the password clients give}"

server=$(command -v redis-server || true)
if [[ -z "$server" ]]; then
  echo "No Redis server found on PATH. Install it: apt-get install -y redis-server (or run ./scripts/install-prerequisites.sh)." >&2
  exit 1
fi

source "$(dirname "${BASH_SOURCE[0]}")/../LocalServers/supervise.sh"
make_server_root redis TERM

# The password goes through a config file, not the command line, where `ps` would show it to every user.
umask 077
printf 'requirepass "%s"\n' "$REDIS_PASSWORD" > "$root/redis.conf"

supervise Redis "$server" "$root/redis.conf" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$root" \
  --save "" --appendonly no --daemonize no --supervised no "$@"
