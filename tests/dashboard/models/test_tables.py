"""Tables as shown: one number format per language, translated words, no 'None'."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.models.tables import Column, display_table, preview_table


def test_numbers_follow_the_language():
    frame = pd.DataFrame({"n": [1505, 2], "share": [32.94, 0.5]})
    columns = [Column("n", "N", "count"), Column("share", "S", "number", decimals=1)]
    nl = display_table(frame, columns, "nl")
    en = display_table(frame, columns, "en")
    assert list(nl["N"]) == ["1.505", "2"] and list(nl["S"]) == ["32,9", "0,5"]
    assert list(en["N"]) == ["1,505", "2"] and list(en["S"]) == ["32.9", "0.5"]


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, pd.NaT])
def test_a_missing_value_is_a_dash_in_every_kind(missing):
    frame = pd.DataFrame({"v": pd.Series([missing], dtype=object)})
    for kind in ("text", "count", "number", "year", "flag", "when", "term"):
        assert display_table(frame, [Column("v", "V", kind)], "nl").iloc[0, 0] == "–"


def test_terms_are_translated_and_unknown_words_kept():
    frame = pd.DataFrame({"level": ["buurt", "wijk", "ggd-regio"]})
    shown = display_table(frame, [Column("level", "L", "term")], "en")
    assert list(shown["L"]) == ["neighbourhood", "district", "ggd-regio"]


def test_shown_tables_hold_text_only_and_keep_the_order_of_columns():
    frame = pd.DataFrame({"b": [1], "a": [2.0]}, index=[7])
    shown = display_table(frame, [Column("a", "A", "number"), Column("b", "B", "count")], "nl")
    assert list(shown.columns) == ["A", "B"]
    assert all(isinstance(v, str) for v in shown.iloc[0])


def test_an_unknown_kind_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="kind 'percent'"):
        Column("v", "V", "percent")


def test_the_export_preview_keeps_its_column_names_and_formats_numbers():
    frame = pd.DataFrame(
        {"area_code": ["BU1"], "year": [2019], "value": [1234.5], "boundary_differs": [True]}
    )
    nl = preview_table(frame, "nl")
    assert list(nl.columns) == list(frame.columns)
    assert list(nl.iloc[0]) == ["BU1", "2019", "1.234,5", "ja"]
