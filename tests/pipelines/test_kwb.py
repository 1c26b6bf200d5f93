"""KWB: catalog lookup, column mapping by stem, region filter and normalisation."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

import pandas as pd
import pytest

from geodata.catalogue import load_catalogue, parse_catalogue
from geodata.config import load_region
from pipelines import cbs_odata, kwb
from pipelines._http import HttpClient, build_url
from pipelines.errors import UnknownRegionError
from tests.conftest import fixture_bytes, fixture_json

CATALOGUE_TEXT = """
[[indicator]]
id = "population"
group = "bevolking"
label_nl = "Inwoners"
label_en = "Inhabitants"
unit = "aantal"
description_nl = "x"
description_en = "x"
aggregation = "sum"
direction = "neutral"
sources = [{ years = "2015-2024", stem = "AantalInwoners", unit = "aantal" }]

[[indicator]]
id = "households"
group = "bevolking"
label_nl = "Huishoudens"
label_en = "Households"
unit = "aantal"
description_nl = "x"
description_en = "x"
aggregation = "sum"
direction = "neutral"
sources = [{ years = "2015-2024", stem = "HuishoudensTotaal", unit = "aantal" }]

[[indicator]]
id = "low_income_households_pct"
group = "inkomen"
label_nl = "Laag inkomen"
label_en = "Low income"
unit = "%"
description_nl = "x"
description_en = "x"
aggregation = "mean"
weight = "households"
direction = "higher_is_worse"
sources = [{ years = "2015-2024", stem = "HuishoudensMetEenLaagInkomen", unit = "%" }]

[[indicator]]
id = "income_per_inhabitant_keur"
group = "inkomen"
label_nl = "Inkomen"
label_en = "Income"
unit = "x 1.000 euro"
description_nl = "x"
description_en = "x"
aggregation = "mean"
weight = "population"
direction = "higher_is_better"
sources = [{ years = "2015-2024", stem = "GemiddeldInkomenPerInwoner", unit = "x 1 000 euro" }]

[[indicator]]
id = "non_western_background_pct"
group = "herkomst"
label_nl = "Niet-westers"
label_en = "Non-western"
unit = "%"
description_nl = "x"
description_en = "x"
aggregation = "mean"
weight = "population"
direction = "neutral"
sources = [
  { years = "2015-2016", stem = "NietWestersTotaal", unit = "%" },
  { years = "2017-2022", stem = "NietWestersTotaal", unit = "aantal", per = "AantalInwoners", scale = 100 },
]
"""
CATALOGUE = parse_catalogue(CATALOGUE_TEXT)


def topics() -> pd.DataFrame:
    return cbs_odata.parse_topics(fixture_json("cbs/kwb_dataproperties.json")["value"])


def typed_rows() -> pd.DataFrame:
    pages = [
        fixture_json("cbs/kwb_typeddataset_page1.json"),
        fixture_json("cbs/kwb_typeddataset_page2.json"),
    ]
    return pd.DataFrame([row for page in pages for row in page["value"]])


def test_parse_kwb_catalog_takes_the_year_from_the_title_only_for_kwb_tables():
    catalog = kwb.parse_kwb_catalog(fixture_json("cbs/catalog_kwb.json")["value"])
    assert catalog[["year", "table_id"]].values.tolist() == [[2019, "84583NED"], [2020, "84799NED"]]


@pytest.mark.parametrize(
    ("title", "short_title"),
    [
        ("Kerncijfers wijken en buurten 2019", "Kerncijfers wijken en buurten 2019"),
        (
            "Kerncijfers wijken en buurten 2019 [testdata: deels synthetisch]",
            "Kerncijfers wijken en buurten 2019",
        ),
        (
            "Wijk- en buurtcijfers",
            "Kerncijfers wijken en buurten 2019",
        ),  # only the short title fits
        ("Kerncijfers wijken en buurten 2019", ""),  # only the title fits
    ],
)
def test_parse_kwb_catalog_matches_title_or_short_title(title, short_title):
    entries = [{"Identifier": "84583NED", "Title": title, "ShortTitle": short_title}]
    assert kwb.parse_kwb_catalog(entries)[["year", "table_id"]].values.tolist() == [
        [2019, "84583NED"]
    ]


def test_parse_kwb_catalog_ignores_series_and_other_tables():
    entries = [
        {"Identifier": "1", "Title": "Kerncijfers wijken en buurten 2004-2020", "ShortTitle": ""},
        {
            "Identifier": "2",
            "Title": "Regionale kerncijfers Nederland",
            "ShortTitle": "Kerncijfers 2019",
        },
    ]
    assert kwb.parse_kwb_catalog(entries).empty


def test_known_table_missing_from_the_catalog_is_a_warning():
    catalog = kwb.parse_kwb_catalog(fixture_json("cbs/catalog_kwb.json")["value"])
    assert kwb.check_known_tables([2019, 2020], catalog) == []
    warnings = kwb.check_known_tables([2019, 2021], catalog)
    assert len(warnings) == 1 and "KWB 2021" in warnings[0] and "85039NED" in warnings[0]
    assert "not pulled" in warnings[0]
    other = kwb.check_known_tables([2019], catalog, known={2019: "99999NED"})
    assert "84583NED" in other[0] and "99999NED" in other[0] and "KNOWN_TABLES" in other[0]


def test_plan_columns_maps_stems_to_this_years_keys():
    plan = kwb.plan_columns(topics(), CATALOGUE, 2019, "84583NED")
    mapping = plan.mapping.set_index("indicator")["cbs_keys"].str[0].to_dict()
    assert mapping["low_income_households_pct"] == "HuishoudensMetEenLaagInkomen_78"
    assert mapping["income_per_inhabitant_keur"] == "GemiddeldInkomenPerInwoner_72"
    derived = plan.sources.set_index("indicator").loc["non_western_background_pct"]
    assert derived["source_key"] == "NietWestersTotaal_18 / AantalInwoners_5 * 100"
    assert (plan.sources["source"] == "kwb").all()
    income = plan.sources.set_index("indicator").loc["income_per_inhabitant_keur"]
    assert income["reference_period"] == "2017"
    assert pd.isna(plan.sources.set_index("indicator").loc["population", "reference_period"])


def test_plan_columns_records_unpublished_years():
    plan = kwb.plan_columns(topics(), CATALOGUE, 2023, "85618NED")
    status = plan.sources.set_index("indicator")["status"]
    assert status["non_western_background_pct"] == "not_published"
    assert "non_western_background_pct" not in set(plan.mapping["indicator"])


def test_missing_stem_is_a_gap_that_names_table_year_column_and_fix():
    renamed = topics().assign(
        stem=lambda t: t["stem"].replace("HuishoudensMetEenLaagInkomen", "HuishLaagInk")
    )
    plan = kwb.plan_columns(renamed, CATALOGUE, 2019, "84583NED")
    assert "low_income_households_pct" not in set(plan.mapping["indicator"])
    assert "population" in set(plan.mapping["indicator"])  # the others go on
    row = plan.sources.set_index("indicator").loc["low_income_households_pct"]
    assert row["status"] == "missing_in_table"
    (gap,) = plan.gaps
    assert gap.indicator == "low_income_households_pct" and gap.year == 2019
    assert "KWB 2019" in gap.reason and "84583NED" in gap.reason
    assert "HuishoudensMetEenLaagInkomen" in gap.reason and gap.reason == row["note"]
    assert "indicators.toml" in gap.fix


def test_changed_unit_is_a_gap():
    changed = topics()
    changed.loc[changed["stem"] == "HuishoudensMetEenLaagInkomen", "unit"] = "aantal"
    plan = kwb.plan_columns(changed, CATALOGUE, 2019, "84583NED")
    (gap,) = plan.gaps
    assert gap.status == "unit_mismatch"
    assert re.search(r"unit 'aantal'.*expects '%'", gap.reason)


def test_alternative_unit_spellings_are_accepted():
    catalogue = parse_catalogue(
        CATALOGUE_TEXT.replace(
            'stem = "GemiddeldInkomenPerInwoner", unit = "x 1 000 euro"',
            'stem = "GemiddeldInkomenPerInwoner", units = ["x 1.000 euro", "x 1 000 euro"]',
        )
    )
    plan = kwb.plan_columns(topics(), catalogue, 2019, "84583NED")
    assert "income_per_inhabitant_keur" in set(plan.mapping["indicator"])
    assert plan.gaps == ()


def test_woz_comes_from_whichever_stem_the_edition_has():
    catalogue = load_catalogue()
    woz = [i for i in catalogue if i.id == "woz_mean_keur"]
    dp2018 = cbs_odata.parse_topics(fixture_json("cbs/kwb2018_dataproperties.json")["value"])
    dp2024 = cbs_odata.parse_topics(fixture_json("cbs/kwb2024_dataproperties.json")["value"])
    old = kwb.plan_columns(dp2018, tuple(woz), 2018, "84286NED")
    new = kwb.plan_columns(dp2024, tuple(woz), 2024, "85984NED")
    assert old.sources.iloc[0]["source_key"] == "GemiddeldeWoningwaarde_35"
    assert new.sources.iloc[0]["source_key"] == "GemiddeldeWOZWaardeVanWoningen_39"
    assert old.gaps == new.gaps == ()


def test_kwb_2024_has_the_persons_poverty_measure_and_no_household_low_income():
    dp2024 = cbs_odata.parse_topics(fixture_json("cbs/kwb2024_dataproperties.json")["value"])
    wanted = {
        "low_income_households_pct",
        "social_minimum_households_pct",
        "social_minimum_110_households_pct",
        "social_minimum_120_households_pct",
        "persons_in_poverty_pct",
        "persons_near_poverty_pct",
    }
    chosen = tuple(i for i in load_catalogue() if i.id in wanted)
    plan = kwb.plan_columns(dp2024, chosen, 2024, "85984NED")
    status = plan.sources.set_index("indicator")["status"].to_dict()
    assert status["low_income_households_pct"] == "not_published"
    assert status["social_minimum_120_households_pct"] == "not_published"
    assert status["persons_in_poverty_pct"] == "published"
    keys = plan.sources.set_index("indicator")["source_key"]
    assert keys["persons_near_poverty_pct"] == "PersonenTot25BovenArmoedegrens_82"
    assert plan.gaps == ()


def test_a_stem_an_edition_lacks_is_a_gap_only_for_that_edition():
    dp2024 = cbs_odata.parse_topics(fixture_json("cbs/kwb2024_dataproperties.json")["value"])
    plan = kwb.plan_columns(dp2024, CATALOGUE, 2024, "85984NED")
    gaps = {g.indicator: g.status for g in plan.gaps}
    assert (
        gaps["low_income_households_pct"] == "missing_in_table"
    )  # this test catalogue says 2015-2024
    assert "population" in set(plan.mapping["indicator"])


def test_region_filter_matches_the_country_and_each_municipality():
    text = kwb.region_filter(["GM0363", "GM0479"])
    assert text == (
        "(substringof('NL00',WijkenEnBuurten) or substringof('0363',WijkenEnBuurten) "
        "or substringof('0479',WijkenEnBuurten))"
    )


def _all_keys(year: int) -> list[str]:
    """Keys of every catalogue column with suffixes as long as real ones (worst case)."""
    keys = []
    for ind in load_catalogue():
        source = ind.source_for(year)
        if source:
            keys += [f"{max(source.stems, key=len)}_123"] + (
                [f"{source.per}_45"] if source.per else []
            )
    return list(dict.fromkeys(keys))


@pytest.mark.parametrize("factor", [1, 3])
def test_requests_stay_under_the_limit_for_the_region_and_three_times_its_size(factor):
    region = load_region()
    codes = [g.code for g in region.gemeenten_in_kwb_year(2019)]
    codes = codes + [f"GM{9000 + n:04d}" for n in range(len(codes) * (factor - 1))]
    url = "https://opendata.cbs.nl/ODataFeed/odata/84583NED/TypedDataSet"
    keys = _all_keys(2019)
    requests = kwb.plan_requests(url, keys, codes)
    for params in requests:
        sent = build_url(url, {"$format": "json", **params})
        assert cbs_odata.query_length(sent) <= cbs_odata.QUERY_BUDGET
    selected = {k for p in requests for k in p["$select"].split(",")}
    assert selected == {"WijkenEnBuurten", *keys}
    searched = {d for p in requests for d in re.findall(r"substringof\('(\w+)'", p["$filter"])}
    assert searched == {"NL00", *(c[2:] for c in codes)}


def test_a_select_longer_than_half_the_budget_is_split_and_joined_again():
    url = "https://opendata.cbs.nl/ODataFeed/odata/84583NED/TypedDataSet"
    keys = [f"EenHeelLangeKolomNaamVoorDezeTest{n}_{n}" for n in range(60)]
    requests = kwb.plan_requests(url, keys, ["GM0363"])
    assert len({p["$select"] for p in requests}) > 1
    frames = [
        pd.DataFrame(
            {
                c: [f"{c}-a", f"{c}-b"] if c != "WijkenEnBuurten" else ["GM0363", "NL00"]
                for c in p["$select"].split(",")
            }
        )
        for p in requests
    ]
    merged = kwb.merge_request_rows(frames)
    assert len(merged) == 2 and set(merged.columns) == {"WijkenEnBuurten", *keys}


def test_keep_region_rows_drops_codes_that_only_contain_the_digits():
    rows = pd.DataFrame(
        {"WijkenEnBuurten": ["NL00", "GM0363", "BU03630001", "BU01360363", "WK003603"]}
    )
    kept = kwb.keep_region_rows(rows, ["GM0363", "GM0036"])
    assert list(kept["WijkenEnBuurten"]) == ["NL00", "GM0363", "BU03630001", "WK003603"]


def test_normalise_kwb_trims_keys_keeps_nulls_and_derives_shares():
    plan = kwb.plan_columns(topics(), CATALOGUE, 2019, "84583NED")
    rows = typed_rows()
    original = rows.copy()
    values, sources = kwb.normalise_kwb(rows, plan)
    pd.testing.assert_frame_equal(rows, original)  # input not mutated
    table = values.pivot(index="area_code", columns="indicator", values="value")
    assert list(table.index) == ["BU03630000", "BU03630001", "GM0363", "NL00", "WK036300"]
    assert table.loc["GM0363", "low_income_households_pct"] == 12.8
    assert math.isnan(
        table.loc["BU03630000", "low_income_households_pct"]
    )  # suppressed stays missing
    assert table.loc["BU03630001", "low_income_households_pct"] == 0.0  # a real zero stays zero
    assert table.loc["GM0363", "non_western_background_pct"] == round(302000 / 862965 * 100, 2)
    assert math.isnan(
        table.loc["BU03630001", "non_western_background_pct"]
    )  # 0 inhabitants: no share
    assert set(values["year"]) == {2019}
    assert (sources["status"] == "published").all()


def test_normalise_kwb_marks_a_column_empty_in_the_whole_table():
    plan = kwb.plan_columns(topics(), CATALOGUE, 2019, "84583NED")
    rows = typed_rows().assign(HuishoudensMetEenLaagInkomen_78=None)
    values, sources = kwb.normalise_kwb(rows, plan)
    assert "low_income_households_pct" not in set(values["indicator"])
    assert (
        sources.set_index("indicator").loc["low_income_households_pct", "status"]
        == "empty_in_table"
    )


def test_check_region_codes_names_a_missing_gemeente():
    rows = cbs_odata.strip_keys(typed_rows(), ["WijkenEnBuurten"])
    kwb.check_region_codes(rows, ["GM0363"], 2019, "84583NED")
    with pytest.raises(
        UnknownRegionError, match=r"KWB 2019 \(table 84583NED\) has no rows for GM9999"
    ):
        kwb.check_region_codes(rows, ["GM0363", "GM9999"], 2019, "84583NED")


def test_check_region_codes_rejects_codes_that_are_not_cbs_codes():
    rows = pd.DataFrame({"WijkenEnBuurten": ["GM0363", "XX12"]})
    with pytest.raises(UnknownRegionError, match="XX12"):
        kwb.check_region_codes(rows, ["GM0363"], 2019, "84583NED")


def test_amsterdam_alphanumeric_codes_are_accepted():
    rows = pd.DataFrame({"WijkenEnBuurten": ["GM0363", "WK0363AA", "BU0363AA01"]})
    kwb.check_region_codes(rows, ["GM0363"], 2023, "85618NED")


def amsterdam_only():
    region = load_region()
    return replace(region, gemeenten=region.gemeenten[:1], merged=())


def serve_editions(stub_server, broken: bytes) -> None:
    """2019 answers fully; 2020's data request gets `broken` (an error page)."""
    rows = typed_rows().to_dict("records")
    data = json.dumps({"value": rows, "odata.metadata": "x"}).encode()
    infos = json.dumps({"value": [{"Identifier": "T", "Title": "Kerncijfers wijken en buurten"}]})
    for table in ("84583NED", "84799NED"):
        base = f"/ODataFeed/odata/{table}"
        stub_server.routes[f"{base}/TableInfos"] = [(200, infos.encode(), "")]
        stub_server.routes[f"{base}/DataProperties"] = [
            (200, fixture_bytes("cbs/kwb_dataproperties.json"), "")
        ]
    stub_server.routes["/ODataFeed/odata/84583NED/TypedDataSet"] = [(200, data, "")]
    stub_server.routes["/ODataFeed/odata/84799NED/TypedDataSet"] = [(404, broken, "")]
    stub_server.routes["/ODataCatalog/Tables"] = [(200, fixture_bytes("cbs/catalog_kwb.json"), "")]


def test_an_edition_refused_by_iis_is_a_gap_and_the_other_editions_go_on(stub_server, tmp_path):
    serve_editions(stub_server, fixture_bytes("cbs/iis_404_15.html"))
    http = HttpClient(tmp_path / "cache", backoff=0.01, retries=1)
    editions = [kwb.KwbEdition(y, kwb.KNOWN_TABLES[y], "") for y in (2019, 2020)]
    result = kwb.run(http, stub_server.url, amsterdam_only(), editions, CATALOGUE)
    (gap,) = result.gaps
    assert gap.year == 2020 and gap.indicator is None and gap.status == "fetch_failed"
    assert "HTTP Error 404.15" in gap.reason and "query string is too long" in gap.reason
    values = result.tables["indicator_values"]
    assert set(values["year"]) == {2019}
    status = result.tables["indicator_sources"].set_index(["indicator", "year"])["status"]
    assert status[("population", 2020)] == "fetch_failed"
    assert status[("population", 2019)] == "published"
    assert result.failed_years == {2020}
    assert not result.test_data


# -- new editions: KWB 2026's layout, sums of columns ------------------------------------------


def dp2026() -> pd.DataFrame:
    return cbs_odata.parse_topics(fixture_json("cbs/kwb2026_dataproperties.json")["value"])


def test_kwb_2026_maps_by_stem_although_its_keys_moved():
    wanted = {"population", "households", "persons_in_poverty_pct", "low_income_households_pct"}
    chosen = tuple(i for i in load_catalogue() if i.id in wanted)
    plan = kwb.plan_columns(dp2026(), chosen, 2026, "86358NED")
    keys = plan.sources.set_index("indicator")["source_key"].to_dict()
    assert keys["households"] == "HuishoudensTotaal_35"  # one further than in 2024
    assert keys["persons_in_poverty_pct"] == "PersonenInArmoede_82"
    status = plan.sources.set_index("indicator")["status"].to_dict()
    assert status["low_income_households_pct"] == "not_published"  # ended with KWB 2023
    assert plan.gaps == ()


def test_age_65_plus_is_the_sum_of_the_new_age_groups_where_the_old_stem_is_gone():
    (age,) = [i for i in load_catalogue() if i.id == "age_65_plus_pct"]
    plan = kwb.plan_columns(dp2026(), (age, *CATALOGUE[:1]), 2026, "86358NED")
    row = plan.sources.set_index("indicator").loc["age_65_plus_pct"]
    assert row["status"] == "published"
    assert (
        row["source_key"] == "(k_65JaarTot80Jaar_12 + k_80JaarOfOuder_13) / AantalInwoners_5 * 100"
    )
    assert row["source_title"].startswith("(65 tot 80 jaar + 80 jaar of ouder)")
    assert set(plan.keys) >= {"k_65JaarTot80Jaar_12", "k_80JaarOfOuder_13", "AantalInwoners_5"}
    rows = pd.DataFrame(
        {
            "WijkenEnBuurten": ["GM0363    ", "BU03630000", "BU03630001"],
            "AantalInwoners_5": [1000.0, 200.0, 50.0],
            "k_65JaarTot80Jaar_12": [100.0, 20.0, 5.0],
            "k_80JaarOfOuder_13": [50.0, None, 5.0],
        }
    )
    values, _ = kwb.normalise_kwb(rows, plan)
    share = values[values["indicator"] == "age_65_plus_pct"].set_index("area_code")["value"]
    assert share["GM0363"] == 15.0 and share["BU03630001"] == 20.0
    assert math.isnan(share["BU03630000"])  # one suppressed part: the sum is missing, never 0


def test_a_sum_whose_part_is_missing_falls_through_to_a_gap_naming_the_parts():
    (age,) = [i for i in load_catalogue() if i.id == "age_65_plus_pct"]
    topics = dp2026()
    topics = topics[topics["stem"] != "k_80JaarOfOuder"]
    plan = kwb.plan_columns(topics, (age,), 2026, "86358NED")
    (gap,) = plan.gaps
    assert gap.status == "missing_in_table"
    assert "k_65JaarTot80Jaar + k_80JaarOfOuder" in gap.reason and "A + B" in gap.fix
