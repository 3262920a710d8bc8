"""What the check scripts share: calling the server, and collecting the checks that fail.

The scripts are run as `python scripts/check_….py`, which puts this folder on the import path.
"""

import json
import sys
import urllib.error
import urllib.request


def call(base, method, path, token=None, body=None, content_type="application/json"):
    """(status, body bytes) of a request; an error status is an answer, not an exception. A body
    that is not bytes is sent as JSON."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(base + path, data=data, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Checks:
    """Checks that go on after one fails, so that a run shows every problem; each is printed
    with `label` as it fails, and `problems` holds them all."""

    def __init__(self, label):
        self.label = label
        self.problems = []

    def __call__(self, condition, message):
        if not condition:
            self.problems.append(message)
            print(f"{self.label}: {message}", file=sys.stderr)
        return condition
