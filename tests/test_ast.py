"""The node classes of restquery.ast: their contract (immutable, equality and hashing without
spans or raw lexemes, keyword and positional construction, ``replace``, ``to_dict``, pickling)
and their cost (no per-node dict, packed spans, an import that loads neither typing nor
dataclasses)."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import gc
import json
import os
import pickle
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import restquery
from restquery import ast
from restquery.ast import (
    AttributeItem,
    AttributeList,
    AttributePath,
    Boolean,
    BoolOp,
    CallSegment,
    Collection,
    Comparison,
    Date,
    EntitySetSegment,
    Filter,
    Formula,
    Integer,
    Key,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Node,
    Not,
    Null,
    Number,
    Origin,
    Param,
    Params,
    PathList,
    PathPart,
    Placeholder,
    RawValue,
    Request,
    SortItem,
    SortList,
    Span,
    Template,
    Text,
    Word,
    cover,
)
from restquery.ast import Path as UrlPath

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]

NODE_CLASSES = sorted(
    (
        c
        for c in vars(ast).values()
        if isinstance(c, type) and issubclass(c, Node) and c is not Node
    ),
    key=lambda c: c.__name__,
)


def S(start: int, end: int) -> Span:
    return Span(start, end)


def ap(dotted: str, start: int = 0) -> AttributePath:
    parts, pos = [], start
    for name in dotted.split("."):
        parts.append(PathPart(name=name, span=S(pos, pos + len(name))))
        pos += len(name) + 1
    return AttributePath(parts=tuple(parts), span=S(start, pos - 1))


def pinned_trees() -> dict[str, Node]:
    """Hand-built trees (keyword construction only) covering every node class and field, with
    spans, raw lexemes and parentheses set; their to_dict() is pinned in a fixture."""
    flt = Filter(
        expr=BoolOp(
            op="&&",
            operands=(
                Comparison(
                    left=ap("a.b", 10),
                    op="=",
                    right=Number(value=1.5, raw="1.50", span=S(15, 19)),
                    parens=1,
                    span=S(9, 20),
                ),
                Not(operand=Formula(text="This.x>1", span=S(25, 39)), parens=2, span=S(21, 41)),
                Comparison(
                    left=Placeholder(index=1, span=S(44, 46)),
                    op="IN",
                    right=Collection(
                        items=(
                            Text(value="x", quoted=True, span=S(51, 54)),
                            Date(value=datetime.date(2020, 1, 2), raw="2020-01-02", span=S(55, 65)),
                            Boolean(value=True, raw="true", span=S(66, 70)),
                            Null(span=S(71, 75)),
                            Placeholder(name="p", span=S(76, 78)),
                        ),
                        span=S(50, 79),
                    ),
                    span=S(44, 79),
                ),
            ),
            span=S(9, 79),
        ),
        order_by=SortList(
            items=(SortItem(path=ap("c", 89), direction="DESC", span=S(89, 95)),), span=S(89, 95)
        ),
        span=S(9, 95),
    )
    request = Request(
        origin=Origin(scheme="http", host="h", port=80, span=S(0, 11)),
        path=UrlPath(
            segments=(
                KeySegment(
                    name="Co",
                    key=Key(value=11, raw="11", span=S(3, 5)),
                    brackets=True,
                    name_span=S(0, 2),
                    span=S(0, 6),
                ),
                LookupSegment(
                    name="Co",
                    attribute="code",
                    value=Key(value="A", quoted=True, raw='"A"', span=S(8, 11)),
                    name_span=S(0, 2),
                    attribute_span=S(3, 7),
                    span=S(0, 12),
                ),
                CallSegment(
                    name="f",
                    args=(
                        Key(value=1, raw="1", span=S(2, 3)),
                        Key(value="x", raw="x", span=S(4, 5)),
                    ),
                    name_span=S(0, 1),
                    span=S(0, 6),
                ),
                KeywordSegment(keyword="$entityset", span=S(0, 10)),
                EntitySetSegment(
                    id="ID", key=Key(value=3, raw="3", span=S(3, 4)), id_span=S(0, 2), span=S(0, 5)
                ),
                NamesSegment(paths=(ap("x"), ap("y.z", 2)), span=S(0, 5)),
            ),
            prefix=False,
            trailing_slash=True,
            span=S(11, 60),
        ),
        params=(
            Param(name="$filter", value=flt, quote='"', trailing_slash=True, span=S(61, 160)),
            Param(
                name="$params",
                value=Params(
                    items=(1, {"a": [2, None]}, "s"),
                    relaxed=True,
                    value_is_array=True,
                    raw='[1,{a:[2,null]},"s"]',
                    span=S(5, 25),
                ),
                span=S(0, 25),
            ),
            Param(
                name="$attributes",
                value=AttributeList(
                    items=(
                        AttributeItem(path=ap("a"), star=True, span=S(0, 3)),
                        AttributeItem(star=True, span=S(4, 5)),
                    ),
                    span=S(0, 5),
                ),
            ),
            Param(name="$expand", value=PathList(paths=(ap("e"),), span=S(0, 1))),
            Param(name="$top", value=Integer(value=5, raw="05", span=S(5, 7))),
            Param(name="$method", value=Word(value="delete", span=S(8, 14))),
            Param(name="$skip", value=RawValue(text="ten", span=S(6, 9))),
            Param(name="$timeout", value=Template(text="{{seconds}}", span=S(9, 20))),
            Param(name="$x"),
        ),
        method="GET",
        span=S(0, 300),
    )
    return {"request": request, "null": Null(), "key": Key(value=1)}


# ---------------------------------------------------------------------------------------------
# to_dict()


def test_to_dict_is_pinned() -> None:
    expected = json.loads((FIXTURES / "ast_to_dict.json").read_text(encoding="utf-8"))
    got = {name: tree.to_dict() for name, tree in pinned_trees().items()}
    assert got == expected
    # the key order is part of the output too (JSON text, snapshots)
    assert json.dumps(got, sort_keys=False) == json.dumps(expected, sort_keys=False)


def _reference_dict(node: Any) -> Any:
    """to_dict() spelled out from dataclasses.fields(), the way every node was serialised."""
    if isinstance(node, Node):
        out: dict[str, Any] = {"type": type(node).__name__, "span": list(node.span)}
        for f in dataclasses.fields(node):
            if f.name != "span":
                out[f.name] = _reference_dict(getattr(node, f.name))
        return out
    if isinstance(node, tuple):
        return [_reference_dict(v) for v in node]
    if isinstance(node, datetime.date):
        return node.isoformat()
    return node


def _identity_urls() -> list[str]:
    lines = (FIXTURES / "identity.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_to_dict_of_parsed_trees_follows_the_fields() -> None:
    for url in _identity_urls():
        tree = restquery.parse(url)
        assert tree.to_dict() == _reference_dict(tree), url


# ---------------------------------------------------------------------------------------------
# Equality, hashing, repr


def _samples() -> Iterator[Node]:
    for tree in pinned_trees().values():
        yield from tree.walk()


def test_every_class_is_sampled() -> None:
    assert {type(n) for n in _samples()} == set(NODE_CLASSES)


ASIDE = {"span", "name_span", "attribute_span", "id_span", "raw", "parens"}


def test_the_fields_left_out_of_equality() -> None:
    for cls in NODE_CLASSES:
        aside = {f.name for f in dataclasses.fields(cls) if not f.compare}
        assert aside <= ASIDE, cls
        assert "span" in aside
        names = {f.name for f in dataclasses.fields(cls)}
        assert aside == ASIDE & names, cls


def _changed(value: Any) -> Any:
    if isinstance(value, tuple):  # a span
        return Span(value[0] + 100, value[1] + 200)
    if isinstance(value, int):
        return value + 7
    return (value or "") + "!"


def _hash(node: Node) -> int | None:
    try:
        return hash(node)
    except TypeError:  # JSON objects in $params are dicts, as they always were
        return None


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_spans_raw_and_parens_do_not_count(cls: type[Node]) -> None:
    node = next(n for n in _samples() if type(n) is cls)
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if not f.compare:
            other = node.replace(**{f.name: _changed(value)})
            assert getattr(other, f.name) != value
            assert other == node and _hash(other) == _hash(node), f.name
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            assert node.replace(**{f.name: _changed(value)}) != node, f.name


def test_equality_needs_the_same_class() -> None:
    assert Null() == Null(span=S(1, 2))
    assert hash(Null()) == hash(Null(span=S(1, 2)))
    assert Null() != Node()
    assert Text(value="1") != Word(value="1")
    assert Number(value=1) != Integer(value=1)
    assert Number(value=1) != 1
    assert Number(value=1, raw="1", span=S(3, 4)) == Number(value=1, raw="01", span=S(9, 11))


def test_repr_shows_the_compared_fields() -> None:
    assert (
        repr(PathPart(name="a", span=S(1, 2))) == "PathPart(name='a', index=None, class_index=None)"
    )
    assert repr(Number(value=1, raw="01", span=S(0, 2))) == "Number(value=1)"
    assert repr(Null(span=S(3, 7))) == "Null()"
    assert repr(Comparison(left=ap("a"), op="=", right=Number(value=1), parens=3)) == (
        "Comparison(left=AttributePath(parts=(PathPart(name='a', index=None, class_index=None),)),"
        " op='=', right=Number(value=1))"
    )


# ---------------------------------------------------------------------------------------------
# Construction, immutability, replace


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_positional_construction_follows_the_fields(cls: Any) -> None:
    node = next(n for n in _samples() if type(n) is cls)
    names = [f.name for f in dataclasses.fields(cls)]
    assert names[-1] == "span" and cls.__match_args__ == tuple(names)
    values = [getattr(node, n) for n in names]
    by_position = cls(*values)
    by_keyword = cls(**dict(zip(names, values)))
    assert by_position == by_keyword == node
    assert by_position.to_dict() == by_keyword.to_dict() == node.to_dict()
    with pytest.raises(TypeError):
        cls(*values, None)
    with pytest.raises(TypeError):
        cls(**dict(zip(names, values)), nonsense=1)


def test_defaults() -> None:
    part = PathPart(name="a")
    assert (part.index, part.class_index, part.span) == (None, None, Span(0, 0))
    assert type(part.span) is Span
    assert UrlPath().segments == () and UrlPath().prefix is True
    with pytest.raises(TypeError):
        PathPart()  # type: ignore[call-arg]


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_nodes_are_immutable(cls: type[Node]) -> None:
    node = next(n for n in _samples() if type(n) is cls)
    for f in dataclasses.fields(node):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(node, f.name, None)
        with pytest.raises(AttributeError):
            delattr(node, f.name)
    with pytest.raises(AttributeError):
        node.other = 1  # type: ignore[attr-defined]
    assert not hasattr(node, "__dict__")


def test_replace() -> None:
    cmp = Comparison(left=ap("a"), op="=", right=Number(value=1, raw="1"), parens=1, span=S(0, 3))
    changed = cmp.replace(op="!=")
    assert (changed.op, changed.left, changed.right, changed.parens, changed.span) == (
        "!=",
        cmp.left,
        cmp.right,
        1,
        S(0, 3),
    )
    assert cmp.op == "="
    assert dataclasses.replace(cmp, op="!=", span=S(1, 2)) == changed
    assert dataclasses.replace(cmp, span=S(1, 2)).span == S(1, 2)
    assert cmp.replace(parens=0, span=S(5, 6)) == cmp
    with pytest.raises(TypeError):
        cmp.replace(nonsense=1)
    assert dataclasses.is_dataclass(cmp) and dataclasses.is_dataclass(Comparison)


def test_dataclass_fields_from_threads() -> None:
    # The fields are made on first use; every thread must see complete ones.
    @ast._node
    class Probe(Node):
        name: str
        count: int = 0
        span: Span = ast._SPAN

    seen: list[tuple[str, ...]] = []
    threads = [
        threading.Thread(
            target=lambda: seen.append(tuple(f.name for f in dataclasses.fields(Probe)))
        )
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [("name", "count", "span")] * 8


# ---------------------------------------------------------------------------------------------
# Spans


@pytest.mark.parametrize(
    "given",
    [
        S(0, 0),
        S(3, 9),
        S(2**40, 2**40 + 5),
        S(5, 2**33),
        S(-1, 4),
        S(9, 3),
        (1, 2),
        (1.0, 2),
        None,
        "ab",
    ],
)
def test_any_span_is_kept(given: Any) -> None:
    node = PathPart(name="a", span=given)
    assert node.span == given
    if isinstance(given, tuple) and all(type(v) is int for v in given):
        assert type(node.span) is Span
    assert pickle.loads(pickle.dumps(node)).span == given


def test_cover() -> None:
    a, b = PathPart(name="a", span=S(4, 5)), PathPart(name="b", span=S(6, 9))
    assert cover(a, b) == S(4, 9) and type(cover(a, b)) is Span
    assert cover(a, PathPart(name="c", span=(1.0, 20))) == S(4, 20)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# walk(), find_all()


def _reference_walk(node: Node) -> Iterator[Node]:
    """Pre-order through dataclasses.fields() in field order (the origin of a request, written
    first, before its path)."""
    yield node
    names = [f.name for f in dataclasses.fields(node)]
    if isinstance(node, Request):
        names = ["origin", *(n for n in names if n != "origin")]
    for name in names:
        value = getattr(node, name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Node):
                yield from _reference_walk(item)


def test_walk_is_preorder_in_document_order() -> None:
    for tree in pinned_trees().values():
        assert [id(n) for n in tree.walk()] == [id(n) for n in _reference_walk(tree)]
    for url in _identity_urls():
        tree = restquery.parse(url)
        nodes = list(tree.walk())
        assert [id(n) for n in nodes] == [id(n) for n in _reference_walk(tree)], url
        starts = [n.span.start for n in nodes]
        assert starts == sorted(starts), url


def test_find_all() -> None:
    tree = restquery.parse(
        '/rest/E?$filter="a=1 AND (NOT b.c=:1 OR d IN [:2,3])"&$orderby="e"&$params=\'[1,2]\''
    )
    flt = tree.param("filter").value  # type: ignore[union-attr]
    assert isinstance(flt, Filter)
    lefts = [c.left for c in tree.find_all(Comparison)]
    assert [p.dotted for p in lefts if isinstance(p, AttributePath)] == ["a", "b.c", "d"]
    assert [p.index for p in tree.find_all(Placeholder)] == [1, 2]
    kinds = [type(n).__name__ for n in flt.find_all(BoolOp, Not)]
    assert kinds == ["BoolOp", "BoolOp", "Not"]
    assert list(Number(value=1).find_all(Number)) == [Number(value=1)]
    assert list(Number(value=1).find_all(Text)) == []
    assert [p.name for p in tree.find_all(PathPart)] == ["E", "a", "b", "c", "d", "e"]


def test_walk_needs_no_recursion() -> None:
    depth = 100_000
    expr: Any = Comparison(left=ap("a"), op="=", right=Number(value=1))
    for i in range(depth):
        expr = Not(operand=expr) if i % 2 else BoolOp(op="AND", operands=(expr, Formula(text="x")))
    flt = Filter(expr=expr)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        count = sum(1 for _ in flt.walk())
        found = list(flt.find_all(Comparison))
    finally:
        sys.setrecursionlimit(limit)
    assert count == 1 + 4 + depth + depth // 2  # Filter, the comparison's 4, the levels
    assert [c.left for c in found] == [ap("a")]


# ---------------------------------------------------------------------------------------------
# Pickle and copy


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip(protocol: int) -> None:
    trees = list(pinned_trees().values()) + [restquery.parse(u) for u in _identity_urls()[:40]]
    for tree in trees:
        back = pickle.loads(pickle.dumps(tree, protocol=protocol))
        assert back == tree
        assert back.to_dict() == tree.to_dict()  # spans and raw lexemes too


def test_copy_and_deepcopy() -> None:
    tree = pinned_trees()["request"]
    assert isinstance(tree, Request)
    for clone in (copy.copy(tree), copy.deepcopy(tree)):
        assert clone == tree and clone.to_dict() == tree.to_dict()
    assert copy.copy(tree).path is tree.path


# ---------------------------------------------------------------------------------------------
# Cost


def test_import_loads_neither_typing_nor_dataclasses() -> None:
    code = (
        "import sys, types\n"
        "pkg = types.ModuleType('restquery')\n"
        f"pkg.__path__ = [{str(REPO / 'restquery')!r}]\n"
        "sys.modules['restquery'] = pkg\n"
        "import restquery.ast\n"
        "print(sorted({'typing', 'dataclasses', 'datetime', 'inspect'} & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_memory_per_clause() -> None:
    # Measured 558 B per comparison on CPython 3.11 (750 B as frozen dataclasses holding Span
    # tuples); the bound leaves room for other interpreter versions.
    clauses = 2_000
    url = '/rest/E?$filter="' + " AND ".join(f"a{i}={i + 1000}" for i in range(clauses)) + '"'
    restquery.parse('/rest/E?$filter="b1=1001 AND b2=1002"')
    gc.collect()
    tracemalloc.start()
    try:
        tree = restquery.parse(url)
        gc.collect()
        alive = tracemalloc.get_traced_memory()[0]
        del tree
        gc.collect()
        dropped = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert (alive - dropped) / clauses < 620


def test_node_constructors_are_cached_and_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    # The compiled constructors are kept in the per-user cache, as Python keeps bytecode; a
    # file that is not what it should be is compiled again, never trusted.
    env = {**os.environ, "RESTQUERY_CACHE_DIR": str(tmp_path)}
    code = (
        "import restquery; from restquery.ast import Comparison;"
        "t = restquery.parse('/rest/E?$filter=\"a=1\"').param('filter').value.expr;"
        "print(type(t).__name__, t.span, Comparison(left=t.left, op='=', right=t.right) == t)"
    )

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run() == "Comparison Span(start=17, end=20) True"
    cached = list(tmp_path.glob("nodes-*.code"))
    assert len(cached) == 1
    for damage in (b"", b"not marshal data", cached[0].read_bytes()[:40]):
        cached[0].write_bytes(damage)
        assert run() == "Comparison Span(start=17, end=20) True"
        assert cached[0].read_bytes() != damage  # written anew
