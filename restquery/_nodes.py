"""How the classes of :mod:`restquery.ast` are made.

``@node`` remakes a class as ``dataclass(frozen=True, slots=True)`` would, at a fraction of the
import cost: slots for the annotated fields, a constructor written out for them (keyword or
positional, in the order of the class body, ``span`` last), equality, hashing and ``repr()``
over the fields not marked ``compare=False``, and the child accessor ``walk()`` uses.
:mod:`dataclasses` is imported only when its functions are used on a node.
"""

from __future__ import annotations

from operator import attrgetter

from restquery._records import dataclass_transform

# typing is not imported at run time; mypy reads the TYPE_CHECKING branch.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    N = TypeVar("N")


REQUIRED = object()
_SETATTR = object.__setattr__
_DELATTR = object.__delattr__
# A field holds children when its annotation names a node class or a union of them (Expr,
# Value): any capitalised name but these. Children are what walk() descends into.
_NOT_NODES = frozenset({"Any", "None", "Span", "ClassVar"})


class Default:
    __slots__ = ("compare", "default")

    def __init__(self, default: Any, compare: bool) -> None:
        self.default = default
        self.compare = compare


def field(*, default: Any, compare: bool = True) -> Any:
    """A field's default, with ``compare=False`` for what equality, hashing and ``repr()``
    leave out (spans, raw lexemes, parentheses)."""
    return Default(default, compare)


class Field:
    __slots__ = ("annotation", "child", "compare", "default", "many", "name", "optional")

    def __init__(self, name: str, annotation: str, default: Any) -> None:
        self.name = name
        self.annotation = annotation
        self.compare = not isinstance(default, Default) or default.compare
        self.default = default.default if isinstance(default, Default) else default
        words = annotation.replace("[", " ").replace("]", " ").replace("|", " ").split()
        names = {w.rstrip(",").rsplit(".", 1)[-1] for w in words}
        self.child = any(n[:1].isupper() and n not in _NOT_NODES for n in names)
        self.many = annotation.startswith("tuple[")
        self.optional = "None" in names


# The span is kept as one integer, start << 32 | end (the node's span property makes the Span
# when asked): a tuple and its two integers take four times the memory. A packed integer is
# kept as given, and so is None, which a class with ``_span_from`` reads as "from the start of
# its first child to the end of its last" (the parser leaves those spans to be derived). Other
# values are kept as given.
_INIT_SPAN = """\
    if span.__class__ is int or span is None:
        _set_span(self, span)
    else:
        try:
            _a, _b = span
            _p = _a << 32 | _b
        except (TypeError, ValueError):
            _p = None
        _set_span(self, _p if _p.__class__ is int and 0 <= _b <= 0xFFFFFFFF else span)
"""


def build(cls: Any, fields: tuple[Field, ...], order: tuple[str, ...] | None) -> None:
    """Give ``cls`` a constructor and a child accessor written out for its fields, as
    dataclasses does: a generic loop costs several times as much per node."""
    env: dict[str, Any] = {"_set_span": cls._span.__set__}
    params, body = [], []
    for i, f in enumerate(fields):
        params.append(f.name if f.default is REQUIRED else f"{f.name}=_d{i}")
        env[f"_d{i}"] = f.default
        if f.name == "span":
            body.append(_INIT_SPAN)
        else:
            env[f"_s{i}"] = getattr(cls, f.name).__set__  # past the frozen __setattr__
            body.append(f"    _s{i}(self, {f.name})\n")
    src = [f"def __init__({', '.join(['self', *params])}):\n", *body]
    # The children come last first, ready to be pushed on a stack.
    by_name = {f.name: f for f in fields}
    kids = [by_name[n] for n in order] if order else [f for f in fields if f.child]
    kids.reverse()
    if len(kids) == 1 and kids[0].many:
        src.append(f"def _children(node):\n    return node.{kids[0].name}[::-1]\n")
    elif kids and not any(f.many or f.optional for f in kids):
        items = "".join(f"node.{f.name}, " for f in kids)
        src.append(f"def _children(node):\n    return ({items})\n")
    elif kids:
        src.append("def _children(node):\n    out = []\n")
        for f in kids:
            if f.many:
                src.append(f"    out += node.{f.name}[::-1]\n")
            elif f.optional:
                src.append(f"    if node.{f.name} is not None:\n")
                src.append(f"        out.append(node.{f.name})\n")
            else:
                src.append(f"    out.append(node.{f.name})\n")
        src.append("    return out\n")
    # The parser's constructor, ``cls._new(*fields, span)``: every field positional, the span
    # packed (or None), no checks. It fills a twin class of the same layout, whose slots take
    # plain assignment, and then gives the object its real class: a frozen class can only be
    # written through its slot descriptors, which costs three times as much.
    twin = type(
        cls.__name__,
        cls.__bases__,
        {"__slots__": cls.__slots__, "__setattr__": _SETATTR, "__delattr__": _DELATTR},
    )
    env.update(_alloc=object.__new__, _Twin=twin, _Cls=cls)
    names = [f.name for f in fields]
    src.append(f"def _new({', '.join(names)}):\n    o = _alloc(_Twin)\n")
    src.extend(
        f"    o.{'_span' if n == 'span' else n} = {n}\n" for n in names
    )
    src.append("    o.__class__ = _Cls\n    return o\n")
    _PENDING.append((cls, env, src, bool(kids)))
    if _FINISHED:
        finish()


# The classes built but not yet given their functions. Compiling one source for all of them
# (finish(), at the end of restquery.ast) costs a fraction of one compile per class.
_PENDING: list[tuple[Any, dict[str, Any], list[str], bool]] = []
_FINISHED: list[bool] = []


def _compiled(source: str) -> Any:
    """``source`` compiled, from the per-user cache when it holds it (as Python keeps the
    bytecode of a module: compiling it costs more than the rest of the import)."""
    import marshal
    import sys
    import zlib

    from restquery.syntax.grammar import cache_dir

    tag = sys.implementation.cache_tag
    base = cache_dir()
    path = None
    if base is not None and tag:
        import os

        path = os.path.join(base, f"nodes-{zlib.crc32(source.encode()):08x}-{tag}.code")
        try:
            with open(path, "rb") as f:
                code = marshal.loads(f.read())
            if code.co_filename == _FILENAME:
                return code
        except (OSError, ValueError, EOFError, TypeError, AttributeError):
            pass
    code = compile(source, _FILENAME, "exec")
    if path is not None:
        import os

        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as f:
                f.write(marshal.dumps(code))
            os.replace(tmp, path)
        except OSError:
            pass
    return code


_FILENAME = "<restquery.ast nodes>"


def finish() -> None:
    """Compile the functions of every class built so far, in one source, and install them."""
    pending = _PENDING[:]
    del _PENDING[:]
    _FINISHED[:] = [True]
    source = []
    for i, (_, env, src, kids) in enumerate(pending):
        source.append(f"def _make{i}({', '.join(env)}):\n")
        source.extend("    " + line.replace("\n    ", "\n        ") for line in src)
        source.append(f"    return __init__, {'_children' if kids else 'None'}, _new\n")
    made: dict[str, Any] = {}
    exec(_compiled("".join(source)), made)  # noqa: S102 - made of field names only
    for i, (cls, env, _, _) in enumerate(pending):
        init, children, new = made[f"_make{i}"](**env)
        for fn, name in ((init, "__init__"), (children, "_children"), (new, "_new")):
            if fn is not None:
                fn.__qualname__ = f"{cls.__qualname__}.{name}"
        cls.__init__ = init
        cls._new = staticmethod(new)
        if children is not None:
            cls._children = staticmethod(children)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def node(cls: type[N]) -> type[N]:
    """Make ``cls`` a node class: slotted, with a constructor written for its fields (the
    annotated names in the order of the class body, ``span`` last), as
    ``dataclass(slots=True)`` remakes a class. No metaclass: one makes every ``isinstance()``
    against a node class several times slower."""
    base: tuple[Field, ...] = cls._fields  # type: ignore[attr-defined]
    ns = dict(cls.__dict__)
    for name in ("__dict__", "__weakref__"):
        ns.pop(name, None)
    inherited = [f for f in base if f.name != "span"]
    own = []
    span = base[-1]  # the base's, unless the class declares its own
    for name, annotation in ns.get("__annotations__", {}).items():
        if not annotation.startswith("ClassVar"):
            f = Field(name, annotation, ns.pop(name, REQUIRED))
            if name == "span":
                span = f
            else:
                own.append(f)
    ns["__slots__"] = tuple(f.name for f in own)
    new = type(cls.__name__, cls.__bases__, ns)
    setup(new, (*inherited, *own, span), ns.get("_walk_order"))
    return new


def setup(cls: Any, fields: tuple[Field, ...], order: tuple[str, ...] | None) -> None:
    compared = tuple(f.name for f in fields if f.compare)
    facts = {
        "_fields": fields,
        "_compared": compared,
        # Nodes without compared fields (Null) are equal when their classes are.
        "_key": attrgetter(*compared) if compared else attrgetter("__class__"),
        "_data": tuple(f.name for f in fields if f.name != "span"),
        "__match_args__": tuple(f.name for f in fields),
    }
    for name, value in facts.items():
        setattr(cls, name, value)
    build(cls, fields, order)


class DataclassFields:
    """``dataclasses.fields()``, ``replace()`` and ``is_dataclass()`` read
    ``__dataclass_fields__``. It is made on first use, so that importing the tree does not
    import :mod:`dataclasses`, and kept on the class (threads racing make equal ones)."""

    def __get__(self, instance: object, cls: Any) -> dict[str, Any]:
        import dataclasses

        twin = dataclasses.make_dataclass(
            cls.__name__,
            [
                (
                    f.name,
                    f.annotation,
                    dataclasses.field(
                        default=dataclasses.MISSING if f.default is REQUIRED else f.default,
                        compare=f.compare,
                        repr=f.compare,
                    ),
                )
                for f in cls._fields
            ],
            frozen=True,
        )
        fields: dict[str, Any] = twin.__dataclass_fields__  # type: ignore[attr-defined]
        cls.__dataclass_fields__ = fields
        return fields


def rebuild(cls: type[N], args: tuple[Any, ...]) -> N:
    """Unpickle a node (its ``__reduce__`` gives the fields in order)."""
    return cls(*args)
