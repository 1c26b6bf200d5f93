"""81734NED: measure key, padded region keys, filter and normalisation."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from geodata.config import load_region
from pipelines import cbs_odata, flows
from pipelines._http import build_url
from pipelines.errors import SchemaError, UnknownRegionError
from tests.conftest import fixture_json


def test_parse_measure_key_by_stem():
    assert flows.parse_measure_key(fixture_json("cbs/flows_dataproperties.json")["value"]) == (
        "TussenGemeentenVerhuisdePersonen_1"
    )


def test_parse_measure_key_requires_both_region_dimensions():
    props = [
        p
        for p in fixture_json("cbs/flows_dataproperties.json")["value"]
        if p["Key"] != "RegioVanVertrek"
    ]
    with pytest.raises(SchemaError, match="RegioVanVertrek"):
        flows.parse_measure_key(props)


def test_padded_keys_use_the_dimensions_exact_keys():
    rows = fixture_json("cbs/flows_regions.json")["value"]
    assert flows.padded_keys(rows, ["NL01", "GM0363"]) == {"NL01": "NL01  ", "GM0363": "GM0363"}
    with pytest.raises(UnknownRegionError, match=r"no region GM9999.*region\.toml"):
        flows.padded_keys(rows, ["GM0363", "GM9999"])


def test_flow_parts_select_one_period_with_the_region_and_the_country_on_both_sides():
    parts = flows.flow_parts("2021JJ00", ["GM0363", "GM0479"], "NL01  ")
    text = cbs_odata.filter_text(parts)
    assert text.startswith("Perioden eq '2021JJ00' and ")
    assert (
        "(RegioVanVertrek eq 'GM0363' or RegioVanVertrek eq 'GM0479' or RegioVanVertrek eq 'NL01  ')"
        in text
    )
    assert "RegioVanVestiging eq 'NL01  '" in text


def test_flow_requests_stay_under_the_limit_for_a_region_three_times_as_large():
    codes = [f"GM{n:04d}" for n in range(1, 3 * 17 + 1)]
    url = "https://opendata.cbs.nl/ODataFeed/odata/81734NED/TypedDataSet"
    params = {
        "$select": "RegioVanVertrek,RegioVanVestiging,Perioden,TussenGemeentenVerhuisdePersonen_1"
    }
    parts = flows.flow_parts("2021JJ00", codes, "NL01  ")
    filters = cbs_odata.split_filter(url, params, parts)
    assert len(filters) > 1
    for text in filters:
        sent = build_url(url, {"$format": "json", **params, "$filter": text})
        assert cbs_odata.query_length(sent) <= cbs_odata.QUERY_BUDGET < cbs_odata.MAX_QUERY
    pairs = set()
    for text in filters:  # together the filters cover every origin-destination pair once
        origins = re.findall(r"RegioVanVertrek eq '([^']+)'", text)
        destinations = re.findall(r"RegioVanVestiging eq '([^']+)'", text)
        pairs.update((o, d) for o in origins for d in destinations)
    assert len(pairs) == (len(codes) + 1) ** 2


def test_flow_request_for_the_region_fits_in_one():
    region = load_region()
    url = "https://opendata.cbs.nl/ODataFeed/odata/81734NED/TypedDataSet"
    params = {
        "$select": "RegioVanVertrek,RegioVanVestiging,Perioden,TussenGemeentenVerhuisdePersonen_1"
    }
    parts = flows.flow_parts("2021JJ00", list(region.all_codes), "NL01  ")
    assert len(cbs_odata.split_filter(url, params, parts)) == 1


def test_normalise_flows_drops_structural_empties_and_keeps_others_missing():
    rows = pd.DataFrame(fixture_json("cbs/flows_typeddataset.json")["value"])
    out = flows.normalise_flows(rows, "TussenGemeentenVerhuisdePersonen_1", load_region())
    pairs = {(y, o, d): p for y, o, d, p in out.itertuples(index=False)}
    assert pairs[(2021, "GM0363", "GM0479")] == 2958
    assert pairs[(2021, "GM0457", "GM0363")] == 412  # Weesp still existed in 2021
    assert (2021, "GM0363", "GM0363") not in pairs  # origin == destination
    assert (2022, "GM0457", "GM0363") not in pairs  # Weesp merged in 2022
    assert pairs[(2022, "GM0363", "NL01")] == 45210  # padded NL01 trimmed
    assert math.isnan(pairs[(2022, "GM0363", "GM0439")])  # an empty cell stays missing
    assert list(out.columns) == ["year", "origin_code", "destination_code", "persons"]
