"""invalid_urls(): the registered mutations, drawn."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument


if TYPE_CHECKING:
    pass
from restquery.strategies._views import (
    _schema,
)
# Importing them registers their mutations in _MUTATIONS.
import restquery.strategies._mutations_params  # noqa: F401
import restquery.strategies._mutations_queries  # noqa: F401
import restquery.strategies._mutations_syntax  # noqa: F401
from restquery.strategies._registry import (
    InvalidURL,
    _MUTATIONS,
)


#: code -> what its mutation does to a valid request. Every rule of the registry and every
#: syntax code has one (tested); some need a catalog or an opt-in selection, see
#: :data:`NOT_FROM_URL_ALONE`.
MUTATIONS: dict[str, str] = {code: m.what for code, m in sorted(_MUTATIONS.items())}

#: Codes :func:`invalid_urls` can only produce with more than the URL text, and why.
NOT_FROM_URL_ALONE: dict[str, str] = {
    **{
        code: "needs a catalog: only the schema can tell a wrong name or type"
        for code, m in sorted(_MUTATIONS.items())
        if m.needs_catalog
    },
    **{
        code: "opt-in rule: reported only when selected (select=['RQ', code])"
        for code, m in sorted(_MUTATIONS.items())
        if m.opt_in
    },
    **{
        code: "needs the HTTP verb, which is not part of the URL (InvalidURL.method)"
        for code in ("RQ315", "RQ316", "RQ339", "RQ354", "RQ355", "RQ356")
    },
}


def _as_case(code: str) -> Callable[[tuple[str, str | None]], InvalidURL]:
    def build(pair: tuple[str, str | None]) -> InvalidURL:
        return InvalidURL(pair[0], code, pair[1])

    return build


def invalid_urls(
    catalog: Any = None, *, codes: Iterable[str] | None = None, opt_in: bool = False
) -> st.SearchStrategy[InvalidURL]:
    """Invalid URLs, each with the code :func:`restquery.validate` must report for it:
    ``InvalidURL(url, code, method)``, which unpacks as ``url, code, method = case``.

    Each is one targeted mutation of a valid request (:data:`MUTATIONS` lists them): drop the
    ``$expand`` that goes with ``$binary`` (RQ301), misspell an attribute (RQ202, with a
    catalog), unbalance a quote (RQ002) or a parenthesis (RQ003), a negative ``$top``
    (RQ331), a ``$method`` sent with the wrong HTTP verb (RQ315), and one mutation for every
    other syntax code and rule. ``method`` is the verb to validate and send the URL with
    (``None`` when the finding does not depend on it): ``validate(url, catalog=catalog,
    method=method)`` includes ``code``.

    ``catalog`` turns on the schema mutations (RQ2xx, RQ303, RQ307, RQ311) and draws names
    from it. ``codes`` restricts the draw to some codes. ``opt_in=True`` adds the opt-in rules
    RQ357 and RQ358, which :func:`restquery.validate` reports only when selected
    (``select=["RQ", code]``).

    >>> import restquery
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(invalid_urls(codes=["RQ301", "RQ331", "RQ002"]))
    ... def check(case):
    ...     url, code, method = case
    ...     assert code in [d.code for d in restquery.validate(url, method=method)]
    >>> check()
    """
    schema = _schema(catalog)
    wanted = None if codes is None else {c.upper() for c in codes}
    if wanted is not None and wanted - set(_MUTATIONS):
        raise InvalidArgument(f"no mutation for {sorted(wanted - set(_MUTATIONS))}")
    chosen = []
    for code, m in sorted(_MUTATIONS.items()):
        if wanted is not None and code not in wanted:
            continue
        if m.needs_catalog and schema.free:
            continue
        if m.opt_in and not (opt_in or (wanted is not None and code in wanted)):
            continue
        if not m.available(schema):
            continue
        chosen.append(m.build(schema).map(_as_case(code)))
    if not chosen:
        raise InvalidArgument("no mutation applies to these codes with this catalog")
    return st.one_of(chosen)
