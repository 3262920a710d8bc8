#!/usr/bin/env python3
"""Reads every open table of a running finsam (no token) with independent readers and checks they
agree, suppressed cells included; then the yearly ZIP, with `,` and with `;` as CSV separator.

For the nation, county 12 and the förbund finsam-i-malmo: JSON-stat 2.0 through pyjstat must hold
the plain JSON's values (missing where the plain JSON has null) and its `status` must mark with
"." exactly the cells the plain JSON marks; XLSX through openpyxl must hold the same numbers, an
empty value cell and "." in the Status column exactly where suppressed; CSV through Python's csv
module an empty value and "." in the status column exactly where suppressed.

The ZIP must hold README.md and every table as json, csv and xlsx at the national, county and
förbund levels, and nothing else; each JSON read by pyjstat, each XLSX by openpyxl and each CSV by
csv must agree with one another, and the county 12 and finsam-i-malmo blocks and the national
tables with what the open endpoint serves.

    check_open_tables.py BASE_URL [YEAR]
"""
import csv
import io
import itertools
import json
import math
import sys
import urllib.request
import warnings
import zipfile
from decimal import Decimal

import openpyxl
from pyjstat import pyjstat

from finsam_http import Checks

SUPPRESSED = "."
LEVELS = ("national", "county", "forbund")
FORMATS = ("json", "csv", "xlsx")
# (name, query, level in the ZIP, dimension and category of the block in the ZIP's stacked table)
SELECTIONS = (
    ("nation", "", "national", None),
    ("county 12", "&county=12", "county", ("county", "12")),
    ("förbund finsam-i-malmo", "&forbund=finsam-i-malmo", "forbund", ("forbund", "finsam-i-malmo")),
)

# pyjstat's dataframe writer goes through a function it has deprecated itself.
warnings.filterwarnings("ignore", category=DeprecationWarning, module="pyjstat")

check = Checks("MISMATCH")
problems = check.problems


def fetch(base, path):
    with urllib.request.urlopen(base + path, timeout=120) as response:
        return response.read()


def number(value):
    """A value as Decimal; None for missing (null, NaN, empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return Decimal(str(value))


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < Decimal("0.005")


def differences(got, expected):
    """Positions where two value lists disagree (all of them when the lengths differ)."""
    if len(got) != len(expected):
        return [f"{len(got)} values, expected {len(expected)}"]
    return [f"[{i}] {a} != {b}" for i, (a, b) in enumerate(zip(got, expected)) if not same(a, b)]


def marked(statuses):
    return {i for i, s in enumerate(statuses) if s == SUPPRESSED}


def jsonstat_statuses(dataset, n):
    """JSON-stat 2.0 `status`: absent, one string for every cell, an array, or an object by index."""
    status = dataset.get("status")
    if status is None:
        return [None] * n
    if isinstance(status, str):
        return [status] * n
    if isinstance(status, list):
        return status if len(status) > 1 else status * n
    out = [None] * n
    for index, value in status.items():
        out.extend([None] * (int(index) + 1 - len(out)))  # an index past the end shows as a length mismatch
        out[int(index)] = value
    return out


def read_jsonstat(where, text):
    """(Dataset, codes per cell, values, statuses) of a JSON-stat 2.0 dataset, read by pyjstat."""
    dataset = pyjstat.Dataset.read(text)
    check(dataset.get("version") == "2.0" and dataset.get("class") == "dataset", f"{where}: not JSON-stat 2.0")
    size = dataset["size"]
    frame = dataset.write("dataframe", naming="id")
    values = [number(v) for v in frame["value"].tolist()]
    check(len(values) == math.prod(size), f"{where}: {len(values)} values for size {size}")
    codes = [tuple(str(c) for c in row) for row in frame[list(dataset["id"])].itertuples(index=False)]
    statuses = jsonstat_statuses(dataset, len(values))
    check(len(statuses) == len(values), f"{where}: status for {len(statuses)} cells, {len(values)} values")
    return dataset, codes, values, statuses


def read_xlsx(where, data):
    """(dimension labels per cell, values, statuses) from the first sheet, read by openpyxl."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    header = rows[0]
    value_column = header.index("Värde") if "Värde" in header else header.index("Value")
    status_column = header.index("Status")
    body = [row + [None] * (len(header) - len(row)) for row in rows[1:]]  # in case trailing blanks are left off
    labels = [tuple(row[:value_column]) for row in body]
    values = [row[value_column] for row in body]
    check(all(v is None or isinstance(v, (int, float)) for v in values), f"{where}: a value cell holds text")
    return labels, [number(v) for v in values], [row[status_column] for row in body]


def read_csv(where, data, separator, dimensions):
    """(codes per cell, values, statuses) read by csv with the separator. A `;` file is for Swedish
    spreadsheets: a UTF-8 byte-order mark first and decimal commas; a `,` file has neither."""
    bom = data.startswith(b"\xef\xbb\xbf")
    check(bom == (separator == ";"), f"{where}: byte-order mark {bom} with separator {separator!r}")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=separator))
    header = [f for d in dimensions for f in (d, f"{d}_label")] + ["value", "status"]
    check(rows[0] == header, f"{where}: header {rows[0]}, expected {header}")
    body = rows[1:]
    check(all(len(row) == len(header) for row in body), f"{where}: a row with the wrong number of fields")
    codes = [tuple(row[0 : 2 * len(dimensions) : 2]) for row in body]
    other_decimal = "." if separator == ";" else ","
    check(not any(other_decimal in row[-2] for row in body), f"{where}: a value with {other_decimal!r}")
    values = [number(row[-2].replace(",", ".")) for row in body]
    return codes, values, [row[-1] or None for row in body]


def plain_cells(plain):
    """Codes and Swedish labels of every cell of a plain-JSON table, row-major."""
    categories = [d["categories"] for d in plain["dimensions"]]
    codes = [tuple(c["code"] for c in cell) for cell in itertools.product(*categories)]
    labels = [tuple(c["label_sv"] for c in cell) for cell in itertools.product(*categories)]
    return codes, labels


def compare(where, reader, values, statuses, expected_values, expected_statuses):
    """One reader's values and suppression marks against the expected ones."""
    bad = differences(values, expected_values)
    check(not bad, f"{where} ({reader}): values differ: {bad[:5]}")
    extra, lacking = marked(statuses) - marked(expected_statuses), marked(expected_statuses) - marked(statuses)
    check(
        not extra and not lacking,
        f"{where} ({reader}): marked {SUPPRESSED!r} but not suppressed: {sorted(extra)[:10]}; "
        f"suppressed but not marked: {sorted(lacking)[:10]}",
    )
    others = {s for s in statuses if s not in (None, SUPPRESSED)}
    check(not others, f"{where} ({reader}): unknown statuses {others}")
    with_value = [i for i in marked(statuses) if i < len(values) and values[i] is not None]
    check(not with_value, f"{where} ({reader}): suppressed cells with a value {with_value[:5]}")


def check_endpoint(base, table_id, year, name, query):
    """One open table in every format against its plain JSON; the plain JSON's values and statuses."""
    where = f"{table_id} {name}"
    path = f"/api/v1/open/tables/{table_id}?year={year}{query}"
    plain = json.loads(fetch(base, path))
    expected = [number(v) for v in plain["values"]]
    statuses = plain["status"]
    check(len(statuses) == len(expected), f"{where}: {len(statuses)} statuses for {len(expected)} values")
    check(all(s is None or s == SUPPRESSED for s in statuses), f"{where}: plain JSON statuses {set(statuses)}")
    check(all(expected[i] is None for i in marked(statuses)), f"{where}: plain JSON has values for suppressed cells")
    codes, labels = plain_cells(plain)
    check(len(codes) == len(expected) == math.prod(plain["size"]), f"{where}: plain JSON size {plain['size']}")

    dataset, js_codes, js_values, js_statuses = read_jsonstat(where, fetch(base, path + "&format=json-stat2").decode())
    check(js_codes == codes, f"{where} (pyjstat): cells in another order than the plain JSON")
    compare(where, "pyjstat", js_values, js_statuses, expected, statuses)

    xl_labels, xl_values, xl_statuses = read_xlsx(where, fetch(base, path + "&format=xlsx"))
    check(xl_labels == labels, f"{where} (openpyxl): labels differ from the plain JSON")
    compare(where, "openpyxl", xl_values, xl_statuses, expected, statuses)

    dimensions = [d["id"] for d in plain["dimensions"]]
    csv_codes, csv_values, csv_statuses = read_csv(where, fetch(base, path + "&format=csv"), ",", dimensions)
    check(csv_codes == codes, f"{where} (csv): cells in another order than the plain JSON")
    compare(where, "csv", csv_values, csv_statuses, expected, statuses)
    return expected, statuses


def block(dataset, values, statuses, dimension, category):
    """The cells of one category of a stacked table's second dimension (after `year`)."""
    ids, size = list(dataset["id"]), dataset["size"]
    if ids[1] != dimension or size[0] != 1:
        return None, None
    index = dataset["dimension"][dimension]["category"]["index"]
    position = index.index(category) if isinstance(index, list) else index.get(category)
    if position is None:
        return None, None
    width = math.prod(size[2:])
    return values[position * width : (position + 1) * width], statuses[position * width : (position + 1) * width]


def check_zip(base, year, separator, tables, served):
    """The yearly ZIP with one separator: its members, and the values and statuses of each table file."""
    query = "" if separator == "," else "?csv_separator=%3B"
    label = f"{year}.zip{query}"
    archive = zipfile.ZipFile(io.BytesIO(fetch(base, f"/api/v1/open/export/{year}.zip{query}")))
    check(archive.testzip() is None, f"{label}: a corrupt member")
    root = f"finsam-open-{year}/"
    expected_names = {root + "README.md"} | {
        f"{root}{level}/{t}.{ext}" for level in LEVELS for t in tables for ext in FORMATS
    }
    names = archive.namelist()
    check(len(names) == len(set(names)), f"{label}: duplicate members")
    check(
        set(names) == expected_names,
        f"{label}: missing {sorted(expected_names - set(names))}, unexpected {sorted(set(names) - expected_names)}",
    )
    readme = archive.read(root + "README.md").decode() if root + "README.md" in names else ""
    check(
        all(f"`{name[len(root):]}`" in readme for name in expected_names if not name.endswith("README.md")),
        f"{label}: README.md does not list every file",
    )
    contents = {}
    for level in LEVELS:
        for table_id in tables:
            base_name = f"{root}{level}/{table_id}"
            where = f"{label} {level}/{table_id}"
            if not all(f"{base_name}.{ext}" in names for ext in FORMATS):
                continue
            text = archive.read(base_name + ".json").decode()
            dataset, codes, values, statuses = read_jsonstat(where + ".json", text)
            check(
                all(s is None or s == SUPPRESSED for s in statuses),
                f"{where}.json: statuses {set(statuses) - {None}}",
            )
            with_value = [i for i in marked(statuses) if i < len(values) and values[i] is not None]
            check(not with_value, f"{where}.json: values for suppressed cells {with_value[:5]}")
            contents[f"{level}/{table_id}"] = (values, statuses)

            category_labels = [dataset["dimension"][d]["category"]["label"] for d in dataset["id"]]
            labels = [tuple(str(by_code[c]) for by_code, c in zip(category_labels, cell)) for cell in codes]
            xl_labels, xl_values, xl_statuses = read_xlsx(where + ".xlsx", archive.read(base_name + ".xlsx"))
            check(xl_labels == labels, f"{where}.xlsx: labels differ from the JSON-stat")
            compare(where + ".xlsx", "openpyxl", xl_values, xl_statuses, values, statuses)

            data = archive.read(base_name + ".csv")
            first_line = data.decode("utf-8-sig").split("\r\n", 1)[0]
            check(
                separator in first_line and (separator == "," or "," not in first_line),
                f"{where}.csv: header {first_line!r} is not separated by {separator!r}",
            )
            csv_codes, csv_values, csv_statuses = read_csv(where + ".csv", data, separator, list(dataset["id"]))
            check(csv_codes == codes, f"{where}.csv: cells in another order than the JSON-stat")
            compare(where + ".csv", "csv", csv_values, csv_statuses, values, statuses)

            # The ZIP holds what the open endpoint serves.
            for name, _, zip_level, stacked in SELECTIONS:
                if zip_level != level:
                    continue
                want_values, want_statuses = served[(table_id, name)]
                if stacked is None:
                    got_values, got_statuses = values, statuses
                else:
                    got_values, got_statuses = block(dataset, values, statuses, *stacked)
                    if not check(got_values is not None, f"{where}.json: no {stacked[0]} {stacked[1]!r}"):
                        continue
                compare(
                    f"{where}.json, {name}", "against the open endpoint", got_values, got_statuses, want_values,
                    want_statuses,
                )
    return len(names), contents


def zip_suppressed_cells(contents):
    return sum(len(marked(statuses)) for _, statuses in contents.values())


def main():
    base = sys.argv[1].rstrip("/")
    year = sys.argv[2] if len(sys.argv) > 2 else "2023"
    tables = [t["id"] for t in json.loads(fetch(base, "/api/v1/open/tables"))]
    check(len(tables) == 10 and len(set(tables)) == 10, f"open tables: {tables}")

    served, cells, suppressed = {}, 0, 0
    for table_id in tables:
        before, marks = len(problems), []
        for name, query, _, _ in SELECTIONS:
            values, statuses = check_endpoint(base, table_id, year, name, query)
            served[(table_id, name)] = (values, statuses)
            cells += len(values)
            marks.append(len(marked(statuses)))
        suppressed += sum(marks)
        verdict = "agree" if len(problems) == before else "DISAGREE"
        print(f"{table_id}: JSON, JSON-stat, XLSX and CSV {verdict}; suppressed (nation, county 12, malmo): {marks}")

    zips = {}
    for separator in (",", ";"):
        before = len(problems)
        files, zips[separator] = check_zip(base, year, separator, tables, served)
        verdict = "all readers agree" if len(problems) == before else "MISMATCHES"
        hidden = zip_suppressed_cells(zips[separator])
        print(f"{year}.zip with {separator!r}: {files} files, {hidden} suppressed cells, {verdict}")
    check(zips[","] == zips[";"], f"{year}.zip: the two separators' ZIPs hold different values")
    check(suppressed > 0, "no suppressed cell at the three selections: the status checks checked nothing")
    check(all(zip_suppressed_cells(c) > 0 for c in zips.values()), f"{year}.zip: no suppressed cell")

    if problems:
        print(f"{len(problems)} mismatches in the open tables", file=sys.stderr)
        sys.exit(1)
    print(
        f"open tables: all {len(tables)} tables at {len(SELECTIONS)} selections, {cells} values, {suppressed} "
        f"suppressed; {year}.zip (, and ;): {len(zips[','])} tables each, "
        f"{zip_suppressed_cells(zips[','])} suppressed cells: OK"
    )


if __name__ == "__main__":
    main()
