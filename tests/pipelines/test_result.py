"""The shared result shape: test-data marking and gap lines."""

from __future__ import annotations

import pytest

from pipelines.errors import FetchError, ServiceError
from pipelines.result import Gap, SourceResult, fix_for, is_test_data


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kerncijfers wijken en buurten 2019 [testdata: deels synthetisch]", True),
        ("Tussen gemeenten verhuisde personen [testdata: synthetisch]", True),
        ("CBS Wijken en Buurten 2020 (local mirror, test data)", True),
        ("Kerncijfers wijken en buurten 2019", False),
        ("Testdatabank", False),
        ("", False),
        (None, False),
    ],
)
def test_is_test_data(title, expected):
    assert is_test_data(title) is expected


def test_gap_line_names_source_year_table_indicator_and_fix():
    gap = Gap(
        "kwb",
        "84583NED",
        "DataProperties",
        2019,
        "missing_in_table",
        "No column X.",
        "Edit indicators.toml.",
        "low_income_households_pct",
    )
    line = gap.line()
    assert line.startswith(
        "kwb 2019 (84583NED DataProperties, indicator low_income_households_pct)"
    )
    assert "missing_in_table: No column X. Fix: Edit indicators.toml." in line


def test_failed_years_and_entire_failures():
    year_gap = Gap("boundaries", "", "wijkenbuurten", 2020, "fetch_failed", "down", "rerun later")
    column_gap = Gap("kwb", "x", "y", 2019, "missing_in_table", "r", "f", "some_indicator")
    result = SourceResult("boundaries", (2019, 2020), {}, gaps=[year_gap, column_gap])
    assert result.failed_years == {2020} and not result.failed_entirely
    whole = SourceResult(
        "flows", (2020,), {}, gaps=[Gap("flows", "", "", None, "fetch_failed", "r", "f")]
    )
    assert whole.failed_entirely


def test_fix_for_distinguishes_a_service_that_is_down_from_one_that_refuses():
    assert "rerun later" in fix_for(FetchError("http://x", 3, OSError("refused")))
    assert "table id or layer name" in fix_for(ServiceError("http://x", 400, "bad"))
