"""The path-form machine (spec §2.3, §2.4): the one table of segment kinds and of the segment
sequences a collection path may take after its dataclass name.

Each segment after the dataclass is one letter:

======  ===========================================================================
``L``   an attribute list (``firstName,lastName``)
``N``   one plain name (an attribute or a function: the catalog tells which)
``D``   one dotted path (``employer.name``)
``E``   ``$entityset``
``R``   ``$release``
``K``   any other ``$`` keyword
``I``   an entity-set ID
``C``   a call (``getCities(1)``) or a key segment where a call may stand
``X``   anything else
======  ===========================================================================

:data:`COLLECTION_FORMS` maps each documented sequence to its form (``"P10"``);
:func:`first_offence` says, for a sequence that follows none, which segment breaks it and
whether what comes before it is already a whole form (so that nothing may follow).
"""

from __future__ import annotations

from restquery.ast import CallSegment, EntitySetSegment, KeySegment, KeywordSegment, NamesSegment

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from restquery.ast import Segment

__all__ = [
    "COLLECTION_FORMS",
    "ENTITY_FORMS",
    "Offence",
    "first_offence",
    "segment_kind",
    "segment_kinds",
]

#: After the dataclass name of a collection path: sequence of segment kinds -> the form (or
#: forms, for a name that may be an attribute or a function) it is (spec §2.3).
COLLECTION_FORMS: dict[str, str] = {
    "": "P1",
    "L": "P5",
    "D": "P7",
    "N": "P7/P12",
    "EI": "P9",
    "ER": "P11",
    "LEI": "P10",
    "DEI": "P10",
    "NEI": "P10/P13",
    "NE": "P13",
    "C": "L1",
    "NN": "L2",
    "LN": "L2",
    "NL": "L2",
    "DN": "L2",
}

#: After an entity (P2-P4): nothing, or one attribute, attribute list or function (P6, P8, P14).
ENTITY_FORMS: dict[str, str] = {"": "P2-P4", "L": "P6", "N": "P8/P14", "D": "P8"}

_KEYWORD_KINDS = {"$entityset": "E", "$release": "R"}


def segment_kind(seg: Segment) -> str:
    """The letter of ``seg`` (see the module's table)."""
    if isinstance(seg, KeywordSegment):
        return _KEYWORD_KINDS.get(seg.keyword, "K")
    if isinstance(seg, EntitySetSegment):
        return "I"
    if isinstance(seg, NamesSegment):
        if seg.name is not None:
            return "N"
        return "D" if len(seg.paths) == 1 else "L"
    if isinstance(seg, (KeySegment, CallSegment)):
        return "C"
    return "X"


def segment_kinds(segments: tuple[Segment, ...]) -> str:
    return "".join(segment_kind(s) for s in segments)


def _prefixes(forms: dict[str, str]) -> frozenset[str]:
    return frozenset(f[:i] for f in forms for i in range(len(f) + 1))


_PREFIXES = {id(COLLECTION_FORMS): _prefixes(COLLECTION_FORMS), id(ENTITY_FORMS): _prefixes(ENTITY_FORMS)}


class Offence:
    """Where a sequence of kinds leaves every documented form: ``index`` of the offending kind
    in the sequence, and ``complete`` when the kinds before it are a whole form that no longer
    one extends (so that the fix is to remove what follows)."""

    __slots__ = ("complete", "index")

    def __init__(self, index: int, complete: bool) -> None:
        self.index = index
        self.complete = complete

    def __repr__(self) -> str:
        return f"Offence(index={self.index}, complete={self.complete})"


def first_offence(kinds: str, forms: dict[str, str] = COLLECTION_FORMS) -> Offence | None:
    """None when ``kinds`` is a documented form or the start of one; else the first kind that
    no form allows where it stands.

    >>> first_offence("LEI"), first_offence("LX"), first_offence("ERN")
    (None, Offence(index=1, complete=False), Offence(index=2, complete=True))
    """
    prefixes = _PREFIXES[id(forms)]
    k = 0
    while k < len(kinds) and kinds[: k + 1] in prefixes:
        k += 1
    if k == len(kinds):
        return None
    before = kinds[:k]
    complete = before in forms and not any(f != before and f.startswith(before) for f in forms)
    return Offence(k, complete)
