"""The layers' one-way dependencies, checked on the source: dashboard → geodata ← pipelines.

- geodata imports neither pipelines nor dashboard;
- pipelines import no dashboard module, the dashboard no pipelines module and never requests;
- a page imports no other page (only `dashboard.pages.common`);
- only the data layer (dashboard/data/) uses Streamlit's caches.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from geodata.config import PROJECT_DIR


def modules(package: str) -> list[Path]:
    return sorted((PROJECT_DIR / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module `path` imports (absolute names, also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for path in modules(package):
        bad = sorted(n for n in imported(path) if n.split(".")[0] in forbidden or n in forbidden)
        if bad:
            found[str(path.relative_to(PROJECT_DIR))] = bad
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("geodata", ("pipelines", "dashboard", "streamlit")),
        ("pipelines", ("dashboard", "streamlit")),
        ("dashboard", ("pipelines", "requests")),
    ],
)
def test_layers_depend_one_way(package, forbidden):
    assert offenders(package, forbidden) == {}


def test_pages_import_no_page():
    for path in modules("dashboard/pages"):
        pages = {n for n in imported(path) if n.startswith("dashboard.pages.")}
        assert pages <= {"dashboard.pages.common"}, path.name


def test_only_the_data_layer_caches():
    cached = [
        str(path.relative_to(PROJECT_DIR))
        for path in modules("dashboard")
        if "st.cache_" in path.read_text(encoding="utf-8")
    ]
    assert cached and all(p.startswith("dashboard/data/") for p in cached), cached
