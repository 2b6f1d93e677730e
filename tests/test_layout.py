"""The layout the README draws: data flows one way (syntax → semantics + rules → report →
commands), no module-level import cycle, no module over 800 lines."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "restquery"

#: Layers, lowest first: a module may import its own layer and those below, never above.
LAYERS: list[tuple[str, ...]] = [
    # the syntax, the tree, the parameter table, the catalog
    ("restquery._records", "restquery._nodes", "restquery.errors", "restquery.params",
     "restquery._tree_data",
     "restquery.ast", "restquery.syntax", "restquery.parser", "restquery.printer",
     "restquery.diagnostics", "restquery.render", "restquery._suggest", "restquery._names",
     "restquery.catalog", "restquery._catalog_json", "restquery._catalog_project"),
    # meaning: path forms, facts, rules, the checker
    ("restquery.semantics", "restquery.shape", "restquery.rules", "restquery.policy",
     "restquery.checker"),
    # reports
    ("restquery.report",),
    # commands and adapters
    ("restquery.cli", "restquery.lint", "restquery.integrations", "restquery.strategies",
     "restquery.build", "restquery.codegen", "restquery.client", "restquery.sql", "restquery.serve", "restquery.fuzz",
     "restquery.__main__"),
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int | None:
    for n, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return n
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, *, top_level_only: bool) -> Iterator[tuple[str, int]]:
    """The restquery modules ``module`` imports (and the line), leaving out what only mypy reads
    (``if TYPE_CHECKING:``)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(nodes: list[ast.stmt], nested: bool) -> Iterator[ast.stmt]:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                yield from visit(node.orelse, nested)
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                yield node
                continue
            inner = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            if top_level_only and inner:
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    stmts = [b for b in block if isinstance(b, ast.stmt)]
                    stmts += [s for h in block if isinstance(h, ast.ExceptHandler) for s in h.body]
                    yield from visit(stmts, nested or inner)

    for node in visit(tree.body, False):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            assert isinstance(node, ast.ImportFrom)
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target
                     for a in node.names]
        for name in names:
            if name.startswith("restquery") and name in MODULES and name != module:
                yield name, node.lineno


def test_data_flows_one_way() -> None:
    wrong = []
    for module in MODULES:
        mine = _layer(module)
        if mine is None:
            continue
        for target, line in _imports(module, top_level_only=False):
            theirs = _layer(target)
            if theirs is not None and theirs > mine:
                wrong.append(f"{module}:{line} imports {target} (a later layer)")
    assert wrong == []


def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if _layer(m) is None] == ["restquery"]


def test_no_import_cycle_at_module_level() -> None:
    graph = {m: {t for t, _ in _imports(m, top_level_only=True)} for m in MODULES}
    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path) -> None:
    """The test above can fail: two modules importing each other are one component."""
    global MODULES
    saved = MODULES
    try:
        pkg = tmp_path / "restquery"
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        (pkg / "a.py").write_text("from restquery import b\n")
        (pkg / "b.py").write_text("import restquery.a\n")
        MODULES = {"restquery": pkg / "__init__.py", "restquery.a": pkg / "a.py",
                   "restquery.b": pkg / "b.py"}
        assert [t for t, _ in _imports("restquery.a", top_level_only=True)] == ["restquery.b"]
        try:
            test_no_import_cycle_at_module_level()
        except AssertionError as err:
            assert "restquery.a" in str(err) and "restquery.b" in str(err)
        else:
            raise AssertionError("the cycle was not found")
    finally:
        MODULES = saved


def test_no_module_over_800_lines() -> None:
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800}
    assert long == {}
