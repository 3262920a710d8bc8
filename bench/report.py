#!/usr/bin/env python3
"""Helpers of bench/run.

  report.py pgbench-latency DIR   p50 and p99 (ms, tab-separated) of pgbench --log files in DIR
  report.py write WORK OUT        rewrites OUT (BENCHMARKS.md) from WORK/results.tsv and the
                                  outputs of `finsam-bench tables`, `finsam-bench import` and
                                  `finsam-bench import --format xlsx`

OUT keeps everything outside its generated blocks (<!-- bench:NAME --> … <!-- /bench:NAME -->);
a block whose part was not run this time keeps its old content. The summary of goals is built
from the `<!-- goal: … -->` lines of all blocks.
"""

import collections
import os
import re
import statistics
import sys
import time

BLOCK = re.compile(r"<!-- bench:([\w-]+) -->\n(.*?)<!-- /bench:\1 -->", re.S)
GOAL = re.compile(r"<!-- goal: (.*?) -->")


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def pgbench_latency(folder):
    values = []
    for name in os.listdir(folder):
        with open(os.path.join(folder, name)) as f:
            for line in f:
                fields = line.split()
                # client_id transaction_no time(µs) script_no time_epoch time_us [schedule_lag]
                if len(fields) >= 3 and fields[2].isdigit():
                    values.append(int(fields[2]))
    values.sort()
    print(f"{percentile(values, 50) / 1000:.2f}\t{percentile(values, 99) / 1000:.2f}")


def median(values):
    return statistics.median(values) if values else float("nan")


def median_opt(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_int(n):
    return f"{n:,.0f}".replace(",", " ")


SIDES = ["pgbench", "api", "sql", "lean", "one"]
SIDE_NAMES = {
    "pgbench": "pgbench INSERT",
    "api": "API",
    "sql": "the API's statements (pgbench)",
    "lean": "lean statements (pgbench)",
    "one": "one statement (pgbench)",
}


SHORT_NAMES = {"pgbench": "INSERT", "api": "API", "sql": "API's SQL", "lean": "lean", "one": "one"}


def cpu_ms(x):
    """finsam + PostgreSQL CPU per transaction (ms), from % of one core and transactions/s."""
    if x["pg_cpu"] is None or not x["tps"]:
        return None
    return 10 * (x["server_cpu"] + x["pg_cpu"]) / x["tps"]


def fmt_opt(v, spec=".2f"):
    return "" if v is None else format(v, spec)


def verdict(ok):
    return "**met**" if ok else "**not met**"


def mib(kb):
    return kb / 1024


def mb(kb):
    return kb * 1024 / 1e6


class Results:
    def __init__(self, work):
        self.meta = {}
        self.loads = []
        self.cold = []
        self.rss = {}
        self.errors = []
        with open(os.path.join(work, "results.tsv")) as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                kind = fields[0]
                if kind == "meta":
                    self.meta[fields[1]] = fields[2]
                elif kind == "load":
                    side, clients, pair = fields[1], int(fields[2]), int(fields[3])
                    tps, p50, p99 = float(fields[4]), float(fields[5]), float(fields[6])
                    ok, errors, rows = int(fields[7]), int(fields[8]), int(fields[9])
                    audit = None if fields[10] == "-" else int(fields[10])
                    self.loads.append(
                        dict(
                            side=side,
                            clients=clients,
                            pair=pair,
                            tps=tps,
                            p50=p50,
                            p99=p99,
                            ok=ok,
                            errors=errors,
                            rows=rows,
                            audit=audit,
                            server_cpu=float(fields[11]),
                            pg_cpu=None if fields[12] == "-" else float(fields[12]),
                            loader_cpu=float(fields[13]),
                            machine_busy=float(fields[14]),
                        )
                    )
                elif kind == "cold":
                    self.cold.append((int(fields[1]), float(fields[2]), int(fields[3])))
                elif kind == "rss":
                    self.rss[fields[1]] = (int(fields[2]), fields[3])
                elif kind == "error":
                    self.errors.append((fields[1], fields[2]))
        self.waits = []
        path = os.path.join(work, "waits.tsv")
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    fields = line.rstrip("\n").split("\t")
                    if len(fields) == 7:
                        self.waits.append(fields)

    def run_line(self):
        m = self.meta
        return (
            f"Run of {m['date']} by `bench/run` (PostgreSQL {m['pg_version']} on the same machine: "
            f"{m['pg_settings']}; {m['cores']} cores shared with other builds; code at {m['commit']})"
        )


def api_block(r):
    m = r.meta
    clients = [int(c) for c in m["clients"].split()]
    out = [
        r.run_line() + ".",
        "",
        (
            "Server: `finsam serve` with its defaults (HTTP workers: one per core; database pool of 16; "
            "log level info, a line per request, to a file)"
            if m["serve_flags"] == "(defaults)"
            else f"Server: `finsam serve {m['serve_flags']}` (other settings: its defaults; log to a file)"
        )
        + f", förbund `{m['forbund']}`. Each side: {m['warmup']} s warm-up per client count, then "
        f"{m['pairs']} round{'' if m['pairs'] == '1' else 's'} of {m['duration']} s runs, pgbench INSERT first in each round, the API next; "
        f"wrk and pgbench with min(clients, 2) threads. {m['wrk']}, {m['pgbench']}.",
        "",
        "| clients | pgbench TPS | API TPS | API / pgbench, round by round | "
        "pgbench p50 / p99 (ms) | API p50 / p99 (ms) | API non-2xx | CPU per row, pgbench / API (ms) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    ratios = {}
    p99_64 = []
    # API p99 / pgbench p99 per client count, round by round (issue 14: ≤ 3 at 16 and 64).
    p99_ratios = {}
    total_ok = total_err = total_rows = total_audit = 0
    for c in clients:
        pg = [x for x in r.loads if x["side"] == "pgbench" and x["clients"] == c]
        api = [x for x in r.loads if x["side"] == "api" and x["clients"] == c]
        pairs = sorted({x["pair"] for x in api} & {x["pair"] for x in pg})
        rs = []
        for p in pairs:
            a = next(x for x in api if x["pair"] == p)
            b = next(x for x in pg if x["pair"] == p)
            rs.append(a["tps"] / b["tps"])
        ratios[c] = rs
        p99_ratios[c] = [
            next(x for x in api if x["pair"] == p)["p99"] / next(x for x in pg if x["pair"] == p)["p99"] for p in pairs
        ]
        errs = sum(x["errors"] for x in api)
        total_ok += sum(x["ok"] for x in api)
        total_err += errs
        total_rows += sum(x["rows"] for x in api)
        total_audit += sum(x["audit"] or 0 for x in api)
        if c == max(clients):
            p99_64 = [x["p99"] for x in api]
        out.append(
            f"| {c} | {median([x['tps'] for x in pg]):.0f} | {median([x['tps'] for x in api]):.0f} | "
            f"{median(rs):.2f} ({', '.join(f'{v:.2f}' for v in rs)}) | "
            f"{median([x['p50'] for x in pg]):.2f} / {median([x['p99'] for x in pg]):.2f} | "
            f"{median([x['p50'] for x in api]):.2f} / {median([x['p99'] for x in api]):.2f} | {errs} | "
            f"{fmt_opt(median_opt([cpu_ms(x) for x in pg]))} / {fmt_opt(median_opt([cpu_ms(x) for x in api]))} |"
        )
    out += [
        "",
        "Every run (TPS: wrk's requests/s, pgbench's tps without connection time; latencies from wrk "
        "`--latency` and from pgbench's per-transaction `--log`; rows: counted in the database "
        "afterwards by the run's external_ref prefix; CPU in % of one core: the finsam server process, the "
        "PostgreSQL server (postmaster and all its processes: the other side's idle connections too), "
        "the load generator (wrk or pgbench); the whole machine in % of all its cores, other users "
        "included; CPU per row: (finsam + PostgreSQL) CPU time / transactions):",
        "",
        "| clients | round | side | TPS | p50 (ms) | p99 (ms) | 2xx / transactions | errors | "
        "rows in the database | audit events | finsam CPU % | PostgreSQL CPU % | load generator CPU % | "
        "machine busy % | CPU per row (ms) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in clients:
        for x in sorted((x for x in r.loads if x["clients"] == c), key=lambda x: (x["pair"], SIDES.index(x["side"]))):
            out.append(
                f"| {c} | {x['pair']} | {SIDE_NAMES[x['side']]} | {x['tps']:.0f} | {x['p50']:.2f} | {x['p99']:.2f} | "
                f"{x['ok']} | {x['errors']} | {x['rows']} | {'' if x['audit'] is None else x['audit']} | "
                f"{x['server_cpu']:.0f} | {fmt_opt(x['pg_cpu'], '.0f')} | {x['loader_cpu']:.0f} | "
                f"{x['machine_busy']:.0f} | {fmt_opt(cpu_ms(x))} |"
            )
    for tag, message in r.errors:
        out.append(f"\nFirst error response in run {tag}: `{message}`")

    # Diagnosis: the API's own statements and a lean version, replayed by pgbench in each pair.
    diag_sides = [sd for sd in ("sql", "lean", "one") if any(x["side"] == sd for x in r.loads)]
    if diag_sides:
        out += [
            "",
            "Diagnosis, in the same rounds, through pgbench (so without HTTP and without the finsam process): "
            "the API's own statements (bench/diagnose/api-statements.sql: the round trips one registration "
            "makes), a lean version of them (lean-statements.sql: BEGIN, "
            "INSERT … RETURNING, the audit INSERT, COMMIT) and the insert with its audit event as one "
            "statement (one-statement.sql); each as a ratio "
            "to the pgbench INSERT run of its round:",
            "",
            "| clients | side | TPS | / pgbench INSERT, round by round | p50 / p99 (ms) | PostgreSQL CPU per row (ms) | "
            "CPU per row (ms) |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in clients:
            base = {x["pair"]: x for x in r.loads if x["side"] == "pgbench" and x["clients"] == c}
            for sd in ["pgbench", "api", *diag_sides]:
                runs = [x for x in r.loads if x["side"] == sd and x["clients"] == c]
                if not runs:
                    continue
                rs = [x["tps"] / base[x["pair"]]["tps"] for x in runs if x["pair"] in base]
                pg_ms = median_opt([None if x["pg_cpu"] is None else 10 * x["pg_cpu"] / x["tps"] for x in runs])
                out.append(
                    f"| {c} | {SIDE_NAMES[sd]} | {median([x['tps'] for x in runs]):.0f} | "
                    f"{median(rs):.2f} ({', '.join(f'{v:.2f}' for v in rs)}) | "
                    f"{median([x['p50'] for x in runs]):.2f} / {median([x['p99'] for x in runs]):.2f} | "
                    f"{fmt_opt(pg_ms)} | {fmt_opt(median_opt([cpu_ms(x) for x in runs]))} |"
                )

    # Where the database connections of each side were, sampled twice a second during the runs.
    waits = collections.defaultdict(lambda: collections.Counter())
    samples = collections.defaultdict(set)
    for tag, n, side, state, wtype, wevent, count in r.waits:
        run_side, _, run_tag = tag.partition("-")
        if (side == "api") != (run_side == "api"):
            continue  # the other side's idle connections
        c = int(re.match(r"c(\d+)p", run_tag).group(1))
        key = (run_side, c)
        samples[key].add((run_tag, n))
        what = state if state != "active" else f"active, {'running' if wtype == 'CPU' else wtype + ': ' + wevent}"
        waits[key][what] += int(count)
    if waits:
        shown = [c for c in clients if c >= 16] or clients
        columns = [(sd, c) for sd in SIDES for c in shown if (sd, c) in waits]
        mean = {k: {st: n / len(samples[k]) for st, n in waits[k].items()} for k in columns}
        states = [st for st in {st for k in columns for st in mean[k]} if max(mean[k].get(st, 0) for k in columns) >= 0.05]
        states.sort(key=lambda st: -sum(mean[k].get(st, 0) for k in columns))
        out += [
            "",
            "Where the database connections of each side were, sampled from `pg_stat_activity` twice a "
            "second during the measured runs (INSERT: pgbench INSERT; API's SQL, lean, one: the diagnosis "
            "sides; mean number of connections in each state; `idle in "
            "transaction`: the backend waits for the client's next statement inside a transaction; "
            "`Lock: transactionid`: it waits for another transaction to end (before migration 000008, "
            "usually the one holding the data_version counter row):",
            "",
            "| state | " + " | ".join(f"{SHORT_NAMES[sd]} @ {c}" for sd, c in columns) + " |",
            "|---|" + "---|" * len(columns),
        ]
        for st in states:
            out.append(
                f"| {st} | " + " | ".join(f"{mean[k].get(st, 0):.1f}" if mean[k].get(st, 0) >= 0.05 else "" for k in columns) + " |"
            )
        out.append("| all connections | " + " | ".join(f"{sum(mean[k].values()):.1f}" for k in columns) + " |")

    # The rows each API run left: at least its 2xx, at most one more per connection (in flight
    # when wrk's clock stopped), and one create event each.
    inconsistent = [
        f"c{x['clients']}p{x['pair']}"
        for x in r.loads
        if x["side"] == "api" and not (x["ok"] <= x["rows"] <= x["ok"] + x["clients"] and x["audit"] == x["rows"])
    ]

    # Verdicts.
    ratio_ok = all(median(ratios[c]) >= 0.5 for c in clients)
    figure = " / ".join(f"{median(ratios[c]):.2f}" for c in clients)
    which = "/".join(str(c) for c in clients)
    p99 = median(p99_64)
    met_at = [str(c) for c in clients if median(ratios[c]) >= 0.5]
    missed_at = [str(c) for c in clients if median(ratios[c]) < 0.5]
    loaded = [c for c in clients if c >= 16]
    p99_ok = all(median(p99_ratios[c]) <= 3 for c in loaded)
    p99_figure = " / ".join(f"{median(p99_ratios[c]):.1f}" for c in loaded)
    out += [
        "",
        "Goals:",
        f"- API p99 ≤ 3 × pgbench p99 at {' and '.join(map(str, loaded))} clients — {verdict(p99_ok)}: "
        f"{p99_figure} (round by round: "
        + "; ".join(f"{c}: {', '.join(f'{v:.1f}' for v in p99_ratios[c])}" for c in loaded)
        + ").",
        f"- API TPS ≥ 0.5 × pgbench TPS — {verdict(ratio_ok)}: API / pgbench {figure} at {which} clients"
        + (f" (met at {', '.join(met_at)}; not met at {', '.join(missed_at)})" if met_at and missed_at else "")
        + ".",
        f"- p99 < 20 ms at {max(clients)} clients — {verdict(p99 < 20)}: {p99:.1f} ms "
        f"(the median of the rounds' {' and '.join(f'{v:.1f}' for v in p99_64)}).",
        f"- every registration answered 2xx — {verdict(total_err == 0 and not inconsistent)}: {total_err} non-2xx or failed requests "
        f"of {fmt_int(total_ok + total_err)}; the database has {fmt_int(total_rows)} of the runs' insatser and "
        f"{fmt_int(total_audit)} create events for them (more than wrk's {fmt_int(total_ok)} 2xx by the "
        "requests still in flight when each run's clock stopped: at most one per connection"
        + (f"; **runs whose rows do not add up: {', '.join(inconsistent)}**)." if inconsistent else "; true of every run)."),
        f"<!-- goal: API single registrations ≥ 0.5 × pgbench INSERT TPS ({which} clients) | {figure} | "
        f"{'met' if ratio_ok else 'not met'} | {m['date']} -->",
        f"<!-- goal: API p99 ≤ 3 × pgbench p99 ({'/'.join(map(str, loaded))} clients) | {p99_figure} | "
        f"{'met' if p99_ok else 'not met'} | {m['date']} -->",
        f"<!-- goal: API p99 latency < 20 ms at {max(clients)} clients | {p99:.1f} ms | "
        f"{'met' if p99 < 20 else 'not met'} | {m['date']} -->",
        f"<!-- goal: no failed registrations under load (non-2xx; rows checked in the database) | "
        f"{total_err} of {fmt_int(total_ok + total_err)} | "
        f"{'met' if total_err == 0 and not inconsistent else 'not met'} | {m['date']} -->",
    ]
    return "\n".join(out) + "\n"


def cold_block(r):
    m = r.meta
    out = [r.run_line() + ".", ""]
    if r.cold:
        secs = [s for _, s, _ in r.cold]
        out += [
            f"`finsam serve` against the migrated and seeded `finsam_bench_api` (it still checks "
            f"migrations and the reference data on start), timed from launch until `GET /health` "
            f"answers 200 (polled every 5 ms), {len(r.cold)} runs; the binary in the page cache:",
            "",
            "| run | launch → /health 200 (s) | VmRSS 2 s later (MiB) |",
            "|---|---|---|",
        ]
        for n, s, kb in r.cold:
            out.append(f"| {n} | {s:.3f} | {mib(kb):.1f} |")
        out.append(
            f"| median | {median(secs):.3f} | {median([mib(kb) for _, _, kb in r.cold]):.1f} |"
        )
    rss_values = []
    if r.rss:
        out += ["", "Idle RSS of the server that took the load above (VmRSS from /proc/<pid>/status):", ""]
        out += ["| when | VmRSS (MiB) | VmRSS (MB) |", "|---|---|---|"]
        if "after_start" in r.rss:
            kb, start = r.rss["after_start"]
            rss_values.append(kb)
            out.append(
                f"| {m['idle']} s after /health answered (start took {float(start):.2f} s) | {mib(kb):.1f} | {mb(kb):.1f} |"
            )
        if "after_load" in r.rss:
            kb, hwm = r.rss["after_load"]
            rss_values.append(kb)
            out.append(f"| {m['idle']} s idle after the last load run | {mib(kb):.1f} | {mb(kb):.1f} |")
            out.append(f"| (peak during the load: VmHWM) | {mib(int(hwm)):.1f} | {mb(int(hwm)):.1f} |")
        if "server_threads_idle" in m:
            out.append(
                f"\nThreads of the server: {m['server_threads_idle']} idle after start, "
                f"{m.get('server_threads_after', '?')} after the load and the idle seconds."
            )
    out += ["", "Goals:"]
    if r.cold:
        s = median([s for _, s, _ in r.cold])
        out.append(f"- cold start < 5 s — {verdict(s < 5)}: median {s:.2f} s (max {max(secs):.2f} s).")
        out.append(f"<!-- goal: cold start (launch → /health 200) < 5 s | {s:.2f} s | {'met' if s < 5 else 'not met'} | {m['date']} -->")
    if not rss_values:
        rss_values = [kb for _, _, kb in r.cold]
    if rss_values:
        worst = max(rss_values)
        ok = mb(worst) < 100
        out.append(
            f"- idle RSS < 100 MB — {verdict(ok)}: at most {mib(worst):.1f} MiB ({mb(worst):.1f} MB)"
            + (" after start and after the load" if len(r.rss) == 2 else "")
            + "."
        )
        out.append(
            f"<!-- goal: idle RSS < 100 MB (after start / after load) | "
            + " / ".join(f"{mib(kb):.0f} MiB" for kb in rss_values)
            + f" | {'met' if ok else 'not met'} | {m['date']} -->"
        )
    return "\n".join(out) + "\n"


def table_cell(markdown, label, column=1):
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0].startswith(label):
            return float(cells[column])
    raise SystemExit(f"no row {label!r} in the benchmark output")


def tables_block(r, markdown):
    m = r.meta
    rows = int(m["table_rows"])
    ratio = table_cell(markdown, "ratio service / SQL")
    spread = f"{table_cell(markdown, 'ratio service / SQL', 2):.2f}–{table_cell(markdown, 'ratio service / SQL', 3):.2f}"
    after = table_cell(markdown, "read after a write")
    size = "" if rows == 1_000_000 else f" (at {fmt_int(rows)} rows, not the 1 000 000 the goal is set for)"
    out = [
        r.run_line() + f"; `finsam-bench tables --rows {rows} --runs {m['table_runs']}`:",
        "",
        markdown.strip(),
        "",
        f"Goals: service no slower than SQL including loading the data (ratio ≤ 1.0) — "
        f"{verdict(ratio <= 1.0)}, {ratio:.2f} ({spread} pair by pair); a table read after a write within 1 s at that size — "
        f"{verdict(after < 1.0)}, {after:.2f} s{size}.",
        f"<!-- goal: tables: service / SQL GROUP BY, cold ({fmt_int(rows)} rows) ≤ 1.0 | {ratio:.2f} | "
        f"{'met' if ratio <= 1.0 else 'not met'} | {m['date']} -->",
        f"<!-- goal: tables: read after a write < 1 s | {after:.2f} s | {'met' if after < 1 else 'not met'} | {m['date']} -->",
    ]
    return "\n".join(out) + "\n"


def import_parts(markdown):
    """What both import sections show of a `finsam-bench import` output: the median ratio to
    COPY, its spread run by run, and the output's lines as tables and as sentences."""
    ratio = table_cell(markdown, "ratio import / COPY")
    spread = f"{table_cell(markdown, 'ratio import / COPY', 2):.2f}–{table_cell(markdown, 'ratio import / COPY', 3):.2f}"
    tables, notes = [], []
    for line in markdown.strip().splitlines():
        (tables if line.startswith("|") or not line.strip() else notes).append(line)
    body = ["\n".join(tables).strip(), "", *(f"{n[0].upper()}{n[1:]}." if not n.endswith(".") else n for n in notes)]
    return ratio, spread, body


def import_block(r, markdown):
    m = r.meta
    rows = int(m["import_rows"])
    ratio, spread, body = import_parts(markdown)
    out = [
        r.run_line() + f"; `finsam-bench import --rows {rows} --runs {m['import_runs']}`:",
        "",
        *body,
        "",
        f"Goals: at least 0.3 of COPY's rows/s (issue 7) — {verdict(ratio >= 0.3)}; at least 0.5 (issue 14) — "
        f"{verdict(ratio >= 0.5)}: {ratio:.2f} ({spread} run by run).",
        f"<!-- goal: bulk import ≥ 0.3 × COPY rows/s ({fmt_int(rows)} rows) | {ratio:.2f} | "
        f"{'met' if ratio >= 0.3 else 'not met'} | {m['date']} -->",
        f"<!-- goal: bulk import ≥ 0.5 × COPY rows/s ({fmt_int(rows)} rows) | {ratio:.2f} | "
        f"{'met' if ratio >= 0.5 else 'not met'} | {m['date']} -->",
    ]
    if ratio < 0.5:
        out += [
            "",
            "Where the import's time goes (not measured by this run: the database connections sampled (pg_stat_activity) "
            "during a 30 000-row import on 2026-12-01): mostly in PostgreSQL, in the COPY of the new "
            "insats-years, the COPY of their audit events and one `nextval` per new insats of a chunk; "
            "COPY alone writes the rows with no audit event, no lock and no check. Next: one sequence "
            "call per chunk, and fewer statements per chunk.",
        ]
    return "\n".join(out) + "\n"


def peak_rises(markdown):
    """VmHWM − RSS before (MiB), run by run, from the per-run table of `finsam-bench import`
    (its own column, from KiB; before that column, the difference of the rounded MiB)."""
    rises = []
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit() and len(cells) >= 7:
            rises.append(float(cells[7]) if len(cells) >= 8 else float(cells[6]) - float(cells[5]))
    if not rises:
        raise SystemExit("no runs in the benchmark output")
    return rises


def import_xlsx_block(r, markdown):
    m = r.meta
    rows = int(m["import_rows"])
    ratio, spread, body = import_parts(markdown)
    rises = peak_rises(markdown)
    rise = max(rises)
    size = "" if rows == 100_000 else f" (at {fmt_int(rows)} rows, not the 100 000 the goals are set for)"
    out = [
        r.run_line() + f"; `finsam-bench import --format xlsx --rows {rows} --runs {m['import_runs']}`:",
        "",
        *body,
        "",
        f"Goals{size}: at least 0.3 of COPY's rows/s, as for CSV — {verdict(ratio >= 0.3)}: {ratio:.2f} "
        f"({spread} run by run); peak at most 200 MiB above the RSS before the import — "
        f"{verdict(rise <= 200)}: +{rise:.0f} MiB in the worst run "
        f"({', '.join(f'+{v:.0f}' for v in rises)} run by run).",
        f"<!-- goal: bulk import from XLSX ≥ 0.3 × COPY rows/s ({fmt_int(rows)} rows) | {ratio:.2f} | "
        f"{'met' if ratio >= 0.3 else 'not met'} | {m['date']} -->",
        f"<!-- goal: XLSX import peak ≤ 200 MiB above the RSS before it | +{rise:.0f} MiB | "
        f"{'met' if rise <= 200 else 'not met'} | {m['date']} -->",
    ]
    return "\n".join(out) + "\n"


def contention_block(tsv):
    rows = {}
    with open(tsv) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rows[fields[1] if fields[0] == "contention" else "import"] = fields
    date = time.strftime("%Y-%m-%d", time.gmtime())
    _, rows_n, seconds, idle_kb, peak_kb, created = rows["import"]
    out = [
        f"A registrar saving one insats every 20 ms (`POST …/insatser`, one kept-alive connection) while an "
        f"import job of {fmt_int(int(rows_n))} insatser of another förbund ran ({float(seconds):.1f} s, created "
        f"{created}), and as long again with no import, on the same server:",
        "",
        "| | saves | failed | p50 ms | p99 ms | worst ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in (("baseline", "no import"), ("during_import", "during the import")):
        _, _, n, failed, p50, p99, worst = rows[name]
        out.append(f"| {label} | {n} | {failed} | {p50} | {p99} | {worst} |")
    base, during = rows["baseline"], rows["during_import"]
    peak_mib, idle_mib = int(peak_kb) / 1024, int(idle_kb) / 1024
    out += [
        "",
        f"Server RSS: {idle_mib:.0f} MiB before the import, peak {peak_mib:.0f} MiB during it "
        f"(+{peak_mib - idle_mib:.0f} MiB).",
        "",
        f"<!-- goal: registrations during a {fmt_int(int(rows_n))}-row import: p99 < 50 ms and worst < 250 ms | "
        f"{float(during[5]):.1f} / {float(during[6]):.1f} ms | "
        f"{'met' if float(during[5]) < 50 and float(during[6]) < 250 else 'not met'} | {date} -->",
        f"<!-- goal: registrations with no import: p99 < 20 ms and worst < 100 ms | "
        f"{float(base[5]):.1f} / {float(base[6]):.1f} ms | "
        f"{'met' if float(base[5]) < 20 and float(base[6]) < 100 else 'not met'} | {date} -->",
        f"<!-- goal: import peak RSS ≤ 200 MiB above idle | +{peak_mib - idle_mib:.0f} MiB | "
        f"{'met' if peak_mib - idle_mib <= 200 else 'not met'} | {date} -->",
    ]
    return "\n".join(out) + "\n"


def summary_block(text, r, parts):
    m = r.meta
    out = [
        f"Last `bench/run`: {m['date']}, {int(m['run_seconds']) / 60:.1f} min in all (of which the release "
        f"build {m['build_seconds']} s), parts run: {', '.join(parts)}; a part not run keeps its figures and "
        "date from an earlier run.",
        "",
        "| goal | figure | verdict | run of |",
        "|---|---|---|---|",
    ]
    for match in BLOCK.finditer(text):
        if match.group(1) == "summary":
            continue
        for goal in GOAL.finditer(match.group(2)):
            name, figure, result, date = (x.strip() for x in goal.group(1).split("|"))
            out.append(f"| {name} | {figure} | **{result}** | {date} |")
    return "\n".join(out) + "\n"


def write(work, out_path):
    r = Results(work)
    with open(out_path) as f:
        text = f.read()
    fresh = {}
    if r.loads:
        fresh["api"] = api_block(r)
    if r.cold or r.rss:
        fresh["cold"] = cold_block(r)
    if os.path.exists(os.path.join(work, "tables.md")):
        with open(os.path.join(work, "tables.md")) as f:
            fresh["tables"] = tables_block(r, f.read())
    if os.path.exists(os.path.join(work, "import.md")):
        with open(os.path.join(work, "import.md")) as f:
            fresh["import"] = import_block(r, f.read())
    if os.path.exists(os.path.join(work, "import-xlsx.md")):
        with open(os.path.join(work, "import-xlsx.md")) as f:
            fresh["import-xlsx"] = import_xlsx_block(r, f.read())
    if os.path.exists(os.path.join(work, "contention.md")):
        with open(os.path.join(work, "contention.md")) as f:
            fresh["contention"] = f.read()
    if os.path.exists(os.path.join(work, "releases.md")):
        with open(os.path.join(work, "releases.md")) as f:
            fresh["releases"] = f.read()
    if os.path.exists(os.path.join(work, "report-pdf.md")):
        with open(os.path.join(work, "report-pdf.md")) as f:
            fresh["report-pdf"] = f.read()
    found = {m.group(1) for m in BLOCK.finditer(text)}
    for name in fresh:
        if name not in found:
            raise SystemExit(f"{out_path} has no block <!-- bench:{name} -->")

    def replace(match):
        name = match.group(1)
        body = fresh.get(name, match.group(2))
        return f"<!-- bench:{name} -->\n{body}<!-- /bench:{name} -->"

    text = BLOCK.sub(replace, text)
    summary = summary_block(text, r, sorted(fresh))
    text = BLOCK.sub(
        lambda m: f"<!-- bench:summary -->\n{summary}<!-- /bench:summary -->" if m.group(1) == "summary" else m.group(0),
        text,
    )
    with open(out_path, "w") as f:
        f.write(text)
    print(f"{out_path}: " + ", ".join(sorted(fresh)) + " rewritten", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pgbench-latency":
        pgbench_latency(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "contention":
        print(contention_block(sys.argv[2]), end="")
    elif len(sys.argv) == 4 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
