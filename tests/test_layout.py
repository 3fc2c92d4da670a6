"""The package's folders are the pipeline: each stage imports only the stages below it.

    model, errors  <  ingest  <  sources  <  site  <  build  <  config  <  plugin, commands

Read with `ast` (nothing is imported), so a cycle or an upward import fails here, naming the file
and the line, before it confuses anyone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# generator.<first part> -> its rank; a module may import only from ranks at or below its own
# (equal rank: inside the same stage), never from a higher one.
RANKS = {"__init__": 0, "model": 0, "errors": 0, "ingest": 1, "sources": 2, "site": 3,
         "build": 4, "config": 5, "plugin": 6, "commands": 6}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every generator module `path` imports, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "generator"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "generator":
                continue
            # `from generator.site import merge` imports generator.site.merge
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.append((node.lineno, sub if _exists(sub) else module))
    return found


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _rank(module: str) -> int:
    parts = module.split(".")
    return RANKS["__init__"] if len(parts) == 1 else RANKS[parts[1]]


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage():
    stray = [p.relative_to(PACKAGE).as_posix() for p in MODULES if _module_name(p).split(".")[1:2]
             and _module_name(p).split(".")[1] not in RANKS]
    assert stray == [], f"modules outside the stages of RANKS: {stray}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_from_a_stage_above_its_own(path):
    mine = _rank(_module_name(path))
    upward = [f"{path.relative_to(PACKAGE.parent)}:{line}: imports {module}"
              for line, module in _imports(path) if _rank(module) > mine]
    assert upward == []


def _graph(modules: list[Path]) -> dict[str, set[str]]:
    return {_module_name(p): {m for _, m in _imports(p) if m != _module_name(p)} for p in modules}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles():
    cycle = _cycle(_graph(MODULES))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_the_checks_see_an_upward_import_and_a_cycle(tmp_path, monkeypatch):
    """The rules above must be able to fail: a planted upward import and a planted cycle."""
    fake = tmp_path / "generator"
    (fake / "ingest").mkdir(parents=True)
    (fake / "site").mkdir()
    for init in (fake / "__init__.py", fake / "ingest/__init__.py", fake / "site/__init__.py"):
        init.write_text("")
    (fake / "ingest/feed.py").write_text("from ..site import render\n")
    (fake / "site/render.py").write_text("from . import merge\n")
    (fake / "site/merge.py").write_text("import os\n\n\ndef f():\n    from .render import x\n")
    monkeypatch.setattr(__import__("test_layout"), "PACKAGE", fake)
    assert _imports(fake / "ingest/feed.py") == [(1, "generator.site.render")]
    assert _rank("generator.site.render") > _rank("generator.ingest.feed")
    assert _imports(fake / "site/merge.py") == [(5, "generator.site.render")]  # inside a function too
    assert _cycle(_graph(sorted(fake.rglob("*.py")))) == [
        "generator.site.render", "generator.site.merge", "generator.site.render"]
