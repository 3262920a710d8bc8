#!/usr/bin/env python3
"""The `;` CSV of a running finsam, opened by a real spreadsheet program in a Swedish locale.

Fetches a table with participants by gender as `?csv_separator=;` CSV from the exact tables API
(and the same table from the open yearly ZIP when the year has a published release), converts
each file to XLSX with LibreOffice Calc's CSV import in a Swedish locale, and reads the XLSX with
openpyxl: every non-empty cell of the `value` column must be a number cell (data type 'n', not
text or a date) equal to the API's JSON value for that cell, empty exactly where the JSON has
null, and a `gender_label` cell must read `Män`. A file with decimal points instead of decimal
commas fails: Calc in a Swedish locale reads `51.5` as text. The file must also start with a
UTF-8 byte-order mark, which Excel needs to read it as UTF-8.

    check_swedish_csv.py BASE_URL ANALYST_TOKEN [YEAR]

Needs `soffice` (Debian: libreoffice-calc-nogui) on PATH and openpyxl.
"""
import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl

from finsam_http import Checks, call

BOM = b"\xef\xbb\xbf"
# LibreOffice's CSV import options, by position: field separator 59 (;), text delimiter 34 ("),
# character set 76 (UTF-8), first line 1, no column formats, language 1053 (Swedish, whose
# decimal sign is the comma). The language is what makes `51,5` a number.
CSV_FILTER = "CSV:59,34,76,1,,1053"
PREFERRED = "individual-participants"

check = Checks("FAIL")


def decimal(value):
    return None if value is None else Decimal(str(value))


def gender_table(base, token):
    """The id of a table with a `gender` dimension: the individual participants if there."""
    status, body = call(base, "GET", "/api/v1/tables", token)
    assert status == 200, (status, body)
    with_gender = [t["id"] for t in json.loads(body) if "gender" in t["dimensions"]]
    assert with_gender, "no table has a gender dimension"
    return PREFERRED if PREFERRED in with_gender else with_gender[0]


def to_xlsx(csv_files, out_dir, profile):
    """Every CSV converted by one LibreOffice run, with its own profile so that runs do not collide."""
    command = [
        "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
        f"--infilter={CSV_FILTER}", "--convert-to", "xlsx", "--outdir", str(out_dir), *map(str, csv_files),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return [out_dir / (f.stem + ".xlsx") for f in csv_files]


def check_sheet(where, xlsx, values):
    """The converted sheet against the JSON's values, one row per value in the same order."""
    if not check(xlsx.exists(), f"{where}: LibreOffice wrote no {xlsx.name}"):
        return
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    # A BOM read as text would sit in the first header cell.
    check(header[0] == "year", f"{where}: first header cell {header[0]!r}")
    if not check("value" in header and "gender_label" in header, f"{where}: header {header}"):
        return
    value_at, gender_at = header.index("value"), header.index("gender_label")
    body = rows[1:]
    if not check(len(body) == len(values), f"{where}: {len(body)} rows for {len(values)} values"):
        return
    numbers = fractions = 0
    for i, (row, expected) in enumerate(zip(body, values)):
        cell = row[value_at] if value_at < len(row) else None
        got = None if cell is None else cell.value
        if got is None or got == "":
            check(expected is None, f"{where}: row {i + 2} is empty, the API has {expected}")
            continue
        if not check(cell.data_type == "n" and isinstance(got, (int, float)),
                     f"{where}: row {i + 2} value {got!r} is a {cell.data_type!r} cell, not a number"):
            continue
        check(expected is not None and Decimal(str(got)) == expected,
              f"{where}: row {i + 2} value {got!r}, the API has {expected}")
        numbers += 1
        fractions += Decimal(str(got)) != Decimal(str(got)).to_integral_value()
    # Whole numbers read the same in any locale: the check means something only with decimals.
    check(fractions > 0, f"{where}: no value with decimals, so the decimal sign went unchecked")
    labels = {row[gender_at].value for row in body}
    check("Män" in labels, f"{where}: no gender label reads 'Män': {sorted(map(str, labels))}")
    print(f"{where}: {numbers} number cells ({fractions} with decimals) equal to the API's, 'Män' intact")


def values_of(body):
    return [decimal(v) for v in json.loads(body)["values"]]


def main():
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    year = sys.argv[3] if len(sys.argv) > 3 else "2023"
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: install libreoffice-calc-nogui")
    table = gender_table(base, token)
    work = Path(tempfile.mkdtemp(prefix="finsam-swedish-csv-"))
    try:
        files, expected = [], {}
        path = f"/api/v1/tables/{table}?year={year}"
        status, body = call(base, "GET", path, token)
        assert status == 200, (path, status, body)
        status, data = call(base, "GET", path + "&format=csv&csv_separator=%3B", token)
        assert status == 200, (path, status, data)
        files.append(work / f"exact-{table}.csv")
        expected[files[-1].stem] = (f"{path} (exact, ;)", values_of(body), data)

        status, archive = call(base, "GET", f"/api/v1/open/export/{year}.zip?csv_separator=%3B")
        if status == 404:
            print(f"no release of {year} is published: the open ZIP is not checked")
        else:
            assert status == 200, (status, archive)
            member = f"finsam-open-{year}/national/{table}.csv"
            data = zipfile.ZipFile(io.BytesIO(archive)).read(member)
            status, body = call(base, "GET", f"/api/v1/open/tables/{table}?year={year}")
            assert status == 200, (status, body)
            files.append(work / f"open-{table}.csv")
            expected[files[-1].stem] = (f"{year}.zip?csv_separator=; {member}", values_of(body), data)

        for file in files:
            where, _, data = expected[file.stem]
            check(data.startswith(BOM), f"{where}: no UTF-8 byte-order mark")
            file.write_bytes(data)
        for file, xlsx in zip(files, to_xlsx(files, work / "xlsx", work / "profile")):
            where, values, _ = expected[file.stem]
            check_sheet(where, xlsx, values)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if check.problems:
        print(f"{len(check.problems)} problems with the Swedish CSV in LibreOffice Calc", file=sys.stderr)
        sys.exit(1)
    print(f"Swedish CSV: {len(files)} files read by LibreOffice Calc (sv-SE) as numbers and UTF-8: OK")


if __name__ == "__main__":
    main()
