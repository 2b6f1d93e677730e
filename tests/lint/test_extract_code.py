"""URLs in the string literals of Python, JavaScript/TypeScript, Java and 4D code."""

from __future__ import annotations

import pytest

from restquery.lint import find_urls
from restquery.lint._code import decode_literal, extract_code
from restquery.lint._text import HOLE

H = HOLE


def urls(src: str, lang: str) -> list[tuple[str, int, int, str | None]]:
    return find_urls(src, lang)


# (language, source with ‸ before each URL, [(url as checked, method)])
CASES = [
    # JavaScript: quotes, templates, holes, concatenation, methods
    ("js", 'fetch("‸/rest/Employee(1)")', [('/rest/Employee(1)', None)]),
    ("js", "fetch('‸/rest/$catalog')", [('/rest/$catalog', None)]),
    ("js", 'fetch(`‸/rest/Employee(${id})`)', [(f'/rest/Employee({H})', None)]),
    ("js", 'fetch(`‸${base}/rest/Employee`)', [(f'{H}/rest/Employee', None)]),
    ("js", 'fetch(`‸/rest/${dc}(1)`)', [(f'/rest/{H}(1)', None)]),
    ("js", 'f(`‸/rest/E(${a + `x${b}`})`)', [(f'/rest/E({H})', None)]),
    ("js", "f('‸/rest/Employee(' + id + ')?$top=1')", [(f'/rest/Employee({H})?$top=1', None)]),
    ("js", "f('‸/rest/Employee/' + obj.attr(1, 2))", [(f'/rest/Employee/{H}', None)]),
    ("js", "f('‸http://h:80' + '/rest/Company')", [('http://h:80/rest/Company', None)]),
    ("js", "fetch('‸/rest/E(1)', {method: 'DELETE'})", [('/rest/E(1)', 'DELETE')]),
    ("js", 'fetch(url, { "method": "PUT" }); fetch("‸/rest/E")', [('/rest/E', None)]),
    ("js", "axios.post('‸/rest/E(1)')", [('/rest/E(1)', 'POST')]),
    ("js", "axios({url: '‸/rest/E(1)', method: 'patch'})", [('/rest/E(1)', 'PATCH')]),
    ("js", "xhr.open('POST', '‸/rest/$directory/login')", [('/rest/$directory/login', 'POST')]),
    ("js", "get('‸/rest/E')", [('/rest/E', None)]),
    ("js", "// fetch('/rest/E(1)')\n/* '/rest/F' */ g('‸/rest/G')", [('/rest/G', None)]),
    ("js", 'const r = /[\'"]rest/g; f(\'‸/rest/E\')', [('/rest/E', None)]),
    ("js", "x = a / b; f('‸/rest/E'); y = c / d", [('/rest/E', None)]),
    ("js", 'f(\'‸/rest/E?$filter="a=1"\')', [('/rest/E?$filter="a=1"', None)]),
    ("js", "f('see ‸/rest/E(1) for details')", [('/rest/E(1)', None)]),
    ("js", "f('GET ‸/rest/E(1)')", [('/rest/E(1)', 'GET')]),
    ("js", "f('/app/rest/E'); f('/rest/')", []),
    ("js", 'const s = "it\'s /rest/E\nf(\'‸/rest/F\')', [('/rest/F', None)]),
    # TypeScript through the same lexer
    ("js", 'const u: string = `‸/rest/Employee?$top=${n}`;', [(f'/rest/Employee?$top={H}', None)]),
    # Python
    ("python", 'requests.get("‸/rest/Employee")', [('/rest/Employee', 'GET')]),
    ("python", "requests.delete('‸/rest/E(1)')", [('/rest/E(1)', 'DELETE')]),
    ("python", 's.request("PUT", "‸/rest/E(1)")', [('/rest/E(1)', 'PUT')]),
    ("python", 'requests.request(method="PATCH", url="‸/rest/E(1)")', [('/rest/E(1)', 'PATCH')]),
    ("python", 'f"‸{base}/rest/Employee({id})"', [(f'{H}/rest/Employee({H})', None)]),
    ("python", 'rf"‸/rest/E({x!r:>{w}})"', [(f'/rest/E({H})', None)]),
    ("python", 'f"‸/rest/E?$params={{1}}"', [('/rest/E?$params={1}', None)]),
    ("python", '"‸/rest/E({})".format(5)', [(f'/rest/E({H})', None)]),
    ("python", '"‸/rest/E({})"', [('/rest/E({})', None)]),
    ("python", '"‸/rest/E(%d)?$top=%(n)s" % x', [(f'/rest/E({H})?$top={H}', None)]),
    ("python", '"‸/rest/E?$filter=%22x%22"', [('/rest/E?$filter=%22x%22', None)]),
    ("python", '("‸/rest/E"\n "?$top=1")', [('/rest/E?$top=1', None)]),
    ("python", "x = '''\n‸/rest/E(1)\n'''", [('/rest/E(1)', None)]),
    ("python", "# '/rest/E(1)'\ny = r'‸/rest/F\\d'", [('/rest/F\\d', None)]),
    ("python", "b'‸/rest/E(1)'", [('/rest/E(1)', None)]),
    ("python", "BASE + '‸/rest/E(' + str(n) + ')'", [(f'/rest/E({H})', None)]),
    ("python", "x = '‸h' + '/rest/E'\ny = ')'", [('h/rest/E', None)]),
    # Java
    ("java", 'client.send(HttpRequest.newBuilder(URI.create("‸http://h/rest/E(1)")))', [('http://h/rest/E(1)', None)]),
    ("java", 'String u = "‸/rest/E(" + id + ")";', [(f'/rest/E({H})', None)]),
    ("java", 'String u = """\n    ‸/rest/E?$top=1\n    """;', [('/rest/E?$top=1', None)]),
    # 4D
    ("4d", '$s:=HTTP Request(HTTP POST method; "‸http://h/rest/E(1)"; $b; $r)', [('http://h/rest/E(1)', 'POST')]),
    ("4d", '$url:="‸/rest/E("+String($id)+")"', [(f'/rest/E({H})', None)]),
    ("4d", '// "/rest/E(1)"\n$u:="‸/rest/F"', [('/rest/F', None)]),
]


MARK = "‸"


def _marked(src: str) -> tuple[str, list[tuple[int, int]]]:
    """``src`` without its ``‸`` marks, and the (line, column) of each mark."""
    positions = []
    clean = ""
    for part in src.split(MARK)[:-1]:
        clean += part
        line = clean.count("\n") + 1
        positions.append((line, len(clean) - (clean.rfind("\n") + 1) + 1))
    return clean + src.split(MARK)[-1], positions


@pytest.mark.parametrize(("lang", "src", "expected"), CASES)
def test_urls_in_code(lang: str, src: str, expected: list[tuple[str, str | None]]) -> None:
    clean, positions = _marked(src)
    got = urls(clean, lang)
    assert [(u, m) for u, _l, _c, m in got] == expected
    assert [(line, col) for _u, line, col, _m in got] == positions


# (kind, literal content as in the file, decoded text)
ESCAPES = [
    ("js", r"a\"b", 'a"b'),
    ("js", r"\u0041\x42\u{43}\q", "ABCq"),
    ("js", r"\uD83D\uDE00!", "\U0001F600!"),
    ("js", "a\\\nb", "ab"),
    ("py", r"\N{LATIN SMALL LETTER E WITH ACUTE}\101\x41\q", "éAA\\q"),
    ("py", r"\U0001F600", "\U0001F600"),
    ("java", r"\uuu0041\s\101", "A A"),
    ("4d", r"\"\t\\\q", '"\t\\\\q'),
    ("json", r"\/\u00e9\"\ud83d\ude00", '/é"\U0001F600'),
]


@pytest.mark.parametrize(("kind", "raw", "decoded"), ESCAPES)
def test_escapes_decode_and_map_to_their_sequences(kind: str, raw: str, decoded: str) -> None:
    text = decode_literal(raw, 0, len(raw), kind)
    assert text.chars == decoded
    # Every character maps to a range of the source, ranges in order and covering the source
    # but for line continuations.
    spans = [(text.src_start(i), text.src_end(i)) for i in range(len(text.chars))]
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


def test_an_escape_maps_one_character_to_the_whole_sequence() -> None:
    src = 'fetch("/rest/E?$filter=\\u0022a=1\\u0022")'
    [occ] = extract_code(src, "js")
    i = occ.text.chars.index('"')
    assert src[occ.text.src_start(i) : occ.text.src_end(i)] == "\\u0022"


def test_holes_keep_their_source_and_display() -> None:
    src = "fetch(`/rest/E(${ user.id })`)"
    [occ] = extract_code(src, "js")
    i = occ.text.chars.index(HOLE)
    hole = occ.text.holes[i]
    assert src[hole.start : hole.end] == "${ user.id }"
    assert hole.display == "${ user.id }"


def test_concatenation_hole_is_shown_in_braces() -> None:
    src = "f('/rest/E(' + user.id + ')')"
    [occ] = extract_code(src, "js")
    i = occ.text.chars.index(HOLE)
    assert occ.text.holes[i].display == "{user.id}"


@pytest.mark.parametrize(
    "src",
    [
        "fetch(`/rest/E(${id`",  # unclosed hole
        "x = 'unterminated /rest/E\n",
        'f"/rest/E({x"',
        "`${",
        "'\\",
        '"""/rest/E',
    ],
)
@pytest.mark.parametrize("lang", ["js", "python", "java", "4d"])
def test_broken_code_does_not_raise(src: str, lang: str) -> None:
    list(extract_code(src, lang))
