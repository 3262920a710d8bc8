"""Fills in the import template in LibreOffice Calc as a Swedish user would, and saves it as
XLSX and as Calc's Swedish CSV (semicolons, decimal comma, Windows-1252).

Run with the Python that has LibreOffice's `uno` module (Debian: /usr/bin/python3 with
python3-uno), not a venv:

    /usr/bin/python3 scripts/fill_template.py TEMPLATE.xlsx ROWS.json OUT_DIR

ROWS.json is a list of rows, each a list of what is typed into the cells from column A on, as
text (`250 000,50`, `2025-03-01`, `Individinriktad`); rows go from row 2 on, over the template's
example row. Calc runs headless under a Swedish locale in a profile of its own, and each text is
entered through Calc's own input handling (the dispatcher's EnterString), so it becomes a number,
a date or text by Calc's Swedish rules, as typing does. Writes OUT_DIR/ifylld.xlsx and
OUT_DIR/ifylld.csv and prints what Calc made of each typed cell.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def column_name(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def start_office(profile, pipe):
    env = dict(os.environ, LC_ALL="sv_SE.UTF-8", LANG="sv_SE.UTF-8", LANGUAGE="sv")
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation=file://{profile}",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            return office, resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            time.sleep(0.5)
    office.kill()
    sys.exit("LibreOffice did not start")


def main():
    template, rows_file, out_dir = sys.argv[1:4]
    with open(rows_file, encoding="utf-8") as f:
        rows = json.load(f)
    profile = tempfile.mkdtemp(prefix="finsam-lo-")
    office, ctx = start_office(profile, f"finsam_fill_{os.getpid()}")
    try:
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        # A copy: Calc locks what it opens, and a lock left by a crash would stop the next run.
        copy = os.path.join(profile, "mall.xlsx")
        shutil.copyfile(template, copy)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(copy), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            sys.exit(f"LibreOffice could not open {template}")
        frame = doc.getCurrentController().getFrame()
        sheet = doc.Sheets.getByIndex(0)
        doc.getCurrentController().setActiveSheet(sheet)
        typed = []
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                address = f"{column_name(c)}{r + 2}"
                dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", address),))
                if text == "":
                    # Values, dates, texts and formulas (the example row's), as the Delete key does.
                    sheet.getCellRangeByName(address).clearContents(1 | 2 | 4 | 16)
                    continue
                dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
                cell = sheet.getCellRangeByName(address)
                typed.append((address, text, cell.getType().value, cell.getString()))
        for address, text, kind, shown in typed:
            print(f"{address}\t{text!r}\t{kind}\t{shown!r}")
        os.makedirs(out_dir, exist_ok=True)
        xlsx = uno.systemPathToFileUrl(os.path.abspath(os.path.join(out_dir, "ifylld.xlsx")))
        doc.storeToURL(xlsx, (prop("FilterName", "Calc MS Excel 2007 XML"),))
        # 59: `;` between fields, 34: `"` around text, 1: Windows-1252 (what Swedish Excel's
        # "CSV (semikolonavgränsad)" is), 1: from line 1; cells as shown, which under the Swedish
        # locale writes a decimal comma.
        csv = uno.systemPathToFileUrl(os.path.abspath(os.path.join(out_dir, "ifylld.csv")))
        doc.storeToURL(csv, (prop("FilterName", "Text - txt - csv (StarCalc)"), prop("FilterOptions", "59,34,1,1")))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
