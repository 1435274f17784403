#!/usr/bin/env bash
# Starts the whole application with the Aspire dashboard: Postgres, the Api, Web and the payment provider
# stand-in, plus Jaeger and the Collector where a container runtime (or their binaries) exist.
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-prerequisites.sh

export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
exec dotnet run --project OrdersTracing.AppHost --launch-profile http -- "$@"
