"""restquery.Policy: loading (restquery.toml, pyproject.toml, located errors), each key's code
and message, and one verdict everywhere: a table of URLs through validate, check, lint, the
ASGI and WSGI middlewares, the proxy and the builder gives the same policy codes."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import restquery
from restquery.build import F, Q
from restquery.policy import POLICY_CODES, QUOTA_CODES, Policy, PolicyError
from tests.integrations.conftest import serve_asgi, serve_wsgi

TOML = """\
[policy]
max_top = 100
require_top = true
max_skip = 1000
max_filter_nodes = 4
max_filter_depth = 3
max_expand = 1
max_timeout = 600
max_url_length = 400
allow_dataclasses = ["Employee", "Company"]
deny_dataclasses = ["Company"]
allow_functions = ["Employee.getHighSalaries"]
deny_parameters = ["$lock"]
deny_methods = ["delete"]
allow_http_methods = ["GET", "POST"]
"""
POLICY = Policy.from_dict(__import__("tomllib").loads(TOML)["policy"]) if sys.version_info >= (3, 11) else None


def policy_codes(diags: list[dict] | list[restquery.Diagnostic]) -> list[str]:
    codes = [d["code"] if isinstance(d, dict) else d.code for d in diags]
    return sorted(c for c in codes if c.startswith("RQ5"))


# --- loading -----------------------------------------------------------------------------------


def test_restquery_toml_and_pyproject(tmp_path: Path) -> None:
    (tmp_path / "restquery.toml").write_text(TOML, encoding="utf-8")
    assert Policy.from_toml(tmp_path / "restquery.toml") == POLICY
    (tmp_path / "pyproject.toml").write_text(TOML.replace("[policy]", "[tool.restquery.policy]"), encoding="utf-8")
    assert Policy.from_toml(tmp_path / "pyproject.toml") == POLICY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[policy]\nmax_tops = 1\n", "[policy]: unknown key max_tops"),
        ("[policy]\nmax_top = \"10\"\n", "[policy]: max_top must be a whole number of 0 or more, not '10'"),
        ("[policy]\nmax_top = -1\n", "max_top must be a whole number of 0 or more, not -1"),
        ("[policy]\nrequire_top = 1\n", "require_top must be true or false, not 1"),
        ("[policy]\ndeny_methods = \"delete\"\n", "deny_methods must be a list of names"),
        ("[other]\n", "no [policy] table"),
        ("[policy\n", "not valid TOML"),
    ],
)
def test_a_bad_policy_is_a_located_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "restquery.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        Policy.from_toml(path)
    assert str(info.value).startswith(str(path)) and message in str(info.value)


# --- each key -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "method", "code", "message"),
    [
        ("/rest/Employee?$top=500", "GET", "RQ501", "`$top=500` exceeds max_top = 100."),
        ("/rest/Employee?$limit=500", "GET", "RQ501", "`$limit=500` exceeds max_top = 100."),
        ("/rest/Employee", "GET", "RQ502", "require_top = true"),
        ("/rest/Employee?$top=1&$skip=5000", "GET", "RQ503", "`$skip=5000` exceeds max_skip = 1000."),
        ('/rest/Employee?$top=1&$filter="a=1 AND b=2 AND c=3"', "GET", "RQ504",
         "`$filter` has 5 comparisons and operators; max_filter_nodes = 4."),
        ('/rest/Employee?$top=1&$filter="NOT (NOT (NOT a=1))"', "GET", "RQ505",
         "`$filter` nests 4 levels deep; max_filter_depth = 3."),
        ("/rest/Employee(1)?$expand=manager,employer", "GET", "RQ506", "names 2 attributes; max_expand = 1."),
        ("/rest/Employee?$method=entityset&$timeout=3600", "GET", "RQ507", "`$timeout=3600` exceeds max_timeout = 600."),
        ("/rest/Employee?$top=1&$filter=\"lastName='" + "x" * 400 + "'\"", "GET", "RQ508", "max_url_length = 400"),
        ("/rest/Secret(1)", "GET", "RQ509", "allow_dataclasses does not name it"),
        ("/rest/Company(1)", "GET", "RQ509", "deny_dataclasses names it"),
        ("/rest/Employee/fireEveryone", "POST", "RQ510", "`Employee.fireEveryone`"),
        ("/rest/Employee(1)?$lock=true", "GET", "RQ511", "`$lock` is denied by deny_parameters."),
        ("/rest/Employee(1)?$method=delete", "POST", "RQ512", "`$method=delete` is denied by deny_methods."),
        ("/rest/Employee(1)", "PUT", "RQ513", "The HTTP method PUT is not in allow_http_methods"),
    ],
)
def test_each_key_has_its_code_and_names_its_value(url: str, method: str, code: str, message: str) -> None:
    diags = [d for d in restquery.validate(url, method=method, policy=POLICY) if d.code.startswith("RQ5")]
    assert [d.code for d in diags] == [code]
    [d] = diags
    assert message in d.message and d.severity == "error" and d.name == POLICY_CODES[code][0]
    assert restquery.validate(url, method=method) == [x for x in restquery.validate(url, method=method, policy=Policy())]


def test_every_code_is_tested_above_and_documented() -> None:
    here = Path(__file__).read_text(encoding="utf-8")
    docs = (Path(__file__).resolve().parents[1] / "docs" / "policy.md").read_text(encoding="utf-8")
    for code, (name, key, _summary) in POLICY_CODES.items():
        assert f'"{code}"' in here, code
        assert f"{code} `{name}`" in docs and f"`{key}`" in docs, code


# --- one verdict everywhere --------------------------------------------------------------------


def _table() -> list[tuple[str, str, object]]:
    """≥ 100 (method, URL, builder) triples, the URLs percent-encoded as clients send them,
    each breaking some keys of POLICY or none; ``builder(policy)`` makes the same request with
    restquery.build (``None`` for the few written by hand)."""
    out: list[tuple[str, str, object]] = []

    def add(method: str, make: object) -> None:
        out.append((method, make(None).url(), make))  # type: ignore[operator]

    for dc, top, skip in itertools.product(["Employee", "Company", "Secret"], [None, 10, 500], [None, 50, 5000]):
        def make(policy: object, dc: str = dc, top: int | None = top, skip: int | None = skip) -> Q:
            q = Q(dc, policy=policy)
            if top is not None:
                q = q.top(top)
            return q if skip is None else q.skip(skip)

        add("GET", make)
    filters = [F.a == 1, (F.a == 1) & (F.b == 2), (F.a == 1) & (F.b == 2) & (F.c == "x' OR 1=1"),
               (F.a == 1) | ((F.b == 2) & ((F.c == 3) | (F.d == 4)))]
    for cond, top in itertools.product(filters, [5, 200]):
        add("GET", lambda policy, cond=cond, top=top: Q("Employee", policy=policy).filter(cond).top(top))
    for timeout in (60, 600, 6000):
        add("GET", lambda policy, timeout=timeout: Q("Employee", policy=policy).entityset(timeout=timeout))
    for key, expand in itertools.product([1, 2], [("manager",), ("manager", "employer")]):
        add("GET", lambda policy, key=key, expand=expand: Q("Employee", key, policy=policy).expand(*expand))
    for fn in ("getHighSalaries", "fireEveryone"):
        add("POST", lambda policy, fn=fn: Q("Employee", policy=policy).call(fn, [1]))
    for verb in ("GET", "POST", "PUT", "DELETE"):
        for url in ("/rest/Employee(1)", "/rest/Employee(1)?$lock=true", "/rest/Employee(1)?$method=delete",
                    "/rest/Employee?$top=3&$attributes=lastName"):
            out.append((verb, url, None))
    for n in range(40):
        add("GET", lambda policy, n=n: Q("Employee", policy=policy).filter(F.lastName == "y" * (n * 12)).top(n))
    return out


TABLE = _table()


def test_the_table_is_large_and_varied() -> None:
    assert len(TABLE) >= 100
    seen = {c for m, u, _ in TABLE for c in policy_codes(restquery.validate(u, method=m, policy=POLICY))}
    limits = set(POLICY_CODES) - {"RQ520"} - set(QUOTA_CODES)  # permissions and quotas: the tests below
    assert seen == limits, sorted(limits - seen)
    assert any(not policy_codes(restquery.validate(u, method=m, policy=POLICY)) for m, u, _ in TABLE)


@pytest.fixture(scope="module")
def policy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("policy") / "restquery.toml"
    path.write_text(TOML, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def expected() -> list[list[str]]:
    return [policy_codes(restquery.validate(u, method=m, policy=POLICY)) for m, u, _ in TABLE]


def test_check_says_the_same(policy_file: Path, expected: list[list[str]], tmp_path: Path) -> None:
    lines = tmp_path / "requests.txt"
    lines.write_text("".join(f"{m} {u}\n" for m, u, _ in TABLE), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "restquery", "check", "--policy", str(policy_file), "--file",
                          str(lines), "--format", "json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    got = [policy_codes(r["diagnostics"]) for r in json.loads(run.stdout)]
    assert got == expected


def test_lint_says_the_same(policy_file: Path, expected: list[list[str]], tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text("".join(f'127.0.0.1 - - [04/Dec/2026:10:00:00 +0000] "{m} {u} HTTP/1.1" 200 1\n'
                           for m, u, _ in TABLE), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "restquery", "lint", "--no-config", "--policy", str(policy_file),
                          "--format", "json", str(log)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    by_line: dict[int, list[str]] = {}
    for f in json.loads(run.stdout)["findings"]:
        by_line.setdefault(f["line"], []).append(f["code"])
    got = [sorted(c for c in by_line.get(n, []) if c.startswith("RQ5")) for n in range(1, len(TABLE) + 1)]
    assert got == expected


def _app(environ_or_scope: object, *rest: object) -> object:  # pragma: no cover - never reached
    raise AssertionError("a request the policy refuses reached the application")


async def _ok_asgi(scope: dict, receive: object, send: object) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"{}"})  # type: ignore[operator]


def _ok_wsgi(environ: dict, start_response: object) -> list[bytes]:
    start_response("200 OK", [("content-type", "application/json")])  # type: ignore[operator]
    return [b"{}"]


def _codes_over_http(base: str, expected: list[list[str]]) -> list[list[str]]:
    got = []
    with httpx.Client(base_url=base, timeout=30) as c:
        for (method, url, _), want in zip(TABLE, expected):
            r = c.request(method, "/", extensions={"target": url.encode()})
            if r.status_code == 200:
                got.append([])
                continue
            assert r.status_code in (400, 403, 404, 405, 413, 414, 429), (url, r.status_code)
            got.append(policy_codes(r.json()["diagnostics"]))
    return got


def _policy_errors_only(expected: list[list[str]]) -> list[list[str]]:
    return expected


def test_the_middlewares_and_the_proxy_say_the_same(policy_file: Path, expected: list[list[str]]) -> None:
    from restquery.integrations.asgi import RestQueryMiddleware
    from restquery.integrations.proxy import create_app
    from restquery.integrations.wsgi import RestQueryMiddleware as RestQueryWSGIMiddleware

    policy = Policy.from_toml(policy_file)
    # The other rules' errors refuse some requests before a policy code could show: compare
    # the requests whose only errors are the policy's.
    plain = [[d.code for d in restquery.validate(u, method=m) if d.severity == "error"] for m, u, _ in TABLE]
    keep = [i for i, errors in enumerate(plain) if not errors]
    assert len(keep) >= 80
    with serve_asgi(RestQueryMiddleware(_ok_asgi, policy=policy)) as asgi, \
            serve_wsgi(RestQueryWSGIMiddleware(_ok_wsgi, policy=str(policy_file))) as wsgi, \
            serve_asgi(_ok_asgi) as upstream, \
            serve_asgi(create_app(upstream, policy=policy)) as proxy:
        for base in (asgi, wsgi, proxy):
            got = _codes_over_http(base, expected)
            assert [got[i] for i in keep] == [expected[i] for i in keep], base


def test_the_builder_refuses_the_same_requests(expected: list[list[str]]) -> None:
    """The builder raises at the call that breaks the policy, with one of the codes the
    finished URL gets elsewhere; it builds every request the policy allows."""
    built = 0
    for (_method, _url, make), want in zip(TABLE, expected):
        if make is None:
            continue
        built += 1
        try:
            make(POLICY).url()  # type: ignore[operator]
        except restquery.ValidationError as err:
            assert want and str(err)[:5] in want, (_url, want, str(err))
        else:
            assert want == [], (_url, want)
    assert built >= 80


def test_the_builder_raises_with_the_same_code() -> None:
    with pytest.raises(restquery.ValidationError) as info:
        Q("Employee", policy=POLICY).top(500)
    assert str(info.value).startswith("RQ501: `$top=500` exceeds max_top = 100.")
    with pytest.raises(restquery.ValidationError, match="RQ509"):
        Q("Secret", policy=POLICY)
    with pytest.raises(restquery.ValidationError, match="RQ504"):
        Q("Employee", policy=POLICY).top(1).filter((F.a == 1) & (F.b == 2) & (F.c == 3))
    assert Q("Employee", policy=POLICY).top(10).url(encode=False) == "/rest/Employee?$top=10"
    # require_top judges the request as sent: a later call may still add $top
    with pytest.raises(restquery.ValidationError, match="RQ502"):
        Q("Employee", policy=POLICY).url()


def test_lint_reads_the_policy_from_its_configuration(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("`/rest/Employee?$top=500`\n", encoding="utf-8")

    def lint() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "restquery", "lint", "--format", "json", "a.md"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)

    (tmp_path / "restquery.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.restquery]\npolicy = "restquery.toml"\n', encoding="utf-8")
    assert [f["code"] for f in json.loads(lint().stdout)["findings"]] == ["RQ501"]
    # or the policy table of the pyproject.toml itself
    (tmp_path / "pyproject.toml").write_text("[tool.restquery.policy]\nmax_top = 1000\n", encoding="utf-8")
    assert json.loads(lint().stdout)["findings"] == []
    (tmp_path / "pyproject.toml").write_text("[tool.restquery.policy]\nmax_top = 10\n", encoding="utf-8")
    assert [f["code"] for f in json.loads(lint().stdout)["findings"]] == ["RQ501"]
    (tmp_path / "pyproject.toml").write_text("[tool.restquery.policy]\nmax_tops = 10\n", encoding="utf-8")
    run = lint()
    assert run.returncode == 2 and "unknown key max_tops" in run.stderr


# --- permissions (roles.json) -------------------------------------------------------------------

ROLES = {
    "privileges": [
        {"privilege": "viewStaff", "includes": []},
        {"privilege": "payroll", "includes": ["viewStaff"]},
        {"privilege": "admin", "includes": ["payroll"]},
    ],
    "roles": [
        {"role": "Clerk", "privileges": ["viewStaff"]},
        {"role": "HR", "privileges": ["payroll"]},
        {"role": "Admin", "privileges": ["admin"]},
    ],
    "permissions": {"allowed": [
        {"applyTo": "Employee", "type": "dataclass", "read": ["viewStaff"], "drop": ["admin"], "update": ["payroll"]},
        {"applyTo": "Employee.salary", "type": "attribute", "read": ["payroll"]},
        {"applyTo": "Employee.raiseAll", "type": "method", "execute": ["admin"]},
    ]},
}


@pytest.mark.parametrize(
    ("role", "method", "url", "denied"),
    [
        ("guest", "GET", "/rest/Employee?$top=1", "read `Employee`"),
        ("Clerk", "GET", "/rest/Employee?$top=1", None),
        ("Clerk", "GET", "/rest/Employee?$top=1&$attributes=lastName,salary", "read `Employee.salary`"),
        ("Clerk", "GET", '/rest/Employee?$top=1&$filter="salary>1000"', "read `Employee.salary`"),
        ("Clerk", "GET", "/rest/Employee(1)/salary", "read `Employee.salary`"),
        ("HR", "GET", '/rest/Employee?$top=1&$orderby="salary desc"', None),
        ("HR", "POST", "/rest/Employee(1)?$method=delete", "drop `Employee`"),
        ("Admin", "POST", "/rest/Employee(1)?$method=delete", None),
        ("Clerk", "POST", "/rest/Employee?$method=update", "update `Employee`"),
        ("HR", "POST", "/rest/Employee/raiseAll", "execute `Employee.raiseAll`"),
        ("Admin", "POST", "/rest/Employee/raiseAll", None),
        ("guest", "GET", "/rest/Company?$top=1", None),  # no entry names Company: open
    ],
)
def test_the_role_may_only_what_roles_json_grants(role: str, method: str, url: str, denied: str | None) -> None:
    policy = Policy(roles=ROLES, role=role)
    diags = [d for d in restquery.validate(url, method=method, policy=policy) if d.code == "RQ520"]
    if denied is None:
        assert diags == []
    else:
        [d] = diags
        assert d.name == "permission-denied" and f"`{role}` may not {denied}" in d.message


def test_closed_by_default_and_loading_roles(tmp_path: Path) -> None:
    closed = {**ROLES, "restrictedByDefault": True}
    assert [d.code for d in restquery.validate("/rest/Company?$top=1", policy=Policy(roles=closed, role="HR"))] == ["RQ520"]
    # from the policy file: roles relative to it
    (tmp_path / "Project" / "Sources").mkdir(parents=True)
    (tmp_path / "Project" / "Sources" / "roles.json").write_text(json.dumps(ROLES), encoding="utf-8")
    (tmp_path / "restquery.toml").write_text('[policy]\nroles = "Project/Sources/roles.json"\nrole = "Clerk"\n',
                                             encoding="utf-8")
    policy = Policy.from_toml(tmp_path / "restquery.toml")
    assert [d.code for d in restquery.validate("/rest/Employee(1)/salary", policy=policy)] == ["RQ520"]
    with pytest.raises(PolicyError, match="role 'Intern' is not in roles.json"):
        Policy(roles=ROLES, role="Intern")
    with pytest.raises(PolicyError, match="roles and role go together"):
        Policy(roles=ROLES)
    with pytest.raises(PolicyError, match="cannot be read"):
        Policy(roles=str(tmp_path / "missing.json"), role="HR")


def test_a_denied_request_is_403_at_the_door() -> None:
    from restquery.integrations.asgi import RestQueryMiddleware

    policy = Policy(roles=ROLES, role="Clerk", max_top=100)
    with serve_asgi(RestQueryMiddleware(_ok_asgi, policy=policy)) as base, httpx.Client(base_url=base) as c:
        assert c.get("/rest/Employee?$top=1").status_code == 200
        r = c.get("/rest/Employee(1)/salary")
        assert r.status_code == 403
        assert r.json()["__ERROR"][0]["errCode"] == 520 and "may not read `Employee.salary`" in r.json()["__ERROR"][0]["message"]
        assert c.get("/rest/Employee?$top=500").status_code == 400  # a limit: 400


def test_the_documented_examples_draw_their_codes(tmp_path: Path) -> None:
    """docs/rules.md shows a policy and a request for each code: each draws it."""
    from restquery.policy import POLICY_EXAMPLES

    (tmp_path / "roles.json").write_text(json.dumps(ROLES), encoding="utf-8")
    assert set(POLICY_EXAMPLES) == set(POLICY_CODES)
    for code, (toml, method, url) in POLICY_EXAMPLES.items():
        path = tmp_path / "restquery.toml"
        path.write_text(f"[policy]\n{toml}\n", encoding="utf-8")
        if code in QUOTA_CODES:  # a server's count: the request once more than the quota
            statuses = _asgi_statuses(Policy.from_toml(path), [(method, url)] * 3)
            assert [s for s, _ in statuses] == [200, 200, QUOTA_CODES[code]] and statuses[-1][1]["__ERROR"][0]["errCode"] == 521
            assert [d.code for d in restquery.validate(url, method=method, policy=Policy.from_toml(path))] == []
            continue
        found = [d.code for d in restquery.validate(url, method=method, policy=Policy.from_toml(path))]
        assert [c for c in found if c.startswith("RQ5")] == [code], (code, found)


# --- the entity-set quota -------------------------------------------------------------------


def _asgi_statuses(policy: Policy, requests: list[tuple[str, str]], client: str = "10.0.0.1") -> list[tuple[int, dict]]:
    """Call the ASGI middleware directly (the client address is the scope's), in order."""
    import asyncio

    from restquery.integrations.asgi import RestQueryMiddleware

    app = RestQueryMiddleware(_ok_asgi, policy=policy)
    out = []
    for method, url in requests:
        path, _, query = url.partition("?")
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": query.encode(),
                 "headers": [(b"host", b"api.example.com")], "client": (client, 5000), "server": ("api.example.com", 80)}
        asyncio.run(app(scope, receive, send))
        start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
        out.append((start["status"], json.loads(body) if body else {}))
        headers = dict(start["headers"])
        assert (b"retry-after" in headers) == (start["status"] == 429)
    return out


def test_the_entity_set_quota_counts_per_client_and_gives_back_on_release() -> None:
    policy = Policy(max_entity_sets=2)
    make = ("GET", "/rest/Employee?$method=entityset&$timeout=600")
    release = ("GET", "/rest/Employee/$entityset/ABC123?$method=release")
    statuses = _asgi_statuses(policy, [make, make, make, release, make, make])
    assert [s for s, _ in statuses] == [200, 200, 429, 200, 200, 429]
    refusal = statuses[2][1]
    assert refusal["__ERROR"][0]["errCode"] == 521 and refusal["diagnostics"][0]["code"] == "RQ521"
    assert "max_entity_sets = 2" in refusal["diagnostics"][0]["message"]
    # reads and other clients are not counted; $entityset/$release gives back every set
    assert [s for s, _ in _asgi_statuses(policy, [("GET", "/rest/Employee?$top=5")] * 3)] == [200] * 3
    many = _asgi_statuses(policy, [make, make, ("POST", "/rest/Employee/$entityset/$release"), make, make])
    assert [s for s, _ in many] == [200, 200, 200, 200, 200]


def test_the_quota_expires_with_the_sets_timeout() -> None:
    from restquery.integrations._quota import EntitySetQuota

    now = [0.0]
    quota = EntitySetQuota(1, clock=lambda: now[0])
    assert quota.take("a", 30) is None and quota.take("a", 30) == 30 and quota.take("b", 30) is None
    now[0] = 25.5
    assert quota.take("a", 30) == 5  # Retry-After: until the held set expires
    now[0] = 30.5
    assert quota.take("a", 30) is None and quota.held("a") == 1
    small = EntitySetQuota(1, clients=2, clock=lambda: 0.0)
    for client in ("x", "y", "z"):
        small.take(client, 10)
    assert small.held("x") == 0 and small.held("z") == 1  # the least recently seen is forgotten


def test_the_quota_over_http_wsgi_and_the_proxy(tmp_path: Path) -> None:
    from restquery.integrations.proxy import create_app
    from restquery.integrations.wsgi import RestQueryMiddleware as RestQueryWSGIMiddleware

    path = tmp_path / "restquery.toml"
    path.write_text("[policy]\nmax_entity_sets = 1\n", encoding="utf-8")
    with serve_wsgi(RestQueryWSGIMiddleware(_ok_wsgi, policy=str(path))) as wsgi, \
            serve_asgi(_ok_asgi) as upstream, serve_asgi(create_app(upstream, policy=str(path))) as proxy:
        for base in (wsgi, proxy):
            with httpx.Client(base_url=base, timeout=10) as c:
                first = c.get("/rest/Employee?$method=entityset&$timeout=120")
                second = c.get("/rest/Employee?$method=entityset&$timeout=120")
            assert (first.status_code, second.status_code) == (200, 429), base
            assert 1 <= int(second.headers["retry-after"]) <= 120
            assert second.json()["__ERROR"][0]["errCode"] == 521


def test_every_policy_in_the_docs_loads(tmp_path: Path) -> None:
    """docs/policy.md's TOML blocks are policies (the recipes included), and each recipe
    refuses what its sentence says."""
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / "policy.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.DOTALL)
    policies = []
    for n, block in enumerate(blocks):
        path = tmp_path / f"p{n}.toml"
        path.write_text(block.replace('roles = "Project/Sources/roles.json"', ""), encoding="utf-8")
        if "role =" in block:
            continue  # needs a roles.json: tested above
        policies.append(Policy.from_toml(path))
    public, internal, qodly = policies[-3:]
    assert "RQ513" in policy_codes(restquery.validate("/rest/Product?$top=10", method="POST", policy=public))
    assert "RQ512" in policy_codes(restquery.validate("/rest/Employee(1)?$method=delete", method="POST", policy=internal))
    assert "RQ510" in policy_codes(restquery.validate("/rest/Employee/fireEveryone", method="POST", policy=qodly))
    assert qodly.max_entity_sets == 20
