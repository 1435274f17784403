# The set-up that bench/run.sh, bench/profile.sh and bench/side-by-side.sh share, sourced from the repository's root:
# the pinning, the throwaway PostgreSQL and Redis, the discarding receiver, the payment stand-in, the tracing
# configurations and runtime settings of the Api processes, and one wrk load of one endpoint. The caller sets
# `configuration` (Debug or Release) and `work` (the folder for logs) before it starts anything; every process started
# is added to `pids`, which stop_started stops for the caller's clean-up.
pids=()

# Pinning: the measured Api processes on one core, all else on the rest. The caller pins itself once its build is done
# (the build may use every core) with "${pin_self[@]}", so that everything it starts next (PostgreSQL, the receivers,
# the payment stand-in, wrk) inherits the other cores; each Api process is started under "${on_api_core[@]}". One
# core alone cannot be split: then nothing is pinned. BENCH_API_CORE and BENCH_OTHER_CORES choose other cores.
cores=$(nproc)
if command -v taskset >/dev/null && [[ $cores -ge 2 ]]; then
  api_core=${BENCH_API_CORE:-$((cores - 1))}
  other_cores=${BENCH_OTHER_CORES:-$([[ $cores -eq 2 ]] && echo 0 || echo "0-$((cores - 2))")}
  pin_self=(taskset -cp "$other_cores" $$)
  on_api_core=(taskset -c "$api_core")
  pinning="Api processes and microbenchmarks on core $api_core; wrk, PostgreSQL, the receivers, the payment stand-in on core(s) $other_cores"
else
  api_core="" other_cores=""
  pin_self=(true)
  on_api_core=()
  pinning="not pinned (taskset missing or a single core)"
fi
clock_ticks=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # $1: URL that answers when the process is ready
  for _ in $(seq 300); do curl -sf -o /dev/null "$1" && return; sleep 0.1; done
  echo "$1 did not answer" >&2; exit 1
}
stop() { # $1: pid
  kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
}
json_number() { grep -oE "\"$1\":[0-9.]+" | head -n 1 | cut -d: -f2; }
first_id() { grep -oE '"id":"[0-9a-f-]+"' | head -n 1 | cut -d'"' -f4; } # the first "id" of a JSON answer
stop_started() { # every process in pids, for the caller's EXIT trap
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# The Api takes the caller only from a token signed as Web signs it (docs/reliability.md): the benchmark's Api
# processes get a key of the run's own, and its requests a token for their tenant, valid for the whole run (signed
# before the timed request, never inside it).
SERVICE_TOKEN_SIGNING_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
export SERVICE_TOKEN_SIGNING_KEY
token() { python3 scripts/service-token.py "$1" bench 14400; } # $1: tenant; prints its service token

start_postgres() { # $@: extra server settings (-c name=value); sets pg_port
  pg_port=$(free_port)
  export PGPASSWORD=bench
  PGPORT=$pg_port POSTGRES_PASSWORD=bench bash OrdersTracing.AppHost/Postgres/run-local-postgres.sh "$@" >"$work/postgres.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
  pg_isready -q -h 127.0.0.1 -p "$pg_port" || { echo "PostgreSQL did not start:" >&2; cat "$work/postgres.log" >&2; exit 1; }
}
sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -qAtc "$2"; } # $1: database, $2: statement

# The order cache, as the AppHost's local mode runs it: every Api process reads its orders through it.
start_redis() { # sets redis_port
  redis_port=$(free_port)
  REDIS_PORT=$redis_port REDIS_PASSWORD=bench bash OrdersTracing.AppHost/Redis/run-local-redis.sh >"$work/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do redis_ping && break; sleep 0.1; done
  redis_ping || { echo "Redis did not start:" >&2; cat "$work/redis.log" >&2; exit 1; }
}
redis_ping() { redis-cli -h 127.0.0.1 -p "$redis_port" --no-auth-warning -a bench ping 2>/dev/null | grep -q PONG; }

# The receiver that costs little: it reads every OTLP/HTTP and OTLP/gRPC request whole and discards it. The overhead
# runs export to it; only the labelled "dashboard" configuration exports to the dashboard, local mode's receiver.
start_sink() { # sets benchmarks (the benchmark program), sink (its OTLP/HTTP URL), sink_grpc_port, sink_pid
  benchmarks=bench/OrdersTracing.Benchmarks/bin/$configuration/net10.0/OrdersTracing.Benchmarks.dll
  local port; port=$(free_port); sink_grpc_port=$(free_port)
  dotnet "$benchmarks" sink --urls "http://127.0.0.1:$port" --grpc-port "$sink_grpc_port" >"$work/sink.log" 2>&1 &
  pids+=($!)
  sink_pid=$!
  sink="http://127.0.0.1:$port"
  wait_for "$sink/alive"
}

# The tracing configurations under comparison, as the environment each Api process gets; the dashboard's OTLP URL is
# `otlp`, set by the caller that starts one.
declare -A config_env
define_configs() {
  local to_sink="OTEL_EXPORTER_OTLP_ENDPOINT=$sink OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
  local no_detectors="Tracing__QueryDetection__DetectorsEnabled=false Tracing__QueryDetection__SlowQueryEnabled=false"
  config_env=(
    [off]="OTEL_SDK_DISABLED=true"
    [on]="$to_sink $no_detectors"
    [detect]="$to_sink"
    [sampled]="$to_sink $no_detectors OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1"
    [dashboard]="OTEL_EXPORTER_OTLP_ENDPOINT=${otlp:-} $no_detectors"
  )
}

# Only the settings of each configuration may differ between the measured processes: no OpenTelemetry setting and no
# runtime knob (GC, JIT tiering, PGO, ReadyToRun, thread pool) comes from the caller's environment; the runtime's
# settings, alike for every Api process, are said rather than left to defaults that depend on what the process sees:
# the workstation GC (the Web SDK asks for the server GC, which a process on one core does not get anyway), tiered
# compilation with dynamic PGO as shipped, its tier-ups done in the warm-up.
while read -r variable; do unset "$variable"; done < <(compgen -e | grep -E '^OTEL_|^(DOTNET|COMPlus)_(gc|GC|Tiered|TC_|OSR|ReadyToRun|ThreadPool|Thread_)' || true)
runtime_env=(DOTNET_gcServer=0 DOTNET_gcConcurrent=1 DOTNET_TieredCompilation=1 DOTNET_TieredPGO=1 DOTNET_ReadyToRun=1)

# The payment stand-in, answering after the given latency. Not traced: only the Api's tracing differs between runs.
start_provider() { # $1: latency (hh:mm:ss.fff); sets provider_port
  provider_port=$(free_port)
  OTEL_SDK_DISABLED=true PaymentProvider__Latency=$1 Logging__LogLevel__Default=Warning \
    dotnet OrdersTracing.PaymentProvider/bin/$configuration/net10.0/OrdersTracing.PaymentProvider.dll \
    --urls "http://127.0.0.1:$provider_port" >"$work/provider-$provider_port.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$provider_port/alive"
}

declare -A api_pid api_url
launch_api() { # $1: name, $2: database, $3: payment provider port, $4...: extra settings (NAME=value)
  local name=$1 database=$2 provider=$3 port; shift 3
  port=$(free_port)
  env ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning OTEL_SERVICE_NAME="bench-$name" "${runtime_env[@]}" \
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

# Each endpoint's request; `get` reads the order in order_id[config], which the caller created.
declare -A order_id
endpoint_request() { # $1: endpoint, $2: config; prints "METHOD|PATH|TENANT|BODY"
  case $1 in
    ping) echo "GET|/api/ping|bench|" ;;
    get) echo "GET|/api/orders/${order_id[$2]}|bench|" ;;
    list) echo "GET|/api/orders?pageSize=20|bench|" ;;
    create) echo "POST|/api/orders?payment=Synchronous|bench-create|$order" ;;
  esac
}
# The loads' tokens, signed once: a Python start per load would sit inside the window the load's conditions are read over.
declare -A load_token=([bench]=$(token bench) [bench-create]=$(token bench-create))
connections=${connections:-16}
load() { # $1: endpoint, $2: config, $3: seconds; prints wrk's JSON summary
  local method path tenant body
  IFS='|' read -r method path tenant body <<<"$(endpoint_request "$1" "$2")"
  BENCH_METHOD=$method BENCH_TOKEN=${load_token[$tenant]} BENCH_BODY=${body:-} \
    wrk -t1 -c"$connections" -d"$3s" -s bench/wrk-request.lua "${api_url[$2]}$path" | tail -n 1
}
process_stats() { curl -sf "${api_url[$1]}/api/admin/process"; } # $1: config

# Exactly one Api process on the Api's core while it is measured: the idle ones (an export timer, the outbox worker's
# poll, the Redis heartbeat) wait on the other cores meanwhile. Every thread moves (-a); each process keeps the one
# processor it saw at start-up (taskset -c on launch), so its thread pool and GC stay sized alike.
isolate() { # $1: the config to measure; the others are the keys of api_pid
  [[ ${#on_api_core[@]} -gt 0 ]] || return 0
  local other
  for other in "${!api_pid[@]}"; do
    [[ $other == "$1" ]] || move "${api_pid[$other]}" "$other_cores"
  done
  move "${api_pid[$1]}" "$api_core"
}
move() { # $1: pid, $2: cores. A thread that ends while taskset walks the process's threads fails the walk: walk again.
  for _ in 1 2 3; do taskset -a -cp "$2" "$1" >/dev/null 2>&1 && return; done
  taskset -a -cp "$2" "$1" >/dev/null
}
# The Api process's CPU time so far (user + system, in clock ticks), from /proc/PID/stat: fields 14 and 15, counted
# after the command name, which may hold spaces.
cpu_ticks() { sed 's/^.*) //' "/proc/${api_pid[$1]}/stat" | awk '{ print $12 + $13 }'; } # $1: config
