#!/usr/bin/env bash
# Where (b)'s extra CPU per request goes: the Api with tracing off (a) and on (b), as bench/run.sh starts them, each
# alone on the Api's core under the same wrk load of one endpoint, sampled by dotnet-trace (the
# dotnet-sampled-thread-time profile: every managed thread's stack at about 100 Hz; collect-linux's kernel CPU sampling
# needs perf events this machine does not give), then split by bench/profile_report.py into where the CPU of a request
# goes in each (export, instrumentation, Activity, metrics, ours, the rest).
#
#   ./bench/profile.sh [ping|get|list] [SECONDS]      default: ping, 15 s of load per configuration
#
# Writes the traces (.nettrace, and .speedscope.json to open in https://www.speedscope.app) and the reports to a
# folder it prints at the end. A sampling profiler costs the process under it: read the shares, not the times.
set -euo pipefail
cd "$(dirname "$0")/.."
endpoint=${1:-ping} seconds=${2:-15}
case $endpoint in ping | get | list) ;; *) echo "usage: $0 [ping|get|list] [SECONDS]" >&2; exit 2 ;; esac
export PATH="$PATH:$HOME/.dotnet/tools"

./scripts/install-prerequisites.sh --with-bench
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
dotnet build bench/bench.slnf -c Release -v quiet -nologo --disable-build-servers >/dev/null
cores=$(nproc)
api_core=$((cores - 1)) other_cores=$([[ $cores -eq 2 ]] && echo 0 || echo "0-$((cores - 2))")
taskset -cp "$other_cores" $$ >/dev/null

out=$(mktemp -d "${TMPDIR:-/tmp}/orderstracing-profile.XXXXXX")
pids=()
trap 'for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 300); do curl -sf -o /dev/null "$1" && return; sleep 0.1; done; echo "$1 did not answer" >&2; exit 1; }

pg_port=$(free_port) redis_port=$(free_port) sink_port=$(free_port) sink_grpc_port=$(free_port)
export PGPASSWORD=bench
PGPORT=$pg_port POSTGRES_PASSWORD=bench bash OrdersTracing.AppHost/Postgres/run-local-postgres.sh >"$out/postgres.log" 2>&1 &
pids+=($!)
REDIS_PORT=$redis_port REDIS_PASSWORD=bench bash OrdersTracing.AppHost/Redis/run-local-redis.sh >"$out/redis.log" 2>&1 &
pids+=($!)
dotnet bench/OrdersTracing.Benchmarks/bin/Release/net10.0/OrdersTracing.Benchmarks.dll sink \
  --urls "http://127.0.0.1:$sink_port" --grpc-port "$sink_grpc_port" >"$out/sink.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
wait_for "http://127.0.0.1:$sink_port/alive"

SERVICE_TOKEN_SIGNING_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
bearer=$(SERVICE_TOKEN_SIGNING_KEY=$SERVICE_TOKEN_SIGNING_KEY python3 scripts/service-token.py bench bench 3600)
# The configurations and runtime settings of bench/run.sh's (a) and (b).
declare -A config_env=(
  [off]="OTEL_SDK_DISABLED=true"
  [on]="OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$sink_port OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf Tracing__QueryDetection__DetectorsEnabled=false Tracing__QueryDetection__SlowQueryEnabled=false"
)
declare -A api_pid api_url
for config in off on; do
  port=$(free_port)
  # shellcheck disable=SC2086 # the settings are NAME=value words
  env ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning OTEL_SERVICE_NAME="profile-$config" \
    DOTNET_gcServer=0 DOTNET_gcConcurrent=1 DOTNET_TieredCompilation=1 DOTNET_TieredPGO=1 DOTNET_ReadyToRun=1 \
    ConnectionStrings__ordersdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=bench;Database=profile_$config" \
    ConnectionStrings__cache="127.0.0.1:$redis_port,password=bench" PaymentProvider__BaseUrl="http://127.0.0.1:1" \
    ServiceTokens__SigningKey="$SERVICE_TOKEN_SIGNING_KEY" ${config_env[$config]} \
    taskset -c "$api_core" dotnet OrdersTracing.Api/bin/Release/net10.0/OrdersTracing.Api.dll --urls "http://127.0.0.1:$port" >"$out/api-$config.log" 2>&1 &
  api_pid[$config]=$! api_url[$config]="http://127.0.0.1:$port"
  pids+=($!)
done
for config in off on; do
  wait_for "${api_url[$config]}/alive"
  curl -sf -X POST "${api_url[$config]}/api/admin/tenants/bench/orders?count=100" >/dev/null
done
path() { # $1: config
  case $endpoint in
    ping) echo /api/ping ;;
    list) echo "/api/orders?pageSize=20" ;;
    get) echo "/api/orders/$(curl -sf -H "Authorization: Bearer $bearer" "${api_url[$1]}/api/orders?pageSize=1" | grep -oE '"id":"[0-9a-f-]+"' | head -n 1 | cut -d'"' -f4)" ;;
  esac
}
load() { BENCH_METHOD=GET BENCH_TOKEN=$bearer wrk -t1 -c16 -d"$2s" -s bench/wrk-request.lua "${api_url[$1]}$(path "$1")"; }

for config in off on; do
  other=$([[ $config == off ]] && echo on || echo off)
  taskset -a -cp "$other_cores" "${api_pid[$other]}" >/dev/null
  taskset -a -cp "$api_core" "${api_pid[$config]}" >/dev/null
  load "$config" 10 >/dev/null # warm-up: the JIT's tier-ups before the sampling starts
  dotnet-trace collect -p "${api_pid[$config]}" --profile dotnet-sampled-thread-time --format Speedscope -o "$out/$config.nettrace" \
    --duration "00:00:00:$((seconds + 2))" >"$out/trace-$config.log" 2>&1 &
  tracer=$!
  sleep 1 # the session attaches before the load starts
  load "$config" "$seconds" | tee "$out/wrk-$config.txt" | grep -E 'Requests/sec'
  wait "$tracer"
  dotnet-trace report "$out/$config.nettrace" topN -n 40 >"$out/top-exclusive-$config.txt"
  dotnet-trace report "$out/$config.nettrace" topN -n 60 --inclusive >"$out/top-inclusive-$config.txt"
done
python3 bench/profile_report.py "$out" | tee "$out/report.md"
echo "Profiles of $endpoint in $out: report.md, top-exclusive-{off,on}.txt, top-inclusive-{off,on}.txt, {off,on}.speedscope.json"
