"""URLs in docs (Markdown, reST, HTML, text), JSON (HAR, Postman, any) and access logs."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from restquery.lint import find_urls
from restquery.lint._files import kind_of
from restquery.lint._logs import chunks, extract_log_line, read_lines
from restquery.lint._urls import in_prose, in_value

MARK = "‸"


def marked(src: str) -> tuple[str, list[tuple[int, int]]]:
    """``src`` without its ``‸`` marks, and the (line, column) of each mark."""
    positions = []
    clean = ""
    parts = src.split(MARK)
    for part in parts[:-1]:
        clean += part
        positions.append((clean.count("\n") + 1, len(clean) - (clean.rfind("\n") + 1) + 1))
    return clean + parts[-1], positions


def check(kind: str, src: str, expected: list[tuple[str, str | None]]) -> None:
    clean, positions = marked(src)
    got = find_urls(clean, kind)
    assert [(u, m) for u, _l, _c, m in got] == expected
    assert [(line, col) for _u, line, col, _m in got] == positions


# --- where a URL starts and ends in running text ---------------------------------------------

PROSE = [
    ("Call ‸/rest/Employee(1).", [("/rest/Employee(1)", None)]),
    ("(see ‸/rest/Employee(1))", [("/rest/Employee(1)", None)]),
    ("[link](‸http://127.0.0.1:8044/rest/Company(1)) next", [("http://127.0.0.1:8044/rest/Company(1)", None)]),
    ("`GET ‸/rest/Employee?$filter=\"a = 'b c'\"` then", [("/rest/Employee?$filter=\"a = 'b c'\"", "GET")]),
    ("POST ‸localhost:80/rest/$upload?$binary=true", [("localhost:80/rest/$upload?$binary=true", "POST")]),
    ("‸{{ApiEndpoint}}/rest/Employee[123]", [("{{ApiEndpoint}}/rest/Employee[123]", None)]),
    ("\"‸/rest/Employee?$filter=\"a=1\"\" quoted", [('/rest/Employee?$filter="a=1"', None)]),
    ("| GET | ‸/rest/Employee(1) |", [("/rest/Employee(1)", None)]),
    ("<‸/rest/Employee>", [("/rest/Employee", None)]),
    ("**‸/rest/Employee**", [("/rest/Employee", None)]),
    ("get ‸/rest/Employee (lower-case words are prose)", [("/rest/Employee", None)]),
    ("not /app/rest/Employee, not ./rest/x, not /rest/ nor /rest/1", []),
    ("‸/rest/A ‸/rest/B, ‸/rest/C", [("/rest/A", None), ("/rest/B", None), ("/rest/C", None)]),
    ("‸/rest/Employee?$filter=\"unclosed and more\nnext line", [('/rest/Employee?$filter="unclosed and more', None)]),
]


@pytest.mark.parametrize(("src", "expected"), PROSE)
def test_urls_in_running_text(src: str, expected: list[tuple[str, str | None]]) -> None:
    check("text", src, expected)


def test_a_value_that_is_a_url_runs_to_its_end() -> None:
    s = '/rest/Employee?$filter="a = 1"  '
    assert list(in_value(s, 0, len(s))) == [(0, len(s) - 2, None)]
    s = "  PUT http://h/rest/E"
    assert list(in_value(s, 0, len(s))) == [(6, len(s), "PUT")]
    s = "see /rest/E(1) and /rest/F"
    assert [s[a:b] for a, b, _m in in_value(s, 0, len(s))] == ["/rest/E(1)", "/rest/F"]
    assert list(in_prose("", 0, 0)) == []


# --- Markdown, reST, HTML ----------------------------------------------------------------------

MARKDOWN = """\
# API

List with `‸/rest/Employee?$top=10`.

```js
fetch("‸/rest/Company(1)", {method: "DELETE"});  // "/rest/InComment"
```

```python
requests.post(f"‸{base}/rest/$upload?$rawPict=true")
```

```bash
curl -X PUT "‸http://h/rest/Employee?\\$filter=\\"a=1\\"" # /rest/NotThis
curl '‸http://h/rest/Employee(1)'
```

```
GET ‸/rest/Employee(2)
```

    ‸/rest/Employee(3)

~~~~text
‸/rest/Employee(4)
~~~~
"""


def test_markdown() -> None:
    check(
        "markdown",
        MARKDOWN,
        [
            ("/rest/Employee?$top=10", None),
            ("/rest/Company(1)", "DELETE"),
            ("\ue000/rest/$upload?$rawPict=true", "POST"),
            ('http://h/rest/Employee?$filter="a=1"', "PUT"),
            ("http://h/rest/Employee(1)", None),
            ("/rest/Employee(2)", "GET"),
            ("/rest/Employee(3)", None),
            ("/rest/Employee(4)", None),
        ],
    )


RST = """\
Title
=====

Use ``‸/rest/Employee(1)``.

.. code-block:: javascript

   fetch('‸/rest/Company(1)')  // '/rest/Comment'

.. code-block:: text

   GET ‸/rest/Company(2)

Back to text: ‸/rest/Company(3)
"""


def test_rst() -> None:
    check(
        "rst",
        RST,
        [
            ("/rest/Employee(1)", None),
            ("/rest/Company(1)", None),
            ("/rest/Company(2)", "GET"),
            ("/rest/Company(3)", None),
        ],
    )


HTML = """\
<html><head><script src="app.js"></script>
<script>fetch('‸/rest/Employee(1)')</script></head>
<body>
<!-- <a href="/rest/Commented(1)"> -->
<a href="‸/rest/Employee?$top=10&amp;$skip=20">next</a>
<form method="post" action='‸/rest/$directory/login'></form>
<p>Or ‸/rest/Company?$filter=&quot;name=x&quot; by hand.</p>
<style>.a { background: url("/rest/Style(1)") }</style>
</body></html>
"""


def test_html() -> None:
    check(
        "html",
        HTML,
        [
            ("/rest/Employee(1)", None),
            ("/rest/Employee?$top=10&$skip=20", None),
            ("/rest/$directory/login", "POST"),
            ('/rest/Company?$filter="name=x"', None),
        ],
    )


def test_html_entities_map_to_their_characters() -> None:
    src = '<a href="/rest/E?$top=1&amp;$skip=x">'
    from restquery.lint._markup import extract_html

    [occ] = extract_html(src)
    amp = occ.text.chars.index("&")
    assert src[occ.text.src_start(amp) : occ.text.src_end(amp)] == "&amp;"


# --- JSON --------------------------------------------------------------------------------------

HAR = """\
{"log": {"version": "1.2", "entries": [
  {"request": {"method": "POST", "url": "‸http://h/rest/Employee?$method=update"},
   "response": {"content": {"text": "{\\"uri\\": \\"/rest/Employee(1)\\"}"}}},
  {"request": {"url": "‸http://h/rest/Employee?$filter=\\"a=1\\"", "method": "get"}},
  {"request": {"method": "GET", "url": "http://h/static/app.js"}},
  {"request": {"method": "GET", "url": "http://h/api/rest/Employee"}}
]}}
"""


def test_har_requests_with_their_methods() -> None:
    check(
        "json",
        HAR,
        [("http://h/rest/Employee?$method=update", "POST"), ('http://h/rest/Employee?$filter="a=1"', "GET")],
    )


POSTMAN = """\
{"info": {"name": "c", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
 "item": [
   {"name": "folder", "item": [
     {"name": "deep", "item": [
       {"name": "a", "request": {"method": "DELETE", "url": {"raw": "‸{{base}}/rest/Employee(1)", "host": ["{{base}}"]}}}
     ]}
   ]},
   {"name": "b", "request": "‸{{base}}/rest/Company"},
   {"name": "c", "request": {"method": "PUT", "url": "‸{{base}}/rest/Company(1)"},
    "response": [{"originalRequest": {"method": "GET", "url": "{{base}}/rest/Example"}}]}
 ]}
"""


def test_postman_collection_with_nested_folders() -> None:
    check(
        "json",
        POSTMAN,
        [
            ("{{base}}/rest/Employee(1)", "DELETE"),
            ("{{base}}/rest/Company", "GET"),
            ("{{base}}/rest/Company(1)", "PUT"),
        ],
    )


def test_any_json_checks_every_string_value() -> None:
    check(
        "json",
        '{"links": ["‸/rest/Employee(1)", {"next": "‸/rest/Employee?$skip=\\u0031"}],\n "/rest/Key": 1}',
        [("/rest/Employee(1)", None), ("/rest/Employee?$skip=1", None)],
    )


def test_json_with_duplicate_keys_keeps_positions() -> None:
    check("json", '{"a": "‸/rest/A", "a": "‸/rest/B"}', [("/rest/A", None), ("/rest/B", None)])


def test_invalid_json_is_read_as_string_tokens() -> None:
    check("json", '{\n  // comment\n  "u": "‸/rest/Employee(1)",\n}', [("/rest/Employee(1)", None)])


# --- logs --------------------------------------------------------------------------------------

LOG_CASES = [
    ('1.2.3.4 - - [10/Oct/2024:13:55:36 +0200] "GET ‸/rest/Employee(1) HTTP/1.1" 200 12', [("/rest/Employee(1)", "GET")]),
    ('1.2.3.4 - bob [10/Oct/2024:13:55:36 +0200] "POST ‸http://h:80/rest/$upload?$binary=true HTTP/1.0" 201 - "http://ref/rest/X" "UA /rest/Y"',
     [("http://h:80/rest/$upload?$binary=true", "POST")]),
    ('::1 - - [10/Oct/2024:13:55:36 +0200] "GET ‸/rest/E?$filter=\\"a=\\xc3\\xa9\\" HTTP/1.1" 400 1', [('/rest/E?$filter="a=é"', "GET")]),
    ('1.2.3.4 - - [10/Oct/2024:13:55:36 +0200] "GET /app/rest/Employee HTTP/1.1" 200 12', []),
    ('1.2.3.4 - - [10/Oct/2024:13:55:36 +0200] "GET /x?next=/rest/Employee HTTP/1.1" 200 12', []),
    ("2024-10-10 INFO served DELETE ‸/rest/Employee(3) in 4 ms", [("/rest/Employee(3)", "DELETE")]),
]


@pytest.mark.parametrize(("line", "expected"), LOG_CASES)
def test_log_lines(line: str, expected: list[tuple[str, str | None]]) -> None:
    check("log", line, expected)


def test_log_escapes_map_to_their_bytes() -> None:
    line = '::1 - - [d] "GET /rest/E?$filter=\\"a=\\xc3\\xa9\\" HTTP/1.1" 400 1'
    [occ] = extract_log_line(line, 1)
    e = occ.text.chars.index("é")
    assert line[occ.text.src_start(e) : occ.text.src_end(e)] == "\\xc3\\xa9"


def _log(path: Path, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        target = rng.choice([f"/rest/Employee({i})", "/static/x.js", f"/rest/Company?$top={i}"])
        pad = "x" * rng.randint(0, 40)
        lines.append(f'10.0.0.1 - - [10/Oct/2024:13:55:36 +0200] "GET {target} HTTP/1.1" 200 {i} "{pad}" "ua"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


@pytest.mark.parametrize("chunk", [1, 7, 100, 1000, 1 << 20])
def test_chunks_read_every_line_exactly_once(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "access.log"
    lines = _log(path, 300, chunk)
    size = path.stat().st_size
    seen: list[str] = []
    total = 0
    for a, b in chunks(size, chunk):
        count = 0
        for number, line in read_lines(str(path), a, b):
            if line is None:
                count = number
                break
            seen.append(line)
        total += count
    assert total == len(lines)
    assert seen == [line for line in lines if "/rest/" in line]


def test_gzipped_logs_stream(tmp_path: Path) -> None:
    path = tmp_path / "access.log.1.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write('1.2.3.4 - - [d] "GET /rest/Employee(1) HTTP/1.1" 200 1\n' * 3)
    assert kind_of(str(path)) == "log"
    assert [n for n, line in read_lines(str(path)) if line] == [1, 2, 3]


def test_har_and_postman_are_json() -> None:
    assert kind_of("capture.har") == "json"
    assert kind_of("x.postman_collection.json") == "json"
    json.loads(marked(HAR)[0])
    json.loads(marked(POSTMAN)[0])
