"""Suggestions ("did you mean"): the names closest to a misspelt one, for the hints of the
rules and of catalog errors."""

from __future__ import annotations

import functools
from collections.abc import Iterable

__all__ = ["closest", "suggestions"]


def suggestions(name: str, candidates: Iterable[str], *, limit: int = 3) -> list[str]:
    """The candidates closest to ``name``, best first, for "did you mean" hints.

    Candidates equal to ``name`` ignoring case win alone; otherwise
    :func:`difflib.get_close_matches` (cutoff 0.6) compared case-insensitively. ``name``
    itself is never suggested.

    >>> suggestions("firstname", ["lastName", "firstName", "salary"])
    ['firstName']
    >>> suggestions("salry", ["lastName", "firstName", "salary"])
    ['salary']
    >>> suggestions("zzz", ["lastName"])
    []
    """
    if limit <= 0:
        return []
    pool = [c for c in dict.fromkeys(candidates) if isinstance(c, str) and c != name]
    folded = name.casefold()
    out = [c for c in pool if c.casefold() == folded]
    if out:  # a difference of case only is surely the intended name
        return out[:limit]
    # difflib is quadratic in the name length; a name this long is not a typo of a real one.
    if len(name) <= 100:
        import difflib

        by_fold: dict[str, list[str]] = {}
        for c in pool:
            by_fold.setdefault(c.casefold(), []).append(c)
        for match in difflib.get_close_matches(folded, list(by_fold), n=limit, cutoff=0.6):
            out.extend(c for c in by_fold[match] if c not in out)
    return out[:limit]


@functools.lru_cache(maxsize=1024)
def closest(name: str, candidates: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`suggestions` of ``name`` among ``candidates``, memoised: the same name and the
    same candidates (a catalog's names) come back request after request."""
    return tuple(suggestions(name, candidates))
