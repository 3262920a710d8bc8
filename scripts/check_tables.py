#!/usr/bin/env python3
"""Reads every table of a running finsam with independent readers and checks they agree.

JSON-stat 2.0 through pyjstat, XLSX through openpyxl, CSV through Python's csv module; each
must hold the same values, in the same order, as the service's plain JSON.

    check_tables.py BASE_URL TOKEN [YEAR]
"""
import csv
import io
import json
import sys
import urllib.request
from decimal import Decimal

import openpyxl
from pyjstat import pyjstat


def fetch(base, token, path):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.005")


def main():
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    year = sys.argv[3] if len(sys.argv) > 3 else "2023"
    tables = json.loads(fetch(base, token, "/api/v1/tables"))
    assert len(tables) == 14, tables
    cells = 0
    for table in tables:
        path = f"/api/v1/tables/{table['id']}?year={year}"
        plain = json.loads(fetch(base, token, path))
        expected = [None if v is None else Decimal(str(v)) for v in plain["values"]]

        dataset = pyjstat.Dataset.read(fetch(base, token, path + "&format=json-stat2").decode("utf-8"))
        frame = dataset.write("dataframe")
        from_jsonstat = [None if v != v else v for v in frame["value"].tolist()]  # NaN is missing
        assert len(from_jsonstat) == len(expected), (table["id"], len(from_jsonstat), len(expected))
        assert all(same(a, b) for a, b in zip(from_jsonstat, expected)), (table["id"], from_jsonstat, expected)

        book = openpyxl.load_workbook(io.BytesIO(fetch(base, token, path + "&format=xlsx")), read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        value_column = rows[0].index("Värde")
        from_xlsx = [row[value_column] for row in rows[1:]]
        assert all(same(a, b) for a, b in zip(from_xlsx, expected)) and len(from_xlsx) == len(expected), table["id"]

        reader = csv.DictReader(io.StringIO(fetch(base, token, path + "&format=csv").decode("utf-8")))
        from_csv = [Decimal(row["value"]) if row["value"] else None for row in reader]
        assert all(same(a, b) for a, b in zip(from_csv, expected)) and len(from_csv) == len(expected), table["id"]
        cells += len(expected)
        print(f"{table['id']}: {len(expected)} values agree in JSON, JSON-stat, XLSX and CSV")
    print(f"all {len(tables)} tables, {cells} values: OK")


if __name__ == "__main__":
    main()
