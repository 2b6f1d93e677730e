"""One rule selection for validate(), ``check`` and ``lint``: the same keys choose the same rules.

* codes, code prefixes and names; repeated options add up;
* a prefix turns on default rules only: an opt-in rule (RQ357, RQ358) needs its code or name;
* syntax errors (RQ0xx) are always reported: selecting one selects no rule, ignoring one is an
  error (never a silent hide);
* ``validate(select=...)`` takes a string or an iterable of strings, nothing else.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import restquery
from restquery.errors import RestQueryError
from restquery.lint import lint_text
from restquery.rules import registry, rule_keys, selection

KEY_STYLE = "/rest/Company(1)"  # RQ358 key-style (opt-in): brackets are preferred
BLOB = "/rest/Company(11)/blobAtt?$binary=true"  # RQ301
UNKNOWN_PARAM = "/rest/Company?$bogus=1"  # RQ107
BROKEN = "/rest/Company(1"  # RQ003


def _check(*argv: str) -> tuple[int, list[dict], str]:
    """``restquery check --format json`` as a user runs it: a real process."""
    done = subprocess.run(
        [sys.executable, "-m", "restquery", "check", "--format", "json", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    results = json.loads(done.stdout) if done.stdout.strip().startswith("[") else []
    return done.returncode, results, done.stderr


def _lint(tmp_path: Path, *argv: str, urls: tuple[str, ...]) -> tuple[int, list[str], str]:
    src = tmp_path / "calls.js"
    src.write_text("".join(f"fetch('{u}')\n" for u in urls), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "restquery", "lint", "--no-config", "--format", "json", *argv, str(src)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    codes = []
    if done.stdout.strip().startswith("{"):
        codes = [f["code"] for f in json.loads(done.stdout)["findings"]]
    return done.returncode, codes, done.stderr


def _codes(results: list[dict]) -> list[str]:
    return [d["code"] for r in results for d in r["diagnostics"]]


# --- the function ------------------------------------------------------------------------------


def test_a_prefix_never_turns_on_an_opt_in_rule() -> None:
    opt_in = [r.code for r in registry() if not r.default]
    assert opt_in == ["RQ361", "RQ357", "RQ358"]
    for key in ("RQ3", "RQ35", "RQ", "rq35"):
        assert not set(opt_in) & {r.code for r in selection(key)}
    assert [r.code for r in selection("RQ358")] == ["RQ358"]
    assert "RQ358" in [r.code for r in selection(["key-style", "RQ35"])]
    assert [d.code for d in restquery.validate(KEY_STYLE, select="RQ35")] == []
    assert [d.code for d in restquery.validate(KEY_STYLE, select="RQ358")] == ["RQ358"]


WILDCARDS = "/rest/Employee?$filter=\"lastName='@on@'\""


def test_strict_turns_on_the_rules_it_marks_and_nothing_else() -> None:
    strict = [r.code for r in registry() if r.strict]
    assert strict == ["RQ361"]
    plain = {r.code for r in selection()}
    assert {r.code for r in selection(strict=True)} == plain | {"RQ361"}
    # a prefix reaches it under --strict; an ignore still wins
    assert "RQ361" in {r.code for r in selection("RQ36", strict=True)}
    assert "RQ361" not in {r.code for r in selection("RQ36")}
    assert "RQ361" not in {r.code for r in selection(ignore="wildcard-both-ends", strict=True)}
    assert [d.code for d in restquery.validate(WILDCARDS)] == []
    assert [d.code for d in restquery.validate(WILDCARDS, select="RQ361")] == ["RQ361"]


def test_keys_add_up_and_a_string_is_one_list() -> None:
    assert rule_keys("RQ301,rq101") == ("RQ301", "RQ101")
    assert selection("RQ301,RQ101") == selection(["RQ301", "RQ101"]) == selection(["RQ101", "RQ301"])
    assert [d.code for d in restquery.validate(BLOB, select="RQ301")] == ["RQ301"]
    # a string is not read character by character
    assert restquery.validate(BLOB, select="RQ101") == []


@pytest.mark.parametrize("bad", [5, 3.0, [5], ["RQ301", None], object()])
def test_select_and_ignore_take_strings_only(bad: object) -> None:
    with pytest.raises(RestQueryError, match="select must"):
        restquery.validate(BLOB, select=bad)  # type: ignore[arg-type]
    with pytest.raises(RestQueryError, match="ignore must"):
        restquery.validate(BLOB, ignore=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["RQ001", "RQ0", "rq003", "syntax-error", "unbalanced-parenthesis"])
def test_a_syntax_code_can_be_selected_but_never_ignored(key: str) -> None:
    assert selection(key) == ()
    assert [d.code for d in restquery.validate(BROKEN, select=key)] == ["RQ003"]
    with pytest.raises(RestQueryError, match="cannot be ignored"):
        restquery.validate(BROKEN, ignore=key)
    with pytest.raises(RestQueryError, match="cannot be ignored"):
        lint_text(f"f('{BROKEN}')", "js", ignore=[key])


def test_unknown_keys_are_refused_everywhere() -> None:
    for key in ("RQ999", "no-such-rule", "XY1"):
        with pytest.raises(RestQueryError, match=f"no rule matches {key}"):
            selection(key)
        with pytest.raises(RestQueryError, match=f"no rule matches {key}"):
            selection(ignore=key)


# --- the two commands agree ----------------------------------------------------------------------


def test_check_and_lint_read_a_prefix_alike(tmp_path: Path) -> None:
    status, results, err = _check("--select", "RQ35", KEY_STYLE)
    assert (status, _codes(results)) == (0, []), err
    status, codes, err = _lint(tmp_path, "--select", "RQ35", urls=(KEY_STYLE,))
    assert (status, codes) == (0, []), err
    status, results, err = _check("--select", "RQ358", KEY_STYLE)
    assert (status, _codes(results)) == (0, ["RQ358"]), err  # a warning: exit 0
    status, codes, err = _lint(tmp_path, "--select", "RQ358", urls=(KEY_STYLE,))
    assert codes == ["RQ358"], err


def test_repeated_select_adds_up_in_both_commands(tmp_path: Path) -> None:
    argv = ("--select", "RQ301", "--select", "RQ107")
    status, results, err = _check(*argv, BLOB, UNKNOWN_PARAM)
    assert (status, _codes(results)) == (1, ["RQ301", "RQ107"]), err
    status, codes, err = _lint(tmp_path, *argv, urls=(BLOB, UNKNOWN_PARAM))
    assert (status, sorted(codes)) == (1, ["RQ107", "RQ301"]), err


@pytest.mark.parametrize("key", ["RQ001", "RQ003", "unbalanced-parenthesis"])
def test_ignoring_a_syntax_code_is_a_usage_error_in_both_commands(key: str, tmp_path: Path) -> None:
    status, _, err = _check("--ignore", key, BROKEN)
    assert status == 2 and "cannot be ignored" in err, err
    status, _, err = _lint(tmp_path, "--ignore", key, urls=(BROKEN,))
    assert status == 2 and "cannot be ignored" in err, err


def test_the_integrations_read_select_alike() -> None:
    from restquery.integrations._core import Checker

    # A string is one list of keys here too (it once became one key per character).
    only_binary = Checker(select="RQ301", cache_size=0)
    assert not only_binary.check("GET", BLOB).ok
    assert only_binary.check("GET", UNKNOWN_PARAM).ok  # RQ107 is not selected
    with pytest.raises(RestQueryError, match="cannot be ignored"):
        Checker(ignore="RQ003")
    assert Checker(select=["RQ107"], cache_size=0).check("GET", BLOB).ok
