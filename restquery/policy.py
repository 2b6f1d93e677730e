"""What a server lets its clients ask, beyond what is well formed: :class:`Policy`, the same for
``validate``, ``check``, ``lint``, the middlewares, the proxy and the builder.

>>> import restquery
>>> policy = Policy(max_top=1000, deny_methods=("delete",))
>>> [(d.code, d.message) for d in restquery.validate("/rest/Employee?$top=5000", policy=policy)]
[('RQ501', '`$top=5000` exceeds max_top = 1000.')]

A policy is read from ``[policy]`` of a ``restquery.toml`` or ``[tool.restquery.policy]`` of a
``pyproject.toml`` (:meth:`Policy.from_toml`), or built in code. Each limit has its own code,
an error whose message names the key and its value; unknown keys and values of the wrong type
are a :class:`PolicyError` naming the file, the table and the key. ``docs/policy.md`` lists
every key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from restquery.ast import BoolOp, NamesSegment, Not, Request, Span
from restquery.diagnostics import Diagnostic
from restquery.errors import RestQueryError
from restquery.params import canonical_name

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time

if TYPE_CHECKING:
    from restquery.shape import Shape

__all__ = ["POLICY_CODES", "POLICY_EXAMPLES", "QUOTA_CODES", "Policy", "PolicyError", "policy_argument"]


class PolicyError(RestQueryError):
    """A policy that cannot be used: an unknown key, a value of the wrong type."""


#: code -> (name, key, summary): one code per key of :class:`Policy`.
POLICY_CODES: dict[str, tuple[str, str, str]] = {
    "RQ501": ("top-exceeds-policy", "max_top", "`$top` asks for more entities than the policy allows."),
    "RQ502": ("top-required", "require_top", "A collection read without `$top`, which the policy requires."),
    "RQ503": ("skip-exceeds-policy", "max_skip", "`$skip` goes further than the policy allows."),
    "RQ504": ("filter-too-large", "max_filter_nodes", "`$filter` has more comparisons and operators than allowed."),
    "RQ505": ("filter-too-deep", "max_filter_depth", "`$filter` nests deeper than the policy allows."),
    "RQ506": ("expand-exceeds-policy", "max_expand", "`$expand` names more attributes than allowed."),
    "RQ507": ("timeout-exceeds-policy", "max_timeout", "`$timeout` keeps an entity set longer than allowed."),
    "RQ508": ("url-too-long", "max_url_length", "The URL is longer than the policy allows."),
    "RQ509": ("dataclass-not-allowed", "allow_dataclasses", "The dataclass is not one the policy opens."),
    "RQ510": ("function-not-allowed", "allow_functions", "The class function is not one the policy opens."),
    "RQ511": ("parameter-denied", "deny_parameters", "A parameter the policy denies."),
    "RQ512": ("method-denied", "deny_methods", "A `$method` value the policy denies."),
    "RQ513": ("http-method-denied", "allow_http_methods", "An HTTP method the policy does not allow."),
    "RQ520": ("permission-denied", "role", "The role may not do what the request asks (`roles.json`)."),
    "RQ521": ("entity-set-quota", "max_entity_sets",
              "The client already holds as many entity sets as the policy allows (a server's count: 429)."),
}
_BY_KEY = {key: code for code, (_name, key, _summary) in POLICY_CODES.items()}

#: code -> (the policy, as TOML, the method and the URL of a request it refuses), for
#: ``docs/rules.md``; ``tests/test_policy.py`` checks each draws its code.
POLICY_EXAMPLES: dict[str, tuple[str, str, str]] = {
    "RQ501": ("max_top = 1000", "GET", "/rest/Employee?$top=5000"),
    "RQ502": ("require_top = true", "GET", "/rest/Employee"),
    "RQ503": ("max_skip = 100000", "GET", "/rest/Employee?$top=10&$skip=500000"),
    "RQ504": ("max_filter_nodes = 2", "GET", '/rest/Employee?$filter="a=1 AND b=2 AND c=3"'),
    "RQ505": ("max_filter_depth = 2", "GET", '/rest/Employee?$filter="a=1 OR (b=2 AND (c=3 OR d=4))"'),
    "RQ506": ("max_expand = 1", "GET", "/rest/Employee(1)?$expand=manager,employer"),
    "RQ507": ("max_timeout = 600", "GET", "/rest/Employee?$method=entityset&$timeout=3600"),
    "RQ508": ("max_url_length = 30", "GET", '/rest/Employee?$filter="lastName=Smith"'),
    "RQ509": ('allow_dataclasses = ["Employee"]', "GET", "/rest/Payroll"),
    "RQ510": ('allow_functions = ["Employee.getHighSalaries"]', "POST", "/rest/Employee/fireEveryone"),
    "RQ511": ('deny_parameters = ["$lock"]', "GET", "/rest/Employee(1)?$lock=true"),
    "RQ512": ('deny_methods = ["delete"]', "POST", "/rest/Employee(1)?$method=delete"),
    "RQ513": ('allow_http_methods = ["GET", "POST"]', "PUT", "/rest/Employee(1)"),
    "RQ520": ('roles = "roles.json"\nrole = "guest"', "GET", "/rest/Employee?$top=1"),
    "RQ521": ("max_entity_sets = 2", "GET", "/rest/Employee?$method=entityset"),
}

#: Codes only a server draws, from its own count (restquery.integrations._quota), never
#: ``validate`` from the URL: the HTTP status they are answered with.
QUOTA_CODES: dict[str, int] = {"RQ521": 429}

_INTS = ("max_top", "max_skip", "max_filter_nodes", "max_filter_depth", "max_expand", "max_timeout",
         "max_url_length", "max_entity_sets")
_LISTS = ("allow_dataclasses", "deny_dataclasses", "allow_functions", "deny_parameters", "deny_methods",
          "allow_http_methods")


@dataclasses.dataclass(frozen=True)
class Policy:
    """The limits and allow-lists of a server (``None``: no limit, every name allowed)."""

    max_top: int | None = None
    require_top: bool = False
    max_skip: int | None = None
    max_filter_nodes: int | None = None
    max_filter_depth: int | None = None
    max_expand: int | None = None
    max_timeout: int | None = None
    max_url_length: int | None = None
    #: a quota, counted by the middlewares and the proxy per client (integrations._quota)
    max_entity_sets: int | None = None
    allow_dataclasses: tuple[str, ...] | None = None
    deny_dataclasses: tuple[str, ...] = ()
    allow_functions: tuple[str, ...] | None = None
    deny_parameters: tuple[str, ...] = ()
    deny_methods: tuple[str, ...] = ()
    allow_http_methods: tuple[str, ...] | None = None
    #: 4D's ``roles.json`` (a path, or its content), and the role whose permissions apply
    roles: str | Mapping[str, Any] | None = None
    role: str | None = None

    def __post_init__(self) -> None:
        if (self.roles is None) != (self.role is None):
            raise PolicyError("roles and role go together: the permissions of which role?")
        if self.roles is not None:
            object.__setattr__(self, "_permissions", Permissions.load(self.roles, self.role or ""))
        else:
            object.__setattr__(self, "_permissions", None)
        self._check_types()

    def _check_types(self) -> None:
        for key in _INTS:
            value = getattr(self, key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise PolicyError(f"{key} must be a whole number of 0 or more, not {value!r}")
        if not isinstance(self.require_top, bool):
            raise PolicyError(f"require_top must be true or false, not {self.require_top!r}")
        for key in _LISTS:
            value = getattr(self, key)
            if value is None:
                continue
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise PolicyError(f"{key} must be a list of names, not {value!r}")
            object.__setattr__(self, key, tuple(value))

    # --- loading ---------------------------------------------------------------------------

    @classmethod
    def from_toml(cls, path: str | Path) -> Policy:
        """The ``[policy]`` table of a ``restquery.toml``, or ``[tool.restquery.policy]`` of a
        ``pyproject.toml``."""
        import sys

        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise PolicyError(f"{path}: cannot be read: {err.strerror or err}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise PolicyError(f"{path}: not valid TOML: {err}") from None
        if path.name == "pyproject.toml":
            table, where = data.get("tool", {}).get("restquery", {}).get("policy"), "[tool.restquery.policy]"
        else:
            table, where = data.get("policy"), "[policy]"
        if table is None:
            raise PolicyError(f"{path}: no {where} table")
        return cls.from_dict(table, f"{path}: {where}", path.parent)

    @classmethod
    def from_dict(cls, table: Mapping[str, Any], where: str = "policy", base: Path | None = None) -> Policy:
        """A policy from the keys of a TOML table; an unknown key or a wrong value is a
        :class:`PolicyError` naming ``where`` and the key."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise PolicyError(f"{where}: unknown key {unknown[0]} (known: {', '.join(sorted(known))})")
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
        roles = values.get("roles")
        if isinstance(roles, str) and base is not None and not Path(roles).is_absolute():
            values["roles"] = str(base / roles)
        try:
            return cls(**values)
        except PolicyError as err:
            raise PolicyError(f"{where}: {err}") from None

    # --- checking --------------------------------------------------------------------------

    def check(
        self, request: Request, url: str | None = None, method: str | None = None, shape: Shape | None = None
    ) -> list[Diagnostic]:
        """The diagnostics of ``request`` (parsed from ``url``, sent with ``method``) against
        this policy, in the order of its keys. ``shape`` is the request's classified path
        (:func:`restquery.shape.classify`), when the caller has it already."""
        if shape is None:
            from restquery.shape import classify

            shape = classify(request)
        return list(self._check(request, url, method or request.method, shape))

    def over_quota(self, request: Request, held: int) -> Diagnostic:
        """RQ521 for ``request``, which would make ``held + 1`` entity sets for its client."""
        p = request.param("$method")
        return self._at("max_entity_sets", p.span if p is not None else request.span,
                        f"The client holds {held} entity sets; max_entity_sets = {self.max_entity_sets}.",
                        "$method", "release an entity set ($method=release), or wait for one to expire")

    def _at(self, key: str, span: Span, message: str, param: str | None = None, hint: str | None = None) -> Diagnostic:
        code = _BY_KEY[key]
        return Diagnostic(code=code, name=POLICY_CODES[code][0], severity="error", message=message,
                          span=span, param=param, hint=hint)

    def _check(self, request: Request, url: str | None, method: str | None, shape: Shape) -> Iterator[Diagnostic]:
        params = {p.canonical: p for p in request.params if p.canonical}
        whole = request.span
        for key, name in (("max_top", "$top"), ("max_skip", "$skip"), ("max_timeout", "$timeout")):
            limit = getattr(self, key)
            p = params.get(name) or (params.get("$limit") if name == "$top" else None)
            value = getattr(p.value, "value", None) if p is not None else None
            if limit is not None and isinstance(value, int) and value > limit:
                yield self._at(key, p.span, f"`{p.name}={value}` exceeds {key} = {limit}.", name,  # type: ignore[union-attr]
                               f"ask for {limit} or fewer" if key != "max_timeout" else f"keep it {limit} s or less")
        # a read of the collection's entities: not a $method (an entity set made, which the
        # server pages itself and $top does not bound, R31), nor a count or a computation
        reads = shape.form == "P1" and not {"$method", "$compute", "$distinct", "$count"} & set(params)
        if self.require_top and "$top" not in params and "$limit" not in params and reads:
            yield self._at("require_top", whole, "A collection is read without `$top`, which require_top = true demands.",
                           None, "add $top")
        flt = params.get("$filter")
        expr = getattr(flt.value, "expr", None) if flt is not None else None
        if expr is not None and flt is not None:
            nodes, depth = _size(expr)
            if self.max_filter_nodes is not None and nodes > self.max_filter_nodes:
                yield self._at("max_filter_nodes", flt.span,
                               f"`$filter` has {nodes} comparisons and operators; max_filter_nodes = {self.max_filter_nodes}.",
                               "$filter")
            if self.max_filter_depth is not None and depth > self.max_filter_depth:
                yield self._at("max_filter_depth", flt.span,
                               f"`$filter` nests {depth} levels deep; max_filter_depth = {self.max_filter_depth}.",
                               "$filter")
        expand = params.get("$expand")
        paths = getattr(expand.value, "paths", ()) if expand is not None else ()
        if self.max_expand is not None and expand is not None and len(paths) > self.max_expand:
            yield self._at("max_expand", expand.span,
                           f"`$expand` names {len(paths)} attributes; max_expand = {self.max_expand}.", "$expand")
        if self.max_url_length is not None and url is not None and len(url) > self.max_url_length:
            yield self._at("max_url_length", Span(0, len(url)),
                           f"The URL is {len(url)} characters long; max_url_length = {self.max_url_length}.")
        first = shape.dataclass_segment
        dataclass = shape.dataclass if shape.resource == "dataclass" else None
        function = _function(shape, method)
        if dataclass is not None and first is not None:
            denied = dataclass in self.deny_dataclasses
            if denied or (self.allow_dataclasses is not None and dataclass not in self.allow_dataclasses):
                key = "allow_dataclasses"
                why = "deny_dataclasses names it" if denied else "allow_dataclasses does not name it"
                yield self._at(key, first.span, f"The dataclass `{dataclass}` is not open to this client: {why}.")
            if function is not None and self.allow_functions is not None:
                full = f"{dataclass}.{function}"
                if full not in self.allow_functions:
                    yield self._at("allow_functions", request.path.segments[-1].span,
                                   f"The function `{full}` is not open to this client: allow_functions does not name it.")
        for p in request.params:
            if p.canonical is not None and any(canonical_name(d) == p.canonical for d in self.deny_parameters):
                yield self._at("deny_parameters", p.span, f"`{p.name}` is denied by deny_parameters.", p.canonical)
        verb = params.get("$method")
        word = str(getattr(verb.value, "value", "")).lower() if verb is not None else ""
        if verb is not None and word in {m.lower() for m in self.deny_methods}:
            yield self._at("deny_methods", verb.span, f"`$method={word}` is denied by deny_methods.", "$method")
        permissions = getattr(self, "_permissions", None)
        if permissions is not None and dataclass is not None and first is not None:
            denied = permissions.denial(request, dataclass, function)
            if denied is not None:
                action, resource = denied
                yield self._at("role", first.span,
                               f"The role `{self.role}` may not {action} `{resource}` (roles.json).",
                               None, "sign in with a role that holds a privilege for it")
        if self.allow_http_methods is not None and method is not None:
            allowed = {m.upper() for m in self.allow_http_methods}
            if method.upper() not in allowed:
                yield self._at("allow_http_methods", whole,
                               f"The HTTP method {method.upper()} is not in allow_http_methods = {sorted(allowed)}.")


def _size(expr: Any) -> tuple[int, int]:
    """(comparisons + logical operators, nesting depth) of a filter expression."""
    nodes = depth = 0
    stack: list[tuple[Any, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        depth = max(depth, level)
        if isinstance(node, BoolOp):
            nodes += len(node.operands) - 1
            stack.extend((o, level + 1) for o in node.operands)
        elif isinstance(node, Not):
            nodes += 1
            stack.append((node.operand, level + 1))
        else:
            nodes += 1
    return nodes, depth


def _function(shape: Shape, method: str | None) -> str | None:
    """The class function the request calls: the one the path machine knows (a catalog, a
    call form), or the single name after the dataclass or entity of a POST (the way a
    function is called) when it is not known to be an attribute."""
    if shape.function is not None:
        name = getattr(shape.function, "name", None)
        return name if isinstance(name, str) else None
    if (method or "").upper() == "POST" and shape.tail_kind != "attribute":
        return shape.tail_name
    return None


def policy_argument(value: object) -> Policy | None:
    """A ``policy=`` argument: a :class:`Policy`, a mapping of its keys, a path to a TOML file."""
    if value is None or isinstance(value, Policy):
        return value
    if isinstance(value, Mapping):
        return Policy.from_dict(value)
    if isinstance(value, (str, Path)):
        return Policy.from_toml(value)
    raise PolicyError(f"policy must be a Policy, a table of its keys or a TOML file, not {type(value).__name__}")


class Permissions:
    """What one role may do, as 4D's ``roles.json`` grants it: the role's privileges (with
    those they include), and ``permissions.allowed`` entries giving, for a resource
    (``applyTo``: ``ds``, a dataclass, ``Dataclass.attribute``, ``Dataclass.function``) and an
    action (``read``, ``create``, ``update``, ``drop``, ``execute``), the privileges that may.

    The most specific resource that names the action decides (an attribute, then its
    dataclass, then the datastore); a resource no entry names is open, unless the file says
    ``"restrictedByDefault": true``. (4D's own reading of these files is the reference; this
    is the documented part of it, docs/policy.md.)
    """

    def __init__(self, granted: frozenset[str], allowed: dict[tuple[str, str], frozenset[str]], closed: bool) -> None:
        self.granted = granted
        self.allowed = allowed
        self.closed = closed

    @classmethod
    def load(cls, roles: str | Mapping[str, Any], role: str) -> Permissions:
        import json

        if isinstance(roles, str):
            try:
                data = json.loads(Path(roles).read_text(encoding="utf-8"))
            except OSError as err:
                raise PolicyError(f"roles {roles}: cannot be read: {err.strerror or err}") from None
            except ValueError as err:
                raise PolicyError(f"roles {roles}: not JSON: {err}") from None
        else:
            data = roles
        if not isinstance(data, Mapping):
            raise PolicyError("roles: a roles.json document is an object")
        includes = {p.get("privilege"): tuple(p.get("includes", ())) for p in data.get("privileges", ())
                    if isinstance(p, Mapping)}
        by_role = {r.get("role"): tuple(r.get("privileges", ())) for r in data.get("roles", ()) if isinstance(r, Mapping)}
        if role not in by_role and role != "guest":
            raise PolicyError(f"role {role!r} is not in roles.json (roles: {', '.join(sorted(map(str, by_role)))})")
        granted: set[str] = set()
        todo = list(by_role.get(role, ()))
        while todo:
            p = todo.pop()
            if p not in granted:
                granted.add(p)
                todo.extend(includes.get(p, ()))
        allowed: dict[tuple[str, str], frozenset[str]] = {}
        for entry in (data.get("permissions") or {}).get("allowed", ()):
            if not isinstance(entry, Mapping) or not isinstance(entry.get("applyTo"), str):
                continue
            for action in ("read", "create", "update", "drop", "execute"):
                if action in entry:
                    allowed[(entry["applyTo"], action)] = frozenset(entry[action])
        return cls(frozenset(granted), allowed, bool(data.get("restrictedByDefault", False)))

    def may(self, action: str, resources: tuple[str, ...]) -> bool:
        """Whether the role may do ``action`` on the first of ``resources`` (most specific
        first) that an entry names."""
        for resource in resources:
            listed = self.allowed.get((resource, action))
            if listed is not None:
                return bool(listed & self.granted)
        return not self.closed

    def denial(self, request: Request, dataclass: str, function: str | None) -> tuple[str, str] | None:
        """``(action, resource)`` of the first thing ``request`` (on ``dataclass``, calling
        ``function`` if any) does that the role may not."""
        params = {p.canonical: p for p in request.params if p.canonical}
        verb = str(getattr(getattr(params.get("$method"), "value", None), "value", "")).lower()
        if function is not None:
            name = f"{dataclass}.{function}"
            return None if self.may("execute", (name, dataclass, "ds")) else ("execute", name)
        action = {"update": "update", "delete": "drop"}.get(verb, "read")
        if not self.may(action, (dataclass, "ds")):
            return action, dataclass
        if action == "read":
            for attr in _attributes_read(request):
                name = f"{dataclass}.{attr}"
                if not self.may("read", (name, dataclass, "ds")):
                    return "read", name
        return None


def _attributes_read(request: Request) -> list[str]:
    """The first names of the attribute paths a read touches: its path's attribute segments,
    ``$attributes``, ``$filter``, ``$orderby``, ``$expand``."""
    from restquery.ast import AttributePath

    names: list[str] = []
    for seg in request.path.segments[1:]:
        if isinstance(seg, NamesSegment):
            names += [p.parts[0].name for p in seg.paths if p.parts]
    for p in request.params:
        if p.canonical in ("$attributes", "$filter", "$orderby", "$expand") and p.value is not None:
            names += [n.parts[0].name for n in p.value.walk() if isinstance(n, AttributePath) and n.parts]
    return list(dict.fromkeys(n for n in names if not n.startswith("$")))
