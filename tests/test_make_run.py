"""`make run PORT=N` serves on the port asked for (8000 by default) and says clearly when it is taken, before
migrating and seeding (issue 13 §8). Make is run with the install step marked done, so nothing is installed."""

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def make(*arguments):
    return subprocess.run(
        [MAKE, "-s", "-o", "install", "-o", ".venv/.installed", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_taken_port_is_refused_with_a_chinese_message_naming_the_next_one():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        result = make("port-free", f"PORT={port}")
    assert result.returncode != 0
    assert f"端口 {port} 已被占用" in result.stdout
    assert f"make run PORT={port + 1}" in result.stdout


def test_a_free_port_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = make("port-free", f"PORT={port}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_run_checks_the_port_first_and_serves_on_it():
    commands = make("-n", "run", "PORT=8001").stdout
    assert "127.0.0.1', 8001" in commands
    assert commands.index("8001))") < commands.index("migrate") < commands.index("seed_demo")
    assert commands.rstrip().endswith("runserver 127.0.0.1:8001")
    assert make("-n", "run").stdout.rstrip().endswith("runserver 127.0.0.1:8000")
