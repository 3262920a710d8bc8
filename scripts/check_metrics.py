#!/usr/bin/env python3
"""Reads GET /metrics of a running finsam with an independent parser (prometheus_client's) and
checks it: a few requests of its own (a 200, a 404 on an unknown path, a 401) must be counted
under their route patterns, never under a raw path; every family must be there with its type;
histogram buckets must be cumulative, with the +Inf bucket equal to the count; the pool and
import job gauges must be sane. Run after check_tables.py and check_open_tables.py on the same
server (as .ci/run does): the statistics data must then have been loaded and a year protected.

    check_metrics.py BASE_URL
"""
import math
import sys
import urllib.error
import urllib.request
from collections import defaultdict

from prometheus_client.parser import text_string_to_metric_families

FORBUND = "samordningsforbundet-i-blekinge"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
FAMILIES = {
    "finsam_http_requests": "counter",
    "finsam_http_request_duration_seconds": "histogram",
    "finsam_db_pool_connections": "gauge",
    "finsam_db_pool_max_connections": "gauge",
    "finsam_import_jobs": "gauge",
    "finsam_table_snapshot_refresh_seconds": "histogram",
    "finsam_open_tables_protect_seconds": "histogram",
}


def status_of(url):
    try:
        with urllib.request.urlopen(url) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_histogram(name, samples):
    """Every series' buckets (by labels other than le) cumulative, +Inf == _count, _sum >= 0."""
    series = defaultdict(dict)
    for sample in samples:
        labels = {k: v for k, v in sample.labels.items() if k != "le"}
        key = tuple(sorted(labels.items()))
        if sample.name == name + "_bucket":
            series[key].setdefault("buckets", []).append((float(sample.labels["le"]), sample.value))
        elif sample.name == name + "_count":
            series[key]["count"] = sample.value
        elif sample.name == name + "_sum":
            series[key]["sum"] = sample.value
    for key, parts in series.items():
        buckets = sorted(parts["buckets"])
        values = [value for _, value in buckets]
        assert values == sorted(values), f"{name}{key}: buckets not cumulative: {buckets}"
        assert buckets[-1][0] == math.inf, f"{name}{key}: no +Inf bucket"
        assert buckets[-1][1] == parts["count"], f"{name}{key}: +Inf {buckets[-1][1]} != count {parts['count']}"
        assert parts["sum"] >= 0, f"{name}{key}: negative sum"
    return {key: parts["count"] for key, parts in series.items()}


def main():
    base = sys.argv[1].rstrip("/")
    made = {
        ("GET", "/health", "200"): status_of(f"{base}/health"),
        ("GET", "unmatched", "404"): status_of(f"{base}/no/such/{FORBUND}"),
        ("GET", "/api/v1/forbund/{forbund_key}/insatser", "401"): status_of(f"{base}/api/v1/forbund/{FORBUND}/insatser"),
    }
    for (_, route, expected), got in made.items():
        assert str(got) == expected, f"{route}: {got}, not {expected}"

    with urllib.request.urlopen(f"{base}/metrics") as response:
        assert response.status == 200, response.status
        content_type = response.headers["Content-Type"]
        assert content_type == CONTENT_TYPE, content_type
        text = response.read().decode("utf-8")
    assert FORBUND not in text, "a raw path is a label"

    families = {family.name: family for family in text_string_to_metric_families(text)}
    for name, kind in FAMILIES.items():
        assert name in families, f"no family {name}; found {sorted(families)}"
        assert families[name].type == kind, f"{name} is a {families[name].type}, not a {kind}"
        assert families[name].documentation, f"{name} has no HELP"

    requests = {
        (s.labels["method"], s.labels["route"], s.labels["status"]): s.value
        for s in families["finsam_http_requests"].samples
        if s.name == "finsam_http_requests_total"
    }
    for key in made:
        assert requests.get(key, 0) >= 1, f"{key} not counted: {requests}"
    for method, route, status in requests:
        assert route == "unmatched" or route.startswith("/"), f"odd route label {route!r}"

    durations = check_histogram(
        "finsam_http_request_duration_seconds", families["finsam_http_request_duration_seconds"].samples
    )
    for method, route, _ in made:
        count = durations.get((("method", method), ("route", route)), 0)
        total = sum(v for (m, r, _), v in requests.items() if (m, r) == (method, route))
        assert count == total and count >= 1, f"{method} {route}: {count} durations, {total} requests"
    for name in ("finsam_table_snapshot_refresh_seconds", "finsam_open_tables_protect_seconds"):
        counts = check_histogram(name, families[name].samples)
        assert counts.get((), 0) >= 1, f"{name}: nothing observed after the table checks"

    pool = {s.labels["state"]: s.value for s in families["finsam_db_pool_connections"].samples}
    max_connections = families["finsam_db_pool_max_connections"].samples[0].value
    assert set(pool) == {"idle", "in_use"}, pool
    assert max_connections >= 1 and 0 <= pool["idle"] + pool["in_use"] <= max_connections, (pool, max_connections)
    jobs = {s.labels["state"]: s.value for s in families["finsam_import_jobs"].samples}
    assert {"queued", "done", "failed"} <= set(jobs) and all(v >= 0 for v in jobs.values()), jobs

    print(
        f"metrics: {len(families)} families, {len(requests)} request series, "
        f"pool {pool} of {max_connections:g}, import jobs {jobs}"
    )


if __name__ == "__main__":
    main()
