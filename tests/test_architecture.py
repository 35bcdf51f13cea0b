"""The layout of pmo_lib stays as docs/architecture.md draws it.

Every module is in the document's table with its layer; imports only go from a layer to itself, a
layer before it, or the foundation; there is no import circle (imports inside functions count);
domain modules read no files, print nothing and import no display or notebook library; no module
passes 600 lines. The import graph is read from the source (``ast``), so a lazy import inside a
function is seen too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pmo_lib"
DOC = ROOT / "docs" / "architecture.md"
LAYERS = {"foundation": 0, "data in": 1, "domain": 2, "outputs": 3, "entry": 4}
MAX_LINES = 600
DISPLAY = ("matplotlib", "ipywidgets", "IPython", "click", "papermill", "nbconvert", "nbformat", "jupyter_client")
# the three small readers of a concept's own file that live beside it (docs/architecture.md, "Rules")
DOMAIN_FILE_ACCESS = {
    ("pmo_lib.standards.loading", "_read_yaml"),
    ("pmo_lib.scenarios", "load"),
    ("pmo_lib.scenarios", "save"),
    ("pmo_lib.leveling.rcpsp", "read_psplib"),
}
FILE_CALLS = {
    "open",
    "read_yaml",
    "read_text",
    "write_text",
    "read_bytes",
    "write_bytes",
    "read_csv",
    "read_excel",
    "to_csv",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "_bundle" not in p.parts}


def _documented() -> dict[str, str]:
    rows = re.findall(r"^\| `(pmo_lib[\w.]*)` \| ([a-z ]+) \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    return dict(rows)


def layer_of(module: str, table: dict[str, str]) -> str:
    """The layer of a module: its own row, or the row of the nearest package that holds it."""
    name = module
    while name not in table:
        if "." not in name:
            raise KeyError(module)
        name = name.rsplit(".", 1)[0]
    return table[name]


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str) -> set[str]:
    """The pmo_lib modules that ``module`` imports, anywhere in its source."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            subs = {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES}
            found |= subs or {target}
            if subs and len(subs) < len(node.names):
                found.add(target)
    return {m for m in found if m in MODULES and m != module}


def test_every_module_is_in_the_architecture_table_and_every_row_is_a_module():
    table = _documented()
    assert set(table.values()) <= set(LAYERS), set(table.values()) - set(LAYERS)
    missing = [m for m in MODULES if not any(m == row or m.startswith(row + ".") for row in table)]
    assert not missing, f"add these to docs/architecture.md: {missing}"
    stale = [row for row in table if row not in MODULES]
    assert not stale, f"docs/architecture.md names modules that do not exist: {stale}"


def layer_violations(edges, table) -> list[str]:
    """Each import (module, target) that goes against the layers."""
    wrong = []
    for module, target in edges:
        mine, theirs = layer_of(module, table), layer_of(target, table)
        if LAYERS[theirs] > LAYERS[mine] and theirs != "foundation":
            wrong.append(f"{module} ({mine}) imports {target} ({theirs})")
    return wrong


def circles(graph: dict[str, set[str]]) -> list[str]:
    """Every import loop found by a depth-first walk, as ``a -> b -> a``."""
    state: dict[str, int] = {}
    found = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_imports_follow_the_layers():
    edges = [(m, target) for m in MODULES for target in sorted(imports(m))]
    assert len(edges) > 100  # the graph was read
    assert not (wrong := layer_violations(edges, _documented())), "\n".join(wrong)


def test_no_import_circles():
    assert not (found := circles({m: imports(m) for m in MODULES})), "\n".join(found)


def _domain_modules():
    table = _documented()
    return [m for m in MODULES if layer_of(m, table) == "domain"]


@pytest.mark.parametrize("module", _domain_modules())
def test_domain_modules_read_no_files_print_nothing_and_import_no_display_library(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    problems = []
    for top in ast.walk(tree):
        if isinstance(top, ast.Import | ast.ImportFrom):
            names = [a.name for a in top.names] if isinstance(top, ast.Import) else [top.module or ""]
            problems += [f"imports {n}" for n in names if n.split(".")[0] in DISPLAY]
    for fn in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        if (module, fn.name) in DOMAIN_FILE_ACCESS:
            continue
        for call in [n for n in ast.walk(fn) if isinstance(n, ast.Call)]:
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name == "print" or name in FILE_CALLS:
                problems.append(f"{fn.name}() calls {name}")
    assert not problems, f"{module}: " + "; ".join(problems)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_passes_600_lines(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it along a seam into a package"


def test_the_checks_catch_a_breach():
    table = _documented()
    assert layer_of("pmo_lib.exercises.content.e01_standard", table) == "entry"  # a package row covers its modules
    # a domain module importing a chart, or an entry point, is caught; the foundation is open to all
    edges = [("pmo_lib.reporting.month", "pmo_lib.reporting.charts"), ("pmo_lib.evm", "pmo_lib.cli.common")]
    assert len(layer_violations(edges, table)) == 2
    assert layer_violations([("pmo_lib.evm", "pmo_lib.errors"), ("pmo_lib.cli", "pmo_lib.evm")], table) == []
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a -> b -> c -> a"]
    assert circles({"a": {"b"}, "b": set()}) == []
    # relative imports resolve to the module they name, lazy ones inside functions included
    assert (
        _resolve("pmo_lib.reporting.month", ast.parse("from .charts import png").body[0]) == "pmo_lib.reporting.charts"
    )
    assert _resolve("pmo_lib.reporting.month", ast.parse("from .. import evm").body[0]) == "pmo_lib"
    assert {"pmo_lib.evm", "pmo_lib.schedule_risk"} <= imports("pmo_lib.reporting.sections")
