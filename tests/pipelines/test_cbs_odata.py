"""Shared CBS OData v3 helpers: key stems, topics, reference periods, paging."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipelines import cbs_odata
from pipelines._http import build_url
from pipelines.errors import QueryTooLongError, ServiceError, UnknownTableError
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


def test_split_filter_keeps_a_short_filter_whole():
    parts = (cbs_odata.AnyOf("WijkenEnBuurten", ("NL00", "0363"), how="substringof"),)
    assert cbs_odata.split_filter("https://x/T", {}, parts) == [
        "(substringof('NL00',WijkenEnBuurten) or substringof('0363',WijkenEnBuurten))"
    ]


def test_split_filter_halves_the_longest_list_until_each_request_fits():
    url = "https://opendata.cbs.nl/ODataFeed/odata/81734NED/TypedDataSet"
    origins = tuple(f"GM{n:04d}" for n in range(40))
    parts = (
        cbs_odata.AnyOf("Perioden", ("2020JJ00",)),
        cbs_odata.AnyOf("RegioVanVertrek", origins),
    )
    filters = cbs_odata.split_filter(url, {"$select": "A,B"}, parts, budget=600)
    assert len(filters) > 1
    for text in filters:
        assert text.startswith("Perioden eq '2020JJ00' and ")
        sent = build_url(url, {"$format": "json", "$select": "A,B", "$filter": text})
        assert cbs_odata.query_length(sent) <= 600
    found = [code for text in filters for code in re.findall(r"'(GM\d{4})'", text)]
    assert sorted(found) == list(origins)  # every value once


def test_split_filter_gives_up_with_a_clear_message_when_one_value_cannot_fit():
    parts = (cbs_odata.AnyOf("X", ("a" * 500,)),)
    with pytest.raises(QueryTooLongError, match="does not fit"):
        cbs_odata.split_filter("https://x/T", {}, parts, budget=100)


def test_quotes_in_values_are_escaped():
    assert cbs_odata.AnyOf("Title", ("'s-Hertogenbosch",)).text() == "Title eq '''s-Hertogenbosch'"


def test_split_select_groups_columns_and_repeats_the_key():
    groups = cbs_odata.split_select([f"Kolom{n}_{n}" for n in range(30)], ["WijkenEnBuurten"], 120)
    assert all(g[0] == "WijkenEnBuurten" and len(",".join(g)) <= 120 for g in groups)
    assert sum(len(g) - 1 for g in groups) == 30


def test_a_request_over_the_limit_is_refused_before_it_is_sent():
    http = FakeHttp({})
    with pytest.raises(QueryTooLongError, match="2,048"):
        cbs_odata.fetch_feed(
            http, "https://x/ODataFeed/odata/T/TypedDataSet", {"$filter": "x" * 2100}
        )
    assert http.requested == []


def test_a_next_link_over_the_limit_is_refused_before_it_is_followed():
    url = "https://x/ODataFeed/odata/T/TypedDataSet"
    too_long = f"{url}?$format=json&$filter={'y' * 2100}&$skip=10000"
    http = FakeHttp({url: as_bytes({"value": [{"a": 1}], "odata.nextLink": too_long})})
    with pytest.raises(QueryTooLongError):
        cbs_odata.fetch_feed(http, url)
    assert len(http.requested) == 1


def test_table_title_from_table_infos():
    infos = FakeHttp(
        {
            "https://x/ODataFeed/odata/T/TableInfos": as_bytes(
                {"value": [{"Identifier": "T", "Title": " Kerncijfers wijken en buurten 2019 "}]}
            )
        }
    )
    response = cbs_odata.fetch_table_infos(infos, "https://x", "T")
    assert cbs_odata.table_title(response) == "Kerncijfers wijken en buurten 2019"


# -- next links as CBS writes them --------------------------------------------------------------


def test_next_link_length_counts_the_options_percent_encoded_as_cbs_writes_them():
    body = fixture_json("cbs/kwb_typeddataset_encoded_nextlink.json")
    params = {
        "$select": "WijkenEnBuurten,AantalInwoners_5",
        "$filter": "(substringof('NL00',WijkenEnBuurten) or substringof('0363',WijkenEnBuurten))",
    }
    link_query = cbs_odata.query_length(body["odata.nextLink"])
    ours = cbs_odata.query_length(build_url("https://x/T", {"$format": "json", **params}))
    assert link_query > ours  # the link CBS writes is longer than the request
    assert cbs_odata.next_link_length(params) >= link_query  # and planning never undercounts it


def test_split_filter_keeps_the_next_link_cbs_would_write_within_the_budget():
    from pipelines import kwb

    url = "https://opendata.cbs.nl/ODataFeed/odata/86165NED/TypedDataSet"
    gemeenten = [f"GM{n:04d}" for n in range(300, 420)]
    keys = [f"Kolom{n}_{n}" for n in range(40)]
    requests = kwb.plan_requests(url, keys, gemeenten)
    assert len(requests) > 1
    for params in requests:
        assert cbs_odata.next_link_length(params) <= cbs_odata.QUERY_BUDGET
        assert cbs_odata.query_length(build_url(url, {"$format": "json", **params})) <= 1900


def test_a_short_next_link_is_followed_as_cbs_wrote_it():
    url = "https://opendata.cbs.nl/ODataFeed/odata/86165NED/TypedDataSet"
    first = fixture_bytes("cbs/kwb_typeddataset_encoded_nextlink.json")
    link = fixture_json("cbs/kwb_typeddataset_encoded_nextlink.json")["odata.nextLink"]
    http = FakeHttp({url: first, link: as_bytes({"value": [{"WijkenEnBuurten": "GM0362    "}]})})
    params = {
        "$select": "WijkenEnBuurten,AantalInwoners_5",
        "$filter": "(substringof('NL00',WijkenEnBuurten) or substringof('0363',WijkenEnBuurten))",
    }
    pages = cbs_odata.fetch_feed(http, url, params)
    assert http.requested[1] == link and len(cbs_odata.rows_of(pages)) == 3


def test_a_next_link_cbs_made_too_long_is_sent_as_our_request_with_its_skip():
    from urllib.parse import quote

    url = "https://opendata.cbs.nl/ODataFeed/odata/86165NED/TypedDataSet"
    values = " or ".join(f"WijkenEnBuurten eq 'BU0363{n:04d}'" for n in range(42))
    params = {"$select": "WijkenEnBuurten,AantalInwoners_5", "$filter": f"({values})"}
    encoded = "&".join(f"{k}={quote(v, safe='')}" for k, v in {"$format": "json", **params}.items())
    link = f"{url}?{encoded}&$skip=10000"
    assert cbs_odata.query_length(link) > cbs_odata.MAX_QUERY
    assert cbs_odata.query_length(build_url(url, {"$format": "json", **params})) <= 1900
    first = build_url(url, {"$format": "json", **params})
    again = build_url(url, {"$format": "json", **params, "$skip": "10000"})
    http = FakeHttp(
        {
            first: as_bytes({"value": [{"a": 1}], "odata.nextLink": link}),
            again: as_bytes({"value": [{"a": 2}]}),
        }
    )
    pages = cbs_odata.fetch_feed(http, url, params)
    assert len(pages) == 2 and http.requested == [first, again]
    assert all(cbs_odata.query_length(sent) <= cbs_odata.MAX_QUERY for sent in http.requested)
