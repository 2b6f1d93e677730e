"""The ``restquery`` command line and the error frame it draws (restquery.render)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

import restquery
from restquery.cli import COMMANDS, Command, main
from restquery.render import render_error

ANSI = "\x1b["
INDENT = "  "


def _syntax_error(url: str) -> restquery.RestQuerySyntaxError:
    with pytest.raises(restquery.RestQuerySyntaxError) as info:
        restquery.parse(url)
    return info.value


def _json_documents(text: str) -> list[dict]:
    """Every JSON document of ``text``, pretty-printed or one a line."""
    decoder, docs, i = json.JSONDecoder(), [], 0
    text = text.strip()
    while i < len(text):
        doc, i = decoder.raw_decode(text, i)
        docs.append(doc)
        while i < len(text) and text[i].isspace():
            i += 1
    return docs


def _frame(text: str) -> tuple[str, str, list[str]]:
    """(URL line, caret line, other lines) of one rendered frame."""
    lines = text.rstrip("\n").split("\n")
    return lines[0], lines[1], lines[2:]


def _under_carets(url_line: str, caret_line: str) -> str:
    """The text of the URL line that the carets stand under."""
    first = caret_line.index("^")
    last = caret_line.rindex("^")
    return url_line[first : last + 1]


# ---------------------------------------------------------------------------------------------
# parse: JSON output
# ---------------------------------------------------------------------------------------------


def test_parse_prints_one_json_document_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    urls = ["/rest/Company(1)", '/rest/Employee?$filter="salary>20000"&$top=10']
    assert main(["parse", *urls]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)

    assert first["type"] == "Request"
    assert first["span"] == [0, len(urls[0])]
    seg = first["path"]["segments"][0]
    assert seg["type"] == "KeySegment" and seg["name"] == "Company"
    assert seg["span"] == [6, 16]
    assert seg["key"]["span"] == [14, 15] and seg["key"]["value"] == 1

    assert [p["name"] for p in second["params"]] == ["$filter", "$top"]
    flt = second["params"][0]["value"]
    assert flt["type"] == "Filter"
    start, end = flt["span"]
    assert urls[1][start:end] == "salary>20000"
    assert second["params"][1]["value"]["type"] == "Integer"
    assert first == restquery.parse(urls[0]).to_dict()


def test_parse_indent_pretty_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--indent", "2", "/rest/Company(1)", "/rest/$catalog"]) == 0
    out = capsys.readouterr().out
    assert '\n  "type": "Request",' in out
    docs = _json_documents(out)
    assert [d["type"] for d in docs] == ["Request", "Request"]


def test_parse_method_is_upper_cased(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--method", "post", "/rest/Company"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "POST"


def test_parse_without_method_gives_null(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "/rest/Company"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] is None


# ---------------------------------------------------------------------------------------------
# parse: syntax errors
# ---------------------------------------------------------------------------------------------


def test_error_goes_to_stderr_and_the_other_urls_still_print(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse", "/rest/Company(1)", "/rest/Company(1", "/rest/Company(2)"]) == 1
    out, err = capsys.readouterr()
    keys = [json.loads(line)["path"]["segments"][0]["key"]["value"] for line in out.splitlines()]
    assert keys == [1, 2]
    url_line, caret_line, rest = _frame(err)
    assert url_line == INDENT + "/rest/Company(1"
    assert _under_carets(url_line, caret_line) == "("
    assert rest[0].startswith("RQ003 error: ")
    assert rest[1].startswith(INDENT + "hint: ")
    assert ANSI not in err


@pytest.mark.parametrize(
    ("url", "under"),
    [
        ("/rest/Company(1", "("),
        ('/rest/Employee?$filter="salary>"', ">"),
        ('/rest/Employee?$filter="a=1 AND"', "AND"),
        ("/rest/Emp%FFloyee", "%FF"),
        ('/rest/Employee/$filter="a=1"', "/$filter"),
    ],
)
def test_carets_stand_under_the_span(
    url: str, under: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err_obj = _syntax_error(url)
    assert main(["parse", url]) == 1
    url_line, caret_line, rest = _frame(capsys.readouterr().err)
    assert url_line == INDENT + url
    start, end = err_obj.span
    assert caret_line == INDENT + " " * start + "^" * max(end - start, 1)
    assert _under_carets(url_line, caret_line) == under
    assert rest[0] == f"{err_obj.code} error: {err_obj.message}"


def test_long_url_is_windowed_around_the_error(capsys: pytest.CaptureFixture[str]) -> None:
    conditions = " AND ".join(f"field{i}={i}" for i in range(60))
    attributes = ",".join(f"attribute{i}" for i in range(30))
    url = f'/rest/Employee?$filter="{conditions} AND salary>"&$attributes={attributes}&$top=10'
    assert len(url) > 500
    err_obj = _syntax_error(url)
    assert main(["parse", url]) == 1
    url_line, caret_line, _ = _frame(capsys.readouterr().err)
    assert len(url_line) <= 100
    assert url_line.startswith(INDENT + "…") and url_line.endswith("…")
    assert _under_carets(url_line, caret_line) == url[err_obj.span.start : err_obj.span.end]
    assert _under_carets(url_line, caret_line) == ">"


def test_each_failing_url_gets_its_frame(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "/rest/A(1", "/rest/B(2"]) == 1
    err = capsys.readouterr().err
    assert err.count("^") == 2
    assert "/rest/A(1" in err and "/rest/B(2" in err


# ---------------------------------------------------------------------------------------------
# Standard input
# ---------------------------------------------------------------------------------------------


def test_dash_reads_urls_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "/rest/Company(1)\n\n   \n/rest/Company(2)\r\n/rest/Company(3)"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert main(["parse", "-"]) == 0
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["path"]["segments"][0]["key"]["value"] for d in docs] == [1, 2, 3]
    # The line break is not part of the URL, so spans index the line as written.
    assert docs[1]["span"] == [0, len("/rest/Company(2)")]


def test_stdin_errors_are_reported_and_reading_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("/rest/Company(1\n/rest/Company(2)\n"))
    assert main(["parse", "-"]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1
    assert "RQ003" in err


def test_empty_stdin_is_not_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\n"))
    assert main(["parse", "-"]) == 0
    assert capsys.readouterr().out == ""


class _Unreadable(io.StringIO):
    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("standard input was read")


def test_dash_among_other_urls_is_a_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Unreadable())
    main(["parse", "/rest/Company", "-"])
    out, err = capsys.readouterr()
    assert len(out.splitlines()) + err.count("^") >= 2


# ---------------------------------------------------------------------------------------------
# Usage errors and help
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["parse"],
        ["parse", "--indent", "-1", "/rest/A"],
        ["parse", "--indent", "two", "/rest/A"],
        ["parse", "--method", "G T", "/rest/A"],
        ["parse", "--bogus", "/rest/A"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "usage:" in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "parse" in capsys.readouterr().out
    assert main(["parse", "--help"]) == 0
    assert "--indent" in capsys.readouterr().out


def test_subcommands_are_registered_in_one_table() -> None:
    assert "parse" in COMMANDS
    for command in COMMANDS.values():
        assert isinstance(command, Command)
        assert callable(command.configure) and callable(command.run) and command.help


# ---------------------------------------------------------------------------------------------
# Colour
# ---------------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# no-color.org: NO_COLOR counts only "when present and not an empty string"
@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False), ("", True)])
def test_colour_only_on_a_terminal_without_no_color(
    no_color: str | None, coloured: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    tty = _Terminal()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["parse", "/rest/Company(1"]) == 1
    assert (ANSI in tty.getvalue()) is coloured
    assert ANSI not in sys.stdout.getvalue()


def test_no_colour_when_stderr_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["parse", "/rest/Company(1"]) == 1
    assert ANSI not in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# As a real process
# ---------------------------------------------------------------------------------------------


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
        timeout=60,
        check=False,
    )


def test_python_m_restquery(tmp_path: os.PathLike[str]) -> None:
    proc = _run(["parse", "/rest/Company(1)", "/rest/Company(1", "/rest/$catalog"])
    assert proc.returncode == 1
    docs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [d["type"] for d in docs] == ["Request", "Request"]
    url_line, caret_line, rest = _frame(proc.stderr)
    assert _under_carets(url_line, caret_line) == "("
    assert rest[0].startswith("RQ003 error: ")
    assert ANSI not in proc.stderr  # a pipe is not a terminal


def test_python_m_restquery_stdin_and_exit_codes() -> None:
    ok = _run(["parse", "-"], stdin="/rest/Company(1)\n\n/rest/Company(2)\n")
    assert ok.returncode == 0, ok.stderr
    assert len(ok.stdout.splitlines()) == 2
    usage = _run(["parse"])
    assert usage.returncode == 2 and "usage:" in usage.stderr


# ---------------------------------------------------------------------------------------------
# render_error on its own
# ---------------------------------------------------------------------------------------------


def test_render_shape() -> None:
    text = render_error("/rest/Company(1", (13, 14), "RQ003", "Never closed.", "add `)`")
    assert text.splitlines() == [
        "  /rest/Company(1",
        "               ^",
        "RQ003 error: Never closed.",
        "  hint: add `)`",
    ]


def test_render_without_hint_and_with_severity() -> None:
    text = render_error("/rest/A", (6, 7), "RQ301", "Odd.", None, severity="warning")
    assert text.splitlines()[-1] == "RQ301 warning: Odd."
    assert "hint" not in text


@pytest.mark.parametrize(
    ("url", "span", "caret_line"),
    [
        ("/rest/A", (3, 3), "     ^"),  # empty span: one caret
        ("/rest/A", (7, 7), "         ^"),  # at the very end: one caret past the text
        ("/rest/A", (5, 99), "       ^^"),  # past the end: clipped
    ],
)
def test_render_edge_spans(url: str, span: tuple[int, int], caret_line: str) -> None:
    assert render_error(url, span, "RQ001", "m", None).splitlines()[1] == caret_line


@pytest.mark.parametrize(
    ("url", "span", "shown", "under"),
    [
        ('/rest/A?$filter="a\tb=1"', (18, 19), '/rest/A?$filter="a\\tb=1"', "\\t"),
        ('/rest/A?$filter="a\tb=1"', (19, 20), '/rest/A?$filter="a\\tb=1"', "b"),
        ("/rest/A\x00B", (8, 9), "/rest/A\\x00B", "B"),
        ("/rest/A\x00B", (7, 8), "/rest/A\\x00B", "\\x00"),
        ("/rest/\u200bA", (7, 8), "/rest/\\u200bA", "A"),
        ("/rest/A\nB", (7, 9), "/rest/A\\nB", "\\nB"),
    ],
)
def test_render_escapes_non_printables_and_keeps_carets_aligned(
    url: str, span: tuple[int, int], shown: str, under: str
) -> None:
    url_line, caret_line, _ = _frame(render_error(url, span, "RQ001", "m", None))
    assert url_line == INDENT + shown
    assert _under_carets(url_line, caret_line) == under


def test_render_wide_characters_take_two_columns() -> None:
    url = "/rest/社員?$top=x"
    caret_line = render_error(url, (14, 15), "RQ001", "m", None).splitlines()[1]
    # 6 + 2 + 2 + 1 + 4 + 1 columns before `x`
    assert caret_line == INDENT + " " * 16 + "^"


def test_render_message_and_hint_stay_on_one_line_each() -> None:
    text = render_error("/a\n", (2, 3), "RQ001", "bad\nthing", "write `/a\n`")
    assert len(text.splitlines()) == 4


@pytest.mark.parametrize("where", ["start", "middle", "end"])
@pytest.mark.parametrize("width", [40, 80, 100])
def test_render_window(where: str, width: int) -> None:
    url = "/rest/Employee?$filter=" + "x" * 300 + "AB" + "y" * 300
    at = {"start": 1, "middle": url.index("AB"), "end": len(url) - 2}[where]
    text = render_error(url, (at, at + 2), "RQ001", "m", None, width=width)
    url_line, caret_line, _ = _frame(text)
    assert len(url_line) <= width
    assert url_line.startswith(INDENT + "…") is (where != "start")
    assert url_line.endswith("…") is (where != "end")
    assert _under_carets(url_line, caret_line) == url[at : at + 2]


def test_render_span_wider_than_the_window_keeps_its_start() -> None:
    url = "/rest/E?$filter=" + "z" * 500
    text = render_error(url, (16, len(url)), "RQ001", "m", None, width=60)
    url_line, caret_line, _ = _frame(text)
    assert len(url_line) <= 60 and len(caret_line) <= 60
    assert url_line.endswith("…")
    first = caret_line.index("^")
    assert url_line[first - 1] == "=" and url_line[first] == "z"
    assert "$filter" in url_line  # some context before the span


def test_render_colour_only_on_request() -> None:
    plain = render_error("/rest/A(", (7, 8), "RQ003", "m", "h")
    coloured = render_error("/rest/A(", (7, 8), "RQ003", "m", "h", color=True)
    assert ANSI not in plain
    assert ANSI in coloured
    # Colour does not move the carets.
    strip = coloured
    for code in ("\x1b[0m", "\x1b[1m", "\x1b[36m", "\x1b[1;31m"):
        strip = strip.replace(code, "")
    assert strip == plain
