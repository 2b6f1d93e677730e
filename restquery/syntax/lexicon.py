"""Every spelling of the language: the terminals of ``grammar/*.lark`` and what they spell.

The regular expression of each terminal is read from the built Lark parsers
(``get_terminal(name).pattern.to_regexp()``), so the grammars stay the only definition of
the syntax; the keyword and operator sets the rest of the package needs (comparators, logical
operators, sort directions, JSON literals, the words that cannot be names) are derived from
those expressions. Code that needs a pattern or a spelling asks :func:`lexicon`; no other
module writes one (``tests/test_lexicon.py`` fails if one does).

The expressions are cached in one JSON file beside the LALR tables, keyed by a CRC of the
grammar texts and the package version. A process that finds a valid file never imports Lark,
which keeps the cold start of ``restquery check URL`` short; a missing, stale or damaged file
is rebuilt from the parsers.

Two tables are not in the grammars, which read them generically: the ``$`` path keywords
(:data:`PATH_KEYWORDS`; the grammar's KEYWORD takes any ``$`` word, for R2 to judge) and the
lexemes the transformer types inside a bare token or a key (:data:`NUMBER`, :data:`DATE`,
:data:`INTEGER`).

>>> lex = lexicon()
>>> lex.pattern("query.NAME").fullmatch("lastName") is not None
True
>>> lex.spellings("query.DIRECTION")
('asc', 'desc')
>>> lex.logical["&&"], lex.logical["EXCEPT"]
('AND', 'EXCEPT')
>>> "IS NOT" in lex.comparators, "android" in lex.keywords
(True, False)
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DATE",
    "INTEGER",
    "NUMBER",
    "PATH_KEYWORDS",
    "Lexicon",
    "lexicon",
    "spellings",
]

#: The `$` path keywords of spec §2.2 and §3.28, spelled exactly so (§1.5), in the order the
#: docs list them (hints list them in this order too).
PATH_KEYWORDS: tuple[str, ...] = (
    "$catalog",
    "$all",
    "$entityset",
    "$release",
    "$singleton",
    "$info",
    "$directory",
    "$upload",
    "$querypath",
    "$getWebForm",
)

#: A bare filter token or key that reads as a number (spec §4.5, §2.1).
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
#: A bare filter token that reads as a date when it is a real day (spec §4.5).
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The value of an integer parameter such as ``$top`` (spec §3).
INTEGER = re.compile(r"[+-]?[0-9]+")

_GRAMMARS = (("url", "url.lark"), ("query", "query.lark"))
# Bumped whenever the layout of the cache file changes, so an old file is never read as new.
_FORMAT = 1


# ---------------------------------------------------------------------------------------------
# What a literal terminal spells
# ---------------------------------------------------------------------------------------------

_GROUP = re.compile(r"\(\?[a-zA-Z]*:")
_BLANKS = re.compile(r"(?: |\t|\\t)+")
_META = frozenset(".^$*+?{}[]\\|()")


def spellings(regex: str) -> tuple[str, ...]:
    """The texts a terminal's regular expression spells, when it spells a finite few.

    Reads the shapes Lark writes for literal terminals: alternations of escaped strings and
    words (``(?:===|!==|\\#)``), case-insensitive groups (``(?i:and\\b)``, words come out as
    the grammar writes them), word boundaries (ignored) and runs of blanks between words
    (``[ \\t]+``, spelled as one space). Anything else raises :class:`ValueError`.

    >>> spellings(r"(?:(?i:except\\b)|(?i:or\\b)|\\|\\||\\|)")
    ('except', 'or', '||', '|')
    >>> spellings(r"(?i:is[ \\t]+not\\b)")
    ('is not',)
    """
    texts, end = _alternation(regex, 0)
    if end != len(regex):
        raise ValueError(f"{regex!r} is not a literal alternation (at {end})")
    return tuple(texts)


def _alternation(regex: str, pos: int) -> tuple[list[str], int]:
    out: list[str] = []
    while True:
        texts, pos = _sequence(regex, pos)
        out.extend(texts)
        if pos < len(regex) and regex[pos] == "|":
            pos += 1
            continue
        return out, pos


def _sequence(regex: str, pos: int) -> tuple[list[str], int]:
    texts = [""]
    n = len(regex)
    while pos < n and regex[pos] not in "|)":
        ch = regex[pos]
        pieces: list[str]
        if ch == "(":
            m = _GROUP.match(regex, pos)
            if m is None:
                raise ValueError(f"{regex!r}: a capturing or special group at {pos}")
            pieces, pos = _alternation(regex, m.end())
            if pos >= n or regex[pos] != ")":
                raise ValueError(f"{regex!r}: an unclosed group")
            pos += 1
        elif ch == "\\":
            escaped = regex[pos + 1 : pos + 2]
            pos += 2
            if escaped == "b":
                continue
            if not escaped or escaped.isalnum():
                raise ValueError(f"{regex!r}: the class or escape \\{escaped}")
            pieces = [escaped]
        elif ch == "[":
            close = regex.find("]", pos + 1)
            if close < 0 or not _BLANKS.fullmatch(regex, pos + 1, close):
                raise ValueError(f"{regex!r}: a character class at {pos}")
            if regex[close + 1 : close + 2] != "+":
                raise ValueError(f"{regex!r}: a character class that is not a run of blanks")
            pieces, pos = [" "], close + 2
        elif ch in _META:
            raise ValueError(f"{regex!r}: the operator {ch!r} at {pos}")
        else:
            pieces, pos = [ch], pos + 1
        texts = [t + p for t in texts for p in pieces]
    return texts, pos


def _tree_spelling(text: str) -> str:
    # As the transformer writes keywords in the tree: words upper-case, one space between.
    return " ".join(text.split()).upper() if text[:1].isalpha() else text


# ---------------------------------------------------------------------------------------------
# The lexicon
# ---------------------------------------------------------------------------------------------


class Lexicon:
    """The terminals of both grammars (``"url.NAME"``, ``"query.CMP"``, ... → regular
    expression) and the spellings derived from them. Immutable; compiled patterns and derived
    sets are computed on first use."""

    terminals: Mapping[str, str]
    #: rule (``"query.comparator"``) → the terminals it is a choice of, for rules whose every
    #: alternative is one terminal.
    choices: Mapping[str, tuple[str, ...]]

    def __init__(self, terminals: Mapping[str, str], choices: Mapping[str, Iterable[str]]) -> None:
        object.__setattr__(self, "terminals", MappingProxyType(dict(terminals)))
        object.__setattr__(
            self, "choices", MappingProxyType({k: tuple(v) for k, v in choices.items()})
        )
        object.__setattr__(self, "_compiled", {})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the lexicon is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("the lexicon is immutable")

    def __repr__(self) -> str:
        return f"<Lexicon of {len(self.terminals)} terminals>"

    def regex(self, terminal: str) -> str:
        """The regular expression of ``terminal`` (``"query.BARE"``), as Lark compiles it."""
        return self.terminals[terminal]

    def pattern(self, terminal: str) -> re.Pattern[str]:
        """``terminal``'s regular expression, compiled (once per process)."""
        compiled: dict[str, re.Pattern[str]] = self.__dict__["_compiled"]
        found = compiled.get(terminal)
        if found is None:
            found = compiled[terminal] = re.compile(self.terminals[terminal])
        return found

    def spellings(self, terminal: str) -> tuple[str, ...]:
        """What a literal terminal spells (:func:`spellings`): ``"query.CMP"`` →
        ``("===", "!==", ...)``."""
        return spellings(self.terminals[terminal])

    def canonical(self, terminal: str) -> str:
        """The spelling the printer writes for a keyword terminal: ``"query.NOT"`` → ``NOT``,
        ``"query.ORDER_BY"`` → ``ORDER BY``."""
        return _tree_spelling(self.spellings(terminal)[0])

    # --- comparators (spec §4.2) --------------------------------------------------------------

    @functools.cached_property
    def comparator_terminals(self) -> frozenset[str]:
        """The terminals of the ``comparator`` rule (``CMP``, ``BEGIN``, ``IN``, ...)."""
        return frozenset(self.choices["query.comparator"])

    @functools.cached_property
    def comparators(self) -> tuple[str, ...]:
        """Every comparator as the tree spells it: ``=``, ``!==``, ..., ``BEGIN``, ``IS NOT``."""
        out: list[str] = []
        for name in self.choices["query.comparator"]:
            out.extend(_tree_spelling(s) for s in self.spellings(f"query.{name}"))
        return tuple(out)

    @functools.cached_property
    def symbol_comparators(self) -> frozenset[str]:
        """``=``, ``==``, ``#``, ``%``, ...: written with no space around them."""
        return frozenset(c for c in self.comparators if not c[0].isalpha())

    @functools.cached_property
    def word_comparators(self) -> frozenset[str]:
        """``BEGIN``, ``IN``, ``IS``, ``IS NOT``: they need blanks around them (§4.3)."""
        return frozenset(c for c in self.comparators if c[0].isalpha())

    def extends_comparator(self, op: str, text: str) -> bool:
        """Whether ``text`` written after the comparator ``op`` and a space would be read as
        part of a longer comparator (after ``IS``, a text starting with the word ``not``)."""
        line = f"{op} {text}"
        for name in self.choices["query.comparator"]:
            m = self.pattern(f"query.{name}").match(line)
            if m is not None and m.end() > len(op):
                return True
        return False

    # --- logical operators (spec §4.3) ----------------------------------------------------------

    @functools.cached_property
    def logical(self) -> Mapping[str, str]:
        """Each logical operator as the tree spells it → ``AND``, ``OR`` or ``EXCEPT``.

        A word means itself; a symbol means what its terminal is named for (``||`` is an
        ``OR_OP``)."""
        out: dict[str, str] = {}
        for name in ("AND_OP", "OR_OP"):
            kind = name.removesuffix("_OP")
            for text in self.spellings(f"query.{name}"):
                spelled = _tree_spelling(text)
                out[spelled] = spelled if text[0].isalpha() else kind
        return MappingProxyType(out)

    @functools.cached_property
    def logical_words(self) -> tuple[str, ...]:
        """The logical operators that are words, lower-case: ``and``, ``except``, ``or``."""
        return tuple(s.lower() for s in self.logical if s[0].isalpha())

    @functools.cached_property
    def logical_symbols(self) -> tuple[str, ...]:
        """The logical operators that are symbols, longest first: ``&&``, ``||``, ``&``, ``|``."""
        return tuple(sorted((s for s in self.logical if not s[0].isalpha()), key=len, reverse=True))

    @functools.cached_property
    def negations(self) -> tuple[str, ...]:
        """The spellings of NOT, lower-case."""
        return tuple(s.lower() for s in self.spellings("query.NOT"))

    # --- other words ------------------------------------------------------------------------------

    @functools.cached_property
    def directions(self) -> tuple[str, ...]:
        """Sort directions as the tree spells them: ``ASC``, ``DESC``."""
        return tuple(_tree_spelling(s) for s in self.spellings("query.DIRECTION"))

    @functools.cached_property
    def json_literals(self) -> Mapping[str, bool | None]:
        """``true``, ``false`` and ``null`` and their values (a bare filter token spelled so
        is typed the same way)."""
        values = {"JSON_TRUE": True, "JSON_FALSE": False, "JSON_NULL": None}
        return MappingProxyType(
            {s: value for name, value in values.items() for s in self.spellings(f"query.{name}")}
        )

    @functools.cached_property
    def keywords(self) -> frozenset[str]:
        """The words the value grammar reads as keywords (lower-case): a name cannot be one of
        them alone (``and``, ``not``, ``desc``, ``true``, ...; ``android`` or ``order`` can)."""
        out: set[str] = set()
        for key, regex in self.terminals.items():
            if not key.startswith("query."):
                continue
            try:
                texts = spellings(regex)
            except ValueError:
                continue
            out.update(t.lower() for t in texts if t.isidentifier())
        return frozenset(out)

    @property
    def path_keywords(self) -> tuple[str, ...]:
        """:data:`PATH_KEYWORDS`."""
        return PATH_KEYWORDS


# ---------------------------------------------------------------------------------------------
# Loading: the cache file, or the built parsers
# ---------------------------------------------------------------------------------------------


@functools.cache
def lexicon() -> Lexicon:
    """The lexicon of the installed grammars: from the cache file when it is valid (no Lark
    import), else read from the built parsers and cached."""
    texts = _grammar_texts()
    crc = _crc(texts)
    path = _cache_path(crc)
    data = _read(path, crc, texts) if path else None
    if data is None:
        data = _from_parsers()
        if path:
            _write(path, {"format": _FORMAT, "crc": crc, "version": _version(), **data})
    return Lexicon(data["terminals"], data["choices"])


def _grammar_texts() -> list[str]:
    from restquery.syntax.grammar import grammar_text

    return [grammar_text(name) for _, name in _GRAMMARS]


def _crc(texts: list[str]) -> str:
    import zlib

    crc = 0
    for text in texts:
        crc = zlib.crc32(text.encode("utf-8"), crc)
    return f"{crc:08x}"


def _version() -> str:
    from restquery import __version__

    return __version__


def _cache_path(crc: str) -> str | None:
    from restquery.syntax.grammar import cache_dir

    base = cache_dir()
    return os.path.join(base, f"lexicon-{crc}-{_version()}.json") if base else None


def _from_parsers() -> dict[str, Any]:
    from restquery.syntax.grammar import parsers

    terminals: dict[str, str] = {}
    choices: dict[str, list[str]] = {}
    for (prefix, _), lark in zip(_GRAMMARS, parsers()):
        for term in lark.terminals:
            terminals[f"{prefix}.{term.name}"] = term.pattern.to_regexp()
        expansions: dict[str, list[Any]] = {}
        for rule in lark.rules:
            expansions.setdefault(str(rule.origin.name), []).append(rule.expansion)
        for origin, alternatives in expansions.items():
            if all(len(e) == 1 and e[0].is_term for e in alternatives):
                choices[f"{prefix}.{origin}"] = [e[0].name for e in alternatives]
    return {"terminals": terminals, "choices": choices}


# A named terminal definition at the start of a line of a .lark file (`CMP:`, `BEGIN.2:`).
_DECLARED = re.compile(r"^([A-Z][A-Z0-9_]*)(?:\.-?[0-9]+)?[ \t]*:", re.M)
_KEY = re.compile(r"(?:url|query)\.[A-Z_][A-Z0-9_]*")
_FIELDS = frozenset({"format", "crc", "version", "terminals", "choices"})


def _read(path: str, crc: str, texts: list[str]) -> dict[str, Any] | None:
    """The cached tables if the file is whole and made from these grammars, else ``None``."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != _FIELDS:
        return None
    if type(data["format"]) is not int or data["format"] != _FORMAT:
        return None
    if data["crc"] != crc or data["version"] != _version():
        return None
    terminals, choices = data["terminals"], data["choices"]
    if not isinstance(terminals, dict) or not isinstance(choices, dict):
        return None
    if not all(isinstance(v, str) and _KEY.fullmatch(k) for k, v in terminals.items()):
        return None
    for rule, names in choices.items():
        prefix = rule.partition(".")[0]
        if not isinstance(names, list) or not names:
            return None
        if not all(isinstance(n, str) and f"{prefix}.{n}" in terminals for n in names):
            return None
    for (prefix, _), text in zip(_GRAMMARS, texts):
        if any(f"{prefix}.{name}" not in terminals for name in _DECLARED.findall(text)):
            return None
    if "query.comparator" not in choices:
        return None
    return data


def _write(path: str, data: dict[str, Any]) -> None:
    import json

    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
