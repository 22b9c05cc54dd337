"""No import cycles among the modules of src/ouhai_tracker.

Every import statement counts: at module level, inside a function or a class, under
``if TYPE_CHECKING:`` (a cycle hidden in a function is still a cycle), ``import a.b``,
``import a.b as c``, ``from a import b`` (an edge to the module ``a.b`` when there is one, to
``a`` otherwise) and relative imports. A package's ``__init__.py`` is the package itself. The
test names every cycle with the import lines that make it, so the way out can be read off.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "ouhai_tracker"
MAX_CYCLES_SHOWN = 50


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    where: str  # file:line
    local: bool  # inside a function or class body, or a conditional block
    statement: str


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Dotted name -> file for every .py under ``root`` (the folder of ``package``)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join([package, *parts])] = path
    return names


def _nearest(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` or its nearest enclosing module that exists (``a.b.C`` -> ``a.b``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(tree: ast.AST):
    """(node, local) for every import statement; local: not at the module's top level."""
    top = set(map(id, tree.body)) if isinstance(tree, ast.Module) else set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, id(node) not in top


def import_graph(root: Path, package: str) -> tuple[dict[str, Path], list[Edge]]:
    modules = module_names(root, package)
    edges: dict[tuple[str, str, str], Edge] = {}  # one per statement and target
    for name, path in modules.items():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        lines = source.splitlines()
        own_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node, local in _imports(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = own_package.split(".")
                    base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                for alias in node.names:
                    submodule = f"{origin}.{alias.name}"
                    targets.append(submodule if submodule in modules else origin)
            for target in targets:
                resolved = _nearest(target, modules) if target.split(".")[0] == package else None
                if resolved and resolved != name:
                    where = f"{path.relative_to(root.parent)}:{node.lineno}"
                    edges.setdefault((name, resolved, where),
                                     Edge(name, resolved, where, local, lines[node.lineno - 1].strip()))
    return modules, list(edges.values())


def strongly_connected(nodes, successors: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit to meet)."""
    index, low, on_stack, stack, components, counter = {}, {}, set(), [], [], [0]
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(successors.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(successors.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def simple_cycles(component: list[str], successors: dict[str, set[str]], limit: int) -> list[list[str]]:
    """The elementary cycles inside one strongly connected component, each once (it starts at its
    smallest module), at most ``limit`` of them."""
    members, cycles = set(component), []
    for start in component:
        path, stack = [start], [iter(sorted(successors[start] & members))]
        while stack and len(cycles) < limit:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                path.pop()
            elif child == start:
                cycles.append(path + [start])
            elif child > start and child not in path:
                path.append(child)
                stack.append(iter(sorted(successors[child] & members)))
    return cycles


def find_cycles(edges: list[Edge], limit: int = MAX_CYCLES_SHOWN) -> tuple[list[list[str]], list[list[str]]]:
    """(the strongly connected components of more than one module, their elementary cycles)."""
    successors: dict[str, set[str]] = {}
    for edge in edges:
        successors.setdefault(edge.source, set()).add(edge.target)
        successors.setdefault(edge.target, set())
    components = [c for c in strongly_connected(successors, successors) if len(c) > 1]
    cycles = []
    for component in components:
        cycles += simple_cycles(component, successors, limit - len(cycles))
    return components, cycles


def describe(cycles: list[list[str]], components: list[list[str]], edges: list[Edge]) -> str:
    by_pair: dict[tuple[str, str], list[Edge]] = {}
    for edge in edges:
        by_pair.setdefault((edge.source, edge.target), []).append(edge)
    out = [f"{len(cycles)} import cycle(s) among the modules of {PACKAGE} "
           f"({len(components)} group(s) of modules that import each other):"]
    for cycle in cycles:
        out.append("  " + " -> ".join(cycle))
        for source, target in zip(cycle, cycle[1:]):
            for edge in by_pair[(source, target)]:
                out.append(f"      {edge.where}{' (local)' if edge.local else ''}: {edge.statement}")
    if len(cycles) >= MAX_CYCLES_SHOWN:
        out.append(f"  (the first {MAX_CYCLES_SHOWN} shown; groups: "
                   + "; ".join(", ".join(c) for c in components) + ")")
    return "\n".join(out)


def test_no_import_cycles_among_the_packages_modules():
    modules, edges = import_graph(SRC / PACKAGE, PACKAGE)
    # Not vacuous: the walk saw the package and its imports (55 modules importing each other
    # in 135 pairs when this test was written; function-local imports are common here).
    assert len(modules) >= 30, sorted(modules)
    assert len({(e.source, e.target) for e in edges}) >= 60, edges
    assert any(e.local for e in edges), "no function-local import found: the walk misses them"
    components, cycles = find_cycles(edges)
    assert not cycles, describe(cycles, components, edges)


# ---- the walk itself, on a small package made here ------------------------------------------

def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_walk_reads_every_form_of_import(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "from pkg.a import thing\n",
        "a.py": "import os\nimport pkg.sub.b as b\n",
        "sub/__init__.py": "",
        "sub/b.py": "from . import c\nfrom .. import a\n",
        "sub/c.py": "def f():\n    from ..d import g\n    import pkg.sub\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
                "class K:\n    from pkg.sub import c as cc\n",
    })
    modules, edges = import_graph(root, "pkg")
    assert set(modules) == {"pkg", "pkg.a", "pkg.sub", "pkg.sub.b", "pkg.sub.c", "pkg.d"}
    pairs = {(e.source, e.target, e.local) for e in edges}
    assert pairs == {
        ("pkg", "pkg.a", False),                # from package import name -> the module it names
        ("pkg.a", "pkg.sub.b", False),          # import a.b as c
        ("pkg.sub.b", "pkg.sub.c", False),      # from . import module
        ("pkg.sub.b", "pkg.a", False),          # from .. import module
        ("pkg.sub.c", "pkg.d", True),           # relative, inside a function
        ("pkg.sub.c", "pkg.sub", True),         # a package is its __init__
        ("pkg.d", "pkg.a", True),               # under TYPE_CHECKING
        ("pkg.d", "pkg.sub.c", True),           # in a class body
    }
    components, cycles = find_cycles(edges)
    assert components == [["pkg.a", "pkg.d", "pkg.sub.b", "pkg.sub.c"]]
    assert sorted(cycles) == [["pkg.a", "pkg.sub.b", "pkg.a"],
                              ["pkg.a", "pkg.sub.b", "pkg.sub.c", "pkg.d", "pkg.a"],
                              ["pkg.d", "pkg.sub.c", "pkg.d"]]
    text = describe(cycles, components, edges)
    assert "pkg/sub/c.py:2 (local): from ..d import g" in text


def test_no_cycle_no_complaint(tmp_path):
    root = _package(tmp_path, {"__init__.py": "", "a.py": "from pkg import b\n", "b.py": "import json\n"})
    _, edges = import_graph(root, "pkg")
    assert [(e.source, e.target) for e in edges] == [("pkg.a", "pkg.b")]
    assert find_cycles(edges) == ([], [])
