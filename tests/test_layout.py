"""The package layout holds: no import cycles, the index knows nothing of the archiver,
and no path under the data dir is built outside its owner (archiver/datadir.py)."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("archiver", "index")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


@functools.cache
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def is_type_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside ``if TYPE_CHECKING:`` (never run, so never a runtime cycle)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports at run time, function-level imports included."""
    tree = parse(path)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or is_type_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # ``from pkg import sub`` imports the submodule when there is one
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@functools.cache
def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def is_ancestor_edge(source: str, target: str) -> bool:
    """A module importing its own package's ``__init__`` (``archiver.cli.base`` -> ``archiver.cli``) is how
    Python loads any submodule, not a dependency."""
    return source.startswith(target + ".")


def test_no_import_cycles() -> None:
    graph = {name: {t for t in targets if not is_ancestor_edge(name, t)} for name, targets in import_graph().items()}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_index_does_not_import_the_archiver() -> None:
    offending = {name: sorted(t for t in targets if t.split(".")[0] == "archiver")
                 for name, targets in import_graph().items() if name.split(".")[0] == "index"}
    assert {name: found for name, found in offending.items() if found} == {}


def test_extraction_storage_and_index_do_not_import_scrapy() -> None:
    """The pure layers (STYLE.md): extraction, dedup and storage run without a crawl."""
    pure = ("archiver.extraction", "archiver.storage", "archiver.urls", "archiver.text", "index")
    offending = []
    for name, path in modules().items():
        if name.startswith(pure):
            for node in ast.walk(parse(path)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                offending += [f"{name}: {n}" for n in names if n.split(".")[0] in ("scrapy", "twisted")]
    assert offending == []


#: Names of the data dir's parts: joining one of them onto a path is DataDir's job alone.
LAYOUT_PARTS = re.compile(r"""(?:/\s*|Path\()["'](?:articles|raw|index|logs|state|frontier|keys\.sqlite"""
                          r"""|fetches\.sqlite|runs\.jsonl|crawl\.lock)["'/]""")


def test_the_path_finder_finds_paths() -> None:
    assert LAYOUT_PARTS.search('path = data_dir / "state" / "keys.sqlite"')
    assert LAYOUT_PARTS.search("RUN_LOG = Path('state') / 'runs.jsonl'")
    assert not LAYOUT_PARTS.search('("articles", "archiver/archive/new"),')


def test_no_data_dir_path_is_built_outside_its_owner() -> None:
    owner = ROOT / "archiver" / "datadir.py"
    offending = []
    for path in sorted((ROOT / "archiver").rglob("*.py")):
        if path == owner or "demo" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if LAYOUT_PARTS.search(code):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offending == []
