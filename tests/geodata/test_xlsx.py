"""The fast XLSX writer: what openpyxl and pandas read back is what was written."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from geodata import xlsx


def test_round_trip_strings_numbers_and_empty_cells(tmp_path):
    table = pd.DataFrame(
        {
            "code": ["BU1", None, "BU3"],
            "name": ["A & B <buurt>", "  spaties  ", "tab\there\x01"],
            "year": [2019, 2020, 2021],
            "value": [14.5, math.nan, 0.0],
        }
    )
    path = tmp_path / "t.xlsx"
    xlsx.write_xlsx({"data": table, "toelichting": pd.DataFrame({"x": ["uitleg"]})}, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["data", "toelichting"]
    rows = list(book["data"].values)
    assert rows[0] == ("code", "name", "year", "value")
    assert rows[1] == ("BU1", "A & B <buurt>", 2019, 14.5)
    assert rows[2] == (None, "  spaties  ", 2020, None)  # empty stays empty, spaces kept
    assert rows[3] == ("BU3", "tab\there", 2021, 0)  # a real zero stays zero; control char dropped
    assert book["data"]["A1"].font.b  # bold header
    back = pd.read_excel(path, sheet_name="data")
    assert back["value"].isna().tolist() == [False, True, False]


def test_empty_table_writes_a_header(tmp_path):
    path = tmp_path / "t.xlsx"
    xlsx.write_xlsx({"data": pd.DataFrame(columns=["a", "b"])}, path)
    assert list(openpyxl.load_workbook(path)["data"].values) == [("a", "b")]


def test_invalid_sheet_names_are_refused(tmp_path):
    with pytest.raises(ValueError, match="not valid in Excel"):
        xlsx.write_xlsx({"a/b": pd.DataFrame({"x": [1]})}, tmp_path / "t.xlsx")
