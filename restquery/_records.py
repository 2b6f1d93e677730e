"""``NamedTuple`` without :mod:`typing`: the same class statement makes the same class.

Modules write ``from typing import NamedTuple`` under ``TYPE_CHECKING`` (mypy reads that) and
take this one at run time; :mod:`typing` costs more to import than most of restquery.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_SKIP = frozenset({"__annotations__", "__module__", "__qualname__", "__dict__", "__weakref__"})


class _Maker(type):
    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if not bases:
            return super().__new__(mcls, name, bases, ns)
        annotations: dict[str, Any] = ns.get("__annotations__", {})
        fields = [f for f in annotations if not str(annotations[f]).startswith("ClassVar")]
        defaults = [ns[f] for f in fields if f in ns]
        cls: Any = namedtuple(name, fields, defaults=defaults, module=ns.get("__module__"))  # type: ignore[misc]
        cls.__qualname__ = ns.get("__qualname__", name)
        for key, value in ns.items():
            if key not in _SKIP and key not in fields:
                setattr(cls, key, value)
        cls.__annotations__ = annotations
        return cls


class NamedTuple(metaclass=_Maker):
    """Subclass it as :class:`typing.NamedTuple`: annotated fields, defaults, methods."""


# ---------------------------------------------------------------------------------------------
# record: dataclass(frozen=True, slots=True, kw_only=True) without importing dataclasses
# ---------------------------------------------------------------------------------------------

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar
    from typing import dataclass_transform as dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_: object) -> Callable[[type], type]:
        """typing.dataclass_transform, which only tells mypy something: nothing at run time."""
        return lambda cls: cls


_MISSING = object()


class _Spec:
    __slots__ = ("compare", "default", "factory", "init", "repr")

    def __init__(
        self, default: Any, factory: Any, compare: bool, repr: bool, init: bool = True
    ) -> None:
        self.default = default
        self.factory = factory
        self.compare = compare
        self.repr = repr
        self.init = init


def field(
    *,
    default: Any = _MISSING,
    default_factory: Any = _MISSING,
    compare: bool = True,
    repr: bool = True,
    init: bool = True,
    hash: bool | None = None,
) -> Any:
    """:func:`dataclasses.field` for :func:`record` classes (``hash`` follows ``compare``)."""
    return _Spec(default, default_factory, compare, repr, init)


class _Fields:
    """``__dataclass_fields__``, made on first use (``dataclasses.replace()``, ``fields()`` and
    ``asdict()`` read it), so that defining a record does not import :mod:`dataclasses`."""

    def __get__(self, instance: object, cls: Any) -> dict[str, Any]:
        import dataclasses

        made: dict[str, Any] = {}
        for name, spec in cls._record_fields:
            f: Any = dataclasses.field(
                default=dataclasses.MISSING if spec.default is _MISSING else spec.default,
                default_factory=dataclasses.MISSING if spec.factory is _MISSING else spec.factory,
                compare=spec.compare,
                repr=spec.repr,
                init=spec.init,
                kw_only=True,
            )
            f.name = name
            f.type = cls.__annotations__.get(name)
            f._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
            made[name] = f
        cls.__dataclass_fields__ = made  # kept on the class (threads racing make equal ones)
        return made


def _frozen(self: Any, name: str, value: Any = None) -> None:
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _constructor(qualname: str, specs: list[tuple[str, _Spec]], post_init: Any) -> Any:
    """A keyword-only ``__init__`` written out for the fields (a generic loop over them costs
    twice as much), compiled once and cached as restquery.ast's constructors are."""
    from restquery._nodes import _compiled

    env: dict[str, Any] = {"_set": object.__setattr__, "_post": post_init, "_FACTORY": _MISSING}
    params, body = [], []
    for i, (name, spec) in enumerate(specs):
        if spec.init:
            if spec.factory is not _MISSING:
                params.append(f"{name}=_FACTORY")
                env[f"_f{i}"] = spec.factory
                body.append(f"    _set(self, {name!r}, _f{i}() if {name} is _FACTORY else {name})")
            else:
                if spec.default is not _MISSING:
                    env[f"_d{i}"] = spec.default
                params.append(name if spec.default is _MISSING else f"{name}=_d{i}")
                body.append(f"    _set(self, {name!r}, {name})")
        elif spec.factory is not _MISSING:
            env[f"_f{i}"] = spec.factory
            body.append(f"    _set(self, {name!r}, _f{i}())")
        elif spec.default is not _MISSING:
            env[f"_d{i}"] = spec.default
            body.append(f"    _set(self, {name!r}, _d{i})")
        # else: a field left to __post_init__ (init=False)
    if post_init is not None:
        body.append("    _post(self)")
    signature = ", ".join(["self", "*", *params]) if params else "self"
    source = (
        f"def _make({', '.join(env)}):\n"
        f"  def __init__({signature}):\n"
        + "".join(f"  {line}\n" for line in body or ["    pass"])
        + "  return __init__\n"
    )
    made: dict[str, Any] = {}
    exec(_compiled(source), made)  # noqa: S102 - made of field names only
    init = made["_make"](**env)
    init.__qualname__ = f"{qualname}.__init__"
    return init


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """Remake ``cls`` as ``dataclass(frozen=True, slots=True, kw_only=True)`` would: slots for
    the annotated fields, a keyword-only constructor (defaults, ``default_factory``, then
    ``__post_init__``), equality, hashing and ``repr()`` over the fields ``compare`` and
    ``repr`` keep, no assignment, pickling. :mod:`dataclasses` is imported only when its
    functions are used on an instance."""
    ns = dict(cls.__dict__)
    for name in ("__dict__", "__weakref__"):
        ns.pop(name, None)
    specs: list[tuple[str, _Spec]] = []
    for name, annotation in ns.get("__annotations__", {}).items():
        if str(annotation).startswith("ClassVar"):
            continue
        value = ns.pop(name, _MISSING)
        specs.append((name, value if isinstance(value, _Spec) else _Spec(value, _MISSING, True, True)))
    names = tuple(name for name, _ in specs)
    compared = tuple(name for name, s in specs if s.compare)
    shown = tuple(name for name, s in specs if s.repr)
    post_init = ns.get("__post_init__")
    setter = object.__setattr__

    __init__ = _constructor(cls.__qualname__, specs, post_init)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return all(getattr(self, n) == getattr(other, n) for n in compared)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(tuple(getattr(self, n) for n in compared))

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{type(self).__qualname__}({inner})"

    def __getstate__(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, n) for n in names)

    def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
        for n, v in zip(names, state):
            setter(self, n, v)

    made = {
        "__init__": __init__, "__eq__": __eq__, "__hash__": __hash__, "__repr__": __repr__,
        "__getstate__": __getstate__, "__setstate__": __setstate__,
        "__setattr__": _frozen, "__delattr__": _frozen,
    }
    for key, fn in made.items():
        if key in ns and key not in ("__init__",):
            continue  # the class's own
        fn.__qualname__ = f"{cls.__qualname__}.{key}"
        ns[key] = fn
    ns["__slots__"] = names
    ns["__match_args__"] = ()
    ns["_record_fields"] = tuple(specs)
    ns["__dataclass_fields__"] = _Fields()
    maker: Any = type(cls)
    new: Any = maker(cls.__name__, cls.__bases__, ns)
    new.__qualname__ = cls.__qualname__
    made_class: type[T] = new
    return made_class
