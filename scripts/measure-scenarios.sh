#!/usr/bin/env bash
# Measures the reference design's three problems against their fixes on a throwaway local PostgreSQL and the
# payment stand-in (300 ms per payment, as in the reference design), through the Api's HTTP endpoints:
#   1. creating an order with the payment inside the request vs. in the background worker;
#   2. the orders-with-items listing, naive (1 + N queries) vs. eager (1 query), 20 orders of 3 items;
#   3. a large tenant's listing with and without the (tenant_id, created_at) index, at 100 000 and 1 000 000 orders.
# Prints Markdown tables of median times over the rounds.   ./scripts/measure-scenarios.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-21}

./scripts/install-prerequisites.sh
dotnet build OrdersTracing.Api -c Release -v quiet -nologo >/dev/null
dotnet build OrdersTracing.PaymentProvider -c Release -v quiet -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); api_port=$(free_port); pay_port=$(free_port)
api="http://127.0.0.1:$api_port"
export PGPORT=$pg_port POSTGRES_PASSWORD=measure
bash OrdersTracing.AppHost/Postgres/run-local-postgres.sh >/dev/null 2>&1 &
pg_pid=$!
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
PaymentProvider__Latency=00:00:00.300 Logging__LogLevel__Default=Warning \
  dotnet OrdersTracing.PaymentProvider/bin/Release/net10.0/OrdersTracing.PaymentProvider.dll --urls "http://127.0.0.1:$pay_port" >/dev/null 2>&1 &
pay_pid=$!
api_pid=""
cleanup() { [[ -n "$api_pid" ]] && kill -TERM "$api_pid" 2>/dev/null; kill -TERM "$pay_pid" "$pg_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

start_api() { # $1: true|false, the index scenario
  ASPNETCORE_ENVIRONMENT=Development Scenarios__TenantCreatedAtIndex=$1 \
  ConnectionStrings__ordersdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=measure;Database=ordersdb" \
  PaymentProvider__BaseUrl="http://127.0.0.1:$pay_port" Logging__LogLevel__Default=Warning \
    dotnet OrdersTracing.Api/bin/Release/net10.0/OrdersTracing.Api.dll --urls "http://127.0.0.1:$api_port" >/dev/null 2>&1 &
  api_pid=$!
  for _ in $(seq 100); do curl -sf "$api/alive" >/dev/null && return; sleep 0.2; done
  echo "the Api did not start" >&2; exit 1
}
stop_api() { kill -TERM "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""; }
call() { # $1: tenant, $2: path, [$3: JSON body to POST]; prints seconds
  curl -s -o /dev/null -w '%{time_total}\n' -H "X-Tenant-Id: $1" -H 'X-User-Id: measure' -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$api$2"
}
median_ms() { # the same arguments as call, repeated
  for _ in $(seq "$rounds"); do call "$@"; done | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f", t[int((NR + 1) / 2)] }'
}
order='{"items":[{"sku":"coffee-beans","quantity":2,"unitPrice":9.5},{"sku":"filter-papers","quantity":1,"unitPrice":3.25},{"sku":"mug","quantity":1,"unitPrice":12}]}'

start_api true
for _ in $(seq 20); do call listing "/api/orders?payment=Background" "$order" >/dev/null; done
call warmup "/api/orders?payment=Synchronous" "$order" >/dev/null
echo "| request | problem (median ms) | fix (median ms) |"
echo "|---|---|---|"
echo "| create an order: payment in the request vs. in the background | $(median_ms pay "/api/orders?payment=Synchronous" "$order") | $(median_ms pay "/api/orders?payment=Background" "$order") |"
echo "| list 20 orders with items: 1 + 20 queries vs. 1 query | $(median_ms listing "/api/orders/with-items?loading=Naive") | $(median_ms listing "/api/orders/with-items?loading=Eager") |"
echo
echo "| orders of the tenant | listing without the index (median ms) | with the index (median ms) |"
echo "|---|---|---|"
curl -sf -X POST "$api/api/admin/tenants/big/orders?count=100000" >/dev/null
with=$(median_ms big "/api/orders?pageSize=20"); stop_api
start_api false; without=$(median_ms big "/api/orders?pageSize=20")
echo "| 100 000 | $without | $with |"
curl -sf -X POST "$api/api/admin/tenants/big/orders?count=900000" >/dev/null
without=$(median_ms big "/api/orders?pageSize=20"); stop_api
start_api true; with=$(median_ms big "/api/orders?pageSize=20"); stop_api
echo "| 1 000 000 | $without | $with |"
