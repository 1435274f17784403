"""Where the CPU of a request goes, (b) against (a), from bench/profile.sh's two dotnet-trace profiles.

    python3 bench/profile_report.py FOLDER

FOLDER holds off.speedscope.json and on.speedscope.json (dotnet-trace's dotnet-sampled-thread-time profile, converted
by `--format Speedscope`) and wrk-off.json, wrk-on.json (the loads' summaries, bench/wrk-request.lua's JSON line).
Only time a thread spent on the CPU (the profiler's CPU_TIME leaf) counts; each stretch goes to the innermost frame on
its stack that belongs to a category below, or to "the rest of the request" (the same code in both), and is divided by
the requests wrk completed. On one saturated core a thread that is runnable but waiting for the core is still counted
as on the CPU, so "the rest" also holds queueing: read the categories of tracing's own work, which (a) does not run at
all, as the figure.
"""
import collections
import json
import re
import sys
from pathlib import Path

CATEGORIES = [
    ("export: traces", r"BatchExportThreadWorker|BatchExportWorker|OtlpTraceExporter"),
    ("export: metrics", r"PeriodicExportingMetricReader|OtlpMetricExporter|MetricReader"),
    ("export: logs", r"OtlpLogExporter|BatchLogRecord"),
    ("ours: processors, middleware, enrichment", r"OrdersTracing\.ServiceDefaults\.Telemetry\."),
    ("instrumentation: Redis (profiling sessions, drain)", r"OpenTelemetry\.Instrumentation\.StackExchangeRedis|StackExchange\.Redis\.Profiling"),
    ("instrumentation: listeners, enrichment", r"OpenTelemetry\.Instrumentation|DiagnosticSourceListener|HttpInListener"),
    ("SDK: sampler, processors", r"OpenTelemetry!OpenTelemetry\.Trace|OpenTelemetry!OpenTelemetry\.(Composite|Simple|Batch)|TracerProviderSdk"),
    ("metrics: recording", r"System\.Diagnostics\.Metrics|OpenTelemetry\.Metrics|AggregatorStore|MetricPoint|HostingMetrics|KestrelMetrics"),
    ("Activity: start, stop, tags", r"HostingApplicationDiagnostics|System\.Diagnostics\.Activity|ActivitySource|DiagnosticListener"),
    ("logging", r"Microsoft\.Extensions\.Logging|OpenTelemetry\.Logs"),
]
# Frames that wrap the whole request in both configurations: never a category of their own. The instrumentation's
# error middleware is registered even with the SDK disabled; our response-size middleware wraps the pipeline, so only
# its own work (the frames of its counting body) is counted as ours.
WRAPPERS = re.compile(r"HttpServerError|ResponseBodySizeExtensions|RouteFaultMiddleware")
PATTERNS = [(name, re.compile(pattern)) for name, pattern in CATEGORIES]


def per_request(folder, config):
    profile = json.loads((folder / f"{config}.speedscope.json").read_text())
    frames = [frame["name"] for frame in profile["shared"]["frames"]]
    category_of = {}

    def category(index):
        if index not in category_of:
            name = frames[index]
            category_of[index] = None if WRAPPERS.search(name) else next(
                (category for category, pattern in PATTERNS if pattern.search(name)), None)
        return category_of[index]

    times = collections.Counter()
    for thread in profile["profiles"]:
        stack, last = [], None
        for event in thread["events"]:
            at = event["at"]
            if last is not None and stack and frames[stack[-1]] == "CPU_TIME":
                times[next((c for c in map(category, reversed(stack)) if c), "the rest of the request")] += at - last
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    requests = json.loads((folder / f"wrk-{config}.json").read_text())["requests"]
    return {name: ms * 1000 / requests for name, ms in times.items()}, requests


def main():
    folder = Path(sys.argv[1])
    (off, off_requests), (on, on_requests) = per_request(folder, "off"), per_request(folder, "on")
    print(f"CPU µs per request as sampled; (a) {off_requests} requests, (b) {on_requests} requests\n")
    print(f"| {'where':45} | (b) | (a) | (b) − (a) |\n|---|---|---|---|")
    for name in [name for name, _ in CATEGORIES] + ["the rest of the request"]:
        b, a = on.get(name, 0.0), off.get(name, 0.0)
        print(f"| {name:45} | {b:.2f} | {a:.2f} | {b - a:+.2f} |")
    b, a = sum(on.values()), sum(off.values())
    print(f"| {'all':45} | {b:.2f} | {a:.2f} | {b - a:+.2f} |")


if __name__ == "__main__":
    main()
