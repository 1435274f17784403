#!/usr/bin/env bash
# Measures what tracing costs the Api, and what the reference design's database fixes gain, in one run on this
# machine, and writes docs/performance.md with its plots (docs/images/perf-*.png).
#
#   ./bench/run.sh                      the full run (about 40 minutes on 2 cores, on a quiet machine); rewrites
#                                       docs/performance.md
#   ./bench/run.sh --quick              a smoke run (about 4 minutes): tiny loads, writes to a temporary folder
#   ./bench/run.sh --output DIR         write performance.md and images/ to DIR instead
#
# BENCH_KEEP_WORK=1 keeps the raw results after a run that succeeded, so that the page can be written again from them
# (bench/report.py with the --work folder it prints) once bench/performance-notes.md has been edited.
#
# It ends with the diagnosis benchmark, ./bench/diagnose.sh, in the same mode and to the same folder
# (docs/diagnosis.md); DIAGNOSIS_BENCH_SKIP=1 leaves it out.
#
# The four benchmarks, in this order:
#   1. service overhead: the Api (Release; Debug in a quick run) on a throwaway PostgreSQL, one process per tracing
#      configuration, driven by wrk on loopback endpoint by endpoint, the configurations alternating within each round
#      ((a), (b), (c) back to back); the measured Api process alone on one core (BENCH_API_CORE, the last one by
#      default), the idle ones and everything else (wrk, PostgreSQL, the receivers, the payment stand-in, this script)
#      on the others (BENCH_OTHER_CORES), so that a measured Api competes with nothing but its own work; CPU time per
#      request from /proc/PID/stat beside requests/s and latency, and per load the steal and the other work on the
#      Api's core from /proc/stat, so that a disturbed round is seen;
#   2. database fixes: payment in the request vs. background, naive vs. eager listing (queries counted by
#      pg_stat_statements), a large tenant's listing with and without the (tenant_id, created_at) index;
#   3. export path: spans per second through the batch processor to the live dashboard before it drops any;
#   4. microbenchmarks (BenchmarkDotNet, in process, on the Api's core): each span processor and hook of ours per span,
#      and the export's own CPU per span through the batch processor and the OTLP exporter (HTTP and gRPC) to the
#      discarding receiver on the other core.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

source bench/options.sh
parse_options "$@"

if [[ $quick == true ]]; then
  output=${output:-${TMPDIR:-/tmp}/orderstracing-bench-quick}
  rounds=1 unmeasured_rounds=0 seconds=1 warmup=1 warmup_seconds_more=3 settle=0 connections=8 seed_orders=2000 posted_orders=3 fix_rounds=3 index_sizes="2000 20000"
  export_rounds=1 export_seconds=0.5 export_flush=2 export_rates="2000,20000"
  bdn_job=(--job Dry --smoke)
  # Timings are not read in a quick run: the Debug builds that the tests' build already made will do.
  configuration=Debug
else
  output=${output:-docs}
  rounds=7 unmeasured_rounds=1 seconds=6 warmup=5 warmup_seconds_more=20 settle=1 connections=16 seed_orders=10000 posted_orders=20 fix_rounds=21 index_sizes="100000 300000 1000000"
  export_rounds=3 export_seconds=2 export_flush=10 export_rates="1000,5000,20000,80000,320000"
  bdn_job=(--job short --iterationCount 15)
  configuration=Release
fi
# A shorter run where time is short: BENCH_ROUNDS, BENCH_SECONDS, BENCH_SETTLE_SECONDS, BENCH_INDEX_SIZES,
# BENCH_EXPORT_ROUNDS and BENCH_EXPORT_SECONDS override.
rounds=${BENCH_ROUNDS:-$rounds} seconds=${BENCH_SECONDS:-$seconds} settle=${BENCH_SETTLE_SECONDS:-$settle}
index_sizes=${BENCH_INDEX_SIZES:-$index_sizes}
export_rounds=${BENCH_EXPORT_ROUNDS:-$export_rounds} export_seconds=${BENCH_EXPORT_SECONDS:-$export_seconds}
mkdir -p "$output/images"
output=$(cd "$output" && pwd)

source bench/harness.sh

./scripts/install-prerequisites.sh --with-bench

# The report's rule for figures against targets (a spread across a target is unresolved) has its own tests.
if [[ $quick == true ]]; then PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s bench -p 'test_*.py' -q; fi

echo "Pinning: $pinning"

echo "[${SECONDS}s] Building ($configuration)..."
# No build server stays behind in a measured run: a compiler or MSBuild node started before the pinning would be free to
# run on the Api's core (a quick run's timings are not read, and it keeps the servers that make its build fast).
no_build_servers=$([[ $quick == true ]] || echo --disable-build-servers)
dotnet build bench/bench.slnf -c "$configuration" -v quiet -nologo $no_build_servers >/dev/null
"${pin_self[@]}" >/dev/null
# The standalone dashboard is the OTLP receiver; the AppHost's restore brings its package.
dashboard=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/aspire.dashboard.sdk.linux-x64/*/tools/Aspire.Dashboard 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$dashboard" ]]; then
  dotnet restore OrdersTracing.AppHost -v quiet >/dev/null
  dashboard=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/aspire.dashboard.sdk.linux-x64/*/tools/Aspire.Dashboard | sort -V | tail -n 1)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/orderstracing-bench.XXXXXX")
cleanup() {
  local status=$?
  stop_started
  if [[ $status -eq 0 && ${BENCH_KEEP_WORK:-} != 1 ]]; then
    rm -rf "$work"
  elif [[ $status -eq 0 ]]; then
    echo "bench/run.sh kept its raw results in $work" >&2
  else
    echo "bench/run.sh failed ($status); its logs and raw results are in $work" >&2
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# A throwaway database that waits for no disk flush at commit (synchronous_commit=off, still crash-safe): on a shared
# virtual disk the flush of each created order's commit took whatever time the disk had, a noise the Api's tracing does
# not make.
start_postgres -c shared_preload_libraries=pg_stat_statements -c synchronous_commit=off
start_redis

dashboard_port=$(free_port); otlp_port=$(free_port)
otlp="http://127.0.0.1:$otlp_port"
ASPNETCORE_URLS="http://127.0.0.1:$dashboard_port" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="$otlp" \
  DASHBOARD__FRONTEND__AUTHMODE=Unsecured DASHBOARD__OTLP__AUTHMODE=Unsecured ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
  Logging__LogLevel__Default=Warning "$dashboard" >"$work/dashboard.log" 2>&1 &
pids+=($!)
dashboard_pid=$!
wait_for "http://127.0.0.1:$dashboard_port/"

start_sink
define_configs

configs=(off on detect sampled dashboard)

# ---------------------------------------------------------------------------------------------------------------
# 1. Service overhead
# ---------------------------------------------------------------------------------------------------------------
echo "[${SECONDS}s] 1/4 Service overhead: ${#configs[@]} configurations x 4 endpoints x $rounds rounds of ${seconds}s, $connections connections"
start_provider 00:00:00
for config in "${configs[@]}"; do
  # shellcheck disable=SC2086 # the settings are NAME=value words
  launch_api "$config" "bench_$config" "$provider_port" ${config_env[$config]}
done
for config in "${configs[@]}"; do
  wait_for "${api_url[$config]}/alive"
  for _ in $(seq "$posted_orders"); do response=$(post_order "${api_url[$config]}" bench Synchronous); done
  order_id[$config]=$(first_id <<<"$response")
  curl -sf -X POST "${api_url[$config]}/api/admin/tenants/bench/orders?count=$seed_orders" >/dev/null
done

endpoints=(ping get list create)

# What else the Api's core did during a load: its busy and stolen time from /proc/stat (in clock ticks), to set against
# the Api's own; and the other cores' busy time, which says whether wrk and PostgreSQL had room.
core_ticks() { # $1: a cpu line's name (cpu1), or "others" for the other cores together; prints "busy steal total"
  awk -v want="$1" -v api="cpu${api_core:-none}" '
    /^cpu[0-9]/ && ($1 == want || (want == "others" && $1 != api)) {
      busy += $2 + $3 + $4 + $7 + $8; steal += $9; total += $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }
    END { printf "%d %d %d\n", busy, steal, total }' /proc/stat
}
# The order of the configurations in a round: (a), (b) and (c) back to back, (b) between the two it is compared with,
# so that each ratio of a round pairs loads seconds apart; the triple runs forwards and backwards in turn, (d) before or
# after it, so that neither (a) nor (c) always runs first. (b′) runs last: the dashboard goes on ingesting on the other
# core after its load, and waits for that (quiet_dashboard) fall on no one's load.
round_order() { # $1: round number; prints the configurations in order
  local triple
  if (($1 % 2)); then triple="off on detect"; else triple="detect on off"; fi
  if ((($1 / 2) % 2)); then echo "sampled $triple dashboard"; else echo "$triple sampled dashboard"; fi
}
quiet_dashboard() { # waits (3 s at most) until the dashboard has used under a tenth of a core for a quarter of a second
  local before after
  for _ in $(seq 12); do
    before=$(sed 's/^.*) //' "/proc/$dashboard_pid/stat" | awk '{ print $12 + $13 }')
    sleep 0.25
    after=$(sed 's/^.*) //' "/proc/$dashboard_pid/stat" | awk '{ print $12 + $13 }')
    (((after - before) * 40 < clock_ticks)) && return
  done
  return 0 # still busy after 3 s: go on rather than end the run (set -e)
}
# The warm-up: every endpoint of every process, each process alone on the Api's core as when it is measured, until the
# JIT's tier-ups of the request path (tier 0, instrumented, tier 1) are done: after the first load, another second of
# load while the last one still had the JIT compile more than a few methods, warmup_seconds_more at most. On one core
# under load the tier-ups take long: a process started alike reached its steady CPU per request of a cached order only
# after about 40 s of load (2026-12-02), and the run with three extra seconds at most had the JIT compile 9 577 methods
# during the measured loads of its first round and still 108 in its seventh.
jit_methods() { process_stats "$1" | json_number jitCompiledMethods; }
if [[ $warmup -gt 0 ]]; then
  for config in "${configs[@]}"; do
    isolate "$config"
    for endpoint in "${endpoints[@]}"; do
      jit_before=$(jit_methods "$config")
      load "$endpoint" "$config" "$warmup" >/dev/null
      for _ in $(seq "$warmup_seconds_more"); do
        jit_after=$(jit_methods "$config")
        ((jit_after - jit_before > 5)) || break
        jit_before=$jit_after
        load "$endpoint" "$config" 1 >/dev/null
      done
    done
  done
fi
# Then whole rounds run like the others and not recorded (round 0): after the warm-up, in twelve rounds of (a) and (b)
# (2026-12-03), the first round still stood apart from all the others (ping (b)/(a) CPU 0.70 where the others were
# 1.06-1.34, the order read 1.48) with about 1 200 methods compiled in its loads, as the processes' caches, pools and
# the JIT met the alternation of endpoints and configurations for the first time.
for round in $(seq $((1 - unmeasured_rounds)) "$rounds"); do
  for endpoint in "${endpoints[@]}"; do
    for config in $(round_order "$round"); do
      isolate "$config"
      # A short load first, not measured, so that the process that just came back to the core meets the measured
      # load with its caches, connections and thread pool in the state of a process under load.
      [[ $settle == 0 ]] || load "$endpoint" "$config" "$settle" >/dev/null
      if ((round < 1)); then
        load "$endpoint" "$config" "$seconds" >/dev/null
        [[ $config != dashboard ]] || quiet_dashboard
        continue
      fi
      before=$(process_stats "$config")
      read -r core_busy_before core_steal_before core_total_before < <(core_ticks "cpu${api_core:-}")
      read -r others_busy_before _ others_total_before < <(core_ticks others)
      cpu_before=$(cpu_ticks "$config")
      summary=$(load "$endpoint" "$config" "$seconds")
      cpu_after=$(cpu_ticks "$config")
      read -r core_busy_after core_steal_after core_total_after < <(core_ticks "cpu${api_core:-}")
      read -r others_busy_after _ others_total_after < <(core_ticks others)
      after=$(process_stats "$config")
      printf '{"round":%d,"endpoint":"%s","config":"%s","allocated":%d,"cpu_seconds":%s,"jit_methods":%d,"threads":%d,"core":{"api_ticks":%d,"busy":%d,"steal":%d,"total":%d},"others":{"busy":%d,"total":%d},"wrk":%s}\n' \
        "$round" "$endpoint" "$config" $(($(json_number allocatedBytes <<<"$after") - $(json_number allocatedBytes <<<"$before"))) \
        "$(awk -v t=$((cpu_after - cpu_before)) -v hz="$clock_ticks" 'BEGIN { printf "%.3f", t / hz }')" \
        $(($(json_number jitCompiledMethods <<<"$after") - $(json_number jitCompiledMethods <<<"$before"))) \
        "$(json_number threadPoolThreads <<<"$after")" $((cpu_after - cpu_before)) \
        $((core_busy_after - core_busy_before)) $((core_steal_after - core_steal_before)) $((core_total_after - core_total_before)) \
        $((others_busy_after - others_busy_before)) $((others_total_after - others_total_before)) "$summary" >>"$work/overhead.jsonl"
      [[ $config != dashboard ]] || quiet_dashboard
    done
  done
  echo "  round $round of $rounds done$( ((round >= 1)) || echo ' (not recorded)')"
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
dotnet "$benchmarks" export --dashboard "$otlp" --sink "$sink" --seconds "$export_seconds" \
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

overrides=$(compgen -e | grep '^BENCH_' | grep -vx BENCH_KEEP_WORK | while read -r name; do printf '%s=%q ' "$name" "${!name}"; done || true)
command="$overrides./bench/run.sh"
[[ $quick == true ]] && command+=" --quick"
python3 bench/report.py --work "$work" --output "$output" --command "$command" \
  --pinning "$pinning" --settings "rounds=$rounds (after $unmeasured_rounds not recorded) seconds=$seconds warmup=$warmup+$warmup_seconds_more settle=$settle connections=$connections seed_orders=$seed_orders fix_rounds=$fix_rounds index_sizes=${index_sizes// /,} export_rounds=$export_rounds export_seconds=$export_seconds bdn=${bdn_job[*]}"
echo "[${SECONDS}s] Wrote $output/performance.md"

# The diagnosis benchmark (docs/diagnosis.md) starts the whole application; a run that has one already measures it
# on its own (the test suite runs its quick mode as DiagnosisBenchmark) sets DIAGNOSIS_BENCH_SKIP=1.
if [[ ${DIAGNOSIS_BENCH_SKIP:-} != 1 ]]; then
  diagnose=(./bench/diagnose.sh --output "$output")
  [[ $quick == true ]] && diagnose+=(--quick)
  "${diagnose[@]}"
fi
