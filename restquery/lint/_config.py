"""``[tool.restquery]`` in ``pyproject.toml``.

The configuration is the nearest ``pyproject.toml`` with a ``[tool.restquery]`` table, looking
in the working directory and then each parent (or the file ``--config`` names). Keys::

    [tool.restquery]
    catalog = "catalog.json"        # a $catalog/$all export, relative to this file
    project = "."                   # or: a 4D project folder, the catalog read from its sources
    select = ["RQ1", "RQ3"]         # codes, code prefixes or names
    ignore = ["star-wildcard"]
    exclude = ["vendor", "*.min.js"]  # globs, relative to this file's directory
    extend-exclude = ["legacy"]     # more globs, kept when --exclude replaces exclude
    respect-gitignore = true        # leave out what .gitignore files ignore

    [tool.restquery.per-file-ignores]  # findings not reported in the files a glob names
    "docs/legacy/*" = ["RQ3"]
    method = "GET"                  # the method of URLs whose context does not say
    strict = false                  # warnings fail the run too
    plus-as-space = false           # a `+` in a query string is a space (form encoding)
    max-file-size = "10M"           # skip larger files (bytes, or K, M, G); 0: no limit

A command-line option replaces the value of its key (``--exclude`` replaces ``exclude``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Config", "ConfigError", "find_config", "load_config"]

_KEYS = (
    "catalog", "project", "select", "ignore", "exclude", "extend-exclude", "method", "strict",
    "max-file-size", "plus-as-space", "respect-gitignore", "per-file-ignores", "policy",
)


class ConfigError(Exception):
    """A configuration file that cannot be used (exit status 2)."""


@dataclass(frozen=True)
class Config:
    """The ``[tool.restquery]`` table of ``path`` (``None``: no configuration file)."""

    path: Path | None = None
    catalog: str | None = None
    project: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    exclude: list[str] = field(default_factory=list)
    extend_exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool | None = None
    #: a policy file (``[policy]`` of a restquery.toml, ``[tool.restquery.policy]`` of a
    #: pyproject.toml), relative to this file; a ``[tool.restquery.policy]`` table in this
    #: file is this file's
    policy: str | None = None
    #: (glob, keys): findings of those codes, prefixes or names are not reported in the files
    #: the glob names (relative to this file's directory, as ``exclude``)
    per_file_ignores: list[tuple[str, list[str]]] = field(default_factory=list)
    method: str | None = None
    strict: bool | None = None
    plus_as_space: bool | None = None
    max_file_size: int | None = None

    @property
    def base(self) -> str:
        """The directory relative paths of the file start from."""
        return str(self.path.parent) if self.path is not None else os.getcwd()


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli
        except ImportError:
            raise ConfigError("reading pyproject.toml on Python 3.10 needs the tomli package") from None
        return tomli


def _read(path: Path) -> dict[str, Any]:
    toml = _toml()
    try:
        with open(path, "rb") as fh:
            data = toml.load(fh)
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from None
    except toml.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    table: dict[str, Any] = data
    return table


def _table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None
    table = tool.get("restquery")
    return table if isinstance(table, dict) else None


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.restquery]`` table, from ``start`` (the
    working directory) up to the root."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _table(_read(candidate)) is not None:
            return candidate
    return None


def _codes(path: Path, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.restquery] {key} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def _keys(path: Path, key: str, value: Any) -> list[str]:
    """Rule keys (codes, prefixes, names), each one that names a rule or a code lint."""
    from restquery.errors import RestQueryError
    from restquery.rules import rule_keys, selection

    keys = list(rule_keys(_codes(path, key, value)))
    try:
        selection(ignore=keys)
    except RestQueryError as err:
        raise ConfigError(f"{path}: [tool.restquery] {key}: {err}") from None
    return keys


def _size(path: Path, value: Any) -> int:
    from restquery.lint._read import parse_size

    try:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError
        return parse_size(str(value))
    except ValueError:
        raise ConfigError(
            f"{path}: [tool.restquery] max-file-size must be a size in bytes such as 10485760 "
            'or "10M" (0: no limit)'
        ) from None


def load_config(path: str | Path) -> Config:
    """Read ``[tool.restquery]`` from ``path`` (an empty configuration if the table is absent)."""
    path = Path(path).resolve()
    table = _table(_read(path))
    if table is None:
        return Config(path=path)
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown key{'s' if len(unknown) > 1 else ''} in [tool.restquery]: "
            f"{', '.join(unknown)} (known: {', '.join(_KEYS)})"
        )
    catalog = table.get("catalog")
    if catalog is not None and not isinstance(catalog, str):
        raise ConfigError(f"{path}: [tool.restquery] catalog must be a path")
    project = table.get("project")
    if project is not None and not isinstance(project, str):
        raise ConfigError(f"{path}: [tool.restquery] project must be the path of a 4D project")
    if catalog is not None and project is not None:
        raise ConfigError(f"{path}: [tool.restquery] has both catalog and project: keep one")
    method = table.get("method")
    if method is not None and (not isinstance(method, str) or not method.isalpha()):
        raise ConfigError(f"{path}: [tool.restquery] method must be an HTTP method such as GET")
    strict = table.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise ConfigError(f"{path}: [tool.restquery] strict must be true or false")
    plus = table.get("plus-as-space")
    if plus is not None and not isinstance(plus, bool):
        raise ConfigError(f"{path}: [tool.restquery] plus-as-space must be true or false")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{path}: [tool.restquery] per-file-ignores must be a table of globs")
    per_file_ignores = [(glob, _keys(path, f"per-file-ignores.{glob}", keys)) for glob, keys in per_file.items()]
    policy = table.get("policy")
    if isinstance(policy, dict):
        policy_path: str | None = str(path)  # [tool.restquery.policy] of this very file
    elif isinstance(policy, str):
        policy_path = str((path.parent / policy).resolve())
    elif policy is None:
        policy_path = None
    else:
        raise ConfigError(f"{path}: [tool.restquery] policy must be a path or a [tool.restquery.policy] table")
    gitignore = table.get("respect-gitignore")
    if gitignore is not None and not isinstance(gitignore, bool):
        raise ConfigError(f"{path}: [tool.restquery] respect-gitignore must be true or false")
    return Config(
        path=path,
        plus_as_space=plus,
        catalog=str((path.parent / catalog).resolve()) if catalog else None,
        project=str((path.parent / project).resolve()) if project is not None else None,
        select=_codes(path, "select", table["select"]) if "select" in table else None,
        ignore=_codes(path, "ignore", table["ignore"]) if "ignore" in table else None,
        exclude=_codes(path, "exclude", table.get("exclude", [])),
        extend_exclude=_codes(path, "extend-exclude", table.get("extend-exclude", [])),
        respect_gitignore=gitignore,
        per_file_ignores=per_file_ignores,
        policy=policy_path,
        method=method.upper() if method else None,
        strict=strict,
        max_file_size=_size(path, table["max-file-size"]) if "max-file-size" in table else None,
    )
