"""restquery: the grammar, typed tree and checker of 4D / Qodly ORDA REST URLs.

>>> import restquery
>>> req = restquery.parse("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt")
>>> restquery.unparse(req)
'/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt'
"""

from __future__ import annotations

from restquery.errors import (
    CatalogError,
    RestClientError,
    RestQueryError,
    RestQueryLimitError,
    RestQuerySyntaxError,
    RestServerError,
    UnparseError,
    ValidationError,
)
from restquery.parser import parse

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time

if TYPE_CHECKING:
    from restquery.catalog import Catalog
    from restquery.checker import assert_valid, validate
    from restquery.diagnostics import Diagnostic
    from restquery.policy import Policy
    from restquery.printer import unparse

__all__ = [
    "Catalog",
    "CatalogError",
    "Diagnostic",
    "Policy",
    "RestClientError",
    "RestQueryError",
    "RestQueryLimitError",
    "RestQuerySyntaxError",
    "RestServerError",
    "UnparseError",
    "ValidationError",
    "assert_valid",
    "parse",
    "unparse",
    "validate",
]

__version__ = "0.1.0"


_LAZY = {
    "unparse": "restquery.printer",
    "validate": "restquery.checker",
    "assert_valid": "restquery.checker",
    "Catalog": "restquery.catalog",
    "Diagnostic": "restquery.diagnostics",
    "Policy": "restquery.policy",
}


def __getattr__(name: str) -> object:
    # Imported on first use, so that `import restquery` stays cheap for processes that only
    # parse (servers, short-lived CLI runs).
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'restquery' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
