"""The lexicon (restquery.syntax.lexicon) is the only Python code that spells the syntax.

* No module of ``restquery/`` but the lexicon holds a regular expression equal to a grammar
  terminal: every string constant is compared with every terminal of both built grammars, as
  written, without its ``(?:...)`` / ``(?i:...)`` wrapper, and as a parsed expression (so
  ``[^/?]`` is caught as a copy of ``[^\\/?]``).
* The derived keyword and operator sets are what the grammar reads.
* The lexicon loads from its cache without importing Lark, and never trusts a stale or damaged
  cache file.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import restquery
from restquery.ast import BoolOp, Comparison, KeywordSegment
from restquery.parser import parse_value
from restquery.syntax import lexicon as lexicon_module
from restquery.syntax.grammar import grammar_text, parsers
from restquery.syntax.lexicon import PATH_KEYWORDS, Lexicon, lexicon, spellings

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "restquery"
GRAMMARS = ("url", "query")


def _built_terminals() -> dict[str, Any]:
    return {
        f"{prefix}.{term.name}": term
        for prefix, lark in zip(GRAMMARS, parsers())
        for term in lark.terminals
    }


# ---------------------------------------------------------------------------------------------
# (1) no copy of a terminal outside the lexicon
# ---------------------------------------------------------------------------------------------

_WRAPPER = re.compile(r"\(\?[a-zA-Z]*:(.*)\)", re.S)


def _forms(regex: str) -> Iterator[str]:
    """``regex`` and what is left after taking off whole-expression groups and flags."""
    yield regex
    while (m := _WRAPPER.fullmatch(regex)) is not None:
        regex = m.group(1)
        yield regex


def _parsed(regex: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return repr(sre_parse.parse(regex).data)
        except Exception:  # not a regular expression at all
            return None


def _string_constants(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_module_but_the_lexicon_spells_a_terminal() -> None:
    # Literal terminals ("/", "true") are plain words, not regular expressions: only the
    # pattern terminals can be copied as one.
    exact: dict[str, set[str]] = {}
    parsed: dict[str, set[str]] = {}
    for key, term in _built_terminals().items():
        if type(term.pattern).__name__ != "PatternRE":
            continue
        for form in _forms(term.pattern.to_regexp()):
            exact.setdefault(form, set()).add(key)
            tree = _parsed(form)
            if tree is not None:
                parsed.setdefault(tree, set()).add(key)
    assert "query.CMP" in exact[r"===|!==|==|!=|>=|<=|=|\#|>|<|%"]

    hits = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "lexicon.py" and path.parent.name == "syntax":
            continue
        for line, text in _string_constants(path):
            found = exact.get(text) or parsed.get(_parsed(text) or "")
            if found:
                hits.append(f"{path.relative_to(REPO)}:{line}: {text!r} is {sorted(found)}")
    assert not hits, "ask restquery.syntax.lexicon for these patterns:\n" + "\n".join(hits)


@pytest.mark.parametrize(
    "copy",
    [
        r"\{\{[^{}/?#&\"'.,()\[\]]*\}\}",  # TEMPLATE with `/` escaped differently
        r"not\b",  # NOT without its (?i:...)
        r"[^/?&()\[\],\"]+",  # BARE_KEY with `/` and `"` escaped differently
        r"(?:===|!==|==|!=|>=|<=|=|\#|>|<|%)",  # CMP
    ],
)
def test_the_scan_catches_copies(copy: str) -> None:
    targets = {t for term in _built_terminals().values() for t in _forms(term.pattern.to_regexp())}
    trees = {_parsed(t) for t in targets}
    assert copy in targets or _parsed(copy) in trees


# ---------------------------------------------------------------------------------------------
# (2) the derived sets are what the grammar reads
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regex", "texts"),
    [
        (
            r"(?:===|!==|==|!=|>=|<=|=|\#|>|<|%)",
            ("===", "!==", "==", "!=", ">=", "<=", "=", "#", ">", "<", "%"),
        ),
        (r"(?:(?i:and\b)|\&\&|\&)", ("and", "&&", "&")),
        (r"(?i:(?:asc|desc)\b)", ("asc", "desc")),
        ("(?i:is[ \t]+not\\b)", ("is not",)),
        (r"(?i:order[ \t]+by\b)", ("order by",)),
        ("true", ("true",)),
        (r"\.\*", (".*",)),
        (r"(?:a|b)(?:c|d)", ("ac", "ad", "bc", "bd")),
    ],
)
def test_spellings_of_literal_alternations(regex: str, texts: tuple[str, ...]) -> None:
    assert spellings(regex) == texts
    for text in texts:
        assert re.fullmatch(regex, text.replace(" ", "\t"))


@pytest.mark.parametrize(
    "regex",
    [r"[^\W\d]\w*", r"'[^']*'", r"a+", r"(a)", r"(?=a)b", r"\d", r"(?:a", r"a)", r"[ab]+"]
    + [r"[ \t]"],
)
def test_spellings_refuse_what_is_not_a_finite_literal(regex: str) -> None:
    with pytest.raises(ValueError):
        spellings(regex)


def test_the_lexicon_holds_every_terminal_of_both_grammars() -> None:
    built = {key: term.pattern.to_regexp() for key, term in _built_terminals().items()}
    assert dict(lexicon().terminals) == built
    rules = [r for r in parsers()[1].rules if r.origin.name == "comparator"]
    assert lexicon().choices["query.comparator"] == tuple(r.expansion[0].name for r in rules)


def test_declared_terminals_are_all_kept_by_lark() -> None:
    # The cache is only read back when it holds every terminal the .lark files declare; a
    # declared terminal that Lark drops (unused, or only used inside another) would make it
    # rebuild in every process.
    built = set(_built_terminals())
    for prefix in GRAMMARS:
        declared = lexicon_module._DECLARED.findall(grammar_text(f"{prefix}.lark"))
        assert declared
        assert {f"{prefix}.{name}" for name in declared} <= built


def test_both_grammars_spell_the_template_alike() -> None:
    # query.lark repeats url.lark's TEMPLATE (a grammar cannot import from its sibling here):
    # the copy is held to the original, so a placeholder reads the same in a path and a value.
    terminals = lexicon().terminals
    assert terminals["query.TEMPLATE"] == terminals["url.TEMPLATE"]
    assert lexicon().pattern("query.TEMPLATE").fullmatch("{{dataClass}}")


def _filter(text: str) -> Any:
    return parse_value("$filter", text).expr


def test_comparators_are_what_the_comparator_rule_reads() -> None:
    lex = lexicon()
    assert lex.comparator_terminals == {"CMP", "BEGIN", "IN", "IS", "IS_NOT"}
    assert set(lex.comparators) == {
        *("=", "==", "===", "!=", "#", "!==", "<", "<=", ">", ">=", "%"),
        *("BEGIN", "IN", "IS", "IS NOT"),
    }
    assert lex.symbol_comparators | lex.word_comparators == set(lex.comparators)
    for op in lex.comparators:
        assert any(lex.pattern(f"query.{t}").fullmatch(op) for t in lex.comparator_terminals), op
        for spelled in (op, op.lower()):
            expr = _filter(f"a {spelled} 1")
            assert isinstance(expr, Comparison) and expr.op == op, spelled


def test_every_comparator_has_its_meaning() -> None:
    """restquery.semantics.operators says what each comparator tests: all of them, no more."""
    from restquery.semantics.operators import COMPARATORS, REST_COMPARATORS

    assert set(COMPARATORS) == set(lexicon().comparators)
    assert REST_COMPARATORS == {"=", "!=", "<", "<=", ">", ">=", "BEGIN"}  # the REST $filter page (spec §4.2)
    assert {c for c, m in COMPARATORS.items() if not m.wildcard} == {"===", "!==", "IS", "IS NOT", "%"}


def test_logical_operators_are_what_and_or_read() -> None:
    lex = lexicon()
    assert dict(lex.logical) == {
        **{"AND": "AND", "&&": "AND", "&": "AND"},
        **{"OR": "OR", "||": "OR", "|": "OR", "EXCEPT": "EXCEPT"},
    }
    for spelling, kind in lex.logical.items():
        terminal = "query.AND_OP" if kind == "AND" else "query.OR_OP"
        assert lex.pattern(terminal).fullmatch(spelling)
        for written in {spelling, spelling.lower()}:
            expr = _filter(f"a=1 {written} b=2")
            assert isinstance(expr, BoolOp) and expr.op == spelling and expr.kind == kind
    assert lex.logical_words == ("and", "except", "or")
    assert lex.logical_symbols == ("&&", "||", "&", "|")
    assert lex.negations == ("not",)


def test_keywords_are_the_words_of_the_value_grammar() -> None:
    lex = lexicon()
    assert lex.keywords == {
        "and", "or", "except", "not", "begin", "in", "is", "asc", "desc", "true", "false", "null",
    }
    literal = [k for k in lex.terminals if k.startswith("query.") and k != "query.NAME"]
    for word in lex.keywords:
        assert any(lex.pattern(k).fullmatch(word) for k in literal), word
    for name in ("android", "notes", "order", "beginDate", "exceptions", "isActive", "Index"):
        assert name.lower() not in lex.keywords
        assert isinstance(_filter(f"{name}=1"), Comparison)


def test_other_spellings() -> None:
    lex = lexicon()
    assert lex.directions == ("ASC", "DESC")
    assert all(lex.pattern("query.DIRECTION").fullmatch(d) for d in lex.directions)
    assert dict(lex.json_literals) == {"true": True, "false": False, "null": None}
    assert lex.canonical("query.NOT") == "NOT"
    assert lex.canonical("query.ORDER_BY") == "ORDER BY"
    assert lex.extends_comparator("IS", "not")
    assert lex.extends_comparator("IS", "NOT)")
    assert not lex.extends_comparator("IS", "nothing")
    assert not lex.extends_comparator("IN", "not")
    assert lex.path_keywords == PATH_KEYWORDS


@pytest.mark.parametrize("keyword", PATH_KEYWORDS)
def test_path_keywords_are_keyword_segments(keyword: str) -> None:
    assert lexicon().pattern("url.KEYWORD").fullmatch(keyword)
    segment = restquery.parse(f"/rest/{keyword}").path.segments[0]
    assert isinstance(segment, KeywordSegment) and segment.keyword == keyword


def test_the_lexicon_is_immutable() -> None:
    lex = lexicon()
    with pytest.raises(AttributeError):
        lex.terminals = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        lex.terminals["query.CMP"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        del lex.choices  # type: ignore[misc]
    assert lexicon() is lex


# ---------------------------------------------------------------------------------------------
# (3) loading from the cache does not import Lark; (4) a bad cache is rebuilt
# ---------------------------------------------------------------------------------------------


def _python(code: str, cache: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESTQUERY_")}
    env["RESTQUERY_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_the_lexicon_loads_from_its_cache_without_lark(tmp_path: Path) -> None:
    warm = "import sys, restquery.syntax.lexicon as l; l.lexicon(); print('lark' in sys.modules)"
    assert _python(warm, tmp_path) == "True"  # no cache yet: read from the built parsers
    assert len(list(tmp_path.glob("lexicon-*.json"))) == 1
    cold = (
        "import sys, restquery.syntax.lexicon as l; lex = l.lexicon(); lex.comparators;"
        " lex.keywords; lex.pattern('query.BARE');"
        " from restquery.syntax.grammar import lean; lean();"
        " import restquery; restquery.parse('/rest/Company(1)?$filter=\"a=1 AND b IS NOT null\"');"
        " restquery.unparse(restquery.parse('/rest/E?$orderby=\"a desc\"'));"
        " print('lark' in sys.modules)"
    )
    assert _python(cold, tmp_path) == "False"


def _corruptions() -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    def drop_terminal(d: dict[str, Any]) -> Any:
        del d["terminals"]["query.CMP"]
        return d

    def wrong_type(d: dict[str, Any]) -> Any:
        d["terminals"]["query.CMP"] = 5
        return d

    def bad_key(d: dict[str, Any]) -> Any:
        d["terminals"]["CMP"] = d["terminals"]["query.CMP"]
        return d

    def unknown_choice(d: dict[str, Any]) -> Any:
        d["choices"]["query.comparator"].append("NOPE")
        return d

    def no_comparator(d: dict[str, Any]) -> Any:
        del d["choices"]["query.comparator"]
        return d

    def choices_not_lists(d: dict[str, Any]) -> Any:
        d["choices"]["query.comparator"] = "CMP"
        return d

    return [
        ("wrong crc", lambda d: {**d, "crc": "00000000"}),
        ("wrong version", lambda d: {**d, "version": "0.0.0"}),
        ("wrong format", lambda d: {**d, "format": 0}),
        ("format as a boolean", lambda d: {**d, "format": True}),
        ("extra field", lambda d: {**d, "more": 1}),
        ("missing field", lambda d: {k: v for k, v in d.items() if k != "choices"}),
        ("terminals as a list", lambda d: {**d, "terminals": list(d["terminals"])}),
        ("not an object", lambda d: [d]),
        ("missing terminal", drop_terminal),
        ("terminal of the wrong type", wrong_type),
        ("key without its grammar", bad_key),
        ("choice of an unknown terminal", unknown_choice),
        ("no comparator rule", no_comparator),
        ("choices not lists", choices_not_lists),
    ]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RESTQUERY_CACHE_DIR", str(tmp_path))
    load: Callable[[], Lexicon] = lexicon.__wrapped__  # type: ignore[attr-defined]
    load()
    (path,) = tmp_path.glob("lexicon-*.json")
    return path


@pytest.mark.parametrize(
    "corrupt", [c[1] for c in _corruptions()], ids=[c[0] for c in _corruptions()]
)
def test_a_damaged_cache_is_rebuilt(cache: Path, corrupt: Callable[[dict[str, Any]], Any]) -> None:
    good = json.loads(cache.read_text(encoding="utf-8"))
    cache.write_text(json.dumps(corrupt(json.loads(json.dumps(good)))), encoding="utf-8")
    rebuilt = lexicon.__wrapped__()  # type: ignore[attr-defined]
    assert dict(rebuilt.terminals) == dict(lexicon().terminals)
    assert json.loads(cache.read_text(encoding="utf-8")) == good


@pytest.mark.parametrize("text", ["", "{", "null", "[]", '{"format": 1}', "\x00\xff"])
def test_an_unreadable_cache_is_rebuilt(cache: Path, text: str) -> None:
    good = json.loads(cache.read_text(encoding="utf-8"))
    cache.write_text(text, encoding="utf-8")
    rebuilt = lexicon.__wrapped__()  # type: ignore[attr-defined]
    assert dict(rebuilt.terminals) == dict(lexicon().terminals)
    assert json.loads(cache.read_text(encoding="utf-8")) == good


def test_the_cache_is_read_back(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsers() -> Any:
        raise AssertionError("the parsers were built although the cache is valid")

    monkeypatch.setattr(lexicon_module, "_from_parsers", no_parsers)
    loaded = lexicon.__wrapped__()  # type: ignore[attr-defined]
    assert dict(loaded.terminals) == dict(lexicon().terminals)
    assert loaded.choices == lexicon().choices
