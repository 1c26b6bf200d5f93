"""Amsterdam's BBGA: HAL paging, strict parsing, the link to CBS codes per year, gaps."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from geodata.catalogue import parse_catalogue
from pipelines import bbga
from pipelines._dso import embedded
from pipelines._http import HttpClient
from pipelines.errors import SchemaError
from tests.conftest import fixture_bytes, fixture_json
from tests.pipelines.fake_http import FakeHttp

BASE = "https://api.data.amsterdam.nl"
KERNCIJFERS = f"{BASE}/v1/bbga/kerncijfers/"
PAGE_2 = fixture_json("amsterdam/bbga_kerncijfers_page1.json")["_links"]["next"]["href"]

CATALOGUE = """
[[indicator]]
id = "ams_minima"
group = "inkomen"
label_nl = "Minima"
label_en = "Minima"
unit = "%"
description_nl = "a"
description_en = "a"
aggregation = "mean"
weight = "ams_households"
direction = "higher_is_worse"
sources = [{ years = "2021-2024", kind = "bbga", variable = "IMINHH120_P", symbol = "%" }]

[[indicator]]
id = "ams_households"
group = "bevolking"
label_nl = "Huishoudens"
label_en = "Households"
unit = "aantal"
description_nl = "a"
description_en = "a"
aggregation = "sum"
direction = "neutral"
sources = [{ years = "2021-2024", kind = "bbga", variable = "BEVHUISHOUDENHH", symbol = "" }]
"""


def fake_api() -> FakeHttp:
    answers = {
        f"{BASE}/v1/bbga/indicatoren_definities/": "amsterdam/bbga_definitions.json",
        f"{KERNCIJFERS}?indicatorDefinitieId=IMINHH120_P": "amsterdam/bbga_kerncijfers_page1.json",
        PAGE_2: "amsterdam/bbga_kerncijfers_page2.json",
        f"{KERNCIJFERS}?indicatorDefinitieId=BEVHUISHOUDENHH": "amsterdam/bbga_kerncijfers_households.json",
    }
    answers = {url: fixture_bytes(name) for url, name in answers.items()}
    for table in ("buurten", "wijken", "stadsdelen", "ggwgebieden"):
        answers[f"{BASE}/v1/gebieden/{table}/"] = fixture_bytes(
            f"amsterdam/bbga_versions_{table}.json"
        )
    return FakeHttp(answers)


def versions() -> pd.DataFrame:
    frames = [
        bbga.parse_versions(fixture_json(f"amsterdam/bbga_versions_{t}.json")["_embedded"][t], t)
        for t in ("buurten", "wijken", "stadsdelen", "ggwgebieden")
    ]
    return pd.concat(frames, ignore_index=True)


def test_kerncijfers_are_filtered_on_the_server_and_paged_through_links_next():
    http = fake_api()
    pages = bbga.fetch_kerncijfers(http, BASE, "IMINHH120_P", [2021, 2022, 2023], None)
    assert len(pages) == 2
    first = http.requested[0]
    for part in ("indicatorDefinitieId=IMINHH120_P", "jaar%5Bgte%5D=2021", "jaar%5Blte%5D=2023"):
        assert part in first
    assert "_fields=jaar,gebiedcode15,waarde,indicatorDefinitieId" in first
    assert len(embedded(pages, "kerncijfers")) == 6


def test_definitions_are_read_with_their_symbol_and_reference_date():
    objects = fixture_json("amsterdam/bbga_definitions.json")["_embedded"]["indicatoren_definities"]
    frame = bbga.parse_definitions(objects).set_index("variable")
    assert frame.loc["IMINHH120_P", "symbol"] == "%"
    assert frame.loc["BEVHUISHOUDENHH", "symbol"] == ""
    assert frame.loc["IHHINK_GEM", "reference_date"].startswith("1 januari (inkomen")


def test_empty_and_null_values_are_missing_not_zero():
    objects = fixture_json("amsterdam/bbga_kerncijfers_page2.json")["_embedded"]["kerncijfers"]
    frame = bbga.parse_kerncijfers(objects)
    assert frame["value"].iloc[0] == 19.9
    assert math.isnan(frame["value"].iloc[1]) and math.isnan(frame["value"].iloc[2])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("waarde", "12,5", "waarde '12,5' is not a number"),
        ("waarde", True, "waarde True is not a number"),
        ("jaar", "٢٠٢٣", "is not a year"),
        ("jaar", 2023.5, "is not a year"),
    ],
)
def test_values_and_years_are_parsed_strictly(field, value, message):
    obj = {"jaar": 2023, "gebiedcode15": "A", "waarde": 1.0, "indicatorDefinitieId": "X"}
    with pytest.raises(SchemaError, match=message):
        bbga.parse_kerncijfers([{**obj, field: value}])


def test_a_value_served_twice_is_kept_once_and_conflicting_values_are_refused():
    row = {"jaar": 2023, "gebiedcode15": "A", "waarde": 1.0, "indicatorDefinitieId": "X"}
    assert len(bbga.parse_kerncijfers([row, dict(row)])) == 1
    with pytest.raises(SchemaError, match="X 2023 A"):
        bbga.parse_kerncijfers([row, {**row, "waarde": 2.0}])


def test_codes_link_to_cbs_codes_of_the_division_valid_on_1_january():
    links = bbga.code_links(versions(), [2021, 2023]).set_index(["year", "gebiedcode15"])
    assert links.loc[(2021, "A00a"), "area_code"] == "BU03630000"
    assert links.loc[(2021, "A00"), "level"] == "wijk"
    assert links.loc[(2023, "AA01"), "area_code"] == "BU0363AA01"
    assert (2023, "A00a") not in links.index  # the old buurt ended on 2022-03-24
    assert (2021, "AA01") not in links.index  # the new one began then
    assert links.loc[(2021, "A"), ["area_code", "level"]].tolist() == ["A", "stadsdeel"]
    assert links.loc[(2021, "GX01"), "level"] == "gebied"
    assert links.loc[(2023, "STAD"), ["area_code", "level"]].tolist() == ["GM0363", "gemeente"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 januari", "1 januari 2023"),
        (
            "1 januari (inkomen over het voorgaande jaar)",
            "1 januari 2023 (inkomen over het voorgaande jaar)",
        ),
        ("jaargemiddelde", "jaargemiddelde (2023)"),
        ("", None),
    ],
)
def test_reference_period_puts_the_year_into_the_bbga_reference_date(text, expected):
    assert bbga.reference_period(text, 2023) == expected


def plan(definitions: pd.DataFrame) -> bbga.VariablePlan:
    return bbga.plan_variables(definitions, parse_catalogue(CATALOGUE), [2020, 2021])


def definitions() -> pd.DataFrame:
    objects = fixture_json("amsterdam/bbga_definitions.json")["_embedded"]["indicatoren_definities"]
    return bbga.parse_definitions(objects)


def test_a_renamed_variable_is_a_gap_that_names_the_fix():
    renamed = definitions().replace({"variable": {"IMINHH120_P": "IMINHH120_PCT"}})
    result = plan(renamed)
    (gap,) = {(g.status, g.indicator, g.reason, g.fix) for g in result.gaps}
    assert gap[0] == "missing_in_table" and gap[1] == "ams_minima"
    assert "IMINHH120_P" in gap[2] and "geodata/indicators.toml" in gap[3]
    rows = result.sources.set_index(["indicator", "year"])
    assert rows.loc[("ams_minima", 2021), "status"] == "missing_in_table"
    assert rows.loc[("ams_minima", 2020), "status"] == "not_published"  # before its years
    assert rows.loc[("ams_households", 2021), "status"] == "published"


def test_a_changed_symbol_is_a_unit_mismatch():
    changed = definitions()
    changed.loc[changed["variable"] == "IMINHH120_P", "symbol"] = "‰"
    (gap,) = plan(changed).gaps
    assert gap.status == "unit_mismatch" and "'‰'" in gap.reason


def test_run_links_values_records_sources_and_warns_about_unknown_codes():
    result = bbga.run(fake_api(), BASE, [2021, 2023], parse_catalogue(CATALOGUE))
    values = result.tables["indicator_values"].set_index(["indicator", "year", "area_code"])
    assert values.loc[("ams_minima", 2021, "BU03630000"), "value"] == 21.5
    assert values.loc[("ams_minima", 2021, "GM0363"), "value"] == 17.2
    assert values.loc[("ams_minima", 2021, "A"), "value"] == 15.0
    assert values.loc[("ams_minima", 2023, "BU0363AA01"), "value"] == 19.9
    sources = result.tables["indicator_sources"].set_index(["indicator", "year"])
    minima = sources.loc[("ams_minima", 2021)]
    assert (minima["status"], minima["source_key"], minima["reference_period"]) == (
        "published",
        "IMINHH120_P",
        "1 januari 2021",
    )
    assert sources.loc[("ams_households", 2021), "status"] == "empty_in_table"  # only a null
    assert sources.loc[("ams_households", 2023), "status"] == "published"
    assert any("ZZ99" in w for w in result.warnings)  # a code no area carries: named
    areas = result.tables["areas"]
    assert set(areas["level"]) == {"stadsdeel", "gebied"} and set(areas["year"]) == {2021, 2023}
    assert not result.test_data  # the fixture's titles carry no test-data marking


def test_an_error_body_of_the_api_becomes_a_gap_that_quotes_it(stub_server, tmp_path):
    stub_server.routes["/v1/bbga/indicatoren_definities/"] = [
        (400, fixture_bytes("amsterdam/bbga_error.json"), "")
    ]
    http = HttpClient(tmp_path, retries=1, backoff=0)
    result = bbga.run(http, stub_server.url, [2023], parse_catalogue(CATALOGUE))
    (gap,) = result.gaps
    assert gap.status == "fetch_failed" and result.failed_entirely
    assert "Lookup not supported" in gap.reason and "HTTP 400" in gap.reason


def test_only_bbga_indicators_are_asked_of_the_bbga():
    catalogue = parse_catalogue(CATALOGUE)
    assert [i.id for i in bbga.bbga_indicators(catalogue)] == ["ams_minima", "ams_households"]
    assert dt.date(2022, 3, 24) > dt.date(2022, 1, 1)  # 2022's values use the old division


def square(x: float, size: float = 100.0):
    from shapely.geometry import box

    return box(x, 0, x + size, size)


def test_a_cbs_code_that_stands_for_another_area_that_year_is_not_trusted():
    import geopandas as gpd

    from geodata import store

    ours = gpd.GeoDataFrame(
        {
            "year": [2015, 2015, 2016],
            "area_code": ["BU1", "BU2", "BU1"],
            "geometry": [square(0), square(500), square(0)],
        },
        crs=store.CRS,
    )
    cbs = gpd.GeoDataFrame(
        {
            "year": [2015, 2016],
            "level": ["buurt", "buurt"],
            "code": ["BU1", "BU1"],
            # 2015: CBS's BU1 is a much larger, older area; 2016: the same buurt, slightly
            # differently drawn (land only)
            "geometry": [square(0, 400), square(2, 96)],
        },
        crs=store.CRS,
    )
    bad = bbga.mismatched_links(ours, cbs)
    assert sorted(zip(bad["year"], bad["area_code"], bad["reason"], strict=True)) == [
        (2015, "BU1", "other_area"),
        (2015, "BU2", "absent"),
    ]
