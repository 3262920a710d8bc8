"""Imports files made by spreadsheet software no one here wrote, on a running server:

1. an XLSX written by openpyxl, with number, date and text cells (Swedish labels, and an amount
   typed as text with a decimal comma);
2. the server's import template, filled in by LibreOffice Calc under a Swedish locale
   (scripts/fill_template.py, run with the Python that has LibreOffice's `uno`) and saved by Calc
   as XLSX and as its Swedish CSV (semicolons, decimal comma, Windows-1252).

Each file is sent as a dry run first (which must store nothing), then for real; the insatser are
read back through the API and compared with what was typed. The CSV holds what the XLSX holds,
so after the XLSX it must import as unchanged.

    python check_spreadsheets.py BASE_URL ADMIN_TOKEN YEAR [UNO_PYTHON]
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile

import openpyxl

from finsam_http import call

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HERE = os.path.dirname(os.path.abspath(__file__))


def first_forbund(base, token):
    status, body = call(base, "GET", f"/api/v1/forbund", token)
    assert status == 200, (status, body[:300])
    return sorted(f["forbund_key"] for f in json.loads(body))[0]


def insatser(base, token, forbund):
    status, body = call(base, "GET", f"/api/v1/forbund/{forbund}/insatser", token)
    assert status == 200, (status, body[:300])
    return {i["external_ref"]: i for i in json.loads(body) if i.get("external_ref")}


def send(base, token, forbund, data, content_type, expect, created, unchanged=0):
    """A dry run, then the import itself; both must find every row good."""
    for dry_run, status_wanted in (("true", "dry_run"), ("false", "applied")):
        before = insatser(base, token, forbund)
        status, body = call(base, "POST", f"/api/v1/forbund/{forbund}/imports?dry_run={dry_run}", token, data,
                            content_type)
        summary = json.loads(body)
        assert status == 200, (status, summary)
        got = (summary["status"], summary["total"], summary["created"], summary["unchanged"], summary["rejected"])
        assert got == (status_wanted, expect, created, unchanged, 0), (got, summary["errors"][:5])
        if dry_run == "true":
            assert insatser(base, token, forbund) == before, "a dry run stored something"
    return summary


def year_of(insats, year):
    return next(y for y in insats["years"] if y["year"] == year)


def check_openpyxl(base, token, forbund, year, folder):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Insatser"
    sheet.append(["Referens", "Namn", "Typ av insats", "Inriktning", "Målgrupper", "Startdatum", "År",
                  "Deltagare kvinnor", "Deltagare män", "Budget", "Utfall"])
    sheet.append(["op-1", "Arbetsträning i openpyxl", "Individinriktad", "Arbetslivsinriktad",
                  "Unga, Långtidssjukskrivna", datetime.date(year, 2, 3), year, 12, 8, 250000.5, "12 500,50"])
    sheet.append(["op-2", "Samverkan i openpyxl", "structural", "develop_cooperation", None,
                  datetime.datetime(year, 4, 1), year, None, None, 30000, None])
    for row in sheet.iter_rows(min_row=2):
        row[5].number_format = "yyyy-mm-dd"
    path = os.path.join(folder, "openpyxl.xlsx")
    book.save(path)
    # The cells are of the types meant: numbers, dates, text.
    cells = openpyxl.load_workbook(path).active
    assert [cells.cell(2, c).data_type for c in (6, 7, 8, 10, 11)] == ["d", "n", "n", "n", "s"]
    with open(path, "rb") as f:
        send(base, token, forbund, f.read(), XLSX, 2, 2)
    stored = insatser(base, token, forbund)
    one, two = stored["op-1"], stored["op-2"]
    assert (one["kind"], one["orientation"], one["start_date"]) == ("individual", "work_oriented", f"{year}-02-03"), one
    assert one["target_groups"] == ["young", "long_term_sick_listed"], one
    figures = year_of(one, year)
    assert (figures["budget"], figures["outcome"], figures["participants"]) == (
        "250000.50", "12500.50", {"women": 12, "men": 8}), figures
    assert (two["kind"], two["start_date"], year_of(two, year)["budget"]) == ("structural", f"{year}-04-01",
                                                                                "30000.00"), two
    print(f"openpyxl XLSX: 2 insatser, number, date and text cells read as typed: OK")


def check_libreoffice(base, token, forbund, year, folder, uno_python):
    status, template = call(base, "GET", f"/api/v1/imports/template.xlsx", token)
    assert status == 200, (status, template[:300])
    template_path = os.path.join(folder, "mall.xlsx")
    with open(template_path, "wb") as f:
        f.write(template)
    header = [c.value for c in next(openpyxl.load_workbook(template_path).active.iter_rows(max_row=1))]
    # What a Swedish user types, column by column of the template's header; the example row is
    # typed over.
    typed = {
        "lo-1": {"Referens": "lo-1", "Namn": "Arbetsträning i Calc", "Typ av insats": "Individinriktad",
                 "Inriktning": "Förberedande", "Målgrupper": "Unga med aktivitetsersättning",
                 "Startdatum": f"{year}-03-01", "År": str(year), "Deltagare kvinnor": "7",
                 "Deltagare män": "1 204", "Budget": "250 000,50", "Utfall": "1200,5"},
        "lo-2": {"Referens": "lo-2", "Namn": "Samverkan i Calc", "Beskrivning": "Möten med parterna",
                 "Typ av insats": "Strukturövergripande", "Inriktning": "Utveckla samverkan",
                 "Startdatum": f"{year}-02-01", "Slutdatum": f"{year}-12-31", "År": str(year),
                 "Budget": "30000"},
    }
    missing = {name for row in typed.values() for name in row} - set(header)
    assert not missing, f"the template's header lacks {missing}: {header}"
    rows = [[row.get(name, "") for name in header] for row in typed.values()]
    rows_path = os.path.join(folder, "rader.json")
    with open(rows_path, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False)
    out = os.path.join(folder, "calc")
    subprocess.run([uno_python, os.path.join(HERE, "fill_template.py"), template_path, rows_path, out], check=True,
                   timeout=300)
    xlsx_path, csv_path = os.path.join(out, "ifylld.xlsx"), os.path.join(out, "ifylld.csv")
    # Calc made numbers and dates of what was typed, and wrote its CSV the Swedish way.
    saved = openpyxl.load_workbook(xlsx_path).active
    column = {name: i + 1 for i, name in enumerate(header)}
    assert saved.cell(2, column["Budget"]).value == 250000.5, saved.cell(2, column["Budget"]).value
    assert saved.cell(2, column["Startdatum"]).is_date, saved.cell(2, column["Startdatum"]).value
    with open(csv_path, "rb") as f:
        csv_bytes = f.read()
    csv_text = csv_bytes.decode("cp1252")
    # As shown by the template's number format: a no-break space between thousands, a decimal comma.
    assert "250\u00a0000,50" in csv_text and ";" in csv_text.splitlines()[0], csv_text[:400]
    try:
        csv_bytes.decode("utf-8")
        raise AssertionError("Calc's CSV should be Windows-1252 here, and it has å, ä and ö")
    except UnicodeDecodeError:
        pass
    with open(xlsx_path, "rb") as f:
        send(base, token, forbund, f.read(), XLSX, 2, 2)
    stored = insatser(base, token, forbund)
    one, two = stored["lo-1"], stored["lo-2"]
    assert (one["orientation"], one["target_groups"], one["start_date"]) == (
        "preparatory", ["young_with_activity_compensation"], f"{year}-03-01"), one
    figures = year_of(one, year)
    assert (figures["budget"], figures["outcome"], figures["participants"]) == (
        "250000.50", "1200.50", {"women": 7, "men": 1204}), figures
    assert (two["kind"], two["description"], two["end_date"]) == ("structural", "Möten med parterna",
                                                                  f"{year}-12-31"), two
    # The same rows as Calc's CSV, with no charset named: read as Windows-1252, the same insatser.
    send(base, token, forbund, csv_bytes, "text/csv", 2, 0, unchanged=2)
    assert insatser(base, token, forbund)["lo-1"] == one
    print(f"LibreOffice Calc (Swedish locale): the template filled in, saved as XLSX and as Swedish CSV "
          f"(Windows-1252, `;`, decimal comma), both imported alike: OK")


def main():
    base, token, year = sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3])
    uno_python = sys.argv[4] if len(sys.argv) > 4 else "/usr/bin/python3"
    forbund = first_forbund(base, token)
    with tempfile.TemporaryDirectory(prefix="finsam-sheets-") as folder:
        check_openpyxl(base, token, forbund, year, folder)
        check_libreoffice(base, token, forbund, year, folder, uno_python)


if __name__ == "__main__":
    main()
