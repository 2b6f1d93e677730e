#!/usr/bin/env python
"""Coverage-guided fuzzing of ``restquery.parse`` / ``validate`` / ``unparse`` with atheris
(libFuzzer for Python).

Seeded from the docs corpus (``tests/fixtures/doc-examples.tsv`` in the repository
root). Runs for a given number of seconds::

    pip install atheris
    python fuzz/atheris_parse.py -max_total_time=600            # 10 minutes, seeds in a temp dir
    python fuzz/atheris_parse.py -max_total_time=3600 fuzz/corpus   # keep the grown corpus
    python fuzz/atheris_parse.py crash-<sha1>                   # replay one crashing input

Arguments are libFuzzer's (``-max_total_time``, default 60 when neither it nor ``-runs`` is
given; ``-runs``, ``-jobs``, ``-dict`` (default: fuzz/restquery.dict), ...); the
first directory argument is the corpus (created and seeded when empty). Without a directory
the seeds go to a temporary one. A crash leaves ``crash-<sha1>`` with the input bytes; pin it
as an ``@example`` in fuzz/test_fuzz_properties.py once reported.

Each input (:func:`one_input`) is checked like every other fuzz input
(:func:`_fuzzlib.check_input`): only ``RestQueryError`` from ``parse``, nothing from
``validate`` (with and without the example catalog, with an HTTP method chosen from the
input), spans inside the text, and a parsed tree that prints back to the same tree.
"""

from __future__ import annotations

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

#: libFuzzer dictionary of the language's lexemes, used unless ``-dict=`` is given.
DICTIONARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "restquery.dict")

#: The HTTP method is taken from the input's length, so one input always gets the same one.
_METHODS = (None, "GET", "POST", "PUT", "PATCH", "DELETE")


def one_input(data: bytes) -> None:
    """Check one fuzzer input: the bytes themselves (``parse`` reads bytes as UTF-8), then the
    text they decode to (invalid UTF-8 replaced), through every guarantee. Raises
    :class:`_fuzzlib.Finding` (an ``AssertionError``) when one breaks."""
    from _fuzzlib import check_input, parse_only, validate_only

    parse_only(data)
    validate_only(data)
    text = data.decode("utf-8", "replace")
    check_input(text, method=_METHODS[len(data) % len(_METHODS)])


def write_seeds(directory: str) -> int:
    """Write the docs corpus (one URL per file) into ``directory``; return how many."""
    from _fuzzlib import doc_seeds

    os.makedirs(directory, exist_ok=True)
    seeds = doc_seeds()
    for i, url in enumerate(seeds):
        with open(os.path.join(directory, f"doc-{i:04d}"), "wb") as fh:
            fh.write(url.encode("utf-8"))
    return len(seeds)


def main(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["restquery", "lark", "_fuzzlib"]):
        import _fuzzlib  # noqa: F401

        import restquery.catalog
        import restquery.checker
        import restquery.printer
        import restquery.shape  # noqa: F401
        from restquery.rules import registry

        # Import what is loaded lazily (every rule module, Lark and the parsers, the fast
        # paths) inside the block, so that it is instrumented too.
        registry()
        one_input(b"/rest/Employee(1)/photo?$filter=\"a=1 AND b>:1\"&$params='[2]'&$top=1")

    args = list(argv)
    if not any(a.startswith(("-max_total_time=", "-runs=")) for a in args[1:]):
        args.append("-max_total_time=60")  # never run forever by accident
    if not any(a.startswith("-dict=") for a in args[1:]) and os.path.exists(DICTIONARY):
        args.append(f"-dict={DICTIONARY}")
    dirs = [a for a in args[1:] if not a.startswith("-") and os.path.isdir(a)]
    files = [a for a in args[1:] if not a.startswith("-") and os.path.isfile(a)]
    if not dirs and not files:
        seeds = tempfile.mkdtemp(prefix="restquery-atheris-")
        write_seeds(seeds)
        args.append(seeds)
    elif dirs and not os.listdir(dirs[0]):
        write_seeds(dirs[0])
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
