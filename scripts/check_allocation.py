#!/usr/bin/env python3
"""The state's allocation end to end against a running finsam, read back by an independent reader.

Imports reference statistics for YEAR (a file with one bad line first: refused, that line named,
nothing stored), computes a what-if for YEAR + 1 as an analyst, decides it as an admin, and reads
the table `allocation` as JSON-stat 2.0 through pyjstat: every förbund's total is the decided
one, the parts make each total, and the totals sum exactly to the frame less national support.

    check_allocation.py BASE_URL ANALYST_TOKEN ADMIN_TOKEN [YEAR]
"""
import json
import sys
from decimal import Decimal

from pyjstat import pyjstat

from finsam_http import call

HEADER = "municipality_code,inhabitants_16_64,forsorjningsmatt_tkr,source,age_band,extract_date\n"
PARAMETERS = {
    "frame": "339000000", "national_support": "3000000", "base_amount": "400000",
    "forsorjningsmatt_weight": "0.75", "population_weight": "0.25",
    "damping": "none", "equity_rule": "no_effect",
}


def main():
    base, analyst, admin = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    year = int(sys.argv[4]) if len(sys.argv) > 4 else 2023
    status, body = call(base, "GET", f"/api/v1/forbund?year={year}")
    assert status == 200, body
    codes = sorted({c for f in json.loads(body) for c in f["municipality_codes"]})
    lines = [f"{code},{1000 + i},{500 + i}.5,SCB,16-64,{year + 1}-01-22" for i, code in enumerate(codes)]

    bad = list(lines)
    code, _, rest = bad[4].split(",", 2)
    bad[4] = f"{code},-7,{rest}"  # line 6: the header is line 1
    path = f"/api/v1/reference-statistics/{year}"
    status, body = call(base, "PUT", path, admin, (HEADER + "\n".join(bad) + "\n").encode(), "text/csv")
    assert status == 422, (status, body)
    problem = json.loads(body)
    assert [e["path"] for e in problem["errors"]] == ["line 6/inhabitants_16_64"], problem
    status, body = call(base, "GET", path, analyst)
    assert status == 200 and json.loads(body)["municipalities"] == [], body
    status, body = call(base, "PUT", path, admin, (HEADER + "\n".join(lines) + "\n").encode(), "text/csv")
    assert status in (200, 201), body

    parameters = dict(PARAMETERS, statistics_year=year)
    target = year + 1
    status, body = call(base, "POST", f"/api/v1/allocations/{target}/calculate", analyst, parameters)
    assert status == 200, body
    what_if = json.loads(body)["allocation"]
    status, body = call(base, "PUT", f"/api/v1/allocations/{target}", admin, parameters)
    assert status in (200, 201), body
    decided = {t["forbund_key"]: Decimal(t["total"]) for t in json.loads(body)["totals"]}
    assert decided == {f["forbund_key"]: Decimal(f["total"]) for f in what_if["forbund"]}, "what-if = decision"
    distributed = Decimal(parameters["frame"]) - Decimal(parameters["national_support"])
    assert sum(decided.values()) == distributed, (sum(decided.values()), distributed)

    status, body = call(base, "GET", f"/api/v1/tables/allocation?year={target}&format=json-stat2", analyst)
    assert status == 200, body
    frame = pyjstat.Dataset.read(body.decode("utf-8")).write("dataframe", naming="id")
    values = {(row["forbund"], row["measure"]): row["value"] for _, row in frame.iterrows()}
    for key, total in decided.items():
        assert Decimal(str(values[(key, "total")])) == total, (key, values[(key, "total")], total)
        parts = sum(Decimal(str(values[(key, m)])) for m in ("base", "by_forsorjningsmatt", "by_population", "damping_adjustment"))
        assert parts == total, (key, parts, total)
    assert Decimal(str(values[("total", "total")])) == distributed, values[("total", "total")]
    print(f"allocation {target}: {len(decided)} förbund, {distributed} SEK, read back through pyjstat: OK")


if __name__ == "__main__":
    main()
