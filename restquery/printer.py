"""``unparse()``: a tree back to its canonical URL.

Canonical spelling (what the identity fixture pins):

* The docs' raw style by default: spaces, quotes and ``@`` stay readable
  (``/rest/Employee?$filter="lastName='A@' AND salary>20000"``). Percent-encoding is used only
  where a character would otherwise change the structure: ``%`` before two hex digits
  (``%25``), a quote inside a value quoted with the same character (``%22``/``%27``), ``&`` in
  an unquoted value (``%26``), and control characters. ``encode=True`` instead gives the wire
  form that HTTP clients send, with everything outside RFC 3986's safe set percent-encoded.
* Path: ``/rest`` then ``/segment`` each; one trailing ``/`` when the tree records it. Keys
  keep their quoting; names, lists and paths are joined with ``,`` and ``.`` without spaces.
* Parameters in tree order, joined with ``&``; each value inside the quote the tree records.
* Filters: symbol comparators without spaces (``salary>20000``), word comparators and logical
  operators upper-case between single spaces (``lastName BEGIN j``, ``a=1 AND b=2``); operator
  spellings (``&&``, ``|``, ``#``, ``==``) are kept. Parentheses are printed where the tree
  records them and wherever precedence needs them, never elsewhere.
* Sort lists: ``path`` or ``path ASC|DESC``; ``$params`` as compact JSON with a single quote
  inside strings written ``\\u0027``.

A value that the language cannot spell, such as a text holding both a ``'`` and a space, raises
:class:`restquery.UnparseError`.

>>> import restquery
>>> restquery.unparse(restquery.parse('/rest/Employee?$filter="Quantity > 4 and b begin x"'))
'/rest/Employee?$filter="Quantity>4 AND b BEGIN x"'
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote as _quote

from restquery.ast import (
    AttributeItem,
    AttributeList,
    AttributePath,
    Boolean,
    BoolOp,
    CallSegment,
    Collection,
    Comparison,
    Date,
    EntitySetSegment,
    Filter,
    Integer,
    Key,
    KeySegment,
    KeywordSegment,
    LookupSegment,
    NamesSegment,
    Node,
    Not,
    Null,
    Number,
    Origin,
    Param,
    Params,
    Path,
    PathList,
    PathPart,
    Placeholder,
    RawValue,
    Request,
    SortList,
    Text,
    Word,
)
from restquery.errors import UnparseError

__all__ = ["unparse"]

_NAME = re.compile(r"[^\W\d]\w*")
_KEYWORD = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BARE = re.compile(r"[^\s'\"()&|:\[][^\s\"()&|]*")
_ITEM_BARE = re.compile(r"[^\s'\"()&|:\[\],][^\s\"()&|\],]*")
_BARE_KEY = re.compile(r"[^/?&()\[\],\"]+")
_SET_ID = re.compile(r"[^$\[\]/][^\[\]/]*")
_HEX_ESCAPE = re.compile(r"%(?=[0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Characters left as they are in encode=True mode, per component.
_SAFE_PATH = "$()[],:.*@!-_~'"
_SAFE_NAME = "$"
_SAFE_VALUE = "$()[],:.*@!-_~/=?"


def unparse(request: Request | Node, *, encode: bool = False) -> str:
    """The canonical URL of ``request`` (or of a parameter value node, printed alone).

    >>> import restquery
    >>> restquery.unparse(restquery.parse("/rest/Company(1)/?$attributes=name, staff.*"))
    '/rest/Company(1)/?$attributes=name,staff.*'
    >>> restquery.unparse(restquery.parse('/rest/People?$filter="name=\\'A@\\'"'), encode=True)
    '/rest/People?$filter=%22name=%27A@%27%22'
    """
    try:
        if isinstance(request, Request):
            return _request(request, encode)
        return _value(request)
    except UnparseError:
        raise
    except (TypeError, ValueError, AttributeError, UnicodeError) as exc:
        raise UnparseError(f"The tree cannot be printed: {exc}") from None


# ---------------------------------------------------------------------------------------------
# URL anatomy
# ---------------------------------------------------------------------------------------------


def _raw_escape(text: str, extra: str = "") -> str:
    """Doc-style escaping: only what would change the structure."""
    text = _HEX_ESCAPE.sub("%25", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: "%{:02X}".format(ord(m.group())), text)
    for ch in extra:
        if ch in text:
            text = text.replace(ch, "%{:02X}".format(ord(ch)))
    return text


def _request(req: Request, encode: bool) -> str:
    out = []
    if req.origin is not None:
        out.append(_origin(req.origin))
    out.append(_path(req.path, encode))
    if req.params:
        out.append("?")
        out.append("&".join(_param(p, encode) for p in req.params))
    return "".join(out)


def _origin(origin: Origin) -> str:
    if origin.placeholder is not None:
        return origin.placeholder
    text = ""
    if origin.scheme:
        text = origin.scheme + "://"
    text += origin.host or ""
    if origin.port is not None:
        text += f":{origin.port}"
    return text


def _path(path: Path, encode: bool) -> str:
    parts = ["/rest"] if path.prefix else []
    for seg in path.segments:
        text = _segment(seg)
        parts.append("/" + (_quote(text, safe=_SAFE_PATH) if encode else _raw_escape(text, "?")))
    text = "".join(parts)
    if path.trailing_slash:
        text += "/"
    return text


def _segment(seg: Node) -> str:
    if isinstance(seg, KeywordSegment):
        if not _KEYWORD.fullmatch(seg.keyword):
            raise UnparseError(f"{seg.keyword!r} is not a `$` path keyword.")
        return seg.keyword
    if isinstance(seg, NamesSegment):
        if not seg.paths:
            raise UnparseError("A names segment needs at least one name.")
        return ",".join(_seg_path(p) for p in seg.paths)
    if isinstance(seg, KeySegment):
        key = _key(seg.key)
        return f"{_name(seg.name)}[{key}]" if seg.brackets else f"{_name(seg.name)}({key})"
    if isinstance(seg, LookupSegment):
        return f"{_name(seg.name)}:{_name(seg.attribute)}({_key(seg.value)})"
    if isinstance(seg, CallSegment):
        if len(seg.args) < 2:
            raise UnparseError("A call segment needs at least two arguments; use KeySegment.")
        return f"{_name(seg.name)}({','.join(_key(a) for a in seg.args)})"
    if isinstance(seg, EntitySetSegment):
        if not _SET_ID.fullmatch(seg.id):
            raise UnparseError(f"{seg.id!r} cannot be written as an entity-set ID.")
        return seg.id + (f"[{_key(seg.key)}]" if seg.key is not None else "")
    raise UnparseError(f"{type(seg).__name__} is not a path segment.")


def _name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UnparseError(f"{name!r} is not a name (a letter or `_`, then letters or digits).")
    return name


def _seg_path(path: AttributePath) -> str:
    for part in path.parts:
        if part.index is not None or part.class_index is not None:
            raise UnparseError("Indexed path parts ([] and {n}) cannot appear in a URL path.")
    return _attribute_path(path)


def _key(key: Key) -> str:
    value = key.value
    if isinstance(value, bool):
        raise UnparseError("A key is a number or a text, not a boolean.")
    if isinstance(value, (int, float)):
        return key.raw if key.raw is not None and _same_number(key.raw, value) else _number(value)
    if not key.quoted and _BARE_KEY.fullmatch(value) and not _NUMBER.fullmatch(value):
        return value
    if '"' in value:
        value = value.replace('"', "%22")
    return f'"{value}"'


def _param(param: Param, encode: bool) -> str:
    if encode:
        name = _quote(param.name, safe=_SAFE_NAME)
    else:
        name = _raw_escape(param.name, "&=")
        if name.startswith("?"):
            name = "%3F" + name[1:]
    if param.value is None:
        return name
    text = _value(param.value)
    quote = param.quote
    if quote not in ("", '"', "'"):
        raise UnparseError(f"{quote!r} is not a quote character.")
    if encode:
        body = _quote(quote + text + quote, safe=_SAFE_VALUE)
        return f"{name}={body}" + ("/" if param.trailing_slash else "")
    if quote:
        body = quote + _raw_escape(text, quote) + quote
    else:
        if param.trailing_slash:
            raise UnparseError("A stray `/` can only follow a quoted value.")
        body = _raw_escape(text, "&")
        if body[:1] in ("'", '"'):
            body = "%{:02X}".format(ord(body[0])) + body[1:]
    return f"{name}={body}" + ("/" if param.trailing_slash else "")


# ---------------------------------------------------------------------------------------------
# Parameter values
# ---------------------------------------------------------------------------------------------


def _value(value: Node) -> str:
    if isinstance(value, Filter):
        return _expr(value.expr, 0, 0)
    if isinstance(value, SortList):
        if not value.items:
            raise UnparseError("A sort list needs at least one item.")
        return ",".join(
            _attribute_path(i.path) + (f" {_direction(i.direction)}" if i.direction else "")
            for i in value.items
        )
    if isinstance(value, AttributeList):
        if not value.items:
            raise UnparseError("An attribute list needs at least one item.")
        return ",".join(_attribute_item(i) for i in value.items)
    if isinstance(value, PathList):
        if not value.paths:
            raise UnparseError("$expand needs at least one attribute.")
        return ",".join(_attribute_path(p) for p in value.paths)
    if isinstance(value, Params):
        return _json(value)
    if isinstance(value, Integer):
        raw = value.raw
        if raw is not None and re.fullmatch(r"[+-]?[0-9]+", raw) and int(raw) == value.value:
            return raw
        return str(value.value)
    if isinstance(value, Boolean):
        raw = value.raw
        if raw is not None and raw.lower() == ("true" if value.value else "false"):
            return raw
        return "true" if value.value else "false"
    if isinstance(value, Word):
        return value.value
    if isinstance(value, RawValue):
        return value.text
    if isinstance(value, (Comparison, Not, BoolOp)):
        return _expr(value, 0, 0)
    raise UnparseError(f"{type(value).__name__} is not a parameter value.")


def _direction(direction: str) -> str:
    up = direction.upper()
    if up not in ("ASC", "DESC"):
        raise UnparseError(f"{direction!r} is not a sort direction (ASC or DESC).")
    return up


def _attribute_item(item: AttributeItem) -> str:
    if item.path is None:
        if not item.star:
            raise UnparseError("An attribute item needs a path or a star.")
        return "*"
    return _attribute_path(item.path) + (".*" if item.star else "")


def _attribute_path(path: AttributePath) -> str:
    if not path.parts:
        raise UnparseError("An attribute path needs at least one name.")
    return ".".join(_path_part(p) for p in path.parts)


def _path_part(part: PathPart) -> str:
    text = _name(part.name)
    if part.index is not None:
        if not re.fullmatch(r"[A-Za-z]?", part.index):
            raise UnparseError(f"{part.index!r} is not a collection index (empty or one letter).")
        text += f"[{part.index}]"
    if part.class_index is not None:
        if part.class_index < 0:
            raise UnparseError("A class index is a non-negative integer.")
        text += f"{{{part.class_index}}}"
    return text


def _json(value: Params) -> str:
    payload: Any = list(value.items) if value.value_is_array else (
        value.items[0] if len(value.items) == 1 else None
    )
    if not value.value_is_array and len(value.items) != 1:
        raise UnparseError("A non-array $params value holds exactly one item.")
    if value.relaxed:
        text = _relaxed_json(payload)
    else:
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("'", "\\u0027")


def _relaxed_json(data: Any) -> str:
    if isinstance(data, dict):
        pairs = []
        for key, val in data.items():
            key_text = key if _NAME.fullmatch(key) and key not in ("true", "false", "null") else (
                json.dumps(key, ensure_ascii=False)
            )
            pairs.append(f"{key_text}:{_relaxed_json(val)}")
        return "{" + ",".join(pairs) + "}"
    if isinstance(data, list):
        return "[" + ",".join(_relaxed_json(v) for v in data) + "]"
    return json.dumps(data, ensure_ascii=False, allow_nan=False)


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------

_LEVEL = {"OR": 1, "EXCEPT": 1, "AND": 2}


def _level(node: Node) -> int:
    if isinstance(node, BoolOp):
        return _LEVEL[node.kind]
    if isinstance(node, Not):
        return 3
    return 4


def _expr(node: Node, parent_level: int, position: int, parent_op: str | None = None) -> str:
    if isinstance(node, Comparison):
        body = _comparison(node)
    elif isinstance(node, Not):
        operand = node.operand
        needs = isinstance(operand, BoolOp) and not operand.parens
        inner = _expr(operand, 3, 0)
        body = "NOT " + (f"({inner})" if needs else inner)
    elif isinstance(node, BoolOp):
        if node.op not in ("AND", "&", "&&", "OR", "|", "||", "EXCEPT"):
            raise UnparseError(f"{node.op!r} is not a logical operator.")
        if not node.operands:
            raise UnparseError("A logical operator needs operands.")
        level = _LEVEL[node.kind]
        if len(node.operands) == 1:
            return _expr(node.operands[0], parent_level, position, parent_op)
        body = f" {node.op} ".join(
            _expr(child, level, i, node.op) for i, child in enumerate(node.operands)
        )
    else:
        raise UnparseError(f"{type(node).__name__} is not a filter expression.")
    parens = getattr(node, "parens", 0)
    if not parens and _needs_parens(node, parent_level, position, parent_op):
        parens = 1
    return "(" * parens + body + ")" * parens


def _needs_parens(node: Node, parent_level: int, position: int, parent_op: str | None) -> bool:
    if parent_level == 0:
        return False
    level = _level(node)
    if level < parent_level:
        return True
    if level == parent_level and isinstance(node, BoolOp):
        # Left-associative: a nested run on the left only needs parentheses when it would
        # merge into the parent's run; anything nested on the right always does.
        return position > 0 or node.op == parent_op
    return False


def _comparison(node: Comparison) -> str:
    left = node.left
    if isinstance(left, Placeholder):
        left_text = _placeholder(left)
    elif isinstance(left, AttributePath):
        left_text = _attribute_path(left)
    else:
        raise UnparseError(f"{type(left).__name__} cannot stand left of a comparator.")
    op = node.op
    right = _operand_value(node.right, collection=False)
    if op in ("BEGIN", "IN", "IS", "IS NOT"):
        return f"{left_text} {op} {right}"
    if op not in ("=", "==", "===", "!=", "#", "!==", "<", "<=", ">", ">=", "%"):
        raise UnparseError(f"{op!r} is not a comparator.")
    if right[:1] in "=!<>#%" and right:
        return f"{left_text}{op} {right}"
    return f"{left_text}{op}{right}"


def _placeholder(node: Placeholder) -> str:
    if node.index is not None:
        if node.index < 0:
            raise UnparseError("A placeholder index is a non-negative integer.")
        return f":{node.index}"
    if node.name is None or not _NAME.fullmatch(node.name):
        raise UnparseError("A placeholder needs an index or a name.")
    return f":{node.name}"


def _operand_value(node: Node, *, collection: bool) -> str:
    if isinstance(node, Text):
        return _text(node, collection)
    if isinstance(node, Number):
        raw = node.raw
        if raw is not None and _NUMBER.fullmatch(raw) and _same_number(raw, node.value):
            return raw
        return _number(node.value)
    if isinstance(node, Date):
        return node.value.isoformat()
    if isinstance(node, Boolean):
        return "true" if node.value else "false"
    if isinstance(node, Null):
        return "null"
    if isinstance(node, Placeholder):
        return _placeholder(node)
    if isinstance(node, Collection):
        if collection:
            raise UnparseError("Collections cannot be nested.")
        return "[" + ",".join(_operand_value(i, collection=True) for i in node.items) + "]"
    raise UnparseError(f"{type(node).__name__} is not a filter value.")


def _text(node: Text, collection: bool) -> str:
    value = node.value
    pattern = _ITEM_BARE if collection else _BARE
    bare_ok = (
        bool(pattern.fullmatch(value))
        and not _NUMBER.fullmatch(value)
        and not _DATE.fullmatch(value)
        and value not in ("true", "false", "null")
    )
    if not node.quoted and bare_ok:
        return value
    if "'" not in value:
        return f"'{value}'"
    if collection:
        return json.dumps(value, ensure_ascii=False)
    if bare_ok:
        return value
    raise UnparseError(
        f"The text {value!r} holds a single quote and cannot be written in a filter;"
        " pass it through a placeholder and $params."
    )


def _number(value: int | float) -> str:
    if isinstance(value, bool):
        raise UnparseError("A boolean is not a number.")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise UnparseError(f"{value!r} cannot be written in a URL.")
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def _same_number(raw: str, value: int | float) -> bool:
    try:
        return float(raw) == value if "." in raw else int(raw) == value
    except ValueError:
        return False


