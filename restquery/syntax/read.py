"""What the LALR parser had read where it stopped: its value stack, as plain records.

:mod:`restquery.syntax.explain` classifies an error by the state the parser was in (the
terminals it expected, :mod:`restquery.syntax.expected`) and by what it had read, taken from
here, never by scanning the text before the error again.
"""

from __future__ import annotations

from restquery.syntax.lexicon import lexicon

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from restquery._records import NamedTuple

__all__ = [
    "BEFORE_OPERAND",
    "OPERATORS",
    "Read",
    "comparator_before",
    "ends_with_comparator",
    "is_comparator",
    "is_operator_word",
    "read_stack",
    "from_top",
]


class Read(NamedTuple):
    """One entry of the LALR parser's value stack where it stopped: a token it shifted (its
    terminal, text and offsets in the parsed text) or a subtree it reduced (the node's class
    name; a reduced comparator is ``"comparator"`` with its tree spelling). The classification
    of an error reads what the parser had read from here, never by scanning the text again."""

    kind: str
    text: str | None
    start: int
    end: int


def read_stack(exc: Exception) -> tuple[Read, ...]:
    """The value stack of the parser that raised ``exc`` (Lark's or lark-cython's), bottom
    first; empty when the error carries no parser state."""
    stack = getattr(getattr(exc, "state", None), "value_stack", None) or ()
    out = []
    for item in stack:
        kind = getattr(item, "type", None)  # a token of Lark or of lark-cython
        if isinstance(kind, str) and hasattr(item, "start_pos"):
            out.append(Read(kind, str(item.value), item.start_pos or 0, item.end_pos or 0))
        elif type(item) is str:
            out.append(Read("comparator", item, -1, -1))
        else:
            out.append(Read(type(item).__name__, None, -1, -1))
    return tuple(out)


def from_top(read: tuple[Read, ...], back: int = 1) -> Read | None:
    """The entry ``back`` places from the top of the stack (1: the last thing read)."""
    return read[-back] if len(read) >= back else None


#: The logical operators and NOT (query.lark §4.1), as the parser shifts them.
OPERATORS = frozenset({"AND_OP", "OR_OP", "NOT"})
#: What may stand before the first name of an operand: nothing, an operator, NOT or `(`.
BEFORE_OPERAND = OPERATORS | {"LPAR"}


def is_comparator(entry: Read | None) -> bool:
    """Whether ``entry`` is a comparator the parser shifted (query.lark §4.2)."""
    return entry is not None and entry.kind in lexicon().comparator_terminals


def is_operator_word(word: str | None, negations: bool = False) -> bool:
    """Whether ``word`` spells a logical operator (or, with ``negations``, NOT): read where a
    name or a value was expected, it is one a condition is missing beside."""
    lex = lexicon()
    if not word:
        return False
    low = word.lower()
    return low in lex.logical_words or (negations and low in lex.negations)


def ends_with_comparator(value: str) -> bool:
    """Whether a quoted URL value (``"lastName="``) ends with a comparator: the filter inside
    it was cut by a quote meant for a text."""
    lex = lexicon()
    inner = value[1:-1].rstrip(" \t\r\n")
    if any(inner.endswith(c) for c in lex.symbol_comparators):
        return True
    words = inner.upper().split()
    return any(words[-len(w.split()):] == w.split() for w in lex.word_comparators)


def comparator_before(text: str, at: int, spelled: str) -> tuple[int, int]:
    """Where the comparator the parser reduced to ``spelled`` (its tree spelling: `=`,
    `IS NOT`) is written, the value read after it starting at ``at``: the words of the
    spelling, last first, each behind the blanks before it."""
    end = k = len(text[:at].rstrip(" \t\r\n"))
    start = k
    for word in reversed(spelled.split()):
        start = k - len(word)
        k = len(text[:start].rstrip(" \t\r\n"))
    return start, end
