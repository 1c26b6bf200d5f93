"""KWB: catalog lookup, column mapping by stem, region filter and normalisation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geodata.catalogue import parse_catalogue
from pipelines import cbs_odata, kwb
from pipelines.errors import SchemaError, UnknownRegionError, UnknownTableError
from tests.conftest import fixture_json

CATALOGUE = parse_catalogue(
    """
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
)


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


def test_resolve_table_ids_checks_the_known_list():
    catalog = kwb.parse_kwb_catalog(fixture_json("cbs/catalog_kwb.json")["value"])
    assert kwb.resolve_table_ids([2019, 2020], catalog) == {2019: "84583NED", 2020: "84799NED"}
    with pytest.raises(UnknownTableError, match=r"KWB 2019.*known list .* says 99999NED"):
        kwb.resolve_table_ids([2019], catalog, known={2019: "99999NED"})


def test_resolve_table_ids_names_a_missing_year_and_the_available_ones():
    catalog = kwb.parse_kwb_catalog(fixture_json("cbs/catalog_kwb.json")["value"])
    with pytest.raises(UnknownTableError) as info:
        kwb.resolve_table_ids([2031], catalog)
    assert "Kerncijfers wijken en buurten 2031" in str(info.value)
    assert "2019 (84583NED)" in str(info.value)
    assert "--years" in str(info.value)


def test_plan_columns_maps_stems_to_this_years_keys():
    plan = kwb.plan_columns(topics(), CATALOGUE, 2019, "84583NED")
    mapping = plan.mapping.set_index("indicator")["cbs_key"].to_dict()
    assert mapping["low_income_households_pct"] == "HuishoudensMetEenLaagInkomen_78"
    assert mapping["income_per_inhabitant_keur"] == "GemiddeldInkomenPerInwoner_72"
    derived = plan.sources.set_index("indicator").loc["non_western_background_pct"]
    assert derived["cbs_key"] == "NietWestersTotaal_18 / AantalInwoners_5 * 100"
    income = plan.sources.set_index("indicator").loc["income_per_inhabitant_keur"]
    assert income["reference_period"] == "2017"
    assert pd.isna(plan.sources.set_index("indicator").loc["population", "reference_period"])


def test_plan_columns_records_unpublished_years():
    plan = kwb.plan_columns(topics(), CATALOGUE, 2023, "85618NED")
    status = plan.sources.set_index("indicator")["status"]
    assert status["non_western_background_pct"] == "not_published"
    assert "non_western_background_pct" not in set(plan.mapping["indicator"])


def test_missing_stem_names_table_year_and_column():
    renamed = topics().assign(
        stem=lambda t: t["stem"].replace("HuishoudensMetEenLaagInkomen", "HuishLaagInk")
    )
    with pytest.raises(SchemaError) as info:
        kwb.plan_columns(renamed, CATALOGUE, 2019, "84583NED")
    message = str(info.value)
    assert (
        "KWB 2019" in message
        and "84583NED" in message
        and "HuishoudensMetEenLaagInkomen" in message
    )
    assert "indicators.toml" in message


def test_changed_unit_stops_the_build():
    changed = topics()
    changed.loc[changed["stem"] == "HuishoudensMetEenLaagInkomen", "unit"] = "aantal"
    with pytest.raises(SchemaError, match=r"unit 'aantal'.*expects '%'"):
        kwb.plan_columns(changed, CATALOGUE, 2019, "84583NED")


def test_region_filter_matches_the_country_and_each_municipality():
    text = kwb.region_filter(["GM0363", "GM0479"])
    assert text == (
        "substringof('NL00',WijkenEnBuurten) or substringof('0363',WijkenEnBuurten) "
        "or substringof('0479',WijkenEnBuurten)"
    )


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
