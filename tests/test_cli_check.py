"""``restquery check``: exit status, JSON and text output, rule selection, catalogs, request
files; and :func:`restquery.render.render_diagnostic`.

Rules are added to the registry all the time, so assertions name only the rules that are part
of the checker's foundations (RQ101, RQ301–RQ303) and syntax errors (RQ0xx); anything else is
made stable with ``--select``, or with a rule of this module registered for one test.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

import restquery
import restquery.rules
from restquery.cli import main
from restquery.diagnostics import Diagnostic
from restquery.render import render_diagnostic
from restquery.rules import Context, Rule, rule

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "examples" / "catalog.json"
URLS = ROOT / "examples" / "urls.txt"

ANSI = "\x1b["
INDENT = "  "

#: Rules whose codes and behaviour these tests may rely on (others are being added).
STABLE = "RQ101,RQ301,RQ302,RQ303"

BLOB = "/rest/Company(11)/blobAtt?$binary=true"
BLOB_FIXED = BLOB + "&$expand=blobAtt"
SEED_VALID = [
    "/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
    "/rest/User(5)/profilePicture?$binary=true&$expand=profilePicture",
    "/rest/Documents(42)/contract?$binary=true&$expand=contract",
    (
        '/rest/Documents?$filter="signedOn>=!!2024-01-01!!"&$orderby="signedOn desc"'
        "&$binary=true&$expand=scan"
    ),
    '/rest/Company?$filter="revenues>1000000"&$orderby="name"&$binary=true&$expand=logo',
]

DIAGNOSTIC_KEYS = ["code", "name", "severity", "message", "start", "end", "param", "hint", "fix"]

#: What ``check --format json`` prints (design.md, "Command line"): exactly these keys in each
#: diagnostic, and ``fix`` as ``lint --format json`` writes it; ``method`` is the one key the URL
#: object may add.
SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["url", "ok", "diagnostics"],
        "additionalProperties": False,
        "properties": {
            "url": {"type": "string"},
            "method": {"type": ["string", "null"]},
            "ok": {"type": "boolean"},
            "diagnostics": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": DIAGNOSTIC_KEYS,
                    "additionalProperties": False,
                    "properties": {
                        "code": {"type": "string", "pattern": "^RQ[0-9]{3}$"},
                        "name": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                        "severity": {"enum": ["error", "warning"]},
                        "message": {"type": "string", "minLength": 1},
                        "start": {"type": "integer", "minimum": 0},
                        "end": {"type": "integer", "minimum": 0},
                        "param": {"type": ["string", "null"]},
                        "hint": {"type": ["string", "null"]},
                        "fix": {
                            "oneOf": [
                                {"type": "null"},
                                {
                                    "type": "object",
                                    "required": ["description", "edits", "safe"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "description": {"type": "string", "minLength": 1},
                                        "safe": {"type": "boolean"},
                                        "edits": {
                                            "type": "array",
                                            "minItems": 1,
                                            "items": {
                                                "type": "object",
                                                "required": ["offset", "length", "text"],
                                                "additionalProperties": False,
                                                "properties": {
                                                    "offset": {"type": "integer", "minimum": 0},
                                                    "length": {"type": "integer", "minimum": 0},
                                                    "text": {"type": "string"},
                                                },
                                            },
                                        },
                                    },
                                },
                            ]
                        },
                    },
                },
            },
        },
    },
}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _json(capsys: pytest.CaptureFixture[str], argv: list[str], status: int | None) -> list[dict]:
    """Run ``check --format json``, check the exit status (unless ``None``) and the schema."""
    code = main(["check", "--format", "json", *argv])
    out = capsys.readouterr().out
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    if status is not None:
        assert code == status
    assert code == (1 if any(not r["ok"] for r in doc) else 0)
    return doc


def _codes(result: dict) -> list[str]:
    return [d["code"] for d in result["diagnostics"]]


def _frames(text: str) -> list[list[str]]:
    """The frames of text output: a URL line, a caret line and the lines after them up to a
    blank line or the next frame (file headers and the summary are left out)."""
    lines = text.splitlines()

    def carets(line: str) -> bool:
        return bool(line.strip()) and set(line.strip()) == {"^"}

    starts = [
        i for i in range(len(lines) - 1) if lines[i].startswith(INDENT) and carets(lines[i + 1])
    ]
    frames = []
    for k, start in enumerate(starts):
        frame = lines[start : starts[k + 1] if k + 1 < len(starts) else len(lines)]
        frames.append(frame[: frame.index("")] if "" in frame else frame)
    return frames


def _under_carets(url_line: str, caret_line: str) -> str:
    return url_line[caret_line.index("^") : caret_line.rindex("^") + 1]


def _warning_rule(**kw: object) -> Rule:
    """A rule that warns on every ``$top`` parameter (a stand-in warning, stable here)."""

    @rule("RQ990", "test-top-warning", "warning", spec="R0", message="`$top` seen.", **kw)
    def check(ctx: Context, r: Rule) -> Iterator[Diagnostic]:
        p = ctx.param("$top")
        if p is not None:
            yield r.at(p.span, param="$top", hint=ctx.did_you_mean("salry", ["salary"]))

    return check


def _get_rule() -> Rule:
    """A rule that reports the method the checker was given, as an error on the whole path."""

    @rule("RQ991", "test-method-seen", "error", spec="R0", message="Method {method}.")
    def check(ctx: Context, r: Rule) -> Iterator[Diagnostic]:
        if ctx.method is not None:
            yield r.at(ctx.request.path.span, method=ctx.method)

    return check


def _many_rule() -> Rule:
    @rule("RQ992", "test-three-errors", "error", spec="R0", message="Error {i}.")
    def check(ctx: Context, r: Rule) -> Iterator[Diagnostic]:
        for i in range(3):
            yield r.at((i, i + 1), i=i)

    return check


@pytest.fixture
def extra_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register this module's test rules beside the real ones, for one test."""
    real = restquery.rules.registry()
    extra = (_warning_rule(), _get_rule(), _many_rule())
    monkeypatch.setattr(restquery.rules, "registry", lambda: real + extra)


def _run(args: list[str], stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "restquery", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environ,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


# ---------------------------------------------------------------------------------------------
# The seed: $binary
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", SEED_VALID)
@pytest.mark.parametrize("with_catalog", [False, True])
def test_seed_valid_urls_exit_0(
    url: str, with_catalog: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = ["--catalog", str(CATALOG)] if with_catalog else []
    [result] = _json(capsys, [*cat, "--method", "GET", url], 0)
    assert result == {"url": url, "method": "GET", "ok": True, "diagnostics": []}


def test_seed_binary_without_expand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--select", STABLE, "--catalog", str(CATALOG), BLOB]) == 1
    out = capsys.readouterr().out
    [frame] = _frames(out)
    url_line, caret_line, message, hint, fix = frame
    assert url_line == INDENT + BLOB
    assert _under_carets(url_line, caret_line) == "$binary=true"
    assert message.startswith("RQ301 error: ")
    assert hint == INDENT + "hint: add &$expand=blobAtt"
    assert fix == INDENT + "fix: " + BLOB_FIXED
    assert out.splitlines()[-1] == "1 URL checked: 1 error, 0 warnings"

    [result] = _json(capsys, [BLOB], 1)
    [diag] = [d for d in result["diagnostics"] if d["code"] == "RQ301"]
    assert result["ok"] is False
    assert diag["code"] == "RQ301" and diag["name"] == "binary-requires-expand"
    assert diag["severity"] == "error" and diag["param"] == "$binary"
    assert diag["hint"] == "add &$expand=blobAtt"
    assert BLOB[diag["start"] : diag["end"]] == "$binary=true"


def test_the_fixed_url_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", BLOB]) == 1
    fix_line = next(line for line in capsys.readouterr().out.splitlines() if "fix:" in line)
    fixed = fix_line.split("fix: ", 1)[1]
    assert fixed == BLOB_FIXED
    assert main(["check", "--catalog", str(CATALOG), fixed]) == 0


@pytest.mark.parametrize(
    ("url", "code", "under", "fix"),
    [
        (BLOB, "RQ301", "$binary=true", BLOB_FIXED),
        (BLOB + "&$expand=logo", "RQ302", "logo", BLOB_FIXED),
        ("/rest/Company(11)/name?$binary=true&$expand=name", "RQ303", "name", None),
        ("/Company(1)", "RQ101", "/Company(1)", "/rest/Company(1)"),
        ('/rest/Employee?$filter="salary>"', "RQ004", ">", None),
        ('/rest/Employee/$filter="a=1"', "RQ005", "/$filter", None),
        ("/rest/Company(1", "RQ003", "(", None),
    ],
)
def test_carets_and_fix_lines(
    url: str, code: str, under: str, fix: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--catalog", str(CATALOG), "--select", STABLE, url]) == 1
    [frame] = _frames(capsys.readouterr().out)
    assert frame[0] == INDENT + url
    assert _under_carets(frame[0], frame[1]) == under
    assert frame[2].startswith(f"{code} error: ")
    fixes = [line for line in frame if line.startswith(INDENT + "fix: ")]
    assert fixes == ([INDENT + "fix: " + fix] if fix else [])


# ---------------------------------------------------------------------------------------------
# JSON output
# ---------------------------------------------------------------------------------------------


def test_json_one_object_per_url_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    urls = [SEED_VALID[0], BLOB, '/rest/Employee?$filter="salary>"', "/Company(1)"]
    doc = _json(capsys, ["--select", STABLE, *urls], 1)
    assert [r["url"] for r in doc] == urls
    assert [r["ok"] for r in doc] == [True, False, False, False]
    assert [_codes(r) for r in doc] == [[], ["RQ301"], ["RQ004"], ["RQ101"]]
    for result in doc:
        for d in result["diagnostics"]:
            assert list(d) == DIAGNOSTIC_KEYS
            assert 0 <= d["start"] <= d["end"] <= len(result["url"])


def test_json_is_the_only_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", BLOB, "/Company(1)"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert isinstance(json.loads(out), list)
    assert ANSI not in out


def test_json_of_no_urls_is_an_empty_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n")
    assert _json(capsys, ["--file", str(empty)], 0) == []


def test_json_keeps_the_span_of_the_url_as_given(capsys: pytest.CaptureFixture[str]) -> None:
    url = "/rest/Company(11)/blobAtt?%24binary=true"
    [result] = _json(capsys, ["--select", "RQ301", url], 1)
    [d] = result["diagnostics"]
    assert url[d["start"] : d["end"]] == "%24binary=true"


# ---------------------------------------------------------------------------------------------
# Exit status, --strict, warnings
# ---------------------------------------------------------------------------------------------


def test_exit_0_for_clean_urls_and_nothing_but_the_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "/rest/Company(1)", "/rest/$catalog"]) == 0
    out, err = capsys.readouterr()
    assert out == "2 URLs checked: 0 errors, 0 warnings\n"
    assert err == ""


def test_verbose_lists_clean_urls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-v", "--select", STABLE, "/rest/Company(1)", BLOB]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "ok  /rest/Company(1)"
    assert sum(line.startswith("ok  ") for line in lines) == 1


@pytest.mark.usefixtures("extra_rules")
def test_strict_turns_a_warning_into_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    url = "/rest/Employee?$top=10"
    argv = ["--select", "RQ990", url]
    [result] = _json(capsys, argv, 0)
    assert result["ok"] is True
    assert [(d["code"], d["severity"]) for d in result["diagnostics"]] == [("RQ990", "warning")]
    [result] = _json(capsys, ["--strict", *argv], 1)
    assert result["ok"] is False

    assert main(["check", *argv]) == 0
    out = capsys.readouterr().out
    [frame] = _frames(out)
    assert frame[2] == "RQ990 warning: `$top` seen."
    assert _under_carets(frame[0], frame[1]) == "$top=10"
    assert out.splitlines()[-1] == "1 URL checked: 0 errors, 1 warning"
    assert main(["check", "--strict", *argv]) == 1


@pytest.mark.usefixtures("extra_rules")
def test_hide_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--select", "RQ990", "/rest/Employee?$top=10"]
    [result] = _json(capsys, argv, 0)
    assert result["diagnostics"][0]["hint"] == "did you mean `salary`?"
    [result] = _json(capsys, ["--hide-suggestions", *argv], 0)
    assert result["diagnostics"][0]["hint"] is None


@pytest.mark.usefixtures("extra_rules")
def test_max_errors_caps_each_url(capsys: pytest.CaptureFixture[str]) -> None:
    urls = ["/rest/Company(1)", "/rest/Company(2)"]
    doc = _json(capsys, ["--select", "RQ992", *urls], 1)
    assert [len(r["diagnostics"]) for r in doc] == [3, 3]
    doc = _json(capsys, ["--select", "RQ992", "--max-errors", "2", *urls], 1)
    assert [len(r["diagnostics"]) for r in doc] == [2, 2]


# ---------------------------------------------------------------------------------------------
# --select and --ignore
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["--select", "RQ301"], 1),
        (["--select", "binary-requires-expand"], 1),
        (["--select", "rq301"], 1),
        (["--select", "RQ101"], 0),
        (["--select", "RQ101,RQ302"], 0),
        (["--select", "RQ101, missing-rest-prefix ,RQ302"], 0),
        (["--select", STABLE, "--ignore", "RQ301"], 0),
        (["--select", STABLE, "--ignore", "RQ3"], 0),
        (["--select", STABLE, "--ignore", "binary-requires-expand"], 0),
        (["--select", STABLE, "--ignore", "RQ101,RQ302"], 1),
    ],
)
def test_select_and_ignore(
    argv: list[str], status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    [result] = _json(capsys, [*argv, BLOB], status)
    assert _codes(result) == (["RQ301"] if status else [])


@pytest.mark.parametrize("prefix", ["RQ3", "rq3"])
def test_select_a_code_prefix(prefix: str, capsys: pytest.CaptureFixture[str]) -> None:
    blob, path = _json(capsys, ["--select", prefix, BLOB, "/Company(1)"], None)
    assert "RQ301" in _codes(blob)
    assert "RQ101" not in _codes(path)
    assert all(c.startswith("RQ3") for c in _codes(blob) + _codes(path))


def test_ignore_wins_over_select(capsys: pytest.CaptureFixture[str]) -> None:
    [result] = _json(capsys, ["--select", "RQ301,RQ302", "--ignore", "RQ301", BLOB], 0)
    assert result["diagnostics"] == []
    [result] = _json(capsys, ["--select", "RQ3", "--ignore", "RQ301", BLOB], None)
    assert "RQ301" not in _codes(result)


def test_syntax_errors_are_reported_whatever_is_selected(
    capsys: pytest.CaptureFixture[str],
) -> None:
    [result] = _json(capsys, ["--select", "RQ301", "/rest/Company(1"], 1)
    assert _codes(result) == ["RQ003"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--select", "RQ999"],
        ["--select", "RQ301,no-such-rule"],
        ["--ignore", "RQ9"],
        ["--select", ","],
        ["--max-errors", "0"],
        ["--max-errors", "many"],
        ["--format", "xml"],
        ["--method", "G T"],
    ],
)
def test_bad_options_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *argv, BLOB]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(("usage:", "restquery: error:"))
    assert "Traceback" not in err


def test_unknown_code_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--select", "RQ301,RQ999", BLOB]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RQ999" in err and "--select" in err


def test_no_urls_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert "restquery: error:" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read the file"),
        (b'{"dataClasses": [', "not JSON"),
        (b'{"dataClasses": [{"attributes": []}]}', 'dataclass has no "name"'),
        (b'{"dataClasses": 3}', '"dataClasses" must be an array'),
        (b"[1, 2]", "must be a JSON object"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_catalog_errors_exit_2_naming_the_file(
    content: bytes | None, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "my-catalog.json"
    if content is not None:
        path.write_bytes(content)
    assert main(["check", "--catalog", str(path), BLOB]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("restquery: error: ")
    assert str(path) in err and reason in err
    assert ANSI not in err


def test_catalog_pointer_is_in_the_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"dataClasses": [{"name": "A", "attributes": [{"name": "x"}]}]}')
    assert main(["check", "--catalog", str(path), "/rest/A"]) == 2
    err = capsys.readouterr().err
    assert "/dataClasses/0/attributes/0" in err and 'attribute "x" has no "kind"' in err


def test_catalog_directory_is_an_io_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--catalog", str(tmp_path), BLOB]) == 2
    assert str(tmp_path) in capsys.readouterr().err


def test_catalog_turns_on_the_schema_rules(capsys: pytest.CaptureFixture[str]) -> None:
    url = "/rest/Company(11)/name?$binary=true&$expand=name"
    [result] = _json(capsys, ["--select", "RQ303", url], 0)
    [result] = _json(capsys, ["--select", "RQ303", "--catalog", str(CATALOG), url], 1)
    [d] = result["diagnostics"]
    assert d["code"] == "RQ303" and url[d["start"] : d["end"]] == "name"


# ---------------------------------------------------------------------------------------------
# Request lines: -, --file, `METHOD URL`
# ---------------------------------------------------------------------------------------------

LINES = f"""\
# a comment, then a blank line

{SEED_VALID[0]}
   # an indented comment
POST /rest/$upload?$rawPict=true
get {BLOB}
\t/Company(1)\t
"""


def test_request_lines_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "urls.txt"
    path.write_text(LINES)
    argv = ["--select", "RQ101,RQ301", "--method", "PUT", "--file", str(path)]
    doc = _json(capsys, argv, 1)
    assert [(r["method"], r["url"]) for r in doc] == [
        ("PUT", SEED_VALID[0]),
        ("POST", "/rest/$upload?$rawPict=true"),
        ("GET", BLOB),
        ("PUT", "/Company(1)"),
    ]
    assert [_codes(r) for r in doc] == [[], [], ["RQ301"], ["RQ101"]]
    # Spans index the URL as reported, without the method or surrounding blanks.
    d = doc[2]["diagnostics"][0]
    assert BLOB[d["start"] : d["end"]] == "$binary=true"


def test_text_output_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "urls.txt"
    path.write_text(LINES)
    assert main(["check", "--select", STABLE, "--file", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:6 (GET)\n{INDENT}{BLOB}\n" in out
    assert f"{path}:7\n{INDENT}/Company(1)\n" in out
    assert out.splitlines()[-1] == "4 URLs checked: 2 errors, 0 warnings"


@pytest.mark.usefixtures("extra_rules")
def test_the_method_of_a_line_reaches_the_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("POST /rest/A\n/rest/B\nDELETE /rest/C\n")
    doc = _json(capsys, ["--select", "RQ991", "--method", "get", "--file", str(path)], 1)
    assert [r["diagnostics"][0]["message"] for r in doc] == [
        "Method POST.",
        "Method GET.",
        "Method DELETE.",
    ]


@pytest.mark.parametrize("argv", [["-"], ["--file", "-"]])
def test_request_lines_from_stdin(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(LINES))
    doc = _json(capsys, argv, 1)
    assert [r["url"] for r in doc] == [
        SEED_VALID[0],
        "/rest/$upload?$rawPict=true",
        BLOB,
        "/Company(1)",
    ]


def test_command_line_urls_and_a_file_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("/rest/B\n")
    doc = _json(capsys, ["/rest/A", "--file", str(path)], 0)
    assert [r["url"] for r in doc] == ["/rest/A", "/rest/B"]


def test_a_command_line_url_is_taken_whole(capsys: pytest.CaptureFixture[str]) -> None:
    # Only lines of a file or of standard input may start with a method.
    [result] = _json(capsys, ["GET /rest/A"], 1)
    assert result["url"] == "GET /rest/A" and result["method"] is None


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["check", "--file", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and str(missing) in err and err.count("\n") == 1

    binary = tmp_path / "latin1.txt"
    binary.write_bytes(b"/rest/Caf\xe9\n")
    assert main(["check", "--file", str(binary)]) == 2
    assert "UTF-8" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Colour
# ---------------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "no_color", "coloured"),
    # no-color.org: an empty NO_COLOR does not count
    [(True, None, True), (True, "1", False), (True, "", True), (False, None, False)],
)
def test_colour_only_on_a_terminal_without_no_color(
    tty: bool, no_color: str | None, coloured: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    out = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["check", BLOB]) == 1
    assert (ANSI in out.getvalue()) is coloured
    assert ANSI not in sys.stderr.getvalue()


@pytest.mark.parametrize(
    ("argv", "env", "coloured"),
    [
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_color_option_and_force_color_on_a_pipe(
    argv: list[str], env: dict[str, str], coloured: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = io.StringIO()  # not a terminal
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["check", *argv, BLOB]) == 1
    assert (ANSI in out.getvalue()) is coloured


def test_quiet_statistics_and_exit_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    bad = "/rest/E?$top=x&$skip=y"
    assert main(["check", "-q", "--statistics", "--exit-zero", BLOB, bad, bad]) == 0
    lines = out.getvalue().splitlines()
    assert not any(line.startswith(("1 URL", "3 URLs")) for line in lines)  # no summary
    assert lines[-2:] == ["4  RQ331  invalid-count", "1  RQ301  binary-requires-expand"]
    # --exit-zero keeps a failed run's 2
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["check", "--exit-zero", "--catalog", "/nonexistent.json", BLOB]) == 2
    # machine formats keep their document whole: the statistics go to standard error
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["check", "--format", "json", "--statistics", BLOB]) == 1
    json.loads(out.getvalue())
    assert err.getvalue() == "1  RQ301  binary-requires-expand\n"


def test_json_is_never_coloured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    out = _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["check", "--format", "json", BLOB]) == 1
    assert ANSI not in out.getvalue()
    json.loads(out.getvalue())


def test_usage_errors_are_never_coloured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert main(["check", "--catalog", "/no/such/catalog.json", BLOB]) == 2
    assert ANSI not in err.getvalue() and "/no/such/catalog.json" in err.getvalue()


# ---------------------------------------------------------------------------------------------
# render_diagnostic on its own
# ---------------------------------------------------------------------------------------------


def _diagnostic(url: str, code: str = "RQ301") -> Diagnostic:
    [d] = restquery.validate(url, select=[code])
    return d


def test_render_diagnostic_shape() -> None:
    text = render_diagnostic(BLOB, _diagnostic(BLOB))
    assert text.splitlines() == [
        INDENT + BLOB,
        INDENT + " " * BLOB.index("$binary") + "^" * len("$binary=true"),
        (
            "RQ301 error: `$binary=true` needs `$expand` naming the BLOB or picture attribute"
            " to download."
        ),
        INDENT + "hint: add &$expand=blobAtt",
        INDENT + "fix: " + BLOB_FIXED,
    ]


def test_render_diagnostic_without_fix_or_hint() -> None:
    d = Diagnostic(
        code="RQ990", name="x", severity="warning", message="Odd.", span=restquery.ast.Span(6, 7)
    )
    assert render_diagnostic("/rest/A", d).splitlines() == [
        "  /rest/A",
        "        ^",
        "RQ990 warning: Odd.",
    ]


def test_render_diagnostic_windows_the_url_but_prints_the_whole_fix() -> None:
    url = "/rest/Company(11)/blobAtt?$binary=true&$attributes=" + ",".join(
        f"attribute{i}" for i in range(40)
    )
    text = render_diagnostic(url, _diagnostic(url), width=60)
    url_line, caret_line, *_, fix_line = text.splitlines()
    assert len(url_line) <= 60 and url_line.endswith("…")
    assert _under_carets(url_line, caret_line) == "$binary=true"
    assert fix_line == INDENT + "fix: " + url + "&$expand=blobAtt"


def test_render_diagnostic_colour_only_on_request() -> None:
    d = _diagnostic(BLOB)
    plain = render_diagnostic(BLOB, d)
    coloured = render_diagnostic(BLOB, d, color=True)
    assert ANSI not in plain and ANSI in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


# ---------------------------------------------------------------------------------------------
# examples/urls.txt
# ---------------------------------------------------------------------------------------------


def _example_sections() -> tuple[list[str], list[str]]:
    good, bad, section = [], [], None
    for line in URLS.read_text(encoding="utf-8").splitlines():
        if line.startswith("# --- Mistakes"):
            section = bad
        elif line.startswith("# ---"):
            section = good
        elif line.strip() and not line.startswith("#"):
            assert section is not None, line
            section.append(line)
    return good, bad


def test_example_good_lines_have_no_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = _example_sections()
    assert len(good) + len(bad) >= 35
    path = tmp_path / "good.txt"
    path.write_text("\n".join(good) + "\n")
    doc = _json(capsys, ["--catalog", str(CATALOG), "--file", str(path)], 0)
    assert len(doc) == len(good)
    assert all(r["method"] for r in doc)


def test_example_mistakes_include_the_seed_findings(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _json(capsys, ["--catalog", str(CATALOG), "--file", str(URLS)], 1)
    found = {c for r in doc for c in _codes(r)}
    assert {"RQ301", "RQ302", "RQ303", "RQ004", "RQ005", "RQ101"} <= found
    by_url = {r["url"]: r for r in doc}
    assert "RQ301" in _codes(by_url[BLOB])


# ---------------------------------------------------------------------------------------------
# As a real process
# ---------------------------------------------------------------------------------------------


def test_readme_command() -> None:
    proc = _run(["check", "--catalog", "examples/catalog.json", "--file", "examples/urls.txt"])
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert ANSI not in proc.stdout  # a pipe is not a terminal
    out = proc.stdout
    assert f"{INDENT}{BLOB}\n" in out
    assert f"{INDENT}hint: add &$expand=blobAtt\n{INDENT}fix: {BLOB_FIXED}\n" in out
    frames = _frames(out)
    assert frames and all(f[2].split()[1] in ("error:", "warning:") for f in frames)
    good, bad = _example_sections()
    assert out.splitlines()[-1].startswith(f"{len(good) + len(bad)} URLs checked: ")


def test_subprocess_json_from_stdin_and_strict_exit() -> None:
    stdin = f"# seed\nGET {SEED_VALID[1]}\nGET {BLOB}\n"
    proc = _run(["check", "--select", STABLE, "--format", "json", "-"], stdin=stdin)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert [(r["ok"], _codes(r)) for r in doc] == [(True, []), (False, ["RQ301"])]

    ok = _run(["check", "--strict", "--method", "GET", SEED_VALID[0]])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout == "1 URL checked: 0 errors, 0 warnings\n"


def test_subprocess_catalog_error_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"dataClasses": [{"name": 5}]}')
    proc = _run(["check", "--catalog", str(bad), BLOB], NO_COLOR="1")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert str(bad) in proc.stderr and '"name" must be a string' in proc.stderr
    assert len(proc.stderr.splitlines()) == 1
