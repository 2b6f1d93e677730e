"""restquery: the grammar, typed tree and checker of 4D / Qodly ORDA REST URLs.

>>> import restquery
>>> req = restquery.parse("/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt")
>>> restquery.unparse(req)
'/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt'
"""

from __future__ import annotations

from restquery.errors import (
    CatalogError,
    RestQueryError,
    RestQueryLimitError,
    RestQuerySyntaxError,
    UnparseError,
    ValidationError,
)
from restquery.parser import parse
from restquery.printer import unparse

__all__ = [
    "CatalogError",
    "RestQueryError",
    "RestQueryLimitError",
    "RestQuerySyntaxError",
    "UnparseError",
    "ValidationError",
    "parse",
    "unparse",
]

__version__ = "0.1.0"
