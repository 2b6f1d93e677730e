"""Start ``restquery serve`` (and other commands) as real subprocesses on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "examples" / "catalog.json"
FIXTURES = REPO / "tests" / "fixtures" / "serve"


@contextlib.contextmanager
def serve(*args: str, timeout: float = 30.0) -> Iterator[str]:
    """Run ``restquery serve --port 0 ARGS`` and yield its base URL, read from the line it
    prints once listening; stop it on leaving."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "restquery", "serve", "--port", "0", *args],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=REPO, env=env)
    found: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "listening on " in line:
                found.append(line.rsplit("listening on ", 1)[1].strip())
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    try:
        if not found:
            proc.kill()
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"restquery serve did not start: {err}")
        yield found[0]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if proc.stderr is not None:
            proc.stderr.close()


def restquery_cli(*args: str, timeout: float = 600.0) -> subprocess.CompletedProcess[str]:
    """Run ``python -m restquery ARGS`` and return what it did."""
    return subprocess.run([sys.executable, "-m", "restquery", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=timeout)
