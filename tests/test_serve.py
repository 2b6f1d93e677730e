"""``restquery serve`` as a real subprocess on 127.0.0.1: every read form, writes, entity
sets, function stubs and the descriptive resources, each answer checked against the JSON
Schema of its 4D response shape (``restquery/serve/responses.schema.json``) and against the
data it was given; requests restquery refuses never reach the data."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

import restquery
from restquery.serve._documents import response_schema
from restquery.sql import matches
from tests.serve_helpers import CATALOG, FIXTURES, restquery_cli, serve

httpx = pytest.importorskip("httpx")
jsonschema = pytest.importorskip("jsonschema")

DATA = json.loads((FIXTURES / "data.json").read_text(encoding="utf-8"))
CAT = restquery.Catalog.from_json(CATALOG)


def shaped(name: str, doc: Any) -> Any:
    """``doc``, after checking it has the 4D response shape ``name``."""
    jsonschema.Draft202012Validator(response_schema(name)).validate(doc)
    return doc


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve("--catalog", str(CATALOG), "--data", str(FIXTURES / "data.json"),
               "--functions", str(FIXTURES / "functions.json")) as url:
        yield url


@pytest.fixture
def http(base: str) -> Iterator[Any]:
    with httpx.Client(base_url=base, timeout=10) as client:
        yield client


def _get(http: Any, url: str, status: int = 200) -> Any:
    response = http.get(url)
    assert response.status_code == status, (url, response.text)
    return response.json() if "json" in response.headers.get("content-type", "") else response


def _keys(doc: dict[str, Any]) -> list[int]:
    return [int(e["__KEY"]) for e in doc["__ENTITIES"]]


# --- reads ------------------------------------------------------------------------------------

FILTERS = [
    "salary>30000",
    "lastName='smith@'",  # @: a wildcard; case ignored
    "lastName=emile",  # diacritics ignored
    "employer.name='acme' AND isActive=true",
    "employer.settings.city=Lyon",  # a relation, then a path into an object
    "manager.lastName begin Sm",
    "salary!=null EXCEPT department='Sales'",
    "birthday<1985-01-01",
    "NOT (salary>40000) OR lastName=null",
]


@pytest.mark.parametrize("flt", FILTERS)
def test_filters_return_what_the_evaluator_selects(http: Any, flt: str) -> None:
    doc = shaped("collection", _get(http, f'/rest/Employee?$filter="{flt}"'))
    expr = restquery.parse(f'/rest/Employee?$filter="{flt}"').value("$filter", restquery.ast.Filter).expr
    data = {name: [_typed(name, r) for r in rows] for name, rows in DATA.items()}
    expected = [r["ID"] for r in data["Employee"] if matches(expr, "Employee", r, CAT, data)]
    assert _keys(doc) == expected and doc["__COUNT"] == len(expected)
    assert (doc["__DATACLASS"], doc["__SENT"], doc["__FIRST"]) == ("Employee", len(expected), 0)


def _typed(name: str, row: dict[str, Any]) -> dict[str, Any]:
    import datetime

    dc = CAT.dataclass(name)
    out = dict(row)
    for key, value in row.items():
        attr = dc.attribute(key)  # type: ignore[union-attr]
        if attr is not None and attr.type == "date" and isinstance(value, str):
            out[key] = datetime.date.fromisoformat(value)
    return out


def test_orderby_top_skip_and_placeholders(http: Any) -> None:
    doc = shaped("collection", _get(http, '/rest/Employee?$orderby="salary desc"&$top=2&$skip=1'))
    assert _keys(doc) == [1, 4] and (doc["__COUNT"], doc["__SENT"], doc["__FIRST"]) == (6, 2, 1)
    doc = _get(http, "/rest/Employee?$filter=\"lastName=:1 OR salary>:2\"&$params='[\"jones\",60000]'&$orderby=\"ID desc\"")
    assert _keys(doc) == [6, 2]
    doc = _get(http, '/rest/Employee?$orderby="employer.name,lastName"&$limit=3')  # $limit is $top
    assert _keys(doc) == [5, 2, 1]  # no employer first (null), then Acme's by name
    assert shaped("asArray", _get(http, "/rest/Company?$asArray=true"))[0]["name"] == "Acme"


def test_entities_relations_and_projections(http: Any) -> None:
    e = shaped("entity", _get(http, "/rest/Employee(2)"))
    assert (e["__KEY"], e["__STAMP"], e["lastName"], e["birthday"]) == ("2", 1, "Jones", "1990-07-22")
    assert e["employer"] == {"__deferred": {"uri": "/rest/Company(1)", "__KEY": "1"}}
    assert e["directReports"] == {"__deferred": {"uri": "/rest/Employee(2)/directReports?$expand=directReports"}}
    assert e["employerName"] == "Acme" and e["fullName"] is None  # an alias is read; a calculated one is not run
    assert shaped("entity", _get(http, "/rest/Employee[2]"))["__KEY"] == "2"
    assert shaped("entity", _get(http, "/rest/Company:companyCode(EMIL02)"))["name"] == "Émile & Co"
    expanded = shaped("entity", _get(http, "/rest/Employee(2)?$expand=employer"))
    assert expanded["employer"]["name"] == "Acme" and expanded["employer"]["__KEY"] == "1"
    picked = shaped("entity", _get(http, "/rest/Employee(2)?$attributes=lastName,employer.name"))
    assert set(picked) - {"__KEY", "__TIMESTAMP", "__STAMP"} == {"lastName", "employer"}
    assert set(picked["employer"]) - {"__KEY", "__TIMESTAMP", "__STAMP"} == {"name"}
    projected = shaped("collection", _get(http, "/rest/Company/name,city"))
    assert {k for e in projected["__ENTITIES"] for k in e if not k.startswith("__")} == {"name", "city"}
    staff = shaped("collection", _get(http, "/rest/Company(1)/staff?$expand=staff"))
    assert _keys(staff) == [1, 2] and staff["__DATACLASS"] == "Employee"
    boss = shaped("entity", _get(http, "/rest/Employee(3)/manager?$expand=manager"))
    assert boss["__KEY"] == "1"
    err = shaped("error", _get(http, "/rest/Employee(77)", status=404))
    assert err["__ERROR"][0]["errCode"] == 1542


def test_compute_distinct_and_downloads(http: Any) -> None:
    salaries = [r["salary"] for r in DATA["Employee"] if r["salary"] is not None]
    assert _get(http, "/rest/Employee/salary?$compute=sum") == sum(salaries)
    assert _get(http, "/rest/Employee?$compute=sum&$attributes=salary") == sum(salaries)  # Qodly's spelling
    everything = _get(http, '/rest/Employee/salary?$compute=$all&$filter="department=Sales"')
    assert everything == {"salary": {"count": 2, "sum": 58000, "average": 29000, "min": 27000, "max": 31000}}
    assert _get(http, "/rest/Employee/department?$distinct=true") == [None, "Board", "R&D", "Sales"]
    blob = http.get("/rest/Company(1)/blobAtt?$binary=true&$expand=blobAtt")
    assert blob.status_code == 200 and blob.content == bytes(range(256))
    assert blob.headers["content-type"] == "application/octet-stream"
    company = shaped("entity", _get(http, "/rest/Company(1)"))
    assert company["blobAtt"] == {"__deferred": {"uri": "/rest/Company(1)/blobAtt?$binary=true&$expand=blobAtt"}}
    assert company["logo"] is None  # no picture in the data
    shaped("error", _get(http, "/rest/Company(1)/logo?$imageformat=png&$expand=logo", status=404))


def test_entity_sets(http: Any) -> None:
    made = shaped("collection", _get(http, '/rest/Employee?$filter="salary>30000"&$method=entityset&$timeout=600&$top=1'))
    assert made["__COUNT"] == 4 and made["__SENT"] == 1
    path = made["__ENTITYSET"]
    again = shaped("collection", _get(http, path + "?$top=10"))
    assert _keys(again) == [1, 2, 4, 6] and again["__ENTITYSET"] == path
    other = _get(http, '/rest/Employee?$filter="department=\'R%26D\'"&$method=entityset')["__ENTITYSET"]
    other_id = other.rsplit("/", 1)[1]
    both = shaped("collection", _get(http, f"{path}?$logicOperator=AND&$otherCollection={other_id}"))
    assert _keys(both) == [1, 4]
    assert _get(http, f"{path}?$logicOperator=INTERSECT&$otherCollection={other_id}") == {"result": True}
    info = shaped("info", _get(http, "/rest/$info"))
    assert {s["id"] for s in info["entitySet"]} >= {path.rsplit("/", 1)[1], other_id}
    assert shaped("ok", _get(http, f"{path}?$method=release")) == {"ok": True}
    shaped("error", _get(http, path, status=404))
    response = http.post("/rest/Employee/$entityset/$release", json=[other])
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert shaped("error", _get(http, other, status=404))["__ERROR"][0]["errCode"] == 1802
    short = _get(http, "/rest/Employee?$method=entityset&$timeout=1")["__ENTITYSET"]
    kept = _get(http, '/rest/Employee?$filter="salary>30000"&$savedfilter="salary>30000"&$orderby="salary desc"'
                      '&$savedorderby="salary desc"&$method=entityset&$timeout=1')["__ENTITYSET"]
    time.sleep(1.5)
    shaped("error", _get(http, short, status=404))  # expired
    rebuilt = shaped("collection", _get(http, kept))  # expired, but built again from what was saved
    assert rebuilt["__ENTITYSET"] == kept and _keys(rebuilt) == [6, 1, 4, 2]


def test_catalog_and_descriptions(http: Any) -> None:
    listing = shaped("catalog", _get(http, "/rest/$catalog"))
    assert [d["name"] for d in listing["dataClasses"]] == list(CAT.dataclasses)
    everything = shaped("catalogAll", _get(http, "/rest/$catalog/$all"))
    assert restquery.Catalog.from_json(everything).dataclasses.keys() == CAT.dataclasses.keys()
    assert shaped("dataclass", _get(http, "/rest/$catalog/Employee"))["key"] == [{"name": "ID"}]
    assert _get(http, "/rest/$catalog/getName") == {"result": "restquery stand-in"}  # a datastore function


def test_functions_answer_their_configured_value(http: Any) -> None:
    assert shaped("result", _get(http, "/rest/Employee/getHighSalaries")) == {"result": [{"ID": 6}]}
    assert _get(http, "/rest/$singleton/Shopping/buildShoppingList") == {"result": ["milk", "eggs"]}
    assert _get(http, "/rest/City/getCities") == {"result": None}  # not configured: null
    response = http.post("/rest/Employee(1)/getFullName", content=b"[]")
    assert response.status_code == 200 and response.json() == {"result": None}
    assert http.post("/rest/Employee(404)/getFullName", content=b"[]").status_code == 404


def test_updates_and_deletes(base: str) -> None:
    with serve("--catalog", str(CATALOG), "--data", str(FIXTURES / "data.json")) as url, httpx.Client(base_url=url) as http:
        made = http.post("/rest/Employee?$method=update", json={"lastName": "New", "salary": 10})
        assert made.status_code == 200
        new = shaped("entity", made.json())
        assert (new["__KEY"], new["__STAMP"], new["lastName"]) == ("7", 1, "New")
        changed = shaped("entity", http.post("/rest/Employee?$method=update",
                                             json={"__KEY": "7", "__STAMP": 1, "salary": 11}).json())
        assert (changed["salary"], changed["__STAMP"]) == (11, 2)
        stale = shaped("entity", http.post("/rest/Employee?$method=update", json={"__KEY": "7", "__STAMP": 1, "salary": 12}).json())
        assert stale["__ERROR"][0]["errCode"] == 1263 and stale["salary"] == 11
        batch = shaped("entities", http.post("/rest/Employee?$method=update", json=[{"lastName": "A"}, {"lastName": "B"}]).json())
        assert [e["__KEY"] for e in batch["__ENTITIES"]] == ["8", "9"]
        bad = http.post("/rest/Employee?$method=update", json={"salry": 1})
        assert bad.status_code == 400 and "salry" in shaped("error", bad.json())["__ERROR"][0]["message"]
        assert http.post("/rest/Employee?$method=update", content=b"{not json").status_code == 400
        assert shaped("ok", http.post("/rest/Employee(7)?$method=delete").json()) == {"ok": True}
        assert http.get("/rest/Employee(7)").status_code == 404
        gone = http.post('/rest/Employee?$filter="lastName=A OR lastName=B"&$method=delete')
        assert gone.status_code == 200 and http.get("/rest/Employee?$top=0").json()["__COUNT"] == 6


def test_requests_restquery_refuses_never_reach_the_data(http: Any) -> None:
    refused = http.get("/rest/Company(11)/blobAtt?$binary=true")  # RQ301: $binary without $expand
    assert refused.status_code == 400 and shaped("error", refused.json())["__ERROR"][0]["errCode"] == 301
    unknown = http.get('/rest/Employee?$filter="salry>1"')
    assert unknown.status_code == 404 and "RQ202" in {d["code"] for d in unknown.json()["diagnostics"]}
    shaped("error", _get(http, "/nowhere", status=404))


def test_seeded_rows_and_a_policy(tmp_path: Any) -> None:
    policy = tmp_path / "restquery.toml"
    policy.write_text('[policy]\nmax_top = 5\n', encoding="utf-8")
    with serve("--catalog", str(CATALOG), "--rows", "7", "--seed", "3", "--policy", str(policy)) as url, \
            httpx.Client(base_url=url) as http:
        doc = shaped("collection", http.get("/rest/City?$top=5").json())
        assert doc["__COUNT"] == 7 and doc["__SENT"] == 5
        first = doc["__ENTITIES"]
        over = http.get("/rest/City?$top=6")
        assert over.status_code == 400 and "RQ501" in {d["code"] for d in over.json()["diagnostics"]}
    with serve("--catalog", str(CATALOG), "--rows", "7", "--seed", "3") as url, httpx.Client(base_url=url) as http:
        again = http.get("/rest/City?$top=5").json()["__ENTITIES"]
    strip = [{k: v for k, v in e.items() if k != "__TIMESTAMP"} for e in first]
    assert [{k: v for k, v in e.items() if k != "__TIMESTAMP"} for e in again] == strip  # same seed, same rows


def test_usage_errors_exit_2(tmp_path: Any) -> None:
    assert restquery_cli("serve").returncode == 2  # a catalog or a project is required
    bad = tmp_path / "data.json"
    bad.write_text('{"Nope": []}', encoding="utf-8")
    done = restquery_cli("serve", "--catalog", str(CATALOG), "--data", str(bad), "--port", "0", timeout=60)
    assert done.returncode == 2 and "no dataclass `Nope`" in done.stderr and "Traceback" not in done.stderr


def test_the_client_round_trips_through_serve(tmp_path: Any) -> None:
    from restquery.build import F, Q
    from restquery.client import Client, Entity, Selection
    from restquery.errors import RestServerError

    with serve("--catalog", str(CATALOG), "--data", str(FIXTURES / "data.json"),
               "--functions", str(FIXTURES / "functions.json")) as url, Client(url, catalog=CAT) as client:
        one = client.get(Q("Employee", 4))
        assert isinstance(one, Entity) and (one.key, one.stamp, one["lastName"]) == ("4", 1, "émile")
        page = client.get(Q("Employee").filter(F.salary > 30000).orderby(F.salary.desc()).top(2))
        assert isinstance(page, Selection) and [e.key for e in page] == ["6", "1"] and page.total == 4
        assert [e.key for e in client.iter(Q("Employee"), page_size=4)] == ["1", "2", "3", "4", "5", "6"]
        with client.entityset(Q("Employee").filter(F.department == "Sales"), timeout=60) as es:
            assert es.count == 2 and [e.key for e in es.iter(page_size=1)] == ["2", "3"]
            set_id = es.id
        with pytest.raises(RestServerError) as info:
            client.get(f"/rest/Employee/$entityset/{set_id}")
        assert info.value.status == 404 and info.value.err_code == 1802  # released on leaving the block
        saved = client.update("Employee", {"lastName": "Round", "salary": 1})
        assert saved["lastName"] == "Round" and saved.stamp == 1
        assert client.delete("Employee", saved.key) == {"ok": True}
        assert client.call(Q("Employee").call("getHighSalaries", args=[50000])) == {"result": [{"ID": 6}]}
        target = client.download(Q("Company", 1).attribute("blobAtt").binary(), tmp_path / "blob.bin")
        assert target.read_bytes() == bytes(range(256))


def test_serve_and_fuzz_read_a_4d_project(tmp_path: Any) -> None:
    project = FIXTURES.parent / "projects" / "acme"
    cat = restquery.Catalog.from_project(project)
    with serve("--project", str(project), "--rows", "5") as url:
        listing = shaped("catalog", httpx.get(url + "/rest/$catalog", timeout=10).json())
        assert [d["name"] for d in listing["dataClasses"]] == [n for n, dc in cat.dataclasses.items() if dc.exposed]
        done = restquery_cli("fuzz", "--target", url, "--project", str(project), "--examples", "30")
    assert done.returncode == 0, done.stdout


def test_sessions_uploads_locks_and_qodly_verbs(base: str) -> None:
    with serve("--catalog", str(CATALOG), "--data", str(FIXTURES / "data.json")) as url, httpx.Client(base_url=url) as http:
        login = http.post("/rest/$directory/login", headers={"username-4d": "kim", "password-4d": "x"})
        assert shaped("result", login.json()) == {"result": True} and login.cookies.get("WASID4D")
        upload = http.post("/rest/$upload?$rawPict=true", content=b"\x89PNG...")
        assert upload.status_code == 200 and shaped("upload", upload.json())["ID"]
        assert shaped("result", _get(http, "/rest/Employee(1)?$lock=true"))["result"] is True
        assert _get(http, "/rest/$info/privileges") == {"privileges": []}
        page = http.get("/rest/$getWebForm")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        # Qodly's verbs: PATCH updates, DELETE deletes (each draws restquery's Qodly-only warning)
        patched = http.patch("/rest/Employee(2)", json={"salary": 31500})  # the entity the URL names
        assert patched.status_code == 200 and shaped("entity", patched.json())["salary"] == 31500
        assert http.delete("/rest/Employee(2)").json() == {"ok": True}
        assert http.get("/rest/Employee(2)").status_code == 404


def test_a_database_file_keeps_the_data_between_runs(tmp_path: Any) -> None:
    db = tmp_path / "app.sqlite"
    with serve("--catalog", str(CATALOG), "--data", str(FIXTURES / "data.json"), "--database", str(db)) as url:
        assert httpx.post(url + "/rest/Employee?$method=update", json={"__KEY": "1", "salary": 1}).status_code == 200
    with serve("--catalog", str(CATALOG), "--database", str(db)) as url:  # no --data: the file's rows
        one = httpx.get(url + "/rest/Employee(1)").json()
        count = httpx.get(url + "/rest/Employee?$top=0").json()["__COUNT"]
    assert (one["lastName"], one["salary"], count) == ("Smith", 1, 6)
