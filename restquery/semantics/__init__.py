"""What a parsed request means, before any rule looks at it: the path-form machine
(:mod:`~restquery.semantics.paths`), read by the classifier (:mod:`restquery.shape`), rule R3
and the strategies' valid scenarios. Nothing is imported here."""

from __future__ import annotations

__all__: list[str] = []
