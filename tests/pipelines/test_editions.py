"""Editions discovered, not listed: the CBS catalog, 81734NED's periods, their fallbacks."""

from __future__ import annotations

import pandas as pd

from geodata.config import load_region
from pipelines import editions, kwb
from pipelines.errors import FetchError
from tests.conftest import fixture_bytes
from tests.pipelines.fake_http import FakeHttp, as_bytes

CBS = "https://opendata.cbs.nl"


def catalog_http(body: bytes) -> FakeHttp:
    return FakeHttp({f"{CBS}/ODataCatalog/Tables": body})


def test_the_catalog_decides_which_kwb_editions_exist():
    http = catalog_http(fixture_bytes("cbs/catalog_kwb_2026.json"))
    offers = editions.discover(http, CBS, load_region(), ("kwb",))
    assert offers.kwb[2025].table_id == "86165NED"
    assert offers.kwb[2026].table_id == "86358NED"
    assert offers.kwb[2026].modified == "2026-11-27T02:00:00"
    assert offers.newest_kwb == 2026
    assert load_region().kwb_years_within(offers.kwb)[-1] == 2026  # no config change needed
    (url,) = http.requested
    assert http.options[url]["fresh"] is True  # asked of the service, not of the cache
    assert not any("2025" in w or "2026" in w for w in offers.warnings)  # ids agree


def test_a_catalog_that_lists_another_table_for_an_edition_wins_with_a_warning():
    body = fixture_bytes("cbs/catalog_kwb_2026.json").replace(b"86358NED", b"86400NED")
    offers = editions.discover(catalog_http(body), CBS, load_region(), ("kwb",))
    assert offers.kwb[2026].table_id == "86400NED"
    assert any("86400NED" in w and "86358NED" in w for w in offers.warnings)


def test_a_known_edition_the_catalog_lacks_is_not_pulled_and_a_warning_says_so():
    offers = editions.discover(
        catalog_http(fixture_bytes("cbs/catalog_kwb_2026.json")), CBS, load_region(), ("kwb",)
    )
    assert 2019 not in offers.kwb  # not in this small catalog: the catalog decides
    (warning,) = [w for w in offers.warnings if w.startswith("KWB 2019")]
    assert "84583NED" in warning and "not pulled" in warning


def test_a_known_edition_newer_than_the_catalog_is_not_yet_published_and_no_warning():
    body = fixture_bytes("cbs/catalog_kwb_2026.json").replace(b"86358NED", b"00000NED")
    body = body.replace(b"wijken en buurten 2026", b"wijken en buurten 1999")
    offers = editions.discover(catalog_http(body), CBS, load_region(), ("kwb",))
    assert offers.newest_kwb == 2025 and 2026 not in offers.kwb
    assert not any("2026" in w for w in offers.warnings)


def test_an_unreadable_catalog_falls_back_to_the_known_ids_with_a_warning():
    class Down(FakeHttp):
        def get_json(self, url, params=None, **kwargs):
            raise FetchError(url, 3, ConnectionError("refused"))

    offers = editions.discover(Down({}), CBS, load_region(), ("kwb",))
    assert offers.kwb[2024].table_id == kwb.KNOWN_TABLES[2024]
    assert "could not be read" in offers.warnings[0] and "kwb" not in offers.asked
    assert offers.rows() == []  # what was not asked is not recorded as offered


def test_flow_years_come_from_the_periods_dimension():
    periods = {
        "value": [
            {"Key": "2011JJ00", "Title": "2011"},
            {"Key": "2024JJ00", "Title": "2024"},
            {"Key": "2025JJ00", "Title": "2025*"},
            {"Key": "2025KW01", "Title": "2025 1e kwartaal"},
        ]
    }
    http = FakeHttp({f"{CBS}/ODataFeed/odata/81734NED/Perioden": as_bytes(periods)})
    offers = editions.discover(http, CBS, load_region(), ("flows",))
    assert offers.flow_years == [2011, 2024, 2025]
    assert load_region().flow_years_within(offers.flow_years) == [2011, 2024, 2025]


def test_offered_table_replaces_the_rows_of_the_sources_asked_and_keeps_the_others():
    offers = editions.discover(
        catalog_http(fixture_bytes("cbs/catalog_kwb_2026.json")), CBS, load_region(), ("kwb",)
    )
    offers.checked_at = "2026-12-05T08:00:00+00:00"
    existing = pd.DataFrame(
        [
            ("kwb", 2024, "85984NED", "old", None, "2026-01-01T00:00:00+00:00", "build"),
            ("boundaries", 2025, "", "PDOK", None, "2026-12-01T00:00:00+00:00", "check"),
        ],
        columns=["source", "year", "table_id", "title", "modified", "checked_at", "checked_by"],
    )
    table = editions.offered_table(existing, offers, "build")
    assert set(table["source"]) == {"kwb", "boundaries"}
    assert table[table["source"] == "kwb"]["year"].max() == 2026
    assert (table[table["source"] == "kwb"]["checked_at"] == offers.checked_at).all()
    assert table[table["source"] == "boundaries"]["checked_by"].tolist() == ["check"]
