"""Catalog.from_project: the schema read from a 4D project's own sources (structure, ORDA
classes, roles), against the $catalog/$all the same schema exports, and located errors for
files that cannot be read."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

import restquery
from restquery._catalog_project import FIELD_TYPES, RETURN_TYPES
from restquery.catalog import Catalog, DataClass
from restquery.errors import CatalogError

ACME = Path(__file__).parent / "fixtures" / "projects" / "acme"
DOCS = Path(__file__).parent.parent / "docs" / "catalog.md"


@pytest.fixture(scope="module")
def project() -> Catalog:
    return Catalog.from_project(ACME)


@pytest.fixture(scope="module")
def captured() -> Catalog:
    return Catalog.from_json(ACME / "catalog.json")


def exposed_view(cat: Catalog) -> Catalog:
    """What a server lists in $catalog/$all: only what is exposed over REST."""
    dcs = [
        dataclasses.replace(
            dc,
            attributes=[a for a in dc.attributes.values() if a.exposed],
            functions=tuple(f for f in dc.functions if f.exposed),
        )
        for dc in cat.dataclasses.values()
        if dc.exposed
    ]
    singletons = [
        dataclasses.replace(s, functions=tuple(f for f in s.functions if f.exposed))
        for s in cat.singletons.values()
    ]
    return Catalog(
        dataclasses=dcs,
        functions=tuple(f for f in cat.functions if f.exposed),
        singletons=singletons,
        unique_id=cat.unique_id,
        name=cat.name,
    )


def write_project(root: Path, structure: str, classes: dict[str, str] | None = None) -> Path:
    sources = root / "Project" / "Sources"
    (sources / "Classes").mkdir(parents=True)
    (sources / "catalog.4DCatalog").write_text(structure, encoding="utf-8")
    for name, text in (classes or {}).items():
        (sources / "Classes" / f"{name}.4dm").write_text(text, encoding="utf-8")
    return root


def structure(tables: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE base SYSTEM "http://www.4d.com/dtd/2007/base.dtd" >\n'
        f'<base name="T" uuid="00FF">\n{tables}{extra}</base>\n'
    )


def table(name: str, fields: str, key: str | None = "ID", attrs: str = "") -> str:
    pk = f'<primary_key field_name="{key}"/>' if key else ""
    return f'<table name="{name}" {attrs}>\n{fields}{pk}\n</table>\n'


ID_FIELD = '<field name="ID" type="4" uuid="U1"/>\n'


# --- the same schema as the server lists it -----------------------------------------------------


def test_the_exposed_part_equals_the_catalog_the_server_exports(project, captured) -> None:
    assert exposed_view(project) == captured


def test_hidden_parts_are_kept_as_not_exposed(project) -> None:
    assert not project.dataclass("AuditLog").exposed
    assert not project.dataclass("Company").attribute("bankAccount").exposed
    assert not project.dataclass("Employee").attribute("payGrade").exposed
    assert not project.dataclass("Employee").attribute("managerName").exposed
    assert not project.dataclass("Company").function("recount").exposed
    assert not project.singleton("VehicleFactory").function("_secret").exposed


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/rest/AuditLog"),
        ("GET", "/rest/Company?$filter=\"bankAccount='x'\""),
        ("GET", "/rest/Employee(1)/payGrade"),
        ("GET", "/rest/Employee?$attributes=fullName,age,boss.lastName,employerName"),
        ("GET", '/rest/Company(1)/staff?$orderby="lastName desc"'),
        ("GET", "/rest/Employee/getHighSalaries"),
        ("GET", "/rest/$singleton/VehicleFactory/buildVehicle"),
        ("POST", "/rest/$singleton/VehicleFactory/buildVehicle"),
        ("GET", "/rest/$singleton/ProcessCache/notReachable"),
        ("GET", "/rest/$singleton/Utils/helper"),
        ("POST", "/rest/$catalog/authentify"),
        ("GET", "/rest/$catalog/getName"),
        ("GET", "/rest/Employee(1)/promote"),
        ("POST", "/rest/Employee(1)/getFullName"),
        ("GET", "/rest/Employee?$filter=\"employer.name='Acme' AND salary>1000\""),
        ("GET", "/rest/Company?$expand=staff&$attributes=staff.fullName"),
        ("GET", "/rest/Company(1)/logo?$imageformat=png&$expand=logo"),
        ("GET", "/rest/Employee?$filter=\"code='x'\""),
    ],
)
def test_the_checker_answers_the_same_with_either(project, captured, method, url) -> None:
    codes = [d.code for d in restquery.validate(url, catalog=project, method=method)]
    assert codes == [d.code for d in restquery.validate(url, catalog=captured, method=method)]


def test_a_hidden_function_is_named_as_such_where_the_export_knows_nothing(project, captured):
    # Both refuse it; the project can say why (RQ203: not exposed) where the export cannot.
    assert [d.code for d in restquery.validate("/rest/Company/recount", catalog=project,
                                                method="POST")] == ["RQ203"]
    assert [d.code for d in restquery.validate("/rest/Company/recount", catalog=captured,
                                                method="POST")] == ["RQ202"]


def test_the_project_folder_itself_is_accepted(project) -> None:
    assert Catalog.from_project(ACME / "Project") == project
    assert Catalog.from_project(str(ACME)) == project


def test_roles_are_kept_as_read(project) -> None:
    assert project.roles is not None
    assert project.roles["roles"] == [{"role": "HR", "privileges": ["payroll"]}]
    assert project.roles["forceLogin"] is True
    assert "roles" not in repr(project)


def test_validate_takes_the_project_catalog(project) -> None:
    diags = restquery.validate("/rest/Employe", catalog=project)
    assert [d.code for d in diags] == ["RQ201"]


# --- what each part of the sources becomes -----------------------------------------------------


def test_tables_orda_does_not_reference_are_left_out(project) -> None:
    # trashed (OldOrders), no primary key (Scratch), a composite primary key (Pairing)
    assert list(project.dataclasses) == ["Company", "Employee", "AuditLog"]


@pytest.mark.parametrize(("code", "type_name"), sorted(FIELD_TYPES.items(), key=lambda i: int(i[0])))
def test_each_field_type_code_reads_as_its_catalog_type(tmp_path, code, type_name) -> None:
    fields = ID_FIELD + f'<field name="f" type="{code}"/>\n'
    cat = Catalog.from_project(write_project(tmp_path, structure(table("T", fields))))
    assert cat.dataclass("T").attribute("f").type == type_name
    assert cat.dataclass("T").attribute("ID").type == "long"


def test_an_alpha_field_stored_as_uuid_is_a_uuid(project) -> None:
    assert project.dataclass("Company").attribute("code").type == "uuid"


def test_relations_have_both_directions(project) -> None:
    emp, company = project.dataclass("Employee"), project.dataclass("Company")
    assert project.relation_target(emp, "employer") is company
    assert project.relation_target(company, "staff") is emp
    assert project.relation_target(emp, "directReports") is emp
    assert company.attribute("staff").path == "employer"
    # a relation with an empty 1->N name has no attribute on that side
    assert "company" in project.dataclass("AuditLog").attributes
    assert not [a for a in company.attributes.values() if a.path == "company"]


def test_a_relation_named_like_a_field_leaves_the_field(tmp_path) -> None:
    xml = structure(
        table("Trade", ID_FIELD + '<field name="product" type="4" uuid="P"/>\n')
        + table("Product", '<field name="ID" type="4" uuid="Q"/>\n'),
        '<relation name_Nto1="product" name_1toN="trades" state="1">'
        '<related_field kind="source"><field_ref name="product"><table_ref name="Trade"/>'
        '</field_ref></related_field><related_field kind="destination"><field_ref name="ID">'
        '<table_ref name="Product"/></field_ref></related_field></relation>\n',
    )
    cat = Catalog.from_project(write_project(tmp_path, xml))
    assert cat.dataclass("Trade").attribute("product").kind == "storage"
    assert cat.dataclass("Product").attribute("trades").kind == "relatedEntities"


def test_functions_by_class_kind_and_http_get(project) -> None:
    emp = project.dataclass("Employee")
    scopes = {(f.name, f.apply_to, f.allowed_on_http_get) for f in emp.functions if f.exposed}
    assert scopes == {
        ("getHighSalaries", "dataClass", True),
        ("getFullName", "entity", True),
        ("promote", "entity", False),
        ("raiseSalaries", "entitySelection", False),
    }
    assert [(f.name, f.apply_to) for f in project.functions] == [
        ("authentify", "dataStore"), ("getName", "dataStore"),
    ]


def test_commented_out_and_quoted_declarations_are_not_functions(project) -> None:
    names = {f.name for f in project.dataclass("Employee").functions}
    assert "commentedOut" not in names and "alsoCommentedOut" not in names
    assert "inAString" not in names
    assert "_internal" in names


def test_computed_attributes_and_aliases(project) -> None:
    emp = project.dataclass("Employee")
    assert (emp.attribute("fullName").kind, emp.attribute("fullName").read_only) == ("calculated", False)
    assert (emp.attribute("age").type, emp.attribute("age").read_only) == ("long", True)
    assert project.relation_target(emp, "boss") is emp
    assert emp.attribute("employerName").type == "string"
    assert project.dataclass("Company").attribute("employees").type == "EmployeeSelection"


def test_only_shared_and_session_singletons_are_singletons(project, tmp_path) -> None:
    assert list(project.singletons) == ["VehicleFactory"]
    root = write_project(tmp_path, structure(table("T", ID_FIELD)), {
        "Prefs": "session singleton Class constructor()\nexposed Function get2()\n",
    })
    assert Catalog.from_project(root).singleton("Prefs").function("get2").exposed


def test_a_class_of_no_table_is_ignored(tmp_path) -> None:
    root = write_project(tmp_path, structure(table("T", ID_FIELD)), {
        "Ghost": "Class extends DataClass\nexposed Function boo()\n",
        "GhostEntity": "Class extends Entity\nexposed Function get x() : Text\n",
    })
    assert Catalog.from_project(root).dataclass("T").functions == ()


def test_return_types_documented(project) -> None:
    doc = DOCS.read_text(encoding="utf-8")
    for code, name in FIELD_TYPES.items():
        assert f"| {code} |" in doc and f"`{name}`" in doc, code
    for declared in RETURN_TYPES:
        assert f"`{declared}`" in doc.lower(), declared


# --- located errors ------------------------------------------------------------------------------


def error_of(root: Path) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        Catalog.from_project(root)
    return info.value


@pytest.mark.parametrize(
    ("xml", "line", "words"),
    [
        (structure(table("T", ID_FIELD + '<field type="4"/>\n')), 6, "<field> has no name"),
        (structure(table("T", ID_FIELD + '<field name="f" type="99"/>\n')), 6, 'type="99"'),
        (structure(table("T", ID_FIELD + '<field name="f"/>\n')), 6, "has no type"),
        (structure(table("T", ID_FIELD, key="nope")), 4, 'names "nope"'),
        (structure(table("T", ID_FIELD) + table("T", ID_FIELD)), 8, 'a second table named "T" (first on line 4)'),
        (structure(table("T", ID_FIELD + '<field name="f" type="4">\n')), 8, "not well-formed XML"),
        ('<?xml version="1.0"?>\n<nothing/>\n', 2, "expected a <base> element"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE base [\n<!ENTITY a "aaaa">\n]>\n<base>&a;</base>\n',
            3,
            "declares the entity",
        ),
        (
            structure(table("T", ID_FIELD), '<relation state="1"><related_field kind="x"/></relation>\n'),
            8,
            "<related_field> needs",
        ),
    ],
)
def test_a_malformed_structure_names_file_and_line(tmp_path, xml, line, words) -> None:
    err = error_of(write_project(tmp_path, xml))
    assert words in str(err)
    assert str(err).startswith(f"{tmp_path / 'Project' / 'Sources' / 'catalog.4DCatalog'}:{line}: ")
    assert err.line == line
    assert err.source.endswith("catalog.4DCatalog")


def test_not_a_project(tmp_path) -> None:
    assert "not a 4D project folder" in str(error_of(tmp_path))
    assert "not a folder" in str(error_of(tmp_path / "missing"))


def test_a_class_that_is_not_utf8_names_its_line(tmp_path) -> None:
    root = write_project(tmp_path, structure(table("T", ID_FIELD)))
    (root / "Project" / "Sources" / "Classes" / "TEntity.4dm").write_bytes(
        b"Class extends Entity\n\nexposed Function get x() : Text\n\xff\n"
    )
    err = error_of(root)
    assert str(err).endswith("TEntity.4dm:4: not UTF-8 text (byte 54)")


def test_a_computed_attribute_named_like_a_field_names_the_class_line(tmp_path) -> None:
    root = write_project(tmp_path, structure(table("T", ID_FIELD)), {
        "TEntity": "Class extends Entity\n\nexposed Function get ID() : Text\n",
    })
    err = error_of(root)
    assert str(err).endswith('TEntity.4dm:3: the computed attribute "ID" is already an attribute of "T"')


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{\n  "roles": [\n    4. ]\n}', 'roles.json:3: not JSON'),
        ("[]", "roles.json:1: expected a JSON object"),
    ],
)
def test_a_malformed_roles_file_names_its_line(tmp_path, text, words) -> None:
    root = write_project(tmp_path, structure(table("T", ID_FIELD)))
    (root / "Project" / "Sources" / "roles.json").write_text(text, encoding="utf-8")
    assert words in str(error_of(root))


def test_an_unreadable_structure_is_a_catalog_error(tmp_path) -> None:
    root = write_project(tmp_path, structure(table("T", ID_FIELD)))
    target = root / "Project" / "Sources" / "catalog.4DCatalog"
    target.unlink()
    target.mkdir()
    (target / "x").write_text("", encoding="utf-8")
    # a directory where the file should be: not a project
    assert isinstance(error_of(root), CatalogError)


def test_the_fixture_copies_like_a_user_project(tmp_path, project) -> None:
    shutil.copytree(ACME, tmp_path / "acme")
    os.remove(tmp_path / "acme" / "catalog.json")
    copy = Catalog.from_project(tmp_path / "acme")
    assert copy == project
    assert isinstance(copy.dataclass("Company"), DataClass)
