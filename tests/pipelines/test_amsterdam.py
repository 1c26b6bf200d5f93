"""Amsterdam gebieden: HAL paging and normalisation."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import amsterdam
from pipelines.errors import UnknownRegionError
from tests.conftest import fixture_bytes, fixture_json
from tests.pipelines.fake_http import FakeHttp

BASE = "https://api.data.amsterdam.nl"


def fake_api() -> FakeHttp:
    return FakeHttp(
        {
            f"{BASE}/v1/gebieden/buurten/?_format=json&_pageSize=1000&geldigOp=2024-05-01": fixture_bytes(
                "amsterdam/buurten_page1.json"
            ),
            f"{BASE}/v1/gebieden/buurten/?_format=json&_pageSize=2&page=2": fixture_bytes(
                "amsterdam/buurten_page2.json"
            ),
        }
    )


def test_fetch_table_follows_links_next_and_asks_for_one_date():
    http = fake_api()
    pages = amsterdam.fetch_table(http, BASE, "buurten", dt.date(2024, 5, 1))
    assert len(pages) == 2
    assert "geldigOp=2024-05-01" in http.requested[0]
    assert http.headers == [None, None]  # no key configured: no header


def test_fetch_table_sends_the_api_key_as_a_header_only():
    http = fake_api()
    amsterdam.fetch_table(http, BASE, "buurten", dt.date(2024, 5, 1), api_key="s3cret")
    assert http.headers == [{"X-Api-Key": "s3cret"}] * 2
    assert not any("s3cret" in url for url in http.requested)


def test_normalise_table_links_amsterdam_codes_to_cbs_codes():
    objects = fixture_json("amsterdam/buurten_page1.json")["_embedded"]["buurten"]
    out = amsterdam.normalise_table(objects, "buurten")
    assert list(out["code"]) == ["AA01", "AA02"]
    assert list(out["cbs_code"]) == ["BU0363AA01", "BU0363AA02"]
    assert list(out["identificatie"]) == ["03630980000019", "03630980000020"]  # from id when absent
    assert out["parent_identificatie"].iloc[0] == "03630970000008"
    assert list(out.columns) == amsterdam.COLUMNS


def test_normalise_table_rejects_cbs_codes_outside_amsterdam():
    objects = [{"code": "X", "naam": "Elders", "cbsCode": "BU04790101", "id": "1.1"}]
    with pytest.raises(UnknownRegionError, match="BU04790101"):
        amsterdam.normalise_table(objects, "buurten")
