"""Every benchmark script still imports what it uses from the project (they run outside
`make test`, so a moved module would otherwise break `make bench` unnoticed)."""

from __future__ import annotations

import ast
import importlib

import pytest

from geodata.config import PROJECT_DIR

SCRIPTS = sorted((PROJECT_DIR / "benchmarks").glob("*.py"))
PACKAGES = ("geodata", "dashboard", "pipelines")


def project_imports(tree: ast.AST) -> list[tuple[str, str]]:
    """(module, name) of every ``from <project module> import name`` in a script."""
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.split(".")[0] in PACKAGES
        for alias in node.names
    ]


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_what_the_benchmark_imports_exists(script):
    found = project_imports(ast.parse(script.read_text(encoding="utf-8")))
    assert found, f"{script.name} imports nothing of the project?"
    for module, name in found:
        imported = importlib.import_module(module)
        exists = hasattr(imported, name)
        if not exists:  # a submodule: from pipelines import mirror
            exists = importlib.util.find_spec(f"{module}.{name}") is not None
        assert exists, f"{script.name}: from {module} import {name}"
