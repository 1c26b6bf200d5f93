"""Exports: every format round-trips, metadata is present, empty stays empty, paths stay inside."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from geodata import backends, export, schema, store
from geodata.catalogue import catalogue_frame


@pytest.fixture
def small_store(tmp_path):
    areas = gpd.GeoDataFrame(
        {
            "code": ["GM0479", "WK047912", "BU04791210", "BU04791211"],
            "name": ["Zaanstad", "Poelenburg", "Poelenburg-Noord", "Poelenburg-Zuid"],
            "level": ["gemeente", "wijk", "buurt", "buurt"],
            "gemeente_code": ["GM0479"] * 4,
            "wijk_code": [None, None, "WK047912", "WK047912"],
            "year": [2019] * 4,
        },
        geometry=[
            shapely.box(0, 0, 10, 10),
            shapely.box(0, 0, 2, 2),
            shapely.box(0, 0, 1, 2),
            shapely.box(1, 0, 2, 2),
        ],
        crs=schema.CRS,
    ).assign(geometry=lambda g: g.geometry.translate(120000, 490000))
    values = pd.DataFrame(
        {
            "area_code": ["BU04791210", "BU04791211", "BU04791210", "BU04791211"],
            "year": [2019] * 4,
            "indicator": [
                "low_income_households_pct",
                "low_income_households_pct",
                "households",
                "households",
            ],
            "value": [14.5, None, 1200.0, 80.0],
        }
    )
    sources = pd.DataFrame(
        {
            "source": ["kwb", "kwb"],
            "indicator": ["low_income_households_pct", "households"],
            "year": [2019, 2019],
            "status": ["published", "published"],
            "table_id": ["84583NED", "84583NED"],
            "source_key": ["HuishoudensMetEenLaagInkomen_78", "HuishoudensTotaal_28"],
            "source_title": ["Huishoudens met een laag inkomen", "Huishoudens totaal"],
            "source_unit": ["%", "aantal"],
            "reference_period": ["2017", None],
            "retrieved_at": ["2026-01-02T03:04:05+00:00"] * 2,
            "note": [None, None],
        }
    )
    fetched = pd.DataFrame(
        {
            "source": ["kwb"],
            "table_id": ["84583NED"],
            "entity": ["TypedDataSet"],
            "year": [2019],
            "url": ["https://opendata.cbs.nl/ODataFeed/odata/84583NED/TypedDataSet"],
            "retrieved_at": ["2026-01-02T03:04:05+00:00"],
            "rows": [4],
            "sha256": ["0" * 64],
            "test_data": [False],
            "status": ["ok"],
            "note": [None],
        }
    )
    harmonised = pd.DataFrame(
        {
            "indicator": ["low_income_households_pct", "low_income_households_pct"],
            "year": [2019, 2019],
            "reference_year": [2019, 2019],
            "code": ["BU04791210", "BU04791211"],
            "value": [14.5, 9.25],
            "method": ["exact", "households"],
            "estimated_share": [0.0, 0.5],
            "error_band": [0.0, 1.5],
        }
    )
    path = tmp_path / "store.gpkg"
    target = backends.open_store(path)
    tables = {
        "areas": areas,
        "indicator_values": values,
        "indicators": catalogue_frame(),
        "indicator_sources": sources,
        "sources": fetched,
        "harmonised_values": harmonised,
    }
    target.publish(store.Publish(tables, complete=True))
    return target


def test_csv_long_with_metadata_and_empty_values(small_store, tmp_path):
    path, rows = export.run(small_store, export.ExportRequest(), "csv", tmp_path / "out.csv")
    assert rows == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    table = pd.read_csv(
        path,
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"wijk_code": str, "reference_period": str},
    )
    assert list(table.columns[:8]) == export.META_COLUMNS
    row = table[
        (table["area_code"] == "BU04791211") & (table["indicator"] == "low_income_households_pct")
    ].iloc[0]
    assert pd.isna(row["value"])  # suppressed stays empty, never 0
    assert (row["wijk_name"], row["gemeente_name"], row["boundary_year"]) == (
        "Poelenburg",
        "Zaanstad",
        2019,
    )
    line = next(
        x
        for x in raw.decode("utf-8-sig").splitlines()
        if x.startswith("BU04791211;") and "low_income" in x
    )
    assert ";%;;;2017;" in line  # unit, an empty value (not 0), no value note, the period
    # every row says where its value comes from
    assert (row["table_id"], row["source_key"]) == ("84583NED", "HuishoudensMetEenLaagInkomen_78")
    assert str(row["reference_period"]) == "2017" and not row["test_data"]


def test_csv_with_comma_separator_and_wide_layout(small_store, tmp_path):
    request = export.ExportRequest(layout="wide")
    path, rows = export.run(small_store, request, "csv", tmp_path / "out.csv", separator=",")
    table = pd.read_csv(path, encoding="utf-8-sig")
    assert rows == 2
    low = "low_income_households_pct_2019 [%]"
    assert {
        "households_2019 [aantal]",
        low,
        "latest_boundary_year",
        "boundary_differs_2019",
    } <= set(table.columns)
    assert table.set_index("area_code").loc["BU04791210", low] == 14.5
    assert pd.isna(table.set_index("area_code").loc["BU04791211", low])
    assert not table["boundary_differs_2019"].any() and not table["test_data"].any()


def test_a_harmonised_export_says_how_each_value_was_found(small_store, tmp_path):
    request = export.ExportRequest(harmonised=True)
    path, rows = export.run(small_store, request, "csv", tmp_path / "out.csv", separator=",")
    table = pd.read_csv(path, encoding="utf-8-sig").set_index("area_code")
    assert rows == 2  # the harmonised values only (no households were harmonised here)
    assert list(table.columns[-3:]) == export.HARMONISED_COLUMNS
    assert table.loc[
        "BU04791211", ["value", "method", "estimated_share", "error_band"]
    ].tolist() == [
        9.25,
        "households",
        0.5,
        1.5,
    ]
    assert table.loc["BU04791210", "table_id"] == "84583NED"  # provenance as for any value


def test_a_harmonised_wide_export_puts_method_share_and_band_beside_each_value(
    small_store, tmp_path
):
    request = export.ExportRequest(harmonised=True, layout="wide")
    path, _ = export.run(small_store, request, "csv", tmp_path / "out.csv", separator=",")
    table = pd.read_csv(path, encoding="utf-8-sig").set_index("area_code")
    low = "low_income_households_pct_2019 [%]"
    beside = [low, f"{low} method", f"{low} estimated_share", f"{low} error_band"]
    start = list(table.columns).index(low)
    assert list(table.columns[start : start + 4]) == beside
    assert table.loc["BU04791211", beside].tolist() == [9.25, "households", 0.5, 1.5]
    assert not any(c.startswith("boundary_differs_") for c in table.columns)  # one geometry


def test_a_harmonised_export_is_buurt_level_and_needs_harmonised_values(small_store, tmp_path):
    with pytest.raises(export.ExportError, match=r"'wijk' has none.*--level buurt"):
        export.run(
            small_store,
            export.ExportRequest(harmonised=True, level="wijk"),
            "csv",
            tmp_path / "o.csv",
        )
    inputs = export.read_inputs(small_store, harmonised=True)
    empty = dataclasses.replace(inputs, harmonised=inputs.harmonised.iloc[:0])
    with pytest.raises(export.ExportError, match=r"no harmonised values.*pipelines build"):
        export.export_long(empty, export.ExportRequest(harmonised=True))
    assert not (tmp_path / "o.csv").exists()


def test_xlsx_has_data_and_toelichting(small_store, tmp_path):
    path, _ = export.run(
        small_store,
        export.ExportRequest(indicators=("low_income_households_pct",)),
        "xlsx",
        tmp_path / "out.xlsx",
    )
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["data", "toelichting"]
    data = list(book["data"].values)
    header, rows = data[0], data[1:]
    assert header[:8] == tuple(export.META_COLUMNS)
    values = {r[header.index("area_code")]: r[header.index("value")] for r in rows}
    assert values == {"BU04791210": 14.5, "BU04791211": None}
    notes = list(book["toelichting"].values)
    head = notes[0]
    note = dict(zip(head, notes[1], strict=True))
    assert (
        note["CBS-tabel"] == "84583NED" and note["CBS-sleutel"] == "HuishoudensMetEenLaagInkomen_78"
    )
    assert note["peildatum of periode"] == "2017" and note["licentie"] == "CC BY 4.0"
    assert (
        note["opgehaald"] == "2026-01-02T03:04:05+00:00" and "Bron: CBS" in note["bronvermelding"]
    )


@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_geo_formats_round_trip_with_geometry(small_store, tmp_path, fmt):
    path, rows = export.run(
        small_store, export.ExportRequest(layout="wide"), fmt, tmp_path / f"out.{fmt}"
    )
    frame = gpd.read_file(path)
    assert len(frame) == rows == 2
    assert frame.geometry.notna().all()
    assert set(export.META_COLUMNS) - {"boundary_year"} <= set(frame.columns)
    missing = frame.set_index("area_code").loc["BU04791211", "low_income_households_pct_2019 [%]"]
    assert pd.isna(missing)


def test_a_selection_without_values_is_an_error_and_writes_nothing(small_store, tmp_path):
    request = export.ExportRequest(level="wijk", gemeenten=("GM0479",), years=(2019,))
    with pytest.raises(export.ExportError, match="matched no values"):
        export.run(small_store, request, "csv", tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_unknown_indicator_is_named(small_store, tmp_path):
    with pytest.raises(export.ExportError, match="armoede_index"):
        export.run(
            small_store,
            export.ExportRequest(indicators=("armoede_index",)),
            "csv",
            tmp_path / "out.csv",
        )


@pytest.mark.parametrize("name", ["../evil.csv", "/etc/evil.csv", "sub/../../evil.csv"])
def test_paths_outside_the_folder_are_refused(tmp_path, name):
    with pytest.raises(export.ExportError, match="outside"):
        export.resolve_inside(tmp_path, name)


def test_safe_filenames_have_no_path_parts():
    name = export.safe_filename("../../etc", "buurt/wijk", "a b", extension="csv")
    assert "/" not in name and ".." not in name and name.endswith(".csv")
    assert export.default_name(
        export.ExportRequest(gemeenten=("GM0363",), years=(2015, 2024)), "xlsx"
    ).startswith("armoede-regio_buurt_GM0363_2015-2024_long_")


def test_wide_flags_values_of_an_earlier_boundary():
    long = pd.DataFrame(
        {
            "area_code": ["BU1", "BU1"],
            "area_name": ["x", "x"],
            "level": "buurt",
            "wijk_code": "WK1",
            "wijk_name": "w",
            "gemeente_code": "GM1",
            "gemeente_name": "g",
            "boundary_year": [2015, 2016],
            "year": [2015, 2016],
            "indicator": "households",
            "indicator_label": "Huishoudens",
            "unit": "aantal",
            "value": [3335.0, 490.0],
            "reference_period": None,
            "table_id": "T",
            "source_key": "K",
            "test_data": [True, False],
        }
    )
    shapes = pd.DataFrame(
        {"code": ["BU1", "BU1"], "year": [2015, 2016], "fingerprint": ["big", "small"]}
    )
    wide = export.to_wide(long, shapes).iloc[0]
    assert wide["boundary_differs_2015"] and not wide["boundary_differs_2016"]
    assert wide["test_data"]  # any value of test data marks the row


def test_a_test_data_export_says_so_in_its_name():
    name = export.default_name(export.ExportRequest(), "csv", test_data=True)
    assert name.startswith("TESTGEGEVENS_armoede-regio_")


def test_bbga_values_carry_their_variable_and_the_test_marking_of_their_source(small_store):
    tables = small_store.read_all()
    areas = pd.concat(
        [
            tables["areas"],
            gpd.GeoDataFrame(
                {
                    "code": ["GX01"],
                    "name": ["Gebied Jordaan"],
                    "level": ["gebied"],
                    "gemeente_code": ["GM0363"],
                    "wijk_code": [None],
                    "year": [2019],
                },
                geometry=[shapely.box(120000, 490000, 120010, 490010)],
                crs=schema.CRS,
            ),
        ],
        ignore_index=True,
    )
    values = pd.concat(
        [
            tables["indicator_values"],
            pd.DataFrame(
                {
                    "area_code": ["GX01"],
                    "year": [2019],
                    "indicator": ["ams_minima_households_pct"],
                    "value": [15.6],
                }
            ),
        ],
        ignore_index=True,
    )
    bbga_source = (
        tables["indicator_sources"]
        .iloc[[0]]
        .assign(
            source="bbga",
            indicator="ams_minima_households_pct",
            table_id="bbga",
            source_key="IMINHH120_P",
            reference_period="1 januari 2019",
        )
    )
    bbga_response = (
        tables["sources"]
        .iloc[[0]]
        .assign(source="bbga", table_id="bbga", entity="kerncijfers", year=pd.NA, test_data=True)
    )
    small_store.publish(
        store.Publish(
            {
                "areas": gpd.GeoDataFrame(areas, crs=schema.CRS),
                "indicator_values": values,
                "indicator_sources": pd.concat([tables["indicator_sources"], bbga_source]),
                "sources": pd.concat([tables["sources"], bbga_response]),
            }
        )
    )
    inputs = export.read_inputs(small_store)
    request = export.ExportRequest(indicators=("ams_minima_households_pct",), level="gebied")
    (row,) = export.export_long(inputs, request).to_dict("records")
    assert (row["area_code"], row["level"], row["source_key"]) == ("GX01", "gebied", "IMINHH120_P")
    assert row["reference_period"] == "1 januari 2019"
    assert row["test_data"] is True or row["test_data"] == True  # noqa: E712 (numpy bool)


def test_publication_bounds_mark_rounded_and_capped_bbga_values_only():
    import pandas as pd

    from geodata import publication

    values = pd.Series([5.0, 90.0, 90.0, 5.0, 12.0])
    units = pd.Series(["aantal", "%", "%", "aantal", "%"])
    sources = pd.Series(["bbga", "bbga", "kwb", "kwb", "bbga"])
    assert list(publication.bound(values, units, sources)) == ["<=", ">=", "", "", ""]
    assert publication.note("<=").startswith("1 tot en met 5")
    assert publication.note(">=", "en").startswith("90 or more")
    assert publication.note("") == ""


def test_sources_are_summarised_per_group_with_their_gaps():
    import pandas as pd

    from geodata.provenance import summarise_sources

    sources = pd.DataFrame(
        {
            "source": ["kwb", "kwb", "kwb", "bbga"],
            "table_id": ["85984NED", "85984NED", "86165NED", None],
            "year": [2024, 2024, 2025, None],
            "url": ["u1", "u2", "u3", "u4"],
            "rows": [10, 5, 7, 3],
            "retrieved_at": ["2026-01-01", "2026-01-02", "2026-02-01", "2026-03-01"],
            "test_data": [True, False, None, False],
            "status": ["ok", "ok", "gap", "ok"],
        }
    )
    summary = summarise_sources(sources, ["source", "table_id"]).set_index(["source", "table_id"])
    kwb_2024 = summary.loc[("kwb", "85984NED")]
    assert (kwb_2024["responses"], kwb_2024["rows"], kwb_2024["gaps"]) == (2, 15, 0)
    assert kwb_2024["test_data"] and kwb_2024["retrieved_last"] == "2026-01-02"
    assert summary.loc[("kwb", "86165NED"), "gaps"] == 1
    assert summary.loc[("bbga", ""), "responses"] == 1  # a missing table id is its own group
    assert summarise_sources(sources.iloc[0:0], ["source"]).empty
