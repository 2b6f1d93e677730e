"""One reading of a ``catalog=`` argument (restquery.catalog.catalog_argument) for validate(),
the integrations, lint_text() and the strategies: a file is loaded once per modification, and a
wrong type is a CatalogError (a RestQueryError) everywhere."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import restquery
import restquery._catalog_json as loader
from restquery.catalog import Catalog, catalog_argument
from restquery.errors import CatalogError, RestQueryError
from restquery.lint import lint_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "catalog.json"
TYPO = "/rest/Employe"  # RQ201 with a catalog that has Employee


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    real = loader.load

    def load(obj: Any, source: Any) -> Any:
        calls.append(obj)
        return real(obj, source)

    monkeypatch.setattr(loader, "load", load)
    return calls


@pytest.mark.parametrize("as_path", [str, Path])
def test_a_file_is_loaded_once_per_modification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_path: Any
) -> None:
    path = tmp_path / "catalog.json"
    shutil.copy(EXAMPLE, path)
    calls = _counting(monkeypatch)
    first = [d.code for d in restquery.validate(TYPO, catalog=as_path(path))]
    for _ in range(5):
        assert [d.code for d in restquery.validate(TYPO, catalog=as_path(path))] == first
    assert "RQ201" in first
    assert len(calls) == 1
    assert catalog_argument(as_path(path)) is catalog_argument(str(path))
    # A new version of the file is read again: the schema now has `Employe`.
    text = path.read_text(encoding="utf-8").replace('"name": "Employee"', '"name": "Employe"', 1)
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert "RQ201" not in [d.code for d in restquery.validate(TYPO, catalog=as_path(path))]
    assert len(calls) == 2


def test_documents_are_loaded_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for value in (text, text.encode(), bytearray(text.encode())):
        cat = catalog_argument(value)
        assert isinstance(cat, Catalog) and cat.dataclass("Employee") is not None
    cat = catalog_argument(text)
    assert catalog_argument(cat) is cat
    assert catalog_argument(None) is None


def test_a_missing_file_is_a_located_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="missing.json"):
        catalog_argument(str(tmp_path / "missing.json"))


@pytest.mark.parametrize("bad", [3, 2.5, ["Employee"], object()])
def test_a_wrong_type_is_a_catalog_error_everywhere(bad: Any) -> None:
    from restquery.integrations.asgi import RestQueryMiddleware
    from restquery.integrations.wsgi import RestQueryMiddleware as RestQueryWSGIMiddleware

    async def app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - never run
        pass

    def wsgi_app(environ: Any, start_response: Any) -> list[bytes]:  # pragma: no cover
        return []

    for call in (
        lambda: restquery.validate(TYPO, catalog=bad),
        lambda: lint_text(f"f('{TYPO}')", "js", catalog=bad),
        lambda: RestQueryMiddleware(app, catalog=bad),
        lambda: RestQueryWSGIMiddleware(wsgi_app, catalog=bad),
    ):
        with pytest.raises(CatalogError, match=f"not {type(bad).__name__}") as err:
            call()
        assert isinstance(err.value, RestQueryError)
