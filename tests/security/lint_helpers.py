"""Hostile inputs for ``restquery lint``: generators of pathological files, and the clocks and
scales that measure how linting them grows.

Each generator takes a size in characters and returns a file of about that size (never less)
built to defeat one extractor: a run of escaped quotes that never closes re-scans the rest of
the line from every quote, a tag that never ends re-scans the rest of the file from every
``<``, and so on. :data:`GENERATORS` maps a name to ``(kind, generator)``.
"""

from __future__ import annotations

import gc
import json
import time
import tracemalloc
from collections.abc import Callable

__all__ = ["GENERATORS", "LARGE", "SMALL", "best_time", "lint_once", "peak_bytes", "sizes"]

#: The two sizes every generator is measured at (characters): linear work grows ten-fold.
SMALL = 20_000
LARGE = 200_000


def _repeat(head: str, unit: str, tail: str, n: int) -> str:
    count = max((n - len(head) - len(tail)) // len(unit) + 1, 1)
    return head + unit * count + tail


def _har(n: int) -> str:
    entry = (
        '{"startedDateTime": "2024-10-10T13:55:36Z", "time": 1, "request": {"method": "GET", '
        '"url": "http://localhost/rest/Employee(%d)?$expand=photo", "httpVersion": "HTTP/1.1", '
        '"headers": [{"name": "Accept", "value": "*/*"}], "queryString": [], "cookies": [], '
        '"headersSize": -1, "bodySize": 0}, "response": {"status": 200, "content": {"size": 0}}}'
    )
    entries = []
    size = 0
    i = 0
    while size < n:
        e = entry % i
        entries.append(e)
        size += len(e) + 2
        i += 1
    return '{"log": {"version": "1.2", "entries": [\n' + ",\n".join(entries) + "\n]}}\n"


def _json_string(n: int) -> str:
    body = "a" * max(n - 60, 1)
    return json.dumps({"url": f'/rest/Employee?$filter="name={body}"'}) + "\n"


def _json_escaped_string(n: int) -> str:
    # Every character of the value is an escape: the densest map from characters to the file.
    return '{"url": "/rest/Employee?$filter=' + "\\u0061" * (n // 6 + 1) + '"}\n'


def _postman_deep(n: int) -> str:
    depth = max(n // 40, 1)
    head = '{"info": {"name": "c"}, "item": [' + '{"name": "f", "item": [' * depth
    leaf = '{"name": "a", "request": {"method": "DELETE", "url": "/rest/Employee(1)"}}'
    return head + leaf + "]}" * depth + "]}\n"


def _many_urls_line(n: int) -> str:
    return _repeat("curl -X POST ", "/rest/Employee(1) ", "\n", n)


def _log_many_urls(n: int) -> str:
    return _repeat("2024-10-10 INFO served GET ", "/rest/Employee(1) ", "\n", n)


#: name -> (kind, generator)
GENERATORS: dict[str, tuple[str, Callable[[int], str]]] = {
    # one-line strings that never close, one escaped quote after another
    "python-escaped-double-quotes": ("python", lambda n: _repeat('u = "/rest/E', '\\"', "\n", n)),
    "python-escaped-single-quotes": ("python", lambda n: _repeat("u = '/rest/E", "\\'", "\n", n)),
    "python-escaped-triple-quotes": ("python", lambda n: _repeat("u = '''/rest/E", "\\'''", "\n", n)),
    "python-concatenation-holes": (
        "python", lambda n: _repeat('u = "/rest/Employee?$filter=', '" + a + "', '"\n', n)
    ),
    "python-adjacent-literals": ("python", lambda n: _repeat('u = ("/rest/E"', ' "x"', ")\n", n)),
    "js-escaped-double-quotes": ("js", lambda n: _repeat('f("/rest/E', '\\"', "\n", n)),
    "js-escaped-single-quotes": ("js", lambda n: _repeat("f('/rest/E", "\\'", "\n", n)),
    "js-escaped-backticks": ("js", lambda n: _repeat("f(`/rest/E", "\\`", "\n", n)),
    "js-unclosed-template-holes": ("js", lambda n: _repeat("f('/rest/E'); ", "`${", "\n", n)),
    "js-nested-templates": (
        "js", lambda n: "f(" + "`/rest/E(${" * (n // 24 + 1) + "x" + "})`" * (n // 24 + 1) + ")\n"
    ),
    "js-concatenation-holes": ("js", lambda n: _repeat("f('/rest/Employee?$top=1", "' + a + '", "')\n", n)),
    "js-unclosed-regex-classes": ("js", lambda n: _repeat("f('/rest/E'); ", "/[", "\n", n)),
    "java-escaped-quotes": ("java", lambda n: _repeat('String u = "/rest/E', '\\"', "\n", n)),
    "java-text-blocks": ("java", lambda n: _repeat('String u = """\n/rest/E', '\\"""', "\n", n)),
    "4d-escaped-quotes": ("4d", lambda n: _repeat('$u:="/rest/E', '\\"', "\n", n)),
    # markup
    "html-script-run": ("html", lambda n: _repeat("<p>/rest/E</p>", "<script", "\n", n)),
    "html-a-run": ("html", lambda n: _repeat("<p>/rest/E</p>", "<a", "\n", n)),
    "html-long-attribute-name": ("html", lambda n: _repeat('<a href="/rest/E" ', "x", ">\n", n)),
    "markdown-shell-strings": ("markdown", lambda n: _repeat('```bash\ncurl "/rest/E', '\\"', "\n```\n", n)),
    "markdown-shell-words": ("markdown", lambda n: _repeat("```sh\ncurl", " /rest/E(1)", "\n```\n", n)),
    "text-many-urls-on-a-line": ("text", _many_urls_line),
    "text-suppressions-on-a-line": ("text", lambda n: _repeat("/rest/E ", "restquery: ignore[", "\n", n)),
    # JSON
    "json-invalid-escaped-quotes": ("json", lambda n: _repeat('{"u": "/rest/E', '\\"', "\n", n)),
    "json-long-string": ("json", _json_string),
    "json-escaped-string": ("json", _json_escaped_string),
    "har-many-entries": ("json", _har),
    "postman-deep-folders": ("json", _postman_deep),
    # logs
    "log-many-urls-on-a-line": ("log", _log_many_urls),
}


#: Sizes other than (SMALL, LARGE): a URL longer than the parser's length limit (64 KiB) is
#: refused at once, so a URL with holes is measured below it.
SIZES: dict[str, tuple[int, int]] = {
    "python-concatenation-holes": (6_000, 60_000),
    "js-concatenation-holes": (6_000, 60_000),
}


def sizes(name: str) -> tuple[int, int]:
    """The small and the large size of generator ``name``."""
    return SIZES.get(name, (SMALL, LARGE))


def lint_once(kind: str, text: str) -> int:
    """Lint ``text`` as a file of ``kind`` the way ``restquery lint`` does; the URLs seen."""
    from restquery.lint._check import Checker
    from restquery.lint._engine import lint_text
    from restquery.lint._logs import extract_log_line

    checker = Checker()
    if kind != "log":
        return lint_text(text, kind, checker, "<hostile>").urls
    count = 0
    for number, line in enumerate(text.splitlines(), 1):
        for occ in extract_log_line(line, number):
            checker.check(occ)
            count += 1
    return count


def best_time(fn: Callable[[], object], runs: int) -> float:
    """The shortest of ``runs`` timings of ``fn()`` (seconds): the least disturbed by noise."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak_bytes(fn: Callable[[], object]) -> int:
    """The peak of memory allocated while ``fn()`` runs (bytes, tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
