"""Shared CBS OData v3 helpers: key stems, topics, reference periods, paging."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines import cbs_odata
from pipelines.errors import ServiceError, UnknownTableError
from tests.conftest import fixture_bytes, fixture_json
from tests.pipelines.fake_http import FakeHttp, as_bytes


@pytest.mark.parametrize(
    ("key", "stem"),
    [
        ("GemiddeldInkomenPerInwoner_72", "GemiddeldInkomenPerInwoner"),
        ("k_40HuishoudensMetLaagsteInkomen_76", "k_40HuishoudensMetLaagsteInkomen"),
        ("PersonenautoSPerHuishouden_102", "PersonenautoSPerHuishouden"),
        ("Woningvoorraad", "Woningvoorraad"),
    ],
)
def test_key_stem_drops_only_the_numeric_suffix(key, stem):
    assert cbs_odata.key_stem(key) == stem


def test_parse_topics_keeps_topics_with_their_group():
    topics = cbs_odata.parse_topics(fixture_json("cbs/kwb_dataproperties.json")["value"])
    assert list(topics["key"]) == [
        "AantalInwoners_5",
        "NietWestersTotaal_18",
        "HuishoudensTotaal_28",
        "GemiddeldInkomenPerInwoner_72",
        "HuishoudensMetEenLaagInkomen_78",
    ]
    income = topics.set_index("stem").loc["GemiddeldInkomenPerInwoner"]
    assert income["unit"] == "x 1 000 euro"
    assert income["group_title"] == "Inkomen"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De cijfers hebben betrekking op 2017.", "2017"),
        ("Peildatum 1 januari 2019.", "2019-01-01"),
        ("Verslagjaar 2020", "2020"),
        ("Gemiddeld inkomen per inwoner (2018)", "2018"),
        ("Het rekenkundig gemiddeld inkomen.", None),
        ("", None),
    ],
)
def test_parse_reference_period(text, expected):
    assert cbs_odata.parse_reference_period(text) == expected


def test_strip_keys_trims_padding_without_mutating_input():
    frame = pd.DataFrame({"WijkenEnBuurten": ["GM0363    ", "NL00      "], "x": [1, 2]})
    out = cbs_odata.strip_keys(frame, ["WijkenEnBuurten"])
    assert list(out["WijkenEnBuurten"]) == ["GM0363", "NL00"]
    assert frame["WijkenEnBuurten"].iloc[0] == "GM0363    "


def test_fetch_feed_follows_next_link_until_absent():
    base = "https://opendata.cbs.nl/ODataFeed/odata/84583NED/TypedDataSet"
    http = FakeHttp(
        {
            f"{base}?$format=json": fixture_bytes("cbs/kwb_typeddataset_page1.json"),
            "https://opendata.cbs.nl/ODataFeed/OData/84583NED/TypedDataSet?$format=json&$skip=3": fixture_bytes(
                "cbs/kwb_typeddataset_page2.json"
            ),
        }
    )
    pages = cbs_odata.fetch_feed(http, base)
    assert len(pages) == 2
    assert len(cbs_odata.rows_of(pages)) == 5


def test_fetch_feed_stops_on_a_next_link_loop():
    url = "https://x/ODataFeed/odata/T/TypedDataSet"
    loop = as_bytes({"value": [], "odata.nextLink": f"{url}?$format=json"})
    with pytest.raises(ServiceError, match="points back"):
        cbs_odata.fetch_feed(FakeHttp({url: loop}), url)


def test_unknown_table_names_table_and_fix():
    class Missing(FakeHttp):
        def get_json(self, url, params=None, **kwargs):
            raise ServiceError(url, 404, "Could not find a table named '99999NED'.")

    with pytest.raises(UnknownTableError, match="99999NED") as info:
        cbs_odata.fetch_data_properties(Missing({}), "https://opendata.cbs.nl", "99999NED")
    assert "Check the table id" in str(info.value)
