"""The URL level split into its pieces (spec §1.1–§1.3): one typed result, with integer offsets
into the text as given, whether the lean pass or the LALR parser made it.

Nothing here is decoded yet: each piece is percent-decoded on its own afterwards, so that
``%2F``, ``%26`` or ``%22`` never become structure (§1.4).
"""

from __future__ import annotations

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from restquery._records import NamedTuple

__all__ = ["Origin", "RawParam", "Segment", "Split"]


class Origin(NamedTuple):
    """``scheme://host:port`` or a ``{{placeholder}}`` (``placeholder`` says which)."""

    start: int
    end: int
    placeholder: bool = False


class Segment(NamedTuple):
    """One path segment, between two ``/`` (quote-aware: a ``/`` in ``"..."`` stays inside)."""

    start: int
    end: int


class RawParam(NamedTuple):
    """One ``name[=value]`` of the query. ``eq`` is the offset of ``=`` or -1; the value runs
    from ``value_start`` to ``value_end`` (empty right after ``=``; -1 without ``=``);
    ``slash`` is the offset of the docs' stray ``/`` after a quoted value, or -1."""

    name_start: int
    name_end: int
    eq: int = -1
    value_start: int = -1
    value_end: int = -1
    slash: int = -1


class Split(NamedTuple):
    """The whole URL level: ``query`` is the offset of ``?`` or -1, ``fragment`` the offset of
    the ``#`` that ends the URL or -1."""

    origin: Origin | None
    segments: tuple[Segment, ...]
    trailing_slash: bool
    query: int
    params: tuple[RawParam, ...]
    fragment: int = -1
