"""Steady, open-loop load on the Api for scripts/measure-reliability.sh: <rate> order creations a second for <seconds>
seconds, each sent at its scheduled time whatever the previous ones did. Prints one JSON line: count, failures, p50, p99
(ms). Usage: SERVICE_TOKEN=... steady_load.py <api-url> <rate> <seconds>, the token from scripts/service-token.py."""
import concurrent.futures
import http.client
import json
import sys
import threading
import time
import os
import urllib.parse

api, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
target = urllib.parse.urlparse(api)
body = json.dumps({"items": [{"sku": "coffee-beans", "quantity": 1, "unitPrice": 9.5}]})
token = os.environ["SERVICE_TOKEN"]
local = threading.local()


def send(_):
    if not hasattr(local, "connection"):
        local.connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    started = time.perf_counter()
    try:
        local.connection.request("POST", "/api/orders?payment=Background", body,
                                 {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        response = local.connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        local.connection.close()
        del local.connection
        status = 0
    return status, (time.perf_counter() - started) * 1000


count = int(rate * seconds)
start = time.perf_counter() + 0.2
futures = []
with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
    for i in range(count):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(send, i))
    results = [future.result() for future in futures]

latencies = sorted(duration for _, duration in results)
failures = sum(1 for status, _ in results if status != 201)
print(json.dumps({
    "count": len(results),
    "failures": failures,
    "p50_ms": round(latencies[len(latencies) // 2], 1),
    "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
    "max_ms": round(latencies[-1], 1),
}))
