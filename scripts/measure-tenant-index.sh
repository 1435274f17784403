#!/usr/bin/env bash
# Measures a large tenant's order listing (GET /api/orders, newest first) with and without the (tenant_id, created_at)
# index, at 100 000 and 1 000 000 orders, on a throwaway local PostgreSQL. Prints a Markdown table of median times.
#   ./scripts/measure-tenant-index.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-21}

./scripts/install-prerequisites.sh
dotnet build OrdersTracing.Api -c Release -v quiet -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); api_port=$(free_port)
export PGPORT=$pg_port POSTGRES_PASSWORD=measure
bash OrdersTracing.AppHost/Postgres/run-local-postgres.sh >/dev/null 2>&1 &
pg_pid=$!
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
api_pid=""
cleanup() { [[ -n "$api_pid" ]] && kill -TERM "$api_pid" 2>/dev/null; kill -TERM "$pg_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

start_api() { # $1: true|false, the index scenario
  ASPNETCORE_ENVIRONMENT=Development Scenarios__TenantCreatedAtIndex=$1 \
  ConnectionStrings__ordersdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=measure;Database=ordersdb" \
  PaymentProvider__BaseUrl=http://127.0.0.1:9 Logging__LogLevel__Default=Warning \
    dotnet OrdersTracing.Api/bin/Release/net10.0/OrdersTracing.Api.dll --urls "http://127.0.0.1:$api_port" >/dev/null 2>&1 &
  api_pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$api_port/alive" >/dev/null && return; sleep 0.2; done
  echo "the Api did not start" >&2; exit 1
}
stop_api() { kill -TERM "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""; }
seed() { curl -sf -X POST "http://127.0.0.1:$api_port/api/admin/tenants/big/orders?count=$1" >/dev/null; }
median_ms() {
  for _ in $(seq "$rounds"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H 'X-Tenant-Id: big' -H 'X-User-Id: measure' "http://127.0.0.1:$api_port/api/orders?pageSize=20"
  done | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f", t[int((NR + 1) / 2)] }'
}

echo "| orders of the tenant | with the index (median ms) | without the index (median ms) |"
echo "|---|---|---|"
start_api true; seed 100000; with=$(median_ms); stop_api
start_api false; without=$(median_ms)
echo "| 100 000 | $with | $without |"
seed 900000; without=$(median_ms); stop_api
start_api true; with=$(median_ms); stop_api
echo "| 1 000 000 | $with | $without |"
