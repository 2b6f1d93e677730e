"""The ``$`` parameters (spec §3): each declared once, with everything the rest of restquery
knows about it.

Parsing reads a parameter's value kind (and whether it also takes ``true``), the rules read its
groups, documented values and the resources that take it, the strategies its values and
spellings, and ``docs/parameters.md`` is written from the table
(``python -m restquery.rules._docs --parameters --write docs/parameters.md``). Adding a parameter is one entry
here plus, where it has rules of its own, one rule module (see ``CONTRIBUTING.md``).

>>> from restquery.params import canonical_name, parameter, value_kind
>>> canonical_name("$atonce"), value_kind("$atOnce")
('$atOnce', 'bool')
>>> canonical_name("$nope") is None
True
>>> parameter("$LIMIT").same_as, parameter("$limit").section
('$top', '§3.11')
"""

from __future__ import annotations

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from restquery._records import NamedTuple

__all__ = [
    "GROUPS",
    "KINDS",
    "METHOD_VERBS",
    "PARAMETERS",
    "TABLE",
    "Parameter",
    "canonical_name",
    "declared",
    "names",
    "parameter",
    "value_kind",
]

#: Value kinds and what each is (a ``word`` is an enumeration or an ID, kept as written).
KINDS = {
    "filter": "a filter expression (§4)",
    "sort": "a sort list (§5)",
    "attributes": "an attribute list (§6.1)",
    "paths": "attribute paths (§3.5, §6.3)",
    "json": "a JSON array (§3.2)",
    "int": "a whole number",
    "bool": "`true` or `false`",
    "word": "a word",
}

#: What each group means; a parameter's ``groups`` name some of these.
GROUPS = {
    "collection": "filters, sorts, pages or reshapes a collection (R43)",
    "paging": "counts entities to return or skip (R30, R31)",
    "picture": "reads one entity's picture (R17)",
}


class Parameter(NamedTuple):
    """One ``$`` parameter as the docs describe it."""

    #: The documented spelling (names are matched case-insensitively, §1.5).
    name: str
    #: One of :data:`KINDS`.
    kind: str
    #: The spec section that describes it.
    section: str
    #: The spec rules (§7.3) about it.
    rules: tuple[str, ...] = ()
    #: The parameter this one is a synonym of (``$limit`` → ``$top``).
    same_as: str | None = None
    #: Further spellings the server reads as this parameter (besides changes of case).
    spellings: tuple[str, ...] = ()
    #: Names the docs use for it that the server does not read (``$operator``).
    old_names: tuple[str, ...] = ()
    #: OData's names for the same option (``$select``), which the server does not read (R6).
    odata_names: tuple[str, ...] = ()
    #: A flag whose only documented value is ``true`` (R33); ``false`` is tolerated.
    flag: bool = False
    #: The documented values of a ``word`` parameter, compared case-insensitively.
    values: tuple[str, ...] = ()
    #: Values accepted with a warning (legacy or one product only).
    legacy_values: tuple[str, ...] = ()
    #: Also takes the value ``true`` besides its kind (``$savedfilter=true``, §12 item 8).
    takes_true: bool = False
    #: Names from :data:`GROUPS`.
    groups: frozenset[str] = frozenset()
    #: Descriptive resources (§2.4, R42) that take it: ``singleton``, ``catalog`` (a datastore
    #: function, P18), ``upload``.
    resources: frozenset[str] = frozenset()
    #: The path forms (§2.4) it applies to.
    forms: tuple[str, ...] = ()
    #: The HTTP methods it is documented with.
    methods: tuple[str, ...] = ("GET",)
    #: What must come with it: a parameter, or ``$param=value``.
    needs: tuple[str, ...] = ()
    #: A documented URL using it, valid as written.
    example: str = ""


_COLLECTIONS = ("P1", "P5", "P9", "P10", "P12", "P13")

#: Every parameter, in the order of spec §3.
TABLE: tuple[Parameter, ...] = (
    Parameter(
        "$filter", "filter", "§3.1", ("R37", "R38", "R40", "R41", "R43"),
        groups=frozenset({"collection"}), forms=("P1", "P5", "P7", "P9", "P10", "P12", "P13"),
        methods=("GET", "POST"),
        example='/rest/Employee?$filter="lastName begin j"',
    ),
    Parameter(
        "$params", "json", "§3.2", ("R38",), resources=frozenset({"singleton", "catalog"}),
        forms=("P1", "P5", "P7", "P9", "P10", "P12", "P13", "P14", "P18", "P19"),
        methods=("GET", "POST"),
        example="/rest/Person/?$filter=\"lastName=:1\"&$params='[\"O\\u0027Reilly\"]'",
    ),
    Parameter(
        "$orderby", "sort", "§3.3", ("R43",), groups=frozenset({"collection"}),
        forms=_COLLECTIONS, example='/rest/Employee/?$orderby="lastName desc, salary asc"',
    ),
    Parameter(
        "$attributes", "attributes", "§3.4", (), forms=("P1", "P2", "P3", "P4", "P9", "L1"),
        odata_names=("$select",),
        example="/rest/Company(1)?$attributes=employees.lastname",
    ),
    Parameter(
        "$expand", "paths", "§3.5", ("R15", "R17", "R25", "R49", "R50"),
        forms=("P1", "P2", "P3", "P4", "P8", "P9"),
        example="/rest/Employee(1)/photo?$imageformat=best&$version=1&$expand=photo",
    ),
    Parameter(
        "$binary", "bool", "§3.6", ("R15", "R16", "R33"), flag=True,
        resources=frozenset({"upload"}), forms=("P8", "P22"), methods=("GET", "POST"),
        needs=("$expand",), example="/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt",
    ),
    Parameter(
        "$imageformat", "word", "§3.7", ("R17",),
        values=(
            "best", "gif", "png", "jpeg", "tiff", ".gif", ".png", ".jpeg", ".tiff",
            "image/gif", "image/png", "image/jpeg", "image/tiff",
        ),
        groups=frozenset({"picture"}), forms=("P8",), needs=("$expand",),
        example="/rest/Employee(1)/photo?$imageformat=jpeg&$version=3&$expand=photo",
    ),
    Parameter(
        "$version", "int", "§3.8", ("R17",), groups=frozenset({"picture"}), forms=("P8",),
        needs=("$expand",),
        example="/rest/Employee(1)/photo?$version=12&$expand=photo",
    ),
    Parameter(
        "$compute", "word", "§3.9", ("R18", "R35"),
        values=("$all", "average", "count", "min", "max", "sum"), forms=("P7",),
        example="/rest/Employee/salary/?$compute=sum",
    ),
    Parameter(
        "$distinct", "bool", "§3.10", ("R19", "R33", "R35"), flag=True, forms=("P7",),
        example='/rest/Company/name?$filter="name=a*"&$distinct=true',
    ),
    Parameter(
        "$top", "int", "§3.11", ("R30", "R31", "R43"), groups=frozenset({"collection", "paging"}),
        forms=_COLLECTIONS, example='/rest/Employee?$filter="salary>20000"&$top=10',
    ),
    Parameter(
        "$limit", "int", "§3.11", ("R30", "R31", "R43"), same_as="$top",
        groups=frozenset({"collection", "paging"}), forms=_COLLECTIONS,
        example="/rest/Employee?$limit=10",
    ),
    Parameter(
        "$skip", "int", "§3.12", ("R30", "R31", "R43"), groups=frozenset({"collection", "paging"}),
        forms=_COLLECTIONS, example="/rest/Employee?$skip=10&$top=10",
    ),
    Parameter(
        "$method", "word", "§3.13", ("R20", "R21", "R22", "R23", "R24", "R25", "R28", "R29"),
        values=("delete", "entityset", "release", "subentityset", "update"),
        legacy_values=("validate", "insert"),
        forms=("P1", "P2", "P3", "P4", "P8", "P9"), methods=("GET", "POST"),
        example='/rest/Employee/?$filter="salary>20000"&$method=entityset',
    ),
    Parameter(
        "$subOrderby", "sort", "§3.14", ("R25",), forms=("P8",),
        needs=("$method=subentityset",),
        example='/rest/Company(1)/staff?$expand=staff&$method=subentityset'
        '&$subOrderby="lastName desc, firstName asc"',
    ),
    Parameter(
        "$timeout", "int", "§3.15", ("R26",), resources=frozenset({"upload"}),
        forms=("P1", "P9", "P22"), methods=("GET", "POST"), needs=("$method=entityset",),
        example='/rest/Employee/?$filter="salary>20000"&$method=entityset&$timeout=600',
    ),
    Parameter(
        "$savedfilter", "filter", "§3.16", ("R27",), takes_true=True, forms=("P1", "P9"),
        needs=("$filter",),
        example='/rest/Employee/?$filter="employer.name=Apple"&$method=entityset'
        '&$savedfilter="employer.name=Apple"',
    ),
    Parameter(
        "$savedorderby", "sort", "§3.17", ("R27",), takes_true=True, forms=("P1", "P9"),
        needs=("$orderby",),
        example='/rest/Employee/?$orderby="salary"&$method=entityset&$savedorderby="salary"',
    ),
    Parameter(
        "$lock", "bool", "§3.18", ("R32",), forms=("P2", "P3", "P4"),
        example="/rest/Customers(1)/?$lock=true",
    ),
    Parameter(
        "$asArray", "bool", "§3.19", ("R33", "R35", "R43"), flag=True,
        groups=frozenset({"collection"}), forms=_COLLECTIONS,
        example='/rest/Company/?$filter="name begin a"&$top=3&$asArray=true',
    ),
    Parameter(
        "$atomic", "bool", "§3.20", ("R33", "R36"), flag=True, forms=("P1",),
        methods=("POST",), needs=("$method=update",),
        example="/rest/Employee?$method=update&$atomic=true",
    ),
    Parameter(
        "$atOnce", "bool", "§3.20", ("R33", "R36"), same_as="$atomic",
        spellings=("$atonce",), flag=True, forms=("P1",), methods=("POST",),
        needs=("$method=update",), example="/rest/Employee?$method=update&$atOnce=true",
    ),
    Parameter(
        "$clean", "bool", "§3.21", ("R29", "R33"), flag=True, forms=("P9",),
        needs=("$method=entityset",),
        example="/rest/Speciality/$entityset/DF6903FB5879404A9A818884CFC6F62A"
        "?$clean=true&$method=entityset",
    ),
    Parameter(
        "$logicOperator", "word", "§3.22", ("R28",), old_names=("$operator",),
        values=("AND", "OR", "EXCEPT", "INTERSECT"), forms=("P9",), needs=("$otherCollection",),
        example="/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$logicOperator=AND"
        "&$otherCollection=C0757FAB27124F2A92EF6E4F6ED26F52",
    ),
    Parameter(
        "$otherCollection", "word", "§3.23", ("R28",), forms=("P9",), needs=("$logicOperator",),
        example="/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7?$logicOperator=OR"
        "&$otherCollection=C0757FAB27124F2A92EF6E4F6ED26F52",
    ),
    Parameter(
        "$querypath", "bool", "§3.24", ("R33", "R37"), flag=True, forms=_COLLECTIONS,
        needs=("$filter",), example='/rest/Employee?$filter="salary<10000"&$querypath=true',
    ),
    Parameter(
        "$queryplan", "bool", "§3.25", ("R33", "R37"), flag=True, forms=_COLLECTIONS,
        needs=("$filter",), example='/rest/Employee?$filter="salary<10000"&$queryplan=true',
    ),
    Parameter(
        "$rawPict", "bool", "§3.26", ("R16", "R33"), flag=True,
        resources=frozenset({"upload"}), forms=("P22",), methods=("POST",),
        example="POST /rest/$upload?$rawPict=true",
    ),
    Parameter(
        "$format", "word", "§3.27", ("R34", "R35", "R43"), values=("json", "looker"),
        groups=frozenset({"collection"}), forms=("P1", "P5", "P9", "P10"),
        example='/rest/Company/?$filter="name begin a"&$top=3&$format=looker',
    ),
)

#: The HTTP method each ``$method`` value takes (spec §3.13, R21).
METHOD_VERBS = {
    "delete": "POST",
    "entityset": "GET",
    "release": "GET",
    "subentityset": "GET",
    "update": "POST",
    "validate": "POST",
    "insert": "POST",
}

_BY_NAME = {p.name: p for p in TABLE}
_BY_FOLDED = {s.lower(): p for p in TABLE for s in (p.name, *p.spellings)}

#: Documented spelling -> value kind, in the order of :data:`TABLE`.
PARAMETERS: dict[str, str] = {p.name: p.kind for p in TABLE}


def parameter(name: str) -> Parameter | None:
    """The parameter spelled ``name`` (case-insensitive), or ``None`` if unknown."""
    return _BY_FOLDED.get(name.lower())


def declared(name: str) -> Parameter:
    """The parameter of documented spelling ``name`` (``"$method"``); ``KeyError`` otherwise.
    For names written in code, where a typo must fail at import."""
    return _BY_NAME[name]


def canonical_name(name: str) -> str | None:
    """The documented spelling of ``name`` (case-insensitive), or ``None`` if unknown."""
    p = _BY_FOLDED.get(name.lower())
    return p.name if p is not None else None


def value_kind(name: str) -> str | None:
    """The value kind of a parameter (one of :data:`KINDS`), or ``None`` if unknown."""
    p = _BY_FOLDED.get(name.lower())
    return p.kind if p is not None else None


def names(
    *,
    group: str | None = None,
    kind: str | tuple[str, ...] | None = None,
    flag: bool | None = None,
    resource: str | None = None,
    synonyms_of: str | None = None,
) -> tuple[str, ...]:
    """The documented spellings of the parameters that match every criterion given, in table
    order: ``names(group="paging")`` is ``('$top', '$limit', '$skip')``.

    ``synonyms_of`` gives the parameter and its synonyms (``$atomic``, ``$atOnce``)."""
    if group is not None and group not in GROUPS:
        raise ValueError(f"unknown parameter group {group!r}; one of {', '.join(GROUPS)}")
    kinds = (kind,) if isinstance(kind, str) else kind
    out = []
    for p in TABLE:
        if group is not None and group not in p.groups:
            continue
        if kinds is not None and p.kind not in kinds:
            continue
        if flag is not None and p.flag is not flag:
            continue
        if resource is not None and resource not in p.resources:
            continue
        if synonyms_of is not None and synonyms_of not in (p.name, p.same_as):
            continue
        out.append(p.name)
    return tuple(out)
