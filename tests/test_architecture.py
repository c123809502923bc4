"""The import graph follows the data flow: no upward import, no cycle (issue 8).

Layers, highest first; a module may import its own layer's modules and any lower layer, never a
higher one:

    pledgegraph.cli, pledgegraph.commands, pledgegraph.server   parse input, format output
    pledgegraph.queries                                          stored questions (ask the store)
    pledgegraph.graph                                            store, query, export, reasoning…
    pledgegraph.loaders                                          facts, fact sheets, extraction
    pledgegraph.ontology                                         vocabulary, shapes, context
    pledgegraph, pledgegraph.errors, pledgegraph._version        shared by all

Imports inside ``if TYPE_CHECKING:`` are annotations only and are not counted as cycles, but
they must still respect the layers. The modules are read from the source folders with ``ast``
(nothing is imported), so the test is cheap and sees lazy imports inside functions too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {  # import name -> source folder (pyproject's package-dir)
    "pledgegraph.graph": "graph",
    "pledgegraph.loaders": "loaders",
    "pledgegraph.ontology": "ontology",
    "pledgegraph.queries": "queries",
    "pledgegraph.server": "server",
    "pledgegraph": "pledgegraph",
}
LAYERS = [  # highest first
    ("pledgegraph.cli", "pledgegraph.commands", "pledgegraph.server", "pledgegraph.__main__"),
    ("pledgegraph.queries",),
    ("pledgegraph.graph",),
    ("pledgegraph.loaders",),
    ("pledgegraph.ontology",),
    ("pledgegraph.errors", "pledgegraph._version", "pledgegraph"),
]


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, folder in FOLDERS.items():
        base = ROOT / folder
        for path in sorted(base.rglob("*.py")):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join([package, *parts])
            found.setdefault(name, path)  # pledgegraph/graph would not exist; first wins
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    best = (-1, len(LAYERS))
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                best = max(best, (len(prefix), index))
    return best[1]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, typing_only: bool = False) -> Iterator[tuple[str, int, bool]]:
    """(imported module, line, typing only) for every pledgegraph import in ``tree``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), True)
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), typing_only)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("pledgegraph"):
                    yield alias.name, node.lineno, typing_only
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("pledgegraph")
        ):
            yield node.module, node.lineno, typing_only
            for alias in node.names:  # `from pledgegraph.graph import store`
                if f"{node.module}.{alias.name}" in MODULES:
                    yield f"{node.module}.{alias.name}", node.lineno, typing_only
        yield from _imports(node, typing_only)


def _edges() -> list[tuple[str, str, int, bool]]:
    edges = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target, line, typing_only in _imports(tree):
            if target in MODULES and target != name:
                edges.append((name, target, line, typing_only))
    return edges


EDGES = _edges()


def test_the_source_folders_are_found() -> None:
    assert "pledgegraph.graph.store" in MODULES
    assert "pledgegraph.commands._context" in MODULES
    assert len(EDGES) > 50


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("pledgegraph.commands.query", 0),
        ("pledgegraph.queries", 1),
        ("pledgegraph.graph.linking.links", 2),
        ("pledgegraph.loaders.extraction", 3),
        ("pledgegraph.ontology", 4),
        ("pledgegraph.errors", 5),
    ],
)
def test_layers_are_assigned(module: str, layer: int) -> None:
    assert _layer(module) == layer


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{MODULES[source].relative_to(ROOT)}:{line}: {source} imports {target}"
        for source, target, line, _ in EDGES
        if _layer(target) < _layer(source)
    ]
    assert upward == []


def _cycles(edges: list[tuple[str, str, int, bool]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for source, target, _, _ in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def test_no_import_cycles() -> None:
    runtime = [
        edge
        for edge in EDGES
        if not edge[3]
        # a package's __init__ may re-export its submodules
        and not edge[1].startswith(edge[0] + ".")
    ]
    assert _cycles(runtime) == []


def test_the_cycle_check_can_fail() -> None:
    fake = [("pledgegraph.graph.store", "pledgegraph.graph.query", 1, False)]
    fake += [("pledgegraph.graph.query", "pledgegraph.graph.store", 1, False)]
    assert _cycles(fake) == [["pledgegraph.graph.query", "pledgegraph.graph.store"]]
