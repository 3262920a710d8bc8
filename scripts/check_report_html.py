#!/usr/bin/env python3
"""The HTML report of a running finsam through the Nu Html Checker (vnu.jar, W3C's validator).

Fetches the exact report with an analyst token (`/api/v1/reports/{year}.html`, which must answer
200 with `text/html; charset=utf-8`), and the open report with no token
(`/api/v1/open/reports/{year}.html`) when the year has a published release (a 404 is reported and
that document skipped), writes each to a file and checks them with one run of
`java -jar VNU_JAR --errors-only --format json --stdout`. Any error (warnings and info messages are
left out by --errors-only) fails the run, and every message is printed with its line and column.

Python's html.parser then checks what the validator does not require: `<html lang="sv">`,
exactly one `<h1>`, and a `<caption>` in every `<table>`.

    check_report_html.py BASE_URL ANALYST_TOKEN YEAR VNU_JAR

Needs `java` (Debian: default-jre-headless) on PATH; vnu.jar comes from the npm package vnu-jar
(tests/html-validator: `npm ci --prefix tests/html-validator`).
"""
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from finsam_http import Checks

check = Checks("FAIL")


def get(base, path, token=None):
    """(status, Content-Type, body bytes) of a GET. Like finsam_http.call, which does not give
    the response's headers; an error status is an answer, not an exception."""
    request = urllib.request.Request(base + path)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


class Outline(HTMLParser):
    """What the document's markup says about its language, headings and tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = []  # the lang of every <html> start tag (None when it has none)
        self.h1 = 0
        self.tables = 0
        self.without_caption = []  # the line of each <table> with no <caption> of its own
        self.open_tables = []  # [line, has a caption] of the tables open now, innermost last

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.html_lang.append(dict(attrs).get("lang"))
        elif tag == "h1":
            self.h1 += 1
        elif tag == "table":
            self.tables += 1
            self.open_tables.append([self.getpos()[0], False])
        elif tag == "caption" and self.open_tables:
            self.open_tables[-1][1] = True

    def handle_endtag(self, tag):
        if tag == "table" and self.open_tables:
            line, has_caption = self.open_tables.pop()
            if not has_caption:
                self.without_caption.append(line)

    def close(self):
        super().close()
        self.without_caption.extend(line for line, has_caption in self.open_tables if not has_caption)
        self.open_tables = []


def check_outline(where, text):
    """The html.parser checks of one document; the number of tables."""
    outline = Outline()
    outline.feed(text)
    outline.close()
    check(
        outline.html_lang == ["sv"],
        f"{where}: <html> start tags with lang {outline.html_lang}, expected one with lang=\"sv\"",
    )
    check(outline.h1 == 1, f"{where}: {outline.h1} <h1> elements, expected exactly one")
    check(outline.tables > 0, f"{where}: no <table>")
    check(
        not outline.without_caption,
        f"{where}: {len(outline.without_caption)} of {outline.tables} tables have no <caption> "
        f"(the <table> tags on lines {outline.without_caption[:10]})",
    )
    return outline.tables


def run_vnu(vnu_jar, files):
    """The messages of one vnu run over the files, by file; the messages that name no file of them."""
    command = ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", "--stdout", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError, TypeError):
        sys.exit(f"vnu gave no JSON (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    by_file = {file: [] for file in files}
    by_uri = {file.resolve().as_uri(): file for file in files}
    by_uri.update({"file:" + str(file.resolve()): file for file in files})  # vnu writes file:/tmp/…
    unplaced = []
    for message in messages:
        file = by_uri.get(message.get("url"))
        (by_file[file] if file is not None else unplaced).append(message)
    if result.returncode not in (0, 1) or (result.returncode == 1 and not messages):
        unplaced.append({"type": "non-document-error", "message": f"vnu exited {result.returncode}: {result.stderr}"})
    return by_file, unplaced


def describe(message):
    """A vnu message as `line L, column C: message (type) in "extract"`."""
    line = message.get("firstLine", message.get("lastLine"))
    column = message.get("firstColumn", message.get("lastColumn"))
    kind = message.get("type", "?") + (f"/{message['subType']}" if message.get("subType") else "")
    extract = f" in {message['extract']!r}" if message.get("extract") else ""
    return f"line {line}, column {column}: {message.get('message', '')} ({kind}){extract}"


def grouped(number):
    """48213 as `48 213`."""
    return f"{number:,}".replace(",", " ")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    base, token, year, vnu_jar = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], Path(sys.argv[4])
    if shutil.which("java") is None:
        sys.exit("java not found: install default-jre-headless")
    if not vnu_jar.is_file():
        sys.exit(f"{vnu_jar} not found: npm ci --prefix tests/html-validator")

    documents = []  # (label, body)
    for label, path, with_token in (
        (f"report {year} (exact)", f"/api/v1/reports/{year}.html", True),
        (f"report {year} (open)", f"/api/v1/open/reports/{year}.html", False),
    ):
        status, content_type, body = get(base, path, token if with_token else None)
        if not with_token and status == 404:
            print(f"{label}: 404, no release of {year} is published: the open report is not checked")
            continue
        if not check(status == 200, f"{label}: GET {path} answered {status}: {body[:300]!r}"):
            continue
        media_type, _, parameters = content_type.partition(";")
        check(media_type.strip().lower() == "text/html", f"{label}: Content-Type {content_type!r}, not text/html")
        check(
            "charset=utf-8" in parameters.replace(" ", "").lower(),
            f"{label}: Content-Type {content_type!r} names no UTF-8",
        )
        documents.append((label, body))

    work = Path(tempfile.mkdtemp(prefix="finsam-report-html-"))
    try:
        files = []
        for i, (_, body) in enumerate(documents):
            files.append(work / f"report-{i}.html")
            files[-1].write_bytes(body)
        by_file, unplaced = run_vnu(vnu_jar, files) if files else ({}, [])
        for message in unplaced:
            check(False, f"the Nu Html Checker: {describe(message)}")
        for (label, body), file in zip(documents, files):
            before = len(check.problems)
            errors = by_file[file]
            for message in errors:
                check(False, f"{label}: {describe(message)}")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as error:
                check(False, f"{label}: not UTF-8: {error}")
                continue
            tables = check_outline(label, text)
            verdict = "OK" if len(check.problems) == before else "FAILED"
            print(
                f"{label}: {grouped(len(body))} bytes, {tables} tables, {len(errors)} errors from the "
                f"Nu Html Checker: {verdict}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if check.problems:
        print(f"{len(check.problems)} problems with the HTML report", file=sys.stderr)
        sys.exit(1)
    documents_checked = f"{len(documents)} document{'' if len(documents) == 1 else 's'}"
    print(
        f"HTML report: {documents_checked} valid to the Nu Html Checker, lang=sv, one h1, every table captioned: OK"
    )


if __name__ == "__main__":
    main()
