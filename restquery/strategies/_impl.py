"""Every strategy, gathered from the modules of the package: what
:mod:`restquery.strategies` loads on first use.

=========================  ================================================================
module                     what it holds
=========================  ================================================================
``_base``                  names, attribute paths, filter values, path segments and paths
``_trees``                 filters, sort and attribute lists, parameters, whole requests
``_views``                 schema views: the names a valid request may use
``_clean``                 values a validating server accepts without a warning
``_valid``                 valid requests, one documented form at a time
``_registry``              the registry of mutations and what they share
``_mutations_*``           one mutation per syntax code and rule
``_invalid``               ``invalid_urls()``, drawing the registered mutations
=========================  ================================================================
"""

from __future__ import annotations

from restquery.strategies._base import (  # noqa: F401 - gathered for restquery.strategies
    METHODS as METHODS,
    attribute_paths as attribute_paths,
    filter_values as filter_values,
    keys as keys,
    names as names,
    paths as paths,
    segments as segments,
    texts as texts,
)
from restquery.strategies._trees import (  # noqa: F401 - gathered for restquery.strategies
    attribute_lists as attribute_lists,
    comparisons as comparisons,
    expressions as expressions,
    filters as filters,
    formulas as formulas,
    json_params as json_params,
    origins as origins,
    param_values as param_values,
    params as params,
    path_lists as path_lists,
    requests as requests,
    sort_lists as sort_lists,
)
from restquery.strategies._views import (  # noqa: F401 - gathered for restquery.strategies
    _schema as _schema,
)
from restquery.strategies._valid import (  # noqa: F401 - gathered for restquery.strategies
    URL_METHODS as URL_METHODS,
    _SCENARIOS as _SCENARIOS,
    urls as urls,
)
from restquery.strategies._registry import (  # noqa: F401 - gathered for restquery.strategies
    InvalidURL as InvalidURL,
)
from restquery.strategies._invalid import (  # noqa: F401 - gathered for restquery.strategies
    MUTATIONS as MUTATIONS,
    NOT_FROM_URL_ALONE as NOT_FROM_URL_ALONE,
    invalid_urls as invalid_urls,
)


def __getattr__(name: str) -> object:
    # KEYWORDS and LOGICAL_SPELLINGS are the lexicon's, read when asked (restquery.strategies._base).
    import importlib

    return getattr(importlib.import_module("restquery.strategies._base"), name)

