#!/usr/bin/env bash
# Measures what a dead telemetry backend does to the Api, on a throwaway local PostgreSQL and the payment stand-in:
# the same steady load (order creations with background payments, open loop) against a healthy OTLP receiver, one
# that accepts connections and never answers, and one that refuses them. For each: requests failed, p50/p99 latency,
# the Api's peak memory, spans it reported dropped, and, once the receiver is healthy again, how long until traces
# arrive. Then runs the fault tests (Postgres restart, payment provider faults, Api killed mid-way) and prints the
# figures they report. The three backends take turns, round after round, so that a noisy machine hurts them alike;
# the last line compares the median p99 of each. Prints Markdown.
#   ./scripts/measure-reliability.sh [rate per second] [seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-40}
seconds=${2:-30}
rounds=${3:-3}

./scripts/install-prerequisites.sh
dotnet build OrdersTracing.Api -c Release -v quiet -nologo >/dev/null
dotnet build OrdersTracing.PaymentProvider -c Release -v quiet -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); redis_port=$(free_port); api_port=$(free_port); pay_port=$(free_port); otlp_port=$(free_port); control_port=$(free_port)
api="http://127.0.0.1:$api_port"
control="http://127.0.0.1:$control_port"
work=$(mktemp -d)
pids=()
api_pid=""
cleanup() {
  # Whatever already ended must not stop the rest of the cleanup.
  [[ -n "$api_pid" ]] && { kill -TERM "$api_pid" 2>/dev/null || true; }
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ready() { # $1: what, then a command that succeeds once it is ready
  local what=$1; shift
  for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "$what did not start" >&2; exit 1
}

export PGPORT=$pg_port POSTGRES_PASSWORD=measure
bash OrdersTracing.AppHost/Postgres/run-local-postgres.sh >/dev/null 2>&1 &
pids+=($!)
ready PostgreSQL pg_isready -q -h 127.0.0.1 -p "$pg_port"
REDIS_PORT=$redis_port REDIS_PASSWORD=measure bash OrdersTracing.AppHost/Redis/run-local-redis.sh >/dev/null 2>&1 &
pids+=($!)
ready Redis bash -c "redis-cli -h 127.0.0.1 -p $redis_port --no-auth-warning -a measure ping | grep -q PONG"
python3 scripts/reliability/otlp_receiver.py "$otlp_port" "$control_port" ok &
pids+=($!)
ready "The OTLP receiver" curl -sf "$control/stats"
PaymentProvider__Latency=00:00:00.050 Logging__LogLevel__Default=Warning \
  dotnet OrdersTracing.PaymentProvider/bin/Release/net10.0/OrdersTracing.PaymentProvider.dll --urls "http://127.0.0.1:$pay_port" >/dev/null 2>&1 &
pids+=($!)
ready "The payment provider" curl -sf "http://127.0.0.1:$pay_port/alive"

# The Api takes the caller only from a token signed as Web signs it: a key of this run's own, one token for the run.
SERVICE_TOKEN_SIGNING_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
export SERVICE_TOKEN_SIGNING_KEY
SERVICE_TOKEN=$(python3 scripts/service-token.py reliability measure 14400)
export SERVICE_TOKEN

start_api() { # $1: log file
  ASPNETCORE_ENVIRONMENT=Development OTEL_SERVICE_NAME=api ServiceTokens__SigningKey="$SERVICE_TOKEN_SIGNING_KEY" \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$otlp_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_BSP_SCHEDULE_DELAY=1000 \
  ConnectionStrings__ordersdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=measure;Database=ordersdb" \
  ConnectionStrings__cache="127.0.0.1:$redis_port,password=measure" \
  PaymentProvider__BaseUrl="http://127.0.0.1:$pay_port" Logging__LogLevel__Default=Warning \
    dotnet OrdersTracing.Api/bin/Release/net10.0/OrdersTracing.Api.dll --urls "$api" >"$1" 2>&1 &
  api_pid=$!
  for _ in $(seq 100); do curl -sf "$api/alive" >/dev/null && return; sleep 0.2; done
  echo "the Api did not start" >&2; exit 1
}
stop_api() { kill -TERM "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""; }
peak_rss_mb() { # samples the Api's resident memory every 0.5 s until the file $1 exists; prints the peak in MB
  local peak=0 rss
  while [[ ! -e "$1" ]]; do
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$api_pid/status" 2>/dev/null || echo 0)
    (( rss > peak )) && peak=$rss
    sleep 0.5
  done
  echo $(( peak / 1024 ))
}
json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
order() { curl -sf -o /dev/null -H "Authorization: Bearer $SERVICE_TOKEN" -H 'Content-Type: application/json' \
  -d '{"items":[{"sku":"coffee-beans","quantity":1,"unitPrice":9.5}]}' "$api/api/orders?payment=Background"; }

echo "| telemetry backend | round | requests | failed | p50 ms | p99 ms | max ms | Api peak RSS MB | spans dropped (reported) | traces back after |"
echo "|---|---|---|---|---|---|---|---|---|---|"
declare -A p99s
modes=(ok blackhole refuse)
for round in $(seq "$rounds"); do
for turn in 0 1 2; do
  # Each round starts with another backend, so that neither a cold first run nor a busy moment falls on one alone.
  mode=${modes[$(( (turn + round) % 3 ))]}
  curl -sf "$control/mode/ok" >/dev/null
  start_api "$work/api-$mode.log"
  python3 scripts/reliability/steady_load.py "$api" 20 5 >/dev/null   # warm up: JIT, connections, pools
  curl -sf "$control/mode/$mode" >/dev/null
  rm -f "$work/done"
  peak_rss_mb "$work/done" > "$work/rss" &
  sampler=$!
  load=$(python3 scripts/reliability/steady_load.py "$api" "$rate" "$seconds")
  touch "$work/done"; wait "$sampler"
  recovery="-"
  if [[ $mode != ok ]]; then
    back=$(curl -sf "$control/mode/ok" | json "['mode_changed_at']")
    order
    for _ in $(seq 300); do
      last=$(curl -sf "$control/stats" | json "['last_traces_at'] or 0")
      if python3 -c "import sys; sys.exit(0 if $last > $back else 1)"; then
        recovery=$(python3 -c "print(f'{$last - $back:.2f} s')"); break
      fi
      sleep 0.1
    done
  fi
  sleep 6  # the drop report is rate-limited to one line every 5 s
  dropped=$(grep -o '([0-9]* since start' "$work/api-$mode.log" | tail -n 1 | grep -o '[0-9]*' || echo 0)
  stop_api
  p99s[$mode]+="$(json "['p99_ms']" <<<"$load") "
  echo "| $mode | $round | $(json "['count']" <<<"$load") | $(json "['failures']" <<<"$load") | $(json "['p50_ms']" <<<"$load") | $(json "['p99_ms']" <<<"$load") | $(json "['max_ms']" <<<"$load") | $(cat "$work/rss") | ${dropped:-0} | $recovery |"
done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ok_p99=$(median "${p99s[ok]}")
echo
for mode in blackhole refuse; do
  p99=$(median "${p99s[$mode]}")
  echo "Median p99 over $rounds rounds, backend $mode: $p99 ms against $ok_p99 ms healthy ($(python3 -c "print(f'{($p99 / $ok_p99 - 1) * 100:+.0f} %')"))."
done

echo
echo "Fault tests (each prints FIGURES: what it sent and what happened):"
dotnet test OrdersTracing.Tests -nologo --logger "console;verbosity=detailed" \
  --filter "FullyQualifiedName~DatabaseOutageTests|FullyQualifiedName~PaymentProviderFaultTests|FullyQualifiedName~ApiCrashRecoveryTests|FullyQualifiedName~ApiReplicaTests|FullyQualifiedName~TelemetryBackendOutageTests" \
  | grep -E "FIGURES|Passed!|Failed!" || true
