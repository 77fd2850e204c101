"""The package's shape: one subpackage per stage, data flowing one way, no import circles.

Imports are read from the source with :mod:`ast` (every ``import`` and ``from ... import``, also
those inside functions), so a lazy import counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "syndet"

# Where each part of the package stands in the flow: a module may import its own part or a part of
# a lower rank, never one of a higher rank (a stage never reaches "up" to a later one). Every module
# must be covered, so a new module has to be given its place here.
RANKS: dict[str, int] = {
    "syndet.errors": 0, "syndet.models": 0, "syndet.settings": 0, "syndet.yamlfile": 0,
    "syndet.duration": 0, "syndet.progress": 0, "syndet.display": 0, "syndet.workers": 0,
    "syndet.read": 1,
    "syndet.text": 2,
    "syndet.hashing": 3,
    "syndet.match": 4,
    "syndet.attribution": 5,
    "syndet.result": 6,
    "syndet.report": 7, "syndet.store": 7,
    "syndet.detector": 8,
    "syndet.filter": 9, "syndet.engines": 9,
    "syndet.config": 10,
    "syndet.tuning": 11,
    "syndet.cli": 12,
    "syndet": 13, "syndet.__main__": 13,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, resolving ``from a import b`` to ``a.b`` when
    ``a.b`` is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for alias in node.names:
                sub = f"{mod}.{alias.name}"
                if sub in known:
                    out.add(sub)
                elif mod in known:
                    out.add(mod)
    out.discard(name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def _group(module: str) -> str:
    """The entry of :data:`RANKS` that covers ``module`` (the longest matching prefix)."""
    parts = module.split(".")
    for n in range(len(parts), 1, -1):
        prefix = ".".join(parts[:n])
        if prefix in RANKS:
            return prefix
    if module == "syndet":
        return module
    raise KeyError(module)  # the package itself ranks only its own __init__, not what it holds


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_walker_sees_a_circle_and_the_lazy_imports() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    graph = _graph()
    # ``syndet.hashing.shingle`` imports the kernels inside a function, so numba loads on first use.
    assert "syndet.hashing.kernels" in graph["syndet.hashing.shingle"]
    assert "syndet.store.redis" in graph["syndet.store"]


def test_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_every_module_has_a_place_in_the_flow() -> None:
    unplaced = []
    for module in _modules():
        try:
            _group(module)
        except KeyError:
            unplaced.append(module)
    assert unplaced == []


def test_no_stage_imports_a_later_stage() -> None:
    upward = []
    for module, targets in _graph().items():
        mine = _group(module)
        for target in targets:
            theirs = _group(target)
            if theirs == mine or (RANKS[theirs] == RANKS[mine] == 0):
                continue  # within one part, or between the small base modules (circles are tested apart)
            if RANKS[theirs] >= RANKS[mine]:
                upward.append(f"{module} -> {target}")
    assert sorted(upward) == []


@pytest.mark.parametrize("group", sorted(g for g in RANKS if g.count(".") == 1))
def test_each_ranked_name_exists(group: str) -> None:
    assert group in _modules(), f"{group} is ranked but is not a module of the package"


def test_shape_of_the_tree() -> None:
    top = list(PACKAGE.glob("*.py"))
    subpackages = [p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    assert len(top) <= 14, sorted(p.name for p in top)
    assert len(subpackages) >= 6, sorted(p.name for p in subpackages)
