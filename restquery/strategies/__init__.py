"""Hypothesis strategies for the 4D REST URL language: syntax trees, valid URLs, and
invalid URLs that carry the code the checker must report.

Testers use them to attack their own 4D servers and clients; restquery uses them to attack
itself (``fuzz/``, ``tests/test_roundtrip.py``). Hypothesis is an optional dependency
(``pip install restquery[hypothesis]``); ``import restquery`` never imports this module.

The main entry points:

* :func:`requests` — request trees: schema-free over the whole grammar, or consistent with a
  ``$catalog`` (existing dataclasses, attributes, relations, functions);
* :func:`urls` — URLs that parse and validate with no finding, optionally for one HTTP verb
  and one catalog, raw or percent-encoded (ready to send to a server under test);
* :func:`filters` — ``$filter`` trees, schema-free or for a dataclass of a catalog;
* :func:`invalid_urls` — ``InvalidURL(url, code, method)`` triples, one targeted mutation of a
  valid URL per syntax code and rule (:data:`MUTATIONS`).

With the package's ``hypothesis`` entry point, ``st.from_type(restquery.ast.Request)`` (and
``Filter``, ``Path``, ``Param``, ...) draws from these strategies.

Trees are built from AST nodes, not derived from the grammar with
``hypothesis.extra.lark.from_lark``, whose strings mostly fail to parse on a keyword grammar
(see the project's lessons). What the schema-free trees respect, so the printer can spell them
and the parser reads them back equal:

* names are identifiers that are none of the filter and sort keywords (:data:`KEYWORDS`,
  case-insensitively);
* a text drawn unquoted is one the grammar reads back as bare text (``john``, ``A@``,
  ``O'Reilly``), a quoted one holds no ``'`` (``IN`` collections may, written as JSON strings);
* ``BoolOp`` nodes have at least two operands; nesting is bounded;
* a parameter's value has the type the parser gives its name (``$top`` → ``Integer`` or
  ``RawValue``, ``$filter`` → ``Filter``, unknown names → ``RawValue``), with a consistent
  quote;
* segments stand where the path grammar reads them (an entity-set ID right after
  ``$entityset``, never elsewhere).

>>> import restquery
>>> from hypothesis import given, settings
>>> from restquery.strategies import invalid_urls, requests
>>> @settings(max_examples=10)
... @given(requests())
... def check(req):
...     assert restquery.parse(restquery.unparse(req), method=req.method) == req
>>> check()
>>> @settings(max_examples=10)
... @given(invalid_urls())
... def check_invalid(case):
...     url, code, method = case
...     assert code in [d.code for d in restquery.validate(url, method=method)]
>>> check_invalid()
"""

from __future__ import annotations

# This package is imported by Hypothesis itself, through the ``hypothesis`` entry point, in
# every process that imports Hypothesis with restquery installed: it must cost nothing. The
# strategies live in restquery.strategies._impl, imported on first use of one of them.

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

    from restquery.strategies._impl import (
        KEYWORDS,
        MUTATIONS,
        NOT_FROM_URL_ALONE,
        URL_METHODS,
        InvalidURL,
        attribute_lists,
        attribute_paths,
        comparisons,
        expressions,
        filter_values,
        filters,
        formulas,
        invalid_urls,
        json_params,
        keys,
        names,
        origins,
        param_values,
        params,
        path_lists,
        paths,
        requests,
        segments,
        sort_lists,
        texts,
        urls,
    )

__all__ = [
    "KEYWORDS",
    "MUTATIONS",
    "NOT_FROM_URL_ALONE",
    "URL_METHODS",
    "InvalidURL",
    "attribute_lists",
    "attribute_paths",
    "comparisons",
    "expressions",
    "filter_values",
    "filters",
    "formulas",
    "invalid_urls",
    "json_params",
    "keys",
    "names",
    "origins",
    "param_values",
    "params",
    "path_lists",
    "paths",
    "requests",
    "segments",
    "sort_lists",
    "texts",
    "urls",
]

#: The node types ``st.from_type`` draws with this module, and the strategy for each.
_FROM_TYPE = {
    "Request": "requests",
    "Filter": "filters",
    "Path": "paths",
    "Param": "params",
    "SortList": "sort_lists",
    "AttributeList": "attribute_lists",
    "PathList": "path_lists",
    "Params": "json_params",
    "AttributePath": "attribute_paths",
    "Key": "keys",
    "Origin": "origins",
    "Formula": "formulas",
}


# Defined before Hypothesis is imported, on purpose: the package's ``hypothesis`` entry point
# names this function, and Hypothesis runs its entry points at the end of its own import. When
# this module is the first to import Hypothesis, that happens while the module is half-built,
# so the hook must already exist and must only refer to the strategies lazily (st.deferred).
def _hypothesis_setup_hook() -> None:
    """Register the strategies with Hypothesis, so that ``st.from_type(Request)`` (and
    ``Filter``, ``Path``, ``Param``, ...) draws from them; called through the ``hypothesis``
    entry point declared in ``pyproject.toml``.

    >>> from hypothesis import given, settings, strategies as st
    >>> import restquery
    >>> from restquery.ast import Request
    >>> _hypothesis_setup_hook()
    >>> @settings(max_examples=5)
    ... @given(st.from_type(Request))
    ... def check(req):
    ...     assert restquery.parse(restquery.unparse(req), method=req.method) == req
    >>> check()
    """
    from hypothesis import strategies as hst

    from restquery import ast

    def lazily(factory: str) -> Any:
        return hst.deferred(lambda: getattr(_strategies(), factory)())

    for type_name, factory in _FROM_TYPE.items():
        hst.register_type_strategy(getattr(ast, type_name), lazily(factory))




def _strategies() -> Any:
    import importlib

    return importlib.import_module("restquery.strategies._impl")


def __getattr__(name: str) -> Any:
    # Everything but the hook and the tables above comes from the strategies module, loaded now.
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        found = getattr(_strategies(), name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    if name in __all__ and name[:1].islower():
        found = globals()[name] = _shown(found)
    return found


def _shown(make: Any) -> Any:
    """The public form of the strategy function ``make``: it builds its strategy once per
    arguments (and checks them at the call, as ``make`` does), and the strategy it returns
    shows as the call that made it (``filters()``, ``urls(catalog=Catalog(...))``), not as
    the tree of strategies inside, which runs to hundreds of kilobytes."""
    import functools

    from hypothesis import strategies as st

    built: dict[Any, tuple[Any, Any]] = {}

    def strategy(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        key = (tuple(map(_key, args)), tuple(sorted((k, _key(v)) for k, v in kwargs.items())))
        hit = built.get(key)
        if hit is None:
            if len(built) >= 256:
                built.clear()
            # The arguments are kept with the strategy, so that an id in the key stays theirs.
            hit = built[key] = ((args, kwargs), make(*args, **kwargs))
        return hit[1]

    def drawn(draw: Any, call: _Call) -> Any:
        return draw(call.strategy)

    drawn.__name__ = make.__name__
    drawn.__qualname__ = make.__name__
    lazy = st.composite(drawn)

    @functools.wraps(make)
    def public(*args: Any, **kwargs: Any) -> Any:
        return lazy(_Call(args, kwargs, strategy(args, kwargs)))

    return public


class _Call:
    """The arguments of a public strategy call, as its repr shows them (each kept short)."""

    __slots__ = ("args", "kwargs", "strategy")

    def __init__(self, args: tuple[Any, ...], kwargs: dict[str, Any], strategy: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.strategy = strategy

    def __repr__(self) -> str:
        def short(value: Any) -> str:
            text = repr(value)
            return text if len(text) <= 120 else text[:117] + "..."

        shown = [short(a) for a in self.args]
        shown += [f"{k}={short(v)}" for k, v in self.kwargs.items()]
        return ", ".join(shown)


def _key(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
