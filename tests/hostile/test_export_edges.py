"""Export edge cases: the store as output, unknown codes, empty selections, formulas in CSV."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from geodata import export
from tests.hostile.conftest import cli
from tests.hostile.test_store_faults import assert_one_clear_line, env_for

pytestmark = pytest.mark.mirror


@pytest.fixture
def store_copy(built_store, tmp_path):
    import shutil

    path = tmp_path / "data" / "store.gpkg"
    path.parent.mkdir()
    shutil.copy(built_store.store, path)
    return path


def spellings(path):
    link = path.parent.parent / "link.gpkg"
    os.symlink(path, link)
    return [
        str(path),
        str(path.parent / "." / path.name),
        str(path.parent / ".." / "data" / path.name),
        str(link),
    ]


def test_the_store_itself_is_never_an_export_target(built_store, store_copy):
    before = store_copy.read_bytes()
    for output in spellings(store_copy):
        result = cli(
            "export", "--format", "gpkg", "-o", output, env=env_for(built_store, store_copy)
        )
        assert_one_clear_line(result, "over the store itself")
    assert store_copy.read_bytes() == before


def test_an_unknown_municipality_is_named_and_nothing_is_written(built_store, store_copy, tmp_path):
    out = tmp_path / "x.csv"
    result = cli(
        "export",
        "--format",
        "csv",
        "--gemeenten",
        "GM0363,GM9999",
        "-o",
        str(out),
        env=env_for(built_store, store_copy),
    )
    assert_one_clear_line(result, "GM9999")
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
@pytest.mark.parametrize("layout", ["long", "wide"])
def test_a_selection_matching_nothing_exits_non_zero(
    built_store, store_copy, tmp_path, fmt, layout
):
    out = tmp_path / f"x.{fmt}"
    result = cli(
        "export",
        "--format",
        fmt,
        "--layout",
        layout,
        "--years",
        "1999",
        "-o",
        str(out),
        env=env_for(built_store, store_copy),
    )
    assert_one_clear_line(result, "matched no values")
    assert not out.exists()


def test_text_cells_that_look_like_formulas_are_neutralised_numbers_are_not():
    table = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+31", "-minus", "@SUM(A1)", "gewoon"],
            "value": [-1.5, 2.0, -3.0, 4.0, 5.0],
        }
    )
    out = export.neutralise_formulas(table)
    assert list(out["name"]) == ['\'=HYPERLINK("x")', "'+31", "'-minus", "'@SUM(A1)", "gewoon"]
    assert list(out["value"]) == [-1.5, 2.0, -3.0, 4.0, 5.0]
