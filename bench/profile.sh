#!/usr/bin/env bash
# Where (b)'s extra CPU per request goes: the Api with tracing off (a) and on (b), started as bench/run.sh starts them
# (bench/harness.sh), each alone on the Api's core under the same wrk load of one endpoint, sampled by dotnet-trace
# (the dotnet-sampled-thread-time profile: every managed thread's stack at about 100 Hz; collect-linux's kernel CPU
# sampling needs perf events this machine does not give), then split by bench/profile_report.py into where the CPU of
# a request goes in each (export, instrumentation, Activity, metrics, ours, the rest).
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
configuration=Release connections=16
source bench/harness.sh

./scripts/install-prerequisites.sh --with-bench
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null
dotnet build bench/bench.slnf -c "$configuration" -v quiet -nologo --disable-build-servers >/dev/null
"${pin_self[@]}" >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/orderstracing-profile.XXXXXX")
trap stop_started EXIT
start_postgres
start_redis
start_sink
define_configs

# (a) and (b) of bench/run.sh; no payment is made (the endpoints profiled make none).
for config in off on; do
  # shellcheck disable=SC2086 # the settings are NAME=value words
  launch_api "$config" "profile_$config" 1 ${config_env[$config]}
done
for config in off on; do
  wait_for "${api_url[$config]}/alive"
  curl -sf -X POST "${api_url[$config]}/api/admin/tenants/bench/orders?count=100" >/dev/null
  order_id[$config]=$(curl -sf -H "Authorization: Bearer ${load_token[bench]}" "${api_url[$config]}/api/orders?pageSize=1" | first_id)
done

for config in off on; do
  isolate "$config"
  load "$endpoint" "$config" 10 >/dev/null # warm-up: the JIT's tier-ups before the sampling starts
  dotnet-trace collect -p "${api_pid[$config]}" --profile dotnet-sampled-thread-time --format Speedscope -o "$work/$config.nettrace" \
    --duration "00:00:00:$((seconds + 2))" >"$work/trace-$config.log" 2>&1 &
  tracer=$!
  sleep 1 # the session attaches before the load starts
  load "$endpoint" "$config" "$seconds" | tee "$work/wrk-$config.json"
  wait "$tracer"
  dotnet-trace report "$work/$config.nettrace" topN -n 40 >"$work/top-exclusive-$config.txt"
  dotnet-trace report "$work/$config.nettrace" topN -n 60 --inclusive >"$work/top-inclusive-$config.txt"
done
python3 bench/profile_report.py "$work" | tee "$work/report.md"
echo "Profiles of $endpoint in $work: report.md, top-exclusive-{off,on}.txt, top-inclusive-{off,on}.txt, {off,on}.speedscope.json"
