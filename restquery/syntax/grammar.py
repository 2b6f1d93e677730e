"""The LALR parsers of ``grammar/url.lark`` and ``grammar/query.lark``.

The grammars are files inside the package (read with :mod:`importlib.resources` when the
package is not a directory, as in a zip). Each becomes one LALR parser per process with several start symbols, built on first
use; its tables are cached on disk between processes, in a per-user directory (never a shared
temp dir: the cache is a pickle). The terminals' regular expressions are cached beside them
by :mod:`restquery.syntax.lexicon`, so a process whose URLs all take the lean pass (composed
of those terminals) never imports Lark.
"""

from __future__ import annotations

import functools
import os

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["build_parsers", "cache_dir", "grammar_text", "lean", "parsers"]

_URL_STARTS = ["url", "segment", "entity_set"]
_QUERY_STARTS = ["filter", "sort_list", "attribute_list", "path_list", "json_value"]


def grammar_text(name: str) -> str:
    # Installed as files (a wheel, a checkout): read them as such; importlib.resources, which
    # also reads a zipped package, costs more to import than the rest of the parse.
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "grammar", name)
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        from importlib import resources

        return (resources.files("restquery") / "grammar" / name).read_text(encoding="utf-8")


def cache_dir() -> str | None:
    """A per-user cache directory (never a shared temp dir: the LALR tables are a pickle)."""
    base = os.environ.get("RESTQUERY_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "restquery",
    )
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return base if os.access(base, os.W_OK) else None


def _cache_path(name: str, text: str) -> str | bool:
    import hashlib

    import lark

    base = cache_dir()
    if base is None:
        return False
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return os.path.join(base, f"{name}-{digest}-lark{lark.__version__}.cache")


def _accelerator() -> dict[str, Any]:
    if os.environ.get("RESTQUERY_NO_CYTHON"):
        return {}
    try:
        import lark_cython  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return {}
    return {"_plugins": lark_cython.plugins}


def build_parsers(*, strict: bool = False, cache: bool = True, accelerate: bool = True) -> Any:
    """The two LALR parsers (url.lark, query.lark), each built on first use.

    Returns a pair: index 0 is the URL parser, index 1 the parameter-value parser.
    ``strict=True`` (used by the test suite) makes grammar conflicts and colliding terminals
    fail. ``accelerate`` uses lark-cython when it is installed.
    """
    return _ParserPair(strict=strict, cache=cache, accelerate=accelerate)


_GRAMMARS = (("url.lark", _URL_STARTS, "UrlTransformer"), ("query.lark", _QUERY_STARTS, "QueryTransformer"))


class _ParserPair:
    """A tuple-like pair whose parsers are built on first access: a request that only needs
    one grammar loads only its tables."""

    __slots__ = ("_built", "_options")

    def __init__(self, **options: bool) -> None:
        self._options = options
        self._built: list[Any] = [None, None]

    def __len__(self) -> int:
        return 2

    def __iter__(self) -> Any:
        return iter((self[0], self[1]))

    def __getitem__(self, index: int) -> Any:
        parser = self._built[index]
        if parser is None:
            name, starts, transformer = _GRAMMARS[index]
            options = self._options
            parser = self._built[index] = _build(
                name,
                starts,
                transformer,
                strict=options["strict"],
                cache=options["cache"],
                accelerate=options["accelerate"],
            )
        return parser


def _build(name: str, starts: list[str], transformer: str, *, strict: bool, cache: bool, accelerate: bool) -> Any:
    from lark import Lark

    from restquery.syntax import transformer as transformers

    text = grammar_text(name)
    options: dict[str, Any] = {
        "parser": "lalr",
        "lexer": "contextual",
        "start": starts,
        "transformer": getattr(transformers, transformer)(),
        "maybe_placeholders": False,
    }
    if strict:
        options["strict"] = True
    elif cache:
        options["cache"] = _cache_path(name, text)
    if accelerate:
        options.update(_accelerator())
    return Lark(text, **options)


@functools.cache
def parsers() -> Any:
    return build_parsers()


@functools.cache
def lean() -> Any:
    # The shortcuts need only the terminals' regular expressions, which the lexicon keeps in
    # a file beside the LALR tables: a process whose URLs all take shortcuts never loads Lark.
    from restquery.syntax.lean import FastPaths
    from restquery.syntax.lexicon import lexicon

    return FastPaths(dict(lexicon().terminals))
