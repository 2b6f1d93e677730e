"""Tests for restquery.catalog: loading $catalog documents, lookups, path resolution (spec §9, R9–R14)."""

from __future__ import annotations

import copy
import json
import pathlib

import pytest

from restquery.catalog import (
    NOT_AN_OBJECT,
    UNKNOWN_ATTRIBUTE,
    UNKNOWN_TARGET,
    Attribute,
    Catalog,
    DataClass,
    Function,
    suggestions,
    type_class,
)
from restquery.errors import CatalogError, RestQueryError

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
FULL = EXAMPLES / "catalog.json"
SINGLE = EXAMPLES / "catalog-employee.json"
QODLY = EXAMPLES / "catalog-qodly.json"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.from_json(FULL)


def dc(cat: Catalog, name: str) -> DataClass:
    found = cat.dataclass(name)
    assert found is not None, name
    return found


# --------------------------------------------------------------------------------------------
# Loading the example documents and every accepted input form


def test_full_example_lists_its_dataclasses_functions_and_singletons(cat: Catalog) -> None:
    assert {"Company", "Employee", "City", "User", "Users", "Documents", "Orders"} <= set(
        cat.dataclasses
    )
    assert list(cat.dataclasses)[:2] == ["Company", "Employee"]  # document order
    assert cat.unique_id == "96A49F7EF2ABDE44BF32059D9ABC65C1"
    assert [f.name for f in cat.functions] == ["authentify", "getName"]
    assert cat.singleton("VehicleFactory").function("buildVehicle") is not None
    assert cat.attributes_known
    assert cat.unresolved_relations() == ()
    company = dc(cat, "Company")
    assert company.default_top_size == 100
    assert company.data_uri == "/rest/Company"
    assert company.collection_name == "CompanySelection"
    assert list(dc(cat, "Employee").attributes)[:3] == ["ID", "firstName", "lastName"]


def test_single_dataclass_document_loads_as_a_one_dataclass_catalog() -> None:
    cat = Catalog.from_json(SINGLE)
    assert list(cat.dataclasses) == ["Employee"]
    emp = dc(cat, "Employee")
    assert emp.default_top_size == 20
    # top-level "methods" of a bare dataclass are the dataclass's functions, not datastore ones
    assert cat.functions == ()
    assert emp.function("getFullName", apply_to="entity").allowed_on_http_get is True
    # the relation leads to Company, which this document does not describe: kept, not fatal
    assert emp.attribute("employer").is_related_entity
    assert cat.relation_target(emp, "employer") is None
    assert [(d.name, a.name) for d, a in cat.unresolved_relations()] == [("Employee", "employer")]
    res = cat.resolve_path(emp, "employer.name")
    assert (res.ok, res.error_index, res.reason) == (False, 0, UNKNOWN_TARGET)
    assert res.attribute.name == "employer"
    assert cat.resolve_path(emp, "employer").ok  # naming the relation itself is fine


def test_qodly_document_keeps_its_name_and_exposed_flags() -> None:
    cat = Catalog.from_json(QODLY)
    assert cat.name == "HRPortal"
    assert list(cat.dataclasses) == ["Employee", "Company", "AuditLog"]
    assert dc(cat, "AuditLog").exposed is False
    assert dc(cat, "Employee").exposed is True
    assert dc(cat, "Employee").attribute("ssn").exposed is False
    assert dc(cat, "Employee").attribute("ID").unique is True
    assert cat.function("resetDemoData").exposed is False
    assert cat.function("getName").allowed_on_http_get is True
    assert cat.relation_target(dc(cat, "Company"), "staff").name == "Employee"


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: FULL, id="pathlib"),
        pytest.param(lambda: str(FULL), id="str-path"),
        pytest.param(lambda: FULL.read_text(encoding="utf-8"), id="json-text"),
        pytest.param(
            lambda: "\n  " + FULL.read_text(encoding="utf-8"), id="json-text-leading-space"
        ),
        pytest.param(lambda: FULL.read_bytes(), id="bytes"),
        pytest.param(lambda: b"\xef\xbb\xbf" + FULL.read_bytes(), id="bytes-with-bom"),
        pytest.param(lambda: json.loads(FULL.read_text(encoding="utf-8")), id="dict"),
    ],
)
def test_every_input_form_gives_the_same_catalog(make, cat: Catalog) -> None:  # type: ignore[no-untyped-def]
    loaded = Catalog.from_json(make())
    assert loaded == cat
    assert hash(loaded) == hash(cat)
    assert loaded.dataclass("Employee").attribute("salary").type == "number"


def test_a_catalog_is_returned_as_is(cat: Catalog) -> None:
    assert Catalog.from_json(cat) is cat


def test_source_names_the_document_in_errors() -> None:
    with pytest.raises(CatalogError, match=r"^prod \$catalog: /dataClasses: "):
        Catalog.from_json({"dataClasses": 1}, source="prod $catalog")


def test_one_4d_example_spells_the_array_dataClass() -> None:
    doc = {
        "dataClass": [
            {"name": "Company", "uri": "/rest/$catalog/Company", "dataURI": "/rest/Company"}
        ]
    }
    cat = Catalog.from_json(doc)
    assert list(cat.dataclasses) == ["Company"]


def test_short_catalog_marks_attributes_unknown() -> None:
    doc = {
        "__UNIQID": "AB12",
        "dataClasses": [
            {
                "name": "Company",
                "uri": "http://127.0.0.1:8081/rest/$catalog/Company",
                "dataURI": "http://127.0.0.1:8081/rest/Company",
            },
            {
                "name": "Employee",
                "uri": "http://127.0.0.1:8081/rest/$catalog/Employee",
                "dataURI": "http://127.0.0.1:8081/rest/Employee",
            },
        ],
        "singletons": [{"name": "VehicleFactory", "methods": [{"name": "buildVehicle"}]}],
    }
    cat = Catalog.from_json(doc)
    emp = dc(cat, "Employee")
    assert cat.dataclass("Employe") is None  # names are still checked
    assert emp.attributes_known is False
    assert cat.attributes_known is False
    assert emp.attribute("lastName") is None
    res = cat.resolve_path(emp, "anything.at.all")
    assert res.ok and res.checked is False  # accepted, but not verified
    assert cat.singleton("VehicleFactory").function("buildVehicle").allowed_on_http_get is False


def test_empty_catalog_is_valid() -> None:
    cat = Catalog.from_json('{"dataClasses": []}')
    assert cat.dataclass("Employee") is None


# --------------------------------------------------------------------------------------------
# Malformed documents: CatalogError naming the place (JSON pointer) and the problem


def _doc(**employee_changes: object) -> dict:  # type: ignore[type-arg]
    """A small valid $all document; keyword arguments replace keys of its Employee dataclass."""
    doc = {
        "dataClasses": [
            {
                "name": "Company",
                "collectionName": "CompanySelection",
                "attributes": [{"name": "ID", "kind": "storage", "type": "long"}],
            },
            {
                "name": "Employee",
                "collectionName": "EmployeeSelection",
                "attributes": [
                    {"name": "ID", "kind": "storage", "type": "long", "identifying": True},
                    {"name": "firstName", "kind": "storage", "type": "string"},
                    {"name": "employer", "kind": "relatedEntity", "type": "Company"},
                    {"name": "salary", "kind": "storage", "type": "number"},
                ],
                "key": [{"name": "ID"}],
                "methods": [{"name": "getHighSalaries", "applyTo": "dataClass"}],
            },
        ],
    }
    doc["dataClasses"][1].update(employee_changes)  # type: ignore[attr-defined]
    return doc


def _attr_doc(index: int, **changes: object) -> dict:  # type: ignore[type-arg]
    doc = _doc()
    attr = doc["dataClasses"][1]["attributes"][index]
    for k, v in changes.items():
        if v is _DELETE:
            del attr[k]
        else:
            attr[k] = v
    return doc


_DELETE = object()


def _without_name() -> dict:  # type: ignore[type-arg]
    doc = _doc()
    del doc["dataClasses"][1]["name"]
    return doc


def _duplicate_dataclass() -> dict:  # type: ignore[type-arg]
    doc = _doc()
    doc["dataClasses"].append(copy.deepcopy(doc["dataClasses"][1]))
    return doc


def _duplicate_attribute() -> dict:  # type: ignore[type-arg]
    doc = _doc()
    doc["dataClasses"][1]["attributes"].append({"name": "firstName", "kind": "storage"})
    return doc


MALFORMED = [
    # (document, pointer, reason)
    ([1, 2], "/", "the document must be a JSON object, got array"),
    ("[]", "/", "the document must be a JSON object, got array"),
    ({"__UNIQID": "X"}, "/", 'no "dataClasses" array'),
    (
        {"dataClasses": {"name": "Employee"}},
        "/dataClasses",
        '"dataClasses" must be an array, got object',
    ),
    ({"dataClass": "Employee"}, "/dataClass", '"dataClass" must be an array, got string'),
    ({"dataClasses": ["Employee"]}, "/dataClasses/0", "a dataclass must be an object, got string"),
    (_without_name(), "/dataClasses/1", 'dataclass has no "name"'),
    ({"dataClass": [{"uri": "/rest/$catalog/X"}]}, "/dataClass/0", 'dataclass has no "name"'),
    ({"attributes": [], "className": "Employee"}, "/", 'dataclass has no "name"'),
    (_doc(name=7), "/dataClasses/1/name", '"name" must be a string, got number'),
    (_doc(name=""), "/dataClasses/1/name", '"name" must not be empty'),
    (
        _duplicate_dataclass(),
        "/dataClasses/2/name",
        'duplicate dataclass name "Employee" (first at /dataClasses/1)',
    ),
    (
        _doc(attributes={"ID": {}}),
        "/dataClasses/1/attributes",
        '"attributes" must be an array, got object',
    ),
    (
        _doc(attributes=[None]),
        "/dataClasses/1/attributes/0",
        "an attribute must be an object, got null",
    ),
    (_attr_doc(3, name=_DELETE), "/dataClasses/1/attributes/3", 'attribute has no "name"'),
    (
        _attr_doc(3, name=["salary"]),
        "/dataClasses/1/attributes/3/name",
        '"name" must be a string, got array',
    ),
    (
        _attr_doc(1, kind=_DELETE),
        "/dataClasses/1/attributes/1",
        'attribute "firstName" has no "kind"',
    ),
    (
        _attr_doc(1, kind="foo"),
        "/dataClasses/1/attributes/1/kind",
        '"kind" must be one of storage, relatedEntity, relatedEntities, calculated, alias, got "foo"',
    ),
    (_attr_doc(1, kind="Storage"), "/dataClasses/1/attributes/1/kind", 'got "Storage"'),
    (
        _attr_doc(1, kind=1),
        "/dataClasses/1/attributes/1/kind",
        '"kind" must be a string, got number',
    ),
    (
        _attr_doc(1, type=5),
        "/dataClasses/1/attributes/1/type",
        '"type" must be a string, got number',
    ),
    (
        _attr_doc(2, path=True),
        "/dataClasses/1/attributes/2/path",
        '"path" must be a string, got boolean',
    ),
    (
        _attr_doc(0, indexed="yes"),
        "/dataClasses/1/attributes/0/indexed",
        '"indexed" must be a boolean, got string',
    ),
    (
        _attr_doc(0, identifying=1),
        "/dataClasses/1/attributes/0/identifying",
        '"identifying" must be a boolean, got number',
    ),
    (
        _attr_doc(2, reversePath="true"),
        "/dataClasses/1/attributes/2/reversePath",
        "must be a boolean",
    ),
    (
        _attr_doc(2, readOnly=[]),
        "/dataClasses/1/attributes/2/readOnly",
        "must be a boolean, got array",
    ),
    (
        _duplicate_attribute(),
        "/dataClasses/1/attributes/4/name",
        'duplicate attribute name "firstName" in dataclass "Employee" (first at /dataClasses/1/attributes/1)',
    ),
    (
        _doc(defaultTopSize="100"),
        "/dataClasses/1/defaultTopSize",
        '"defaultTopSize" must be an integer, got string',
    ),
    (
        _doc(defaultTopSize=2.5),
        "/dataClasses/1/defaultTopSize",
        '"defaultTopSize" must be an integer, got 2.5',
    ),
    (_doc(defaultTopSize=True), "/dataClasses/1/defaultTopSize", "must be an integer, got true"),
    (_doc(className=3), "/dataClasses/1/className", '"className" must be a string, got number'),
    (_doc(collectionName={}), "/dataClasses/1/collectionName", "must be a string, got object"),
    (_doc(exposed="no"), "/dataClasses/1/exposed", '"exposed" must be a boolean, got string'),
    (_doc(key={"name": "ID"}), "/dataClasses/1/key", '"key" must be an array, got object'),
    (_doc(key=[7]), "/dataClasses/1/key/0", "a key entry must be an object, got number"),
    (_doc(key=[{}]), "/dataClasses/1/key/0", 'key entry has no "name"'),
    (
        _doc(key=[{"name": "id"}]),
        "/dataClasses/1/key/0/name",
        'key attribute "id" is not an attribute of dataclass "Employee"',
    ),
    (_doc(methods={}), "/dataClasses/1/methods", '"methods" must be an array, got object'),
    (
        _doc(methods=[{"applyTo": "dataClass"}]),
        "/dataClasses/1/methods/0",
        'function has no "name"',
    ),
    (
        _doc(methods=[{"name": "f", "allowedOnHTTPGET": "true"}]),
        "/dataClasses/1/methods/0/allowedOnHTTPGET",
        '"allowedOnHTTPGET" must be a boolean, got string',
    ),
    (
        _doc(methods=[{"name": "f", "applyTo": 1}]),
        "/dataClasses/1/methods/0/applyTo",
        "must be a string",
    ),
    (
        _doc(methods=[{"name": "f", "applyTo": "entity"}, {"name": "f", "applyTo": "entity"}]),
        "/dataClasses/1/methods/1/name",
        'duplicate function "f" (first at /dataClasses/1/methods/0)',
    ),
    (
        {"dataClasses": [], "methods": [{"name": 3}]},
        "/methods/0/name",
        '"name" must be a string, got number',
    ),
    (
        {"dataClasses": [], "methods": "authentify"},
        "/methods",
        '"methods" must be an array, got string',
    ),
    (
        {"dataClasses": [], "singletons": {}},
        "/singletons",
        '"singletons" must be an array, got object',
    ),
    (
        {"dataClasses": [], "singletons": [{"methods": []}]},
        "/singletons/0",
        'singleton has no "name"',
    ),
    (
        {
            "dataClasses": [],
            "singletons": [{"name": "S", "methods": [{"name": "f", "exposed": 0}]}],
        },
        "/singletons/0/methods/0/exposed",
        '"exposed" must be a boolean, got number',
    ),
    (
        {"dataClasses": [], "singletons": [{"name": "S"}, {"name": "S"}]},
        "/singletons/1/name",
        'duplicate singleton name "S" (first at /singletons/0)',
    ),
    ({"dataClasses": [], "__NAME": 1}, "/__NAME", '"__NAME" must be a string, got number'),
    (
        {"dataClasses": [{"name": "a/b~c", "attributes": {}}]},
        "/dataClasses/0/attributes",
        "must be an array",
    ),
]


@pytest.mark.parametrize(("doc", "pointer", "reason"), MALFORMED)
def test_malformed_document_names_the_place_and_the_problem(doc, pointer: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CatalogError) as info:
        Catalog.from_json(doc)
    text = str(info.value)
    assert text.startswith(f"<catalog>: {pointer}: "), text
    assert reason in text
    assert info.value.pointer == pointer  # type: ignore[attr-defined]
    assert info.value.reason in text  # type: ignore[attr-defined]
    assert isinstance(info.value, RestQueryError) and isinstance(info.value, ValueError)


def test_message_format_with_a_file_name(tmp_path: pathlib.Path) -> None:
    doc = _doc()
    doc["dataClasses"][1]["attributes"][3] = {"kind": "storage", "type": "number"}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        Catalog.from_json(path)
    assert str(info.value) == f'{path}: /dataClasses/1/attributes/3: attribute has no "name"'


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ('{"dataClasses": [}', "not JSON: Expecting value (line 1, column 18)"),
        ('{"dataClasses": []', "not JSON: Expecting ',' delimiter"),
        (b"\xff\xfe{}", "not UTF-8 text (byte 0)"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (b'{"dataClasses": [], "x": 1' + b"0" * 5000 + b"}", "not JSON"),
        (42, "expected a JSON object, JSON text, bytes or a file path, got int"),
        (None, "got NoneType"),
    ],
)
def test_text_that_is_not_a_json_document_is_a_catalog_error(source, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CatalogError) as info:
        Catalog.from_json(source)
    assert str(info.value).startswith("<catalog>: ")
    assert reason in str(info.value)


def test_unreadable_files_are_catalog_errors_not_oserrors(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(CatalogError, match="nope.json: cannot read the file: No such file"):
        Catalog.from_json(missing)
    with pytest.raises(CatalogError, match="cannot read the file"):
        Catalog.from_json(str(tmp_path))  # a directory
    with pytest.raises(CatalogError, match="cannot read the file"):
        Catalog.from_json("bad\0path.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{'dataClasses': []}", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken.json: not JSON: Expecting property name"):
        Catalog.from_json(broken)


# --------------------------------------------------------------------------------------------
# Lookups, relation targets, aliases


@pytest.mark.parametrize(
    ("dataclass", "attribute", "target", "to_many"),
    [
        ("Company", "staff", "Employee", True),  # relatedEntities via collectionName
        ("Employee", "employer", "Company", False),  # relatedEntity via type
        ("Employee", "manager", "Employee", False),
        ("Employee", "directReports", "Employee", True),
        ("Users", "Orders", "Orders", True),
        ("Orders", "Purchaser", "Users", False),
        ("Documents", "owner", "Employee", False),
        ("Company", "employees", "Employee", True),  # alias of a relation
        ("Employee", "salary", None, False),
        ("Employee", "employerName", None, False),  # alias of a scalar
        ("Employee", "nope", None, False),
    ],
)
def test_relation_targets(
    cat: Catalog, dataclass: str, attribute: str, target, to_many: bool
) -> None:  # type: ignore[no-untyped-def]
    owner = dc(cat, dataclass)
    found = cat.relation_target(owner, attribute)
    assert (found.name if found else None) == target
    if owner.attribute(attribute) is not None:
        assert cat.resolve_path(owner, [attribute]).to_many is to_many


@pytest.mark.parametrize(
    ("attribute", "target"),
    [
        # no collectionName in the document: strip "Selection" / "Collection"
        ({"name": "r", "kind": "relatedEntities", "type": "BSelection"}, "B"),
        ({"name": "r", "kind": "relatedEntities", "type": "BCollection"}, "B"),
        # unknown selection class: the opposite N->1 relation named by "path"
        ({"name": "r", "kind": "relatedEntities", "type": "Whatever", "path": "a"}, "B"),
        # relatedEntity without a usable type: fall back to "path"
        ({"name": "r", "kind": "relatedEntity", "type": "Gone", "path": "B"}, "B"),
        # a calculated attribute returning an entity or an entity selection
        ({"name": "r", "kind": "calculated", "type": "B"}, "B"),
        ({"name": "r", "kind": "calculated", "type": "BSelection"}, "B"),
        ({"name": "r", "kind": "relatedEntity", "type": "Gone"}, None),
        ({"name": "r", "kind": "relatedEntities", "type": "GoneSelection"}, None),
    ],
)
def test_relation_target_fallbacks(attribute: dict, target: str | None) -> None:  # type: ignore[type-arg]
    cat = Catalog.from_json(
        {
            "dataClasses": [
                {"name": "A", "attributes": [attribute]},
                {"name": "B", "attributes": [{"name": "a", "kind": "relatedEntity", "type": "A"}]},
            ]
        }
    )
    found = cat.relation_target(dc(cat, "A"), "r")
    assert (found.name if found else None) == target


def test_alias_and_calculated_attributes(cat: Catalog) -> None:
    emp = dc(cat, "Employee")
    alias = emp.attribute("employerName")
    assert (alias.kind, alias.path, alias.read_only, alias.type_class) == (
        "alias",
        "employer.name",
        True,
        "string",
    )
    res = cat.resolve_path(emp, "employerName")
    assert res.ok and res.effective is dc(cat, "Company").attribute("name")
    assert cat.resolve_path(emp, "employerName.first").reason == NOT_AN_OBJECT
    calc = emp.attribute("fullName")
    assert (calc.kind, calc.read_only, calc.is_relation) == ("calculated", True, False)
    assert cat.resolve_path(emp, "fullName").ok
    assert cat.resolve_path(emp, "age").attribute.is_numeric  # a calculated number can be summed
    res = cat.resolve_path(dc(cat, "Company"), "employees.lastName")
    assert res.ok and res.dataclass.name == "Employee"
    assert cat.resolve_path(dc(cat, "Company"), "employees").effective.is_related_entities


def test_alias_cycles_and_long_chains_end() -> None:
    attrs = [
        {"name": "a", "kind": "alias", "type": "string", "path": "b"},
        {"name": "b", "kind": "alias", "type": "string", "path": "a"},
    ]
    attrs += [
        {"name": f"c{i}", "kind": "alias", "type": "object", "path": f"c{i + 1}"}
        for i in range(3000)
    ]
    attrs.append({"name": "c3000", "kind": "storage", "type": "object"})
    cat = Catalog.from_json({"dataClasses": [{"name": "A", "attributes": attrs}]})
    a = dc(cat, "A")
    assert cat.resolve_path(a, "a").ok
    assert cat.resolve_path(a, "a.x").error_index == 1  # falls back to its own type: string
    res = cat.resolve_path(a, "c0.deep.prop")
    assert res.ok and res.in_object  # its own type says object


# --------------------------------------------------------------------------------------------
# resolve_path: hops, object properties, failures


@pytest.mark.parametrize(
    ("start", "path", "owner", "attribute"),
    [
        ("Employee", "lastName", "Employee", "lastName"),
        ("Employee", "employer.name", "Company", "name"),
        ("Employee", "employer.staff.lastName", "Employee", "lastName"),
        ("Employee", "manager.employer.staff.salary", "Employee", "salary"),
        ("Company", "staff.employer.revenues", "Company", "revenues"),
        ("Users", "Orders.Purchaser.Name", "Users", "Name"),
        ("Orders", "Purchaser.Orders.Quantity", "Orders", "Quantity"),
    ],
)
def test_paths_hop_through_relations(
    cat: Catalog, start: str, path: str, owner: str, attribute: str
) -> None:
    res = cat.resolve_path(dc(cat, start), path)
    assert res.ok and res.checked and not res.in_object
    assert (res.dataclass.name, res.attribute.name) == (owner, attribute)
    assert res == cat.resolve_path(dc(cat, start), path.split("."))  # list or dotted text


@pytest.mark.parametrize(
    ("start", "path", "object_attribute", "property_path"),
    [
        ("Employee", "objectAtt.property1", "objectAtt", ("property1",)),
        ("Employee", "objectAttribute.property1", "objectAttribute", ("property1",)),
        ("Employee", "address.city", "address", ("city",)),
        ("Employee", "address.geo.lat", "address", ("geo", "lat")),
        ("Employee", "embedding.anything", "embedding", ("anything",)),
        ("Employee", "employer.settings.theme", "settings", ("theme",)),
        ("Employee", "employerSettings.theme", "employerSettings", ("theme",)),
        ("Person", "objAttribute.prop2", "objAttribute", ("prop2",)),
    ],
)
def test_any_property_below_an_object_attribute_is_accepted(
    cat: Catalog, start: str, path: str, object_attribute: str, property_path: tuple[str, ...]
) -> None:
    res = cat.resolve_path(dc(cat, start), path)
    assert res.ok and res.in_object
    assert res.attribute.name == object_attribute
    assert res.property_path == property_path


@pytest.mark.parametrize(
    ("start", "path", "index", "reason", "where"),
    [
        ("Employee", "salary.amount", 1, NOT_AN_OBJECT, "Employee"),
        ("Employee", "birthday.year", 1, NOT_AN_OBJECT, "Employee"),
        ("Employee", "photo.width", 1, NOT_AN_OBJECT, "Employee"),
        ("Employee", "fullName.first", 1, NOT_AN_OBJECT, "Employee"),
        ("Employee", "employer.name.first", 2, NOT_AN_OBJECT, "Company"),
        ("Employee", "manager.employer.revenues.x.y", 3, NOT_AN_OBJECT, "Company"),
        ("Employee", "Lastname", 0, UNKNOWN_ATTRIBUTE, "Employee"),
        ("Employee", "employer.nme", 1, UNKNOWN_ATTRIBUTE, "Company"),
        ("Employee", "employer.staff.salry", 2, UNKNOWN_ATTRIBUTE, "Employee"),
        ("Company", "employees.lastname", 1, UNKNOWN_ATTRIBUTE, "Employee"),
        ("Employee", "", 0, UNKNOWN_ATTRIBUTE, "Employee"),
    ],
)
def test_bad_paths_report_the_first_bad_name(
    cat: Catalog, start: str, path: str, index: int, reason: str, where: str
) -> None:
    res = cat.resolve_path(dc(cat, start), path)
    assert not res.ok
    assert (res.error_index, res.reason) == (index, reason)
    assert res.dataclass.name == where
    if reason == NOT_AN_OBJECT:
        assert res.attribute.name == path.split(".")[index - 1]


def test_unknown_attribute_failure_points_at_the_candidates(cat: Catalog) -> None:
    names = ["employer", "staff", "salry"]
    res = cat.resolve_path(dc(cat, "Employee"), names)
    assert res.error_index is not None and res.dataclass is not None
    assert suggestions(names[res.error_index], res.dataclass.attributes) == ["salary"]


# --------------------------------------------------------------------------------------------
# Functions, singletons, keys, type classes


@pytest.mark.parametrize(
    ("owner", "name", "apply_to", "allowed_on_http_get"),
    [
        (None, "authentify", None, False),  # datastore function, POST only
        (None, "getName", None, True),
        ("Company", "getHighRevenue", None, False),
        ("Company", "getCompanies", "dataClass", True),
        ("City", "getCity", None, True),
        ("City", "getPopulation", "entity", True),
        ("City", "getPopulation", "entitySelection", False),
        ("City", "getPopulation", "entityCollection", False),  # Wakanda-era spelling
        ("Employee", "getFullName", "entity", True),
        ("Products", "getUserManual", None, True),
    ],
)
def test_function_lookups(
    cat: Catalog, owner: str | None, name: str, apply_to: str | None, allowed_on_http_get: bool
) -> None:
    fn = cat.function(name) if owner is None else dc(cat, owner).function(name, apply_to=apply_to)
    assert fn is not None and fn.name == name
    assert fn.allowed_on_http_get is allowed_on_http_get
    assert fn.exposed is True


@pytest.mark.parametrize(
    ("owner", "name", "apply_to"),
    [
        (None, "Authentify", None),  # case-sensitive
        (None, "getHighRevenue", None),  # a dataclass function is not a datastore function
        ("Company", "authentify", None),
        ("Employee", "getFullName", "dataClass"),  # an entity function
        ("City", "getcity", None),
    ],
)
def test_function_lookups_that_find_nothing(
    cat: Catalog, owner: str | None, name: str, apply_to: str | None
) -> None:
    fn = cat.function(name) if owner is None else dc(cat, owner).function(name, apply_to=apply_to)
    assert fn is None


def test_singletons(cat: Catalog) -> None:
    factory = cat.singleton("VehicleFactory")
    assert factory.function("buildVehicle").allowed_on_http_get is False
    assert factory.function("buildvehicle") is None
    assert cat.singleton("vehicleFactory") is None
    assert cat.singleton("Shopping").function("buildShoppingList") is not None


def test_keys(cat: Catalog) -> None:
    assert dc(cat, "Employee").primary_key.type == "long"
    user = dc(cat, "User")
    assert user.key == ("userID",) and user.primary_key.type == "string"
    derived = Catalog.from_json(
        {
            "dataClasses": [
                {
                    "name": "X",
                    "attributes": [
                        {"name": "code", "kind": "storage", "type": "string", "identifying": True}
                    ],
                }
            ]
        }
    )
    assert dc(derived, "X").key == ("code",)  # no "key" array: taken from "identifying"


@pytest.mark.parametrize(
    ("dataclass", "attribute", "expected"),
    [
        ("Employee", "salary", "numeric"),
        ("Employee", "ID", "numeric"),
        ("Employee", "hireTime", "numeric"),  # duration
        ("Orders", "Quantity", "numeric"),
        ("Employee", "lastName", "string"),
        ("Employee", "birthday", "date"),
        ("Employee", "isActive", "boolean"),
        ("Employee", "photo", "picture"),
        ("User", "profilePicture", "picture"),
        ("Company", "logo", "picture"),
        ("Employee", "contract", "blob"),
        ("Documents", "contract", "blob"),
        ("Company", "blobAtt", "blob"),
        ("Employee", "objectAtt", "object"),
        ("Employee", "embedding", "object"),
        ("Employee", "employer", "unknown"),
        ("Company", "staff", "unknown"),
    ],
)
def test_type_classes(cat: Catalog, dataclass: str, attribute: str, expected: str) -> None:
    attr = dc(cat, dataclass).attribute(attribute)
    assert attr.type_class == expected
    assert attr.is_numeric is (expected == "numeric")
    assert attr.is_picture is (expected == "picture")
    assert attr.is_blob is (expected == "blob")
    assert attr.is_object is (expected == "object")


@pytest.mark.parametrize(
    ("dataclass", "attribute", "relation", "one", "many"),
    [
        ("Employee", "employer", True, True, False),
        ("Company", "staff", True, False, True),
        ("Users", "Orders", True, False, True),
        ("Employee", "salary", False, False, False),
        ("Company", "employees", False, False, False),  # an alias: see PathResolution.effective
    ],
)
def test_relation_predicates(
    cat: Catalog, dataclass: str, attribute: str, relation: bool, one: bool, many: bool
) -> None:
    attr = dc(cat, dataclass).attribute(attribute)
    assert (attr.is_relation, attr.is_related_entity, attr.is_related_entities) == (
        relation,
        one,
        many,
    )


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("long64", "numeric"),
        ("word", "numeric"),
        ("byte", "numeric"),
        ("integer", "numeric"),
        ("float", "numeric"),
        ("LONG", "numeric"),
        ("picture", "picture"),
        ("uuid", "uuid"),
        ("text", "string"),
        ("Company", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_type_class_of_type_strings(type_name: str | None, expected: str) -> None:
    assert type_class(type_name) == expected


# --------------------------------------------------------------------------------------------
# Suggestions


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("firstname", ["firstName"]),  # a case slip wins alone
        ("LASTNAME", ["lastName"]),
        ("salry", ["salary"]),
        ("employr", ["employer", "employerName", "employerSettings"]),  # best first, at most 3
        ("emplyerName", ["employerName", "employer"]),
        ("fristName", ["firstName", "lastName"]),
        ("xyzzy", []),
        ("salary", []),  # the name itself is never suggested
        ("s" * 5000, []),
    ],
)
def test_suggestions(cat: Catalog, name: str, expected: list[str]) -> None:
    assert suggestions(name, dc(cat, "Employee").attributes) == expected


def test_suggestions_limit_and_order() -> None:
    names = ["lastName", "lastNames", "lastname2", "firstName", "pastName"]
    assert suggestions("lastNam", names) == ["lastName", "lastNames", "lastname2"]
    assert suggestions("lastNam", names, limit=1) == ["lastName"]
    assert suggestions("lastNam", names, limit=0) == []
    assert suggestions("getcity", ["getCity", "getCities"]) == ["getCity"]


# --------------------------------------------------------------------------------------------
# Hand-built models


def test_hand_built_models_match_loaded_ones(cat: Catalog) -> None:
    built = Catalog(
        dataclasses=[
            DataClass(
                name="Payments",
                class_name="Payments",
                collection_name="PaymentsSelection",
                data_uri="/rest/Payments",
                scope="public",
                attributes=[
                    Attribute(
                        name="ID", type="long", indexed=True, identifying=True, scope="public"
                    ),
                    Attribute(name="Amount", type="number", scope="public"),
                    Attribute(name="PaymentDate", type="date", scope="public"),
                ],
            )
        ]
    )
    assert built.dataclass("Payments") == cat.dataclass("Payments")
    assert built.dataclass("Payments").key == ("ID",)


def test_hand_built_duplicates_are_rejected() -> None:
    with pytest.raises(CatalogError, match="duplicate attribute name 'a' in dataclass 'X'"):
        DataClass(name="X", attributes=[Attribute(name="a"), Attribute(name="a")])
    with pytest.raises(CatalogError, match="duplicate dataclass name 'X'"):
        Catalog(dataclasses=[DataClass(name="X"), DataClass(name="X")])
    fn = Function(name="f", apply_to="entity")
    assert DataClass(name="X", functions=[fn]).functions == (fn,)
