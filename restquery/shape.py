"""What a request path designates: the path forms of spec §2.4 and the context machine of §2.3.

:func:`classify` reads the segments of a parsed path and tells which documented form
(``P1``–``P24``, ``L1``–``L3``) they make, whether the request addresses one entity or a
collection, and which segment plays which part. Without a catalog a single name after a
dataclass may be an attribute, an attribute list of one or a function (§2.3: "a schema-free
parse must keep such a segment as an unresolved name-list"); with a catalog the name is
resolved the way the server does it — an exposed function first, then an attribute (R11).

>>> import restquery
>>> from restquery.shape import classify
>>> s = classify(restquery.parse("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt"))
>>> s.form, s.dataclass, s.entity, s.tail_name
('P8', 'Company', True, 'blobAtt')
"""

from __future__ import annotations

from restquery._records import field, record

from restquery.ast import (
    CallSegment,
    EntitySetSegment,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Request,
    Segment,
    is_template,
)
from restquery.syntax import lexicon
from restquery.semantics.paths import COLLECTION_FORMS, ENTITY_FORMS, first_offence, segment_kinds

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    from restquery.catalog import Catalog, DataClass

__all__ = ["PATH_KEYWORDS", "Shape", "classify"]

#: The `$` path keywords of spec §3.28 (the lexicon's table).
PATH_KEYWORDS = frozenset(lexicon.PATH_KEYWORDS)

#: What may follow ``$info`` (P20): the session's privileges, asked for alone by
#: ``/rest/$info/privileges`` (4D 20 R6 release notes; 4D's demo applications POST it).
INFO_PARTS = frozenset({"privileges"})

#: Resources that describe the server rather than data (R42).
DESCRIPTIVE = frozenset({"catalog", "info", "directory", "singleton", "querypath", "webform"})


@record
class Shape:
    """The classified path.

    ``resource``: ``dataclass``, ``catalog``, ``info``, ``directory``, ``upload``,
    ``singleton``, ``querypath``, ``webform``, ``root`` (``/rest`` alone) or ``unknown``.
    ``form``: the documented form (``"P8"``) or ``None`` when the segments follow none (R3;
    ``problem`` then says where: the index into ``segments`` and why).
    ``entity``: one entity is addressed (P2–P4 and what follows them); ``collection``: a set.
    ``tail``: the single-name segment after the dataclass or entity that holds an attribute or a
    function (P7, P8, P12, P14), ``tail_kind`` what it resolved to (``attribute``, ``function``
    or ``unknown`` without a catalog). ``projection``: the attribute-list segment (P5, P6, P10,
    L2). ``function``: the segment known to name a function (catalog, or a call form).
    """

    resource: str
    form: str | None = None
    segments: tuple[Segment, ...] = ()
    dataclass: str | None = None
    dataclass_segment: Segment | None = None
    selector: KeySegment | LookupSegment | CallSegment | None = None
    entity: bool = False
    collection: bool = False
    tail: NamesSegment | None = None
    tail_kind: str | None = None
    projection: NamesSegment | None = None
    function: Segment | None = None
    entity_set: EntitySetSegment | None = None
    entity_set_keyword: KeywordSegment | None = None
    release: bool = False
    problem: tuple[int, str] | None = field(default=None)

    @property
    def tail_name(self) -> str | None:
        """The name in :attr:`tail` when it is one plain name."""
        return self.tail.name if self.tail is not None else None

    @property
    def descriptive(self) -> bool:
        """``$catalog…``, ``$info``, ``$directory…``, ``$singleton…``, … (R42)."""
        return self.resource in DESCRIPTIVE


def _keyword(seg: Segment | None) -> str | None:
    return seg.keyword if isinstance(seg, KeywordSegment) else None


def _single(seg: Segment) -> bool:
    return isinstance(seg, NamesSegment) and len(seg.paths) == 1


def classify(request: Request, catalog: Catalog | None = None) -> Shape:
    """Classify ``request``'s path (see :class:`Shape`)."""
    segs = request.path.segments
    if not segs:
        return Shape(resource="root", segments=segs)
    first = segs[0]
    kw = _keyword(first)
    if kw is not None:
        return _keyword_path(kw, segs)
    if isinstance(first, EntitySetSegment):  # pragma: no cover - the parser never yields this
        return Shape(resource="unknown", segments=segs, problem=(0, "an entity-set ID"))
    if isinstance(first, NamesSegment):
        if first.name is None:
            return Shape(
                resource="unknown", segments=segs, problem=(0, "a dataclass name must come first")
            )
        name, selector, entity = first.name, None, False
    else:
        assert isinstance(first, (KeySegment, LookupSegment, CallSegment))
        name, selector, entity = first.name, first, True
    dc = catalog.dataclass(name) if catalog is not None else None
    return _dataclass_path(name, first, selector, entity, segs, dc, catalog)


def _keyword_path(kw: str, segs: tuple[Segment, ...]) -> Shape:
    rest = segs[1:]
    if kw == "$catalog":
        if not rest:
            return Shape(resource="catalog", form="P15", segments=segs)
        nxt = rest[0]
        if len(rest) == 1 and _keyword(nxt) == "$all":
            return Shape(resource="catalog", form="P16", segments=segs)
        if len(rest) == 1 and isinstance(nxt, NamesSegment) and nxt.name is not None:
            # P17 (a dataclass) or P18 (a datastore function): the checker resolves it.
            return Shape(resource="catalog", form="P17", segments=segs, tail=nxt)
        return Shape(resource="catalog", segments=segs, problem=(1, "after $catalog"))
    if kw == "$info":
        if len(rest) == 1 and isinstance(rest[0], NamesSegment) and rest[0].name in INFO_PARTS:
            # `$info/privileges` (4D 20 R6): the privileges part of P20 alone.
            return Shape(resource="info", form="P20", segments=segs, tail=rest[0])
        if rest:
            return Shape(resource="info", segments=segs, problem=(1, "after $info"))
        return Shape(resource="info", form="P20", segments=segs)
    if kw == "$upload":
        if rest:
            return Shape(resource="upload", segments=segs, problem=(1, "after $upload"))
        return Shape(resource="upload", form="P22", segments=segs)
    if kw == "$querypath":
        if rest:
            return Shape(resource="querypath", segments=segs, problem=(1, "after $querypath"))
        return Shape(resource="querypath", form="P23", segments=segs)
    if kw == "$getWebForm":
        return Shape(resource="webform", form="P24", segments=segs)
    if kw == "$directory":
        if len(rest) == 1 and isinstance(rest[0], NamesSegment) and rest[0].name is not None:
            form = "P21" if rest[0].name == "login" else "L3"
            return Shape(resource="directory", form=form, segments=segs, tail=rest[0])
        return Shape(resource="directory", segments=segs, problem=(1, "after $directory"))
    if kw == "$singleton":
        if (
            len(rest) == 2
            and all(isinstance(s, NamesSegment) and s.name is not None for s in rest)
        ):
            return Shape(
                resource="singleton", form="P19", segments=segs, tail=rest[1],  # type: ignore[arg-type]
                function=rest[1], tail_kind="function",
            )
        return Shape(resource="singleton", segments=segs, problem=(1, "after $singleton"))
    return Shape(resource="unknown", segments=segs, problem=(0, "an unknown or misplaced keyword"))


def _is_function(dc: DataClass | None, catalog: Catalog | None, name: str, entity: bool) -> bool | None:
    """True/False when the catalog knows; None without a catalog (R11: functions first) or for
    a template name (§1.1: it may stand for either)."""
    if dc is None or catalog is None or is_template(name):
        return None
    if entity:
        fn = dc.function(name, apply_to="entity")
    else:
        fn = dc.function(name, apply_to="dataClass") or dc.function(
            name, apply_to="entitySelection"
        )
    return fn is not None


def _dataclass_path(
    name: str,
    first: Segment,
    selector: Any,
    entity: bool,
    segs: tuple[Segment, ...],
    dc: DataClass | None,
    catalog: Catalog | None,
) -> Shape:
    rest = segs[1:]
    base: dict[str, Any] = {
        "resource": "dataclass",
        "segments": segs,
        "dataclass": name,
        "dataclass_segment": first,
        "selector": selector,
    }
    if isinstance(selector, CallSegment):
        base["problem"] = (0, "a composite key")
    if entity:
        form0 = "P4" if isinstance(selector, LookupSegment) else (
            "P3" if isinstance(selector, KeySegment) and selector.brackets else "P2"
        )
        if not rest:
            return Shape(form=form0, entity=True, **base)
        nxt = rest[0]
        if len(rest) == 1 and isinstance(nxt, NamesSegment):
            if len(nxt.paths) > 1:
                return Shape(form="P6", entity=True, projection=nxt, **base)
            if nxt.name is not None:
                is_fn = _is_function(dc, catalog, nxt.name, True)
                if is_fn:
                    return Shape(
                        form="P14", entity=True, tail=nxt, tail_kind="function", function=nxt,
                        **base,
                    )
                kind = "attribute" if is_fn is False else "unknown"
                return Shape(form="P8", entity=True, tail=nxt, tail_kind=kind, **base)
            # a dotted path after an entity: one attribute reached through a relation/object
            return Shape(form="P8", entity=True, tail=nxt, tail_kind="attribute", **base)
        if "problem" not in base:
            base["problem"] = (_first_bad(segment_kinds(rest), ENTITY_FORMS), "after an entity")
        return Shape(entity=True, **base)

    # Collection context (§2.3).
    if not rest:
        return Shape(form="P1", collection=True, **base)
    pattern = segment_kinds(rest)

    def names_at(i: int) -> NamesSegment:
        seg = rest[i]
        assert isinstance(seg, NamesSegment)
        return seg

    if pattern == "L":
        return Shape(form="P5", collection=True, projection=names_at(0), **base)
    if pattern == "D":
        return Shape(form="P7", collection=True, tail=names_at(0), tail_kind="attribute", **base)
    if pattern == "N":
        seg = names_at(0)
        is_fn = _is_function(dc, catalog, seg.name or "", False)
        if is_fn:
            return Shape(
                form="P12", collection=True, tail=seg, tail_kind="function", function=seg, **base
            )
        kind = "attribute" if is_fn is False else "unknown"
        return Shape(form="P7", collection=True, tail=seg, tail_kind=kind, **base)
    if pattern in ("EI", "ER", "E"):
        es = rest[1] if len(rest) > 1 and isinstance(rest[1], EntitySetSegment) else None
        kw_seg = rest[0] if isinstance(rest[0], KeywordSegment) else None
        if pattern == "ER":
            return Shape(form="P11", collection=True, release=True, entity_set_keyword=kw_seg, **base)
        if pattern == "E":
            base.setdefault("problem", (1, "$entityset without an ID"))
            return Shape(collection=True, entity_set_keyword=kw_seg, **base)
        return Shape(form="P9", collection=True, entity_set=es, entity_set_keyword=kw_seg, **base)
    if pattern in ("LEI", "DEI", "NEI", "NE"):
        es = rest[2] if len(rest) > 2 and isinstance(rest[2], EntitySetSegment) else None
        seg = names_at(0)
        kw_seg = rest[1] if isinstance(rest[1], KeywordSegment) else None
        if pattern in ("LEI", "DEI"):
            return Shape(form="P10", collection=True, projection=seg, entity_set=es,
                         entity_set_keyword=kw_seg, **base)
        is_fn = _is_function(dc, catalog, seg.name or "", False)
        if pattern == "NE":
            # "getLastSummary/$entityset/?$filter=…" (§2.4 notes, documented oddity)
            if is_fn is False:
                base.setdefault("problem", (2, "$entityset without an ID"))
                return Shape(collection=True, entity_set_keyword=kw_seg, **base)
            return Shape(form="P13", collection=True, tail=seg, tail_kind="function",
                         function=seg, entity_set_keyword=kw_seg, **base)
        if is_fn:
            return Shape(form="P13", collection=True, tail=seg, tail_kind="function",
                         function=seg, entity_set=es, entity_set_keyword=kw_seg, **base)
        return Shape(form="P10", collection=True, projection=seg, entity_set=es,
                     entity_set_keyword=kw_seg,
                     tail_kind="attribute" if is_fn is False else "unknown", **base)
    if pattern == "C":
        return Shape(form="L1", collection=True, function=rest[0], tail_kind="function", **base)
    if pattern in ("NN", "LN", "NL", "DN"):
        a, b = rest[0], rest[1]
        if pattern == "NL":
            fn_seg, proj = a, b
        elif pattern in ("LN", "DN"):
            fn_seg, proj = b, a
        else:
            # name/name: which one is the function is for the catalog to say
            a_fn = _is_function(dc, catalog, names_at(0).name or "", False)
            fn_seg, proj = (a, b) if a_fn else (b, a)
        if catalog is not None and dc is not None:
            fn_name = fn_seg.name if isinstance(fn_seg, NamesSegment) else None
            if fn_name is None or dc.function(fn_name) is None:
                base.setdefault("problem", (2, "two attribute segments"))
                return Shape(collection=True, **base)
        return Shape(form="L2", collection=True, function=fn_seg, tail_kind="function",
                     projection=proj if isinstance(proj, NamesSegment) else None, **base)
    # Anything else follows no documented form: point at the segment that ends the longest
    # prefix of a documented one.
    if "problem" not in base:
        base["problem"] = (_first_bad(pattern, COLLECTION_FORMS), "segment order")
    return Shape(collection=True, **base)


def _first_bad(kinds: str, forms: dict[str, str]) -> int:
    """Index (in the path's segments, the dataclass being 0) of the first segment that no
    documented form allows there (one past the end when the forms only lack an ending)."""
    offence = first_offence(kinds, forms)
    return (offence.index if offence is not None else len(kinds)) + 1
