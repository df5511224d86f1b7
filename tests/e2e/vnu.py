"""The Nu HTML Checker (vnu.jar from npm's vnu-jar, run by Debian's Java) over a batch of HTML documents.

One JVM validates every document of a test at once: starting Java costs seconds, a document milliseconds.
Only errors count (warnings and info messages are advice); nothing is filtered out unless it is listed in
IGNORED with the reason.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.prerequisites import unavailable

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker's own start-up takes a few seconds; a loaded CI machine gets plenty more.
TIMEOUT_S = 180
# (regular expression on the message, why it is not a fault of the page). Empty: every error counts.
IGNORED: list[tuple[str, str]] = []


def java():
    """The java executable, or a skip (a failure under CI or E2E_REQUIRED=1) naming what to install."""
    path = shutil.which("java")
    if path is None or not VNU_JAR.is_file():
        reason = f"the Nu HTML Checker needs Java and {VNU_JAR} (run `make e2e-deps`)"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but {reason}", pytrace=False)
        unavailable(reason)
    return path


def ignored(message):
    return any(re.search(pattern, message) for pattern, _reason in IGNORED)


def validate(documents):
    """documents: {name: HTML text}. Returns {name: ["line N: message", ...]} for the documents with errors."""
    executable = java()
    with tempfile.TemporaryDirectory(prefix="vnu-") as directory:
        files = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(directory) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            files[path.resolve().as_uri()] = name
        result = subprocess.run(
            [executable, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only", "--no-langdetect"]
            + [str(Path(directory) / f"page-{i}.html") for i in range(len(files))],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    if not result.stdout.strip():
        raise RuntimeError(f"vnu produced no report (exit {result.returncode}): {result.stderr[-2000:]}")
    errors = {}
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] == "info" or ignored(message.get("message", "")):
            continue
        name = files.get(_file_uri(message.get("url", "")), message.get("url", "?"))
        line = message.get("lastLine", "?")
        extract = message.get("extract", "").strip().replace("\n", " ")[:120]
        errors.setdefault(name, []).append(f"line {line}: {message['message']}  [{extract}]")
    return errors


def _file_uri(url):
    """vnu writes file:/tmp/... where Path.as_uri() writes file:///tmp/...; compare in one form."""
    return Path(url.removeprefix("file:")).resolve().as_uri() if url.startswith("file:") else url
