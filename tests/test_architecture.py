"""The import graph points one way (README, Development): no module imports a layer above its own.

Every ``import`` and ``from ... import`` of every module of ours (inside functions too) is read
with ``ast``, never by importing the module, so the check is fast and sees lazy imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from settings import REPO_ROOT

# Top layer first. A module may import its own package and any package of a lower layer; two
# packages of one layer (ingest and retrieval; vectorstore and review) do not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("app", "bench", "__main__"),  # the edges: the Streamlit app, the command lines, the benchmarks
    ("ui",),  # the app's pages
    ("evaluation",),
    ("system",),  # the composition root
    ("conversations",),  # analysts' kept conversations (turns hold answers)
    ("answer",),
    ("retrieval", "ingest"),
    ("vectorstore", "review"),
    ("settings", "prompts", "text", "storage"),
]
# Modules that import nothing of ours outside their own package.
LEAVES = ("vectorstore/types.py", "prompts", "settings.py", "text", "storage")
OURS = {name for layer in LAYERS for name in layer if name != "__main__"}


def _rank(unit: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def _unit(path: Path) -> str:
    """The layer unit of a source file: ``__main__`` for command lines, else its top-level package."""
    relative = path.relative_to(REPO_ROOT)
    if relative.name == "__main__.py":
        return "__main__"
    return relative.parts[0].removesuffix(".py")


def _source_files() -> list[Path]:
    files = [REPO_ROOT / "app.py", REPO_ROOT / "system.py", REPO_ROOT / "settings.py"]
    for package in OURS - {"app", "system", "settings"}:
        files += sorted((REPO_ROOT / package).rglob("*.py"))
    return sorted(f for f in files if f.exists())


def imports_of(path: Path) -> set[str]:
    """The top-level names of our packages that ``path`` imports (at module level or inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path}: relative import; write the absolute module name")
        else:
            continue
        found |= {name.split(".")[0] for name in names if name.split(".")[0] in OURS}
    return found


def violations(files: list[Path]) -> list[str]:
    """``file -> package`` for every import that points up, sideways, or out of a leaf module."""
    wrong = []
    for path in files:
        unit, relative = _unit(path), path.relative_to(REPO_ROOT).as_posix()
        package = relative.split("/")[0].removesuffix(".py")
        leaf = any(relative == leaf or relative.startswith(leaf + "/") for leaf in LEAVES)
        for imported in sorted(imports_of(path)):
            if leaf and not (package in LEAVES and imported == package):  # a leaf package may use its own modules
                wrong.append(f"{relative} -> {imported} (a leaf module imports nothing of ours)")
            elif imported != package and _rank(imported) <= _rank(unit):
                wrong.append(f"{relative} -> {imported}")
    return wrong


def test_every_source_file_is_in_a_layer():
    for path in _source_files():
        _rank(_unit(path))  # StopIteration names no layer: add the package to LAYERS


def test_no_module_imports_a_layer_above_its_own():
    assert violations(_source_files()) == []


@pytest.mark.parametrize(("source", "expected"), [
    ("from system import System\n", ["retrieval/x.py -> system"]),
    ("def f():\n    import ingest.sync\n", ["retrieval/x.py -> ingest"]),
    ("from retrieval.fusion import convex_combination\nimport numpy\n", []),
    ("from vectorstore.types import Hit\n", []),
])
def test_the_check_sees_module_and_function_level_imports(tmp_path, monkeypatch, source, expected):
    import tests.test_architecture as this

    (tmp_path / "retrieval").mkdir()
    (tmp_path / "retrieval" / "x.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(this, "REPO_ROOT", tmp_path)
    assert violations([tmp_path / "retrieval" / "x.py"]) == expected


def test_a_leaf_module_may_import_nothing_of_ours(tmp_path, monkeypatch):
    import tests.test_architecture as this

    (tmp_path / "vectorstore").mkdir()
    (tmp_path / "vectorstore" / "types.py").write_text("from vectorstore.errors import BriefsError\n")
    monkeypatch.setattr(this, "REPO_ROOT", tmp_path)
    assert violations([tmp_path / "vectorstore" / "types.py"]) == [
        "vectorstore/types.py -> vectorstore (a leaf module imports nothing of ours)"]


def test_a_leaf_package_may_use_its_own_modules_only(tmp_path, monkeypatch):
    import tests.test_architecture as this

    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "headings.py").write_text("from text.captions import is_photo_caption\n")
    (tmp_path / "text" / "bad.py").write_text("from vectorstore.types import Hit\n")
    monkeypatch.setattr(this, "REPO_ROOT", tmp_path)
    assert violations([tmp_path / "text" / "headings.py", tmp_path / "text" / "bad.py"]) == [
        "text/bad.py -> vectorstore (a leaf module imports nothing of ours)"]
