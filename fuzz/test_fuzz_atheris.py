"""Keeps the atheris harness working: its input function on every seed and on drawn bytes
(no atheris needed), and a short libFuzzer run when atheris is installed."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _fuzzlib import DOC_EXAMPLES, EXAMPLES, doc_seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import atheris_parse


def test_seeds_come_from_the_docs_corpus(tmp_path: Path) -> None:
    assert DOC_EXAMPLES.exists()
    n = atheris_parse.write_seeds(str(tmp_path))
    assert n == len(doc_seeds()) >= 100
    assert len(os.listdir(tmp_path)) == n


@pytest.mark.parametrize("seed", doc_seeds(), ids=lambda s: s[:60])
def test_one_input_on_seeds(seed: str) -> None:
    atheris_parse.one_input(seed.encode("utf-8"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.binary(max_size=120), st.sampled_from(doc_seeds() or ["/rest"]).map(str.encode))
)
def test_one_input_on_drawn_bytes(data: bytes) -> None:
    atheris_parse.one_input(data)


def test_dictionary_is_well_formed() -> None:
    lines = Path(atheris_parse.DICTIONARY).read_text(encoding="utf-8").splitlines()
    entries = [ln for ln in lines if ln and not ln.startswith("#")]
    assert len(entries) > 50
    assert all(ln.startswith('"') and ln.endswith('"') for ln in entries)


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_short_atheris_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    proc = subprocess.run(
        [sys.executable, str(HERE / "atheris_parse.py"), "-runs=500", "-seed=1", str(corpus)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(r"Done \d+ runs", proc.stderr), proc.stderr[-2000:]
    assert len(os.listdir(corpus)) >= 100  # seeded, then grown
