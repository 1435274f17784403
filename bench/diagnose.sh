#!/usr/bin/env bash
# Measures the Trace doctor's diagnosis against the fault catalogue (docs/diagnosis.md): each fault alone, then
# pairs, the flow it strikes driven in local mode, every trace read back from the dashboard and diagnosed; healthy
# traffic for the false findings; the time to diagnose a trace.
#
#   ./bench/diagnose.sh                  the full run (20 requests a fault, 20 cold starts, 120 healthy traces; about
#                                        20 minutes on 2 shared cores); rewrites docs/diagnosis.md and
#                                        docs/images/diagnosis-*.png
#   ./bench/diagnose.sh --quick          a smoke run (2 requests a fault, one cold start, 12 healthy traces), to a
#                                        temporary folder; ./test.sh runs the same as the test DiagnosisBenchmark
#   ./bench/diagnose.sh --output DIR     write diagnosis.md and images/ to DIR instead
#
# DIAGNOSIS_BENCH_REQUESTS, DIAGNOSIS_BENCH_COLD_STARTS and DIAGNOSIS_BENCH_HEALTHY override the counts. The raw
# result (every trace's causes and timing) is written as JSON beside the page unless DIAGNOSIS_BENCH_RESULTS names
# another file.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/options.sh
parse_options "$@"

if [[ $quick == true ]]; then
  output=${output:-${TMPDIR:-/tmp}/orderstracing-diagnosis-quick}
  mode=quick
else
  output=${output:-docs}
  mode=full
fi
mkdir -p "$output/images"
output=$(cd "$output" && pwd)
results=${DIAGNOSIS_BENCH_RESULTS:-${TMPDIR:-/tmp}/orderstracing-diagnosis-$mode.json}

./scripts/install-prerequisites.sh --with-browser

overrides=$(compgen -e | grep '^DIAGNOSIS_BENCH_' | while read -r name; do printf '%s=%q ' "$name" "${!name}"; done || true)
command="$overrides./bench/diagnose.sh"
[[ $quick == true ]] && command+=" --quick"

echo "[${SECONDS}s] Building..."
dotnet build OrdersTracing.Tests -v quiet -nologo >/dev/null
echo "[${SECONDS}s] Running the $mode diagnosis benchmark (the whole application in local mode)..."
DIAGNOSIS_BENCH_MODE=$mode DIAGNOSIS_BENCH_OUTPUT=$output DIAGNOSIS_BENCH_RESULTS=$results DIAGNOSIS_BENCH_COMMAND=$command \
  dotnet test OrdersTracing.Tests --no-build --filter "FullyQualifiedName~OrdersTracing.Tests.Benchmarks.DiagnosisBenchmark" \
  --logger "console;verbosity=normal"
echo "[${SECONDS}s] Wrote $output/diagnosis.md; the raw result is $results"
