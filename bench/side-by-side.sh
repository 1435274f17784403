#!/usr/bin/env bash
# Two or more tracing configurations of the Api on one endpoint, side by side, with nothing else measured: the check
# bench/run.sh's notes quote when one of its figures needs a closer look. Each process is started as bench/run.sh starts
# it (bench/harness.sh), warmed up alone on the Api's core, then measured in rounds that rotate which goes first; the
# CPU per request of each, and its ratio to the first configuration named, per round and as the median with the range;
# then the bytes each allocated per request, and their difference to the first configuration's, the same way.
#
#   ./bench/side-by-side.sh ENDPOINT ROUNDS CONFIG CONFIG...      e.g.  ./bench/side-by-side.sh create 12 on detect twin
#
# ENDPOINT: ping, get, list or create. CONFIG: off, on, detect, sampled (bench/run.sh's (a), (b), (c), (d)) or twin, a
# second process configured as (b): what two processes that differ in nothing give is the floor a ratio is read
# against. The first two rounds are printed but left out of the medians (the tier-ups that outlast a warm-up).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 4 ]] || { grep -m 1 '^#   ./bench/side-by-side.sh' "$0" >&2; exit 2; }
endpoint=$1 rounds=$2; shift 2
compared=("$@")
case $endpoint in ping | get | list | create) ;; *) echo "unknown endpoint $endpoint" >&2; exit 2 ;; esac
configuration=Release connections=16
source bench/harness.sh

./scripts/install-prerequisites.sh --with-bench
dotnet build bench/bench.slnf -c "$configuration" -v quiet -nologo --disable-build-servers >/dev/null
"${pin_self[@]}" >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/orderstracing-side-by-side.XXXXXX")
trap stop_started EXIT
start_postgres -c synchronous_commit=off
start_redis
start_sink
define_configs
config_env[twin]=${config_env[on]}
start_provider 00:00:00

for config in "${compared[@]}"; do
  [[ -n ${config_env[$config]:-} ]] || { echo "unknown configuration $config" >&2; exit 2; }
  # shellcheck disable=SC2086 # the settings are NAME=value words
  launch_api "$config" "bench_$config" "$provider_port" ${config_env[$config]}
done
for config in "${compared[@]}"; do
  wait_for "${api_url[$config]}/alive"
  response=$(post_order "${api_url[$config]}" bench Synchronous)
  order_id[$config]=$(first_id <<<"$response")
  curl -sf -X POST "${api_url[$config]}/api/admin/tenants/bench/orders?count=1000" >/dev/null
done
for config in "${compared[@]}"; do
  isolate "$config"
  load "$endpoint" "$config" 24 >/dev/null
done

for round in $(seq "$rounds"); do
  # The configurations in turn, starting one further along in each round.
  for i in "${!compared[@]}"; do
    config=${compared[$(((i + round) % ${#compared[@]}))]}
    isolate "$config"
    load "$endpoint" "$config" 1 >/dev/null
    before=$(cpu_ticks "$config") allocated_before=$(process_stats "$config" | json_number allocatedBytes)
    summary=$(load "$endpoint" "$config" 5)
    after=$(cpu_ticks "$config") allocated_after=$(process_stats "$config" | json_number allocatedBytes)
    printf '{"round":%d,"config":"%s","ticks":%d,"allocated":%d,"wrk":%s}\n' \
      "$round" "$config" $((after - before)) $((allocated_after - allocated_before)) "$summary" >>"$work/rounds.jsonl"
  done
done

python3 - "$work/rounds.jsonl" "$clock_ticks" "${compared[@]}" <<'EOF'
import json, statistics, sys
path, hz, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cpu, allocated = {}, {}
for line in open(path):
    run = json.loads(line)
    if run["wrk"]["non2xx"] or run["wrk"]["socket_errors"]:
        sys.exit(f"round {run['round']}, {run['config']}: {run['wrk']['non2xx']} errors; the figures would not be the endpoint's")
    cpu.setdefault(run["round"], {})[run["config"]] = run["ticks"] * 1e6 / hz / run["wrk"]["requests"]
    allocated.setdefault(run["round"], {})[run["config"]] = run["allocated"] / run["wrk"]["requests"]

def report(what, by_round, shown, how, compare, compared):
    """Each round's figure per configuration, then each one's comparison to the first over rounds 3 on."""
    print(f"{what}, by round:", " | ".join(configs))
    for number, figures in sorted(by_round.items()):
        print(f"  {number:>2}  " + "  ".join(f"{figures[c]:8{shown}}" for c in configs))
    base = configs[0]
    for config in configs[1:]:
        values = [compare(figures[config], figures[base]) for number, figures in by_round.items() if number > 2]
        if values:
            median, low, high = (compared.format(v) for v in (statistics.median(values), min(values), max(values)))
            print(f"{config} against {base}, {what} as {how}, over rounds 3 to {max(by_round)}: {median} ({low} to {high})")

report("CPU µs per request", cpu, ".1f", "a ratio", lambda mine, base: mine / base, "{:.3f}")
report("bytes allocated per request", allocated, ".0f", "a difference", lambda mine, base: mine - base, "{:.0f}")
EOF
