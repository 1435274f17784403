#!/usr/bin/env bash
# Runs every test (unit, app-model and end-to-end against the real application in local mode) and ends with
# the line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

./scripts/install-prerequisites.sh --with-browser --with-bench || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# A hung test must not hold CI for its whole time limit: after 10 minutes vstest dumps and ends it.
dotnet test OrdersTracing.sln --blame-hang-timeout 10m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# vstest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 18, Skipped: 0, Total: 18, ..."
summary() { grep -oE "$1: +[0-9]+" "$log" | grep -oE '[0-9]+' | awk '{ sum += $1 } END { print sum + 0 }'; }
passed=$(summary Passed)
failed=$(summary Failed)
skipped=$(summary Skipped)

if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # The build or the run failed before any test could: count that as a failure, not as a clean run.
  failed=1
fi

if [[ $failed -gt 0 ]]; then
  # CI keeps only the tail of the output: repeat each failed test's name and message (not its stack) there.
  failures=$(awk '/^  Failed / { shown = 1; lines = 0; print; next }
                  /^  (Stack Trace|Standard Output Messages):/ { shown = 0 }
                  shown && lines < 15 { print; lines++ }' "$log")
  echo
  echo "Failed tests:"
  echo "${failures:-  none reported: the build or the test host failed first (see above)}"
  echo
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
