"""Merging a source's result into the store: ownership per source, gaps keep old values."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geodata import schema
from pipelines import merge
from pipelines._http import Response
from pipelines.result import Gap, Provenance, SourceResult

TODAY = dt.date(2026, 12, 2)
NOW = "2026-12-02T10:00:00+00:00"


def source_row(source, indicator, year, status="published", key="K_1", retrieved="2026-01-01"):
    row = dict.fromkeys(schema.SCHEMA["indicator_sources"])
    row.update(
        source=source,
        indicator=indicator,
        year=year,
        status=status,
        table_id="T",
        source_key=key if status == "published" else None,
        retrieved_at=retrieved,
    )
    return row


def values(rows):
    return pd.DataFrame(rows, columns=list(schema.SCHEMA["indicator_values"]))


def sources(rows):
    return pd.DataFrame(rows, columns=list(schema.SCHEMA["indicator_sources"]))


OLD_VALUES = values(
    [
        ("BU1", 2019, "low", 10.0),
        ("BU1", 2019, "pop", 100.0),
        ("BU1", 2020, "low", 11.0),
        ("BU1", 2019, "minima", 20.0),  # owned by another source
    ]
)
OLD_SOURCES = sources(
    [
        source_row("kwb", "low", 2019),
        source_row("kwb", "pop", 2019),
        source_row("kwb", "low", 2020),
        source_row("bbga", "minima", 2019),
    ]
)


def result(new_values, new_sources, gaps=(), years=(2019,)):
    return SourceResult(
        "kwb",
        years,
        {"indicator_values": values(new_values), "indicator_sources": sources(new_sources)},
        gaps=list(gaps),
    )


def test_a_rebuilt_edition_replaces_only_the_sources_own_pairs():
    new = result(
        [("BU1", 2019, "low", 12.0), ("BU1", 2019, "pop", 101.0)],
        [source_row("kwb", "low", 2019, retrieved="2026-12-02"), source_row("kwb", "pop", 2019)],
    )
    got_values, got_sources = merge.merge_indicators(OLD_VALUES, OLD_SOURCES, new, TODAY)
    got = {(r.indicator, r.year): r.value for r in got_values.itertuples()}
    assert got == {
        ("low", 2019): 12.0,
        ("pop", 2019): 101.0,
        ("low", 2020): 11.0,
        ("minima", 2019): 20.0,
    }
    assert len(got_sources) == 4


def test_a_gap_keeps_the_previous_values_row_and_retrieval_date_with_a_note():
    gap_row = source_row("kwb", "low", 2019, status="missing_in_table")
    gap_row["note"] = "KWB 2019 has no column with stem 'X'."
    new = result([("BU1", 2019, "pop", 101.0)], [gap_row, source_row("kwb", "pop", 2019)])
    got_values, got_sources = merge.merge_indicators(OLD_VALUES, OLD_SOURCES, new, TODAY)
    kept = got_values[(got_values["indicator"] == "low") & (got_values["year"] == 2019)]
    assert list(kept["value"]) == [10.0]
    row = got_sources.set_index(["indicator", "year"]).loc[("low", 2019)]
    assert row["status"] == "published" and row["retrieved_at"] == "2026-01-01"
    assert "Not refreshed in the build of 2026-12-02" in row["note"] and "stem 'X'" in row["note"]


def test_a_gap_without_previous_values_is_recorded_as_a_gap():
    gap_row = source_row("kwb", "new", 2019, status="missing_in_table")
    new = result([], [gap_row])
    got_values, got_sources = merge.merge_indicators(OLD_VALUES, OLD_SOURCES, new, TODAY)
    assert "new" not in set(got_values["indicator"])
    assert (
        got_sources.set_index(["indicator", "year"]).loc[("new", 2019), "status"]
        == "missing_in_table"
    )


def test_an_indicator_dropped_from_the_catalogue_leaves_the_rebuilt_years():
    new = result([("BU1", 2019, "low", 12.0)], [source_row("kwb", "low", 2019)])
    got_values, _ = merge.merge_indicators(OLD_VALUES, OLD_SOURCES, new, TODAY)
    assert not ((got_values["indicator"] == "pop") & (got_values["year"] == 2019)).any()


def response(url="http://x/a"):
    return Response(url, None, "2026-12-02T09:00:00+00:00", "0" * 64, False)


def test_sources_rows_replace_refreshed_years_and_keep_failed_ones():
    old = pd.DataFrame(
        [
            {
                "source": "boundaries",
                "table_id": "",
                "entity": "buurten",
                "year": 2019,
                "url": "u19",
                "retrieved_at": "old",
                "rows": 5,
                "sha256": "a",
                "test_data": False,
                "status": "ok",
                "note": None,
            },
            {
                "source": "boundaries",
                "table_id": "",
                "entity": "buurten",
                "year": 2020,
                "url": "u20",
                "retrieved_at": "old",
                "rows": 5,
                "sha256": "b",
                "test_data": False,
                "status": "ok",
                "note": None,
            },
            {
                "source": "kwb",
                "table_id": "T",
                "entity": "TypedDataSet",
                "year": 2019,
                "url": "k",
                "retrieved_at": "old",
                "rows": 5,
                "sha256": "c",
                "test_data": False,
                "status": "ok",
                "note": None,
            },
        ]
    )
    gap = Gap("boundaries", "", "wijkenbuurten", 2020, "fetch_failed", "down.", "rerun later.")
    new = SourceResult(
        "boundaries",
        (2019, 2020),
        {},
        provenance=[Provenance("boundaries", "", "buurten", 2019, response("new19"), 7, True)],
        gaps=[gap],
    )
    got = merge.merge_sources(old, new, NOW)
    assert set(got["url"].dropna()) == {"new19", "u20", "k"}
    gap_row = got[got["status"] == "gap"].iloc[0]
    assert gap_row["year"] == 2020 and "rerun later" in gap_row["note"]
    assert bool(got.loc[got["url"] == "new19", "test_data"].iloc[0])


def test_a_year_that_failed_keeps_its_areas():
    old = pd.DataFrame({"year": [2019, 2020], "code": ["a", "b"]})
    new = pd.DataFrame({"year": [2019], "code": ["a2"]})
    got = merge.merge_by_keys("flows", old, new, ("year",), {2019})
    assert sorted(got["code"]) == ["a2", "b"]


def test_two_sources_share_areas_each_replacing_only_its_own_levels():
    old = pd.DataFrame(
        {
            "year": [2023, 2023, 2023, 2024],
            "level": ["buurt", "stadsdeel", "gebied", "stadsdeel"],
            "code": ["BU1", "A", "GX01", "A"],
        }
    )
    new = pd.DataFrame({"year": [2023], "level": ["stadsdeel"], "code": ["A-new"]})
    own = merge.Partition("level", ("stadsdeel", "gebied"))
    got = merge.merge_by_keys("flows", old, new, ("year",), {2023}, own)
    assert sorted(zip(got["year"], got["code"], strict=True)) == [
        (2023, "A-new"),
        (2023, "BU1"),  # PDOK's row of the same year is kept
        (2024, "A"),  # a year not rebuilt is kept
    ]
    pdok = merge.Partition("level", ("gemeente", "wijk", "buurt"))
    rebuilt = pd.DataFrame({"year": [2023], "level": ["buurt"], "code": ["BU2"]})
    got = merge.merge_by_keys("flows", old, rebuilt, ("year",), {2023}, pdok)
    assert sorted(got["code"]) == ["A", "A", "BU2", "GX01"]
