"""``restquery lint`` takes time and memory linear in the file, whatever the file holds.

Each hostile generator (:data:`lint_helpers.GENERATORS`) is linted at two sizes, the larger ten
times the smaller: the time may grow at most fifteen-fold (a quadratic extractor grows a
hundred-fold), and the memory allocated stays within a few dozen bytes per byte of input.
Nesting as deep as the file likes never raises :class:`RecursionError`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from restquery.lint import find_urls
from restquery.lint._code import MAX_NESTED_CODE
from restquery.lint._text import HOLE

from .lint_helpers import GENERATORS, best_time, lint_once, peak_bytes, sizes

#: How much longer the large size may take than the small one (ten times the text): linear is
#: 10, quadratic 100; a loaded machine has been measured at 17 and 19 on linear cases (the
#: small size's few milliseconds are the noisy side), so the bound leaves room up to 30.
MAX_RATIO = 30
#: Bytes allocated at the peak per byte of input, at the large size.
MAX_BYTES_PER_BYTE = 40


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_time_grows_linearly(name: str) -> None:
    kind, gen = GENERATORS[name]
    small_n, large_n = sizes(name)
    assert large_n >= 10 * small_n
    small, large = gen(small_n), gen(large_n)
    lint_once(kind, gen(200))  # imports and caches: not part of what is measured
    t_small = best_time(lambda: lint_once(kind, small), runs=3)
    t_large = best_time(lambda: lint_once(kind, large), runs=1)
    if t_large > MAX_RATIO * t_small:  # once more, in case the machine was busy
        t_large = min(t_large, best_time(lambda: lint_once(kind, large), runs=2))
    assert t_large <= MAX_RATIO * max(t_small, 1e-3), (
        f"{name}: {t_small:.4f}s for {len(small)} characters, {t_large:.4f}s for {len(large)}"
    )


MEMORY = [
    "json-long-string",
    "json-escaped-string",
    "har-many-entries",
    "postman-deep-folders",
    "python-escaped-double-quotes",
    "js-nested-templates",
    "text-many-urls-on-a-line",
]

LONG_TOKENS = {
    "js-long-string": ("js", lambda n: 'f("/rest/Employee?$filter=\\"a=' + "x" * n + '\\"")\n'),
    "python-long-string": ("python", lambda n: 'u = "/rest/Employee?$filter=\\"a=' + "x" * n + '\\""\n'),
    "java-long-text-block": ("java", lambda n: 'String u = """\n/rest/Employee?$top=' + "1" * n + '""";\n'),
    "markdown-long-url": ("markdown", lambda n: "See /rest/Employee?$filter=" + "x" * n + "\n"),
    "html-long-attribute": ("html", lambda n: '<a href="/rest/Employee?$filter=' + "x" * n + '">\n'),
    "log-long-request": (
        "log", lambda n: '1.2.3.4 - - [d] "GET /rest/Employee?$top=' + "1" * n + ' HTTP/1.1" 200 1\n'
    ),
}


@pytest.mark.parametrize("name", MEMORY + sorted(LONG_TOKENS))
def test_memory_stays_bounded(name: str) -> None:
    kind, gen = LONG_TOKENS.get(name) or GENERATORS[name]
    text = gen(sizes(name)[1])
    lint_once(kind, gen(200))
    peak = peak_bytes(lambda: lint_once(kind, text))
    assert peak <= MAX_BYTES_PER_BYTE * len(text), f"{name}: {peak / len(text):.1f} bytes per byte"


# --- nesting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [500, 5000])
def test_nested_template_literals(depth: int) -> None:
    closed = "fetch(" + "`/rest/E(${" * depth + "id" + "})`" * depth + ")\n"
    found = find_urls(closed, "js")
    # The outer literal, and those inside its code down to MAX_NESTED_CODE levels.
    assert [(url, col) for url, _line, col, _method in found] == [
        (f"/rest/E({HOLE})", 8 + 11 * level) for level in range(MAX_NESTED_CODE + 1)
    ]
    unclosed = "`${" * depth + "\nfetch('/rest/Company(1)')\n"
    assert [u for u, *_ in find_urls(unclosed, "js")] == ["/rest/Company(1)"]
    strings = "f(`/rest/E(${" + "g('x', `${" * depth + "}`" * depth + "})`)\n"
    assert [u for u, *_ in find_urls(strings, "js")] == [f"/rest/E({HOLE})"]


@pytest.mark.parametrize("depth", [500, 5000])
def test_nested_python_fields(depth: int) -> None:
    src = 'u = f"/rest/E(' + "{ " * depth + "x" + " }" * depth + ')"\n'
    assert [u for u, *_ in find_urls(src, "python")] == [f"/rest/E({HOLE})"]


def test_postman_folders_ten_thousand_deep() -> None:
    depth = 10_000
    doc = '{"info": {"name": "c"}, "item": [' + '{"name": "f", "item": [' * depth
    doc += '{"name": "a", "request": {"method": "DELETE", "url": {"raw": "/rest/Employee(1)"}}}'
    doc += "]}" * depth + "]}"
    assert find_urls(doc, "json") == [("/rest/Employee(1)", 1, doc.index("/rest/") + 1, "DELETE")]


def test_har_and_any_json_ten_thousand_deep() -> None:
    depth = 10_000
    har = ('{"log": {"entries": [{"request": {"method": "PUT", "url": "/rest/E(1)"}, "x": '
           + "[" * depth + "]" * depth + "}]}}")
    assert [(u, m) for u, _l, _c, m in find_urls(har, "json")] == [("/rest/E(1)", "PUT")]
    deep = "[" * depth + '{"u": "/rest/E(2)"}' + "]" * depth
    assert [u for u, *_ in find_urls(deep, "json")] == ["/rest/E(2)"]
    objects = '{"a": ' * depth + '"/rest/E(3)"' + "}" * depth
    assert [u for u, *_ in find_urls(objects, "json")] == ["/rest/E(3)"]


def test_json_reader_accepts_what_json_loads_accepts() -> None:
    for doc in ['{"u": "/rest/E", "n": -1.5e3, "t": [true, false, null, NaN, -Infinity]}',
                ' ["/rest/E"] ', '"/rest/E"', '{"u": "/rest/E", "big": ' + "9" * 5000 + "}"]:
        assert [u for u, *_ in find_urls(doc, "json")] == ["/rest/E"]
    # Not JSON: read as string tokens, the Postman method is not known.
    for doc in ['{"item": [{"request": {"method": "PUT", "url": "/rest/E"}}],}',
                '{"item": [{"request": {"method": "PUT", "url": "/rest/E"}}]} x',
                '{"item": [{"request": {"method": "PUT", "url": "/rest/E"}}], "bad": 01}']:
        json_ok = _loads(doc)
        assert not json_ok
        assert [(u, m) for u, _l, _c, m in find_urls(doc, "json")] == [("/rest/E", None)]


def _loads(doc: str) -> bool:
    try:
        json.loads(doc)
    except ValueError:
        return False
    return True


def test_nested_html_and_markdown() -> None:
    depth = 10_000
    page = "<div>" * depth + '<a href="/rest/E(1)">x</a>' + "</div>" * depth
    assert [u for u, *_ in find_urls(page, "html")] == ["/rest/E(1)"]
    quotes = "> " * depth + "`/rest/E(2)`\n"
    assert [u for u, *_ in find_urls(quotes, "markdown")] == ["/rest/E(2)"]


def test_deep_json_and_directories_through_the_command(tmp_path: Path) -> None:
    # The command runs with a recursion limit below the tree's depth (a tree deeper than the
    # default limit could not be removed afterwards: shutil.rmtree recurses).
    depth = 400
    deep = tmp_path.joinpath(*["d"] * depth)
    deep.mkdir(parents=True)
    (deep / "a.md").write_text("`/rest/Company(1)/blobAtt?$binary=true`\n", encoding="utf-8")
    (tmp_path / "c.postman_collection.json").write_text(
        '{"info": {}, "item": [' + '{"item": [' * 10_000
        + '{"request": {"method": "DELETE", "url": "/rest/Company(1)/blobAtt?$binary=true"}}'
        + "]}" * 10_000 + "]}",
        encoding="utf-8",
    )
    command = ("import sys; sys.setrecursionlimit(300); from restquery.cli import main; "
               "sys.exit(main(['lint', '--no-config', '--format', 'json', '.']))")
    r = subprocess.run([sys.executable, "-c", command], cwd=tmp_path, capture_output=True,
                       text=True, timeout=120, check=False)
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert data["summary"]["problems"] == 0 and data["summary"]["files"] == 2
    assert {f["method"] for f in data["findings"]} == {None, "DELETE"}
