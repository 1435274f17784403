#!/usr/bin/env bash
# Measures what tracing costs the Api, and what the reference design's database fixes gain, in one run on this
# machine, and writes docs/performance.md with its plots (docs/images/perf-*.png).
#
#   ./bench/run.sh                      the full run (about 40 minutes on 2 cores, on a quiet machine); rewrites
#                                       docs/performance.md
#   ./bench/run.sh --quick              a smoke run (about 4 minutes): tiny loads, writes to a temporary folder
#   ./bench/run.sh --output DIR         write performance.md and images/ to DIR instead
#
# It ends with the diagnosis benchmark, ./bench/diagnose.sh, in the same mode and to the same folder
# (docs/diagnosis.md); DIAGNOSIS_BENCH_SKIP=1 leaves it out.
#
# The four benchmarks, in this order:
#   1. service overhead: the Api (Release; Debug in a quick run) on a throwaway PostgreSQL, one process per tracing
#      configuration, driven by wrk on loopback endpoint by endpoint, the configurations alternating within each round;
#      the Api processes on one core (BENCH_API_CORE, the last one by default), everything else (wrk, PostgreSQL, the
#      receivers, the payment stand-in, this script) on the others (BENCH_OTHER_CORES), so that a measured Api competes
#      with nothing but its own work; CPU time per request from /proc/PID/stat beside requests/s and latency;
#   2. database fixes: payment in the request vs. background, naive vs. eager listing (queries counted by
#      pg_stat_statements), a large tenant's listing with and without the (tenant_id, created_at) index;
#   3. export path: spans per second through the batch processor to the live dashboard before it drops any;
#   4. microbenchmarks (BenchmarkDotNet, in process, on the Api's core): each span processor and hook of ours per span,
#      and the export's own CPU per span through the batch processor and the OTLP exporter (HTTP and gRPC) to the
#      discarding receiver on the other core.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=false
output=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true ;;
    --output) output=$2; shift ;;
    *) echo "usage: $0 [--quick] [--output DIR]" >&2; exit 2 ;;
  esac
  shift
done

if [[ $quick == true ]]; then
  output=${output:-${TMPDIR:-/tmp}/orderstracing-bench-quick}
  rounds=1 seconds=1 warmup=1 connections=8 seed_orders=2000 posted_orders=3 fix_rounds=3 index_sizes="2000 20000"
  export_rounds=1 export_seconds=0.5 export_flush=2 export_rates="2000,20000"
  bdn_job=(--job Dry --smoke)
  # Timings are not read in a quick run: the Debug builds that the tests' build already made will do.
  configuration=Debug
else
  output=${output:-docs}
  rounds=7 seconds=6 warmup=3 connections=16 seed_orders=10000 posted_orders=20 fix_rounds=21 index_sizes="100000 300000 1000000"
  export_rounds=3 export_seconds=2 export_flush=10 export_rates="1000,5000,20000,80000,320000"
  bdn_job=(--job short --iterationCount 15)
  configuration=Release
fi
# A shorter run where time is short: BENCH_ROUNDS, BENCH_SECONDS, BENCH_INDEX_SIZES, BENCH_EXPORT_ROUNDS and
# BENCH_EXPORT_SECONDS override.
rounds=${BENCH_ROUNDS:-$rounds} seconds=${BENCH_SECONDS:-$seconds} index_sizes=${BENCH_INDEX_SIZES:-$index_sizes}
export_rounds=${BENCH_EXPORT_ROUNDS:-$export_rounds} export_seconds=${BENCH_EXPORT_SECONDS:-$export_seconds}
mkdir -p "$output/images"
output=$(cd "$output" && pwd)

# Only the settings of each configuration may differ between the measured processes.
while read -r variable; do unset "$variable"; done < <(compgen -e | grep '^OTEL_' || true)

./scripts/install-prerequisites.sh --with-bench

# The report's rule for figures against targets (a spread across a target is unresolved) has its own tests.
if [[ $quick == true ]]; then PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s bench -p 'test_*.py' -q; fi

# Pinning: the measured Api processes on one core, all else on the rest. This script pins itself once the build is
# done (the build may use every core), so that everything it starts next (PostgreSQL, the receivers, the payment
# stand-in, wrk) inherits the other cores; each Api process and the microbenchmarks are started under taskset on the
# Api's core. One core alone cannot be split: then nothing is pinned.
cores=$(nproc)
if command -v taskset >/dev/null && [[ $cores -ge 2 ]]; then
  api_core=${BENCH_API_CORE:-$((cores - 1))}
  other_cores=${BENCH_OTHER_CORES:-$([[ $cores -eq 2 ]] && echo 0 || echo "0-$((cores - 2))")}
  pin_self=(taskset -cp "$other_cores" $$)
  on_api_core=(taskset -c "$api_core")
  pinning="Api processes and microbenchmarks on core $api_core; wrk, PostgreSQL, the receivers, the payment stand-in on core(s) $other_cores"
else
  pin_self=(true)
  on_api_core=()
  pinning="not pinned (taskset missing or a single core)"
fi
echo "Pinning: $pinning"
clock_ticks=$(getconf CLK_TCK)

echo "[${SECONDS}s] Building ($configuration)..."
dotnet build bench/bench.slnf -c "$configuration" -v quiet -nologo >/dev/null
"${pin_self[@]}" >/dev/null
# The standalone dashboard is the OTLP receiver; the AppHost's restore brings its package.
dashboard=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/aspire.dashboard.sdk.linux-x64/*/tools/Aspire.Dashboard 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$dashboard" ]]; then
  dotnet restore OrdersTracing.AppHost -v quiet >/dev/null
  dashboard=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/aspire.dashboard.sdk.linux-x64/*/tools/Aspire.Dashboard | sort -V | tail -n 1)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/orderstracing-bench.XXXXXX")
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ $status -eq 0 ]]; then
    rm -rf "$work"
  else
    echo "bench/run.sh failed ($status); its logs and raw results are in $work" >&2
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # $1: URL that answers when the process is ready
  for _ in $(seq 300); do curl -sf -o /dev/null "$1" && return; sleep 0.1; done
  echo "$1 did not answer" >&2; exit 1
}
stop() { # $1: pid
  kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
}
json_number() { grep -oE "\"$1\":[0-9.]+" | head -n 1 | cut -d: -f2; }

# The Api takes the caller only from a token signed as Web signs it (docs/reliability.md): the benchmark's Api
# processes get a key of the run's own, and its requests a token for their tenant, valid for the whole run (signed
# before the timed request, never inside it).
SERVICE_TOKEN_SIGNING_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
export SERVICE_TOKEN_SIGNING_KEY
token() { python3 scripts/service-token.py "$1" bench 14400; } # $1: tenant; prints its service token

pg_port=$(free_port)
export PGPASSWORD=bench
PGPORT=$pg_port POSTGRES_PASSWORD=bench bash OrdersTracing.AppHost/Postgres/run-local-postgres.sh \
  -c shared_preload_libraries=pg_stat_statements >"$work/postgres.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
pg_isready -q -h 127.0.0.1 -p "$pg_port" || { echo "PostgreSQL did not start:" >&2; cat "$work/postgres.log" >&2; exit 1; }
sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -qAtc "$2"; }

# The order cache, as the AppHost's local mode runs it: every Api process reads its orders through it.
redis_port=$(free_port)
REDIS_PORT=$redis_port REDIS_PASSWORD=bench bash OrdersTracing.AppHost/Redis/run-local-redis.sh >"$work/redis.log" 2>&1 &
pids+=($!)
redis_ping() { redis-cli -h 127.0.0.1 -p "$redis_port" --no-auth-warning -a bench ping 2>/dev/null | grep -q PONG; }
for _ in $(seq 100); do redis_ping && break; sleep 0.1; done
redis_ping || { echo "Redis did not start:" >&2; cat "$work/redis.log" >&2; exit 1; }

dashboard_port=$(free_port); otlp_port=$(free_port)
otlp="http://127.0.0.1:$otlp_port"
ASPNETCORE_URLS="http://127.0.0.1:$dashboard_port" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="$otlp" \
  DASHBOARD__FRONTEND__AUTHMODE=Unsecured DASHBOARD__OTLP__AUTHMODE=Unsecured ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
  Logging__LogLevel__Default=Warning "$dashboard" >"$work/dashboard.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$dashboard_port/"

# The receiver that costs little: it reads every OTLP/HTTP and OTLP/gRPC request whole and discards it. The overhead
# runs export to it; only the labelled "dashboard" configuration exports to the dashboard, local mode's receiver.
benchmarks=bench/OrdersTracing.Benchmarks/bin/$configuration/net10.0/OrdersTracing.Benchmarks.dll
sink_port=$(free_port); sink_grpc_port=$(free_port)
dotnet "$benchmarks" sink --urls "http://127.0.0.1:$sink_port" --grpc-port "$sink_grpc_port" >"$work/sink.log" 2>&1 &
pids+=($!)
sink_pid=$!
wait_for "http://127.0.0.1:$sink_port/alive"
sink="http://127.0.0.1:$sink_port"

start_provider() { # $1: latency; sets provider_port. Not traced: only the Api's tracing differs between runs.
  provider_port=$(free_port)
  OTEL_SDK_DISABLED=true PaymentProvider__Latency=$1 Logging__LogLevel__Default=Warning \
    dotnet OrdersTracing.PaymentProvider/bin/$configuration/net10.0/OrdersTracing.PaymentProvider.dll \
    --urls "http://127.0.0.1:$provider_port" >"$work/provider-$provider_port.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$provider_port/alive"
}

# The tracing configurations under comparison, as the environment each Api process gets.
configs=(off on detect sampled dashboard)
to_sink="OTEL_EXPORTER_OTLP_ENDPOINT=$sink OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
no_detectors="Tracing__QueryDetection__DetectorsEnabled=false Tracing__QueryDetection__SlowQueryEnabled=false"
declare -A config_env=(
  [off]="OTEL_SDK_DISABLED=true"
  [on]="$to_sink $no_detectors"
  [detect]="$to_sink"
  [sampled]="$to_sink $no_detectors OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1"
  [dashboard]="OTEL_EXPORTER_OTLP_ENDPOINT=$otlp $no_detectors"
)
declare -A api_pid api_url

launch_api() { # $1: name, $2: database, $3: payment provider port, $4...: extra settings (NAME=value)
  local name=$1 database=$2 provider=$3 port; shift 3
  port=$(free_port)
  env ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning OTEL_SERVICE_NAME="bench-$name" \
    ConnectionStrings__ordersdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=bench;Database=$database" \
    ConnectionStrings__cache="127.0.0.1:$redis_port,password=bench" \
    PaymentProvider__BaseUrl="http://127.0.0.1:$provider" ServiceTokens__SigningKey="$SERVICE_TOKEN_SIGNING_KEY" "$@" \
    "${on_api_core[@]}" dotnet OrdersTracing.Api/bin/$configuration/net10.0/OrdersTracing.Api.dll --urls "http://127.0.0.1:$port" >"$work/api-$name.log" 2>&1 &
  api_pid[$name]=$!
  pids+=($!)
  api_url[$name]="http://127.0.0.1:$port"
}
start_api() { launch_api "$@"; wait_for "${api_url[$1]}/alive"; }

order='{"items":[{"sku":"coffee-beans","quantity":2,"unitPrice":9.5},{"sku":"filter-papers","quantity":1,"unitPrice":3.25},{"sku":"mug","quantity":1,"unitPrice":12}]}'
post_order() { # $1: Api URL, $2: tenant, $3: payment (Background or Synchronous); prints the response
  curl -sf -H "Authorization: Bearer $(token "$2")" -H 'Content-Type: application/json' -d "$order" "$1/api/orders?payment=$3"
}

# ---------------------------------------------------------------------------------------------------------------
# 1. Service overhead
# ---------------------------------------------------------------------------------------------------------------
echo "[${SECONDS}s] 1/4 Service overhead: ${#configs[@]} configurations x 4 endpoints x $rounds rounds of ${seconds}s, $connections connections"
start_provider 00:00:00
declare -A order_id
for config in "${configs[@]}"; do
  # shellcheck disable=SC2086 # the settings are NAME=value words
  launch_api "$config" "bench_$config" "$provider_port" ${config_env[$config]}
done
for config in "${configs[@]}"; do
  wait_for "${api_url[$config]}/alive"
  for _ in $(seq "$posted_orders"); do response=$(post_order "${api_url[$config]}" bench Synchronous); done
  order_id[$config]=$(grep -oE '"id":"[0-9a-f-]+"' <<<"$response" | head -n 1 | cut -d'"' -f4)
  curl -sf -X POST "${api_url[$config]}/api/admin/tenants/bench/orders?count=$seed_orders" >/dev/null
done

endpoints=(ping get list create)
endpoint_request() { # $1: endpoint, $2: config; prints "METHOD|PATH|TENANT|BODY"
  case $1 in
    ping) echo "GET|/api/ping|bench|" ;;
    get) echo "GET|/api/orders/${order_id[$2]}|bench|" ;;
    list) echo "GET|/api/orders?pageSize=20|bench|" ;;
    create) echo "POST|/api/orders?payment=Synchronous|bench-create|$order" ;;
  esac
}
load() { # $1: endpoint, $2: config, $3: seconds; prints wrk's JSON summary
  local method path tenant body
  IFS='|' read -r method path tenant body <<<"$(endpoint_request "$1" "$2")"
  BENCH_METHOD=$method BENCH_TOKEN=$(token "$tenant") BENCH_BODY=${body:-} \
    wrk -t1 -c"$connections" -d"$3s" -s bench/wrk-request.lua "${api_url[$2]}$path" | tail -n 1
}
allocated() { curl -sf "${api_url[$1]}/api/admin/process" | json_number allocatedBytes; }
# The Api process's CPU time so far (user + system, in clock ticks), from /proc/PID/stat: fields 14 and 15, counted
# after the command name, which may hold spaces.
cpu_ticks() { sed 's/^.*) //' "/proc/${api_pid[$1]}/stat" | awk '{ print $12 + $13 }'; }

if [[ $warmup -gt 0 ]]; then
  for config in "${configs[@]}"; do
    for endpoint in "${endpoints[@]}"; do load "$endpoint" "$config" "$warmup" >/dev/null; done
  done
fi
for round in $(seq "$rounds"); do
  for endpoint in "${endpoints[@]}"; do
    # Each round starts with another configuration, so that no configuration always runs first or last.
    for i in "${!configs[@]}"; do
      config=${configs[$(((i + round) % ${#configs[@]}))]}
      before=$(allocated "$config")
      cpu_before=$(cpu_ticks "$config")
      summary=$(load "$endpoint" "$config" "$seconds")
      cpu_after=$(cpu_ticks "$config")
      after=$(allocated "$config")
      printf '{"round":%d,"endpoint":"%s","config":"%s","allocated":%d,"cpu_seconds":%s,"wrk":%s}\n' \
        "$round" "$endpoint" "$config" $((after - before)) \
        "$(awk -v t=$((cpu_after - cpu_before)) -v hz="$clock_ticks" 'BEGIN { printf "%.3f", t / hz }')" "$summary" >>"$work/overhead.jsonl"
    done
  done
  echo "  round $round of $rounds done"
done
for config in "${configs[@]}"; do
  rss_kb=$(awk '/VmRSS/ { print $2 }' "/proc/${api_pid[$config]}/status")
  printf '{"config":"%s","rss_bytes":%d,"process":%s}\n' "$config" $((rss_kb * 1024)) \
    "$(curl -sf "${api_url[$config]}/api/admin/process")" >>"$work/memory.jsonl"
  stop "${api_pid[$config]}"
done

# ---------------------------------------------------------------------------------------------------------------
# 2. Database fixes (the application as shipped: tracing on, detectors on)
# ---------------------------------------------------------------------------------------------------------------
echo "[${SECONDS}s] 2/4 Database fixes: $fix_rounds requests per figure, tenant sizes $index_sizes"
start_provider 00:00:00.300
slow_provider=$provider_port
start_api fixes bench_fixes "$slow_provider" "${config_env[detect]}" Scenarios__TenantCreatedAtIndex=true
sql bench_fixes "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
call_ms() { # $1: tenant, $2: path, [$3: JSON body to POST]; prints milliseconds
  local bearer; bearer=$(token "$1")
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $bearer" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "${api_url[fixes]}$2" | awk '{ printf "%.3f\n", $1 * 1000 }'
}
record() { # $1: scenario, $2: variant, $3: orders, $4...: call_ms arguments
  local scenario=$1 variant=$2 orders=$3; shift 3
  for _ in $(seq "$fix_rounds"); do
    printf '{"scenario":"%s","variant":"%s","orders":%d,"ms":%s}\n' "$scenario" "$variant" "$orders" "$(call_ms "$@")" >>"$work/fixes.jsonl"
  done
}
# Queries per request and their time in the database, as PostgreSQL counted them (the outbox worker's excluded).
record_queries() { # $1: variant, $2: path
  sql bench_fixes "SELECT pg_stat_statements_reset()" >/dev/null
  for _ in $(seq "$fix_rounds"); do call_ms listing "$2" >/dev/null; done
  sql bench_fixes "SELECT sum(calls), sum(total_exec_time) FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'bench_fixes') AND query !~* 'payment_outbox|pg_stat_statements'
      AND query ~* 'from (orders|order_items)'" |
    awk -F'|' -v variant="$1" -v n="$fix_rounds" '{ printf "{\"variant\":\"%s\",\"queries\":%.2f,\"db_ms\":%.3f}\n", variant, $1 / n, $2 / n }' \
    >>"$work/queries.jsonl"
}

for _ in $(seq 20); do post_order "${api_url[fixes]}" listing Background >/dev/null; done
for _ in $(seq 100); do
  [[ $(sql bench_fixes "SELECT count(*) FROM payment_outbox WHERE processed_at IS NULL") == 0 ]] && break; sleep 0.2
done
call_ms listing "/api/orders/with-items?loading=Naive" >/dev/null
record_queries naive "/api/orders/with-items?loading=Naive"
record_queries eager "/api/orders/with-items?loading=Eager"
record listing naive 20 listing "/api/orders/with-items?loading=Naive"
record listing eager 20 listing "/api/orders/with-items?loading=Eager"
call_ms warmup "/api/orders?payment=Synchronous" "$order" >/dev/null
record payment synchronous 0 pay "/api/orders?payment=Synchronous" "$order"
record payment background 0 pay "/api/orders?payment=Background" "$order"

# The index is created or dropped at start-up: at each size, measure the state the Api has, then restart it with
# the other; the next size starts from that one, so each size costs one restart.
index=true seeded=0
for size in $index_sizes; do
  curl -sf -X POST "${api_url[fixes]}/api/admin/tenants/big/orders?count=$((size - seeded))" >/dev/null
  seeded=$size
  for turn in 1 2; do
    call_ms big "/api/orders?pageSize=20" >/dev/null
    record index "$([[ $index == true ]] && echo with || echo without)" "$size" big "/api/orders?pageSize=20"
    [[ $turn == 2 ]] && break
    stop "${api_pid[fixes]}"
    index=$([[ $index == true ]] && echo false || echo true)
    start_api fixes bench_fixes "$slow_provider" "${config_env[detect]}" Scenarios__TenantCreatedAtIndex=$index
  done
done
stop "${api_pid[fixes]}"

# ---------------------------------------------------------------------------------------------------------------
# 3. Export path
# ---------------------------------------------------------------------------------------------------------------
echo "[${SECONDS}s] 3/4 Export path: rates $export_rates spans/s, ${export_seconds}s each, $export_rounds rounds"
dotnet "$benchmarks" export --dashboard "$otlp" --sink "http://127.0.0.1:$sink_port" --seconds "$export_seconds" \
  --flush-seconds "$export_flush" --rounds "$export_rounds" --rates "$export_rates" --output "$work/export.jsonl" >"$work/export.log"

# ---------------------------------------------------------------------------------------------------------------
# 4. Microbenchmarks, with nothing else of ours running but the discarding receiver (on the other core)
# ---------------------------------------------------------------------------------------------------------------
for pid in "${pids[@]}"; do [[ $pid == "$sink_pid" ]] || stop "$pid"; done
pids=("$sink_pid")
echo "[${SECONDS}s] 4/4 Microbenchmarks: our processors per span, the export per span (BenchmarkDotNet ${bdn_job[*]})"
(cd "$work" && BENCH_SINK_HTTP="$sink/v1/traces" BENCH_SINK_GRPC="http://127.0.0.1:$sink_grpc_port" \
  BENCH_EXPORT_CPU="$work/export-cpu.jsonl" "${on_api_core[@]}" dotnet "$root/$benchmarks" \
  --filter '*QueryDetectionBenchmarks*' '*ProcessorBenchmarks*' '*ExportCostBenchmarks*' --inProcess "${bdn_job[@]}" \
  --exporters json --artifacts "$work/bdn" >"$work/bdn.log")
for name in QueryDetectionBenchmarks ProcessorBenchmarks ExportCostBenchmarks; do
  cp "$work"/bdn/results/*.$name-report-full-compressed.json "$work/micro-$name.json"
done

overrides=$(compgen -e | grep '^BENCH_' | while read -r name; do printf '%s=%q ' "$name" "${!name}"; done || true)
command="$overrides./bench/run.sh"
[[ $quick == true ]] && command+=" --quick"
python3 bench/report.py --work "$work" --output "$output" --command "$command" \
  --pinning "$pinning" --settings "rounds=$rounds seconds=$seconds warmup=$warmup connections=$connections seed_orders=$seed_orders fix_rounds=$fix_rounds index_sizes=${index_sizes// /,} export_rounds=$export_rounds export_seconds=$export_seconds bdn=${bdn_job[*]}"
echo "[${SECONDS}s] Wrote $output/performance.md"

# The diagnosis benchmark (docs/diagnosis.md) starts the whole application; a run that has one already measures it
# on its own (the test suite runs its quick mode as DiagnosisBenchmark) sets DIAGNOSIS_BENCH_SKIP=1.
if [[ ${DIAGNOSIS_BENCH_SKIP:-} != 1 ]]; then
  diagnose=(./bench/diagnose.sh --output "$output")
  [[ $quick == true ]] && diagnose+=(--quick)
  "${diagnose[@]}"
fi
