"""import-flows against what it should refuse: other digit scripts, signs, huge numbers, fields
spanning lines, duplicates written differently; and random input never raises anything else."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.config import load_region
from pipelines import income_flows
from pipelines.income_flows import ImportError_, parse_income_flows

HEADER = "year,origin_code,destination_code,income_group,households\n"
REGION = load_region()


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ImportError_) as info:
        parse_income_flows(HEADER + text, REGION)
    return info.value.problems


def test_the_same_year_written_three_ways_is_one_key():
    rows = (
        "2022,GM0363,GM0479,laag_inkomen,5\n"
        "02022,GM0363,GM0479,laag_inkomen,5\n"
        "٢٠٢٢,GM0363,GM0479,laag_inkomen,5\n"
    )
    found = dict(problems(rows))
    assert "duplicates line 2" in found[3]
    assert "ASCII digits" in found[4]


@pytest.mark.parametrize("value", ["+1_000", "1_000", "-1", "1e3", "٣", "²", "1 0", "1.0", "0x10"])
def test_households_are_ascii_digits_only(value):
    ((line, message),) = problems(f"2022,GM0363,GM0479,laag_inkomen,{value}\n")
    assert line == 2 and "households" in message


@pytest.mark.parametrize("value", [str(10**26), str(2**63), str(2**31)])
def test_households_beyond_a_32_bit_count_are_refused(value):
    ((line, message),) = problems(f"2022,GM0363,GM0479,laag_inkomen,{value}\n")
    assert line == 2 and "households" in message and "2,147,483,647" in message


def test_the_largest_count_keeps_an_integer_column():
    table = parse_income_flows(HEADER + f"2022,GM0363,GM0479,laag_inkomen,{2**31 - 1}\n", REGION)
    assert str(table["households"].dtype) == "int64"


@pytest.mark.parametrize("year", ["²", "٢٠٢٢", "20 22", "2022.0", "-2022", "99999"])
def test_a_year_that_is_not_ascii_digits_is_a_clear_problem(year):
    ((line, message),) = problems(f"{year},GM0363,GM0479,laag_inkomen,5\n")
    assert line == 2 and "year" in message


def test_a_quoted_field_spanning_lines_is_refused_and_line_numbers_stay_true():
    rows = '2022,GM0363,GM0479,"laag_\ninkomen",5\n2022,GM0363,GM0479,onbekend,x\n'
    found = dict(problems(rows))
    assert "spans several lines" in found[2]
    assert "households" in found[4]  # the physical line of the second record


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_random_text_is_parsed_or_refused_with_line_numbers(text):
    try:
        table = parse_income_flows(text, REGION)
    except ImportError_ as exc:
        assert exc.problems and all(isinstance(line, int) and line >= 1 for line, _ in exc.problems)
    else:
        assert list(table.columns) == income_flows.COLUMNS


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="0123456789٠١²+-_ ", max_size=6),
            st.sampled_from(["GM0363", "GM0479", "NL01", "GM9999"]),
            st.sampled_from(["GM0439", "GM0363", "NL01"]),
            st.sampled_from(["laag_inkomen", "kwintiel_1", "x"]),
            st.text(alphabet="0123456789٠²+-_e.", max_size=25),
        ),
        max_size=8,
    )
)
def test_random_rows_never_raise_anything_but_an_import_error(rows):
    text = HEADER + "".join(",".join(r) + "\n" for r in rows)
    try:
        table = parse_income_flows(text, REGION)
    except ImportError_:
        return
    assert table["households"].between(0, income_flows.MAX_HOUSEHOLDS).all()
    assert not table.duplicated(income_flows.COLUMNS[:4]).any()
