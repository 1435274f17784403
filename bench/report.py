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
    "on": "(b) tracing on, keep-all, OTLP/HTTP to the discarding receiver",
    "detect": "(c) as (b) + N+1 and slow-query detectors",
    "sampled": "(d) as (b), 10 % head sampling",
    "dashboard": "(b′) as (b), OTLP/gRPC to the dashboard (local mode's receiver)",
}
ENDPOINTS = {
    "ping": "trivial: GET /api/ping",
    "get": "get order: GET /api/orders/{id}",
    "list": "list orders: GET /api/orders?pageSize=20",
    "create": "create order: POST /api/orders (payment in the request)",
}
DATABASE_ENDPOINTS = ["get", "list", "create"]

# The targets of issue 15, (b)/(a) on pinned cores, median over the rounds.
CPU_RATIO_TARGET = {"ping": 1.10, "get": 1.03, "list": 1.03, "create": 1.03}
RPS_RATIO_TARGET = {"ping": 0.92, "get": 0.97, "list": 0.97, "create": 0.97}
ADDED_P50_TARGET_US = {"ping": 50}
PROCESSORS_PER_SPAN_TARGET_NS = 150

# A load during which the Api's core lost more than this share of its time to the hypervisor (steal) or ran something
# other than the measured Api flags its round: the round stays in every figure, and the page says it was disturbed.
DISTURBED_SHARE = 0.05

# The spans one request of each endpoint makes in the Api, as its code makes them (OrdersTracing.Api): the server span,
# the handler's span (orders.*), the payment's spans and the HttpClient span, and the Npgsql spans, queries apart
# because the detectors do more for them. Read from the code, not counted in the run.
SPAN_MIX = {
    "ping": {"other": 1, "query": 0},
    "get": {"other": 2, "query": 1},
    "list": {"other": 2, "query": 1},
    "create": {"other": 5, "query": 2},
}

# The detectors' benchmark that follows a whole request like the endpoint's from its root's start to its end: their
# share of that request's bill is measured, not summed from per-span figures, since at the root's end they run over
# every span the request made. The listing has none and is summed.
WHOLE_REQUEST = {"ping": "EmptyRequest", "get": "OrderRequest", "create": "CreateRequest"}


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


def judge(values, goal, higher_is_better):
    """'pass', 'miss' or 'unresolved' for a figure measured over rounds against its target.

    The figure passes only when its whole spread (every round, or the interquartile range where that is all there is)
    is on the good side of the target, and misses only when all of it is on the bad side; a spread that straddles the
    target is unresolved, whatever side the median falls on: the machine could not tell a pass from a miss.
    """
    values = [v for v in values if v == v]  # NaN is no measurement
    if not values:
        return "unresolved"
    lo, hi = min(values), max(values)
    if higher_is_better:
        return "pass" if lo >= goal else "miss" if hi < goal else "unresolved"
    return "pass" if hi <= goal else "miss" if lo > goal else "unresolved"


def figure(values, digits, unit=""):
    """'median (min–max)' of a figure, or 'n/a' when nothing was measured."""
    if not values:
        return "n/a"
    text = spread(values, digits)
    return f"{text} {unit}".rstrip()


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
        self.rounds = 0
        self.disturbed_rounds = []

    def add(self, *lines):
        self.lines.extend(lines)

    def table(self, header, rows):
        self.add("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        self.add(*("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows))
        self.add("")

    def target(self, what, goal, measured, ok):
        self.targets.append((what, goal, measured, verdict(ok)))

    def judged(self, what, goal_text, values, goal, higher_is_better, digits, unit=""):
        """A target whose verdict follows its spread over the rounds (see judge)."""
        self.targets.append((what, goal_text, figure(values, digits, unit), f"**{judge(values, goal, higher_is_better)}**"))

    def judged_quartiles(self, what, goal_text, result, goal, digits=1, unit="ns", no_allocation=False):
        """A microbenchmark's target, judged on its interquartile range; an allocation where none is allowed misses."""
        outcome = judge([result["q1"], result["q3"]], goal, False)
        if no_allocation and result["allocated"]:
            outcome = "miss"
        fmt = f"{{:.{digits}f}}"
        measured = f"{fmt.format(result['median'])} ({fmt.format(result['q1'])}–{fmt.format(result['q3'])}) {unit}, {result['allocated']} B"
        self.targets.append((what, goal_text, measured, f"**{outcome}**"))

    def plot(self, name, script, data):
        """Renders a gnuplot script with its data files (name -> text) to images/<name>.png."""
        with tempfile.TemporaryDirectory() as folder:
            for file, text in data.items():
                Path(folder, file).write_text(text)
            target = self.images / f"{name}.png"
            script = f'set terminal pngcairo size 1000,{650 if "multiplot" in script else 450} font ",10"\nset output "{target}"\n' + script
            subprocess.run(["gnuplot"], input=script, text=True, cwd=folder, check=True)
        self.add(f"![{name}]({self.image_prefix}/{name}.png)", "")


def load_conditions(run):
    """Steal and foreign work on the Api's core, and the other cores' load, as shares of a load's time (None if not recorded)."""
    core, others = run.get("core"), run.get("others")
    if not core or not core.get("total"):
        return None
    return {
        "steal": core["steal"] / core["total"],
        "foreign": max(core["busy"] - core["api_ticks"], 0) / core["total"],
        "api": core["api_ticks"] / core["total"],
        "others_busy": others["busy"] / others["total"] if others and others.get("total") else float("nan"),
        "jit": run.get("jit_methods", 0),
    }


def disturbed(conditions):
    return conditions is not None and max(conditions["steal"], conditions["foreign"]) > DISTURBED_SHARE


def round_conditions(page, runs):
    """One row per round: what else the machine did while it ran, so that a disturbed round is seen, not dropped."""
    rounds = {}
    for run in runs:
        rounds.setdefault(run["round"], []).append(run)
    rows = []
    flagged = []
    for round_, mine in sorted(rounds.items()):
        measured = [(r, c) for r, c in ((r, load_conditions(r)) for r in mine) if c]
        if not measured:
            continue
        conditions = [c for _, c in measured]
        worst_run, worst = max(measured, key=lambda rc: max(rc[1]["steal"], rc[1]["foreign"]))
        is_disturbed = disturbed(worst)
        if is_disturbed:
            flagged.append(round_)
        rows.append([
            round_, f"{100 * median([c['steal'] for c in conditions]):.1f} ({100 * max(c['steal'] for c in conditions):.1f})",
            f"{100 * median([c['foreign'] for c in conditions]):.1f} ({100 * max(c['foreign'] for c in conditions):.1f})",
            f"{100 * median([c['api'] for c in conditions]):.0f}",
            f"{100 * median([c['others_busy'] for c in conditions]):.0f}",
            sum(c["jit"] for c in conditions),
            f"**disturbed** (worst: {worst_run['endpoint']}, {CONFIGS[worst_run['config']].split(' ')[0]})" if is_disturbed else "quiet",
        ])
    if not rows:
        return flagged
    page.add(
        "What else the machine did in each round, from `/proc/stat` over each measured load: the share of the Api's "
        "core stolen by the hypervisor (steal) and the share it spent on anything but the measured Api process (its busy "
        "time less the Api's own), median over the round's loads with the worst load in brackets; the Api's own share of "
        "its core; how busy the other cores were (`wrk`, PostgreSQL, the receivers); and the methods the JIT compiled "
        "during the measured loads (0 when the warm-up did all the tier-ups). A round in which one load lost more than "
        f"{100 * DISTURBED_SHARE:.0f} % of the core to steal or to other work is marked disturbed: it stays in every "
        "figure above, so that a spread it widens is seen for what it is.",
        "")
    page.table(["round", "steal % of the Api's core", "other work % of the Api's core", "Api % of its core",
                "other cores busy %", "JIT methods compiled", "state"], rows)
    return flagged


def overhead(page, work, pinning):
    runs = read_lines(work / "overhead.jsonl")
    memory = {m["config"]: m for m in read_lines(work / "memory.jsonl")}
    page.add("## 1. Service overhead under load", "")
    page.add(
        "The Api (Release) on its own PostgreSQL database, one process per configuration, all of them started side by "
        f"side; pinning: {pinning}. Only the process under load is on the Api's core: the idle ones are moved to the "
        "other cores (`taskset -a -p`) for that time, and each load follows a short one that is not measured, so that "
        "the process comes back to the core warm. `wrk` drives one endpoint of one process at a time on loopback, and "
        "within each round and endpoint the configurations take turns, (a), (b) and (c) back to back with (b) in the "
        "middle, forwards and backwards in turn, so that each ratio of a round pairs loads seconds apart and whatever "
        "else the machine does falls on both alike. Every process runs with the same runtime settings (workstation GC, "
        "tiered compilation and dynamic PGO as shipped, after a warm-up of every endpoint and one whole round run like the "
        "others and not recorded, whose loads still stood apart from the later rounds'). (b)–(d) export to the discarding OTLP receiver of section 3, on the other core, so "
        "that what the receiver does is not taken from the Api; (b′) is the one run against the dashboard, the receiver "
        "of local mode, for reference. CPU per request is the Api process's user + system time from `/proc/PID/stat` "
        "(clock ticks over `getconf CLK_TCK`) across the load, over the requests `wrk` completed: all of the process's "
        "threads, the export thread and the GC included. Ratios and added latencies are taken within a round, against (a) "
        "in the same round, then the median over the rounds is shown with the range (min–max) in brackets. Allocated "
        "bytes per request: the process's `GC.GetTotalAllocatedBytes` before and after the load (dev-only "
        "`GET /api/admin/process`), divided by the requests.",
        "",
    )
    by = {}
    for run in runs:
        by.setdefault((run["endpoint"], run["config"]), {})[run["round"]] = run

    def cpu_us(run):
        return 1e6 * run.get("cpu_seconds", float("nan")) / max(run["wrk"]["requests"], 1)

    def per_round(endpoint, config, value, relative=None):
        values = []
        for round_, run in by.get((endpoint, config), {}).items():
            base = by.get((endpoint, relative or "off"), {}).get(round_)
            if base is None or base["wrk"]["requests"] == 0:
                continue
            values.append(value(run, base))
        return [v for v in values if v == v]

    def rps_ratio(r, b):
        return r["wrk"]["rps"] / b["wrk"]["rps"]

    def cpu_ratio(r, b):
        return cpu_us(r) / cpu_us(b) if cpu_us(b) > 0 else float("nan")

    def added_p50(r, b):
        return r["wrk"]["p50"] - b["wrk"]["p50"]

    rows = []
    for endpoint in ENDPOINTS:
        for config in CONFIGS:
            mine = list(by.get((endpoint, config), {}).values())
            if not mine:
                continue
            rps = [r["wrk"]["rps"] for r in mine]
            added_p99 = per_round(endpoint, config, lambda r, b: r["wrk"]["p99"] - b["wrk"]["p99"])
            per_request = [r["allocated"] / max(r["wrk"]["requests"], 1) for r in mine]
            cpu = [v for v in (cpu_us(r) for r in mine) if v == v]
            errors = sum(r["wrk"]["non2xx"] + r["wrk"]["socket_errors"] for r in mine)
            base = config == "off"
            rows.append([
                ENDPOINTS[endpoint].split(":")[0], CONFIGS[config].split(" ")[0],
                spread(cpu, 1), "1" if base else spread(per_round(endpoint, config, cpu_ratio), 3),
                spread(rps), "1" if base else spread(per_round(endpoint, config, rps_ratio), 3),
                spread([r["wrk"]["p50"] for r in mine]), "–" if base else spread(per_round(endpoint, config, added_p50)),
                spread([r["wrk"]["p99"] for r in mine]), "–" if base else spread(added_p99),
                spread(per_request), errors,
            ])
    page.add("Configurations: " + "; ".join(CONFIGS.values()) + ".", "")
    page.add("Endpoints: " + "; ".join(ENDPOINTS.values()) + ".", "")
    page.table(
        ["endpoint", "config", "CPU µs/request", "CPU ratio to (a)", "requests/s", "ratio to (a)", "p50 µs",
         "added p50 µs", "p99 µs", "added p99 µs", "allocated B/request", "errors"],
        rows)

    page.disturbed_rounds = round_conditions(page, runs)
    page.rounds = len({run["round"] for run in runs})

    if memory:
        page.add(
            "Memory of each process at the end of the run: the resident set from `/proc`; the managed heap after the last "
            "GC (`GCMemoryInfo`), and where it is: each generation's size after that GC, of which the fragmentation is "
            "free space, and what survived it (promoted), the live part of what it collected.", "")

        def mib(value):
            return f"{value / 2**20:.1f}" if value is not None else "n/a"

        rows = []
        for c, m in memory.items():
            process = m["process"]
            generations = process.get("generationSizesAfterBytes") or []
            rows.append([CONFIGS[c].split(" ")[0], f"{m['rss_bytes'] / 2**20:.0f}", mib(process["heapSizeBytes"])]
                        + [mib(generations[i] if i < len(generations) else None) for i in range(5)]
                        + [mib(process.get("fragmentedBytes")), mib(process.get("promotedBytes")),
                           process["gen0Collections"], process["gen2Collections"],
                           {True: "server", False: "workstation"}.get(process.get("serverGc"), "n/a")])
        page.table(
            ["config", "resident MiB", "managed heap MiB", "gen 0 MiB", "gen 1 MiB", "gen 2 MiB", "large objects MiB",
             "pinned MiB", "fragmented MiB", "promoted MiB", "gen 0 GCs", "gen 2 GCs", "GC"], rows)

    for endpoint in ENDPOINTS:
        goal = CPU_RATIO_TARGET[endpoint]
        page.judged(f"(b)/(a) CPU per request, {endpoint}", f"≤ {goal:.2f}", per_round(endpoint, "on", cpu_ratio), goal, False, 3)
    for endpoint in ENDPOINTS:
        goal = RPS_RATIO_TARGET[endpoint]
        page.judged(f"(b)/(a) requests/s, {endpoint}", f"≥ {goal:.2f}", per_round(endpoint, "on", rps_ratio), goal, True, 3)
    for endpoint, goal in ADDED_P50_TARGET_US.items():
        page.judged(f"(b) added p50, {endpoint}", f"≤ {goal} µs", per_round(endpoint, "on", added_p50), goal, False, 0, "µs")
    for endpoint in ENDPOINTS:
        page.judged(f"(c)/(b) requests/s, {endpoint}", "≥ 0.99",
                    per_round(endpoint, "detect", rps_ratio, relative="on"), 0.99, True, 3)

    # What (b) adds per request, in CPU, for section 4 to split into recording and export.
    added = {endpoint: per_round(endpoint, "on", lambda r, b: cpu_us(r) - cpu_us(b)) for endpoint in ENDPOINTS}

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

    # CPU per request against (a), per endpoint, median with the range over the rounds.
    series = []
    text = ""
    for config in [c for c in CONFIGS if c != "off"]:
        for x, endpoint in enumerate(ENDPOINTS, start=1):
            ratios = per_round(endpoint, config, cpu_ratio)
            if ratios:
                text += f"{x + 0.12 * len(series)} {median(ratios)} {min(ratios)} {max(ratios)}\n"
        text += "\n\n"
        series.append(config)
    if any(per_round(e, c, cpu_ratio) for e in ENDPOINTS for c in series):
        xtics = ", ".join(f'"{e}" {x + 0.06 * (len(series) - 1)}' for x, e in enumerate(ENDPOINTS, start=1))
        plots = ", ".join(f'"cpu.dat" index {i} using 1:2:3:4 with yerrorbars pointsize 1.5 title "{CONFIGS[c].split(" ")[0]} {c}"'
                          for i, c in enumerate(series))
        page.plot("perf-cpu-per-request", (
            'set title "CPU per request against (a) on pinned cores (median, range over rounds)"\n'
            f'set xtics ({xtics})\nset xrange [0.6:{len(ENDPOINTS) + 0.9}]\nset ylabel "ratio to (a)"\nset grid\nset key top left\n'
            'set arrow from graph 0, first 1.10 to graph 1, first 1.10 nohead dashtype 2\n'
            'set arrow from graph 0, first 1.03 to graph 1, first 1.03 nohead dashtype 3\n'
            f"plot {plots}\n"), {"cpu.dat": text})
    return added


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


def bdn_results(path, parameter=None):
    """(case, method) -> BenchmarkDotNet's statistics and allocation per operation, from its JSON export."""
    if not path.exists():
        return {}
    results = {}
    for benchmark in json.loads(path.read_text())["Benchmarks"]:
        stats = benchmark.get("Statistics")
        if not stats:
            continue  # the benchmark failed: its row is left out rather than shown as zero
        case = ""
        if parameter:
            found = re.search(parameter + r"=(\w+)", benchmark.get("Parameters", ""))
            case = found.group(1) if found else ""
        allocated = (benchmark.get("Memory") or {}).get("BytesAllocatedPerOperation", 0)
        results[(case, benchmark["Method"])] = {
            "median": stats["Median"], "q1": stats["Q1"], "q3": stats["Q3"], "allocated": allocated}
    return results


def ns(result):
    return f"{result['median']:.1f} ({result['q1']:.1f}–{result['q3']:.1f})"


def total(parts):
    """The sum of several medians, with the sums of their quartiles as its spread."""
    return {key: sum(p[key] for p in parts) for key in ("median", "q1", "q3", "allocated")}


def microbenchmarks(page, work, added_cpu):
    page.add("## 4. Microbenchmarks: every processor of ours, and the export, per span", "")
    page.add(
        "BenchmarkDotNet (in process, pinned to the Api's core; `bench/OrdersTracing.Benchmarks`), in the style of "
        "opentelemetry-dotnet's `test/Benchmarks`. Each processor or hook of ours is called through the entry point the "
        "SDK or ASP.NET Core calls (`OnEnd`, the export gate's `TryEnqueue`, the trust boundary's check of a request). "
        "The detectors (`QueryDetection`): one call of `OnEnd` for a span that is neither a query nor an HTTP call (a "
        "handler's own span), for an outgoing HTTP call and for one of the repeated queries of an N+1, inside a followed "
        "local root, and a request's own root followed from its start to its end, when the family runs over its spans, "
        "without child spans (`EmptyRequest`, as `/ping`), with a handler's span and a query (`OrderRequest`) and as "
        "placing an order (`CreateRequest`: two writes around the payment call, then the cache command the Redis "
        "instrumentation makes from the request's context after it); "
        "`Family` is the detector family's processor, `SlowQuery` the one that marks a slow query as it ends, "
        "`All` both as a service runs them. "
        "`DatabaseSystem` is the processor that writes `db.system` next to `db.system.name`, `UrlRedaction` the one "
        "that redacts URL attributes a span was given by hand (the instrumentations redact their own query values), both "
        "measured the same way; `ColdStartMark` the lookup of the route among those seen as each server span ends; "
        "`ResponseBodySize` a four-byte response through the middleware that records the body's size on the server "
        "span, `ResponseWithoutBodySize` the same response without it. "
        "Median with the interquartile range; bytes allocated per call.",
        "",
    )
    detection = bdn_results(work / "micro-QueryDetectionBenchmarks.json", "Detectors")
    processors = bdn_results(work / "micro-ProcessorBenchmarks.json")
    export = bdn_results(work / "micro-ExportCostBenchmarks.json", "Export")

    rows = [[detector, method, ns(r), r["allocated"]] for (detector, method), r in detection.items()]
    rows += [["–", method, ns(r), r["allocated"]] for (_, method), r in processors.items()]
    page.table(["detectors", "span or request", "ns per call", "allocated B"], rows)

    # Issue 12's budgets are for all live detectors together (`All`: the family's processor and the slow-query
    # marker); DatabaseSystem and UrlRedaction are not detectors but read every span too, so the same per-span budgets apply.
    for detector in ("All", "DatabaseSystem", "UrlRedaction"):
        label = "detectors" if detector == "All" else "processor"
        if (detector, "InternalSpan") in detection:
            page.judged_quartiles(f"{label} {detector}, span neither query nor HTTP call", "≤ 100 ns, 0 B",
                                  detection[(detector, "InternalSpan")], 100, no_allocation=True)
        for method, span in (("HttpClientSpan", "HTTP client span"), ("DatabaseSpan", "query span")):
            if (detector, method) in detection:
                page.judged_quartiles(f"{label} {detector}, {span}", "≤ 400 ns", detection[(detector, method)], 400)

    # The bill: what our processors add to each span of the application as shipped (c), and to a request.
    gate = processors.get(("", "ExportGate"))
    mark = processors.get(("", "ColdStartMark"))
    sized, unsized = processors.get(("", "ResponseBodySize")), processors.get(("", "ResponseWithoutBodySize"))
    if mark and sized and unsized:
        # Once per request on the server span: the cold-start mark, and the response-size middleware's share of a
        # response (the same response with and without it; the spread the widest the two quartile ranges allow).
        body_size = {"median": sized["median"] - unsized["median"], "q1": sized["q1"] - unsized["q3"],
                     "q3": sized["q3"] - unsized["q1"], "allocated": sized["allocated"] - unsized["allocated"]}
        mark = total([mark, body_size])
    else:
        mark = None
    span_processors = ("DatabaseSystem", "UrlRedaction", "All")
    needed = [(processor, method) for processor in span_processors for method in ("InternalSpan", "DatabaseSpan")]
    needed.append(("All", "EmptyRequest"))
    if gate and mark and all(key in detection for key in needed):
        # Every span ends through the span processors and the gate; the server span also carries the once-per-request
        # hooks (the cold-start mark, the response size), and for the detectors it is the root they follow from its
        # start and run over at its end (`EmptyRequest`, in place of the detectors' figure for a span that ends).
        # Each span's figures without the detectors, then with their figure per span that ends, or for the server span
        # their whole root's; a request whose detectors' figure is measured whole adds that to the first ones.
        other_alone = total([detection[(processor, "InternalSpan")] for processor in span_processors if processor != "All"] + [gate])
        query_alone = total([detection[(processor, "DatabaseSpan")] for processor in span_processors if processor != "All"] + [gate])
        other = total([other_alone, detection[("All", "InternalSpan")]])
        query = total([query_alone, detection[("All", "DatabaseSpan")]])
        server = total([other_alone, mark, detection[("All", "EmptyRequest")]])
        page.add(
            "The bill for the application as shipped, (c): every span ends through the `db.system` and URL redaction "
            "processors, both detectors and the export gate, a query span through the detectors' longer path, and the "
            "server span also through the cold-start mark and the response-size middleware (`ResponseBodySize` less "
            "`ResponseWithoutBodySize`), its detectors' figure being the whole root's (`EmptyRequest`: followed from "
            "its start, the family run over its spans at its end). A request's total is its span mix (read from the Api's code: "
            "server span, handler span, payment spans, Npgsql spans) times those per-span figures, except the detectors' "
            "share where a benchmark follows such a request whole (`EmptyRequest` for the ping, `OrderRequest` for the "
            "order read, `CreateRequest` for placing an order): that figure, in place of theirs per span, since at the "
            "root's end they run over every span the request made. The trust boundary runs at the public edge (Web), "
            "not in the Api, and is listed apart.",
            "")
        bill = []
        for endpoint, mix in SPAN_MIX.items():
            whole = detection.get(("All", WHOLE_REQUEST.get(endpoint, "")))
            if whole:
                request = total([whole, mark] + [other_alone] * mix["other"] + [query_alone] * mix["query"])
            else:
                request = total([server] + [other] * (mix["other"] - 1) + [query] * mix["query"])
            bill.append([ENDPOINTS[endpoint].split(":")[0], mix["other"], mix["query"], ns(request), request["allocated"]])
        bill.append(["per server span (the root: the detectors from its start to its end, the cold-start mark, the response size)", 1, 0, ns(server), server["allocated"]])
        bill.append(["per other span that is not a query", 1, 0, ns(other), other["allocated"]])
        bill.append(["per query span", 0, 1, ns(query), query["allocated"]])
        trust = processors.get(("", "TrustBoundaryPlainRequest"))
        if trust:
            bill.append(["Web, per request: trust boundary", "–", "–", ns(trust), trust["allocated"]])
        page.table(["request", "other spans", "query spans", "our processors ns", "allocated B"], bill)
        # The target is for the processors every span ends through; the once-per-request hooks of the server span are
        # in each request's total above, not in the per-span figure.
        page.judged_quartiles("our processors together, per span that is not a query", f"≤ {PROCESSORS_PER_SPAN_TARGET_NS} ns",
                              other, PROCESSORS_PER_SPAN_TARGET_NS)

    page.add("### The export's own cost", "")
    page.add(
        "Spans like the Api's server span (ten attributes) recorded and ended in batches of 512, each batch flushed "
        "through the SDK's `BatchActivityExportProcessor` and `OtlpTraceExporter` to the discarding receiver on the other "
        "core (`ExportCostBenchmarks`), against the same spans recorded and exported nowhere (`None`). Wall time is "
        "BenchmarkDotNet's per span (it includes waiting for the receiver's answer); CPU is the benchmark process's "
        "own, all threads, over all iterations after the first 64 operations (the JIT stays out), per span.",
        "")
    cpu = {line["export"]: line["cpu_ns_per_span"] for line in read_lines(work / "export-cpu.jsonl")}
    rows = []
    for (case, _), r in export.items():
        extra = f"{cpu[case] - cpu['None']:.0f}" if case in cpu and "None" in cpu and case != "None" else "–"
        rows.append([case, ns(r), f"{cpu[case]:.0f}" if case in cpu else "n/a", extra, r["allocated"]])
    page.table(["export", "wall ns per span", "CPU ns per span", "CPU ns per span added by export", "allocated B"], rows)
    if "HttpProtobuf" in cpu and "None" in cpu:
        per_span = (cpu["HttpProtobuf"] - cpu["None"]) / 1000
        split = []
        for endpoint, mix in SPAN_MIX.items():
            spans = mix["other"] + mix["query"]
            added = added_cpu.get(endpoint, [])
            share = f"{100 * spans * per_span / median(added):.0f} %" if added and median(added) > 0 else "n/a"
            split.append([ENDPOINTS[endpoint].split(":")[0], figure(added, 1), spans, f"{spans * per_span:.1f}", share])
        page.add("How much of what (b) adds per request is export (OTLP/HTTP, as (b) exports), the rest being recording "
                 "and our processors:", "")
        page.table(["endpoint", "(b) − (a) CPU µs/request", "spans", "export CPU µs/request", "export's share"], split)


def closing_note(targets, rounds=0, disturbed_rounds=()):
    """The page's last words, generated: every target with its median and spread, and how many are settled."""
    counts = {}
    for *_, outcome in targets:
        counts[outcome.strip("*")] = counts.get(outcome.strip("*"), 0) + 1
    lines = ["## Closing note: every target, as this run measured it", ""]
    lines.append(
        f"Of {len(targets)} targets, {counts.get('pass', 0)} pass, {counts.get('miss', 0)} miss and "
        f"{counts.get('unresolved', 0)} are unresolved (their spread straddles the target, so this run cannot call them). "
        "Median, with the range over the rounds (or the interquartile range for a microbenchmark) in brackets:")
    if disturbed_rounds:
        lines.append(
            f"{len(disturbed_rounds)} of the {rounds} rounds of section 1 were disturbed (round "
            f"{', '.join(str(r) for r in disturbed_rounds)}: steal or other work on the Api's core, see the table of "
            "rounds); they are in the figures, and a spread they widen is the machine's, not the Api's.")
    lines.append("")
    lines += [f"- {what}: {measured} against {goal}, {outcome}" for what, goal, measured, outcome in targets]
    return lines + [""]


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--work", type=Path, required=True)
    arguments.add_argument("--output", type=Path, required=True)
    arguments.add_argument("--command", required=True)
    arguments.add_argument("--settings", required=True)
    arguments.add_argument("--pinning", default="not recorded")
    options = arguments.parse_args()

    options.output = options.output.resolve()
    images = options.output / "images"
    images.mkdir(parents=True, exist_ok=True)
    body = Page(images, "images")
    added_cpu = overhead(body, options.work, options.pinning)
    database_fixes(body, options.work)
    export_path(body, options.work)
    microbenchmarks(body, options.work, added_cpu)

    page = [
        "# Performance",
        "",
        "What tracing costs the Api and what the reference design's database fixes gain, measured side by side in one run. "
        "This page is generated by the benchmark: run it again to regenerate it (the explanations at the end come from "
        "`bench/performance-notes.md`).",
        "",
        f"- Command: `{options.command}` ({options.settings})",
        f"- Pinning: {options.pinning}",
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
    page += closing_note(body.targets, body.rounds, body.disturbed_rounds)
    (options.output / "performance.md").write_text("\n".join(page) + "\n")


if __name__ == "__main__":
    main()
