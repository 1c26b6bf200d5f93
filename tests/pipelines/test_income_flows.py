"""Import of moves by income group: good file, bad rows, duplicates, unknown codes."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from geodata import store
from geodata.backends import open_store
from geodata.config import PROJECT_DIR, load_region
from pipelines import income_flows
from pipelines.errors import PipelineError

GOOD = """year,origin_code,destination_code,income_group,households
2021,GM0363,GM0479,laag_inkomen,120
2021,GM0363,GM0479,geen_laag_inkomen,900
2021,GM0457,GM0363,kwintiel_1,15
2022,GM0363,NL01,laag_inkomen,4100
"""


@pytest.fixture
def small_store(tmp_path):
    path = tmp_path / "store.gpkg"
    values = pd.DataFrame(
        {"area_code": ["GM0363"], "year": [2021], "indicator": ["population"], "value": [1.0]}
    )
    open_store(path).publish(store.Publish({"indicator_values": values}, complete=True))
    return path


def test_good_file_is_parsed_in_order():
    table = income_flows.parse_income_flows(GOOD, load_region())
    assert list(table.columns) == income_flows.COLUMNS
    assert len(table) == 4
    assert table.iloc[0].tolist() == [2021, "GM0363", "GM0479", "geen_laag_inkomen", 900]


def test_bad_rows_are_reported_with_line_numbers():
    text = (
        GOOD
        + "20x1,GM0363,GM0479,laag_inkomen,5\n2021,GM0363,GM0363,laag_inkomen,5\n2021,GM0363,GM0479,rijk,-3\n"
    )
    with pytest.raises(income_flows.ImportError_) as info:
        income_flows.parse_income_flows(text, load_region())
    lines = [line for line, _ in info.value.problems]
    assert lines == [6, 7, 8]
    message = str(info.value)
    assert "line 6: year '20x1'" in message
    assert "line 7: origin_code and destination_code are the same" in message
    assert "income_group 'rijk'" in message and "households '-3'" in message
    assert "nothing was imported" in message


def test_duplicate_rows_name_the_first_line():
    text = GOOD + "2021,GM0363,GM0479,laag_inkomen,7\n"
    with pytest.raises(income_flows.ImportError_, match=r"line 6: duplicates line 2"):
        income_flows.parse_income_flows(text, load_region())


def test_unknown_codes_are_refused():
    text = "year,origin_code,destination_code,income_group,households\n2021,GM0518,GM0363,laag_inkomen,3\n"
    with pytest.raises(
        income_flows.ImportError_, match=r"line 2: origin_code 'GM0518' is not a municipality"
    ):
        income_flows.parse_income_flows(text, load_region())


def test_wrong_header_is_refused():
    with pytest.raises(income_flows.ImportError_, match="line 1: header"):
        income_flows.parse_income_flows("jaar,van,naar,groep,aantal\n", load_region())


def test_run_writes_the_table_and_its_source(small_store, tmp_path):
    csv_path = tmp_path / "flows.csv"
    csv_path.write_text(GOOD, encoding="utf-8")
    target = open_store(small_store)
    assert income_flows.run(csv_path, target, load_region(), "CBS maatwerk 2025/1") == 4
    assert len(target.table("income_flows")) == 4
    sources = target.table("sources")
    assert sources.iloc[0]["table_id"] == "CBS maatwerk 2025/1"
    with pytest.raises(PipelineError, match="--source"):
        income_flows.run(csv_path, target, load_region(), " ")


def test_cli_exits_non_zero_and_writes_nothing_on_bad_rows(small_store, tmp_path):
    before = small_store.read_bytes()
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(GOOD + "2021,GM9999,GM0363,laag_inkomen,1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "import-flows", str(csv_path), "--source", "test"],
        cwd=PROJECT_DIR,
        env={"GEODATA_STORE": str(small_store), "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "line 6: origin_code 'GM9999'" in result.stderr
    assert small_store.read_bytes() == before
