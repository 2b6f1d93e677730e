"""The catalog's read-only ``name -> item`` mappings (:mod:`restquery.catalog`)."""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _V = TypeVar("_V")

__all__ = ["Names"]


class Names(Mapping[str, "_V"]):
    """Read-only, hashable ``name -> item`` mapping that keeps document order."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, _V]] = ()) -> None:
        self._items: dict[str, _V] = dict(items)

    def __getitem__(self, name: str) -> _V:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    # The dict's own views and look-ups, not the Mapping mixins' (read on every validation).
    def __contains__(self, name: object) -> bool:
        return name in self._items

    def get(self, name: str, default: Any = None) -> Any:
        return self._items.get(name, default)

    def keys(self) -> KeysView[str]:
        return self._items.keys()

    def values(self) -> ValuesView[_V]:
        return self._items.values()

    def items(self) -> ItemsView[str, _V]:
        return self._items.items()

    def __hash__(self) -> int:
        return hash(frozenset(self._items))

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {v!r}" for k, v in self._items.items()) + "}"
