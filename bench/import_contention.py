#!/usr/bin/env python3
"""Registrations of one förbund while a large import job of another runs (bench/run, part
"contention"): a registrar saves one insats every 20 ms, first with no import (baseline), then
for as long as the import job of ROWS insatser runs, and prints the latencies of both and the
server's memory. Only the standard library.

usage: import_contention.py BASE IMPORT_FORBUND IMPORT_TOKEN FORBUND TOKEN ROWS SERVER_PID OUT
"""

import http.client
import json
import sys
import threading
import time
import urllib.parse

INTERVAL = 0.020


def rss_kb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def csv_body(rows):
    header = ("external_ref,name,kind,orientation,target_groups,start_date,year,"
              "participants_women,participants_men,budget,outcome")
    lines = [header]
    for n in range(rows):
        lines.append(f"contention-{n},Insats {n},individual,work_oriented,,2026-01-01,2026,"
                     f"{n % 9 + 1},{n % 7 + 1},{10000 + n % 1000}.00,{9000 + n % 1000}.00")
    return ("\n".join(lines) + "\n").encode()


class Registrar:
    """Saves one insats every INTERVAL over one kept-alive connection; records each latency."""

    def __init__(self, base, forbund, token, tag):
        url = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        self.path = f"/api/v1/forbund/{forbund}/insatser"
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.tag = tag
        self.latencies = []
        self.failed = 0

    def run(self, until):
        n = 0
        next_at = time.monotonic()
        while not until():
            body = json.dumps({"name": f"Samtidig {self.tag} {n}", "kind": "individual",
                               "orientation": "preparatory", "target_groups": [],
                               "start_date": "2026-01-01", "external_ref": f"{self.tag}-{n}"})
            started = time.monotonic()
            self.conn.request("POST", self.path, body, self.headers)
            response = self.conn.getresponse()
            response.read()
            self.latencies.append(time.monotonic() - started)
            if response.status != 201:
                self.failed += 1
            n += 1
            next_at += INTERVAL
            time.sleep(max(0.0, next_at - time.monotonic()))


def summary(latencies):
    ms = sorted(x * 1000 for x in latencies)
    pick = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    return len(ms), pick(0.5), pick(0.99), ms[-1]


def main():
    base, import_forbund, import_token, forbund, token, rows, pid, out = sys.argv[1:9]
    rows, pid = int(rows), int(pid)
    body = csv_body(rows)
    idle_rss = rss_kb(pid)

    # The import's duration is what the registrar faces; the baseline runs as long, after a
    # quiet second, so both see the same server.
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    headers = {"Authorization": f"Bearer {import_token}", "Content-Type": "text/csv",
               "Idempotency-Key": f"contention-{time.time_ns()}"}
    done = threading.Event()
    peak = [idle_rss]

    def watch_memory():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(pid))
            time.sleep(0.05)

    during = Registrar(base, forbund, token, "during")
    started = time.monotonic()
    watcher = threading.Thread(target=watch_memory)
    watcher.start()
    conn.request("POST", f"/api/v1/forbund/{import_forbund}/imports", body, headers)
    response = conn.getresponse()
    answer = json.loads(response.read())
    if response.status != 202:
        raise SystemExit(f"the import answered {response.status}, not 202 (a job): {answer}")
    job = response.getheader("Location")

    def finished():
        conn.request("GET", job, headers={"Authorization": f"Bearer {import_token}"})
        state = json.loads(conn.getresponse().read())
        if state.get("state") in ("done", "failed"):
            finished.state = state
            return True
        return False

    last_poll = [0.0]

    def import_done():
        now = time.monotonic()
        if now - last_poll[0] < 0.25:
            return False
        last_poll[0] = now
        return finished()

    during.run(import_done)
    import_seconds = time.monotonic() - started
    done.set()
    watcher.join()
    state = finished.state
    if state.get("state") != "done":
        raise SystemExit(f"the import job ended {state}")

    time.sleep(1)
    baseline = Registrar(base, forbund, token, "baseline")
    stop_at = time.monotonic() + import_seconds
    baseline.run(lambda: time.monotonic() >= stop_at)

    with open(out, "w") as f:
        for name, registrar in (("baseline", baseline), ("during_import", during)):
            n, p50, p99, worst = summary(registrar.latencies)
            f.write(f"contention\t{name}\t{n}\t{registrar.failed}\t{p50:.2f}\t{p99:.2f}\t{worst:.2f}\n")
        f.write(f"contention_import\t{rows}\t{import_seconds:.2f}\t{idle_rss}\t{peak[0]}\t"
                f"{json.dumps(state.get('summary', {}).get('created'))}\n")


if __name__ == "__main__":
    main()
