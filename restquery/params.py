"""The 29 documented ``$`` parameter spellings (spec §3) and the kind of value each takes.

>>> from restquery.params import canonical_name, value_kind
>>> canonical_name("$atonce"), value_kind("$atOnce")
('$atOnce', 'bool')
>>> canonical_name("$nope") is None
True
"""

from __future__ import annotations

__all__ = ["PARAMETERS", "canonical_name", "value_kind"]

#: canonical spelling -> value kind. Kinds: ``filter`` (§4), ``sort`` (§5), ``attributes``
#: (§6.1), ``paths`` (§3.5), ``json`` (§3.2), ``int``, ``bool`` and ``word`` (enumerations
#: and IDs kept as written). ``$savedfilter``/``$savedorderby`` also accept ``true`` (§12 item 8).
PARAMETERS: dict[str, str] = {
    "$filter": "filter",
    "$params": "json",
    "$orderby": "sort",
    "$attributes": "attributes",
    "$expand": "paths",
    "$binary": "bool",
    "$imageformat": "word",
    "$version": "int",
    "$compute": "word",
    "$distinct": "bool",
    "$top": "int",
    "$limit": "int",
    "$skip": "int",
    "$method": "word",
    "$subOrderby": "sort",
    "$timeout": "int",
    "$savedfilter": "filter",
    "$savedorderby": "sort",
    "$lock": "bool",
    "$asArray": "bool",
    "$atomic": "bool",
    "$atOnce": "bool",
    "$clean": "bool",
    "$logicOperator": "word",
    "$otherCollection": "word",
    "$querypath": "bool",
    "$queryplan": "bool",
    "$rawPict": "bool",
    "$format": "word",
}

_BY_FOLDED = {name.lower(): name for name in PARAMETERS}


def canonical_name(name: str) -> str | None:
    """The documented spelling of ``name`` (case-insensitive), or ``None`` if unknown."""
    return _BY_FOLDED.get(name.lower())


def value_kind(name: str) -> str | None:
    """The value kind of a parameter (see :data:`PARAMETERS`), or ``None`` if unknown."""
    canonical = _BY_FOLDED.get(name.lower())
    return PARAMETERS[canonical] if canonical else None
