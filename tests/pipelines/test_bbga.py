"""Amsterdam's BBGA: HAL paging, strict parsing, the link to CBS codes per year, gaps."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from geodata import schema
from geodata.catalogue import indicator_by_id, parse_catalogue
from pipelines import bbga
from pipelines._dso import embedded
from pipelines._http import HttpClient
from pipelines.errors import SchemaError, ServiceError
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
    successor = f"{BASE}/v1/statistieken/indicatoren/"  # not (yet) served: the BBGA answers
    answers[successor] = ServiceError(successor, 404, '{"title": "Not found."}')
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
    assert links.loc[(2021, "A00a"), "division"] == "own"
    # OIS publishes every year on the 2022 division: its codes link in earlier years too
    assert links.loc[(2021, "AA01"), ["area_code", "division"]].tolist() == ["BU0363AA01", "2022"]
    assert links.loc[(2023, "AA01"), "division"] == "own"
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
        ("jaarcijfer", "2023 (jaarcijfer)"),
        ("Jaarcijfer ", "2023 (jaarcijfer)"),
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


def outlines(rows: list[tuple[int, str, object]]):
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {
            "year": [r[0] for r in rows],
            "area_code": [r[1] for r in rows],
            "level": "buurt",
            "geometry": [r[2] for r in rows],
        },
        crs=schema.CRS,
    )


def cbs_areas(rows: list[tuple[int, str, object]]):
    frame = outlines(rows).rename(columns={"area_code": "code"})
    return frame[["year", "level", "code", "geometry"]]


def test_a_cbs_code_that_stands_for_another_area_that_year_is_not_trusted():
    ours = outlines(
        [(2015, "BU1", square(0)), (2015, "BU2", square(500)), (2016, "BU1", square(0))]
    )
    # 2015: CBS's BU1 is a much larger, older area; 2016: the same buurt, slightly differently
    # drawn (land only)
    cbs = cbs_areas([(2015, "BU1", square(0, 400)), (2016, "BU1", square(2, 96))])
    placed = bbga.placed_links(ours, cbs).set_index(["year", "area_code"])
    assert placed.loc[(2016, "BU1"), ["placed", "reason"]].tolist() == ["BU1", "same"]
    assert placed.loc[(2015, "BU1"), "reason"] == "other_area"
    assert placed.loc[(2015, "BU2"), "reason"] == "absent"
    assert placed["placed"].loc[[(2015, "BU1"), (2015, "BU2")]].isna().all()


def test_a_2022_division_buurt_goes_to_the_cbs_area_of_that_year_with_its_outline():
    ours = outlines([(2016, "BU0363AA01", square(0)), (2016, "BU0363AA02", square(300, 50))])
    cbs = cbs_areas([(2016, "BU03630000", square(1, 99)), (2016, "BU03630001", square(300, 200))])
    placed = bbga.placed_links(ours, cbs).set_index(["year", "area_code"])
    assert placed.loc[(2016, "BU0363AA01"), ["placed", "reason"]].tolist() == [
        "BU03630000",
        "moved",
    ]
    # a buurt that is a small part of an older, larger one cannot stand for it
    assert placed.loc[(2016, "BU0363AA02"), "reason"] == "absent"


def test_run_places_2016_figures_published_on_the_2022_division():
    """Live, the BBGA publishes 2016 on the 2022 division (AA01); CBS's 2016 buurt with that
    outline is BU03630000, so the value lands there instead of being dropped as unlinked."""
    api = fake_api()
    api.answers[f"{KERNCIJFERS}?indicatorDefinitieId=BEVHUISHOUDENHH"] = fixture_bytes(
        "amsterdam/bbga_kerncijfers_2016_on_2022_division.json"
    )
    api.answers[f"{BASE}/v1/bbga/indicatoren_definities/"] = fixture_bytes(
        "amsterdam/bbga_definitions_euro.json"
    )
    catalogue = parse_catalogue(CATALOGUE.replace('"2021-2024"', '"2016-"'))
    result = bbga.run(api, BASE, [2016], catalogue)
    values = result.tables["indicator_values"]
    assert not any("match no Amsterdam area" in w for w in result.warnings)
    assert "BU0363AA01" in set(values["area_code"])  # linked through the 2022 division
    (placed,) = result.after_merge
    from shapely.geometry import Polygon

    triangle = Polygon([(121000, 487000), (121100, 487000), (121100, 487100)])  # AA01's outline
    areas = cbs_areas([(2016, "BU03630000", triangle)])
    tables = placed({"areas": areas, "indicator_values": values})
    households = tables["indicator_values"].set_index(["indicator", "area_code"])
    assert households.loc[("ams_households", "BU03630000"), "value"] == 790.0
    assert "BU0363AA01" not in set(tables["indicator_values"]["area_code"])
    assert any("same outline" in w for w in result.warnings)


def test_the_live_euro_symbol_of_household_income_maps():
    objects = fixture_json("amsterdam/bbga_definitions_euro.json")["_embedded"][
        "indicatoren_definities"
    ]
    income = (indicator_by_id("ams_household_income_mean"),)
    result = bbga.plan_variables(bbga.parse_definitions(objects), income, [2023])
    assert result.gaps == ()
    (row,) = result.sources.itertuples()
    assert (row.status, row.source_unit, row.reference_period) == (
        "published",
        "euro",
        "2023 (jaarcijfer)",
    )


@pytest.mark.parametrize(
    ("status", "fixture", "key", "expected"),
    [
        (401, "amsterdam/error_401_key_missing.json", None, "AMSTERDAM_API_KEY is not set"),
        (400, "amsterdam/error_400_invalid_key.json", "wrong", "refused AMSTERDAM_API_KEY"),
    ],
)
def test_a_refused_api_key_is_one_line_that_names_the_setting(
    stub_server, tmp_path, status, fixture, key, expected
):
    stub_server.routes["/v1/bbga/indicatoren_definities/"] = [(status, fixture_bytes(fixture), "")]
    stub_server.routes["/v1/statistieken/indicatoren/"] = [(status, fixture_bytes(fixture), "")]
    http = HttpClient(tmp_path, retries=1, backoff=0)
    result = bbga.run(http, stub_server.url, [2023], parse_catalogue(CATALOGUE), api_key=key)
    (gap,) = result.gaps
    line = gap.line()
    assert "\n" not in line and expected in line and "AMSTERDAM_API_KEY" in gap.fix
    assert "keys.api.data.amsterdam.nl" in gap.fix
    assert key is None or key not in line  # the key itself is never repeated


def test_the_successor_answers_for_the_variables_it_defines_and_the_bbga_for_the_rest():
    api = fake_api()
    successor = f"{BASE}/v1/statistieken/"
    api.answers[f"{successor}indicatoren/"] = fixture_bytes(
        "amsterdam/statistieken_indicatoren.json"
    )
    api.answers[f"{successor}cijfers/?indicator=IMINHH120_P"] = fixture_bytes(
        "amsterdam/statistieken_cijfers_page.json"
    )
    api.answers[f"{KERNCIJFERS}?indicatorDefinitieId=BEVHUISHOUDENHH"] = fixture_bytes(
        "amsterdam/bbga_kerncijfers_2016_on_2022_division.json"
    )
    catalogue = parse_catalogue(CATALOGUE.replace('"2021-2024"', '"2016-"'))
    result = bbga.run(api, BASE, [2016], catalogue)
    assert not any(
        "/v1/bbga/kerncijfers/?indicatorDefinitieId=IMINHH120_P" in u for u in api.requested
    )
    sources = result.tables["indicator_sources"].set_index(["indicator", "year"])
    minima = sources.loc[("ams_minima", 2016)]
    assert (minima["table_id"], minima["reference_period"]) == ("statistieken", "1 januari 2016")
    assert sources.loc[("ams_households", 2016), "table_id"] == "bbga"
    values = result.tables["indicator_values"].set_index(["indicator", "area_code"])["value"]
    assert values[("ams_minima", "GM0363")] == 16.1  # the municipality is Amsterdam
    assert values[("ams_minima", "BU0363AA01")] == 18.5
    assert math.isnan(values[("ams_minima", "A")])  # null stays missing
    datasets = {p.table_id for p in result.provenance}
    assert {"statistieken", "bbga", "gebieden"} <= datasets


def test_statistieken_parsing_reads_periods_and_skips_expired_indicators():
    from pipelines import statistieken

    objects = fixture_json("amsterdam/statistieken_indicatoren.json")["_embedded"]["indicatoren"]
    frame = statistieken.parse_indicators(objects)
    assert list(frame["variable"]) == ["IMINHH120_P"] and frame["symbol"].tolist() == ["%"]
    assert (
        statistieken.period_text(dt.date(2022, 1, 1), dt.date(2022, 12, 31)) == "2022 (jaarcijfer)"
    )
    assert statistieken.period_text(dt.date(2023, 1, 1), dt.date(2023, 1, 1)) == "1 januari 2023"
    with pytest.raises(SchemaError, match="is not a date"):
        statistieken.parse_figures([{"begindatum": "²023-01-01", "waarde": 1}])
