#!/usr/bin/env python3
"""The PxWeb API 2 tables of a running finsam (/api/v2) through independent clients, against the
v1 table API of the same server.

With no token, for every table of GET /api/v2/tables, read by pxwebpy (PxApi: GET /config and
/tables, metadata by GET /tables/{id}/metadata, data by POST /tables/{id}/data with
outputFormat=json-stat2, `*` expanded by pxwebpy itself from the metadata):
  - the metadata, valid JSON-stat 2.0 by jsonstat-validator, variables year, region, the v1
    table's own dimensions, measure;
  - the data three ways: every variable `*`; year `top(2)`; an explicit list of codes. Each is
    also asked for by GET (valuecodes[var]=…, so that the server expands `*` and `top` itself),
    as json-stat2 (valid by jsonstat-validator, its `status` read: pxwebpy drops it) and as px
    (read by pyaxis). pxwebpy's values, the GET's values and statuses, and pyaxis's cells must
    agree, and every cell must hold what GET /api/v1/open/tables/{id}?year=Y[&county=|&forbund=]
    &format=json-stat2 holds: the same value and status ("." suppressed); a region the v1 API has
    no table for (404: a förbund not in that year's release) must be ".." with no value.
With the analyst token, for every exact table, the same by GET (pxwebpy sends no Authorization
header: it prepares its requests outside its session, so no header can be added), one selection
(the latest year, the nation, a county and a förbund, everything else `*`), against
GET /api/v1/tables/{id}.

pyaxis reads "." (suppressed) as '' and ".." (not available) as NaN; values are text.

    check_pxweb.py BASE_URL ANALYST_TOKEN YEAR
"""
import itertools
import json
import math
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pandas
from jsonstat_validator import validate_jsonstat
from pxweb import PxApi
from pyaxis import pyaxis

from finsam_http import Checks

SUPPRESSED = "."
NOT_AVAILABLE = ".."
NATION = "00"
SELECTIONS = ("wildcard", "top(2)", "explicit")  # the names of the selections, as made by `selections`

checks = Checks("MISMATCH")
counts = {}  # summary counters, by check
failures = {}  # failed checks, by summary line
phase = ["setup"]  # the summary line the checks running now belong to


def check(condition, message, category=None):
    if not checks(condition, message):
        failures[category or phase[0]] = failures.get(category or phase[0], 0) + 1
    return condition


def count(name, n=1):
    counts[name] = counts.get(name, 0) + n


def get(base, path, token=None):
    """(status, Content-Type, body bytes) of a GET; a 429 is waited out (its Retry-After)."""
    request = urllib.request.Request(base + path)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for _ in range(5):
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            if error.code != 429:
                return error.code, error.headers.get("Content-Type", ""), error.read()
            time.sleep(float(error.headers.get("Retry-After", "1")))
    return 429, "", b""


def number(value):
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return Decimal(str(value))


def statuses(dataset, n):
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
        if int(index) < n:
            out[int(index)] = value
    return out


def codes_of(dimension):
    index = dimension["category"]["index"]
    return list(index) if isinstance(index, list) else sorted(index, key=index.get)


def cells(where, dataset):
    """{codes in `id` order: (value, status)} of a JSON-stat 2.0 dataset."""
    ids = dataset["id"]
    categories = [codes_of(dataset["dimension"][d]) for d in ids]
    values = dataset.get("value") or []
    n = math.prod(len(c) for c in categories)
    check(dataset["size"] == [len(c) for c in categories], f"{where}: size {dataset['size']} against the categories")
    check(len(values) == n, f"{where}: {len(values)} values for {n} cells")
    marks = statuses(dataset, n)
    return {combo: (number(v), s) for combo, v, s in zip(itertools.product(*categories), values, marks)}


def validated(where, body):
    """The JSON of a response, checked by jsonstat-validator; with Decimal numbers."""
    try:
        validate_jsonstat(json.loads(body))
        count("jsonstat-validator")
    except Exception as error:  # the validator raises its own error or pydantic's
        check(False, f"{where}: jsonstat-validator: {str(error)[:600]}", "json-stat2")
    return json.loads(body, parse_float=Decimal)


def query(selection, output_format):
    pairs = [(f"valuecodes[{var}]", ",".join(codes)) for var, codes in selection.items()]
    pairs.append(("outputFormat", output_format))
    return urllib.parse.urlencode(pairs, safe="[]*(),")


class V1:
    """The v1 table of a (year, region), fetched once: {(year, own codes…, measure): (value, status)},
    or None where the v1 API has none (404)."""

    def __init__(self, base, token):
        self.base, self.token, self.tables = base, token, {}

    def cells(self, table_id, year, region):
        key = (table_id, year, region)
        if key not in self.tables:
            where = "" if region == NATION else (f"&county={region}" if region.isdigit() else f"&forbund={region}")
            prefix = "/api/v1/tables" if self.token else "/api/v1/open/tables"
            path = f"{prefix}/{table_id}?year={year}{where}&format=json-stat2"
            status, _, body = get(self.base, path, self.token)
            count("v1 tables read")
            if status == 404 and b'"not_published"' in body:
                # An open year with no release: it must not be a value of the year variable at all.
                check(False, f"v2 has year {year} of {table_id}, which v1 says is not published: {path}")
                self.tables[key] = {}
            elif status == 404:
                count("v1 404s (region not in the release)")
                self.tables[key] = None
            elif check(status == 200, f"v1 {path}: {status} {body[:200]!r}"):
                dataset = json.loads(body, parse_float=Decimal)
                self.tables[key] = cells(f"v1 {path}", dataset)
            else:
                self.tables[key] = {}
        return self.tables[key]


def against_v1(where, got, v1, table_id):
    """Each v2 cell (year, region, own…, measure) against the v1 table of its year and region."""
    bad = []
    for codes, (value, status) in got.items():
        year, region, rest = codes[0], codes[1], codes[2:]
        expected = v1.cells(table_id, year, region)
        if expected is None:
            ok = value is None and status == NOT_AVAILABLE
            want = (None, NOT_AVAILABLE)
        else:
            want = expected.get((year, *rest))
            if want is None:
                # A category the v1 table of that year does not have (a förbund with no figures
                # that year in a table by förbund, whose v2 values span every year): not available.
                ok = value is None and status == NOT_AVAILABLE
                want = (None, NOT_AVAILABLE)
            else:
                ok = value == want[0] and (
                    status == want[1] or (want == (None, None) and status == NOT_AVAILABLE)
                )
        if status == SUPPRESSED:
            count(f"{phase[0]}: suppressed")
            count("suppressed cells compared")
        if not ok:
            bad.append(f"{codes}: {value}/{status}, v1 {want}")
    count(f"{phase[0]}: cells against v1", len(got))
    check(not bad, f"{where}: {len(bad)} cells differ from v1: {bad[:5]}")


def pxwebpy_cells(api, table_id, selection, dataset):
    """pxwebpy's rows of a selection as {codes: value}, keyed by variable code through the labels."""
    rows = api.get_table_data(table_id, value_codes=selection, show="code")
    code_of_label = {dataset["dimension"][d]["label"]: d for d in dataset["id"]}
    out = {}
    for row in rows:
        by_code = {code_of_label.get(label, label): value for label, value in row.items() if label != "value"}
        out[tuple(by_code.get(d) for d in dataset["id"])] = number(row["value"])
    return out


def px_cells(where, body, dataset):
    """The cells of a px file read by pyaxis, {codes in `id` order: (value, status)}: '' is ".", NaN ".."."""
    with tempfile.NamedTemporaryFile("wb", suffix=".px", delete=False) as f:
        f.write(body)
    try:
        parsed = pyaxis.parse(uri=f.name, encoding="utf-8")
    except Exception as error:
        check(False, f"{where}: pyaxis cannot read it: {error!r}", "px")
        return {}
    finally:
        os.unlink(f.name)
    meta, frame = parsed["METADATA"], parsed["DATA"]
    check(meta.get("CODEPAGE") == ["utf-8"], f"{where}: CODEPAGE {meta.get('CODEPAGE')}", "px")
    code_of_label = {dataset["dimension"][d]["label"]: d for d in dataset["id"]}
    variables = meta.get("STUB", []) + meta.get("HEADING", [])
    if not check(
        sorted(code_of_label.get(v, v) for v in variables) == sorted(dataset["id"]),
        f"{where}: variables {variables}, the json-stat has {[dataset['dimension'][d]['label'] for d in dataset['id']]}",
        "px",
    ):
        return {}
    codes = {v: dict(zip(meta[f"VALUES({v})"], meta.get(f"CODES({v})", meta[f"VALUES({v})"]))) for v in variables}
    order = [next(v for v in variables if code_of_label.get(v) == d) for d in dataset["id"]]
    out = {}
    for row in frame.itertuples(index=False):
        fields = dict(zip(frame.columns, row))
        key = tuple(codes[v].get(fields[v]) for v in order)
        text = fields["DATA"]
        if pandas.isna(text):
            out[key] = (None, NOT_AVAILABLE)
        elif text == "":
            out[key] = (None, SUPPRESSED)
        else:
            out[key] = (Decimal(text), None)
    return out


def same_px(where, px, js):
    """px cells against the json-stat2 cells of the same selection."""

    def as_px(cell):
        value, status = cell
        if status == SUPPRESSED:
            return (None, SUPPRESSED)
        return (value, None) if value is not None else (None, NOT_AVAILABLE)

    bad = [f"{k}: px {px.get(k)}, json-stat {js.get(k)}" for k in set(px) | set(js) if px.get(k) != as_px(js.get(k, (None, None)))]
    count("px cells", len(px))
    check(not bad, f"{where} (pyaxis): {len(bad)} cells differ from the json-stat2: {sorted(bad)[:5]}", "px")


def selections(metadata, year):
    """(name, {variable: expressions}, the codes each variable must come back with)."""
    ids = metadata["id"]
    categories = {d: codes_of(metadata["dimension"][d]) for d in ids}
    regions = categories["region"]
    county = next((r for r in regions if r.isdigit() and r != NATION), None)
    forbund = next((r for r in regions if not r.isdigit()), None)
    some_regions = [r for r in (NATION, county, forbund) if r]
    years = categories["year"]
    chosen_year = year if year in years else years[-1]
    explicit = {d: categories[d] for d in ids}
    explicit.update(year=[chosen_year], region=some_regions)
    explicit_want = dict(explicit)
    wildcard, top, explicit_name = SELECTIONS
    return [
        (wildcard, {d: ["*"] for d in ids}, categories),
        (top, {**{d: ["*"] for d in ids}, "year": ["top(2)"], "region": some_regions},
         {**categories, "year": years[-2:], "region": some_regions}),
        (explicit_name, explicit, explicit_want),
    ]


def check_selection(base, token, table_id, name, selection, want, v1, api=None):
    """One selection of one table: json-stat2 by GET, pxwebpy (no token), px; all against v1."""
    where = f"{table_id} {name}" + (" (exact)" if token else "")
    path = f"/api/v2/tables/{table_id}/data?{query(selection, 'json-stat2')}"
    status, _, body = get(base, path, token)
    if not check(status == 200, f"{where}: GET {path}: {status} {body[:300]!r}"):
        return
    dataset = validated(where, body)
    got = cells(where, dataset)
    came = {d: codes_of(dataset["dimension"][d]) for d in dataset["id"]}
    check(
        all(sorted(came.get(d, [])) == sorted(want[d]) for d in want),
        f"{where}: values {({d: came.get(d) for d in want})}, expected {want}",
    )
    against_v1(where, got, v1, table_id)
    if api is not None:
        try:
            rows = pxwebpy_cells(api, table_id, selection, dataset)
        except Exception as error:
            check(False, f"{where} (pxwebpy): {error!r}"[:600])
        else:
            values = {k: v for k, (v, _) in got.items()}
            bad = [f"{k}: {rows.get(k)} != {values.get(k)}" for k in set(rows) | set(values) if rows.get(k) != values.get(k)]
            count(f"{phase[0]}: pxwebpy cells", len(rows))
            check(not bad, f"{where} (pxwebpy): {len(bad)} cells differ from the GET: {sorted(bad)[:5]}")
    px_path = f"/api/v2/tables/{table_id}/data?{query(selection, 'px')}"
    status, content_type, body = get(base, px_path, token)
    if check(status == 200, f"{where}: GET {px_path}: {status} {body[:300]!r}", "px"):
        check(
            content_type.replace(" ", "").lower() == "text/plain;charset=utf-8",
            f"{where}: px Content-Type {content_type!r}",
            "px",
        )
        same_px(where, px_cells(where, body, dataset), got)
        count("px files")


def check_metadata(where, base, token, table_id, own_dimensions):
    status, _, body = get(base, f"/api/v2/tables/{table_id}/metadata", token)
    if not check(status == 200, f"{where}: metadata {status} {body[:300]!r}"):
        return None
    metadata = validated(f"{where} metadata", body)
    expected = ["year", "region", *own_dimensions, "measure"]
    check(metadata.get("id") == expected, f"{where}: variables {metadata.get('id')}, expected {expected}")
    check(
        metadata.get("role", {}).get("time") == ["year"] and metadata.get("role", {}).get("metric") == ["measure"],
        f"{where}: role {metadata.get('role')}",
    )
    count("metadata")
    return metadata


def verdict(category):
    n = failures.get(category, 0)
    return "OK" if n == 0 else f"{n} MISMATCHES"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    base, token, year = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]

    phase[0] = "tables"
    api = PxApi(base + "/api/v2", language="sv", disable_cache=True)
    open_v1 = {t["id"]: t for t in json.loads(get(base, "/api/v1/open/tables")[2])}
    ids = [t["id"] for t in api.all_tables()]
    check(api.number_of_tables == len(ids), f"/tables: totalElements {api.number_of_tables}, {len(ids)} tables")
    check(sorted(ids) == sorted(open_v1), f"/api/v2/tables {ids}, the v1 open tables {sorted(open_v1)}")
    print(f"tables (pxwebpy: /config apiVersion {api.get_config().get('apiVersion')}, /tables): {len(ids)}: {verdict('tables')}")

    v1 = V1(base, None)
    for table_id in ids:
        phase[0] = "metadata"
        own = open_v1.get(table_id, {}).get("dimensions", ["year", "measure"])[1:-1]
        metadata = check_metadata(table_id, base, None, table_id, own)
        if metadata is None:
            continue
        by_pxwebpy = api.get_table_metadata(table_id)
        check(by_pxwebpy.get("id") == metadata.get("id"), f"{table_id}: pxwebpy's metadata has ids {by_pxwebpy.get('id')}")
        for name, selection, want in selections(metadata, year):
            phase[0] = name
            check_selection(base, None, table_id, name, selection, want, v1, api)
    print(f"metadata (pxwebpy and GET): {counts.get('metadata', 0)} tables, variables as v1's: {verdict('metadata')}")
    for name in SELECTIONS:
        print(
            f"data {name} (open): {counts.get(f'{name}: cells against v1', 0)} cells against v1 "
            f"({counts.get(f'{name}: suppressed', 0)} suppressed), {counts.get(f'{name}: pxwebpy cells', 0)} "
            f"through pxwebpy: {verdict(name)}"
        )
    print(
        f"v1 tables read: {counts.get('v1 tables read', 0)}, {counts.get('v1 404s (region not in the release)', 0)} "
        "of them 404 (a region not in the release: its cells must be '..')"
    )

    phase[0] = "exact"
    exact_v1 = {t["id"]: t for t in json.loads(get(base, "/api/v1/tables", token)[2])}
    status, _, body = get(base, "/api/v2/tables?pageSize=100", token)
    exact_ids = [t["id"] for t in json.loads(body).get("tables", [])] if status == 200 else []
    check(sorted(exact_ids) == sorted(exact_v1), f"/api/v2/tables with a token: {exact_ids}, v1 {sorted(exact_v1)}")
    v1_exact = V1(base, token)
    for table_id in exact_ids:
        own = exact_v1.get(table_id, {}).get("dimensions", ["year", "measure"])[1:-1]
        metadata = check_metadata(f"{table_id} (exact)", base, token, table_id, own)
        if metadata is None:
            continue
        _, explicit, want = selections(metadata, year)[2]
        selection = {**{d: ["*"] for d in metadata["id"]}, "year": ["top(1)"], "region": explicit["region"]}
        want = {d: codes_of(metadata["dimension"][d]) for d in metadata["id"]}
        want.update(year=want["year"][-1:], region=explicit["region"])
        check_selection(base, token, table_id, "latest year", selection, want, v1_exact)
    print(
        f"exact (analyst token; by urllib, as pxwebpy sends no Authorization header): {len(exact_ids)} tables, "
        f"{counts.get('exact: cells against v1', 0)} cells against /api/v1/tables: {verdict('exact')}"
    )
    print(f"json-stat2 (jsonstat-validator): {counts.get('jsonstat-validator', 0)} documents valid: {verdict('json-stat2')}")
    print(f"px (pyaxis): {counts.get('px files', 0)} files, {counts.get('px cells', 0)} cells as their json-stat2: {verdict('px')}")
    phase[0] = "tables"
    check(counts.get("suppressed cells compared", 0) > 0, "no suppressed cell compared: the status checks checked nothing")
    if checks.problems:
        print(f"{len(checks.problems)} mismatches in the PxWeb API", file=sys.stderr)
        sys.exit(1)
    print("PxWeb API 2: OK")


if __name__ == "__main__":
    main()
