# Sourced by the local mode's server scripts (Postgres/run-local-postgres.sh, Redis/run-local-redis.sh): a working
# folder removed when the resource stops, and a server that stops by itself (a crash, or an operator's kill to try an
# outage) started again after $restart_delay s, as a container with a restart policy would be.

restart_delay=3
max_restarts=20
server_pid=""
stopping=""

# make_server_root NAME STOP_SIGNAL: sets $root, and stops the server with STOP_SIGNAL when the script ends.
make_server_root() {
  root=$(mktemp -d "${TMPDIR:-/tmp}/orderstracing-$1.XXXXXX")
  stop_signal=$2
  trap stop_server EXIT
  trap 'stopping=1; exit 0' TERM INT
}

stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "-$stop_signal" "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$root"
}

# supervise NAME COMMAND...: runs the server until the resource stops, restarting it when it exits by itself.
supervise() {
  local name=$1 restarts=0 status
  shift
  while true; do
    "$@" &
    server_pid=$!
    status=0
    wait "$server_pid" || status=$?
    server_pid=""
    if [[ -n "$stopping" ]] || (( ++restarts > max_restarts )); then
      exit "$status"
    fi
    echo "$name stopped (exit $status); starting it again in ${restart_delay} s (restart $restarts of $max_restarts)." >&2
    sleep "$restart_delay"
  done
}
