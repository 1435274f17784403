#!/usr/bin/env python3
"""Turns the raw results of bench/run.sh into performance.md and its plots (gnuplot, PNG).

Everything in the page is computed here from one run, so that a new run regenerates it without hand edits; the prose
that explains the results lives in bench/performance-notes.md, appended as it is.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import tempfile
from pathlib import Path

CONFIGS = {
    "off": "(a) tracing off",
    "on": "(b) tracing on, keep-all, OTLP to the dashboard",
    "detect": "(c) as (b) + N+1 and slow-query detectors",
    "sampled": "(d) as (b), 10 % head sampling",
}
ENDPOINTS = {
    "ping": "trivial: GET /api/ping",
    "get": "get order: GET /api/orders/{id}",
    "list": "list orders: GET /api/orders?pageSize=20",
    "create": "create order: POST /api/orders (payment in the request)",
}
DATABASE_ENDPOINTS = ["get", "list", "create"]


def read_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def median(values):
    return statistics.median(values) if values else float("nan")


def spread(values, digits=0, scale=1.0):
    """The median and the range over the rounds, as 'median (min–max)'."""
    if not values:
        return "n/a"
    fmt = f"{{:,.{digits}f}}"
    m, lo, hi = (fmt.format(v * scale) for v in (median(values), min(values), max(values)))
    return f"{m} ({lo}–{hi})" if len(values) > 1 else m


def verdict(ok):
    return "**pass**" if ok else "**miss**"


def machine():
    def run(*command):
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    cpu = re.search(r"Model name:\s*(.+)", run("lscpu"))
    memory = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    os_release = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text()) if Path("/etc/os-release").exists() else None
    postgres = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    wrk = run("wrk", "--version").splitlines()
    return {
        "CPU": cpu.group(1) if cpu else platform.processor(),
        "cores": str(os.cpu_count()),
        "memory": f"{int(memory.group(1)) / 1024 / 1024:.0f} GiB" if memory else "?",
        "OS": f"{os_release.group(1) if os_release else platform.system()}, kernel {platform.release()}",
        ".NET SDK": run("dotnet", "--version"),
        "PostgreSQL": run(str(postgres[-1]), "--version") if postgres else "?",
        "wrk": wrk[0] if wrk else "?",
    }


class Page:
    def __init__(self, images, image_prefix):
        self.lines = []
        self.targets = []
        self.images = images
        self.image_prefix = image_prefix

    def add(self, *lines):
        self.lines.extend(lines)

    def table(self, header, rows):
        self.add("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        self.add(*("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows))
        self.add("")

    def target(self, what, goal, measured, ok):
        self.targets.append((what, goal, measured, verdict(ok)))

    def plot(self, name, script, data):
        """Renders a gnuplot script with its data files (name -> text) to images/<name>.png."""
        with tempfile.TemporaryDirectory() as folder:
            for file, text in data.items():
                Path(folder, file).write_text(text)
            target = self.images / f"{name}.png"
            script = f'set terminal pngcairo size 1000,{650 if "multiplot" in script else 450} font ",10"\nset output "{target}"\n' + script
            subprocess.run(["gnuplot"], input=script, text=True, cwd=folder, check=True)
        self.add(f"![{name}]({self.image_prefix}/{name}.png)", "")


def overhead(page, work):
    runs = read_lines(work / "overhead.jsonl")
    memory = {m["config"]: m for m in read_lines(work / "memory.jsonl")}
    page.add("## 1. Service overhead under load", "")
    page.add(
        "The Api (Release) on its own PostgreSQL database, one process per configuration, all four running side by side; "
        "`wrk` drives one endpoint of one process at a time on loopback, and within each round the configurations take "
        "turns (each round starting with another one), so that whatever else the machine does falls on all of them alike. "
        "Ratios and added latencies are taken within a round, against (a) in the same round, then the median over the "
        "rounds is shown with the range (min–max) in brackets. Allocated bytes per request: the process's "
        "`GC.GetTotalAllocatedBytes` before and after the load (dev-only `GET /api/admin/process`), divided by the "
        "requests; it includes whatever the process's background work allocated meanwhile (the export thread, metrics).",
        "",
    )
    by = {}
    for run in runs:
        by.setdefault((run["endpoint"], run["config"]), {})[run["round"]] = run

    def per_round(endpoint, config, value, relative=None):
        values = []
        for round_, run in by.get((endpoint, config), {}).items():
            base = by.get((endpoint, relative or "off"), {}).get(round_)
            if base is None or base["wrk"]["requests"] == 0:
                continue
            values.append(value(run, base))
        return values

    rows = []
    for endpoint in ENDPOINTS:
        for config in CONFIGS:
            mine = list(by.get((endpoint, config), {}).values())
            if not mine:
                continue
            rps = [r["wrk"]["rps"] for r in mine]
            ratio = per_round(endpoint, config, lambda r, b: r["wrk"]["rps"] / b["wrk"]["rps"])
            added_p50 = per_round(endpoint, config, lambda r, b: r["wrk"]["p50"] - b["wrk"]["p50"])
            added_p99 = per_round(endpoint, config, lambda r, b: r["wrk"]["p99"] - b["wrk"]["p99"])
            per_request = [r["allocated"] / max(r["wrk"]["requests"], 1) for r in mine]
            errors = sum(r["wrk"]["non2xx"] + r["wrk"]["socket_errors"] for r in mine)
            rows.append([
                ENDPOINTS[endpoint].split(":")[0], CONFIGS[config].split(" ")[0], spread(rps),
                "1" if config == "off" else spread(ratio, 3),
                spread([r["wrk"]["p50"] for r in mine]), "–" if config == "off" else spread(added_p50),
                spread([r["wrk"]["p99"] for r in mine]), "–" if config == "off" else spread(added_p99),
                spread(per_request), errors,
            ])
    page.add("Configurations: " + "; ".join(CONFIGS.values()) + ".", "")
    page.add("Endpoints: " + "; ".join(ENDPOINTS.values()) + ".", "")
    page.table(
        ["endpoint", "config", "requests/s", "ratio to (a)", "p50 µs", "added p50 µs", "p99 µs", "added p99 µs",
         "allocated B/request", "errors"],
        rows)

    if memory:
        page.add("Memory of each process at the end of the run (resident set from `/proc`, managed heap after the last GC):", "")
        page.table(
            ["config", "resident MiB", "managed heap MiB", "gen 0 GCs", "gen 2 GCs"],
            [[CONFIGS[c].split(" ")[0], f"{m['rss_bytes'] / 2**20:.0f}", f"{m['process']['heapSizeBytes'] / 2**20:.1f}",
              m["process"]["gen0Collections"], m["process"]["gen2Collections"]] for c, m in memory.items()])

    for endpoint in ENDPOINTS:
        ratio = median(per_round(endpoint, "on", lambda r, b: r["wrk"]["rps"] / b["wrk"]["rps"]))
        goal = 0.95 if endpoint == "ping" else 0.98
        page.target(f"(b)/(a) requests/s, {endpoint}", f"≥ {goal}", f"{ratio:.3f}", ratio >= goal)
    for endpoint in ENDPOINTS:
        added = median(per_round(endpoint, "on", lambda r, b: r["wrk"]["p50"] - b["wrk"]["p50"]))
        page.target(f"(b) added p50, {endpoint}", "≤ 100 µs", f"{added:.0f} µs", added <= 100)
    for endpoint in ENDPOINTS:
        ratio = median(per_round(endpoint, "detect", lambda r, b: r["wrk"]["rps"] / b["wrk"]["rps"], relative="on"))
        page.target(f"(c)/(b) requests/s, {endpoint}", "≥ 0.99", f"{ratio:.3f}", ratio >= 0.99)

    # Latency percentiles per configuration, one panel per endpoint.
    data, panels = {}, []
    for index, endpoint in enumerate(ENDPOINTS):
        lines = []
        for column, config in enumerate(CONFIGS):
            mine = list(by.get((endpoint, config), {}).values())
            if mine:
                points = [median([r["wrk"][p] for r in mine]) for p in ("p50", "p90", "p99", "p999")]
                lines.append(f'"{endpoint}.dat" index {column} using 1:2 with linespoints title "{CONFIGS[config].split(" ")[0]} {config}"')
                data.setdefault(f"{endpoint}.dat", "")
                data[f"{endpoint}.dat"] += "".join(f"{x} {y}\n" for x, y in zip((1, 2, 3, 4), points)) + "\n\n"
        if lines:
            panels.append(f'set title "{ENDPOINTS[endpoint]}"\nplot ' + ", ".join(lines))
    if panels:
        page.plot("perf-latency-percentiles", (
            'set multiplot layout 2,2 title "Latency percentiles per configuration (median over rounds)"\n'
            'set xtics ("p50" 1, "p90" 2, "p99" 3, "p99.9" 4)\nset xrange [0.8:4.2]\nset ylabel "µs"\n'
            'set logscale y\nset key top left\nset grid\n' + "\n".join(panels) + "\nunset multiplot\n"), data)


def database_fixes(page, work):
    fixes = read_lines(work / "fixes.jsonl")
    queries = {q["variant"]: q for q in read_lines(work / "queries.jsonl")}
    page.add("## 2. The database fixes", "")
    page.add(
        "One Api process as shipped (tracing on, detectors on, exporting to the dashboard), the payment stand-in at "
        "300 ms per payment as in the reference design; times are whole HTTP requests on loopback (curl), median with "
        "the interquartile range in brackets. Queries per request and their time inside PostgreSQL come from "
        "`pg_stat_statements` (the outbox worker's queries excluded).",
        "",
    )

    def times(scenario, variant, orders=None):
        return [f["ms"] for f in fixes if f["scenario"] == scenario and f["variant"] == variant and (orders is None or f["orders"] == orders)]

    def iqr(values):
        if len(values) < 4:
            return f"{median(values):.1f}"
        q = statistics.quantiles(values, n=4)
        return f"{median(values):.1f} ({q[0]:.1f}–{q[2]:.1f})"

    rows = [
        ["create an order: payment in the request vs. in the background", iqr(times("payment", "synchronous")), iqr(times("payment", "background")), "", ""],
        ["list 20 orders with 3 items each: naive (1 + N) vs. eager", iqr(times("listing", "naive")), iqr(times("listing", "eager")),
         f"{queries.get('naive', {}).get('queries', float('nan')):.0f} vs. {queries.get('eager', {}).get('queries', float('nan')):.0f}",
         f"{queries.get('naive', {}).get('db_ms', float('nan')):.2f} vs. {queries.get('eager', {}).get('db_ms', float('nan')):.2f}"],
    ]
    page.table(["request", "problem ms", "fix ms", "queries per request", "time in PostgreSQL ms"], rows)

    sizes = sorted({f["orders"] for f in fixes if f["scenario"] == "index"})
    page.table(
        ["orders of the tenant", "listing without the index ms", "with the index ms"],
        [[f"{size:,}".replace(",", " "), iqr(times("index", "without", size)), iqr(times("index", "with", size))] for size in sizes])
    if len(sizes) >= 2:
        with_index = [median(times("index", "with", s)) for s in sizes]
        growth = with_index[-1] / with_index[0]
        page.target(f"listing with the index, {sizes[0]:,} → {sizes[-1]:,} orders".replace(",", " "), "flat (≤ 2× growth)", f"{growth:.2f}×", growth <= 2)
        data = "".join(f"{s} {median(times('index', 'without', s))} {median(times('index', 'with', s))}\n" for s in sizes)
        page.plot("perf-index-listing", (
            'set title "A tenant\'s first page of orders against the tenant\'s size (median ms)"\n'
            'set xlabel "orders of the tenant"\nset ylabel "ms"\nset logscale x\nset logscale y\nset grid\nset key top left\n'
            'plot "index.dat" using 1:2 with linespoints title "without the (tenant_id, created_at) index", '
            '"index.dat" using 1:3 with linespoints title "with the index"\n'), {"index.dat": data})


def export_path(page, work):
    steps = read_lines(work / "export.jsonl")
    page.add("## 3. The export path", "")
    page.add(
        "One process offers spans (server spans with six attributes) at rising fixed rates for a few seconds each to a "
        "batch processor and the OTLP exporter, sending to the live dashboard (OTLP/gRPC, default settings only) or to a "
        "receiver that reads and discards every request (OTLP/HTTP, `bench/OrdersTracing.Benchmarks/Export`), all on "
        "this machine. Spans the processor refuses because its queue is full are read from the SDK "
        "(`BatchExportProcessor.DroppedCount`, internal, read by reflection); after each step the queue is flushed. "
        "\"Highest rate without drops\" is the highest offered rate at which a round dropped nothing, median (min–max) "
        "over the rounds; the offered rates are the columns, so the true limit lies between that rate and the next.",
        "",
    )
    if not steps:
        return
    runs = list(dict.fromkeys((s["Receiver"], s["Settings"]) for s in steps))
    rates = sorted({s["TargetRate"] for s in steps})
    rows = []
    for receiver, name in runs:
        mine = [s for s in steps if s["Receiver"] == receiver and s["Settings"] == name]
        best = []
        for round_ in sorted({s["Round"] for s in mine}):
            clean = [s["AchievedRate"] for s in mine if s["Round"] == round_ and s["Dropped"] == 0]
            best.append(max(clean) if clean else 0)
        drops = []
        for rate in rates:
            at = [s for s in mine if s["TargetRate"] == rate]
            drops.append(f"{median([100 * s['Dropped'] / max(s['Offered'], 1) for s in at]):.1f} %" if at else "")
        rows.append([receiver, name, spread(best)] + drops)
    page.table(["receiver", "settings", "highest rate without drops (spans/s)"] + [f"dropped at {r:,}/s".replace(",", " ") for r in rates], rows)

    data = ""
    for receiver, name in runs:
        for rate in rates:
            at = [s for s in steps if s["Receiver"] == receiver and s["Settings"] == name and s["TargetRate"] == rate]
            if at:
                data += f"{median([s['AchievedRate'] for s in at])} {median([100 * s['Dropped'] / max(s['Offered'], 1) for s in at])}\n"
        data += "\n\n"
    plots = ", ".join(
        f'"export.dat" index {i} using 1:2 with linespoints title "{receiver.split(" (")[0]}, {name}"' for i, (receiver, name) in enumerate(runs))
    page.plot("perf-export-drops", (
        'set title "Spans dropped by the batch processor against the rate offered (median over rounds)"\n'
        'set xlabel "spans per second offered"\nset ylabel "% dropped"\nset logscale x\nset yrange [-2:100]\nset grid\nset key right center\n'
        f"plot {plots}\n"), {"export.dat": data})


def microbenchmarks(page, work):
    path = work / "micro.json"
    page.add("## 4. Microbenchmarks: the query detectors (and the db.system processor) per span", "")
    page.add(
        "BenchmarkDotNet (in process, `bench/OrdersTracing.Benchmarks/QueryDetection`), in the style of "
        "opentelemetry-dotnet's `test/Benchmarks`: one call of the detectors' `OnEnd` for a span that is neither a query "
        "nor an HTTP call (a handler's own span), for an outgoing HTTP call and for one of the repeated queries of an "
        "N+1, inside a followed local root. `Family` is the detector family's processor, `SlowQuery` the one that marks "
        "a slow query as it ends, `All` both as a service runs them. `DatabaseSystem` is the processor that writes "
        "`db.system` next to `db.system.name`, measured the same way. Median with the interquartile range; bytes "
        "allocated per call.",
        "",
    )
    if not path.exists():
        return
    report = json.loads(path.read_text())
    rows = []
    results = {}
    for benchmark in report["Benchmarks"]:
        detector = re.search(r"Detectors=(\w+)", benchmark.get("Parameters", "")).group(1)
        stats = benchmark["Statistics"]
        allocated = benchmark.get("Memory", {}).get("BytesAllocatedPerOperation", 0)
        results[(detector, benchmark["Method"])] = (stats["Median"], allocated)
        rows.append([detector, benchmark["Method"], f"{stats['Median']:.1f} ({stats['Q1']:.1f}–{stats['Q3']:.1f})", allocated])
    page.table(["detectors", "span", "ns per span", "allocated B"], rows)
    # Issue 12's budgets are for all live detectors together; DatabaseSystem is not a detector but reads every span too.
    for detector in ("All", "DatabaseSystem"):
        label = "processor" if detector == "DatabaseSystem" else "detectors"
        if (detector, "InternalSpan") in results:
            ns, allocated = results[(detector, "InternalSpan")]
            page.target(f"{label} {detector}, span neither query nor HTTP call", "≤ 100 ns, 0 B", f"{ns:.1f} ns, {allocated} B", ns <= 100 and allocated == 0)
        for method, span in (("HttpClientSpan", "HTTP client span"), ("DatabaseSpan", "query span")):
            if (detector, method) in results:
                ns, allocated = results[(detector, method)]
                page.target(f"{label} {detector}, {span}", "≤ 400 ns", f"{ns:.1f} ns, {allocated} B", ns <= 400)


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--work", type=Path, required=True)
    arguments.add_argument("--output", type=Path, required=True)
    arguments.add_argument("--command", required=True)
    arguments.add_argument("--settings", required=True)
    options = arguments.parse_args()

    options.output = options.output.resolve()
    images = options.output / "images"
    images.mkdir(parents=True, exist_ok=True)
    body = Page(images, "images")
    overhead(body, options.work)
    database_fixes(body, options.work)
    export_path(body, options.work)
    microbenchmarks(body, options.work)

    page = [
        "# Performance",
        "",
        "What tracing costs the Api and what the reference design's database fixes gain, measured side by side in one run. "
        "This page is generated by the benchmark: run it again to regenerate it (the explanations at the end come from "
        "`bench/performance-notes.md`).",
        "",
        f"- Command: `{options.command}` ({options.settings})",
        f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "- Machine: " + "; ".join(f"{k}: {v}" for k, v in machine().items()),
        "",
    ]
    if "--quick" in options.command:
        page += ["> A quick run: loads of a second or so, to check that the benchmark works. Its timings mean nothing.", ""]
    page += ["## Targets", ""]
    page += ["| figure | target | measured | |", "|---|---|---|---|"]
    page += ["| " + " | ".join(row) + " |" for row in body.targets]
    page += [""] + body.lines
    notes = Path(__file__).with_name("performance-notes.md")
    if notes.exists():
        page += [notes.read_text().rstrip(), ""]
    (options.output / "performance.md").write_text("\n".join(page) + "\n")


if __name__ == "__main__":
    main()
