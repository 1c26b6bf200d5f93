"""81734NED: measure key, padded region keys, filter and normalisation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geodata.config import load_region
from pipelines import flows
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


def test_flow_filter_selects_one_period_and_both_directions_of_national_totals():
    text = flows.flow_filter("2021JJ00", ["GM0363", "GM0479"], "NL01  ")
    assert text.startswith("Perioden eq '2021JJ00' and ")
    assert "RegioVanVestiging eq 'NL01  '" in text
    assert "RegioVanVertrek eq 'NL01  ' and " in text


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
